// The promotion role: what the manifest repository's promotion workflows assume, in the registry
// environment's account, to verify the signatures of the images they copy. Its trust and its
// permissions are evaluated as IAM decides, on the stack the two-environment example synthesizes.
import { Template } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { GitOpsPlatform } from '../../lib/aws/gitops-platform';
import { ACTIONS } from '../../lib/ci/build-workflow';
import { promotionWorkflowFiles } from '../../lib/ci/promotion-workflow';
import type { ResolvedPlatform } from '../../lib/model/resolved';
import { MAX_ROLE_INLINE_POLICY_LENGTH, policySize, promotionPolicy } from '../../lib/model/validate/limits';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { cdkApp, repoPath } from '../fixtures';
import { DEFAULT_CONTEXT, identityPolicyAllows, resolveIntrinsics, trustAdmits } from '../support/iam-eval';

const ACCOUNT = '111111111111';
const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const context = { ...DEFAULT_CONTEXT, account: ACCOUNT };

function twoEnvironmentSpec(): any {
  return JSON.parse(JSON.stringify(PlatformSpecLoader.fromFile(repoPath('examples', 'two-environments', 'platform.yaml'))));
}

const environments = (spec: any): ResolvedPlatform[] => Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec));

/** The registry environment's platform stack: the promotion role (resolved), the template and its outputs. */
function synth(platforms: ResolvedPlatform[]) {
  const registry = platforms.find((p) => p.images.holdsRepositories)!;
  const template = Template.fromStack(new GitOpsPlatform(cdkApp(), 'w', { platform: registry }).platformStack).toJSON();
  const name = registry.images.promotionRole?.roleName;
  const found = Object.entries<any>(template.Resources).find(([, r]) => name !== undefined && r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === name);
  return { template, roleId: found?.[0], role: found && resolveIntrinsics(found[1].Properties, template, {}, context) };
}

