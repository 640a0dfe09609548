import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PlatformCdkApp } from '../../lib/app/cdk-app';
import { ECR_PULL_ACTIONS, ECR_READ_ACTIONS } from '../../lib/aws/cross-account-pull';
import { ECR_PUSH_ACTIONS } from '../../lib/aws/github-actions-role';
import { GitOpsCluster } from '../../lib/aws/gitops-cluster';
import { GitOpsPlatform } from '../../lib/aws/gitops-platform';
import { ImageRepository } from '../../lib/aws/image-repository';
import { POD_IDENTITY_PRINCIPAL } from '../../lib/aws/pod-identity-role';
import { CiWorkflows } from '../../lib/ci/ci-workflows';
import { GITHUB_OIDC_HOST } from '../../lib/model/github-subjects';
import type { ResolvedPlatform, ResolvedWorkloadRole } from '../../lib/model/resolved';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { cdkApp, repoPath, sandboxPlatform, specWithEnvironments, twoEnvironmentsSpec } from '../fixtures';
import {
  EvalContext,
  environmentContext,
  resolveIntrinsics,
  resolveRole,
  resourcePolicyAllows,
  templateExports,
  trustAdmits,
  trustAdmitsService,
} from '../support/iam-eval';

/** One environment as deployed: its platform, its stacks' templates, and what CloudFormation would fill in. */
interface Deployed {
  readonly platform: ResolvedPlatform;
  readonly gitops: GitOpsPlatform;
  readonly context: EvalContext;
  /** Every stack of the environment with its template. */
  readonly templates: { stack: Stack; json: any }[];
  /** Every IAM role of the environment's stacks, resolved (trust policies parsed), with its stack. */
  readonly roles: { stack: Stack; logicalId: string; properties: any }[];
  /** The ARN of its cluster's OIDC provider, as IAM names it. */
  readonly clusterProviderArn: string;
}

/** Synthesizes every environment of a spec, as `cdk synth` does, and resolves each one's templates in its own account. */
function deploy(platforms: ResolvedPlatform[]): Deployed[] {
  const app = cdkApp();
  const gitops = PlatformCdkApp.addEnvironments(app, { platforms, nag: false });
  return platforms.map((platform, i) => {
    const context = environmentContext(platform.account, platform.region, platform.cluster.name);
    const platformStack = gitops[i].platformStack;
    const exports = templateExports(Template.fromStack(platformStack).toJSON(), platformStack.stackName, context);
    const templates = [platformStack, ...gitops[i].appsStacks].map((stack) => ({ stack, json: Template.fromStack(stack).toJSON() }));
    const roles = templates.flatMap(({ stack, json }) =>
      Object.entries<any>(json.Resources)
        .filter(([, r]) => r.Type === 'AWS::IAM::Role')
        .map(([logicalId, r]) => ({ stack, logicalId, properties: resolveRole(r.Properties, json, exports, context) })),
    );
    return { platform, gitops: gitops[i], context, templates, roles, clusterProviderArn: `arn:aws:iam::${platform.account}:oidc-provider/${context.issuer}` };
  });
}

const resourcesOf = (d: Deployed, type: string) =>
  d.templates.flatMap(({ json }) => Object.entries<any>(json.Resources).filter(([, r]) => r.Type === type).map(([id, r]) => ({ id, r, json })));
const outputsOf = (d: Deployed) => d.templates.flatMap(({ json }) => Object.keys(json.Outputs ?? {}));
const statementsOf = (document: any): any[] => [document?.Statement ?? []].flat();
const asArray = (v: any): any[] => [v ?? []].flat();

/** Every role of the platform's ServiceAccounts, as resolved: the add-ons' and the applications'. */
const serviceAccountRoles = (platform: ResolvedPlatform): ResolvedWorkloadRole[] => [
  ...platform.workloadRoles,
  ...platform.apps.flatMap((app) => app.workloadRoles),
];

