import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runTeardown, teardownSteps } from '../../lib/ops/teardown';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { repoPath, sandboxSpec } from '../fixtures';

const SANDBOX_ENDPOINT = 'https://00112233445566778899AABBCCDDEEFF.gr7.ap-northeast-1.eks.amazonaws.com';

/**
 * Stand-ins for kubectl and aws (no cluster and no AWS here): each records its arguments; kubectl's
 * context and EKS both name `SANDBOX_ENDPOINT`; `aws` reports the host's records for its first
 * `RECORDS_FOR` route53 calls, as ExternalDNS removes them a minute or so after the Ingress is gone;
 * `kubectl` fails for the commands `FAIL_ON` names.
 */
function stubs(env: { RECORDS_FOR?: string; FAIL_ON?: string } = {}) {
  const bin = mkdtempSync(join(tmpdir(), 'teardown-bin-'));
  const log = join(bin, 'calls.log');
  writeFileSync(log, '');
  const write = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/usr/bin/env bash\necho "${name} $*" >> "${log}"\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  write('kubectl', [
    `case "$*" in *"${env.FAIL_ON ?? '(none)'}"*) printf 'E1202 memcache.go:265] first attempt\\nError from server (Forbidden)\\n' >&2; exit 1;; esac`,
    `case "$*" in *"config view"*) printf '%s' '${SANDBOX_ENDPOINT}';; esac`,
  ].join('\n'));
  write('aws', [
    `case "$*" in *"describe-cluster"*) echo '${SANDBOX_ENDPOINT}'; exit 0;; esac`,
    `n=$(grep -c '^aws route53' "${log}"); if [ "$n" -le "${env.RECORDS_FOR ?? 0}" ]; then echo "A	TXT"; fi`,
  ].join('\n'));
  const calls = () => readFileSync(log, 'utf8').trim().split('\n');
  return { tools: { kubectl: [join(bin, 'kubectl')], aws: [join(bin, 'aws')] }, calls };
}

const platform = Platform.resolve(PlatformSpecLoader.fromObject(sandboxSpec()));

describe('teardown', () => {
  test('deletes in the order that leaves nothing behind: root, sync off, Ingresses, DNS records, then the Applications', () => {
    const s = stubs({ RECORDS_FOR: '2' });
    expect(runTeardown(teardownSteps(platform, s.tools), { log: () => undefined, pollMilliseconds: 1 })).toBeUndefined();
    const calls = s.calls();
    expect(calls).toEqual([
      // First, before anything is deleted: kubectl's context is this cluster, and kubectl reaches it.
      'kubectl config view --minify -o jsonpath={.clusters[0].cluster.server}',
      'aws eks describe-cluster --name sandbox --region ap-northeast-1 --query cluster.endpoint --output text',
      'kubectl get --raw /version',
      'kubectl delete application sandbox-root -n argocd --ignore-not-found --wait=true',
      ...['argocd-image-updater', 'main-secrets', 'main'].map(
        (name) => `kubectl patch application ${name} -n argocd --type merge -p {"spec":{"syncPolicy":{"automated":null}}}`,
      ),
      // The load balancer controller's finalizer on the Ingress removes the ALB and its security
      // groups before the Ingress goes, so --wait returns only once they are gone.
      'kubectl delete ingress --all -n main --ignore-not-found --wait=true --timeout=15m',
      // Polled until ExternalDNS (--policy=sync, still running) has removed the host's records.
      ...Array(3).fill("aws route53 list-resource-record-sets --hosted-zone-id Z0123456789ABCDEFGHIJ --query ResourceRecordSets[?Name == 'sandbox.example.com.'].Type --output text"),
      'kubectl delete application argocd-image-updater main-secrets main -n argocd --ignore-not-found --wait=true --timeout=15m',
    ]);
  });

  test("with previews, they go first: the ApplicationSet in the foreground (after every preview Application), then the preview hosts' records", () => {
    const previews = Platform.resolve(PlatformSpecLoader.fromFile(repoPath('examples', 'previews', 'platform.yaml')));
    const s = stubs({ RECORDS_FOR: '1' });
    expect(runTeardown(teardownSteps(previews, s.tools), { log: () => undefined, pollMilliseconds: 1 })).toBeUndefined();
    const calls = s.calls();
    const previewRecords =
      "aws route53 list-resource-record-sets --hosted-zone-id Z0123456789ABCDEFGHIJ --query ResourceRecordSets[?starts_with(Name, 'pr-') && ends_with(Name, '.sandbox.example.com.')].Type --output text";
    const order = [
      'kubectl patch application main-previews -n argocd --type merge -p {"spec":{"syncPolicy":{"automated":null}}}',
      // Foreground: the ApplicationSet goes only after its Applications, each after its resources finalizer.
      'kubectl delete applicationset main-previews -n argocd --ignore-not-found --cascade=foreground --wait=true --timeout=15m',
      previewRecords,
      'kubectl delete ingress --all -n main --ignore-not-found --wait=true --timeout=15m',
    ].map((call) => calls.indexOf(call));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Polled until the records are gone: reported once, then empty.
    expect(calls.filter((c) => c === previewRecords)).toHaveLength(2);
    expect(calls[calls.length - 1]).toContain('kubectl delete application main-secrets main-previews main -n argocd');
  });

  test('a failing step stops the teardown with its message; turning off a sync that is gone already does not', () => {
    const s = stubs({ FAIL_ON: 'delete ingress' });
    const failure = runTeardown(teardownSteps(platform, s.tools), { log: () => undefined, pollMilliseconds: 1 });
    // One line: the command's last word on it.
    expect(failure).toBe('step 7 failed (exit 1): Error from server (Forbidden)');
    expect(s.calls().some((c) => c.includes('delete application argocd-image-updater'))).toBe(false);
  });

  test('a dry run prints every command and runs none', () => {
    const s = stubs();
    const lines: string[] = [];
    expect(runTeardown(teardownSteps(platform, s.tools), { dryRun: true, log: (l) => lines.push(l) })).toBeUndefined();
    expect(s.calls()).toEqual(['']);
    expect(lines).toHaveLength(9);
    expect(lines[7]).toContain("--query 'ResourceRecordSets[?Name == '\\''sandbox.example.com.'\\''].Type'");
  });
});

