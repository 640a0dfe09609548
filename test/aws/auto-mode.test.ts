import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AUTO_MODE_ALB_CONTROLLER, autoModeIngressClassObjects } from '../../lib/aws/auto-mode-ingress-classes';
import { GitOpsCluster } from '../../lib/aws/gitops-cluster';
import { GitOpsPlatform } from '../../lib/aws/gitops-platform';
import { ManifestRepository } from '../../lib/manifests/manifest-repository';
import type { ResolvedPlatform } from '../../lib/model/resolved';
import { ComputeMode } from '../../lib/model/types';
import { teardownSteps } from '../../lib/ops/teardown';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { cdkApp, repoPath, sandboxSpec, twoEnvironmentsSpec } from '../fixtures';
import { kustomizationDirs, kustomize, schemaErrors, wholeObjects, writeTree } from '../support/manifest-checks';

/*
 * EKS Auto Mode (`cluster.compute.mode: auto-mode`). The upstream facts are the EKS user guide's
 * (sources in awsdocs/amazon-eks-user-guide, latest/ug/automode/, read 2026-12-03):
 * - "Create an IngressClass to configure an Application Load Balancer": IngressClass controller
 *   `eks.amazonaws.com/alb`, `IngressClassParams` of `eks.amazonaws.com/v1` with `scheme`,
 *   `group.name` and `certificateARNs`; `alb.ingress.kubernetes.io/group.name` "Not supported:
 *   Specify groups in IngressClass only".
 * - "Amazon EKS Auto Mode node IAM role": AmazonEKSWorkerNodeMinimalPolicy and
 *   AmazonEC2ContainerRegistryPullOnly; EKS gives the role its access entry ("Learn about identity
 *   and access in EKS Auto Mode").
 * - "Automate cluster infrastructure with EKS Auto Mode": no EKS Pod Identity Agent to install.
 * - "Delete a cluster": deleting an Auto Mode cluster deletes its nodes and load balancers.
 */

const example = (): ResolvedPlatform => Platform.resolve(PlatformSpecLoader.fromFile(repoPath('examples', 'auto-mode', 'platform.yaml')));
const platform = example();
const gitops = new GitOpsPlatform(cdkApp(), 'sandbox', { platform });
const template = Template.fromStack(gitops.platformStack);
const json = template.toJSON();
const resources = Object.entries<any>(json.Resources);
const ofType = (type: string) => resources.filter(([, r]) => r.Type === type);

/** The sandbox spec on Auto Mode (without its node group), changed by `mutate`. */
function autoModeSpec(mutate: (spec: any) => void = () => {}): any {
  const spec = sandboxSpec();
  delete spec.cluster.nodes;
  spec.cluster.compute = { mode: 'auto-mode' };
  mutate(spec);
  return spec;
}

/** The managed policy names of a role's resolved properties. */
const managedPolicies = (role: any) => role.Properties.ManagedPolicyArns.map((arn: any) => JSON.stringify(arn).match(/policy\/(\w+)/)![1]).sort();