const irsaClaims = (issuer: string, subject: string) => ({ [`${issuer}:sub`]: subject, [`${issuer}:aud`]: 'sts.amazonaws.com' });

const twoEnvironments = Platform.resolveEnvironments(PlatformSpecLoader.fromFile(repoPath('examples', 'two-environments', 'platform.yaml')));
const [staging, production] = deploy(twoEnvironments);
const fiveEnvironments = Platform.resolveEnvironments(specWithEnvironments(5));
const five = deploy(fiveEnvironments);

describe('one set of stacks per environment, each in its own account and region', () => {
  test('the two-environment example: <platform>-<environment>-platform in 111111111111 and 222222222222', () => {
    const where = (d: Deployed) => [d.gitops.platformStack.stackName, d.gitops.platformStack.account, d.gitops.platformStack.region];
    expect([staging, production].map(where)).toEqual([
      ['shop-staging-platform', '111111111111', 'ap-northeast-1'],
      ['shop-production-platform', '222222222222', 'ap-northeast-1'],
    ]);
    expect([staging, production].map((d) => d.gitops.appsStacks)).toEqual([[], []]);
  });

  test('application stacks are per environment too, in the environment of their platform stack', () => {
    const spec = twoEnvironmentsSpec();
    spec.apps[0].stack = 'storefront';
    const deployed = deploy(Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec)));
    expect(deployed.map((d) => d.gitops.appsStacks.map((s) => [s.stackName, s.account, s.region]))).toEqual([
      [['shop-staging-storefront', '111111111111', 'ap-northeast-1']],
      [['shop-production-storefront', '222222222222', 'ap-northeast-1']],
    ]);
    // The apps stack of the environment that pulls its images holds the workload roles only.
    const productionApps = deployed[1].templates[1].json;
    expect(Object.values<any>(productionApps.Resources).map((r) => r.Type).sort()).toEqual(['AWS::IAM::Role', 'AWS::IAM::Role', 'AWS::IAM::Role']);
  });

  test('five environments in four accounts and two regions, every stack id unique', () => {
    expect(five.map((d) => [d.gitops.platformStack.stackName, d.gitops.platformStack.account, d.gitops.platformStack.region])).toEqual([
      ['shop-dev-platform', '111111111111', 'ap-northeast-1'],
      ['shop-qa-platform', '111111111111', 'ap-northeast-1'],
      ['shop-staging-platform', '333333333333', 'ap-northeast-1'],
      ['shop-production-platform', '222222222222', 'ap-northeast-1'],
      ['shop-production-eu-platform', '444444444444', 'eu-west-1'],
    ]);
  });

  test('addEnvironments refuses no environment, and one environment given twice', () => {
    expect(() => PlatformCdkApp.addEnvironments(cdkApp(), { platforms: [], nag: false })).toThrow(
      'PlatformCdkApp.addEnvironments: platforms is empty; give Platform.resolveEnvironments(spec)',
    );
    expect(() => PlatformCdkApp.addEnvironments(cdkApp(), { platforms: [twoEnvironments[0], twoEnvironments[0]], nag: false })).toThrow(
      "PlatformCdkApp.addEnvironments: platforms names 'shop-staging' twice; give each environment of one spec once (Platform.resolveEnvironments)",
    );
  });

  test('addPlatform of a spec without environments builds what addEnvironments builds: the same template', () => {
    const viaPlatform = PlatformCdkApp.addPlatform(cdkApp(), { platform: sandboxPlatform(), nag: false });
    const viaEnvironments = PlatformCdkApp.addEnvironments(cdkApp(), { platforms: [sandboxPlatform()], nag: false })[0];
    expect(viaPlatform.platformStack.stackName).toBe('sandbox-platform');
    expect(Template.fromStack(viaEnvironments.platformStack).toJSON()).toEqual(Template.fromStack(viaPlatform.platformStack).toJSON());
  });
});

