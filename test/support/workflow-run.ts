import { execFileSync, spawnSync } from 'child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/**
 * Runs one job of a generated workflow on this machine, step by step, the way a GitHub-hosted runner
 * would for the parts that matter here:
 *
 * - `actions/checkout` is a shallow clone (`--depth=1`, as the action fetches by default) of a local
 *   origin at the step's `ref`, into the workspace or its `path` below it, so what the job pushes
 *   lands in that origin;
 * - `run:` scripts run in `bash --noprofile --norc -eo pipefail`, GitHub's bash, in the checkout, with
 *   the workflow's, the job's and the step's `env` (expressions evaluated from `context`), and
 *   `RUNNER_TEMP` and `GITHUB_STEP_SUMMARY` as the runner sets them, in the step's
 *   `working-directory` when it has one;
 * - any other action runs only through a stand-in the caller gives (`actions`, by the step's `uses`),
 *   which receives the step's `with:` inputs, expressions evaluated; without one the run is refused;
 * - the job stops at the first failing step.
 *
 * Expressions other than plain context lookups (`${{ inputs.app }}`) are refused, so a workflow that
 * grows one fails here instead of running with a wrong value.
 */
export function runJob(
  workflow: any,
  job: string,
  options: {
    origin: string;
    context: Record<string, any>;
    path: string;
    env?: Record<string, string>;
    actions?: Record<string, (inputs: Record<string, string>) => void>;
  },
): { status: number; failedStep?: string; stdout: string; stderr: string } {
  const workspace = mkdtempSync(join(tmpdir(), 'workspace-'));
  const runnerTemp = mkdtempSync(join(tmpdir(), 'runner-temp-'));
  const summary = join(runnerTemp, 'step-summary.md');
  writeFileSync(summary, '');
  const evaluate = (value: unknown) =>
    String(value).replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (expression, path: string) => {
      const found = path.split('.').reduce<any>((object, key) => object?.[key], options.context);
      if (found === undefined) throw new Error(`runJob: no value for ${expression}`);
      return String(found);
    });
  const envOf = (...scopes: (Record<string, unknown> | undefined)[]) =>
    Object.fromEntries(scopes.flatMap((scope) => Object.entries(scope ?? {})).map(([k, v]) => [k, evaluate(v)]));

  let stdout = '';
  let stderr = '';
  for (const [index, step] of (workflow.jobs[job].steps as any[]).entries()) {
    const name = step.name ?? step.uses ?? `step ${index}`;
    if (step.uses?.startsWith('actions/checkout@')) {
      const ref = evaluate(step.with?.ref ?? 'main');
      const into = step.with?.path ? join(workspace, evaluate(step.with.path)) : workspace;
      execFileSync('git', ['clone', '-q', '--depth=1', '--branch', ref, `file://${options.origin}`, into], { stdio: 'pipe' });
      continue;
    }
    const standIn = step.uses ? options.actions?.[step.uses] : undefined;
    if (standIn) {
      standIn(envOf(step.with));
      continue;
    }
    if (step.uses) throw new Error(`runJob: no stand-in for ${step.uses}`);
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
      cwd: step['working-directory'] ? join(workspace, evaluate(step['working-directory'])) : workspace,
      encoding: 'utf8',
      env: {
        PATH: options.path,
        HOME: runnerTemp,
        GIT_CONFIG_NOSYSTEM: '1',
        RUNNER_TEMP: runnerTemp,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_WORKSPACE: workspace,
        ...envOf(workflow.env, workflow.jobs[job].env, step.env),
        ...options.env,
      },
    });
    stdout += result.stdout;
    stderr += result.stderr;
    if (result.status !== 0) return { status: result.status ?? 1, failedStep: name, stdout, stderr };
  }
  return { status: 0, stdout, stderr };
}

/** A pull request the `gh` stand-in holds. */
export interface StubPullRequest {
  readonly number: number;
  readonly head: string;
  readonly base: string;
  readonly title: string;
  readonly body: string;
  readonly state: 'open' | 'closed';
}

/**
 * A directory with a `gh` stand-in that keeps pull requests in a JSON file, as GitHub would for the
 * three commands the generated workflows call: `pr list --head B [--base X] --state open` (prints the
 * open one's number), `pr create --base X --head B --title T --body-file F` (or `--body TEXT`) and
 * `pr edit N --title T --body-file F`. Every call is recorded, arguments one per element.
 */
