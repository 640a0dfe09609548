// The command line itself, before any command runs: the list of commands, `help COMMAND`, the
// version, and that listing the commands loads none of them.
import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import { runMain } from './run-cli';
import { repoPath } from '../fixtures';
import { compiledPath } from '../support/compiled-programs';

const VERSION = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')).version;

describe('cdk-eks-gitops', () => {
  test('help COMMAND shows that command\'s help, as COMMAND --help does', async () => {
    const viaHelp = await runMain(['help', 'init']);
    expect(viaHelp).toEqual(await runMain(['init', '--help']));
    expect(viaHelp.status).toBe(0);
    expect(viaHelp.stdout).toMatch(/^Usage: cdk-eks-gitops init \[DIR\]/);
  });

  test('help with an unknown command, or two, is a usage mistake (exit 2)', async () => {
    expect(await runMain(['help', 'deploy'])).toEqual({
      status: 2,
      stdout: '',
      stderr: "cdk-eks-gitops: unknown command 'deploy' (commands: init, validate, synth, manifests, teardown)\nRun 'cdk-eks-gitops --help' for usage.\n",
    });
    expect((await runMain(['help', 'init', 'synth'])).status).toBe(2);
  });

  test.each([['--version'], ['-v']])('%s prints the version', async (flag) => {
    expect(await runMain([flag])).toEqual({ status: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  test('--help loads no command: no aws-cdk-lib, cdk8s or spec validation to list five lines', () => {
    // In a process of its own, so that no other test has loaded the modules already: the CLI
    // compiled, as the tests run it (test/support/compiled-programs.ts).
    const script = [
      `const { main } = require(${JSON.stringify(compiledPath('lib/cli/main.ts'))});`,
      'main([\'--help\'], { out: () => {}, err: () => {}, env: {} }).then((status) => {',
      '  const loaded = Object.keys(require.cache).filter((p) => /aws-cdk-lib|cdk8s|lib\\/cli\\/commands|lib\\/model/.test(p));',
      '  process.stdout.write(JSON.stringify({ status, loaded }));',
      '});',
    ].join('\n');
    const result = spawnSync(process.execPath, ['-e', script], { cwd: repoPath(), encoding: 'utf8' });
    expect(JSON.parse(result.stdout)).toEqual({ status: 0, loaded: [] });
  });
});
