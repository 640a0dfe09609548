import { Template } from 'aws-cdk-lib/assertions';
import { BUILT_IN_ADDONS } from '../../lib/addons/built-in';
import { GitOpsPlatform } from '../../lib/aws/gitops-platform';
import { ManifestRepository } from '../../lib/manifests/manifest-repository';
import { platformJsonSchema } from '../../lib/model/json-schema';
import type { PlatformAddon, ResolvedPlatform } from '../../lib/model/resolved';
import { validateSpec } from '../../lib/model/validate';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { cdkApp, sandboxSpec } from '../fixtures';
import { FAKE_ISSUER, resolveRole, trustAdmits, trustAdmitsService } from '../support/iam-eval';
import { kustomizationDirs, kustomize, parseYaml, schemaErrors, writeTree } from '../support/manifest-checks';
import { nagFindings } from '../support/nag-findings';

/**
 * An add-on written the way docs/library.md, "Writing an add-on", describes, to prove the interface: an
 * audit-log shipper that copies logs to an S3 bucket. Everything about it is in this file; the library
 * learns of it only where it is passed, in `ADDONS`. It brings:
 * - a spec section, `addons.auditShipper`, with a required bucket, a namespace and a replica count;
 * - a rule across fields: no more replicas than the node group may have nodes (one per node);
 * - a role for its ServiceAccount, allowed to write under the platform's prefix of the bucket only;
 * - its manifests (a ServiceAccount and a Deployment) and a child Application that syncs them;
 * - what the AppProject must allow: its namespace and the PriorityClass it creates.
 */
/** Its spec section: the type its hooks receive, which its `settings` shape must describe field by field. */
interface AuditShipperSettings {
  readonly bucket: string;
  readonly namespace?: string;
  readonly replicas?: number;
}

const AUDIT_SHIPPER: PlatformAddon<AuditShipperSettings> = {
  name: 'audit-shipper',
  specKey: 'auditShipper',
  description: 'Ships audit logs to S3',
  settings: {
    bucket: { type: 'string', description: 'S3 bucket', required: true, pattern: { regex: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, says: 'an S3 bucket name' } },
    namespace: { type: 'string', description: 'Namespace', default: 'audit' },
    replicas: { type: 'integer', description: 'Shippers, one per node', minimum: 1, default: 1 },
  },

  enabled: ({ settings }) => settings.bucket !== undefined,

  resolve({ platform, settings, role }) {
    const namespace = settings.namespace ?? 'audit';
    const prefix = `arn:aws:s3:::${settings.bucket}/${platform.name}/*`;
    return {
      roles: [
        role({
          purpose: 'audit-shipper',
          namespace,
          serviceAccountName: 'audit-shipper',
          permissions: [{ sid: 'WriteAuditLogs', actions: ['s3:PutObject'], resources: [prefix] }],
          acceptedWildcards: [{ resource: prefix, reason: 'Log objects are named by time; the role writes under the platform prefix of one bucket only.' }],
        }),
      ],
      applications: [{ name: 'audit-shipper', namespace, wave: 0, path: 'audit-shipper', syncOptions: ['CreateNamespace=true'] }],
      namespaces: [namespace],
      clusterResources: [{ group: 'scheduling.k8s.io', kind: 'PriorityClass' }],
      reservedApplicationNames: ['audit-shipper'],
      reservedNamespaces: [namespace],
    };
  },

  validate({ settings, platform, add }) {
    const replicas = settings.replicas ?? 1;
    if (replicas > platform.cluster.maxSize) add('addons.auditShipper.replicas', `${replicas} is more than cluster.nodes.maxSize ${platform.cluster.maxSize}; shippers run one per node`);
  },

  manifests({ platform, addFile, addKustomization }) {
    const role = platform.workloadRoles.find((r) => r.purpose === 'audit-shipper')!;
    const metadata = { name: 'audit-shipper', namespace: role.namespace };
    addFile('audit-shipper/audit-shipper.yaml', [
      { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'audit-shipper' }, value: 1000 },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { ...metadata, annotations: role.serviceAccountAnnotations } },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata,
        spec: {
          selector: { matchLabels: { app: 'audit-shipper' } },
          template: {
            metadata: { labels: { app: 'audit-shipper' } },
            spec: { serviceAccountName: 'audit-shipper', priorityClassName: 'audit-shipper', containers: [{ name: 'shipper', image: 'public.ecr.aws/example/shipper:1.0.0' }] },
          },
        },
      },
    ]);
    addKustomization('audit-shipper', { resources: ['audit-shipper.yaml'] });
  },
};

// The settings shape is checked against the settings type: a required setting needs a required field,
// and each field the type its setting has.
export const MISDESCRIBED: Array<PlatformAddon<AuditShipperSettings>['settings']> = [
  // @ts-expect-error bucket is required in the type, so its field must say required: true
  { bucket: { type: 'string', description: 'S3 bucket' } },
  // @ts-expect-error replicas is a number, so its field is an integer field
  { bucket: { type: 'string', description: 'S3 bucket', required: true }, replicas: { type: 'string', description: 'Shippers' } },
];

