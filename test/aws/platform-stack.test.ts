import { readFileSync } from 'fs';
import { App, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { albControllerPolicy } from '../../lib/addons/load-balancer-controller/load-balancer-controller';
import { GitOpsPlatform } from '../../lib/aws/gitops-platform';
import { IrsaRole } from '../../lib/aws/irsa-role';
import { countResources } from '../../lib/aws/resource-limit';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { ARGO_CD_CHART_APP_VERSIONS, UPSTREAM_URLS, UPSTREAM_VERSIONS } from '../../lib/versions';
import { cdkApp, sandboxPlatform, sandboxSpec, specWithApps, upstreamPath } from '../fixtures';
import { FAKE_ISSUER, resolveIntrinsics, resolveRole, templateExports, trustAdmits } from '../support/iam-eval';

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
  return resolveRole(found.Properties, json);
}

const statementsOf = (r: any) => r.Policies.flatMap((p: any) => p.PolicyDocument.Statement);

/** The logical id of the one resource matching `match`. */
function idOf(match: (r: any) => boolean): string {
  const found = Object.entries<any>(json.Resources).filter(([, r]) => match(r));
  if (found.length !== 1) throw new Error(`expected one match, found ${found.length}`);
  return found[0][0];
}

/** Whether CloudFormation creates `target` before `id`: a DependsOn path between them. */
function dependsOn(id: string, target: string, seen = new Set<string>()): boolean {
  const direct: string[] = [json.Resources[id].DependsOn ?? []].flat();
  if (direct.includes(target)) return true;
  seen.add(id);
  return direct.some((d) => !seen.has(d) && dependsOn(d, target, seen));
}
const irsaClaims = (sub: string, aud = 'sts.amazonaws.com') => ({ [`${FAKE_ISSUER}:sub`]: sub, [`${FAKE_ISSUER}:aud`]: aud });

