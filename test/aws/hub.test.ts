// The stacks of a platform whose environments share one Argo CD (examples/hub-and-spokes: staging's
// EKS managed Argo CD is the hub, production a spoke). What this relies on, from the EKS user guide:
// - "Register target clusters": the managed capability deploys to a remote cluster (another account
//   or region) once that cluster has an access entry for the capability's role with an access policy
//   associated, and a cluster Secret in the hub names the remote cluster by its ARN;
// - "Create access entries": an access entry names one existing IAM principal, and a STANDARD entry
//   may name a role of another account. Hence the fixed role name and the deploy order.
import { Template } from 'aws-cdk-lib/assertions';
import { PlatformCdkApp } from '../../lib/app/cdk-app';
import { MANAGED_ARGOCD_CLUSTER_POLICY } from '../../lib/aws/argocd-hub-access';
import { GitOpsPlatform } from '../../lib/aws/gitops-platform';
import { MANAGED_ARGOCD_ACCESS_POLICY } from '../../lib/aws/managed-argocd';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { cdkApp, repoPath } from '../fixtures';
import { environmentContext, resolveIntrinsics } from '../support/iam-eval';

const platforms = Platform.resolveEnvironments(PlatformSpecLoader.fromFile(repoPath('examples', 'hub-and-spokes', 'platform.yaml')));
const [staging, production] = platforms;
const app = cdkApp();
const [hub, spoke] = PlatformCdkApp.addEnvironments(app, { platforms, nag: false });
const assembly = app.synth();
const json = (gitops: GitOpsPlatform) => Template.fromStack(gitops.platformStack).toJSON();
const [hubJson, spokeJson] = [json(hub), json(spoke)];
const HUB_ROLE = 'arn:aws:iam::111111111111:role/shop-staging-argocd';
const HUB = 'arn:aws:eks:ap-northeast-1:111111111111:cluster/shop-staging';
const SPOKE = 'arn:aws:eks:ap-northeast-1:222222222222:cluster/shop-production';

const resourcesOf = (template: any, type: string) => Object.entries<any>(template.Resources).filter(([, r]) => r.Type === type);
/** The Kubernetes objects a stack applies (KubernetesManifest resources), with the logical id of each manifest. */
const appliedObjects = (template: any, context = environmentContext(staging.account, staging.region, staging.cluster.name)) =>
  resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesResource').flatMap(([id, r]) =>
    (JSON.parse(resolveIntrinsics(r.Properties.Manifest, template, {}, context)) as any[]).map((object) => ({
      id,
      object,
      dependsOn: [r.DependsOn ?? []].flat(),
    })),
  );

describe('the spoke: no Argo CD of its own, an access entry for the hub\'s role', () => {
  const context = environmentContext(production.account, production.region, production.cluster.name);

  test('the access entry names exactly the hub\'s capability role, STANDARD, scoped to the namespaces the platform deploys there', () => {
    const hubEntries = resourcesOf(spokeJson, 'AWS::EKS::AccessEntry').filter(([, r]) => resolveIntrinsics(r.Properties.PrincipalArn, spokeJson, {}, context) === HUB_ROLE);
    expect(hubEntries).toHaveLength(1);
    const [, entry] = hubEntries[0];
    const properties = resolveIntrinsics(entry.Properties, spokeJson, {}, context);
    expect(properties).toMatchObject({ PrincipalArn: HUB_ROLE, Type: 'STANDARD' });
    expect(spokeJson.Resources[entry.Properties.ClusterName.Ref]).toMatchObject({ Type: 'AWS::EKS::Cluster', Properties: { Name: 'shop-production' } });
    expect(properties.AccessPolicies).toEqual([
      { AccessScope: { Type: 'cluster' }, PolicyArn: `arn:aws:eks::aws:cluster-access-policy/${MANAGED_ARGOCD_CLUSTER_POLICY}` },
      { AccessScope: { Type: 'namespace', Namespaces: ['main'] }, PolicyArn: `arn:aws:eks::aws:cluster-access-policy/${MANAGED_ARGOCD_ACCESS_POLICY}` },
    ]);
    // The hub deploys here once what its Applications need is installed: External Secrets' CRDs.
    const externalSecrets = resourcesOf(spokeJson, 'Custom::AWSCDK-EKS-HelmChart').find(([, r]) => r.Properties.Chart === 'external-secrets')!;
    expect([entry.DependsOn].flat()).toContain(externalSecrets[0]);
  });

  test('no principal but the hub\'s role gets an access entry beyond the spec\'s admins', () => {
    const principals = resourcesOf(spokeJson, 'AWS::EKS::AccessEntry').map(([, r]) => resolveIntrinsics(r.Properties.PrincipalArn, spokeJson, {}, context));
    expect(principals.filter((p) => typeof p === 'string' && p.startsWith('arn:aws:iam::') && !p.endsWith(':role/platform-admin'))).toEqual([HUB_ROLE]);
  });

  test('no Argo CD: no capability, no chart, no Argo CD object applied, no repository credentials or reader role', () => {
    expect(resourcesOf(spokeJson, 'AWS::EKS::Capability')).toEqual([]);
    expect(resourcesOf(spokeJson, 'Custom::AWSCDK-EKS-HelmChart').map(([, r]) => r.Properties.Chart)).not.toContain('argo-cd');
    expect(appliedObjects(spokeJson, context).filter(({ object }) => object.apiVersion.startsWith('argoproj.io/'))).toEqual([]);
    expect(Object.keys(spokeJson.Outputs)).not.toEqual(expect.arrayContaining(['ManifestRepositorySecretName']));
    expect(Object.keys(spokeJson.Outputs).filter((o) => o.startsWith('RepositoryReader'))).toEqual([]);
    expect(spoke.platformStack.argocd).toBeUndefined();
    expect(spoke.platformStack.managedArgocd).toBeUndefined();
    expect(spoke.platformStack.hubAccess).toBeDefined();
  });
});

