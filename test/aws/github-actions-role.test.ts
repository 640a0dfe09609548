import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { parse } from 'yaml';
import { GitHubActionsRole } from '../../lib/aws/github-actions-role';
import { GitHubOidcProvider } from '../../lib/aws/github-oidc-provider';
import { GitOpsPlatform } from '../../lib/aws/gitops-platform';
import { COSIGN_KMS_SIGN_ACTIONS } from '../../lib/aws/image-signing-key';
import { CiWorkflows } from '../../lib/ci/ci-workflows';
import { GitHubSubjectFilter, githubSubjects } from '../../lib/model/github-subjects';
import { SubjectFormat } from '../../lib/model/types';
import { Platform } from '../../lib/platform/platform';
import { cdkApp, specWithApps } from '../fixtures';
import { identityPolicyAllows, resolveIntrinsics, trustAdmits } from '../support/iam-eval';

const PROVIDER_ARN = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';

/** GIVEN a role for a filter, WHEN synthesized, THEN its resolved trust policy and permissions. */
function synth(subjects: GitHubSubjectFilter, withRepositories = true) {
  const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'ap-northeast-1' } });
  const provider = new GitHubOidcProvider(stack, 'Oidc');
  const repo = ecr.Repository.fromRepositoryName(stack, 'Repo', 'sandbox/main/app');
  new GitHubActionsRole(stack, 'Ci', { provider: provider.provider, subjects, pushRepositories: withRepositories ? [repo] : [], roleName: 'ci' });
  const template = Template.fromStack(stack).toJSON();
  const role = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::IAM::Role');
  return { template, role: resolveIntrinsics(role.Properties, template) };
}

const claims = (sub: string, aud = 'sts.amazonaws.com') => ({
  'token.actions.githubusercontent.com:sub': sub,
  'token.actions.githubusercontent.com:aud': aud,
});

describe('GitHubActionsRole providers: both IAM OIDC provider interfaces', () => {
  /** The Federated principals of the role's trust statements, for the given provider. */
  function federatedPrincipals(makeProvider: (stack: Stack) => iam.IOidcProvider | iam.IOpenIdConnectProvider): unknown[] {
    const stack = new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'ap-northeast-1' } });
    new GitHubActionsRole(stack, 'Ci', { provider: makeProvider(stack), subjects: { owner: 'o', repository: 'r', subjectFormat: SubjectFormat.NAME, tagPatterns: ['v*'], branches: ['main'] } });
    const [role] = Object.entries<any>(Template.fromStack(stack).findResources('AWS::IAM::Role')).filter(([id]) => id.startsWith('Ci'));
    return role[1].Properties.AssumeRolePolicyDocument.Statement.map((s: any) => s.Principal.Federated);
  }

  test.each([
    ['iam.IOidcProvider (OidcProviderNative.fromOidcProviderArn)', (stack: Stack) => iam.OidcProviderNative.fromOidcProviderArn(stack, 'P', PROVIDER_ARN)],
    [
      'iam.IOpenIdConnectProvider (OpenIdConnectProvider.fromOpenIdConnectProviderArn)',
      (stack: Stack) => iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'P', PROVIDER_ARN),
    ],
  ])('an imported %s is trusted by its ARN in every statement', (_, makeProvider) => {
    expect(federatedPrincipals(makeProvider)).toEqual([PROVIDER_ARN, PROVIDER_ARN]);
  });

  test('a new OpenIdConnectProvider (custom resource) is trusted through a reference to it', () => {
    const principals = federatedPrincipals((stack) => new iam.OpenIdConnectProvider(stack, 'P', { url: 'https://token.actions.githubusercontent.com', clientIds: ['sts.amazonaws.com'] }));
    expect(principals).toEqual([{ Ref: expect.stringMatching(/^P/) }, { Ref: expect.stringMatching(/^P/) }]);
  });
});

