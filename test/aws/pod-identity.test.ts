import { Template } from 'aws-cdk-lib/assertions';
import { BUILT_IN_ADDONS } from '../../lib/addons/built-in';
import { GitOpsPlatform } from '../../lib/aws/gitops-platform';
import { ManifestRepository } from '../../lib/manifests/manifest-repository';
import { validateSpec } from '../../lib/model/validate';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { cdkApp, sandboxSpec } from '../fixtures';
import { resolveRole, templateExports, trustAdmits, trustAdmitsService } from '../support/iam-eval';
import { kustomizationDirs, kustomize, writeTree } from '../support/manifest-checks';

/**
 * EKS Pod Identity (EKS user guide, "Create IAM role with trust policy required by EKS Pod
 * Identity"): the role trusts pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession, scoped by
 * the session tags Pod Identity sets (aws:RequestTag/eks-cluster-arn, kubernetes-namespace,
 * kubernetes-service-account); an AWS::EKS::PodIdentityAssociation gives the role to the
 * ServiceAccount, which carries no annotation; the cluster runs the eks-pod-identity-agent add-on.
 */
function podIdentitySpec(): any {
  const spec = sandboxSpec();
  spec.workloadIdentity = 'pod-identity';
  spec.apps[0].migration.permissions = [{ actions: ['rds-db:connect'], resources: ['arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:db-ABC/app'] }];
  spec.apps.push({ ...spec.apps[0], name: 'admin', namespace: 'admin', host: 'admin.example.com', stack: 'group-a', secret: undefined, containers: [{ name: 'web', port: 8080 }], ingress: undefined, migration: { ...spec.apps[0].migration, secretEnv: undefined } });
  return spec;
}

const platform = Platform.resolve(PlatformSpecLoader.fromObject(podIdentitySpec()));
const gitops = new GitOpsPlatform(cdkApp(), 'p', { platform });
const platformJson = Template.fromStack(gitops.platformStack).toJSON();
const outputs = templateExports(platformJson, gitops.platformStack.stackName);
const stacks = [gitops.platformStack, ...gitops.appsStacks].map((stack) => ({ stack, json: Template.fromStack(stack).toJSON() }));
const CLUSTER_ARN = 'arn:aws:eks:ap-northeast-1:123456789012:cluster/sandbox';
const ACTIONS = ['sts:AssumeRole', 'sts:TagSession'];
const tags = (namespace: string, serviceAccount: string, cluster = CLUSTER_ARN) => ({
  'aws:RequestTag/eks-cluster-arn': cluster,
  'aws:RequestTag/kubernetes-namespace': namespace,
  'aws:RequestTag/kubernetes-service-account': serviceAccount,
});