export function ghStub(): { bin: string; calls: () => string[][]; pullRequests: () => StubPullRequest[] } {
  const bin = mkdtempSync(join(tmpdir(), 'gh-'));
  const state = join(bin, 'state.json');
  writeFileSync(state, JSON.stringify({ calls: [], pullRequests: [] }));
  const script = `#!/usr/bin/env node
const { readFileSync, writeFileSync } = require('fs');
const state = JSON.parse(readFileSync(${JSON.stringify(state)}, 'utf8'));
const args = process.argv.slice(2);
state.calls.push(args);
const flag = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const save = () => writeFileSync(${JSON.stringify(state)}, JSON.stringify(state));
if (args[0] === 'pr' && args[1] === 'list') {
  const found = state.pullRequests.find((p) => p.head === flag('--head') && (flag('--base') === undefined || p.base === flag('--base')) && p.state === 'open');
  if (found) console.log(found.number);
} else if (args[0] === 'pr' && args[1] === 'create') {
  const number = state.pullRequests.length + 1;
  const body = flag('--body-file') === undefined ? flag('--body') : readFileSync(flag('--body-file'), 'utf8');
  state.pullRequests.push({ number, head: flag('--head'), base: flag('--base'), title: flag('--title'), body, state: 'open' });
  console.log('https://github.com/example/pull/' + number);
} else if (args[0] === 'pr' && args[1] === 'edit') {
  const found = state.pullRequests.find((p) => p.number === Number(args[2]));
  if (!found) { console.error('no pull request ' + args[2]); process.exit(1); }
  Object.assign(found, { title: flag('--title'), body: readFileSync(flag('--body-file'), 'utf8') });
} else {
  console.error('gh stub: unsupported ' + args.join(' '));
  process.exit(2);
}
save();
`;
  writeFileSync(join(bin, 'gh'), script);
  chmodSync(join(bin, 'gh'), 0o755);
  const read = () => JSON.parse(readFileSync(state, 'utf8'));
  return { bin, calls: () => read().calls, pullRequests: () => read().pullRequests };
}

/**
 * A directory with a `cosign` stand-in for `cosign verify`: it records every call (arguments one per
 * element) and succeeds, except for an image reference (its last argument) in `unsigned`, for which
 * it fails as cosign does when no signature matches the identity: "no matching signatures" on
 * stderr, exit status 1.
 */
export function cosignStub(unsigned: string[] = []): { bin: string; calls: () => string[][] } {
  const bin = mkdtempSync(join(tmpdir(), 'cosign-'));
  const state = join(bin, 'calls.json');
  writeFileSync(state, '[]');
  const script = `#!/usr/bin/env node
const { readFileSync, writeFileSync } = require('fs');
const calls = JSON.parse(readFileSync(${JSON.stringify(state)}, 'utf8'));
const args = process.argv.slice(2);
calls.push(args);
writeFileSync(${JSON.stringify(state)}, JSON.stringify(calls));
if (args[0] !== 'verify') { console.error('cosign stub: unsupported ' + args.join(' ')); process.exit(2); }
if (${JSON.stringify(unsigned)}.includes(args[args.length - 1])) { console.error('Error: no matching signatures'); process.exit(1); }
console.log('[{"critical":{"identity":{"docker-reference":"' + args[args.length - 1] + '"}}}]');
`;
  writeFileSync(join(bin, 'cosign'), script);
  chmodSync(join(bin, 'cosign'), 0o755);
  return { bin, calls: () => JSON.parse(readFileSync(state, 'utf8')) };
}

/**
 * A directory of bash stand-ins, one per entry of `bodies` (its name, and the script that runs after
 * the call is logged): each appends its name and arguments, one per line, then a blank line, to
 * `calls.log`; `calls()` reads them back, a list of `[name, ...args]` per call. Put `bin` first on a
 * script's PATH.
 */
export function loggingStubs(bodies: { [command: string]: string }, prefix = 'bin-'): { bin: string; calls: () => string[][] } {
  const bin = mkdtempSync(join(tmpdir(), prefix));
  const log = join(bin, 'calls.log');
  writeFileSync(log, '');
  for (const [name, body] of Object.entries(bodies)) {
    writeFileSync(join(bin, name), `#!/usr/bin/env bash\n{ printf '%s\\n' ${name} "$@"; echo; } >> "${log}"\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  const calls = () =>
    readFileSync(log, 'utf8')
      .split('\n\n')
      .filter(Boolean)
      .map((call) => call.split('\n').filter((l, i) => i === 0 || l !== ''));
  return { bin, calls };
}