describe('GitHubActionsRole trust policy', () => {
  const { role, template } = synth({ owner: 'example-org', repository: 'sandbox-app', subjectFormat: SubjectFormat.NAME, tagPatterns: ['v*'], branches: ['main'], environments: ['production'] });
  const trust = role.AssumeRolePolicyDocument;

  test('checks aud with StringEquals, exact subjects with StringEquals and only tag patterns with StringLike', () => {
    expect(trust.Statement).toEqual([
      {
        Action: 'sts:AssumeRoleWithWebIdentity',
        Effect: 'Allow',
        Principal: { Federated: PROVIDER_ARN },
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': ['repo:example-org/sandbox-app:ref:refs/heads/main', 'repo:example-org/sandbox-app:environment:production'],
          },
        },
      },
      {
        Action: 'sts:AssumeRoleWithWebIdentity',
        Effect: 'Allow',
        Principal: { Federated: PROVIDER_ARN },
        Condition: {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
          StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:example-org/sandbox-app:ref:refs/tags/v*'] },
        },
      },
    ]);
  });

  test.each([
    ['a version tag', 'repo:example-org/sandbox-app:ref:refs/tags/v1.2.3', true],
    ['the main branch', 'repo:example-org/sandbox-app:ref:refs/heads/main', true],
    ['the production environment', 'repo:example-org/sandbox-app:environment:production', true],
    ['another repository of the owner', 'repo:example-org/other-app:ref:refs/tags/v1.2.3', false],
    ['a fork under another owner', 'repo:attacker/sandbox-app:ref:refs/tags/v1.2.3', false],
    ['a repository whose name only starts the same', 'repo:example-org/sandbox-app-evil:ref:refs/tags/v1', false],
    ['a tag outside the pattern', 'repo:example-org/sandbox-app:ref:refs/tags/release-1', false],
    ['another branch', 'repo:example-org/sandbox-app:ref:refs/heads/feature', false],
    ['a branch named like a tag', 'repo:example-org/sandbox-app:ref:refs/heads/v1', false],
    ['another environment', 'repo:example-org/sandbox-app:environment:staging', false],
    ['a pull request', 'repo:example-org/sandbox-app:pull_request', false],
  ])('%s (%s): admitted %s', (_name, sub, admitted) => {
    expect(trustAdmits(trust, PROVIDER_ARN, claims(sub))).toBe(admitted);
  });

  test('a token for another audience is refused even from the right ref', () => {
    expect(trustAdmits(trust, PROVIDER_ARN, claims('repo:example-org/sandbox-app:ref:refs/heads/main', 'https://example.com'))).toBe(false);
  });

  test('the OIDC provider is native, for the GitHub issuer and sts.amazonaws.com, without thumbprints', () => {
    const provider = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::IAM::OIDCProvider');
    expect(provider.Properties).toEqual({ Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] });
  });

  test('may push to and look up images in its repositories only; GetAuthorizationToken alone is on *', () => {
    expect(role.Policies).toEqual([
      {
        PolicyName: 'Permissions',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
            {
              Sid: 'PushImages',
              Effect: 'Allow',
              Action: [
                'ecr:BatchCheckLayerAvailability',
                'ecr:BatchGetImage',
                'ecr:CompleteLayerUpload',
                // A re-run of the release finds the images it pushed already.
                'ecr:DescribeImages',
                'ecr:GetDownloadUrlForLayer',
                'ecr:InitiateLayerUpload',
                'ecr:PutImage',
                'ecr:UploadLayerPart',
              ],
              Resource: 'arn:aws:ecr:ap-northeast-1:123456789012:repository/sandbox/main/app',
            },
          ],
        },
      },
    ]);
    expect(role.MaxSessionDuration).toBe(3600);
  });

  test('without repositories the role has no permissions at all', () => {
    expect(synth({ owner: 'o', repository: 'r', subjectFormat: SubjectFormat.NAME, tagPatterns: ['v*'] }, false).role.Policies).toBeUndefined();
  });
});

