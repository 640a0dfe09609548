import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ECR_PUSH_ACTIONS } from '../../lib/aws/github-actions-role';
import { GitOpsPlatform } from '../../lib/aws/gitops-platform';
import { ImageRepository } from '../../lib/aws/image-repository';
import type { ResolvedPlatform } from '../../lib/model/resolved';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { cdkApp, repoPath, twoEnvironmentsSpec } from '../fixtures';
import { environmentContext, identityPolicyAllows, resolveIntrinsics, resolveRole, resourcePolicyAllows, trustAdmits } from '../support/iam-eval';
import { nagFindings } from '../support/nag-findings';

/*
 * The preview build role and the preview repositories, evaluated as IAM would. The facts the trust
 * rests on (GitHub docs):
 * - "OpenID Connect reference", filtering for pull_request events: a job of a `pull_request` run
 *   (without an environment) gets `sub` `repo:<owner>/<repo>:pull_request`, whether the pull request
 *   comes from a branch or a fork, so no `pull_request` subject may be trusted;
 * - "GITHUB_TOKEN reference": a pull request from a public fork gets at most `id-token: none`, and a
 *   private repository sends forks write tokens only with "Send write tokens to workflows from pull
 *   requests" (workflow syntax, `permissions`); then the subject is still `...:pull_request`;
 * - a fork's own workflows run as the fork: `repo:<fork owner>/<repo>:...`.
 */