describe('images are built once, into the registry environment', () => {
  const githubProviders = (d: Deployed) =>
    resourcesOf(d, 'AWS::IAM::OIDCProvider').filter(({ r, json }) => String(resolveIntrinsics(r.Properties.Url, json)).includes(GITHUB_OIDC_HOST));

  test('only the registry environment has the ECR repositories, the CI roles, the GitHub OIDC provider and their outputs', () => {
    for (const d of [staging, ...five.slice(0, 1)]) {
      expect(d.platform.images.holdsRepositories).toBe(true);
      expect(resourcesOf(d, 'AWS::ECR::Repository').map(({ r }) => r.Properties.RepositoryName).sort()).toEqual(['shop/main/app', 'shop/main/migration', 'shop/main/web']);
      expect(githubProviders(d)).toHaveLength(1);
      expect(d.roles.filter((r) => r.properties.RoleName === 'shop-main-ci')).toHaveLength(1);
      expect(outputsOf(d)).toContain('MainCiRoleArn');
    }
    for (const d of [production, ...five.slice(1)]) {
      expect(d.platform.images.holdsRepositories).toBe(false);
      expect(resourcesOf(d, 'AWS::ECR::Repository')).toEqual([]);
      expect(githubProviders(d)).toEqual([]);
      expect(d.roles.filter((r) => /-ci$/.test(r.properties.RoleName ?? ''))).toEqual([]);
      expect(outputsOf(d).filter((o) => o.endsWith('CiRoleArn'))).toEqual([]);
      // Where the nodes pull from is still an output of every environment.
      expect(d.templates[0].json.Outputs.RegistryUri.Value).toBe('111111111111.dkr.ecr.ap-northeast-1.amazonaws.com');
    }
  });

  test('the node group role is named cluster.nodeRoleName with several environments, and that is the role the repository policies admit', () => {
    for (const d of [staging, production, ...five]) {
      const nodegroup = resourcesOf(d, 'AWS::EKS::Nodegroup')[0];
      const roleId = nodegroup.r.Properties.NodeRole['Fn::GetAtt'][0];
      const role = d.roles.find((r) => r.logicalId === roleId)!;
      expect(role.properties.RoleName).toBe(d.platform.cluster.nodeRoleName);
      // The same policies aws-cdk-lib gives the role it makes: ECR pulls are allowed on '*' from the nodes' side.
      expect(role.properties.ManagedPolicyArns.map((arn: string) => arn.split('/').pop()).sort()).toEqual([
        'AmazonEC2ContainerRegistryReadOnly',
        'AmazonEKSWorkerNodePolicy',
        'AmazonEKS_CNI_Policy',
      ]);
      expect(role.properties.AssumeRolePolicyDocument.Statement).toEqual([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' } },
      ]);
    }
    // Each puller's node role is the role its own template creates, in its own account.
    const registry = five[0];
    for (const puller of registry.platform.images.pullers) {
      const d = five.find((e) => e.platform.environment === puller.environment)!;
      expect(puller.pullRoleArns).toEqual([`arn:aws:iam::${d.gitops.platformStack.account}:role/${d.platform.cluster.nodeRoleName}`]);
    }
  });

  test('with one environment the node group keeps the role aws-cdk-lib makes, unnamed, and no repository has a policy', () => {
    const sandbox = deploy([sandboxPlatform()])[0];
    const nodegroup = resourcesOf(sandbox, 'AWS::EKS::Nodegroup')[0];
    const roleId = nodegroup.r.Properties.NodeRole['Fn::GetAtt'][0];
    expect(roleId).toMatch(/^ClusterNodegroupNodesNodeGroupRole[0-9A-F]{8}$/);
    expect(sandbox.roles.find((r) => r.logicalId === roleId)!.properties.RoleName).toBeUndefined();
    expect(resourcesOf(sandbox, 'AWS::ECR::Repository').map(({ r }) => r.Properties.RepositoryPolicyText)).toEqual([undefined, undefined, undefined]);
    expect(sandbox.platform.images.pullers).toEqual([]);
  });

  test("each repository lets exactly the other accounts' node roles pull, and nothing more", () => {
    // ECR user guide, "Private repository policy examples": another account is granted pull by naming it
    // as the principal; its roles still need IAM permissions of their own (the node role's
    // AmazonEC2ContainerRegistryReadOnly). The roles are named through aws:PrincipalArn, not as
    // principals: SetRepositoryPolicy fails with "Principal not found" for a role that does not exist
    // yet (hashicorp/terraform-provider-aws#39064), and production's node role is created after
    // staging's repositories.
    for (const { id, r, json } of resourcesOf(staging, 'AWS::ECR::Repository')) {
      const policy = resolveIntrinsics(r.Properties.RepositoryPolicyText, json, {}, staging.context);
      const nodes = 'arn:aws:iam::222222222222:role/shop-production-nodes';
      const allows = (principalArn: string, action: string) => resourcePolicyAllows(policy, { principalArn, action });
      for (const action of ECR_PULL_ACTIONS) expect({ id, action, allowed: allows(nodes, action) }).toEqual({ id, action, allowed: true });
      // Not pushing, not listing, not managing the repository.
      for (const action of [...ECR_PUSH_ACTIONS.filter((a) => !ECR_PULL_ACTIONS.includes(a)), 'ecr:ListImages', 'ecr:SetRepositoryPolicy', 'ecr:DeleteRepository']) {
        expect({ id, action, allowed: allows(nodes, action) }).toEqual({ id, action, allowed: false });
      }
      // No other role of production's account (its workload roles, an administrator), and no other account.
      for (const other of [
        'arn:aws:iam::222222222222:role/shop-production-main-external-dns',
        'arn:aws:iam::222222222222:role/platform-admin',
        'arn:aws:iam::333333333333:role/shop-production-nodes',
      ]) {
        expect({ id, other, allowed: allows(other, 'ecr:BatchGetImage') }).toEqual({ id, other, allowed: false });
      }
      // Every statement grants read actions only, and to another account.
      for (const s of statementsOf(policy)) {
        expect(asArray(s.Action).every((a: string) => ECR_READ_ACTIONS.includes(a))).toBe(true);
        expect(s.Principal.AWS).not.toBe('arn:aws:iam::111111111111:root');
      }
      // The AWS managed key aws/ecr (no KmsKey): nothing for the other account to be granted on it.
      // ECR user guide, "Encryption at rest": ECR adds KMS grants with the repository as grantee
      // principal and uses the key through them; the pulling role calls only ECR. Documented, not
      // proven here: no test can pull from a real registry.
      expect(r.Properties.EncryptionConfiguration).toEqual({ EncryptionType: 'KMS' });
    }
  });

  test('five environments: an account of its own is admitted once, the registry account and its region need no statement', () => {
    const registry = five[0];
    const repository = resourcesOf(registry, 'AWS::ECR::Repository')[0];
    const policy = resolveIntrinsics(repository.r.Properties.RepositoryPolicyText, repository.json, {}, registry.context);
    // qa shares dev's account: within one account the node role's own IAM policy is enough.
    expect(statementsOf(policy).map((s) => [s.Sid, s.Principal.AWS, s.Condition.ArnEquals['aws:PrincipalArn']])).toEqual([
      ['Pull333333333333', 'arn:aws:iam::333333333333:root', ['arn:aws:iam::333333333333:role/shop-staging-nodes']],
      ['Pull222222222222', 'arn:aws:iam::222222222222:root', ['arn:aws:iam::222222222222:role/shop-production-nodes']],
      // Another region pulls across regions: the registry's host names its region.
      ['Pull444444444444', 'arn:aws:iam::444444444444:root', ['arn:aws:iam::444444444444:role/shop-production-eu-nodes']],
    ]);
    expect(resourcePolicyAllows(policy, { principalArn: 'arn:aws:iam::111111111111:role/shop-qa-nodes', action: 'ecr:BatchGetImage' })).toBe(false);
    expect(five[1].platform.registry).toBe('111111111111.dkr.ecr.ap-northeast-1.amazonaws.com');
    expect(five[4].platform.registry).toBe('111111111111.dkr.ecr.ap-northeast-1.amazonaws.com');
  });

  test('a release-following environment in another account than the registry: its Image Updater may list and read the tags', () => {
    const spec = twoEnvironmentsSpec();
    spec.registry = { environment: 'production' };
    const [followsReleases, holdsImages] = deploy(Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec)));
    expect(followsReleases.platform.usesImageUpdater).toBe(true);
    const repository = resourcesOf(holdsImages, 'AWS::ECR::Repository')[0];
    const policy = resolveIntrinsics(repository.r.Properties.RepositoryPolicyText, repository.json, {}, holdsImages.context);
    const updater = followsReleases.platform.imageUpdater.roleArn;
    expect(updater).toBe('arn:aws:iam::111111111111:role/shop-staging-image-updater');
    for (const action of ['ecr:ListImages', 'ecr:DescribeImages', 'ecr:BatchGetImage']) {
      expect(resourcePolicyAllows(policy, { principalArn: updater, action })).toBe(true);
    }
    expect(resourcePolicyAllows(policy, { principalArn: 'arn:aws:iam::111111111111:role/shop-staging-nodes', action: 'ecr:ListImages' })).toBe(false);
    // Its role, in its own account, names the repositories of the registry's account.
    const role = followsReleases.roles.find((r) => r.properties.RoleName === 'shop-staging-image-updater')!;
    const resources = role.properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement).flatMap((s: any) => asArray(s.Resource));
    expect(resources.filter((r: string) => r !== '*').every((r: string) => r.startsWith('arn:aws:ecr:ap-northeast-1:222222222222:repository/shop/main/'))).toBe(true);
  });

  test('the lifecycle rule keeps the newest 200 images by push time, used or not: an environment may lag at most that many releases', () => {
    // ECR user guide, "Lifecycle policy properties": imageCountMoreThan expires the images beyond the
    // count, oldest pushed first; it does not know which images a cluster runs.
    const repository = resourcesOf(staging, 'AWS::ECR::Repository')[0];
    const rules = JSON.parse(repository.r.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
    expect(rules[1].selection).toEqual({ tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 200 });
  });

  test('ImageRepository and GitOpsCluster refuse what the repository policy could not name, naming the field', () => {
    const stack = () => new Stack(new App(), 's', { env: { account: '111111111111', region: 'ap-northeast-1' } });
    expect(() => new ImageRepository(stack(), 'R', { repositoryName: 'a/b', pullers: [{ account: '2222', pullRoleArns: [] }] })).toThrow(
      "ImageRepository a/b: pullers[0].account '2222' is not an AWS account id (12 digits)",
    );
    expect(
      () => new ImageRepository(stack(), 'R', { repositoryName: 'a/b', pullers: [{ account: '222222222222', pullRoleArns: ['arn:aws:iam::333333333333:role/nodes'] }] }),
    ).toThrow("ImageRepository a/b: pullers[0].pullRoleArns[0] 'arn:aws:iam::333333333333:role/nodes' is a role of account 333333333333, not of 222222222222");
    expect(
      () => new ImageRepository(stack(), 'R', { repositoryName: 'a/b', pullers: [{ account: '222222222222', pullRoleArns: [], readRoleArns: ['nodes'] }] }),
    ).toThrow("ImageRepository a/b: pullers[0].readRoleArns[0] 'nodes' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)");
    expect(() => new GitOpsCluster(stack(), 'C', { clusterName: 'c', nodeRoleName: 'nodes of c' })).toThrow(
      "GitOpsCluster c: nodeRoleName 'nodes of c' is not an IAM role name (at most 64 letters, digits and +=,.@_-)",
    );
  });
});