/** The add-ons of the platforms in this file: the built-in ones, then the shipper. */
const ADDONS: readonly PlatformAddon[] = [...BUILT_IN_ADDONS, AUDIT_SHIPPER];

function specWithShipper(extra: object = {}): any {
  return { ...sandboxSpec(), addons: { auditShipper: { bucket: 'example-audit-logs', ...extra } } };
}

/**
 * Every object of the manifest repository, as Argo CD builds it: the child Applications the root
 * app-of-apps reads from `argocd/apps/`, and every kustomization built.
 */
function manifestObjects(platform: ResolvedPlatform): any[] {
  const files = new ManifestRepository(platform).manifestFiles();
  const tree = writeTree(files);
  const applications = files.filter((f) => f.path.startsWith('argocd/apps/')).flatMap((f) => parseYaml(f.content));
  return [...applications, ...kustomizationDirs(tree).flatMap((dir) => kustomize(tree, dir))];
}

/** The role named `name` in the platform stack, with its intrinsics resolved. */
function platformRole(platform: ResolvedPlatform, name: string): any {
  const gitops = new GitOpsPlatform(cdkApp(), 'x', { platform });
  const json = Template.fromStack(gitops.platformStack).toJSON();
  const role = Object.values<any>(json.Resources).find((r) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === name);
  return { role: role && resolveRole(role.Properties, json), json };
}

