import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { cdkApp, repoPath, sandboxPlatform, specWithApps } from './fixtures';
import { argoCdObjects } from './support/argocd-objects';
import { environmentContext, FAKE_ISSUER, resolveRole, templateExports, trustAdmits } from './support/iam-eval';
import { kustomizationDirs, kustomize, writeTree } from './support/manifest-checks';
import { PlatformCdkApp } from '../lib/app/cdk-app';
import { GitOpsPlatform } from '../lib/aws/gitops-platform';
import { ManifestRepository } from '../lib/manifests/manifest-repository';
import type { ResolvedPlatform } from '../lib/model/resolved';
import { PlatformSpecLoader } from '../lib/platform/loader';
import { Platform } from '../lib/platform/platform';

/**
 * Both sides from one spec: every ServiceAccount the manifests annotate with an IRSA role names a
 * role the CDK stacks create, and that role trusts exactly that ServiceAccount.
 */
function checkBothSides(platform: ResolvedPlatform) {
  // The manifests, as Argo CD applies them: every kustomization built.
  const tree = writeTree(new ManifestRepository(platform).manifestFiles());
  const annotated = kustomizationDirs(tree)
    .flatMap((dir) => kustomize(tree, dir))
    .filter((o) => o.kind === 'ServiceAccount' && o.metadata.annotations?.['eks.amazonaws.com/role-arn']);
  // A base is built on its own and again through its overlay: one entry per ServiceAccount.
  const serviceAccounts = [...new Map(annotated.map((sa) => [`${sa.metadata.namespace}/${sa.metadata.name}`, sa])).values()];

  // The stacks.
  const gitops = new GitOpsPlatform(cdkApp(), 'x', { platform });
  const stacks: Stack[] = [gitops.platformStack, ...gitops.appsStacks];
  const exports = templateExports(Template.fromStack(gitops.platformStack).toJSON(), gitops.platformStack.stackName);
  const roles = stacks.flatMap((stack) => {
    const json = Template.fromStack(stack).toJSON();
    return Object.values<any>(json.Resources)
      .filter((r) => r.Type === 'AWS::IAM::Role' && typeof r.Properties.RoleName === 'string')
      .map((r) => ({ stack, properties: resolveRole(r.Properties, json, exports) }));
  });

  const checked = serviceAccounts.map((sa) => {
    const arn: string = sa.metadata.annotations['eks.amazonaws.com/role-arn'];
    const [, partition, , , account, resource] = arn.split(':');
    const roleName = resource.replace(/^role\//, '');
    const role = roles.find((r) => r.properties.RoleName === roleName);
    expect({ arn, created: role !== undefined }).toEqual({ arn, created: true });
    expect({ partition, account }).toEqual({ partition: 'aws', account: role!.stack.account });
    const subject = `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`;
    const statement = role!.properties.AssumeRolePolicyDocument.Statement[0];
    expect(statement.Condition.StringEquals[`${FAKE_ISSUER}:sub`]).toBe(subject);
    const provider = statement.Principal.Federated;
    const claims = (sub: string) => ({ [`${FAKE_ISSUER}:sub`]: sub, [`${FAKE_ISSUER}:aud`]: 'sts.amazonaws.com' });
    expect(trustAdmits(role!.properties.AssumeRolePolicyDocument, provider, claims(subject))).toBe(true);
    expect(trustAdmits(role!.properties.AssumeRolePolicyDocument, provider, claims(`${subject}-other`))).toBe(false);
    return subject;
  });
  return checked.sort();
}

describe('the manifests and the stacks agree', () => {
  test('on the sandbox: each annotated ServiceAccount is trusted by the role it names, and only it', () => {
    expect(checkBothSides(sandboxPlatform())).toEqual([
      'system:serviceaccount:argocd:argocd-image-updater-controller',
      'system:serviceaccount:argocd:sandbox-repository-reader',
      'system:serviceaccount:main:main-external-dns',
      'system:serviceaccount:main:main-secrets-reader',
    ]);
  });

  test('with deploy feedback and previews (examples/previews): their secrets\' readers and the preview ExternalDNS too', () => {
    const platform = Platform.resolve(PlatformSpecLoader.fromFile(repoPath('examples', 'previews', 'platform.yaml')));
    expect(checkBothSides(platform)).toEqual([
      'system:serviceaccount:argocd:sandbox-feedback-reader',
      'system:serviceaccount:argocd:sandbox-previews-github-reader',
      'system:serviceaccount:argocd:sandbox-repository-reader',
      'system:serviceaccount:main-previews:main-preview-external-dns',
      'system:serviceaccount:main-previews:main-preview-secrets',
      'system:serviceaccount:main:main-external-dns',
      'system:serviceaccount:main:main-secrets-reader',
    ]);
  });

  test('when the applications live in stacks of their own, and a migration has a role', () => {
    const spec: any = specWithApps(3);
    spec.apps[1].stack = 'group-a';
    spec.apps[2].stack = 'group-b';
    spec.apps[2].migration = { ...spec.apps[2].migration, permissions: [{ actions: ['rds-db:connect'], resources: ['arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:db-ABC/app'] }] };
    const subjects = checkBothSides(Platform.resolve(PlatformSpecLoader.fromObject(spec)));
    // The Image Updater and the repository reader, 2 roles per app, and app3's migration.
    expect(subjects).toHaveLength(2 + 3 * 2 + 1);
    expect(subjects).toContain('system:serviceaccount:app3:app3-migration');
  });
});

describe('the manifests and the stacks agree, environment by environment', () => {
  // The two-environment example: one manifest tree, each environment's stacks in its own account.
  const platforms = Platform.resolveEnvironments(PlatformSpecLoader.fromFile(repoPath('examples', 'two-environments', 'platform.yaml')));
  const files = ManifestRepository.forEnvironments(platforms).manifestFiles();
  const gitops = PlatformCdkApp.addEnvironments(cdkApp(), { platforms, nag: false });
  const deployed = platforms.map((platform, i) => {
    const context = environmentContext(platform.account, platform.region, platform.cluster.name);
    const stacks = [gitops[i].platformStack, ...gitops[i].appsStacks];
    const exports = templateExports(Template.fromStack(gitops[i].platformStack).toJSON(), gitops[i].platformStack.stackName, context);
    const roles = stacks.flatMap((stack) => {
      const json = Template.fromStack(stack).toJSON();
      return Object.values<any>(json.Resources)
        .filter((r) => r.Type === 'AWS::IAM::Role' && typeof r.Properties.RoleName === 'string')
        .map((r) => ({ stack, properties: resolveRole(r.Properties, json, exports, context) }));
    });
    return { platform, context, roles, provider: `arn:aws:iam::${platform.account}:oidc-provider/${context.issuer}` };
  });

  /** The annotated ServiceAccounts one environment's Argo CD applies: from its bootstrap, through its root app, every child's path built. */
  const serviceAccountsOf = (environment: string): any[] => {
    const objects = argoCdObjects(files, `argocd/bootstrap/${environment}`);
    const tree = writeTree(files);
    // Sources with an upstream install keep only a digest there: build those here for their ServiceAccounts.
    const built = Object.values<any>(objects.applications).flatMap((a) => (a.spec.source.path ? kustomize(tree, a.spec.source.path) : []));
    return [...objects.bootstrap.objects!, ...built].filter((o) => o.kind === 'ServiceAccount' && o.metadata.annotations?.['eks.amazonaws.com/role-arn']);
  };

  test.each(['staging', 'production'])(
    "%s: every ServiceAccount's role is in its own templates and trusts exactly that ServiceAccount on its own cluster, never on the other",
    (environment) => {
      const own = deployed.find((d) => d.platform.environment === environment)!;
      const others = deployed.filter((d) => d !== own);
      const subjects = serviceAccountsOf(environment).map((sa) => {
        const arn: string = sa.metadata.annotations['eks.amazonaws.com/role-arn'];
        const [, , , , account, resource] = arn.split(':');
        const roleName = resource.replace(/^role\//, '');
        const role = own.roles.find((r) => r.properties.RoleName === roleName);
        expect({ arn, inOwnTemplates: role !== undefined, account }).toEqual({ arn, inOwnTemplates: true, account: own.platform.account });
        for (const other of others) {
          expect({ arn, inOther: other.roles.some((r) => r.properties.RoleName === roleName) }).toEqual({ arn, inOther: false });
        }
        const subject = `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`;
        const claims = (issuer: string, sub: string) => ({ [`${issuer}:sub`]: sub, [`${issuer}:aud`]: 'sts.amazonaws.com' });
        const trust = role!.properties.AssumeRolePolicyDocument;
        expect(trustAdmits(trust, own.provider, claims(own.context.issuer, subject))).toBe(true);
        expect(trustAdmits(trust, own.provider, claims(own.context.issuer, `${subject}-other`))).toBe(false);
        for (const other of others) expect(trustAdmits(trust, other.provider, claims(other.context.issuer, subject))).toBe(false);
        return subject;
      });
      // The repository reader and each app's secrets reader, ExternalDNS and migration; where releases
      // arrive, the Image Updater too.
      expect(subjects.sort()).toEqual(
        [
          ...(environment === 'staging' ? ['system:serviceaccount:argocd:argocd-image-updater-controller'] : []),
          'system:serviceaccount:argocd:shop-repository-reader',
          'system:serviceaccount:main:main-external-dns',
          'system:serviceaccount:main:main-migration',
          'system:serviceaccount:main:main-secrets-reader',
        ].sort(),
      );
    },
  );
});