const GITHUB_PROVIDER = (account: string) => `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`;
const claims = (sub: string) => ({ 'token.actions.githubusercontent.com:sub': sub, 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' });

/** Every stack of one environment's platform, as bin/app.ts builds them. */
function stacksOf(platforms: ResolvedPlatform[], environment: string): Stack[] {
  const app = cdkApp();
  const built = platforms.map(
    (platform) => new GitOpsPlatform(app, platform.qualifiedName, { platform, spokes: platforms.filter((p) => p !== platform) }),
  );
  const mine = built[platforms.findIndex((p) => p.environment === environment)];
  return [mine.platformStack, ...mine.appsStacks];
}

/** The resources of every stack, each with its template, by type. */
function resourcesOf(stacks: Stack[], type: string): { properties: any; template: any }[] {
  return stacks.flatMap((stack) => {
    const template = Template.fromStack(stack).toJSON();
    return Object.values<any>(template.Resources)
      .filter((r) => r.Type === type)
      .map((r) => ({ properties: r.Properties, template }));
  });
}

describe('previews in the stack that holds the images (examples/previews)', () => {
  const platforms = Platform.resolveEnvironments(PlatformSpecLoader.fromFile(repoPath('examples', 'previews', 'platform.yaml')));
  const [platform] = platforms;
  const app = platform.apps[0];
  const previews = app.previews!;
  const stacks = stacksOf(platforms, platform.environment);
  const roles = resourcesOf(stacks, 'AWS::IAM::Role');
  const found = roles.find((r) => r.properties.RoleName === previews.buildRole.roleName)!;
  const role = resolveRole(found.properties, found.template);
  const trust = role.AssumeRolePolicyDocument;
  const policies = (role.Policies ?? []).map((p: any) => p.PolicyDocument);
  const repositoryArn = (name: string) => `arn:aws:ecr:ap-northeast-1:123456789012:repository/${name}`;
  // The example's repository sends the immutable subject form (ownerId 100000001, repositoryId 200000001).
  const repo = 'repo:example-org@100000001/sandbox-app@200000001';

  test('the role is the one the preview build workflow assumes', () => {
    expect(previews.buildRole).toEqual({ roleName: 'sandbox-main-preview', roleArn: 'arn:aws:iam::123456789012:role/sandbox-main-preview' });
    expect(found).toBeDefined();
  });

  test.each([
    ['a branch of the app repository (the build, dispatched on the pull request\'s head branch)', `${repo}:ref:refs/heads/feature/login`, true],
    ['the default branch', `${repo}:ref:refs/heads/main`, true],
    ['any pull_request run: what a same-repository and a fork\'s pull request alike say', `${repo}:pull_request`, false],
    ['a fork\'s branch (its workflows run as the fork)', 'repo:someone@999/sandbox-app@888:ref:refs/heads/feature/login', false],
    ['a fork\'s pull_request run', 'repo:someone@999/sandbox-app@888:pull_request', false],
    ['a tag of the app repository', `${repo}:ref:refs/tags/v1.0.0`, false],
    ['a deployment environment', `${repo}:environment:production`, false],
    ['the name form of the same branch (the repository sends the immutable one)', 'repo:example-org/sandbox-app:ref:refs/heads/feature/login', false],
    ['a repository re-created under the same name (a new id)', 'repo:example-org@100000001/sandbox-app@999:ref:refs/heads/main', false],
    ['another repository whose name only starts the same', 'repo:example-org@100000001/sandbox-app@2000000011:ref:refs/heads/main', false],
  ])('trust: %s (%s) admitted %s', (_what, sub, admitted) => {
    expect(trustAdmits(trust, GITHUB_PROVIDER('123456789012'), claims(sub))).toBe(admitted);
  });

  test('trusts exactly one subject pattern, the branches, and no pull_request subject at all', () => {
    const subjects = (trust.Statement as any[]).flatMap((s) => [s.Condition?.StringEquals?.['token.actions.githubusercontent.com:sub'], s.Condition?.StringLike?.['token.actions.githubusercontent.com:sub']].flat().filter(Boolean));
    expect(subjects).toEqual([`${repo}:ref:refs/heads/*`]);
    expect(JSON.stringify(trust)).not.toContain('pull_request');
  });

  const previewRepositories = previews.images.map(({ image }) => image.repositoryName);
  const productionRepositories = [...app.containers.map((c) => c.image.repositoryName), app.migration!.image.repositoryName];

  test('pushes every preview image: each push action on each preview repository, the ECR login on *', () => {
    expect(previewRepositories).toEqual(['sandbox/main/app-previews', 'sandbox/main/web-previews']);
    const denied = ECR_PUSH_ACTIONS.flatMap((action) => previewRepositories.filter((r) => !identityPolicyAllows(policies, action, repositoryArn(r))).map((r) => `${action} ${r}`));
    expect(denied).toEqual([]);
    expect(identityPolicyAllows(policies, 'ecr:GetAuthorizationToken', '*')).toBe(true);
  });

  test('may do nothing to a production repository: a preview never writes a production tag', () => {
    expect(productionRepositories).toEqual(['sandbox/main/app', 'sandbox/main/web', 'sandbox/main/migration']);
    const actions = [...ECR_PUSH_ACTIONS, 'ecr:BatchDeleteImage', 'ecr:ListImages', 'ecr:SetRepositoryPolicy'];
    const allowed = actions.flatMap((a) => [...productionRepositories, 'sandbox/other'].filter((r) => identityPolicyAllows(policies, a, repositoryArn(r))).map((r) => `${a} ${r}`));
    expect(allowed).toEqual([]);
    // And nothing but ECR: the only statements are the login and the push to the preview repositories.
    expect(policies.flatMap((d: any) => d.Statement.map((s: any) => s.Sid))).toEqual(['EcrLogin', 'PushImages']);
    expect(policies.flatMap((d: any) => d.Statement.flatMap((s: any) => [s.Resource].flat()))).toEqual(['*', ...previewRepositories.map(repositoryArn)]);
  });

  test('the preview repositories: immutable tags, scanned on push, KMS-encrypted like the others, every image expiring imageExpiryDays after its push', () => {
    const repositories = resourcesOf(stacks, 'AWS::ECR::Repository').map((r) => resolveIntrinsics(r.properties, r.template));
    const byName = (name: string) => repositories.find((r) => r.RepositoryName === name);
    for (const name of previewRepositories) {
      const repository = byName(name);
      const production = byName(name.replace(/-previews$/, ''));
      expect(repository).toMatchObject({ ImageTagMutability: 'IMMUTABLE', ImageScanningConfiguration: { ScanOnPush: true } });
      expect(repository.EncryptionConfiguration).toEqual(production.EncryptionConfiguration);
      const rules = JSON.parse(repository.LifecyclePolicy.LifecyclePolicyText).rules;
      expect(rules).toEqual([
        { rulePriority: 1, description: 'Expire untagged images', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 14, countUnit: 'days' }, action: { type: 'expire' } },
        { rulePriority: 2, description: 'Expire every image 14 days after its push', selection: { tagStatus: 'any', countType: 'sinceImagePushed', countNumber: 14, countUnit: 'days' }, action: { type: 'expire' } },
      ]);
    }
    expect(previews.imageExpiryDays).toBe(14);
  });

  test('imageExpiryDays sets the age, and untagged images never outlive it', () => {
    const spec = PlatformSpecLoader.fromFile(repoPath('examples', 'previews', 'platform.yaml')) as any;
    spec.apps[0].previews.imageExpiryDays = 3;
    const shorter = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec));
    const repository = resourcesOf(stacksOf(shorter, 'production'), 'AWS::ECR::Repository').map((r) => r.properties).find((r) => r.RepositoryName === 'sandbox/main/app-previews');
    const selections = JSON.parse(repository.LifecyclePolicy.LifecyclePolicyText).rules.map((r: any) => `${r.selection.tagStatus} ${r.selection.countNumber}`);
    expect(selections).toEqual(['untagged 3', 'any 3']);
  });

  test('the stack outputs the role\'s ARN for the workflow', () => {
    const outputs = stacks.flatMap((s) => Object.entries<any>(Template.fromStack(s).toJSON().Outputs ?? {}));
    expect(outputs.map(([key]) => key)).toContain('MainPreviewBuildRoleArn');
  });

  test('an app without previews gets neither repositories nor a role', () => {
    const spec = PlatformSpecLoader.fromFile(repoPath('examples', 'previews', 'platform.yaml')) as any;
    spec.apps[0].previews.enabled = false;
    const without = stacksOf(Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec)), 'production');
    expect(resourcesOf(without, 'AWS::ECR::Repository').map((r) => r.properties.RepositoryName).filter((n: string) => n.endsWith('-previews'))).toEqual([]);
    expect(resourcesOf(without, 'AWS::IAM::Role').map((r) => r.properties.RoleName)).not.toContain('sandbox-main-preview');
  });
});

