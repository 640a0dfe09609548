import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { cdkApp, sandboxPlatform, specWithApps } from './fixtures';
import { FAKE_ISSUER, resolveRole, templateExports, trustAdmits } from './support/iam-eval';
import { kustomizationDirs, kustomize, writeTree } from './support/manifest-checks';
import { GitOpsPlatform } from '../lib/aws/gitops-platform';
import { ManifestRepository } from '../lib/manifests/manifest-repository';
import { PlatformSpecLoader } from '../lib/spec/loader';
import { Platform } from '../lib/spec/platform';
import type { ResolvedPlatform } from '../lib/spec/resolved';

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