describe('the hub: one capability, every environment\'s bootstrap', () => {
  test('its capability role has the fixed name the spokes\' access entries name, and only the capability service may assume it', () => {
    const [, capability] = resourcesOf(hubJson, 'AWS::EKS::Capability')[0];
    const roleId = capability.Properties.RoleArn['Fn::GetAtt'][0];
    const role = hubJson.Resources[roleId];
    expect(role.Properties.RoleName).toBe('shop-staging-argocd');
    expect(`arn:aws:iam::${staging.account}:role/${role.Properties.RoleName}`).toBe(staging.argocd.hub!.role.roleArn);
    expect(role.Properties.AssumeRolePolicyDocument.Statement.map((s: any) => s.Principal)).toEqual([{ Service: 'capabilities.eks.amazonaws.com' }]);
    expect(resourcesOf(hubJson, 'AWS::EKS::Capability')).toHaveLength(1);
  });

  test('its cluster Secrets register its own cluster and each spoke by ARN; each spoke\'s project and root app are applied after its own bootstrap', () => {
    const objects = appliedObjects(hubJson);
    const secrets = objects.filter(({ object }) => object.kind === 'Secret' && object.metadata.labels?.['argocd.argoproj.io/secret-type'] === 'cluster');
    expect(secrets.map(({ object }) => [object.metadata.namespace, object.stringData.server])).toEqual([
      ['argocd', HUB],
      ['argocd', SPOKE],
    ]);
    const spokeRoot = objects.find(({ object }) => object.kind === 'Application' && object.metadata.name === 'shop-production-root')!;
    expect(spokeRoot.object.spec.destination).toEqual({ server: HUB, namespace: 'argocd' });
    expect(objects.find(({ object }) => object.kind === 'AppProject' && object.metadata.name === 'shop-production')).toBeDefined();
    const hubBootstrap = objects.find(({ object }) => object.kind === 'Application' && object.metadata.name === 'shop-staging-root')!;
    expect(spokeRoot.dependsOn).toContain(hubBootstrap.id);
    expect(Object.keys(hub.platformStack.spokeBootstraps)).toEqual(['production']);
  });

  test('a hub stack without its spokes is refused', () => {
    expect(() => new GitOpsPlatform(cdkApp(), staging.qualifiedName, { platform: staging })).toThrow(
      'GitOpsPlatformStack: shop-staging-platform is the hub (argocd.hub) of production, and spokes is empty; pass every other environment Platform.resolveEnvironments returns (GitOpsPlatform and PlatformCdkApp.addEnvironments do)',
    );
  });
});

describe('the deploy order', () => {
  test('the spoke\'s stack depends on the hub\'s: ordering only, nothing is referenced across the accounts', () => {
    const spokeArtifact = assembly.getStackByName('shop-production-platform');
    expect(spokeArtifact.dependencies.map((d) => d.id)).toContain('shop-staging-platform');
    expect(assembly.getStackByName('shop-staging-platform').dependencies.map((d) => d.id)).not.toContain('shop-production-platform');
    const text = JSON.stringify(spokeJson);
    for (const reference of ['Fn::ImportValue', 'Fn::GetStackOutput']) expect(text.includes(reference)).toBe(false);
  });

  test('without argocd.hub no environment depends on another', () => {
    const plain = Platform.resolveEnvironments(PlatformSpecLoader.fromFile(repoPath('examples', 'two-environments', 'platform.yaml')));
    const other = cdkApp();
    PlatformCdkApp.addEnvironments(other, { platforms: plain, nag: false });
    const synthesized = other.synth();
    const stackDependencies = (s: (typeof synthesized.stacks)[number]) => s.dependencies.map((d) => d.id).filter((id) => !id.endsWith('.assets'));
    expect(synthesized.stacks.map((s) => [s.stackName, stackDependencies(s)]).sort()).toEqual([
      ['shop-production-platform', []],
      ['shop-staging-platform', []],
    ]);
  });
});