/** Every role of the templates with a name, resolved, with the stack it is in. */
const roles = stacks.flatMap(({ stack, json }) =>
  Object.values<any>(json.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Role' && typeof r.Properties.RoleName === 'string')
    .map((r) => ({ stack, properties: resolveRole(r.Properties, json, outputs) })),
);
const associations = stacks.flatMap(({ stack, json }) =>
  Object.values<any>(json.Resources)
    .filter((r) => r.Type === 'AWS::EKS::PodIdentityAssociation')
    .map((r) => ({ stack, properties: resolveRole(r.Properties, json, outputs) })),
);

describe('EKS Pod Identity as the platform workload identity', () => {
  test('every Pod Identity role is assumable only by its association\'s namespace and ServiceAccount, on this cluster', () => {
    const podIdentity = platform.workloadRoles.concat(platform.apps.flatMap((a) => a.workloadRoles)).filter((r) => r.identity === 'pod-identity');
    expect(podIdentity.map((r) => r.roleName).sort()).toEqual([
      'sandbox-admin-external-dns',
      'sandbox-admin-migration',
      'sandbox-image-updater',
      'sandbox-main-external-dns',
      'sandbox-main-migration',
    ]);
    for (const role of podIdentity) {
      const created = roles.find((r) => r.properties.RoleName === role.roleName)!;
      const trust = created.properties.AssumeRolePolicyDocument;
      const boundTo = (p: any) => p.Namespace === role.namespace && p.ServiceAccount === role.serviceAccountName;
      const association = associations.find(({ properties }) => boundTo(properties));
      const bound = { role: role.roleName, associated: association !== undefined, sameStack: association?.stack === created.stack };
      expect(bound).toEqual({ role: role.roleName, associated: true, sameStack: true });
      expect(association!.properties.ClusterName).toMatch(/^(sandbox|<Cluster[0-9A-F]{8}>)$/);
      const who = { role: role.roleName };
      expect({ ...who, admits: trustAdmitsService(trust, 'pods.eks.amazonaws.com', ACTIONS, tags(role.namespace, role.serviceAccountName)) }).toEqual({ ...who, admits: true });
      expect({ ...who, otherSa: trustAdmitsService(trust, 'pods.eks.amazonaws.com', ACTIONS, tags(role.namespace, 'default')) }).toEqual({ ...who, otherSa: false });
      expect({ ...who, otherNs: trustAdmitsService(trust, 'pods.eks.amazonaws.com', ACTIONS, tags('other', role.serviceAccountName)) }).toEqual({ ...who, otherNs: false });
      const otherCluster = 'arn:aws:eks:ap-northeast-1:123456789012:cluster/other';
      expect({ ...who, otherCluster: trustAdmitsService(trust, 'pods.eks.amazonaws.com', ACTIONS, tags(role.namespace, role.serviceAccountName, otherCluster)) }).toEqual({ ...who, otherCluster: false });
      // No web identity: the cluster's OIDC provider cannot assume it.
      expect(trust.Statement.some((s: any) => s.Principal?.Federated)).toBe(false);
    }
  });

  test('External Secrets keeps IRSA: its SecretStores authenticate as a ServiceAccount of their namespace', () => {
    const eso = platform.apps[0].workloadRoles.find((r) => r.purpose === 'external-secrets')!;
    expect(eso.identity).toBe('irsa');
    const trust = roles.find((r) => r.properties.RoleName === eso.roleName)!.properties.AssumeRolePolicyDocument;
    const provider = trust.Statement[0].Principal.Federated;
    const issuer = provider.replace(/^.*:oidc-provider\//, '');
    expect(trustAdmits(trust, provider, { [`${issuer}:sub`]: eso.subject, [`${issuer}:aud`]: 'sts.amazonaws.com' })).toBe(true);
    expect(platform.manifestRepository.credentials!.reader.identity).toBe('irsa');
  });

  test('the cluster runs the eks-pod-identity-agent add-on', () => {
    const addons = Object.values<any>(platformJson.Resources).filter((r) => r.Type === 'AWS::EKS::Addon');
    expect(addons.map((a) => a.Properties.AddonName)).toEqual(['eks-pod-identity-agent']);
  });

  test('the application stack needs no reference to the platform stack for its Pod Identity roles', () => {
    const admin = stacks.find(({ stack }) => stack.stackName === 'sandbox-group-a')!.json;
    // Its one reference is the image signing key's ARN, in the CI role (the app signs and is
    // delivered by the Image Updater): nothing of the Pod Identity roles.
    const references = JSON.stringify(admin).match(/\{"Fn::GetStackOutput":\{[^}]*\}\}/g) ?? [];
    expect(references).toEqual([expect.stringContaining('ImageSigningKey')]);
    const ci = Object.values<any>(admin.Resources).find((r) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === 'sandbox-admin-ci');
    expect(JSON.stringify(ci)).toContain(references[0]);
    expect(Object.values<any>(admin.Resources).filter((r) => r.Type === 'AWS::EKS::PodIdentityAssociation').map((r) => r.Properties.ClusterName)).toEqual(['sandbox', 'sandbox']);
  });

  test('the manifests bind no ServiceAccount with an IRSA annotation but External Secrets\' ones', () => {
    const tree = writeTree(new ManifestRepository(platform).manifestFiles());
    const serviceAccounts = kustomizationDirs(tree)
      .flatMap((dir) => kustomize(tree, dir))
      .filter((o) => o.kind === 'ServiceAccount');
    const annotated = [...new Set(serviceAccounts.filter((sa) => sa.metadata.annotations?.['eks.amazonaws.com/role-arn']).map((sa) => sa.metadata.name))];
    expect(annotated.sort()).toEqual(['main-secrets-reader', 'sandbox-repository-reader']);
    for (const name of ['main-external-dns', 'admin-external-dns', 'main-migration', 'argocd-image-updater-controller']) {
      const sa = serviceAccounts.find((o) => o.metadata.name === name);
      expect({ name, annotation: sa?.metadata.annotations?.['eks.amazonaws.com/role-arn'] }).toEqual({ name, annotation: undefined });
    }
  });

  test('per add-on and per application: an override wins over the platform default', () => {
    const spec = sandboxSpec();
    spec.addons = { externalDns: { workloadIdentity: 'pod-identity' } };
    spec.apps[0].migration.permissions = [{ actions: ['rds-db:connect'], resources: ['arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:db-ABC/app'] }];
    const mixed = Platform.resolve(PlatformSpecLoader.fromObject(spec));
    expect(mixed.apps[0].externalDns.identity).toBe('pod-identity');
    expect(mixed.apps[0].migration!.role!.identity).toBe('irsa');
    expect(mixed.imageUpdater.identity).toBe('irsa');
    spec.apps[0].workloadIdentity = 'irsa';
    expect(Platform.resolve(PlatformSpecLoader.fromObject(spec)).apps[0].externalDns.identity).toBe('irsa');
  });

  test('asking External Secrets for Pod Identity is refused with the reason', () => {
    const spec = sandboxSpec();
    spec.addons = { externalSecrets: { workloadIdentity: 'pod-identity' } };
    expect(validateSpec(spec, BUILT_IN_ADDONS).map((p) => `${p.path}: ${p.message}`)).toEqual([
      "addons.externalSecrets.workloadIdentity: 'pod-identity' is not possible for external-secrets: External Secrets' per-namespace SecretStores authenticate as a ServiceAccount of their namespace (auth.jwt.serviceAccountRef), which EKS Pod Identity does not support; its roles keep IRSA",
    ]);
  });
});
