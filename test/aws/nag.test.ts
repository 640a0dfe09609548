import { existsSync, readdirSync, readFileSync } from 'fs';
import { dirname, join, sep } from 'path';
import { App, CfnResource, CloudFormationValidatePlugin, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { BUILT_IN_ADDONS } from '../../lib/addons/built-in';
import { GitHubActionsRole } from '../../lib/aws/github-actions-role';
import { GitOpsCluster } from '../../lib/aws/gitops-cluster';
import { GitOpsPlatform } from '../../lib/aws/gitops-platform';
import { ImageRepository } from '../../lib/aws/image-repository';
import { IrsaRole } from '../../lib/aws/irsa-role';
import { ACKNOWLEDGE_NAG_FINDINGS_CONTEXT } from '../../lib/aws/nag';
import type { ResolvedPlatform } from '../../lib/model/resolved';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { cdkApp, repoPath, sandboxPlatform, sandboxSpec, specWithApps, specWithEnvironments } from '../fixtures';
import { nagFindings as findingsOf } from '../support/nag-findings';
import { keepPlatformStackTemplates } from '../support/platform-templates';

const ENV = { account: '123456789012', region: 'eu-west-1' };

/*
 * aws-cdk-lib's own check of the templates against CloudFormation's rules, off in the other suites
 * (test/support/setup.ts) and on here, as `cdk synth` runs it: every synthesis of this file must run
 * it over each of its stacks, and it must find nothing, not even a warning.
 */
delete process.env.CDK_VALIDATION;
const validate = CloudFormationValidatePlugin.prototype.validate;
const cfnValidate = jest.spyOn(CloudFormationValidatePlugin.prototype, 'validate');

/*
 * What the validation finds in a template depends on the template's text and the stack's account and
 * region (its pseudo parameters), nothing else: a template this file's syntheses validated clean
 * before (the sandbox's stacks, built by several tests) is not handed to the engine again, each
 * about half a second of CPU. Every other template is, and a template with findings always is. The
 * run's report is the engine's on the rest: a clean template adds no violation to it.
 */
const validatedClean = new Set<string>();
cfnValidate.mockImplementation(function (this: CloudFormationValidatePlugin, context) {
  const keyOf = (stack: (typeof context.stackTemplates)[number]) => JSON.stringify([stack.accountId, stack.region, readFileSync(stack.templatePath, 'utf8')]);
  const fresh = context.stackTemplates.filter((stack) => !validatedClean.has(keyOf(stack)));
  if (fresh.length === 0) return { success: true, violations: [] };
  const templatePaths = fresh.map((stack) => stack.templatePath);
  const report = validate.call(this, { appConstruct: context.appConstruct, templatePaths, stackTemplates: fresh });
  // The report names no template a violation is in: only a run that found nothing says its templates are clean.
  if (report.violations.length === 0) for (const stack of fresh) validatedClean.add(keyOf(stack));
  return report;
});

/*
 * The engine behind the validation is built from the CloudFormation rules that apply to the
 * templates' resource types (aws-cdk-lib's initializeEngine: its built-in Rego rules, each for some
 * resource types, picked from core/lib/validation/rules/index.generated.json) and is built again, a
 * few seconds of CPU each, whenever a template has a resource type the last build did not see, even
 * when it picks the very same rules. Here it is built again only when the rules it would be given
 * differ: an engine built from the same rules is the same engine, and it validates each template as
 * a new one would.
 */
type EnginePlugin = { engine?: unknown; engineResourceTypes?: Set<string>; disposed: boolean; initializeEngine(resourceTypes: Set<string>): unknown };
const enginePrototype = CloudFormationValidatePlugin.prototype as unknown as EnginePlugin;
const initializeEngine = enginePrototype.initializeEngine;
if (typeof initializeEngine !== 'function') throw new Error('aws-cdk-lib\'s CloudFormationValidatePlugin has no initializeEngine: see the engine reuse in test/aws/nag.test.ts');
const builtInRules: { file: string; types: string[] | null }[] = JSON.parse(
  readFileSync(join(dirname(require.resolve('aws-cdk-lib')), 'core', 'lib', 'validation', 'rules', 'index.generated.json'), 'utf8'),
).rules;
const rulesFor = (types: Set<string>) =>
  JSON.stringify(
    builtInRules
      .filter((rule) => rule.types === null || rule.types.some((type) => types.has(type)))
      .map((rule) => rule.file)
      .sort(),
  );
jest.spyOn(enginePrototype, 'initializeEngine').mockImplementation(function (this: EnginePlugin, resourceTypes) {
  if (this.engine && this.engineResourceTypes && !this.disposed && rulesFor(resourceTypes) === rulesFor(this.engineResourceTypes)) {
    this.engineResourceTypes = new Set([...this.engineResourceTypes, ...resourceTypes]);
    return this.engine;
  }
  return initializeEngine.call(this, resourceTypes);
});
const synthesized: App[] = [];

/** cdk-nag's findings (test/support/nag-findings.ts), the app kept for the CloudFormation validation check. */
function nagFindings(app: App): string[] {
  synthesized.push(app);
  const found = findingsOf(app);
  if (found.length === 0) keepTemplates(app);
  return found;
}

afterEach(() => {
  const runs = cfnValidate.mock.calls.map(([context], i) => ({
    templates: context.stackTemplates.map((t) => t.templatePath),
    outcome: cfnValidate.mock.results[i],
  }));
  cfnValidate.mockClear();
  for (const app of synthesized.splice(0)) {
    const own = runs.filter((run) => run.templates.every((t) => t.startsWith(app.outdir + sep)));
    const stacks = readdirSync(app.outdir).filter((f) => f.endsWith('.template.json')).map((f) => join(app.outdir, f));
    expect(own.flatMap((run) => run.templates).sort()).toEqual(stacks.sort());
    for (const run of own) expect(run.outcome).toEqual({ type: 'return', value: expect.objectContaining({ success: true, violations: [] }) });
  }
});

/**
 * The platform's stacks, built as bin/app.ts builds them (the constructs acknowledge their own
 * findings): every environment's, when given several.
 */
function platformApp(platforms: ResolvedPlatform | ResolvedPlatform[], acknowledge = true): App {
  const app = cdkApp();
  if (!acknowledge) app.node.setContext(ACKNOWLEDGE_NAG_FINDINGS_CONTEXT, false);
  const all = [platforms].flat();
  // A hub (argocd.hub) is given the other environments, whose bootstraps its Argo CD applies.
  const stacks = all.map(
    (platform) => new GitOpsPlatform(app, platform.qualifiedName, { platform, spokes: all.filter((p) => p !== platform) }).platformStack,
  );
  if (acknowledge) builtAsTheRunBuildsThem.set(app, { platforms: all, stacks });
  return app;
}

/*
 * The apps platformApp builds with the acknowledgements on are the apps test/support/platform-templates.ts
 * synthesizes: once one synthesized clean, its platform stacks' templates are kept for the run, and
 * the other files that read the same platforms' templates (the sandbox's, the examples') need not
 * synthesize them again.
 */
const builtAsTheRunBuildsThem = new WeakMap<App, { platforms: ResolvedPlatform[]; stacks: Stack[] }>();
function keepTemplates(app: App): void {
  const built = builtAsTheRunBuildsThem.get(app);
  if (!built || built.platforms.some((p) => p.addons.some((inUse) => !BUILT_IN_ADDONS.includes(inUse.addon)))) return;
  keepPlatformStackTemplates(
    built.platforms,
    built.stacks.map((stack) => JSON.parse(readFileSync(join(app.outdir, stack.templateFile), 'utf8'))),
  );
}

function vaultPluginPlatform(): ResolvedPlatform {
  const spec = sandboxSpec();
  spec.secrets = { backend: 'vault-plugin', vault: { address: 'https://vault.example.com:8200' } };
  return Platform.resolve(PlatformSpecLoader.fromObject(spec));
}

describe('cdk-nag AwsSolutions on the platform: 0 findings, the constructs acknowledge what they accept', () => {
  test('the sandbox', () => {
    const platform = sandboxPlatform();
    const app = platformApp(platform);
    expect(nagFindings(app)).toEqual([]);
    // The templates this file keeps for the run (keepTemplates) are those of a synthesis without the plugins.
    const [stack] = app.node.children.map((gitops) => (gitops as GitOpsPlatform).platformStack);
    const own = Template.fromStack(new GitOpsPlatform(cdkApp(), platform.qualifiedName, { platform }).platformStack).toJSON();
    expect(JSON.parse(readFileSync(join(app.outdir, stack.templateFile), 'utf8'))).toEqual(own);
  });

  test('50 apps, half of them in an application stack of their own', () => {
    const spec: any = specWithApps(50);
    spec.apps.slice(25).forEach((app: any) => (app.stack = 'group-b'));
    expect(nagFindings(platformApp(Platform.resolve(PlatformSpecLoader.fromObject(spec))))).toEqual([]);
  });

  test.each(readdirSync(repoPath('examples')).filter((dir) => existsSync(repoPath('examples', dir, 'platform.yaml'))))('the spec of examples/%s', (dir) => {
    expect(nagFindings(platformApp(Platform.resolveEnvironments(PlatformSpecLoader.fromFile(repoPath('examples', dir, 'platform.yaml')))))).toEqual([]);
  });

  test('five environments in four accounts and two regions: repository policies, named node roles, no CI outside the registry', () => {
    expect(nagFindings(platformApp(Platform.resolveEnvironments(specWithEnvironments(5))))).toEqual([]);
  });

  test('the argocd-vault-plugin backend', () => {
    expect(nagFindings(platformApp(vaultPluginPlatform()))).toEqual([]);
  });

  test('the EKS managed Argo CD', () => {
    const spec = sandboxSpec();
    spec.argocd = { managed: true, identityCenter: { instanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef' } };
    // The managed Argo CD ends a sync after 120 s: the sandbox's 120 s migration would be refused.
    spec.apps[0].migration.deadlineSeconds = 90;
    expect(nagFindings(platformApp(Platform.resolve(PlatformSpecLoader.fromObject(spec))))).toEqual([]);
  });

  test('EKS Pod Identity, with a migration role and an application stack of its own', () => {
    const spec = sandboxSpec();
    spec.workloadIdentity = 'pod-identity';
    spec.apps[0].stack = 'group-a';
    spec.apps[0].migration.permissions = [{ actions: ['rds-db:connect'], resources: ['arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:db-ABC/app'] }];
    expect(nagFindings(platformApp(Platform.resolve(PlatformSpecLoader.fromObject(spec))))).toEqual([]);
  });

  test('with the acknowledgements off, a named node role shows the findings its construct accepts, and a repository policy shows none', () => {
    const [staging, production] = Platform.resolveEnvironments(PlatformSpecLoader.fromFile(repoPath('examples', 'two-environments', 'platform.yaml')));
    const shown = nagFindings(platformApp([staging, production], false));
    expect(shown.filter((f) => f.includes('/Cluster/NodeRole/'))).toEqual(
      ['AmazonEC2ContainerRegistryReadOnly', 'AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy'].flatMap((policy) =>
        ['shop-production-platform', 'shop-staging-platform'].map(
          (stack) => `${stack}/Cluster/NodeRole/Resource: AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policy}]`,
        ),
      ).sort(),
    );
    expect(shown.filter((f) => f.includes('/Repository-'))).toEqual([]);
  });

  test('with the acknowledgements off, an application\'s database shows only the findings its construct accepts for MySQL and a single instance', () => {
    const shown = nagFindings(platformApp(Platform.resolveEnvironments(PlatformSpecLoader.fromFile(repoPath('examples', 'database', 'platform.yaml'))), false));
    // Encryption, backups, deletion protection, IAM authentication, log exports and private access
    // pass the RDS rules, and both secrets rotate (SMG4): nothing to accept on Aurora PostgreSQL.
    expect(shown.filter((f) => f.includes('/App-main/Database/'))).toEqual([]);
    // On Aurora MySQL, Backtrack too, which Serverless v2 does not support, and the default port
    // (cdk-nag's RDS11 names 3306 for Aurora clusters).
    const mysql = PlatformSpecLoader.fromFile(repoPath('examples', 'database', 'platform.yaml')) as any;
    mysql.apps[0].database = { engine: 'mysql' };
    expect(nagFindings(platformApp(Platform.resolveEnvironments(mysql), false)).filter((f) => f.includes('/App-main/Database/'))).toEqual([
      'sandbox-platform/App-main/Database/Cluster/Resource: AwsSolutions-RDS11',
      'sandbox-platform/App-main/Database/Cluster/Resource: AwsSolutions-RDS14',
    ]);
    expect(nagFindings(platformApp(Platform.resolveEnvironments(mysql)))).toEqual([]);
    // A single instance: one Availability Zone by choice, and the default port.
    for (const engine of ['postgresql', 'mysql']) {
      const instance = PlatformSpecLoader.fromFile(repoPath('examples', 'database', 'platform.yaml')) as any;
      instance.apps[0].database = { engine, deployment: 'instance' };
      expect(nagFindings(platformApp(Platform.resolveEnvironments(instance), false)).filter((f) => f.includes('/App-main/Database/'))).toEqual([
        'sandbox-platform/App-main/Database/Instance/Resource: AwsSolutions-RDS11',
        'sandbox-platform/App-main/Database/Instance/Resource: AwsSolutions-RDS3',
      ]);
      expect(nagFindings(platformApp(Platform.resolveEnvironments(instance)))).toEqual([]);
    }
    const provisioned = PlatformSpecLoader.fromFile(repoPath('examples', 'database', 'platform.yaml')) as any;
    provisioned.apps[0].database = { engine: 'postgresql', deployment: 'aurora-provisioned' };
    expect(nagFindings(platformApp(Platform.resolveEnvironments(provisioned)))).toEqual([]);
  });

  test('with cdk-eks-gitops:acknowledgeNagFindings=false every finding shows: the check is real', () => {
    const shown = nagFindings(platformApp(sandboxPlatform(), false));
    expect(shown).toEqual(
      expect.arrayContaining([
        'sandbox-platform/Cluster/Resource/Role/Resource: AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSClusterPolicy]',
        'sandbox-platform/App-main/CiRole/Resource/Resource: AwsSolutions-IAM5[Resource::*]',
        'sandbox-platform/App-main/Irsa-external-dns/Resource/Resource: AwsSolutions-IAM5[Resource::*]',
        'sandbox-platform/ImageUpdaterRole/Resource/Resource: AwsSolutions-IAM5[Resource::*]',
        // The function that reads the signing key's public key writes to its own log group's streams.
        expect.stringMatching(/^sandbox-platform\/ImageSigningPublicKey\/Role\/Resource: AwsSolutions-IAM5\[Resource::<ImageSigningPublicKeyLogs[0-9A-F]+\.Arn>:\*\]$/),
      ]),
    );
    // Everything the constructs acknowledge: the cluster's and aws-cdk-lib's providers', the load
    // balancer controller's policy, the ECR login and Route 53 listing wildcards, and the signing
    // key reader's log streams. The signing key itself has none: cdk-nag's AwsSolutions-KMS5
    // (rotation) checks symmetric keys only, and KMS rotates no asymmetric key.
    expect(shown).toHaveLength(26);
  });

  test('the opt-out also works from the command line, where context values are strings', () => {
    const app = new App({ context: { ...cdkApp().node.getAllContext(), [ACKNOWLEDGE_NAG_FINDINGS_CONTEXT]: 'false' } });
    new GitOpsPlatform(app, 'sandbox', { platform: sandboxPlatform() });
    expect(nagFindings(app)).toHaveLength(26);
  });
});

describe('cdk-nag AwsSolutions on the constructs in a stack of your own', () => {
  test('a GitOpsCluster nested under other ids, a CI role on an imported provider, an IRSA role and a repository: 0 findings', () => {
    // GIVEN a consumer's stack, with the cluster one level deeper than the platform puts it
    const app = cdkApp();
    const stack = new Stack(app, 'team-stack', { env: ENV });
    const group = new Construct(stack, 'Team');
    const cluster = new GitOpsCluster(group, 'Eks', { clusterName: 'team' });
    const github = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'GitHub', `arn:aws:iam::${ENV.account}:oidc-provider/token.actions.githubusercontent.com`);
    const repository = new ImageRepository(stack, 'Image', { repositoryName: 'team/api' });
    new GitHubActionsRole(stack, 'Ci', { provider: github, subjects: { owner: 'o', ownerId: '1', repository: 'api', repositoryId: '2', tagPatterns: ['v*'] }, pushRepositories: [repository.repository] });
    const reader = new IrsaRole(stack, 'Reader', { oidcProvider: cluster.cluster.openIdConnectProvider, namespace: 'api', serviceAccountName: 'api' });
    reader.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::team-bucket/api/config.json'] }));
    // WHEN the pack runs THEN it reports nothing
    expect(nagFindings(app)).toEqual([]);
  });

  test('the acknowledgements cover only the resources the constructs made: a finding of your own is still reported', () => {
    const app = cdkApp();
    const stack = new Stack(app, 'team-stack', { env: ENV });
    new GitOpsCluster(stack, 'Cluster', { clusterName: 'team' });
    const github = iam.OidcProviderNative.fromOidcProviderArn(stack, 'GitHub', `arn:aws:iam::${ENV.account}:oidc-provider/token.actions.githubusercontent.com`);
    const ci = new GitHubActionsRole(stack, 'Ci', { provider: github, subjects: { owner: 'o', ownerId: '1', repository: 'api', repositoryId: '2', tagPatterns: ['v*'] } });
    // A role of the consumer's with the same managed policy as the cluster's role, and a CI role without
    // repositories (no ECR login statement, so nothing acknowledged) given a wildcard by the consumer.
    new iam.Role(stack, 'Mine', { assumedBy: new iam.ServicePrincipal('eks.amazonaws.com'), managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSClusterPolicy')] });
    ci.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    expect(nagFindings(app)).toEqual([
      'team-stack/Ci/Resource/DefaultPolicy/Resource: AwsSolutions-IAM5[Resource::*]',
      'team-stack/Mine/Resource: AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSClusterPolicy]',
    ]);
  });
});

describe("aws-cdk-lib's CloudFormation validation", () => {
  test('is on in this suite: a property CloudFormation does not know is reported, with its rule and resource', () => {
    const app = cdkApp();
    const stack = new Stack(app, 'invalid', { env: ENV });
    new CfnResource(stack, 'Bucket', { type: 'AWS::S3::Bucket', properties: { NoSuchProperty: 'x' } });
    // Reported as a warning (cdk.json leaves @aws-cdk/core:validateAgainstDefaultRules unset), on stderr and in the assembly.
    const stderr = jest.spyOn(console, 'error').mockImplementation(() => {});
    app.synth();
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining("NoSuchProperty: Additional properties are not allowed ('NoSuchProperty' was unexpected)"));
    stderr.mockRestore();
    const report = JSON.parse(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([
      expect.objectContaining({
        pluginName: CloudFormationValidatePlugin.PLUGIN_NAME,
        violations: [
          expect.objectContaining({
            ruleName: 'F3002',
            severity: 'warning',
            violatingConstructs: [expect.objectContaining({ constructPath: 'invalid/Bucket', cloudFormationResource: expect.objectContaining({ propertyPaths: ['Properties.NoSuchProperty'] }) })],
          }),
        ],
      }),
    ]);
  });
});
