// `cdk-eks-gitops teardown`, run as a user runs it, with stand-ins for kubectl and aws (no cluster
// and no AWS here) on the PATH.
import { spawnSync } from 'child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { repoPath } from '../fixtures';

const SANDBOX = repoPath('examples', 'sandbox', 'platform.yaml');

/** A PATH directory whose kubectl and aws record their arguments and succeed (aws reports no records). */
function toolStubs() {
  const bin = mkdtempSync(join(tmpdir(), 'tools-'));
  const log = join(bin, 'calls.log');
  writeFileSync(log, '');
  for (const name of ['kubectl', 'aws']) {
    writeFileSync(join(bin, name), `#!/usr/bin/env bash\necho "${name} $*" >> "${log}"\n`);
    chmodSync(join(bin, name), 0o755);
  }
  return { path: `${bin}:${process.env.PATH}`, calls: () => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) };
}

function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(repoPath('node_modules', '.bin', 'tsx'), [repoPath('lib', 'cli', 'main.ts'), ...args], {
    cwd: repoPath(),
    encoding: 'utf8',
    env: { ...process.env, CDK_EKS_GITOPS_DEBUG: '', PLATFORM_SPEC: '', ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('cdk-eks-gitops teardown', () => {
  test('asks for --dry-run or --yes, with exit 2, before touching anything', () => {
    const tools = toolStubs();
    const { status, stderr } = cli(['teardown', '--spec', SANDBOX], { PATH: tools.path });
    expect(status).toBe(2);
    expect(stderr).toBe("cdk-eks-gitops: give --dry-run to see the commands, or --yes to run them (the teardown deletes the platform's workloads)\nRun 'cdk-eks-gitops teardown --help' for usage.\n");
    expect(tools.calls()).toEqual([]);
  });

  test('--dry-run prints the commands in order with the context and profile, and runs none', () => {
    const tools = toolStubs();
    const { status, stdout } = cli(['teardown', '--spec', SANDBOX, '--dry-run', '--context', 'sandbox-admin', '--profile', 'admin'], { PATH: tools.path });
    expect(status).toBe(0);
    const commands = stdout.split('\n').filter((l) => l.startsWith('    $ ')).map((l) => l.slice(6));
    expect(commands[0]).toBe('kubectl --context sandbox-admin delete application sandbox-root -n argocd --ignore-not-found --wait=true');
    expect(commands[4]).toBe('kubectl --context sandbox-admin delete ingress --all -n main --ignore-not-found --wait=true --timeout=15m');
    expect(commands[5]).toMatch(/^aws --profile admin route53 list-resource-record-sets --hosted-zone-id Z0123456789ABCDEFGHIJ /);
    expect(stdout).toContain('Nothing was run (--dry-run).');
    expect(tools.calls()).toEqual([]);
  });

  test('--yes runs every step and says what comes next', () => {
    const tools = toolStubs();
    const { status, stdout } = cli(['teardown', '--spec', SANDBOX, '--yes'], { PATH: tools.path });
    expect(status).toBe(0);
    expect(tools.calls()).toHaveLength(7);
    expect(stdout).toContain('Done. Now run: npx cdk destroy --all');
  });

  test('a bad spec is reported by the loader, not as a stack trace', () => {
    const { status, stderr } = cli(['teardown', '--spec', '/nonexistent/platform.yaml', '--yes']);
    expect(status).toBe(1);
    expect(stderr).toBe('/nonexistent/platform.yaml: 1 problem\n  - (file): cannot read the spec: no such file\n');
  });
});