describe('teardown of one environment among several', () => {
  const [, production] = Platform.resolveEnvironments(PlatformSpecLoader.fromFile(repoPath('examples', 'two-environments', 'platform.yaml')));
  const ENDPOINT = 'https://0123456789ABCDEF0123456789ABCDEF.gr7.ap-northeast-1.eks.amazonaws.com';

  /** kubectl reports `server` as its context's API server, aws reports `endpoint` as the cluster's; both record their calls. */
  function clusterStubs(server: string, endpoint: string) {
    const bin = mkdtempSync(join(tmpdir(), 'teardown-env-bin-'));
    const log = join(bin, 'calls.log');
    writeFileSync(log, '');
    const write = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/usr/bin/env bash\necho "${name} $*" >> "${log}"\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    write('kubectl', `case "$*" in *"config view"*) printf '%s' '${server}';; esac`);
    write('aws', `case "$*" in *"describe-cluster"*) echo '${endpoint}';; esac`);
    return { tools: { kubectl: [join(bin, 'kubectl'), '--context', 'shop-production'], aws: [join(bin, 'aws')] }, calls: () => readFileSync(log, 'utf8').trim().split('\n') };
  }

  test("first checks that kubectl's context is the environment's cluster: its API server is the endpoint EKS reports", () => {
    const s = clusterStubs(ENDPOINT, ENDPOINT);
    expect(runTeardown(teardownSteps(production, s.tools), { log: () => undefined, pollMilliseconds: 1 })).toBeUndefined();
    const calls = s.calls();
    expect(calls.slice(0, 4)).toEqual([
      'kubectl --context shop-production config view --minify -o jsonpath={.clusters[0].cluster.server}',
      'aws eks describe-cluster --name shop-production --region ap-northeast-1 --query cluster.endpoint --output text',
      'kubectl --context shop-production get --raw /version',
      'kubectl --context shop-production delete application shop-production-root -n argocd --ignore-not-found --wait=true',
    ]);
    // The environment's own names: its root, its Applications.
    expect(calls[calls.length - 1]).toBe(
      'kubectl --context shop-production delete application main-production-secrets main-production -n argocd --ignore-not-found --wait=true --timeout=15m',
    );
  });

  test('another cluster, or no context at all, stops the teardown before anything is deleted, saying how to point kubectl at the right one', () => {
    for (const server of ['https://FEDCBA9876543210FEDCBA9876543210.gr7.ap-northeast-1.eks.amazonaws.com', '']) {
      const s = clusterStubs(server, ENDPOINT);
      const failure = runTeardown(teardownSteps(production, s.tools), { log: () => undefined, pollMilliseconds: 1 });
      expect(failure).toBe(
        `step 1: ${server ? `'${server}'` : '(nothing)'} is not '${ENDPOINT}'; kubectl is not pointed at shop-production: ` +
          "run 'aws eks update-kubeconfig --name shop-production --region ap-northeast-1 --alias shop-production' with credentials of account 222222222222, " +
          'then give --context shop-production (and --profile for that account). Nothing was deleted',
      );
      expect(s.calls()).toHaveLength(2);
    }
  });

  test('a platform of one environment is checked the same way: two single-environment specs with the same apps must not take each other down', () => {
    const s = stubs();
    const other = 'https://FEDCBA9876543210FEDCBA9876543210.gr7.ap-northeast-1.eks.amazonaws.com';
    const steps = teardownSteps(platform, { ...s.tools, aws: ['bash', '-c', `echo '${other}'`, 'aws'] });
    expect(runTeardown(steps, { log: () => undefined })).toBe(
      `step 1: '${SANDBOX_ENDPOINT}' is not '${other}'; kubectl is not pointed at sandbox: ` +
        "run 'aws eks update-kubeconfig --name sandbox --region ap-northeast-1 --alias sandbox' with credentials of account 123456789012, " +
        'then give --context sandbox (and --profile for that account). Nothing was deleted',
    );
    expect(s.calls().some((c) => c.includes('delete'))).toBe(false);
  });

  test('kubectl that cannot reach the API server stops it in one line before anything is deleted', () => {
    const s = stubs({ FAIL_ON: 'get --raw /version' });
    expect(runTeardown(teardownSteps(platform, s.tools), { log: () => undefined })).toBe(
      "step 2 failed (exit 1): Error from server (Forbidden); kubectl cannot reach sandbox's API server with its credentials: " +
        "check the network path to the endpoint and 'aws eks update-kubeconfig --name sandbox --region ap-northeast-1 --alias sandbox'. Nothing was deleted",
    );
    expect(s.calls().some((c) => c.includes('delete'))).toBe(false);
  });

  test('no aws CLI: one line saying so, before anything is deleted', () => {
    const s = stubs();
    const missing = join(tmpdir(), 'no-such-dir', 'aws');
    expect(runTeardown(teardownSteps(platform, { ...s.tools, aws: [missing] }), { log: () => undefined })).toBe(
      `${missing} is not installed (not found on the PATH): install it, then run the teardown again. Nothing was deleted`,
    );
    expect(s.calls().some((c) => c.includes('delete'))).toBe(false);
  });
});
