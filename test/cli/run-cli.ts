// Two ways the tests run the package's CLI. As a process, the way a user runs it (lib/cli/main.ts
// compiled, test/support/compiled-programs.ts, stands in for the package's bin): its exit status,
// its streams, its working directory, the environment it inherits. And in the test's own process
// through `main()`, the function the bin calls with the process's arguments: the same parsing,
// commands and error reports, for every check that is about what a command does rather than about
// the process (a process costs most of a second of CPU; `main()` in a test file that already loaded
// the library, a few milliseconds).
import { spawnSync } from 'child_process';
import { repoPath } from '../fixtures';
import { programCommand } from '../support/compiled-programs';

export { programCommand };

/** How a run ended: its exit status and what it wrote. */
export interface Outcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI as a process in `cwd`, with the test's environment minus the variables the CLI reads, plus `env`. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Outcome {
  const [command, commandArgs] = programCommand(repoPath('lib', 'cli', 'main.ts'), args);
  const result = spawnSync(command, commandArgs, {
    cwd: options.cwd ?? repoPath(),
    encoding: 'utf8',
    env: { ...process.env, CDK_EKS_GITOPS_DEBUG: '', PLATFORM_SPEC: '', AWS_REGION: '', AWS_DEFAULT_REGION: '', ...options.env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the CLI's `main()` in this process, with only `env` as its environment (the command's `context.env`). */
export async function runMain(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  // Loaded on the first call: a test file that only starts processes does not load the CLI.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { main } = require('../../lib/cli/main') as typeof import('../../lib/cli/main');
  const status = await main(args, { out: (text) => (stdout += text), err: (text) => (stderr += text), env });
  return { status, stdout, stderr };
}

/** Whether the text holds a stack trace (a line starting with `at `). */
export const STACK_TRACE = /^\s+at /m;