describe('the sandbox platform stack', () => {
  test('is a single stack: no nested stacks, at most 4 Lambda functions, within the resource limit', () => {
    expect(gitops.appsStacks).toHaveLength(0);
    template.resourceCountIs('AWS::CloudFormation::Stack', 0);
    // The kubectl provider's, its framework's, and the one that reads the image signing key's public key.
    expect(resources.filter((r) => r.Type === 'AWS::Lambda::Function').length).toBeLessThanOrEqual(4);
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

  test('installs the AWS Load Balancer Controller v3.5.0 with the upstream v3.5.0 IAM policy and image', () => {
    const upstream = JSON.parse(readFileSync(upstreamPath('aws-load-balancer-controller-v3.5.0', 'iam_policy.json'), 'utf8'));
    expect(albControllerPolicy()).toEqual(upstream);
    const chart = resources.find((r) => r.Type === 'Custom::AWSCDK-EKS-HelmChart' && r.Properties.Chart === 'aws-load-balancer-controller');
    expect(chart.Properties.Version).toBe('3.5.0');
    // The chart's values.yaml at v3.5.0: image.repository public.ecr.aws/eks/aws-load-balancer-controller.
    expect(JSON.parse(resolveIntrinsics(chart.Properties.Values, json)).image).toEqual({
      repository: 'public.ecr.aws/eks/aws-load-balancer-controller',
      tag: 'v3.5.0',
    });
  });

  test('installs the charts that run pods only after the node group exists', () => {
    const nodegroupId = idOf((r) => r.Type === 'AWS::EKS::Nodegroup');
    for (const chart of ['aws-load-balancer-controller', 'argo-cd', 'external-secrets']) {
      const id = idOf((r) => r.Type === 'Custom::AWSCDK-EKS-HelmChart' && r.Properties.Chart === chart);
      expect({ chart, dependsOnNodes: dependsOn(id, nodegroupId) }).toEqual({ chart, dependsOnNodes: true });
    }
  });

  test('installs Argo CD from the argo-cd chart whose appVersion is the Argo CD every other path uses, with the Application health check', () => {
    const chart = resources.find((r) => r.Type === 'Custom::AWSCDK-EKS-HelmChart' && r.Properties.Chart === 'argo-cd');
    expect(chart.Properties).toMatchObject({ Release: 'argocd', Namespace: 'argocd', Repository: 'https://argoproj.github.io/argo-helm', CreateNamespace: true });
    // argo-helm charts/argo-cd/Chart.yaml: appVersion v3.4.4 from chart 9.5.22 to 10.1.1. The chart
    // decides the image (global.image.tag defaults to appVersion) and the CRDs it installs.
    expect(ARGO_CD_CHART_APP_VERSIONS[chart.Properties.Version]).toBe(UPSTREAM_VERSIONS.argoCd);
    const values = JSON.parse(chart.Properties.Values);
    expect(values.global?.image?.tag).toBeUndefined();
    expect(values.configs.cm['resource.customizations.health.argoproj.io_Application']).toContain('obj.status.health.status');
  });

  test('one Argo CD version everywhere: the chart, the bootstrap install, the CLI and the CRDs the tests validate against', () => {
    expect(UPSTREAM_URLS.argoCdInstall).toBe(`https://raw.githubusercontent.com/argoproj/argo-cd/${UPSTREAM_VERSIONS.argoCd}/manifests/install.yaml`);
    expect(UPSTREAM_URLS.argoCdCli).toContain(`/download/${UPSTREAM_VERSIONS.argoCd}/`);
    expect(ARGO_CD_CHART_APP_VERSIONS[UPSTREAM_VERSIONS.argoCdChart]).toBe(UPSTREAM_VERSIONS.argoCd);
    expect(readFileSync(upstreamPath(`argo-cd-${UPSTREAM_VERSIONS.argoCd}`, 'install.yaml'), 'utf8')).toContain(`quay.io/argoproj/argocd:${UPSTREAM_VERSIONS.argoCd}`);
  });

  test('installs External Secrets 2.9.0 with its CRDs, waiting for its webhook', () => {
    const chart = resources.find((r) => r.Type === 'Custom::AWSCDK-EKS-HelmChart' && r.Properties.Chart === 'external-secrets');
    expect(chart.Properties).toMatchObject({
      Release: 'external-secrets',
      Namespace: 'external-secrets',
      Repository: 'https://charts.external-secrets.io',
      Version: '2.9.0',
      Wait: true,
    });
    // With requests and limits, and two webhook replicas (test/aws/helm-releases.test.ts renders them).
    const values = JSON.parse(chart.Properties.Values);
    expect(values).toEqual(expect.objectContaining({ installCRDs: true, webhook: expect.objectContaining({ replicaCount: 2 }) }));
  });

  test('bootstraps Argo CD with the objects argocd/bootstrap holds, after the Argo CD and External Secrets charts', () => {
    const [id, manifest] = Object.entries<any>(json.Resources).find(
      ([, r]) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource' && String(resolveIntrinsics(r.Properties.Manifest, json)).includes('AppProject'),
    )!;
    const objects = JSON.parse(resolveIntrinsics(manifest.Properties.Manifest, json));
    expect(objects.map((o: any) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'AppProject/sandbox',
      'Application/sandbox-root',
      'ServiceAccount/sandbox-repository-reader',
      'SecretStore/sandbox-manifest-repository',
      'ExternalSecret/sandbox-manifest-repository',
    ]);
    for (const chart of ['argo-cd', 'external-secrets']) {
      expect(dependsOn(id, idOf((r) => r.Type === 'Custom::AWSCDK-EKS-HelmChart' && r.Properties.Chart === chart))).toBe(true);
    }
  });

  test('creates an immutable, scanned, encrypted ECR repository per image, retained on deletion but not on a failed create', () => {
    const repos = resources.filter((r) => r.Type === 'AWS::ECR::Repository');
    expect(repos.map((r) => r.Properties.RepositoryName).sort()).toEqual(['sandbox/main/app', 'sandbox/main/migration', 'sandbox/main/web']);
    for (const repo of repos) {
      // CloudFormation's RetainExceptOnCreate: a rolled-back first deploy leaves no repository that
      // would make the retry fail with "already exists".
      expect(repo.DeletionPolicy).toBe('RetainExceptOnCreate');
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
        'ManifestRepositorySecretName',
        'ImageUpdaterRoleArn',
        'MainCiRoleArn',
        'MainExternalSecretsRoleArn',
        'MainExternalDnsRoleArn',
      ]),
    );
    expect(json.Outputs.ManifestRepositorySecretName.Value).toBe('sandbox/argocd/manifest-repository');
    expect(json.Outputs.UpdateKubeconfigCommand.Value).toBe('aws eks update-kubeconfig --name sandbox --region ap-northeast-1');
  });
});

