import { repoPath } from '../fixtures';

/**
 * The command that runs a TypeScript file of this repository as a process: node with tsx's CommonJS
 * hook. The tsx binary starts a node that starts the program in a second node; this is one process,
 * and about 0.2 s of CPU less a run (`lib/cli/main.ts --help`, user+sys: 0.80 s through the binary,
 * 0.62 s this way). Relative paths resolve against the process's working directory.
 */
export function tsxCommand(script: string, args: string[] = []): [string, string[]] {
  return [process.execPath, ['--require', repoPath('node_modules', 'tsx', 'dist', 'cjs', 'index.cjs'), script, ...args]];
}
