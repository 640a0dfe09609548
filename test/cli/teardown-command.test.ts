// `cdk-eks-gitops teardown`, run as a user runs it, with stand-ins for kubectl and aws (no cluster
// and no AWS here) on the PATH: a process, since the commands it runs inherit its PATH (a test
// file's process.env is jest's copy, which child_process does not read). The checks that run no
// command go through `main()` in this process (test/cli/run-cli.ts).
import { spawnSync } from 'child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { repoPath } from '../fixtures';
import { programCommand, runMain } from './run-cli';

const SANDBOX = repoPath('examples', 'sandbox', 'platform.yaml');
const TWO_ENVIRONMENTS = repoPath('examples', 'two-environments', 'platform.yaml');

/**
 * A PATH directory whose kubectl and aws record their arguments and succeed (aws reports no records);
 * given an endpoint, kubectl reports it as its context's API server and aws as the cluster's.
 */
function toolStubs(endpoint?: string) {
  const bin = mkdtempSync(join(tmpdir(), 'tools-'));
  const log = join(bin, 'calls.log');
  writeFileSync(log, '');
  for (const name of ['kubectl', 'aws']) {
    const report = endpoint ? `case "$*" in *"config view"*|*"describe-cluster"*) echo '${endpoint}';; esac\n` : '';
    writeFileSync(join(bin, name), `#!/usr/bin/env bash\necho "${name} $*" >> "${log}"\n${report}`);
    chmodSync(join(bin, name), 0o755);
  }
  return { path: `${bin}:${process.env.PATH}`, calls: () => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) };
}

function cli(args: string[], env: Record<string, string> = {}) {
  const [command, commandArgs] = programCommand(repoPath('lib', 'cli', 'main.ts'), args);
  const result = spawnSync(command, commandArgs, {
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
    expect(commands[0]).toBe("kubectl --context sandbox-admin config view --minify -o 'jsonpath={.clusters[0].cluster.server}'");
    expect(commands[1]).toBe('aws --profile admin eks describe-cluster --name sandbox --region ap-northeast-1 --query cluster.endpoint --output text    (must print the same)');
    expect(commands[2]).toBe('kubectl --context sandbox-admin get --raw /version');
    expect(commands[3]).toBe('kubectl --context sandbox-admin delete application sandbox-root -n argocd --ignore-not-found --wait=true');
    expect(commands[7]).toBe('kubectl --context sandbox-admin delete ingress --all -n main --ignore-not-found --wait=true --timeout=15m');
    expect(commands[8]).toMatch(/^aws --profile admin route53 list-resource-record-sets --hosted-zone-id Z0123456789ABCDEFGHIJ /);
    expect(stdout).toContain('Nothing was run (--dry-run).');
    expect(tools.calls()).toEqual([]);
  });

  test('--yes checks the cluster, runs every step and says what comes next', () => {
    const tools = toolStubs('https://00112233445566778899AABBCCDDEEFF.gr7.ap-northeast-1.eks.amazonaws.com');
    const { status, stdout } = cli(['teardown', '--spec', SANDBOX, '--yes'], { PATH: tools.path });
    expect(status).toBe(0);
    expect(tools.calls()).toHaveLength(10);
    expect(tools.calls().slice(0, 3)).toEqual([
      'kubectl config view --minify -o jsonpath={.clusters[0].cluster.server}',
      'aws eks describe-cluster --name sandbox --region ap-northeast-1 --query cluster.endpoint --output text',
      'kubectl get --raw /version',
    ]);
    expect(stdout).toContain('Done. Now run: npx cdk destroy --all');
  });

  test('a bad spec is reported by the loader, not as a stack trace', async () => {
    const { status, stderr } = await runMain(['teardown', '--spec', '/nonexistent/platform.yaml', '--yes']);
    expect(status).toBe(1);
    expect(stderr).toBe('/nonexistent/platform.yaml: 1 problem\n  - (file): cannot read the spec: no such file\n');
  });

  describe('a spec with several environments', () => {
    test('needs --environment: a usage error lists them, and nothing runs', () => {
      const tools = toolStubs();
      const { status, stderr } = cli(['teardown', '--spec', TWO_ENVIRONMENTS, '--yes'], { PATH: tools.path });
      expect(status).toBe(2);
      expect(stderr).toBe(
        'cdk-eks-gitops: the spec has 2 environments (staging, production), each its own cluster: name the one to take down with --environment NAME ' +
          "(and give --context and --profile for its cluster and account)\nRun 'cdk-eks-gitops teardown --help' for usage.\n",
      );
      expect(tools.calls()).toEqual([]);
    });

    test('an --environment the spec does not have is a usage error naming the ones it has', async () => {
      const { status, stderr } = await runMain(['teardown', '--spec', TWO_ENVIRONMENTS, '--environment', 'prod', '--dry-run']);
      expect(status).toBe(2);
      expect(stderr).toContain("cdk-eks-gitops: --environment 'prod' is not an environment of the spec; it has staging, production\n");
    });

    test('--environment production --yes checks the cluster first, takes that environment down and names its stacks to destroy', () => {
      const tools = toolStubs('https://0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com');
      const args = ['teardown', '--spec', TWO_ENVIRONMENTS, '--environment', 'production', '--context', 'shop-production', '--profile', 'production', '--yes'];
      const { status, stdout } = cli(args, { PATH: tools.path });
      expect(status).toBe(0);
      expect(tools.calls().slice(0, 4)).toEqual([
        'kubectl --context shop-production config view --minify -o jsonpath={.clusters[0].cluster.server}',
        'aws --profile production eks describe-cluster --name shop-production --region ap-northeast-1 --query cluster.endpoint --output text',
        'kubectl --context shop-production get --raw /version',
        'kubectl --context shop-production delete application shop-production-root -n argocd --ignore-not-found --wait=true',
      ]);
      expect(stdout).toContain(`Done. Now run: npx cdk destroy -c spec=${TWO_ENVIRONMENTS} shop-production-platform\n`);
      expect(stdout).not.toContain('holds the images');
    });

    test('the environment that holds the images says what its destroy takes from the others', () => {
      const tools = toolStubs('https://0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com');
      const { status, stdout } = cli(['teardown', '--spec', TWO_ENVIRONMENTS, '--environment', 'staging', '--yes'], { PATH: tools.path });
      expect(status).toBe(0);
      expect(stdout).toContain(
        'Note: staging holds the images of production. Its ECR repositories stay (they are retained, with their policies), ' +
          'but destroying its stacks removes the CI roles and the GitHub OIDC provider: releases stop until they are deployed again.\n',
      );
    });

    test('kubectl pointed elsewhere (here: no server at all) stops it with exit 1 before anything is deleted', () => {
      const tools = toolStubs();
      const { status, stderr } = cli(['teardown', '--spec', TWO_ENVIRONMENTS, '--environment', 'production', '--yes'], { PATH: tools.path });
      expect(status).toBe(1);
      expect(stderr).toContain('teardown stopped: step 1: (nothing) is not (nothing); kubectl is not pointed at shop-production');
      expect(tools.calls().some((c) => c.includes('delete'))).toBe(false);
    });
  });
});
