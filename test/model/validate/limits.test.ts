// Templates that cannot deploy, refused by validation with the field named. The limits, from the
// IAM user guide ("IAM and AWS STS quotas"): a role's trust policy may have 2,048 characters by
// default ("Role trust policy length", adjustable in Service Quotas), a role's inline policies 10,240
// together (not adjustable); IAM counts neither without white space. From the EKS user guide
// ("Create access entries"): one access entry per IAM principal on a cluster; the node role's entry
// (type EC2) is EKS's. Partitions (aws, aws-cn, aws-us-gov) share no principals or resources.
import { Template } from 'aws-cdk-lib/assertions';
import { BUILT_IN_ADDONS } from '../../../lib/addons/built-in';
import { GitOpsPlatform } from '../../../lib/aws/gitops-platform';
import { validateSpec } from '../../../lib/model/validate';
import { ciTrustPolicy, MAX_ROLE_INLINE_POLICY_LENGTH, MAX_TRUST_POLICY_LENGTH, migrationPolicy, policySize } from '../../../lib/model/validate/limits';
import { PlatformSpecLoader } from '../../../lib/platform/loader';
import { Platform } from '../../../lib/platform/platform';
import { cdkApp, sandboxSpec, twoEnvironmentsSpec } from '../../fixtures';
import { resolveRole, resolveIntrinsics } from '../../support/iam-eval';

const problems = (spec: any) => validateSpec(spec, BUILT_IN_ADDONS).map((p) => `${p.path}: ${p.message}`);
const sandbox = (mutate: (s: any) => void) => {
  const s = sandboxSpec();
  mutate(s);
  return problems(s);
};
const two = (mutate: (s: any) => void) => {
  const s = twoEnvironmentsSpec();
  mutate(s);
  return problems(s);
};
const HUB = { managed: true, hub: 'staging', identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef' } };

describe('the sizes validation computes are those of the synthesized policies', () => {
  // A spec near the limits: many branches and environments, and many migration resources.
  const spec = sandboxSpec();
  spec.apps[0].ci.branches = Array.from({ length: 6 }, (_, i) => `release-${i}`);
  spec.apps[0].ci.environments = ['production'];
  spec.apps[0].ci.tagPatterns = ['v*', 'app-v*'];
  spec.apps[0].migration.permissions = [
    { actions: ['rds-db:connect'], resources: Array.from({ length: 20 }, (_, i) => `arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:db-ABC/user${i}`) },
    { actions: ['s3:GetObject', 's3:PutObject'], resources: ['arn:aws:s3:::sandbox-data/*'] },
  ];
  const platform = Platform.resolve(PlatformSpecLoader.fromObject(spec));
  const app = cdkApp();
  const template = Template.fromStack(new GitOpsPlatform(app, platform.qualifiedName, { platform }).platformStack).toJSON();
  const roleNamed = (name: string) => Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === name)!;

  test("the CI role's trust policy", () => {
    const role = resolveRole(roleNamed(platform.apps[0].ci.role.roleName).Properties, template);
    const provider = role.AssumeRolePolicyDocument.Statement[0].Principal.Federated;
    // The template names the provider it creates; validation, the ARN that provider gets.
    expect(provider).toMatch(/oidc-provider\/token.actions.githubusercontent.com$/);
    expect(policySize(ciTrustPolicy(platform, platform.apps[0]))).toBe(policySize(role.AssumeRolePolicyDocument));
  });

  test("the migration role's inline policy", () => {
    const migration = platform.apps[0].migration!.role!;
    const role = roleNamed(migration.roleName);
    const inline = resolveIntrinsics(role.Properties.Policies, template);
    expect(inline).toHaveLength(1);
    expect(policySize(migrationPolicy(platform.apps[0]))).toBe(policySize(inline[0].PolicyDocument));
  });
});