describe('GitHub subjects', () => {
  // GitHub: repositories created (or renamed) on or after 15 July 2026 send the immutable form
  // repo:<owner>@<owner-id>/<repo>@<repo-id>:... by default (GitHub changelog 2026-04-23, "Immutable
  // subject claims for GitHub Actions OIDC tokens"; docs "OpenID Connect", immutable subject claims).
  // It is the default here as in the platform spec (ci.subjectFormat), so a standalone role trusts
  // what new repositories send.
  test('the immutable form, the default, names owner and repository ids, and the old name form is then refused', () => {
    const { role } = synth({ owner: 'example-org', ownerId: '111', repository: 'sandbox-app', repositoryId: '222', tagPatterns: ['v*'] });
    const trust = role.AssumeRolePolicyDocument;
    expect(trustAdmits(trust, PROVIDER_ARN, claims('repo:example-org@111/sandbox-app@222:ref:refs/tags/v2.0.0'))).toBe(true);
    expect(trustAdmits(trust, PROVIDER_ARN, claims('repo:example-org/sandbox-app:ref:refs/tags/v2.0.0'))).toBe(false);
    // A repository re-created under the same name gets a new id, so it is refused.
    expect(trustAdmits(trust, PROVIDER_ARN, claims('repo:example-org@111/sandbox-app@999:ref:refs/tags/v2.0.0'))).toBe(false);
  });

  test('allBranches trusts every branch of the repository through one pattern, and a fork\'s branch or a pull request not at all', () => {
    const subjects = githubSubjects({ owner: 'o', repository: 'r', subjectFormat: SubjectFormat.NAME, allBranches: true });
    expect(subjects).toEqual({ exact: [], patterns: ['repo:o/r:ref:refs/heads/*'] });
    const { role } = synth({ owner: 'example-org', ownerId: '111', repository: 'sandbox-app', repositoryId: '222', allBranches: true });
    const trust = role.AssumeRolePolicyDocument;
    expect(trustAdmits(trust, PROVIDER_ARN, claims('repo:example-org@111/sandbox-app@222:ref:refs/heads/feature/a'))).toBe(true);
    expect(trustAdmits(trust, PROVIDER_ARN, claims('repo:example-org@111/sandbox-app@222:pull_request'))).toBe(false);
    expect(trustAdmits(trust, PROVIDER_ARN, claims('repo:attacker@333/sandbox-app@444:ref:refs/heads/feature/a'))).toBe(false);
    expect(trustAdmits(trust, PROVIDER_ARN, claims('repo:example-org@111/sandbox-app@222:ref:refs/tags/v1'))).toBe(false);
  });

  test('pull requests are trusted only when asked', () => {
    expect(githubSubjects({ owner: 'o', repository: 'r', subjectFormat: SubjectFormat.NAME, pullRequests: true })).toEqual({ exact: ['repo:o/r:pull_request'], patterns: [] });
  });

  test.each([
    [{ owner: '*', repository: 'r', tagPatterns: ['v*'] }, "owner '*' must name one owner"],
    [{ owner: 'o', repository: '*', tagPatterns: ['v*'] }, "repository '*' must name one repository"],
    [{ owner: 'o', repository: 'r', subjectFormat: SubjectFormat.NAME, tagPatterns: ['*'] }, "tag pattern '*' matches every tag"],
    [{ owner: 'o', repository: 'r', subjectFormat: SubjectFormat.NAME, tagPatterns: ['v?'] }, "only '*' wildcards"],
    [{ owner: 'o', repository: 'r', subjectFormat: SubjectFormat.NAME, branches: ['release/*'] }, "'release/*' has a wildcard"],
    [{ owner: 'o', repository: 'r', subjectFormat: SubjectFormat.NAME }, 'nothing could assume the role'],
    [{ owner: 'o', repository: 'r', subjectFormat: SubjectFormat.NAME, allBranches: true, branches: ['main'] }, 'allBranches trusts every branch already; remove branches (main)'],
    [{ owner: 'o', repository: 'r', tagPatterns: ['v*'] }, "the immutable subject form (the default: what repositories created since 15 July 2026 send) needs ownerId and repositoryId ('gh api repos/o/r --jq \"[.owner.id, .id]\"'); or set subjectFormat: SubjectFormat.NAME"],
    [{ owner: 'o', repository: 'r', tagPatterns: ['v*'], ownerId: '1' }, 'the immutable subject form (the default: what repositories created since 15 July 2026 send) needs repositoryId'],
    [{ owner: 'o', repository: 'r', tagPatterns: ['v*'], ownerId: 'o', repositoryId: '2' }, "ownerId 'o' is not a numeric GitHub id"],
    [{ owner: 'o', repository: 'r', subjectFormat: SubjectFormat.NAME, tagPatterns: ['v*'], ownerId: '1' }, 'ownerId applies only to the immutable subject form'],
  ])('refuses a filter that is too wide or empty: %j', (filter, message) => {
    expect(() => githubSubjects(filter)).toThrow(message);
  });
});