/** The web identity (IRSA) roles of an environment that trust a cluster's OIDC provider, not GitHub's. */
const irsaRoles = (d: Deployed) =>
  d.roles.filter((r) =>
    statementsOf(r.properties.AssumeRolePolicyDocument).some(
      (s) => asArray(s.Action).includes('sts:AssumeRoleWithWebIdentity') && !String(s.Principal?.Federated).endsWith(GITHUB_OIDC_HOST),
    ),
  );

/** The ServiceAccount subject an IRSA role's trust names. */
const subjectOf = (role: any, issuer: string): string =>
  statementsOf(role.AssumeRolePolicyDocument).map((s) => s.Condition?.StringEquals?.[`${issuer}:sub`]).find((sub) => sub !== undefined);

describe("each environment's workload roles trust only its own cluster", () => {
  function checkIrsa(environments: Deployed[]) {
    for (const own of environments) {
      const roles = irsaRoles(own);
      // Every ServiceAccount role the manifests bind exists here, by name, trusting that ServiceAccount.
      for (const expected of serviceAccountRoles(own.platform).filter((r) => r.identity === 'irsa')) {
        const role = roles.find((r) => r.properties.RoleName === expected.roleName);
        expect({ role: expected.roleName, created: role !== undefined }).toEqual({ role: expected.roleName, created: true });
        expect(subjectOf(role!.properties, own.context.issuer)).toBe(expected.subject);
      }
      // Every IRSA role of the templates (the load balancer controller's included) admits its
      // ServiceAccount's token from this cluster, and nothing from any other environment's cluster.
      for (const role of roles) {
        const trust = role.properties.AssumeRolePolicyDocument;
        const subject = subjectOf(role.properties, own.context.issuer);
        expect({ role: role.logicalId, subject: subject !== undefined }).toEqual({ role: role.logicalId, subject: true });
        expect(trustAdmits(trust, own.clusterProviderArn, irsaClaims(own.context.issuer, subject))).toBe(true);
        expect(trustAdmits(trust, own.clusterProviderArn, irsaClaims(own.context.issuer, `${subject}-other`))).toBe(false);
        for (const other of environments.filter((e) => e !== own)) {
          const where = { environment: own.platform.environment, role: role.logicalId, other: other.platform.environment };
          const admits = trustAdmits(trust, other.clusterProviderArn, irsaClaims(other.context.issuer, subject));
          expect({ ...where, admits }).toEqual({ ...where, admits: false });
          // Nor is the other cluster named anywhere in it: its provider, its issuer or its ARN.
          const text = JSON.stringify(trust);
          for (const name of [other.clusterProviderArn, other.context.issuer, other.platform.cluster.arn]) {
            expect({ ...where, name, named: text.includes(name) }).toEqual({ ...where, name, named: false });
          }
        }
      }
      expect(roles.length).toBeGreaterThanOrEqual(serviceAccountRoles(own.platform).length);
    }
  }

  test('IRSA, the two-environment example: every ServiceAccount role of each environment admits it on its own cluster only', () => {
    checkIrsa([staging, production]);
    expect(irsaRoles(production).map((r) => r.properties.RoleName).filter(Boolean).sort()).toEqual([
      'shop-production-main-external-dns',
      'shop-production-main-external-secrets',
      'shop-production-main-migration',
      'shop-production-repository-reader',
    ]);
  });

  test('IRSA, five environments, two of them in one account and region', () => {
    checkIrsa(five);
  });

  test('EKS Pod Identity: each role admits the session tags of its own cluster ARN only, and is associated with its own cluster', () => {
    const spec = twoEnvironmentsSpec();
    spec.workloadIdentity = 'pod-identity';
    const deployed = deploy(Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec)));
    for (const own of deployed) {
      const expected = serviceAccountRoles(own.platform).filter((r) => r.identity === 'pod-identity');
      // External Secrets keeps IRSA; ExternalDNS, the migration and the Image Updater move.
      expect(expected.length).toBeGreaterThanOrEqual(2);
      const associations = resourcesOf(own, 'AWS::EKS::PodIdentityAssociation');
      for (const role of expected) {
        const created = own.roles.find((r) => r.properties.RoleName === role.roleName)!;
        const trust = created.properties.AssumeRolePolicyDocument;
        const tags = (clusterArn: string) => ({
          'aws:RequestTag/eks-cluster-arn': clusterArn,
          'aws:RequestTag/kubernetes-namespace': role.namespace,
          'aws:RequestTag/kubernetes-service-account': role.serviceAccountName,
        });
        const admits = (clusterArn: string) => trustAdmitsService(trust, POD_IDENTITY_PRINCIPAL, ['sts:AssumeRole', 'sts:TagSession'], tags(clusterArn));
        expect(admits(own.platform.cluster.arn)).toBe(true);
        for (const other of deployed.filter((e) => e !== own)) {
          expect({ role: role.roleName, other: admits(other.platform.cluster.arn) }).toEqual({ role: role.roleName, other: false });
        }
        // Its association binds it in its own cluster: the cluster of the same template, by name.
        const association = associations.find(({ r, json }) => {
          const roleArn = r.Properties.RoleArn['Fn::GetAtt']?.[0];
          return roleArn !== undefined && json.Resources[roleArn]?.Properties.RoleName === role.roleName;
        })!;
        const cluster = association.r.Properties.ClusterName;
        const name = typeof cluster === 'string' ? cluster : association.json.Resources[cluster.Ref].Properties.Name;
        expect(name).toBe(own.platform.cluster.name);
        expect(association.r.Properties).toMatchObject({ Namespace: role.namespace, ServiceAccount: role.serviceAccountName });
      }
    }
  });
});