describe('an add-on defined in one test file shows up on both sides', () => {
  const platform = Platform.resolve(PlatformSpecLoader.fromObject(specWithShipper(), undefined, { addons: ADDONS }), { addons: ADDONS });
  const objects = manifestObjects(platform);

  test('its child Application syncs its directory, and the AppProject allows its namespace and kinds', () => {
    const application = objects.find((o) => o.kind === 'Application' && o.metadata.name === 'audit-shipper');
    expect(application.spec.source.path).toBe('audit-shipper');
    expect(application.spec.destination.namespace).toBe('audit');
    expect(application.spec.syncPolicy.syncOptions).toContain('CreateNamespace=true');
    const project = objects.find((o) => o.kind === 'AppProject');
    expect(application.spec.project).toBe(project.metadata.name);
    expect(project.spec.destinations).toContainEqual(expect.objectContaining({ namespace: 'audit' }));
    expect(project.spec.clusterResourceWhitelist).toContainEqual({ group: 'scheduling.k8s.io', kind: 'PriorityClass' });
    // Its objects are valid against Kubernetes and the Argo CD CRDs like every other manifest.
    expect(schemaErrors(objects.filter((o) => o.metadata.name === 'audit-shipper'))).toEqual([]);
  });

  test('its ServiceAccount names a role of the stack that trusts exactly that ServiceAccount, and writes only under the platform prefix', () => {
    const serviceAccount = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'audit-shipper');
    const arn: string = serviceAccount.metadata.annotations['eks.amazonaws.com/role-arn'];
    expect(arn).toBe('arn:aws:iam::123456789012:role/sandbox-audit-shipper');
    const { role } = platformRole(platform, 'sandbox-audit-shipper');
    const trust = role.AssumeRolePolicyDocument;
    const provider = trust.Statement[0].Principal.Federated;
    const claims = (sub: string) => ({ [`${FAKE_ISSUER}:sub`]: sub, [`${FAKE_ISSUER}:aud`]: 'sts.amazonaws.com' });
    expect(trustAdmits(trust, provider, claims('system:serviceaccount:audit:audit-shipper'))).toBe(true);
    expect(trustAdmits(trust, provider, claims('system:serviceaccount:audit:default'))).toBe(false);
    expect(trustAdmits(trust, provider, claims('system:serviceaccount:main:audit-shipper'))).toBe(false);
    expect(role.Policies.flatMap((p: any) => p.PolicyDocument.Statement)).toEqual([
      { Sid: 'WriteAuditLogs', Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::example-audit-logs/sandbox/*' },
    ]);
  });

  test('with Pod Identity asked for in its section, its role trusts its association and its ServiceAccount has no annotation', () => {
    const podIdentity = Platform.resolve(PlatformSpecLoader.fromObject(specWithShipper({ workloadIdentity: 'pod-identity' }), undefined, { addons: ADDONS }), { addons: ADDONS });
    const serviceAccount = manifestObjects(podIdentity).find((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'audit-shipper');
    expect(serviceAccount.metadata.annotations).toBeUndefined();
    const { role, json } = platformRole(podIdentity, 'sandbox-audit-shipper');
    const tags = (namespace: string, name: string) => ({
      'aws:RequestTag/eks-cluster-arn': 'arn:aws:eks:ap-northeast-1:123456789012:cluster/sandbox',
      'aws:RequestTag/kubernetes-namespace': namespace,
      'aws:RequestTag/kubernetes-service-account': name,
    });
    const actions = ['sts:AssumeRole', 'sts:TagSession'];
    expect(trustAdmitsService(role.AssumeRolePolicyDocument, 'pods.eks.amazonaws.com', actions, tags('audit', 'audit-shipper'))).toBe(true);
    expect(trustAdmitsService(role.AssumeRolePolicyDocument, 'pods.eks.amazonaws.com', actions, tags('audit', 'default'))).toBe(false);
    const associations = Object.values<any>(json.Resources).filter((r) => r.Type === 'AWS::EKS::PodIdentityAssociation' && r.Properties.Namespace === 'audit');
    expect(associations.map((a) => a.Properties.ServiceAccount)).toEqual(['audit-shipper']);
  });

  test('its spec section is checked by the loader, and its own rule runs with the others', () => {
    const problems = (spec: any) => validateSpec(spec, ADDONS).map((p) => `${p.path}: ${p.message}`);
    expect(problems({ ...sandboxSpec(), addons: { auditShipper: { namespace: 'audit' } } })).toEqual([expect.stringMatching(/^addons\.auditShipper\.bucket: .*required/)]);
    expect(problems(specWithShipper({ bucket: 'Not_A_Bucket' }))).toEqual([expect.stringMatching(/^addons\.auditShipper\.bucket: 'Not_A_Bucket'.*an S3 bucket name/)]);
    expect(problems(specWithShipper({ replicas: 9 }))).toEqual(['addons.auditShipper.replicas: 9 is more than cluster.nodes.maxSize 4; shippers run one per node']);
    // Its reserved names reach the platform's rules: no application may take its name or namespace.
    const clash = specWithShipper();
    clash.apps[0].name = 'audit-shipper';
    clash.apps[0].namespace = 'audit';
    expect(problems(clash)).toEqual(expect.arrayContaining([expect.stringMatching(/^apps\[0\]\.name: 'audit-shipper'/), expect.stringMatching(/^apps\[0\]\.namespace: 'audit' is reserved/)]));
  });

  test('cdk-nag finds nothing: the add-on\'s accepted wildcard is acknowledged with its reason', () => {
    const app = cdkApp();
    new GitOpsPlatform(app, 'sandbox', { platform });
    expect(nagFindings(app)).toEqual([]);
  });

  test('its section is in the JSON schema with its settings, and only where it is passed', () => {
    const section = (addons: readonly PlatformAddon[]) => (platformJsonSchema(addons) as any).properties.addons.properties.auditShipper;
    expect(section(ADDONS).properties.bucket).toEqual(expect.objectContaining({ type: 'string', description: 'S3 bucket' }));
    expect(section(ADDONS).required).toEqual(['bucket']);
    expect(section(BUILT_IN_ADDONS)).toBeUndefined();
  });

  test('without it, the same spec is refused: its section is unknown, and nothing of it is resolved', () => {
    expect(validateSpec(specWithShipper(), BUILT_IN_ADDONS).map((p) => p.path)).toEqual(['addons.auditShipper']);
    const without = Platform.resolve(PlatformSpecLoader.fromObject(sandboxSpec()));
    expect(without.addons.map((a) => a.addon.name)).not.toContain('audit-shipper');
    expect(manifestObjects(without).find((o) => o.metadata?.name === 'audit-shipper')).toBeUndefined();
    expect(platform.addons.map((a) => a.addon.name)).toContain('audit-shipper');
  });

  test('a spec without its section does not run it: its required bucket would be missing', () => {
    const resolved = Platform.resolve(PlatformSpecLoader.fromObject(sandboxSpec(), undefined, { addons: ADDONS }), { addons: ADDONS });
    expect(resolved.addons.map((a) => a.addon.name)).not.toContain('audit-shipper');
  });
});

describe('a list of add-ons', () => {
  const twin = (changes: Partial<PlatformAddon>): PlatformAddon => ({ ...AUDIT_SHIPPER, ...changes } as PlatformAddon);

  test.each([
    ['the same name', twin({ specKey: 'otherShipper' }), /'audit-shipper' \(addons\.auditShipper\) and 'audit-shipper' \(addons\.otherShipper\) have the name 'audit-shipper'/],
    ['the same spec key', twin({ name: 'other-shipper' }), /'audit-shipper' \(addons\.auditShipper\) and 'other-shipper' \(addons\.auditShipper\) have the spec key 'auditShipper'/],
    ['a built-in spec key', twin({ name: 'my-dns', specKey: 'externalDns' }), /'external-dns' \(addons\.externalDns\) and 'my-dns' \(addons\.externalDns\) have the spec key/],
  ])('with two add-ons of %s is refused by validation, resolution and the schema', (_, second, message) => {
    const addons = [...ADDONS, second];
    expect(() => validateSpec(specWithShipper(), addons)).toThrow(message);
    expect(() => Platform.resolve(PlatformSpecLoader.fromObject(specWithShipper(), undefined, { addons: ADDONS }), { addons })).toThrow(message);
    expect(() => platformJsonSchema(addons)).toThrow(message);
  });
});
