// Two ways the tests run the package's CLI. As a process, the way a user runs it (`tsx
// lib/cli/main.ts` stands in for the compiled bin): its exit status, its streams, its working
// directory. And in the test's own process through `main()`, the function the bin calls with the
// process's arguments: the same parsing, commands and error reports, for the many message checks
// that need no working directory of their own (a process costs most of a second).
import { spawnSync } from 'child_process';
import { main } from '../../lib/cli/main';
import { repoPath } from '../fixtures';

/** How a run ended: its exit status and what it wrote. */
export interface Outcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI as a process in `cwd`, with the test's environment minus the variables the CLI reads, plus `env`. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Outcome {
  const result = spawnSync(repoPath('node_modules', '.bin', 'tsx'), [repoPath('lib', 'cli', 'main.ts'), ...args], {
    cwd: options.cwd ?? repoPath(),
    encoding: 'utf8',
    env: { ...process.env, CDK_EKS_GITOPS_DEBUG: '', PLATFORM_SPEC: '', AWS_REGION: '', AWS_DEFAULT_REGION: '', ...options.env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the CLI's `main()` in this process, with only `env` as its environment. */
export async function runMain(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const status = await main(args, { out: (text) => (stdout += text), err: (text) => (stderr += text), env });
  return { status, stdout, stderr };
}

/** Whether the text holds a stack trace (a line starting with `at `). */
export const STACK_TRACE = /^\s+at /m;