describe('the cluster on EKS Auto Mode (examples/auto-mode)', () => {
  test("turns on Auto Mode's compute (both built-in node pools), block storage and load balancing, without the self-managed add-ons", () => {
    const [[, cluster]] = ofType('AWS::EKS::Cluster');
    expect(cluster.Properties.ComputeConfig).toEqual({ Enabled: true, NodePools: ['system', 'general-purpose'], NodeRoleArn: expect.anything() });
    expect(cluster.Properties.StorageConfig).toEqual({ BlockStorage: { Enabled: true } });
    expect(cluster.Properties.KubernetesNetworkConfig.ElasticLoadBalancing).toEqual({ Enabled: true });
    expect(cluster.Properties.BootstrapSelfManagedAddons).toBe(false);
  });

  test('launches nodes with a role of exactly the two policies of the Auto Mode node role', () => {
    const [[, cluster]] = ofType('AWS::EKS::Cluster');
    const roleId = cluster.Properties.ComputeConfig.NodeRoleArn['Fn::GetAtt'][0];
    const role = json.Resources[roleId];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' } },
    ]);
    expect(managedPolicies(role)).toEqual(['AmazonEC2ContainerRegistryPullOnly', 'AmazonEKSWorkerNodeMinimalPolicy']);
    // EKS creates the node role's access entry itself; the stack adds none for it.
    const entries = ofType('AWS::EKS::AccessEntry').map(([, r]) => JSON.stringify(r.Properties.PrincipalArn));
    expect(entries.some((arn) => arn.includes(roleId))).toBe(false);
  });

  test('gives the cluster role the Auto Mode policies besides AmazonEKSClusterPolicy, and sts:TagSession', () => {
    const [[, cluster]] = ofType('AWS::EKS::Cluster');
    const role = json.Resources[cluster.Properties.RoleArn['Fn::GetAtt'][0]];
    expect(managedPolicies(role)).toEqual(
      ['AmazonEKSBlockStoragePolicy', 'AmazonEKSClusterPolicy', 'AmazonEKSComputePolicy', 'AmazonEKSLoadBalancingPolicy', 'AmazonEKSNetworkingPolicy'].sort(),
    );
    expect(role.Properties.AssumeRolePolicyDocument.Statement.flatMap((s: any) => [s.Action].flat())).toEqual(expect.arrayContaining(['sts:AssumeRole', 'sts:TagSession']));
  });

  test('has no node group and installs no load balancer controller (no chart, no CRDs, no role)', () => {
    template.resourceCountIs('AWS::EKS::Nodegroup', 0);
    const charts = ofType('Custom::AWSCDK-EKS-HelmChart').map(([, r]) => r.Properties.Chart);
    expect(charts).not.toContain('aws-load-balancer-controller');
    expect(charts.length).toBeGreaterThan(0);
    const manifests = JSON.stringify(ofType('Custom::AWSCDK-EKS-KubernetesResource'));
    expect(manifests).not.toContain('elbv2.k8s.aws');
    expect(platform.addons.map((a) => a.addon.name)).not.toContain('aws-load-balancer-controller');
  });

  test('applies, before the Argo CD bootstrap, one IngressClass of controller eks.amazonaws.com/alb per ALB group with its IngressClassParams', () => {
    const [[classesId, classes]] = ofType('Custom::AWSCDK-EKS-KubernetesResource').filter(([id]) => id.startsWith('IngressClasses'));
    const applied = JSON.parse(classes.Properties.Manifest);
    // aws-eks-v2's prune label: a group that leaves the spec has its class deleted on the next deploy.
    for (const o of applied) expect(Object.keys(o.metadata.labels)).toEqual([expect.stringMatching(/^aws\.cdk\.eks\/prune-/)]);
    const objects = applied.map(({ metadata: { labels: _labels, ...metadata }, ...o }: any) => ({ ...o, metadata }));
    expect(objects).toEqual([
      {
        apiVersion: 'eks.amazonaws.com/v1',
        kind: 'IngressClassParams',
        metadata: { name: 'alb-sandbox' },
        spec: { scheme: 'internet-facing', group: { name: 'sandbox' } },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IngressClass',
        metadata: { name: 'alb-sandbox' },
        spec: { controller: AUTO_MODE_ALB_CONTROLLER, parameters: { apiGroup: 'eks.amazonaws.com', kind: 'IngressClassParams', name: 'alb-sandbox' } },
      },
    ]);
    expect(schemaErrors(objects.filter((o: any) => o.kind === 'IngressClass'))).toEqual([]);
    const [bootstrapId] = resources.find(([id]) => /^ClusterArgoCdBootstrap[0-9A-F]{8}$/.test(id))!;
    expect([json.Resources[bootstrapId].DependsOn].flat()).toContain(classesId);
  });

  test('an ALB group of several apps is one class: the scheme, and every certificate of the group, in the order of the apps', () => {
    const spec = autoModeSpec((s) => {
      s.apps[0].ingress.certificateArn = 'arn:aws:acm:ap-northeast-1:123456789012:certificate/aaaa';
      s.apps.push({ ...structuredClone(s.apps[0]), name: 'shop', namespace: 'shop', host: 'shop.example.com', ci: { ...s.apps[0].ci, repository: 'shop-app', repositoryId: '200000002' } });
      s.apps[1].ingress = { ...s.apps[1].ingress, certificateArn: 'arn:aws:acm:ap-northeast-1:123456789012:certificate/bbbb' };
      s.apps.push({ ...structuredClone(s.apps[0]), name: 'admin', namespace: 'admin', host: 'admin.example.com', ci: { ...s.apps[0].ci, repository: 'admin-app', repositoryId: '200000003' } });
      s.apps[2].ingress = { ...s.apps[2].ingress, internetFacing: false, certificateArn: undefined };
    });
    const resolved = Platform.resolve(PlatformSpecLoader.fromObject(spec));
    expect(autoModeIngressClassObjects(resolved.ingressClasses).filter((o) => o.kind === 'IngressClassParams').map((o) => [o.metadata.name, o.spec])).toEqual([
      ['alb-sandbox', { scheme: 'internet-facing', group: { name: 'sandbox' }, certificateARNs: ['arn:aws:acm:ap-northeast-1:123456789012:certificate/aaaa', 'arn:aws:acm:ap-northeast-1:123456789012:certificate/bbbb'] }],
      ['alb-sandbox-internal', { scheme: 'internal', group: { name: 'sandbox-internal' } }],
    ]);
    expect(resolved.apps.map((a) => a.ingress.className)).toEqual(['alb-sandbox', 'alb-sandbox', 'alb-sandbox-internal']);
  });

  test('in an environment that pulls from another account\'s registry, the Auto Mode node role has the name the repository policies admit', () => {
    const spec = twoEnvironmentsSpec();
    // Production on Auto Mode: the spec's node group is staging's alone.
    spec.environments[0].cluster.nodes = { ...spec.cluster.nodes, ...spec.environments[0].cluster.nodes };
    delete spec.cluster.nodes;
    spec.environments[1].cluster = { ...spec.environments[1].cluster, compute: { mode: 'auto-mode' } };
    const [staging, production] = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec));
    expect(staging.images.pullers.map((p) => p.pullRoleArns)).toEqual([['arn:aws:iam::222222222222:role/shop-production-nodes']]);
    const t = new GitOpsPlatform(cdkApp(), production.qualifiedName, { platform: production, spokes: [staging] }).platformStack;
    const [role] = Object.values<any>(Template.fromStack(t).findResources('AWS::IAM::Role', { Properties: { RoleName: 'shop-production-nodes' } }));
    expect(managedPolicies(role)).toEqual(['AmazonEC2ContainerRegistryPullOnly', 'AmazonEKSWorkerNodeMinimalPolicy']);
  });

  test('Pod Identity roles get their associations and no eks-pod-identity-agent add-on: Auto Mode nodes run the agent', () => {
    const resolved = Platform.resolve(PlatformSpecLoader.fromObject(autoModeSpec((s) => (s.workloadIdentity = 'pod-identity'))));
    const stack = new GitOpsPlatform(cdkApp(), 'sandbox', { platform: resolved }).platformStack;
    const t = Template.fromStack(stack);
    expect(resolved.usesPodIdentity).toBe(true);
    t.resourceCountIs('AWS::EKS::Addon', 0);
    expect(Object.keys(t.findResources('AWS::EKS::PodIdentityAssociation')).length).toBeGreaterThan(0);
  });
});