describe('GitHubOidcProvider', () => {
  test('imports the account provider instead of creating a second one', () => {
    const stack = new Stack();
    const provider = new GitHubOidcProvider(stack, 'Oidc', { existingProviderArn: PROVIDER_ARN });
    new GitHubActionsRole(stack, 'Ci', { provider: provider.provider, subjects: { owner: 'o', repository: 'r', subjectFormat: SubjectFormat.NAME, tagPatterns: ['v*'] } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Federated: PROVIDER_ARN } }] },
    });
  });

  test('refuses a provider of another issuer', () => {
    expect(() => new GitHubOidcProvider(new Stack(), 'Oidc', { existingProviderArn: 'arn:aws:iam::123456789012:oidc-provider/example.com' })).toThrow(
      'is not a provider for token.actions.githubusercontent.com',
    );
  });
});

describe('the CI role allows exactly the calls the release workflow makes', () => {
  // The API calls behind each tool of the workflow, from AWS's and the tools' documentation:
  // - ECR User Guide, "Required IAM permissions for pushing an image" (the registry API's blob and
  //   manifest uploads) and "... for pulling an image";
  // - ECR API reference, ListImageReferrers: the OCI referrers API needs ecr:BatchGetImage (cosign 3
  //   stores its signature bundle as a referrer of the digest, and finds it there to verify);
  // - aws-actions/amazon-ecr-login calls GetAuthorizationToken, which has no resource-level permission.
  // BuildKit's cache is the GitHub Actions cache (type=gha), not ECR: it needs no AWS permission.
  const PUSH = ['ecr:BatchCheckLayerAvailability', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage'];
  const PULL = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
  const TOOL_CALLS: Record<string, string[]> = {
    'aws-actions/amazon-ecr-login': ['ecr:GetAuthorizationToken'],
    // The image exporter with push=true pushes the layers, the attestation manifests and the index.
    'docker/build-push-action': PUSH,
    // Reads the subject's manifest, pushes the bundle blob and the referrer manifest.
    'cosign sign': [...PULL, ...PUSH],
    'cosign verify': PULL,
    // With the platform's KMS key (`--key awskms://`): cosign's KMS signer also reads the key
    // (GetPublicKey, DescribeKey) and signs with it (sigstore/sigstore pkg/signature/kms/aws).
    'cosign sign --key': [...PULL, ...PUSH, ...COSIGN_KMS_SIGN_ACTIONS],
    'cosign verify --key': [...PULL, 'kms:DescribeKey', 'kms:GetPublicKey'],
  };

  const platform = Platform.resolve(specWithApps(2));
  const template = Template.fromStack(new GitOpsPlatform(cdkApp(), 'w', { platform }).platformStack).toJSON();
  const registry = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com';
  const repositoryArn = (name: string) => `arn:aws:ecr:ap-northeast-1:123456789012:repository/${name}`;

  /** The resolved identity policies of an app's CI role: inline, and any policy resource attached to it. */
  const policiesOf = (roleName: string) => {
    const [id, role] = Object.entries<any>(template.Resources).find(([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === roleName)!;
    const attached = Object.values<any>(template.Resources).filter(
      (r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles ?? []).some((ref: any) => ref.Ref === id),
    );
    return [...(role.Properties.Policies ?? []), ...attached.map((p) => p.Properties)].map((p: any) => resolveIntrinsics(p.PolicyDocument, template));
  };

  /** The IAM actions behind what the app's workflow runs: its `aws ecr` commands, its ECR actions and cosign. */
  const workflowCalls = (app: (typeof platform.apps)[number]) => {
    const file = new CiWorkflows(platform).repositories().flatMap((r) => r.files).find((f) => f.path.endsWith(`release-${app.name}.yml`))!;
    const jobs = Object.values<any>(parse(file.content).jobs);
    const steps = jobs.flatMap((j) => j.steps as any[]);
    const scripts = steps.map((s) => s.run ?? '').join('\n');
    const cli = [...scripts.matchAll(/\baws ecr ([a-z-]+)/g)].map((m) => `ecr:${m[1].replace(/(^|-)([a-z])/g, (_x, _d, c: string) => c.toUpperCase())}`);
    const tools = [
      ...steps.filter((s) => s.uses).map((s) => s.uses.split('@')[0]),
      ...[...scripts.matchAll(/\bcosign (sign|verify)\b( --yes)?( --key)?/g)].map((m) => `cosign ${m[1]}${m[3] ?? ''}`),
    ].flatMap((t) => TOOL_CALLS[t] ?? []);
    const build = steps.find((s) => s.uses?.startsWith('docker/build-push-action'));
    return { calls: [...new Set([...cli, ...tools])].sort(), build, scripts };
  };

  const [app1, app2] = platform.apps;
  const { calls, build } = workflowCalls(app1);
  const ownRepositories = [...app1.containers.map((c) => c.image.repositoryName), app1.migration!.image.repositoryName];
  const policies = policiesOf(app1.ci.role.roleName);
  // The platform's image signing key (the apps are delivered by the Image Updater and sign).
  const [signingKeyId] = Object.entries<any>(template.Resources).find(([, r]) => r.Type === 'AWS::KMS::Key')!;
  const signingKeyArn = `arn:aws:kms:ap-northeast-1:123456789012:key/${signingKeyId}`;
  const resourcesOf = (action: string) =>
    action === 'ecr:GetAuthorizationToken' ? ['*'] : action.startsWith('kms:') ? [signingKeyArn] : ownRepositories.map(repositoryArn);

  test('the workflow calls: ECR login, describe, pull and push (image, signature and attestations alike), and signing with the key, nothing else', () => {
    expect(calls).toEqual([
      'ecr:BatchCheckLayerAvailability',
      'ecr:BatchGetImage',
      'ecr:CompleteLayerUpload',
      'ecr:DescribeImages',
      'ecr:GetAuthorizationToken',
      'ecr:GetDownloadUrlForLayer',
      'ecr:InitiateLayerUpload',
      'ecr:PutImage',
      'ecr:UploadLayerPart',
      'kms:DescribeKey',
      'kms:GetPublicKey',
      'kms:Sign',
    ]);
    // The build cache is GitHub's, and the image goes to the app's own registry.
    expect([build.with['cache-from'], build.with['cache-to']].every((c: string) => c.startsWith('type=gha,'))).toBe(true);
    expect(build.with.outputs).toMatch(/^type=image,name=\$\{\{ env\.REGISTRY \}\}\/\$\{\{ matrix\.repository \}\},/);
    expect(parse(new CiWorkflows(platform).repositories()[0].files[0].content).env.REGISTRY).toBe(registry);
  });

  test('every call is allowed on each of the app\'s repositories (login on *; the KMS calls on the signing key)', () => {
    const denied = calls.flatMap((action) => resourcesOf(action).filter((r) => !identityPolicyAllows(policies, action, r)).map((r) => `${action} ${r}`));
    expect(denied).toEqual([]);
  });

  test('none is allowed on another app\'s repository or one the platform does not own', () => {
    const others = [...app2.containers.map((c) => c.image.repositoryName), 'sandbox/other', 'another/app1/app'].map(repositoryArn);
    const allowed = calls.filter((a) => a !== 'ecr:GetAuthorizationToken').flatMap((a) => others.filter((r) => identityPolicyAllows(policies, a, r)).map((r) => `${a} ${r}`));
    expect(allowed).toEqual([]);
  });

  test('nothing else is allowed: the policies name exactly those actions, and deleting, retagging rules, policies and scans are refused', () => {
    const actions = policies.flatMap((d) => d.Statement.flatMap((s: any) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
    expect([...new Set(actions)].sort()).toEqual(calls);
    for (const action of [
      'ecr:BatchDeleteImage',
      'ecr:DeleteRepository',
      'ecr:SetRepositoryPolicy',
      'ecr:PutImageTagMutability',
      'ecr:PutLifecyclePolicy',
      'ecr:PutImageScanningConfiguration',
      'ecr:StartImageScan',
      'ecr:ListImages',
      'ecr:CreateRepository',
      's3:PutObject',
      'sts:AssumeRole',
    ]) {
      expect({ action, allowed: identityPolicyAllows(policies, action, repositoryArn(ownRepositories[0])) }).toEqual({ action, allowed: false });
    }
  });
});