const claims = (sub: string) => ({ 'token.actions.githubusercontent.com:sub': sub, 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' });

/** The example with a manifest repository that sends the name form (no repositoryId). */
function nameFormSpec(): any {
  const spec = twoEnvironmentSpec();
  delete spec.github.manifestRepository.repositoryId;
  return spec;
}

describe('the promotion role of the two-environment example, for a repository of the name subject form', () => {
  const platforms = environments(nameFormSpec());
  const { template, role, roleId } = synth(platforms);
  const trust = role.AssumeRolePolicyDocument;

  test('is created once, in the registry environment (staging), named as every environment resolves it', () => {
    expect(role.RoleName).toBe('shop-promotion');
    expect(platforms.map((p) => p.images.promotionRole?.roleArn)).toEqual([`arn:aws:iam::${ACCOUNT}:role/shop-promotion`, `arn:aws:iam::${ACCOUNT}:role/shop-promotion`]);
    const production = Template.fromStack(new GitOpsPlatform(cdkApp(), 'p', { platform: platforms[1] }).platformStack).toJSON();
    expect(Object.values<any>(production.Resources).filter((r) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === 'shop-promotion')).toEqual([]);
  });

  test('a CloudFormation output names it', () => {
    const output = Object.entries<any>(template.Outputs).find(([id]) => id.startsWith('PromotionRoleArn'))!;
    expect(output[1].Value).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
    expect(output[1].Description).toContain('example-org/shop-manifests');
  });

  test.each([
    ['the manifest repository\'s branch', 'repo:example-org/shop-manifests:ref:refs/heads/main', true],
    ['a pull request of the manifest repository', 'repo:example-org/shop-manifests:pull_request', false],
    ['another branch of the manifest repository', 'repo:example-org/shop-manifests:ref:refs/heads/promote/production/all', false],
    ['a tag of the manifest repository', 'repo:example-org/shop-manifests:ref:refs/tags/v1', false],
    ['an environment of the manifest repository', 'repo:example-org/shop-manifests:environment:production', false],
    ['another repository of the owner', 'repo:example-org/other:ref:refs/heads/main', false],
    ['a repository of another owner', 'repo:attacker/shop-manifests:ref:refs/heads/main', false],
    ['the application repository', 'repo:example-org/shop-app:ref:refs/heads/main', false],
    ['the application repository\'s release tag', 'repo:example-org/shop-app:ref:refs/tags/v1.4.2', false],
  ])('%s (%s): admitted %s', (_name, sub, admitted) => {
    expect(trustAdmits(trust, PROVIDER_ARN, claims(sub))).toBe(admitted);
  });

  test('another audience is refused even from the manifest branch', () => {
    expect(trustAdmits(trust, PROVIDER_ARN, { ...claims('repo:example-org/shop-manifests:ref:refs/heads/main'), 'token.actions.githubusercontent.com:aud': 'https://example.com' })).toBe(false);
  });

  const policies = role.Policies.map((p: any) => p.PolicyDocument);
  const repositoryArn = (name: string) => `arn:aws:ecr:ap-northeast-1:${ACCOUNT}:repository/${name}`;
  const own = ['shop/main/app', 'shop/main/web', 'shop/main/migration'].map(repositoryArn);

  test('allows exactly the ECR login and the pulls cosign verify makes, on the application repositories', () => {
    // cosign verify reads the image's manifest and its signature (the `.sig` tag or the referrer
    // bundle) through the registry API: ecr:BatchGetImage for manifests (the referrers API included,
    // ECR API reference, ListImageReferrers) and ecr:GetDownloadUrlForLayer for blobs (ECR User
    // Guide, "Required IAM permissions for pulling an image"); the login is ecr:GetAuthorizationToken.
    const actions = policies.flatMap((d: any) => d.Statement.flatMap((s: any) => [s.Action].flat()));
    expect([...new Set(actions)].sort()).toEqual(['ecr:BatchGetImage', 'ecr:GetAuthorizationToken', 'ecr:GetDownloadUrlForLayer']);
    expect(identityPolicyAllows(policies, 'ecr:GetAuthorizationToken', '*')).toBe(true);
    for (const arn of own) {
      for (const action of ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']) expect({ arn, action, allowed: identityPolicyAllows(policies, action, arn) }).toEqual({ arn, action, allowed: true });
    }
  });

  test('nothing that writes, and nothing on another repository', () => {
    for (const action of [
      'ecr:PutImage',
      'ecr:InitiateLayerUpload',
      'ecr:UploadLayerPart',
      'ecr:CompleteLayerUpload',
      'ecr:BatchCheckLayerAvailability',
      'ecr:BatchDeleteImage',
      'ecr:DeleteRepository',
      'ecr:SetRepositoryPolicy',
      'ecr:PutImageTagMutability',
      'ecr:PutLifecyclePolicy',
      'ecr:DescribeImages',
      'ecr:ListImages',
      'sts:AssumeRole',
    ]) {
      expect({ action, allowed: identityPolicyAllows(policies, action, own[0]) }).toEqual({ action, allowed: false });
    }
    for (const other of ['shop/other/app', 'another/main/app'].map(repositoryArn)) {
      expect(identityPolicyAllows(policies, 'ecr:BatchGetImage', other)).toBe(false);
    }
  });

  test('its inline policy is the size validation measures', () => {
    expect(policySize(promotionPolicy(platforms[0].images.promotionRole!))).toBe(policySize(role.Policies[0].PolicyDocument));
  });

  test('the promotion workflow assumes it, in the registry\'s region, and calls nothing the role does not allow', () => {
    const [file] = promotionWorkflowFiles(platforms);
    const steps = parse(file.content).jobs.promote.steps as any[];
    expect(steps.find((s) => s.uses === ACTIONS.configureAwsCredentials).with['role-to-assume']).toBe(`arn:aws:iam::${ACCOUNT}:role/${role.RoleName}`);
    const scripts = steps.map((s) => s.run ?? '').join('\n');
    expect([...scripts.matchAll(/\bcosign ([a-z-]+)/g)].map((m) => m[1])).toEqual(['verify', 'verify']);
    expect(scripts).not.toMatch(/\baws /);
  });
});

describe('the promotion role of the two-environment example as it is, with ids (immutable subject form)', () => {
  const { role } = synth(environments(twoEnvironmentSpec()));
  const trust = role.AssumeRolePolicyDocument;

  test.each([
    ['the manifest branch, by ids', 'repo:example-org@100000001/shop-manifests@300000001:ref:refs/heads/main', true],
    ['the manifest branch, by name', 'repo:example-org/shop-manifests:ref:refs/heads/main', false],
    ['a repository re-created under the same name', 'repo:example-org@100000001/shop-manifests@999:ref:refs/heads/main', false],
    ['its pull request', 'repo:example-org@100000001/shop-manifests@300000001:pull_request', false],
    ['the application repository', 'repo:example-org@100000001/shop-app@200000001:ref:refs/heads/main', false],
  ])('%s (%s): admitted %s', (_name, sub, admitted) => {
    expect(trustAdmits(trust, PROVIDER_ARN, claims(sub))).toBe(admitted);
  });

  test('a repository id without github.ownerId is refused, naming the field', () => {
    const noOwner = twoEnvironmentSpec();
    delete noOwner.github.ownerId;
    for (const app of noOwner.apps) app.ci.subjectFormat = 'name';
    for (const app of noOwner.apps) delete app.ci.repositoryId;
    expect(() => environments(noOwner)).toThrow(/github\.ownerId: is required by github\.manifestRepository\.repositoryId/);
  });
});

describe('no promotion role', () => {
  test('with one environment, or when no application signs its images', () => {
    const unsigned = twoEnvironmentSpec();
    unsigned.apps[0].supplyChain = { sign: false };
    expect(environments(unsigned).map((p) => p.images.promotionRole)).toEqual([undefined, undefined]);
    expect(synth(environments(unsigned)).role).toBeUndefined();
    const single = twoEnvironmentSpec();
    single.environments = single.environments.slice(0, 1);
    expect(environments(single).map((p) => p.images.promotionRole)).toEqual([undefined]);
  });

  test('an application that does not sign gives the role none of its repositories', () => {
    const spec = twoEnvironmentSpec();
    spec.apps.push({
      name: 'other',
      host: 'other.example.com',
      supplyChain: { sign: false },
      ci: { repository: 'other-app', repositoryId: '200000002' },
      containers: [{ name: 'app', dockerfile: 'Dockerfile', port: 8080 }],
    });
    for (const environment of spec.environments) environment.apps.push({ name: 'other', host: `other.${environment.name}.example.com` });
    const [staging] = environments(spec);
    expect(staging.images.promotionRole!.repositoryArns.some((arn) => arn.includes('/shop/other/'))).toBe(false);
    expect(staging.images.promotionRole!.repositoryArns).toHaveLength(3);
  });
});

test('validation refuses more signing applications than the role\'s inline policy can name, before a deploy would', () => {
  const spec = twoEnvironmentSpec();
  /** Applications of three images each, with a host of their own in each environment. */
  const add = (prefix: string, count: number) => {
    for (let i = 0; i < count; i++) {
      const name = `${prefix}${i}`;
      spec.apps.push({
        name,
        host: `${name}.example.com`,
        ci: { repository: name, repositoryId: `${spec.apps.length + 500000000}` },
        containers: ['api', 'web', 'worker'].map((container, j) => ({ name: container, dockerfile: `${container}/Dockerfile`, ...(j === 0 ? { port: 8080 } : {}) })),
      });
      for (const environment of spec.environments) environment.apps.push({ name, host: `${name}.${environment.name}.example.com` });
    }
  };
  add('app', 20);
  const fits = environments(spec)[0].images.promotionRole!;
  expect(policySize(promotionPolicy(fits))).toBeLessThanOrEqual(MAX_ROLE_INLINE_POLICY_LENGTH);
  add('more', 60);
  expect(() => environments(spec)).toThrow(/apps: the applications that sign their images have 243 repositories, which make an inline policy of \d+ characters for the promotion role 'shop-promotion'/);
});