describe('limits', () => {
  test(`a CI trust policy over ${MAX_TRUST_POLICY_LENGTH} characters`, () => {
    const result = sandbox((s) => (s.apps[0].ci.branches = Array.from({ length: 20 }, (_, i) => `release-branch-${i}-${'x'.repeat(60)}`)));
    expect(result).toEqual([expect.stringMatching(/^apps\[0\]\.ci: gives the CI role 'sandbox-main-ci' a trust policy of \d+ characters; IAM's quota 'Role trust policy length' is 2048/)]);
  });

  test('a CI trust policy just within the limit is accepted', () => {
    // Grow the branches until one more would cross the limit.
    const spec = sandboxSpec();
    spec.apps[0].ci.branches = [];
    const platformOf = () => Platform.resolve(PlatformSpecLoader.fromObject(spec));
    while (policySize(ciTrustPolicy(platformOf(), platformOf().apps[0])) + 120 < MAX_TRUST_POLICY_LENGTH) spec.apps[0].ci.branches.push(`branch-${spec.apps[0].ci.branches.length}`);
    expect(problems(spec)).toEqual([]);
  });

  test(`a migration policy over ${MAX_ROLE_INLINE_POLICY_LENGTH} characters`, () => {
    const result = sandbox((s) => {
      s.apps[0].migration.permissions = Array.from({ length: 10 }, (_, i) => ({
        actions: ['rds-db:connect'],
        resources: Array.from({ length: 20 }, (_unused, j) => `arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:db-ABCDEFGHIJKLMNOP${i}/user${j}`),
      }));
    });
    expect(result).toEqual([expect.stringMatching(/^apps\[0\]\.migration\.permissions: make an inline policy of \d+ characters for the migration role 'sandbox-main-migration'; IAM allows a role 10240/)]);
  });
});

describe('permissions a migration may not have', () => {
  test.each(['iam:AttachRolePolicy', 'iam:PutRolePolicy', 'iam:CreatePolicyVersion', 'iam:PassRole', 'iam:UpdateAssumeRolePolicy'])('%s', (action) => {
    const result = sandbox((s) => (s.apps[0].migration.permissions = [{ actions: ['rds-db:connect', action], resources: ['arn:aws:iam::123456789012:role/sandbox-main-migration'] }]));
    expect(result).toEqual([expect.stringMatching(/^apps\[0\]\.migration\.permissions\[0\]\.actions\[1\]: '.*' lets the migration role change IAM permissions/)]);
  });

  test('iam:GetRole (a read) is allowed', () => {
    expect(sandbox((s) => (s.apps[0].migration.permissions = [{ actions: ['iam:GetRole'], resources: ['arn:aws:iam::123456789012:role/x'] }]))).toEqual([]);
  });

  test('an environment override that escalates is blamed there', () => {
    const result = two((s) => s.environments[1].apps[0].migrationPermissions[0].actions.push('iam:PutRolePolicy'));
    expect(result).toEqual([expect.stringMatching(/^environments\[1\]\.apps\[0\]\.migrationPermissions\[0\]\.actions\[1\]: 'iam:PutRolePolicy' lets/)]);
  });
});

describe('partitions', () => {
  test.each([
    ['an admin role', (s: any) => s.cluster.adminRoleArns.push('arn:aws-cn:iam::123456789012:role/x'), 'cluster.adminRoleArns[1]'],
    ['a certificate', (s: any) => (s.apps[0].ingress.certificateArn = 'arn:aws-cn:acm:ap-northeast-1:123456789012:certificate/abc'), 'apps[0].ingress.certificateArn'],
    ['a migration resource', (s: any) => (s.apps[0].migration.permissions = [{ actions: ['rds-db:connect'], resources: ['arn:aws-us-gov:rds-db:ap-northeast-1:123456789012:dbuser:db-A/app'] }]), 'apps[0].migration.permissions[0].resources[0]'],
  ])('%s in another partition', (_name, mutate, path) => {
    expect(sandbox(mutate)).toEqual([expect.stringMatching(new RegExp(`^${path.replace(/[[\].]/g, '\\$&')}: '.*' is in partition aws-(cn|us-gov), but .* is in aws \\(region ap-northeast-1\\)`))]);
  });

  test('the OIDC provider in another partition than the CI roles', () => {
    expect(sandbox((s) => (s.github.oidcProviderArn = 'arn:aws-us-gov:iam::123456789012:oidc-provider/token.actions.githubusercontent.com'))).toEqual([
      expect.stringMatching(/^github\.oidcProviderArn: '.*' is in partition aws-us-gov, but the CI roles are in aws/),
    ]);
  });

  test("an environment's region in another partition than the images", () => {
    const result = two((s) => {
      s.environments[1].aws.region = 'cn-north-1';
      s.environments[1].cluster.adminRoleArns = ['arn:aws-cn:iam::222222222222:role/platform-admin'];
      delete s.environments[1].apps[0].migrationPermissions;
      delete s.apps[0].migration.permissions;
    });
    expect(result).toEqual([expect.stringMatching(/^environments\[1\]\.aws\.region: 'cn-north-1' is in partition aws-cn, but the images are in aws \(environment 'staging', ap-northeast-1\)/)]);
  });
});

describe('access entries', () => {
  test('the same admin role twice', () => {
    expect(sandbox((s) => s.cluster.adminRoleArns.push('arn:aws:iam::123456789012:role/platform-admin'))).toEqual([
      "cluster.adminRoleArns[1]: 'arn:aws:iam::123456789012:role/platform-admin' is already cluster.adminRoleArns[0]; an EKS cluster has one access entry per principal, so the second fails the deploy: list it once",
    ]);
  });

  test("a spoke admin that is the hub's role", () => {
    const result = two((s) => {
      s.argocd = HUB;
      s.environments[1].cluster.adminRoleArns.push('arn:aws:iam::111111111111:role/shop-staging-argocd');
    });
    expect(result).toEqual([expect.stringMatching(/^environments\[1\]\.cluster\.adminRoleArns\[1\]: '.*shop-staging-argocd' is the role of the hub's Argo CD/)]);
  });

  test('the node role as a cluster admin', () => {
    const result = two((s) => s.environments[1].cluster.adminRoleArns.push('arn:aws:iam::222222222222:role/shop-production-nodes'));
    expect(result).toEqual([expect.stringMatching(/^environments\[1\]\.cluster\.adminRoleArns\[1\]: '.*shop-production-nodes' is the cluster's node role/)]);
  });
});

describe("controllers' requests and limits", () => {
  // The API server refuses a container whose request exceeds its limit ("must be less than or equal
  // to memory limit", Kubernetes "Resource Management for Pods and Containers": a request may not be
  // above the limit), so the chart's release would fail on the cluster.
  test('a memory request raised past the default limit names the request and the default', () => {
    expect(sandbox((s) => (s.cluster.controllers = { argocdRepoServer: { memoryRequest: '2Gi' } }))).toEqual([
      "cluster.controllers.argocdRepoServer.memoryRequest: makes the memory request '2Gi' of argocd-repo-server larger than its limit '1Gi' (the workload's default); " +
        "Kubernetes refuses a container whose request exceeds its limit: give memoryLimit at least '2Gi', or a smaller memoryRequest",
    ]);
  });

  test('a CPU limit below the default request names the limit; units are compared, not strings', () => {
    expect(sandbox((s) => (s.cluster.controllers = { argocdServer: { cpuLimit: '0.04' } }))).toEqual([
      "cluster.controllers.argocdServer.cpuLimit: makes the cpu request '50m' of argocd-server larger than its limit '0.04'; " +
        "Kubernetes refuses a container whose request exceeds its limit: give cpuLimit at least '50m', or a smaller cpuRequest",
    ]);
    // 1Gi (1073741824 bytes) is above 1000Mi (1048576000), and 1G (1e9) below 1Gi: no string order.
    expect(sandbox((s) => (s.cluster.controllers = { argocdRepoServer: { memoryRequest: '1000Mi', memoryLimit: '1Gi' }, argocdServer: { cpuRequest: '1', cpuLimit: '1000m' } }))).toEqual([]);
    expect(sandbox((s) => (s.cluster.controllers = { argocdRepoServer: { memoryRequest: '1Gi', memoryLimit: '1G' } }))).toEqual([
      expect.stringMatching(/^cluster\.controllers\.argocdRepoServer\.memoryRequest: makes the memory request '1Gi' of argocd-repo-server larger than its limit '1G';/),
    ]);
  });

  test("an environment's controllers are blamed there", () => {
    const result = two((s) => (s.environments[1].cluster.controllers = { externalSecretsWebhook: { memoryRequest: '512Mi' } }));
    expect(result).toEqual([expect.stringMatching(/^environments\[1\]\.cluster\.controllers\.externalSecretsWebhook\.memoryRequest: makes the memory request '512Mi' of external-secrets-webhook larger than its limit '256Mi'/)]);
  });
});

describe("applications' and migrations' requests and limits", () => {
  // The same rule of the API server as for the controllers above, for the pods the manifest tree
  // writes: the app's containers (defaults 200m/400m CPU, 64Mi/128Mi memory) and its migration Job.
  test("a container's memory request raised past the default limit is refused at the request", () => {
    expect(sandbox((s) => (s.apps[0].containers[0].resources = { memoryRequest: '256Mi' }))).toEqual([
      "apps[0].containers[0].resources.memoryRequest: '256Mi' is larger than the memory limit '128Mi'; " +
        "Kubernetes refuses a container whose request exceeds its limit: give memoryLimit at least '256Mi', or a smaller memoryRequest",
    ]);
  });

  test("the migration's CPU, compared by value, and a request equal to its limit is fine", () => {
    expect(sandbox((s) => (s.apps[0].migration.resources = { cpuRequest: '0.5', cpuLimit: '400m' }))).toEqual([
      expect.stringMatching(/^apps\[0\]\.migration\.resources\.cpuRequest: '0\.5' is larger than the cpu limit '400m'; /),
    ]);
    expect(sandbox((s) => (s.apps[0].containers[0].resources = { cpuRequest: '1', cpuLimit: '1000m', memoryRequest: '1Gi', memoryLimit: '1024Mi' }))).toEqual([]);
  });
});
