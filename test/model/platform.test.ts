import { BUILT_IN_ADDONS } from '../../lib/addons/built-in';
import { boundedName, ecrRegistry, MAX_ROLE_NAME_LENGTH, roleName } from '../../lib/model/naming';
import { validateSpec } from '../../lib/model/validate';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { sandboxPlatform, sandboxSpec } from '../fixtures';

describe('Platform.resolve on the sandbox', () => {
  const platform = sandboxPlatform();
  const app = platform.apps[0];

  test('derives the registry and image URIs from account and region', () => {
    expect(platform.registry).toBe('123456789012.dkr.ecr.ap-northeast-1.amazonaws.com');
    expect(app.containers.map((c) => c.image.imageUri)).toEqual([
      '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/sandbox/main/app',
      '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/sandbox/main/web',
    ]);
    expect(app.migration?.image.repositoryArn).toBe('arn:aws:ecr:ap-northeast-1:123456789012:repository/sandbox/main/migration');
  });

  test('names each IRSA role after the platform, the app and its purpose, with its exact subject', () => {
    expect(app.secret?.reader).toEqual({
      roleName: 'sandbox-main-external-secrets',
      roleArn: 'arn:aws:iam::123456789012:role/sandbox-main-external-secrets',
      namespace: 'main',
      serviceAccountName: 'main-secrets-reader',
      subject: 'system:serviceaccount:main:main-secrets-reader',
      identity: 'irsa',
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/sandbox-main-external-secrets' },
    });
    expect(app.externalDns.subject).toBe('system:serviceaccount:main:main-external-dns');
    // The migration gets a role only when the spec gives it permissions (the node pulls its image).
    expect(app.migration?.role).toBeUndefined();
    expect(app.migration?.serviceAccount).toEqual({ namespace: 'main', serviceAccountName: 'main-migration' });
    expect(app.ci.role.roleArn).toBe('arn:aws:iam::123456789012:role/sandbox-main-ci');
  });

  test('uses the Image Updater 1.x ServiceAccount in the Argo CD namespace', () => {
    expect(platform.imageUpdater).toMatchObject({
      roleName: 'sandbox-image-updater',
      namespace: 'argocd',
      serviceAccountName: 'argocd-image-updater-controller',
      subject: 'system:serviceaccount:argocd:argocd-image-updater-controller',
    });
  });

  test('applies the documented defaults', () => {
    expect(platform.environment).toBe('production');
    expect(platform.cluster).toMatchObject({ version: '1.35', minSize: 2, maxSize: 4, desiredSize: 2, instanceTypes: ['t3.medium'] });
    expect(platform.argocd).toMatchObject({ namespace: 'argocd', project: 'sandbox', automated: true, prune: true, selfHeal: true });
    expect(app.imageUpdate).toEqual({ strategy: 'semver', writeBack: 'argocd', allowTags: '^v?[0-9]+\\.[0-9]+\\.[0-9]+$' });
    expect(app.ci).toMatchObject({ tagPatterns: ['v*'], branches: [], environments: [], pullRequests: false });
    expect(app.containers[0].resources).toEqual({ cpuRequest: '200m', cpuLimit: '400m', memoryRequest: '64Mi', memoryLimit: '128Mi' });
    expect(app.containers[0].tag).toBe('v0.0.1');
  });

  test('routes the Ingress to the named container and port', () => {
    expect(app.ingress).toMatchObject({ containerName: 'web', port: 80, healthCheckPath: '/health_check', groupName: 'sandbox' });
  });

  test('puts the secret under the app prefix, which the reader role may read', () => {
    expect(app.secret).toMatchObject({
      name: 'database-secrets',
      remoteKey: 'sandbox/main/database-secrets',
      remoteArnPattern: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:sandbox/main/*',
    });
  });

  test('places the app in the manifest repository layout', () => {
    expect(app.paths).toEqual({ base: 'main/base', secrets: 'main/overlays/production/secrets', overlay: 'main/overlays/production' });
    expect([platform.argocd.bootstrapPath, platform.argocd.appsPath]).toEqual(['argocd/bootstrap', 'argocd/apps']);
    expect(platform.manifestRepository.url).toBe('https://github.com/example-org/sandbox-manifests.git');
  });
});

describe('account and partition', () => {
  test('an account passed in is used when the spec has none', () => {
    const spec = sandboxSpec();
    delete spec.aws.account;
    expect(Platform.resolve(PlatformSpecLoader.fromObject(spec), { account: '210987654321' }).registry).toMatch(/^210987654321\./);
  });

  test('without any account, resolve says where to give it', () => {
    const spec = sandboxSpec();
    delete spec.aws.account;
    expect(() => Platform.resolve(PlatformSpecLoader.fromObject(spec))).toThrow(/aws.account: no AWS account id/);
  });

  test('China regions use their partition and registry suffix', () => {
    expect(ecrRegistry('123456789012', 'cn-north-1')).toBe('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn');
    const spec = sandboxSpec();
    spec.aws.region = 'cn-north-1';
    // Its admin roles are of that partition too (validation refuses an ARN of another).
    spec.cluster.adminRoleArns = ['arn:aws-cn:iam::123456789012:role/platform-admin'];
    expect(Platform.resolve(PlatformSpecLoader.fromObject(spec)).apps[0].ci.role.roleArn).toBe('arn:aws-cn:iam::123456789012:role/sandbox-main-ci');
  });
});

describe('role names', () => {
  test('stay within 64 characters for the longest platform and app names', () => {
    const spec = sandboxSpec();
    spec.name = 'p'.repeat(20);
    spec.apps[0].name = 'a'.repeat(40);
    spec.apps[0].migration.permissions = [{ actions: ['rds-db:connect'], resources: ['arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:db-ABC/app'] }];
    expect(validateSpec(spec, BUILT_IN_ADDONS)).toEqual([]);
    const app = Platform.resolve(PlatformSpecLoader.fromObject(spec)).apps[0];
    const names = [app.ci.role, app.externalDns, app.secret!.reader, app.migration!.role!].map((r) => r.roleName);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(MAX_ROLE_NAME_LENGTH);
    expect(new Set(names).size).toBe(names.length);
  });

  test('a shortened name keeps a readable prefix and a hash of the full name', () => {
    const name = roleName('p'.repeat(20), 'external-secrets', 'a'.repeat(40));
    expect(name).toHaveLength(64);
    expect(name).toMatch(/^p{20}-a{34}-[0-9a-f]{8}$/);
  });

  test('two long names sharing their first 55 characters do not collide', () => {
    const a = boundedName(['x'.repeat(60), 'one'], 64);
    const b = boundedName(['x'.repeat(60), 'two'], 64);
    expect(a.slice(0, 55)).toBe(b.slice(0, 55));
    expect(a).not.toBe(b);
  });

  test('short names are left as they are', () => {
    expect(roleName('sandbox', 'ci', 'main')).toBe('sandbox-main-ci');
    expect(roleName('sandbox', 'image-updater')).toBe('sandbox-image-updater');
  });

  test('every role name of a 50-app platform is distinct', () => {
    const spec = sandboxSpec();
    spec.apps = Array.from({ length: 50 }, (_, i) => ({
      ...spec.apps[0],
      name: `service-with-a-rather-long-name-${i}`,
      namespace: `ns-${i}`,
      host: `s${i}.example.com`,
      containers: spec.apps[0].containers,
      migration: { ...spec.apps[0].migration, permissions: [{ actions: ['rds-db:connect'], resources: ['arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:db-ABC/app'] }] },
    }));
    const platform = Platform.resolve(PlatformSpecLoader.fromObject(spec));
    const names = platform.apps.flatMap((a) => [a.ci.role, a.externalDns, a.secret!.reader, a.migration!.role!].map((r) => r.roleName));
    const platformRoles = [platform.imageUpdater.roleName, platform.manifestRepository.credentials!.reader.roleName];
    expect(new Set([...names, ...platformRoles]).size).toBe(50 * 4 + 2);
  });
});
