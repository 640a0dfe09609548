import { BUILT_IN_ADDONS } from '../../lib/addons/built-in';
import { validateSpec } from '../../lib/model/validate';
import { AUTO_MODE_DOCS } from '../../lib/model/validate/compute';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { repoPath, sandboxSpec, twoEnvironmentsSpec } from '../fixtures';

/*
 * The rules of cluster.compute (lib/model/validate/compute.ts). The Auto Mode facts are the EKS user
 * guide's, "Create an IngressClass to configure an Application Load Balancer"
 * (https://docs.aws.amazon.com/eks/latest/userguide/auto-configure-alb.html): an ALB group is given in
 * the IngressClassParams only (the group.name annotation is "Not supported"), with its scheme and its
 * `certificateARNs`; and the load balancer controller's "Certificate Discovery" guide: certificates
 * are found by host name only where neither IngressClassParams nor the Ingress names one.
 */

const problemsOf = (spec: any) => validateSpec(spec, BUILT_IN_ADDONS).map((p) => `${p.path}: ${p.message}`);

/** The sandbox on Auto Mode, changed by `mutate`. */
function autoMode(mutate: (spec: any) => void = () => {}): any {
  const spec = sandboxSpec();
  delete spec.cluster.nodes;
  spec.cluster.compute = { mode: 'auto-mode' };
  mutate(spec);
  return spec;
}

/** A second app of the sandbox, in the same ALB group. */
function secondApp(spec: any, ingress: object): any {
  const app = structuredClone(spec.apps[0]);
  return { ...app, name: 'shop', namespace: 'shop', host: 'shop.example.com', ci: { ...app.ci, repository: 'shop-app', repositoryId: '200000002' }, ingress: { ...app.ingress, ...ingress } };
}

describe('cluster.compute', () => {
  test('absent, or managed-node-group, is the managed node group of today: same resolution', () => {
    const spec = sandboxSpec();
    const explicit = { ...spec, cluster: { ...spec.cluster, compute: { mode: 'managed-node-group' } } };
    expect(Platform.resolve(PlatformSpecLoader.fromObject(explicit))).toEqual(Platform.resolve(PlatformSpecLoader.fromObject(spec)));
    expect(Platform.resolve(PlatformSpecLoader.fromObject(spec)).cluster.compute).toBe('managed-node-group');
  });

  test('another mode is refused by the schema, naming the modes', () => {
    expect(problemsOf(autoMode((s) => (s.cluster.compute.mode = 'fargate')))).toEqual([
      "cluster.compute.mode: 'fargate' is not allowed; use one of managed-node-group, auto-mode, karpenter",
    ]);
  });

  test('examples/auto-mode and the sandbox on Auto Mode are valid', () => {
    expect(problemsOf(PlatformSpecLoader.fromFile(repoPath('examples', 'auto-mode', 'platform.yaml')))).toEqual([]);
    expect(problemsOf(autoMode())).toEqual([]);
  });
});

describe('EKS Auto Mode refuses what it cannot do', () => {
  test('a managed node group to size', () => {
    expect(problemsOf(autoMode((s) => (s.cluster.nodes = { minSize: 3 })))).toEqual([
      "cluster.nodes: describes the managed node group, and cluster.compute.mode is 'auto-mode': EKS Auto Mode chooses, launches and scales the nodes itself; remove cluster.nodes or use mode 'managed-node-group'",
    ]);
  });

  test("the load balancer controller's settings: it is not installed", () => {
    expect(problemsOf(autoMode((s) => {
      s.cluster.controllers = { loadBalancerController: { memoryLimit: '1Gi' } };
      s.addons = { loadBalancerController: { workloadIdentity: 'irsa' } };
    }))).toEqual([
      "cluster.controllers.loadBalancerController: sizes the AWS Load Balancer Controller, which is not installed when cluster.compute.mode is 'auto-mode' (EKS Auto Mode runs load balancing itself); remove it",
      "addons.loadBalancerController: configures the AWS Load Balancer Controller, which is not installed when cluster.compute.mode is 'auto-mode'; remove it",
    ]);
  });

  test(`an ALB group where only some apps give a certificate (${AUTO_MODE_DOCS.ingressClass.url})`, () => {
    const certificate = 'arn:aws:acm:ap-northeast-1:123456789012:certificate/aaaa';
    const problems = problemsOf(autoMode((s) => s.apps.push(secondApp(s, { certificateArn: certificate }))));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^apps\[0\]\.ingress\.certificateArn: is not given, and apps\[1\] of the same ALB group 'sandbox' gives one: /);
    expect(problems[0]).toContain(`EKS user guide, "${AUTO_MODE_DOCS.ingressClass.title}"`);
    expect(problems[0]).toContain('sandbox.example.com would be served another host');
    // Every app with one, none with one, or the certificate-less app in a group of its own: accepted.
    expect(problemsOf(autoMode((s) => {
      s.apps[0].ingress.certificateArn = certificate;
      s.apps.push(secondApp(s, { certificateArn: 'arn:aws:acm:ap-northeast-1:123456789012:certificate/bbbb' }));
    }))).toEqual([]);
    expect(problemsOf(autoMode((s) => s.apps.push(secondApp(s, {}))))).toEqual([]);
    expect(problemsOf(autoMode((s) => s.apps.push(secondApp(s, { certificateArn: certificate, groupName: 'shop' }))))).toEqual([]);
  });

  test('the same spec with a managed node group is accepted: the controller merges each Ingress\'s certificate and finds the rest by host', () => {
    const spec = sandboxSpec();
    spec.apps.push(secondApp(spec, { certificateArn: 'arn:aws:acm:ap-northeast-1:123456789012:certificate/aaaa' }));
    expect(problemsOf(spec)).toEqual([]);
  });

  test("an environment on Auto Mode is checked as it resolves: the spec's node group is refused there, by name", () => {
    const spec = twoEnvironmentsSpec();
    spec.cluster = { ...spec.cluster, nodes: { instanceTypes: ['t3.large'] } };
    spec.environments[1].cluster.compute = { mode: 'auto-mode' };
    expect(problemsOf(spec)).toEqual([expect.stringMatching(/^cluster\.nodes: describes the managed node group, .*\(in environment 'production'\)$/)]);
    delete spec.cluster.nodes;
    // staging's own node group stays its own: production alone is on Auto Mode.
    expect(problemsOf(spec)).toEqual([]);
    const [staging, production] = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec));
    expect([staging.cluster.compute, production.cluster.compute]).toEqual(['managed-node-group', 'auto-mode']);
    expect(production.cluster.nodeRoleName).toBe('shop-production-nodes');
  });
});