describe('IRSA roles', () => {
  test.each([
    ['sandbox-main-external-secrets', 'system:serviceaccount:main:main-secrets-reader'],
    ['sandbox-main-external-dns', 'system:serviceaccount:main:main-external-dns'],
    ['sandbox-image-updater', 'system:serviceaccount:argocd:argocd-image-updater-controller'],
    ['sandbox-repository-reader', 'system:serviceaccount:argocd:sandbox-repository-reader'],
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
        // newest-build reads each image's config blob for its creation date: a layer download.
        Action: ['ecr:BatchGetImage', 'ecr:DescribeImages', 'ecr:GetDownloadUrlForLayer', 'ecr:ListImages'],
        Resource: [
          'arn:aws:ecr:ap-northeast-1:123456789012:repository/sandbox/main/app',
          'arn:aws:ecr:ap-northeast-1:123456789012:repository/sandbox/main/web',
        ],
      },
    ]);
  });

  test('External Secrets in Argo CD namespace reads exactly the manifest repository credentials secret', () => {
    expect(statementsOf(role('sandbox-repository-reader'))).toEqual([
      {
        Sid: 'ReadRepositoryCredentials',
        Effect: 'Allow',
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        // Secrets Manager appends '-' and six characters to the name: '?' matches exactly those.
        Resource: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:sandbox/argocd/manifest-repository-??????',
      },
    ]);
  });

  test('the migration Job has no role unless the spec gives it permissions, and then exactly those', () => {
    expect(resources.some((r) => r.Properties?.RoleName === 'sandbox-main-migration')).toBe(false);
    const spec = sandboxSpec();
    spec.apps[0].migration.permissions = [{ actions: ['rds-db:connect'], resources: ['arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:db-ABC/app'] }];
    const withPermissions = new GitOpsPlatform(cdkApp(), 'p', { platform: Platform.resolve(PlatformSpecLoader.fromObject(spec)) });
    const roleJson = Template.fromStack(withPermissions.platformStack).toJSON();
    const migration = Object.values<any>(roleJson.Resources).find((r) => r.Properties?.RoleName === 'sandbox-main-migration');
    const resolved = resolveRole(migration.Properties, roleJson);
    expect(statementsOf(resolved)).toEqual([
      { Sid: 'Spec0', Effect: 'Allow', Action: 'rds-db:connect', Resource: 'arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:db-ABC/app' },
    ]);
    expect(trustAdmits(resolved.AssumeRolePolicyDocument, CLUSTER_PROVIDER, irsaClaims('system:serviceaccount:main:main-migration'))).toBe(true);
  });

  test('no statement of the platform roles has Resource * except actions without resource-level permission', () => {
    const unscopable = ['ecr:GetAuthorizationToken', 'route53:ListHostedZones'];
    const ours = resources.filter((r) => r.Type === 'AWS::IAM::Role' && /^sandbox-/.test(r.Properties.RoleName ?? ''));
    expect(ours.length).toBe(5);
    for (const r of ours) {
      for (const statement of statementsOf(resolveRole(r.Properties, json))) {
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

  test('IrsaRole on a cluster provider writes its trust policy as a JSON string: no Lambda-backed custom resource', () => {
    // The ALB controller's own ServiceAccount (aws-cdk-lib) still uses one; none of ours do.
    expect(resources.filter((r) => r.Type === 'Custom::AWSCDKCfnJson')).toHaveLength(1);
    const raw = resources.find((r) => r.Properties?.RoleName === 'sandbox-main-external-dns').Properties.AssumeRolePolicyDocument;
    expect(Object.keys(raw)).toEqual(['Fn::Join']);
  });

  test('IrsaRole refuses a ServiceAccount name Kubernetes would refuse', () => {
    const stack = new Stack();
    const provider = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'P', CLUSTER_PROVIDER);
    expect(() => new IrsaRole(stack, 'R', { oidcProvider: provider, namespace: 'main', serviceAccountName: 'Bad_Name' })).toThrow(
      "serviceAccountName 'Bad_Name' is not a Kubernetes name",
    );
  });
});

describe('application stacks', () => {
  /** A spec with apps app1..appN, the ones in `stacks` placed in the named stacks. */
  function platformOf(names: string[], stacks: { [app: string]: string } = {}) {
    const spec: any = specWithApps(1);
    const first = spec.apps[0];
    spec.apps = names.map((name, i) => ({
      ...first,
      name,
      namespace: name,
      host: `${name}.example.com`,
      ci: { ...first.ci, repository: name, repositoryId: String(1000 + i) },
      ...(stacks[name] ? { stack: stacks[name] } : {}),
    }));
    return Platform.resolve(PlatformSpecLoader.fromObject(spec));
  }

  /** Which stack holds each app's retained ECR repositories, by app name. */
  function placement(names: string[], stacks: { [app: string]: string } = {}): { [app: string]: string } {
    const placedIn = new GitOpsPlatform(cdkApp(), 'x', { platform: platformOf(names, stacks) });
    const placed: { [app: string]: string } = {};
    for (const stack of [placedIn.platformStack, ...placedIn.appsStacks]) {
      for (const name of Object.keys(stack.apps)) placed[name] = stack.stackName;
    }
    return placed;
  }

  test('an app stays in the stack its spec names while other apps are added, removed and reordered', () => {
    const before = placement(['svc-001', 'svc-002', 'svc-003'], { 'svc-002': 'group-a' });
    expect(before).toEqual({ 'svc-001': 'sandbox-platform', 'svc-002': 'sandbox-group-a', 'svc-003': 'sandbox-platform' });
    const names = Array.from({ length: 25 }, (_, i) => `svc-${String(i + 1).padStart(3, '0')}`);
    // 25 apps, one inserted before svc-002 and svc-001 removed: nothing that stayed moves.
    const after = placement(['svc-000', ...names.slice(1)], { 'svc-002': 'group-a', 'svc-020': 'group-b' });
    expect(after['svc-002']).toBe(before['svc-002']);
    expect(after['svc-003']).toBe(before['svc-003']);
    expect(after['svc-001']).toBeUndefined();
    expect(after['svc-020']).toBe('sandbox-group-b');
  });

  test('application stacks hold no Lambda function or custom resource, and reference the platform stack weakly', () => {
    const split = new GitOpsPlatform(cdkApp(), 'x', { platform: platformOf(['svc-1', 'svc-2'], { 'svc-2': 'group-a' }) });
    const appsJson = Template.fromStack(split.appsStacks[0]).toJSON();
    const types = Object.values<any>(appsJson.Resources).map((r) => r.Type);
    expect(types.filter((t) => t === 'AWS::Lambda::Function' || t.startsWith('Custom::'))).toEqual([]);
    const text = JSON.stringify(appsJson);
    expect(text).not.toContain('Fn::ImportValue');
    expect(text).toContain('Fn::GetStackOutput');
    // The GitHub provider is named by its fixed ARN: no reference to the platform stack at all.
    expect(text).toContain('arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com');
    expect(split.appsStacks[0].dependencies).toContain(split.platformStack);
    // The weak reference is the stack's stated choice: CDK's "no reference strength configured" warning does not apply.
    Annotations.fromStack(split.appsStacks[0]).hasNoWarning('*', Match.anyValue());
  });

  test('the IRSA roles of an application stack trust exactly their ServiceAccounts on the platform cluster', () => {
    const split = new GitOpsPlatform(cdkApp(), 'x', { platform: platformOf(['svc-1'], { 'svc-1': 'group-a' }) });
    const platformJson = Template.fromStack(split.platformStack).toJSON();
    const outputs = templateExports(platformJson, split.platformStack.stackName);
    const appsJson = Template.fromStack(split.appsStacks[0]).toJSON();
    const dns = Object.values<any>(appsJson.Resources).find((r) => r.Properties?.RoleName === 'sandbox-svc-1-external-dns');
    const trust = resolveRole(dns.Properties, appsJson, outputs).AssumeRolePolicyDocument;
    expect(trustAdmits(trust, CLUSTER_PROVIDER, irsaClaims('system:serviceaccount:svc-1:svc-1-external-dns'))).toBe(true);
    expect(trustAdmits(trust, CLUSTER_PROVIDER, irsaClaims('system:serviceaccount:svc-1:default'))).toBe(false);
  });

  test('50 apps in two named stacks stay well under 500 resources each, with a linear cost per app', () => {
    const names = Array.from({ length: 50 }, (_, i) => `app${i + 1}`);
    const stacks = Object.fromEntries(names.map((name, i) => [name, i < 30 ? 'group-a' : 'group-b']));
    const split = new GitOpsPlatform(cdkApp(), 'big', { platform: platformOf(names, stacks) });
    expect(split.appsStacks.map((stack) => stack.stackName)).toEqual(['sandbox-group-a', 'sandbox-group-b']);
    const [a, b] = split.appsStacks.map(countResources);
    // Per app: 3 repositories, the CI role, 2 IRSA roles; no custom resource per role.
    expect((a - b) / 10).toBe(6);
    expect(b - 20 * 6).toBeLessThan(3);
  });

  test('a stack over the CloudFormation limit fails synthesis with a message saying what to change', () => {
    const cdk = cdkApp();
    new GitOpsPlatform(cdk, 'big', { platform: platformOf(Array.from({ length: 90 }, (_, i) => `app${i + 1}`)) });
    expect(() => cdk.synth()).toThrow(/Stack sandbox-platform has \d+ resources; CloudFormation allows 500\. Give some applications a stack of their own with apps\[\]\.stack/);
  });

});

describe('the scope of a GitOpsPlatform', () => {
  // The application in a stack of its own, so the cross-stack references are exercised too.
  const splitSpec = sandboxSpec();
  splitSpec.apps[0].stack = 'apps-1';
  const split = { platform: Platform.resolve(PlatformSpecLoader.fromObject(splitSpec)) };

  test('in the App, the stacks are named after the platform', () => {
    const root = cdkApp();
    new GitOpsPlatform(root, 'sandbox', split);
    expect(root.synth().stacks.map((s) => s.stackName).sort()).toEqual(['sandbox-apps-1', 'sandbox-platform']);
  });

  test('in a Stage (as in a CDK Pipeline), the stage synthesizes both stacks, prefixed with its name', () => {
    // GIVEN a stage, as a pipeline's addStage() takes it
    const stage = new Stage(cdkApp(), 'Prod');
    // WHEN the platform is built in it
    const gitopsInStage = new GitOpsPlatform(stage, 'sandbox', split);
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
  test('with the flag (cdk.json sets it), the cluster\'s provider is a native AWS::IAM::OIDCProvider', () => {
    const flagged = Template.fromStack(new GitOpsPlatform(cdkApp(), 'flagged', { platform }).platformStack);
    flagged.resourceCountIs('Custom::AWSCDKOpenIdConnectProvider', 0);
    flagged.hasResourceProperties('AWS::IAM::OIDCProvider', { Url: { 'Fn::GetAtt': [Match.anyValue(), 'OpenIdConnectIssuerUrl'] } });
  });

  test('without the native OIDC provider flag, the deprecated provider is made (aws-cdk-lib warns of it) and the cluster says how to enable the flag', () => {
    // aws-cdk-lib prints each deprecated API once per process, with console.warn("[WARNING]", ...)
    // (its .warnings.jsii.js, unless JSII_DEPRECATED=quiet): here that warning is the behaviour under
    // test, so it is captured rather than printed.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const plain = new App();
      const gitopsPlain = new GitOpsPlatform(plain, 'plain', { platform });
      Annotations.fromStack(gitopsPlain.platformStack).hasWarning('/sandbox-platform/Cluster', Match.stringLikeRegexp('@aws-cdk/aws-eks:useNativeOidcProvider'));
      Template.fromStack(gitopsPlain.platformStack).resourceCountIs('Custom::AWSCDKOpenIdConnectProvider', 1);
      expect(warn.mock.calls).toEqual([
        ['[WARNING]', expect.stringMatching(/^aws-cdk-lib\.aws_eks_v2\.OpenIdConnectProvider is deprecated, .*\n\s*Use `OidcProviderNative` instead\./)],
      ]);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('cluster access', () => {
  test('the public endpoint takes the spec CIDR blocks, and an empty list makes it private', () => {
    const spec = sandboxSpec();
    spec.cluster.publicAccessCidrs = ['203.0.113.0/24'];
    const restricted = Template.fromStack(new GitOpsPlatform(cdkApp(), 'r', { platform: Platform.resolve(PlatformSpecLoader.fromObject(spec)) }).platformStack);
    restricted.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: { EndpointPublicAccess: true, EndpointPrivateAccess: true, PublicAccessCidrs: ['203.0.113.0/24'] },
    });
    spec.cluster.publicAccessCidrs = [];
    const closed = Template.fromStack(new GitOpsPlatform(cdkApp(), 'c', { platform: Platform.resolve(PlatformSpecLoader.fromObject(spec)) }).platformStack);
    closed.hasResourceProperties('AWS::EKS::Cluster', { ResourcesVpcConfig: { EndpointPublicAccess: false, EndpointPrivateAccess: true } });
  });

  test('without an admin role, synthesis warns that no person can use kubectl', () => {
    const spec = sandboxSpec();
    delete spec.cluster.adminRoleArns;
    const gitopsNoAdmin = new GitOpsPlatform(cdkApp(), 'n', { platform: Platform.resolve(PlatformSpecLoader.fromObject(spec)) });
    Annotations.fromStack(gitopsNoAdmin.platformStack).hasWarning('/sandbox-platform/Cluster', Match.stringLikeRegexp('No cluster admin role.*cluster.adminRoleArns'));
  });

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
      // The managed Argo CD ends a sync after 120 s: the sandbox's 120 s migration would be refused.
      apps: spec.apps.map((a) => ({ ...a, migration: { ...a.migration!, deadlineSeconds: 90 } })),
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

  test('its access entry gets AmazonEKSClusterAdminPolicy scoped to the namespaces the platform deploys to', () => {
    // EKS user guide, "Security considerations for EKS Capabilities": the capability's access entry
    // carries AmazonEKSArgoCDClusterPolicy and AmazonEKSArgoCDPolicy only, no RBAC to deploy with;
    // the entry exists already, so the policy is associated through the EKS API.
    const [, association] = managedResources.find(([, r]) => r.Type === 'Custom::AWS' && String(JSON.stringify(r.Properties.Create)).includes('AssociateAccessPolicy'))!;
    const create = JSON.parse(resolveIntrinsics(association.Properties.Create, managedJson));
    expect(create).toMatchObject({
      service: 'EKS',
      action: 'AssociateAccessPolicy',
      parameters: {
        clusterName: expect.stringMatching(/^<Cluster[0-9A-F]{8}>$/),
        policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
        accessScope: { type: 'namespace', namespaces: ['argocd', 'app1'] },
      },
    });
    const remove = JSON.parse(resolveIntrinsics(association.Properties.Delete, managedJson));
    expect(remove).toMatchObject({ action: 'DisassociateAccessPolicy', parameters: { policyArn: create.parameters.policyArn } });
  });

  test('the bootstrap registers the cluster by its ARN, and every destination names that ARN', () => {
    const [, bootstrap] = managedResources.find(
      ([, r]) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource' && String(resolveIntrinsics(r.Properties.Manifest, managedJson)).includes('AppProject'),
    )!;
    const objects = JSON.parse(resolveIntrinsics(bootstrap.Properties.Manifest, managedJson));
    const arn = 'arn:aws:eks:ap-northeast-1:123456789012:cluster/sandbox';
    // EKS user guide, "Register target clusters": the capability does not register its own cluster,
    // and https://kubernetes.default.svc is not supported.
    const cluster = objects.find((o: any) => o.kind === 'Secret');
    expect(cluster.metadata.labels['argocd.argoproj.io/secret-type']).toBe('cluster');
    expect(cluster.stringData).toEqual({ name: 'sandbox', server: arn });
    const project = objects.find((o: any) => o.kind === 'AppProject');
    expect(new Set(project.spec.destinations.map((d: any) => d.server))).toEqual(new Set([arn]));
    expect(objects.find((o: any) => o.kind === 'Application').spec.destination.server).toBe(arn);
  });

  test('the bootstrap chart is applied once the capability exists', () => {
    const [capabilityId] = managedResources.find(([, r]) => r.Type === 'AWS::EKS::Capability')!;
    const [, bootstrap] = managedResources.find(
      ([, r]) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource' && String(resolveIntrinsics(r.Properties.Manifest, managedJson)).includes('AppProject'),
    )!;
    expect(bootstrap.DependsOn).toContain(capabilityId);
  });
});