describe('the manifest tree on EKS Auto Mode', () => {
  const files = ManifestRepository.forEnvironments([platform]).manifestFiles();

  test("the Ingress names its group's class and leaves the group, scheme and certificate to the class's parameters", () => {
    const spec = autoModeSpec((s) => (s.apps[0].ingress.certificateArn = 'arn:aws:acm:ap-northeast-1:123456789012:certificate/aaaa'));
    const withCertificate = ManifestRepository.forEnvironments([Platform.resolve(PlatformSpecLoader.fromObject(spec))]).manifestFiles();
    for (const tree of [files, withCertificate]) {
      const [ingress] = wholeObjects(tree).filter((o) => o.kind === 'Ingress');
      expect(ingress.spec.ingressClassName).toBe('alb-sandbox');
      const annotations = Object.keys(ingress.metadata.annotations);
      // "Not supported" in Auto Mode's table of Ingress annotations, or carried by IngressClassParams.
      for (const key of ['group.name', 'scheme', 'certificate-arn', 'waf-acl-id', 'web-acl-id', 'shield-advanced-protection', 'auth-type']) {
        expect(annotations).not.toContain(`alb.ingress.kubernetes.io/${key}`);
      }
      expect(ingress.metadata.annotations).toEqual(expect.objectContaining({ 'alb.ingress.kubernetes.io/target-type': 'ip', 'alb.ingress.kubernetes.io/healthcheck-path': '/health_check' }));
    }
  });

  test('every object validates strictly and every kustomization builds', () => {
    expect(schemaErrors(wholeObjects(files))).toEqual([]);
    const tree = writeTree(files);
    const dirs = kustomizationDirs(tree);
    expect(dirs.length).toBeGreaterThan(3);
    for (const dir of dirs) expect({ dir, built: kustomize(tree, dir).length > 0 }).toEqual({ dir, built: true });
  });

  test('the sandbox, without cluster.compute, keeps the class alb and its annotations', () => {
    const [ingress] = wholeObjects(ManifestRepository.forEnvironments([Platform.resolve(PlatformSpecLoader.fromObject(sandboxSpec()))]).manifestFiles()).filter((o) => o.kind === 'Ingress');
    expect(ingress.spec.ingressClassName).toBe('alb');
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/group.name']).toBe('sandbox');
  });
});