describe('CI pushes once, into the registry account, and reaches no other', () => {
  test("the release workflow, made from every environment, assumes the registry environment's CI role", () => {
    const ciRoles = staging.roles.filter((r) => r.properties.RoleName === 'shop-main-ci').map((r) => `arn:aws:iam::${r.stack.account}:role/${r.properties.RoleName}`);
    expect(ciRoles).toEqual(['arn:aws:iam::111111111111:role/shop-main-ci']);
    const assumed = CiWorkflows.forEnvironments(twoEnvironments).workflowFiles().flatMap((f) => [...f.content.matchAll(/role-to-assume: (\S+)/g)].map((m) => m[1]));
    expect([...new Set(assumed)]).toEqual(ciRoles);
  });

  test('no role of any other environment trusts GitHub, and the CI and promotion roles reach only the repositories of their own account', () => {
    for (const d of [production, ...five.slice(1)]) {
      const github = d.roles.filter((r) => JSON.stringify(r.properties.AssumeRolePolicyDocument).includes(GITHUB_OIDC_HOST));
      expect({ environment: d.platform.environment, github }).toEqual({ environment: d.platform.environment, github: [] });
    }
    for (const d of [staging, five[0]]) {
      const ci = d.roles.filter((r) => JSON.stringify(r.properties.AssumeRolePolicyDocument).includes(GITHUB_OIDC_HOST));
      // The app's CI role, and the promotion role the manifest repository's promotions verify images with.
      expect(ci.map((r) => r.properties.RoleName)).toEqual(['shop-promotion', 'shop-main-ci']);
      const statements = ci.flatMap((role) => role.properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement));
      for (const s of statements) {
        // No role to assume elsewhere; every resource but the ECR login's '*' is a repository of this
        // account, or (the CI role's signing calls) the image signing key of this account.
        expect(asArray(s.Action).some((a: string) => a.startsWith('sts:'))).toBe(false);
        for (const resource of asArray(s.Resource)) {
          if (resource === '*') expect(s.Action).toEqual('ecr:GetAuthorizationToken');
          else if (s.Sid === 'SignImages') expect(resource).toMatch(new RegExp(`^arn:aws:kms:ap-northeast-1:${d.platform.account}:key/ImageSigningKey`));
          else expect(resource).toMatch(new RegExp(`^arn:aws:ecr:ap-northeast-1:${d.platform.account}:repository/shop/main/`));
        }
      }
    }
  });
});
