import { execFileSync, spawnSync } from 'child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
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
 * How the stand-ins below record their calls, in `<bin>/calls`: each call is its argument count and
 * its arguments, every one followed by a NUL byte (no argument can hold one), appended by bash's
 * `printf '%s\0' "$#" "$@"`. Returns them in order, arguments one per element.
 */
function recordedCalls(log: string): string[][] {
  const fields = readFileSync(log, 'utf8').split('\0');
  const calls: string[][] = [];
  for (let at = 0; at < fields.length - 1; ) {
    const count = Number(fields[at]);
    calls.push(fields.slice(at + 1, at + 1 + count));
    at += 1 + count;
  }
  return calls;
}

/**
 * A directory with a `gh` stand-in that keeps pull requests as GitHub would for the three commands
 * the generated workflows call: `pr list --head B [--base X] --state open` (prints the open one's
 * number), `pr create --base X --head B --title T --body-file F` (or `--body TEXT`) and
 * `pr edit N --title T --body-file F`. Every call that succeeds is recorded, arguments one per
 * element; any other command fails, unrecorded.
 *
 * The stand-in is bash, run once per call by the workflow's scripts: a node stand-in cost node's
 * start, 20 to 80 ms of CPU a call with the machine idle or loaded, a few dozen calls a test file.
 * Each pull request is a directory `prs/<number>/`, a file per field.
 */
export function ghStub(): { bin: string; calls: () => string[][]; pullRequests: () => StubPullRequest[] } {
  const bin = mkdtempSync(join(tmpdir(), 'gh-'));
  const log = join(bin, 'calls');
  const prs = join(bin, 'prs');
  mkdirSync(prs);
  writeFileSync(log, '');
  const script = `#!/usr/bin/env bash
set -u
shopt -s nullglob
log=${JSON.stringify(log)}
prs=${JSON.stringify(prs)}
args=("$@")
# flag NAME: whether NAME is among the arguments; its value, the argument after it, in $value.
flag() {
  local i
  value=''
  for ((i = 0; i < \${#args[@]}; i++)); do
    if [ "\${args[i]}" = "$1" ]; then value=\${args[i + 1]-}; return 0; fi
  done
  return 1
}
# set_field DIR FIELD NAME: the field is the value of flag NAME, or absent without it.
set_field() { if flag "$3"; then printf '%s' "$value" > "$1/$2"; else rm -f "$1/$2"; fi; }
count() { local all=("$prs"/*); echo \${#all[@]}; }
if [ "\${1-}" = pr ] && [ "\${2-}" = list ]; then
  for ((n = 1; n <= $(count); n++)); do
    pr="$prs/$n"
    flag --head && [ -f "$pr/head" ] && [ "$(< "$pr/head")" = "$value" ] || continue
    if flag --base; then [ -f "$pr/base" ] && [ "$(< "$pr/base")" = "$value" ] || continue; fi
    [ "$(< "$pr/state")" = open ] || continue
    echo "$n"
    break
  done
elif [ "\${1-}" = pr ] && [ "\${2-}" = create ]; then
  if flag --body-file && [ ! -f "$value" ]; then echo "gh stub: no file $value" >&2; exit 1; fi
  n=$(( $(count) + 1 ))
  pr="$prs/$n"
  mkdir "$pr"
  set_field "$pr" head --head
  set_field "$pr" base --base
  set_field "$pr" title --title
  if flag --body-file; then cp "$value" "$pr/body"; else set_field "$pr" body --body; fi
  printf open > "$pr/state"
  echo "https://github.com/example/pull/$n"
elif [ "\${1-}" = pr ] && [ "\${2-}" = edit ]; then
  pr="$prs/\${3-}"
  if [ -z "\${3-}" ] || [ ! -d "$pr" ]; then echo "no pull request \${3-}" >&2; exit 1; fi
  flag --body-file && [ -f "$value" ] || { echo "gh stub: pr edit needs --body-file" >&2; exit 1; }
  cp "$value" "$pr/body"
  set_field "$pr" title --title
else
  echo "gh stub: unsupported $*" >&2
  exit 2
fi
printf '%s\\0' "$#" "$@" >> "$log"
`;
  writeFileSync(join(bin, 'gh'), script);
  chmodSync(join(bin, 'gh'), 0o755);
  const pullRequests = () =>
    readdirSync(prs)
      .map(Number)
      .sort((a, b) => a - b)
      .map((number) => {
        const field = (name: string) => (existsSync(join(prs, String(number), name)) ? readFileSync(join(prs, String(number), name), 'utf8') : undefined);
        const pr: Record<string, unknown> = { number };
        for (const name of ['head', 'base', 'title', 'body', 'state']) if (field(name) !== undefined) pr[name] = field(name);
        return pr as unknown as StubPullRequest;
      });
  return { bin, calls: () => recordedCalls(log), pullRequests };
}

/**
 * A directory with a `cosign` stand-in for `cosign verify`: it records every call (arguments one per
 * element) and succeeds, except for an image reference (its last argument) in `unsigned`, for which
 * it fails as cosign does when no signature matches the identity: "no matching signatures" on
 * stderr, exit status 1. Bash, as the `gh` stand-in is.
 */
export function cosignStub(unsigned: string[] = []): { bin: string; calls: () => string[][] } {
  const bin = mkdtempSync(join(tmpdir(), 'cosign-'));
  const log = join(bin, 'calls');
  writeFileSync(log, '');
  const quoted = unsigned.map((ref) => `'${ref.replace(/'/g, "'\\''")}'`).join(' ');
  const script = `#!/usr/bin/env bash
printf '%s\\0' "$#" "$@" >> ${JSON.stringify(log)}
if [ "\${1-}" != verify ]; then echo "cosign stub: unsupported $*" >&2; exit 2; fi
ref=\${!#}
for unsigned in ${quoted}; do
  if [ "$ref" = "$unsigned" ]; then echo 'Error: no matching signatures' >&2; exit 1; fi
done
echo "[{\\"critical\\":{\\"identity\\":{\\"docker-reference\\":\\"$ref\\"}}}]"
`;
  writeFileSync(join(bin, 'cosign'), script);
  chmodSync(join(bin, 'cosign'), 0o755);
  return { bin, calls: () => recordedCalls(log) };
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