describe('the teardown on EKS Auto Mode', () => {
  test("deletes the Ingresses first, saying Auto Mode's load balancing removes the ALBs; the nodes go with the cluster", () => {
    const steps = teardownSteps(platform);
    const ingress = steps.findIndex((s) => s.command.includes('ingress'));
    expect(steps[ingress].description).toBe("Delete the Ingresses of main; EKS Auto Mode's load balancing removes the ALB and its security groups first");
    expect(ingress).toBeLessThan(steps.findIndex((s) => s.description.startsWith('Delete the child Applications')));
  });
});

describe('GitOpsCluster with compute AUTO_MODE, on its own', () => {
  test('refuses node group props and the load balancer controller, naming them', () => {
    const stack = () => new Stack(new App(), 'team', { env: { account: '123456789012', region: 'eu-west-1' } });
    expect(() => new GitOpsCluster(stack(), 'Eks', { clusterName: 'team', compute: ComputeMode.AUTO_MODE, minSize: 3, instanceTypes: ['m5.large'] })).toThrow(
      'GitOpsCluster team: instanceTypes, minSize describe the managed node group, and with compute AUTO_MODE EKS Auto Mode chooses and scales the nodes; remove them',
    );
    expect(() => new GitOpsCluster(stack(), 'Eks', { clusterName: 'team', compute: ComputeMode.AUTO_MODE, loadBalancerController: true })).toThrow(/loadBalancerController is true/);
  });

  test('has no node group; what waits for nodes waits for the cluster', () => {
    const cluster = new GitOpsCluster(new Stack(cdkApp(), 'team', { env: { account: '123456789012', region: 'eu-west-1' } }), 'Eks', { clusterName: 'team', compute: ComputeMode.AUTO_MODE });
    expect(cluster.nodegroup).toBeUndefined();
    expect(cluster.loadBalancerController).toBeUndefined();
    expect(cluster.nodes).toBe(cluster.cluster.node.defaultChild);
  });
});