describe('previews when another environment holds the images', () => {
  // Staging follows releases and runs the previews; production's account holds every image.
  const spec = twoEnvironmentsSpec();
  spec.registry = { environment: 'production' };
  spec.apps[0].previews = { enabled: true };
  const platforms = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec));
  const [staging, production] = platforms;

  test('the registry environment is told the previews it holds; the environment that runs them is where they are resolved', () => {
    expect(staging.apps[0].previews).toBeDefined();
    expect(production.apps[0].previews).toBeUndefined();
    expect(staging.images.previews).toEqual([]);
    expect(production.images.previews).toEqual([
      {
        app: 'main',
        previewEnvironment: 'staging',
        images: staging.apps[0].previews!.images,
        imageExpiryDays: 14,
        buildRole: { roleName: 'shop-main-preview', roleArn: 'arn:aws:iam::222222222222:role/shop-main-preview' },
      },
    ]);
    // The workflow assumes the role where it is created.
    expect(staging.apps[0].previews!.buildRole).toEqual(production.images.previews[0].buildRole);
  });

  test('production\'s stack creates them, and the preview repositories let staging\'s nodes pull, nothing more', () => {
    const stacks = stacksOf(platforms, 'production');
    const context = environmentContext('222222222222', 'ap-northeast-1', production.cluster.name);
    const repositories = resourcesOf(stacks, 'AWS::ECR::Repository').map((r) => resolveIntrinsics(r.properties, r.template, {}, context));
    const preview = repositories.find((r) => r.RepositoryName === staging.apps[0].previews!.images[0].image.repositoryName);
    expect(preview).toBeDefined();
    const nodes = `arn:aws:iam::111111111111:role/${staging.cluster.nodeRoleName}`;
    expect(resourcePolicyAllows(preview.RepositoryPolicyText, { principalArn: nodes, action: 'ecr:BatchGetImage' })).toBe(true);
    expect(resourcePolicyAllows(preview.RepositoryPolicyText, { principalArn: nodes, action: 'ecr:PutImage' })).toBe(false);
    expect(resourcePolicyAllows(preview.RepositoryPolicyText, { principalArn: 'arn:aws:iam::111111111111:role/someone-else', action: 'ecr:BatchGetImage' })).toBe(false);
    expect(resourcesOf(stacks, 'AWS::IAM::Role').map((r) => r.properties.RoleName)).toContain('shop-main-preview');
    // Staging's own stack holds none of it.
    const stagingStacks = stacksOf(platforms, 'staging');
    expect(resourcesOf(stagingStacks, 'AWS::ECR::Repository')).toEqual([]);
  });

  test('cdk-nag finds nothing in either environment (the role acknowledges its ECR login on *, with the reason)', () => {
    const app = cdkApp();
    for (const platform of platforms) new GitOpsPlatform(app, platform.qualifiedName, { platform, spokes: platforms.filter((p) => p !== platform) });
    expect(nagFindings(app)).toEqual([]);
  });
});

describe('ImageRepository expiryDays', () => {
  test.each([
    [{ expiryDays: 0 }, 'ImageRepository r: expiryDays 0 must be a whole number of at least 1'],
    [{ expiryDays: 1.5 }, 'ImageRepository r: expiryDays 1.5 must be a whole number of at least 1'],
    [{ expiryDays: 7, maxImageCount: 10 }, 'ImageRepository r: give expiryDays or maxImageCount, not both (images expire by age or by count)'],
  ])('refuses %j', (props, message) => {
    expect(() => new ImageRepository(new Stack(), 'R', { repositoryName: 'r', ...props })).toThrow(message);
  });
});
