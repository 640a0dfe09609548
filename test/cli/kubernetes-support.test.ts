// `validate` and `synth` on a day fixed by CDK_EKS_GITOPS_TODAY: the warnings about a Kubernetes
// version in (or near) EKS extended support, and the refusal past it. The variable's effect on a
// process (a day that is no date; synth's warning among the constructs' on the process's standard
// error) is checked on processes; which day warns of what, through `main()` in this process, with
// the variable set here for the call (the support calendar reads the process's environment).
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { Outcome, runCli, runMain, STACK_TRACE } from './run-cli';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { repoPath, sandboxSpec } from '../fixtures';

function specFile(spec: unknown): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-support-'));
  const path = join(dir, 'platform.yaml');
  writeFileSync(path, stringify(spec));
  return { dir, path };
}

/** `cdk-eks-gitops validate <path>` through `main()`, with CDK_EKS_GITOPS_TODAY set to `day` for the call. */
async function validateOn(day: string, path: string): Promise<Outcome> {
  const before = process.env.CDK_EKS_GITOPS_TODAY;
  process.env.CDK_EKS_GITOPS_TODAY = day;
  try {
    return await runMain(['validate', path], { CDK_EKS_GITOPS_TODAY: day });
  } finally {
    if (before === undefined) delete process.env.CDK_EKS_GITOPS_TODAY;
    else process.env.CDK_EKS_GITOPS_TODAY = before;
  }
}

const EXTENDED_1_34 =
  'Kubernetes 1.34 is in EKS extended support since 2026-12-02, until 2027-12-02: the control plane costs $0.60 instead of $0.10 per cluster-hour. Upgrade cluster.version to 1.35 (one minor version per deploy).';

describe('cdk-eks-gitops validate and the EKS calendar', () => {
  test('1.34 on 2026-12-02: valid, with a warning on standard error naming the dates and the cost, before the others, in their format', async () => {
    const spec = sandboxSpec();
    spec.cluster.version = '1.34';
    delete spec.cluster.adminRoleArns;
    const { path } = specFile(spec);
    const result = await validateOn('2026-12-02', path);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')).toEqual([expect.stringMatching(/ is valid: platform sandbox /), '']);
    const warnings = result.stderr.split('\n');
    expect(warnings.slice(0, 2)).toEqual([
      `warning: cluster.version 1.34: ${EXTENDED_1_34}`,
      expect.stringMatching(/^warning: no cluster\.adminRoleArns: only the CloudFormation execution role /),
    ]);
    // Every line is a warning, and the placeholders of the example follow (github.ownerId, ...).
    expect(warnings.filter((line) => line !== '' && !line.startsWith('warning: '))).toEqual([]);
    expect(warnings).toContainEqual(expect.stringMatching(/^warning: github\.ownerId is '/));
  });

  test('1.35 warns from 2026-12-27 (90 days before 2027-03-27), not before', async () => {
    const { path } = specFile(sandboxSpec());
    expect((await validateOn('2026-12-26', path)).stderr).not.toContain('cluster.version');
    expect((await validateOn('2026-12-27', path)).stderr).toContain(
      'warning: cluster.version 1.35: Kubernetes 1.35 leaves EKS standard support on 2027-03-27 (in 90 days)',
    );
  });

  test('1.33 on 2027-07-29, past extended support: refused at cluster.version, exit 1', async () => {
    const spec = JSON.parse(JSON.stringify(PlatformSpecLoader.fromFile(repoPath('examples', 'managed-argocd', 'platform.yaml'))));
    spec.cluster.version = '1.33';
    const { path } = specFile(spec);
    const result = await validateOn('2027-07-29', path);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      "cluster.version: Kubernetes '1.33' is past EKS extended support (it ended on 2027-07-29; standard support on 2026-07-29): EKS creates no cluster on it and upgrades existing ones on its own. Use one of 1.34, 1.35, 1.36, one minor version per deploy",
    );
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });

  test('a CDK_EKS_GITOPS_TODAY that is no date: one line saying so, exit 1', () => {
    const result = runCli(['validate', repoPath('examples', 'sandbox', 'platform.yaml')], { env: { CDK_EKS_GITOPS_TODAY: '2026-13-01' } });
    expect(result).toMatchObject({ status: 1, stdout: '' });
    expect(result.stderr).toBe("CDK_EKS_GITOPS_TODAY='2026-13-01' is not a date: use YYYY-MM-DD, such as 2026-12-02, or leave it unset for the machine's clock\n");
  });
});

describe('cdk-eks-gitops synth and the EKS calendar', () => {
  test('1.34 on 2026-12-02: the stacks synthesize, and the warning is printed as the constructs\' others are', () => {
    const spec = sandboxSpec();
    spec.cluster.version = '1.34';
    const { dir, path } = specFile(spec);
    const result = runCli(['synth', '--spec', path, '--no-nag'], { cwd: dir, env: { CDK_EKS_GITOPS_TODAY: '2026-12-02' } });
    expect(result.status).toBe(0);
    // The only line on standard error; addWarningV2 ends the message with the id that acknowledges it.
    expect(result.stderr.split('\n')).toEqual([`warning: sandbox-platform/Cluster: Cluster sandbox: ${EXTENDED_1_34} [ack: cdk-eks-gitops:kubernetesSupport]`, '']);
    expect(result.stdout).not.toContain('warning');
  });
});
