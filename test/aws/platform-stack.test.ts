import { readFileSync } from 'fs';
import { App, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { albControllerPolicy } from '../../lib/aws/gitops-cluster';
import { GitOpsPlatform } from '../../lib/aws/gitops-platform';
import { IrsaRole } from '../../lib/aws/irsa-role';
import { countResources } from '../../lib/aws/resource-limit';
import { PlatformSpecLoader } from '../../lib/spec/loader';
import { Platform } from '../../lib/spec/platform';
import { cdkApp, sandboxPlatform, specWithApps, upstreamPath } from '../fixtures';
import { FAKE_ISSUER, resolveIntrinsics, trustAdmits } from '../support/iam-eval';

const CLUSTER_PROVIDER = `arn:aws:iam::123456789012:oidc-provider/${FAKE_ISSUER}`;

/** GIVEN the sandbox spec, WHEN the platform is synthesized, THEN one stack holds everything. */
const platform = sandboxPlatform();
const app = cdkApp();
const gitops = new GitOpsPlatform(app, 'sandbox', { platform });
const template = Template.fromStack(gitops.platformStack);
const json = template.toJSON();
const resources = Object.values<any>(json.Resources);

/** The resolved properties of the role with this name. */
function role(name: string): any {
  const found = resources.find((r) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === name);
  if (!found) throw new Error(`no role ${name}`);
  return resolveIntrinsics(found.Properties, json);
}

const statementsOf = (r: any) => r.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
const irsaClaims = (sub: string, aud = 'sts.amazonaws.com') => ({ [`${FAKE_ISSUER}:sub`]: sub, [`${FAKE_ISSUER}:aud`]: aud });

describe('the sandbox platform stack', () => {
  test('is a single stack: no nested stacks, at most 3 Lambda functions, within the resource limit', () => {
    expect(gitops.appsStacks).toHaveLength(0);
    template.resourceCountIs('AWS::CloudFormation::Stack', 0);
    expect(resources.filter((r) => r.Type === 'AWS::Lambda::Function').length).toBeLessThanOrEqual(3);
    expect(countResources(gitops.platformStack)).toBeLessThan(100);
  });

  test('runs Kubernetes 1.35 with a managed node group sized by the spec', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', { Name: 'sandbox', Version: '1.35' });
    template.hasResourceProperties('AWS::EKS::Nodegroup', {
      ScalingConfig: { MinSize: 2, MaxSize: 4, DesiredSize: 2 },
      InstanceTypes: ['t3.medium'],
      AmiType: 'AL2023_x86_64_STANDARD',
      DiskSize: 20,
    });
  });

  test('installs the AWS Load Balancer Controller v3.5.0 with the upstream v3.5.0 IAM policy', () => {
    const upstream = JSON.parse(readFileSync(upstreamPath('aws-load-balancer-controller-v3.5.0', 'iam_policy.json'), 'utf8'));
    expect(albControllerPolicy()).toEqual(upstream);
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Chart: 'aws-load-balancer-controller', Version: '3.5.0' });
  });

  test('installs Argo CD from the argo-cd chart, pinned to v3.5.1, with the Application health check', () => {
    const chart = resources.find((r) => r.Type === 'Custom::AWSCDK-EKS-HelmChart' && r.Properties.Chart === 'argo-cd');
    expect(chart.Properties).toMatchObject({ Release: 'argocd', Namespace: 'argocd', Repository: 'https://argoproj.github.io/argo-helm', CreateNamespace: true });
    const values = JSON.parse(chart.Properties.Values);
    expect(values.global.image.tag).toBe('v3.5.1');
    expect(values.configs.cm['resource.customizations.health.argoproj.io_Application']).toContain('obj.status.health.status');
  });

  test('bootstraps Argo CD with the same AppProject and root Application the manifests hold, after the chart', () => {
    const manifest = Object.entries<any>(json.Resources).find(
      ([, r]) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource' && String(resolveIntrinsics(r.Properties.Manifest, json)).includes('AppProject'),
    );
    expect(manifest).toBeDefined();
    const objects = JSON.parse(resolveIntrinsics(manifest![1].Properties.Manifest, json));
    expect(objects.map((o: any) => `${o.kind}/${o.metadata.name}`)).toEqual(['AppProject/sandbox', 'Application/sandbox-root']);
    const chartId = Object.entries<any>(json.Resources).find(([, r]) => r.Type === 'Custom::AWSCDK-EKS-HelmChart' && r.Properties.Chart === 'argo-cd')![0];
    expect(manifest![1].DependsOn).toContain(chartId);
  });

  test('creates an immutable, scanned, encrypted, retained ECR repository per image, with a lifecycle rule', () => {
    const repos = resources.filter((r) => r.Type === 'AWS::ECR::Repository');
    expect(repos.map((r) => r.Properties.RepositoryName).sort()).toEqual(['sandbox/main/app', 'sandbox/main/migration', 'sandbox/main/web']);
    for (const repo of repos) {
      expect(repo.DeletionPolicy).toBe('Retain');
      expect(repo.UpdateReplacePolicy).toBe('Retain');
      expect(repo.Properties).toMatchObject({
        ImageTagMutability: 'IMMUTABLE',
        ImageScanningConfiguration: { ScanOnPush: true },
        EncryptionConfiguration: { EncryptionType: 'KMS' },
      });
      const rules = JSON.parse(repo.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
      expect(rules.map((r: any) => r.selection.tagStatus)).toEqual(['untagged', 'any']);
    }
  });

  test('has the outputs a user needs after deploy', () => {
    const outputs = Object.keys(json.Outputs);
    expect(outputs).toEqual(
      expect.arrayContaining([
        'ClusterName',
        'UpdateKubeconfigCommand',
        'RegistryUri',
        'ImageUpdaterRoleArn',
        'MainCiRoleArn',
        'MainExternalSecretsRoleArn',
        'MainExternalDnsRoleArn',
        'MainMigrationRoleArn',
      ]),
    );
    expect(json.Outputs.UpdateKubeconfigCommand.Value).toBe('aws eks update-kubeconfig --name sandbox --region ap-northeast-1');
  });
});

describe('IRSA roles', () => {
  test.each([
    ['sandbox-main-external-secrets', 'system:serviceaccount:main:main-secrets-reader'],
    ['sandbox-main-external-dns', 'system:serviceaccount:main:main-external-dns'],
    ['sandbox-main-migration', 'system:serviceaccount:main:main-migration'],
    ['sandbox-image-updater', 'system:serviceaccount:argocd:argocd-image-updater-controller'],
  ])('%s trusts exactly %s, with StringEquals on sub and aud', (name, subject) => {
    const trust = role(name).AssumeRolePolicyDocument;
    expect(trust.Statement).toEqual([
      {
        Action: 'sts:AssumeRoleWithWebIdentity',
        Effect: 'Allow',
        Principal: { Federated: CLUSTER_PROVIDER },
        Condition: { StringEquals: { [`${FAKE_ISSUER}:sub`]: subject, [`${FAKE_ISSUER}:aud`]: 'sts.amazonaws.com' } },
      },
    ]);
    const [, , namespace, serviceAccount] = subject.split(':');
    expect(trustAdmits(trust, CLUSTER_PROVIDER, irsaClaims(subject))).toBe(true);
    expect(trustAdmits(trust, CLUSTER_PROVIDER, irsaClaims(`system:serviceaccount:${namespace}:default`))).toBe(false);
    expect(trustAdmits(trust, CLUSTER_PROVIDER, irsaClaims(`system:serviceaccount:other:${serviceAccount}`))).toBe(false);
    expect(trustAdmits(trust, CLUSTER_PROVIDER, irsaClaims(subject, 'another-audience'))).toBe(false);
    expect(trustAdmits(trust, 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com', irsaClaims(subject))).toBe(false);
  });

  test('External Secrets reads only the secrets under the app prefix', () => {
    expect(statementsOf(role('sandbox-main-external-secrets'))).toEqual([
      {
        Sid: 'ReadAppSecrets',
        Effect: 'Allow',
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy', 'secretsmanager:GetSecretValue', 'secretsmanager:ListSecretVersionIds'],
        Resource: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:sandbox/main/*',
      },
    ]);
  });

  test('ExternalDNS changes records only in the spec hosted zone', () => {
    expect(statementsOf(role('sandbox-main-external-dns'))).toEqual([
      {
        Sid: 'ChangeZoneRecords',
        Effect: 'Allow',
        Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'],
        Resource: 'arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ',
      },
      { Sid: 'FindZones', Effect: 'Allow', Action: 'route53:ListHostedZones', Resource: '*' },
    ]);
  });

  test('the Image Updater reads tags of the app images only', () => {
    expect(statementsOf(role('sandbox-image-updater'))).toEqual([
      { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      {
        Sid: 'ReadAppImageTags',
        Effect: 'Allow',
        Action: ['ecr:BatchGetImage', 'ecr:DescribeImages', 'ecr:ListImages'],
        Resource: [
          'arn:aws:ecr:ap-northeast-1:123456789012:repository/sandbox/main/app',
          'arn:aws:ecr:ap-northeast-1:123456789012:repository/sandbox/main/web',
        ],
      },
    ]);
  });

  test('the migration Job may pull only the migration repository', () => {
    const [login, pull] = statementsOf(role('sandbox-main-migration'));
    expect(login).toEqual({ Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' });
    expect(pull.Action).toEqual(['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']);
    expect(pull.Resource).toMatch(/^<.*Repositorymigration.*\.Arn>$/);
  });

  test('no statement of the platform roles has Resource * except actions without resource-level permission', () => {
    const unscopable = ['ecr:GetAuthorizationToken', 'route53:ListHostedZones'];
    const ours = resources.filter((r) => r.Type === 'AWS::IAM::Role' && /^sandbox-/.test(r.Properties.RoleName ?? ''));
    expect(ours.length).toBe(5);
    for (const r of ours) {
      for (const statement of statementsOf(resolveIntrinsics(r.Properties, json))) {
        if ([statement.Resource].flat().includes('*')) {
          expect({ role: r.Properties.RoleName, actions: [statement.Action].flat().filter((a: string) => !unscopable.includes(a)) }).toEqual({
            role: r.Properties.RoleName,
            actions: [],
          });
        }
      }
    }
  });

  test('IrsaRole on an imported provider writes the condition directly, without a custom resource', () => {
    const stack = new Stack();
    const provider = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'P', CLUSTER_PROVIDER);
    new IrsaRole(stack, 'R', { oidcProvider: provider, namespace: 'shop', serviceAccountName: 'orders' });
    const imported = Template.fromStack(stack);
    imported.resourceCountIs('Custom::AWSCDKCfnJson', 0);
    imported.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Principal: { Federated: CLUSTER_PROVIDER },
            Condition: { StringEquals: { [`${FAKE_ISSUER}:sub`]: 'system:serviceaccount:shop:orders', [`${FAKE_ISSUER}:aud`]: 'sts.amazonaws.com' } },
          },
        ],
      },
    });
  });

  test('IrsaRole refuses a ServiceAccount name Kubernetes would refuse', () => {
    const stack = new Stack();
    const provider = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'P', CLUSTER_PROVIDER);
    expect(() => new IrsaRole(stack, 'R', { oidcProvider: provider, namespace: 'main', serviceAccountName: 'Bad_Name' })).toThrow(
      "serviceAccountName 'Bad_Name' is not a Kubernetes name",
    );
  });
});

describe('large platforms', () => {
  test('50 apps split into application stacks, each well under 500 resources, with a linear cost per app', () => {
    const big = cdkApp();
    const gitops50 = new GitOpsPlatform(big, 'big', { platform: Platform.resolve(specWithApps(50)) });
    expect(gitops50.appsStacks.map((s) => s.stackName)).toEqual(['sandbox-apps-1', 'sandbox-apps-2']);
    const counts = [gitops50.platformStack, ...gitops50.appsStacks].map(countResources);
    for (const count of counts) expect(count).toBeLessThan(500);
    // 30 apps in the first application stack, 20 in the second: a fixed overhead plus the same cost
    // per app (3 repositories, the CI role, 3 IRSA roles with their trust conditions).
    const perApp = (counts[1] - counts[2]) / 10;
    expect(perApp).toBe(10);
    expect(counts[2] - 20 * perApp).toBeLessThan(5);
    expect(Template.fromStack(gitops50.appsStacks[0]).toJSON().Resources).toBeDefined();
  });

  test('a stack over the CloudFormation limit fails synthesis with a message saying what to change', () => {
    const big = cdkApp();
    new GitOpsPlatform(big, 'big', { platform: Platform.resolve(specWithApps(60)), appsPerStack: 60 });
    expect(() => big.synth()).toThrow(/Stack sandbox-apps-1 has \d+ resources; CloudFormation allows 500\. Lower GitOpsPlatform appsPerStack/);
  });
});

describe('the scope of a GitOpsPlatform', () => {
  // One application in its own apps stack, so the cross-stack references are exercised too.
  const split = { maxAppsInPlatformStack: 0, appsPerStack: 1 };

  test('in the App, the stacks are named after the platform', () => {
    const root = cdkApp();
    new GitOpsPlatform(root, 'sandbox', { platform, ...split });
    expect(root.synth().stacks.map((s) => s.stackName).sort()).toEqual(['sandbox-apps-1', 'sandbox-platform']);
  });

  test('in a Stage (as in a CDK Pipeline), the stage synthesizes both stacks, prefixed with its name', () => {
    // GIVEN a stage, as a pipeline's addStage() takes it
    const stage = new Stage(cdkApp(), 'Prod');
    // WHEN the platform is built in it
    const gitopsInStage = new GitOpsPlatform(stage, 'sandbox', { platform, ...split });
    const assembly = stage.synth();
    // THEN the stage's assembly holds the platform stack and the apps stack, which depends on it
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(['Prod-sandbox-apps-1', 'Prod-sandbox-platform']);
    const platformTemplate = assembly.getStackByName('Prod-sandbox-platform').template;
    expect(Object.values<any>(platformTemplate.Resources).filter((r) => r.Type === 'AWS::EKS::Cluster')).toHaveLength(1);
    const appsStack = assembly.getStackByName('Prod-sandbox-apps-1');
    expect(appsStack.dependencies.map((d) => d.id)).toContain(gitopsInStage.platformStack.artifactId);
    expect(Object.values<any>(appsStack.template.Resources).filter((r) => r.Type === 'AWS::ECR::Repository').length).toBeGreaterThan(0);
  });
});

describe('feature flags', () => {
  test('without the native OIDC provider flag, the cluster says how to enable it', () => {
    const plain = new App();
    const gitopsPlain = new GitOpsPlatform(plain, 'plain', { platform });
    Annotations.fromStack(gitopsPlain.platformStack).hasWarning('/sandbox-platform/Cluster', Match.stringLikeRegexp('@aws-cdk/aws-eks:useNativeOidcProvider'));
  });
});

describe('cluster access', () => {
  test('each spec admin role gets a cluster-admin access entry', () => {
    const spec = specWithApps(1);
    const withAdmins = Platform.resolve(
      PlatformSpecLoader.fromObject({ ...spec, cluster: { ...spec.cluster, adminRoleArns: ['arn:aws:iam::123456789012:role/platform-admins'] } }),
    );
    const adminsJson = Template.fromStack(new GitOpsPlatform(cdkApp(), 'a', { platform: withAdmins }).platformStack).toJSON();
    const entry = Object.values<any>(adminsJson.Resources).find(
      (r) => r.Type === 'AWS::EKS::AccessEntry' && r.Properties.PrincipalArn === 'arn:aws:iam::123456789012:role/platform-admins',
    );
    expect(resolveIntrinsics(entry.Properties.AccessPolicies, adminsJson)).toEqual([
      { AccessScope: { Type: 'cluster' }, PolicyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy' },
    ]);
  });
});

describe('the EKS managed Argo CD', () => {
  const spec = specWithApps(1);
  const managed = Platform.resolve(
    PlatformSpecLoader.fromObject({
      ...spec,
      argocd: {
        managed: true,
        identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef', adminGroupIds: ['9067d4d8-1091-70a3-2c8e-7c2b5b4f5e6a'] },
      },
    }),
  );
  const managedJson = Template.fromStack(new GitOpsPlatform(cdkApp(), 'm', { platform: managed }).platformStack).toJSON();
  const managedResources = Object.entries<any>(managedJson.Resources);

  test('is an ARGOCD capability signing in through Identity Center, instead of the Helm chart', () => {
    const [, capability] = managedResources.find(([, r]) => r.Type === 'AWS::EKS::Capability')!;
    expect(resolveIntrinsics(capability.Properties, managedJson)).toMatchObject({
      CapabilityName: 'sandbox-argocd',
      Type: 'ARGOCD',
      DeletePropagationPolicy: 'RETAIN',
      Configuration: {
        ArgoCd: {
          Namespace: 'argocd',
          AwsIdc: { IdcInstanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef', IdcRegion: 'ap-northeast-1' },
          RbacRoleMappings: [{ Role: 'ADMIN', Identities: [{ Id: '9067d4d8-1091-70a3-2c8e-7c2b5b4f5e6a', Type: 'SSO_GROUP' }] }],
        },
      },
    });
    expect(managedResources.some(([, r]) => r.Type === 'Custom::AWSCDK-EKS-HelmChart' && r.Properties.Chart === 'argo-cd')).toBe(false);
  });

  test('its role is trusted by the EKS capabilities service only', () => {
    const [, capability] = managedResources.find(([, r]) => r.Type === 'AWS::EKS::Capability')!;
    const roleId = capability.Properties.RoleArn['Fn::GetAtt'][0];
    expect(managedJson.Resources[roleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: ['sts:AssumeRole', 'sts:TagSession'], Effect: 'Allow', Principal: { Service: 'capabilities.eks.amazonaws.com' } },
    ]);
    expect(managedJson.Resources[roleId].Properties.Policies).toBeUndefined();
  });

  test('the bootstrap chart is applied once the capability exists', () => {
    const [capabilityId] = managedResources.find(([, r]) => r.Type === 'AWS::EKS::Capability')!;
    const [, bootstrap] = managedResources.find(
      ([, r]) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource' && String(resolveIntrinsics(r.Properties.Manifest, managedJson)).includes('AppProject'),
    )!;
    expect(bootstrap.DependsOn).toContain(capabilityId);
  });
});
