import { readFileSync } from 'fs';
import { Template } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { BUILT_IN_ADDONS } from '../../lib/addons/built-in';
import { karpenterNames, KARPENTER_NODE_POOLS_APPLICATION } from '../../lib/addons/karpenter/karpenter-addon';
import { KARPENTER_CRD_FILES } from '../../lib/addons/karpenter/karpenter-crds';
import { KARPENTER_NODE_POLICIES, karpenterCrds } from '../../lib/addons/karpenter/karpenter-install';
import { GitOpsPlatform } from '../../lib/aws/gitops-platform';
import { ManifestRepository } from '../../lib/manifests/manifest-repository';
import type { ResolvedPlatform } from '../../lib/model/resolved';
import { validateSpec } from '../../lib/model/validate';
import { teardownSteps } from '../../lib/ops/teardown';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { UPSTREAM_VERSIONS } from '../../lib/versions';
import { cdkApp, repoPath, sandboxSpec, twoEnvironmentsSpec, upstreamPath } from '../fixtures';
import { chartFileText, yamlDocuments } from '../support/helm';
import { environmentContext, resolveIntrinsics } from '../support/iam-eval';
import { kustomize, schemaErrors, wholeObjects, writeTree } from '../support/manifest-checks';
import { platformStackTemplates } from '../support/platform-templates';

/*
 * Karpenter v1.14.1 (`cluster.compute.mode: karpenter`), against its getting-started CloudFormation
 * template and its CRDs at that tag (../shared/upstream/karpenter-v1.14.1/: the template of
 * website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml, the
 * CRDs of pkg/apis/crds/).
 */

const platform: ResolvedPlatform = Platform.resolve(PlatformSpecLoader.fromFile(repoPath('examples', 'karpenter', 'platform.yaml')));
const names = karpenterNames(platform);
const [json] = platformStackTemplates([platform]);
const resources = Object.entries<any>(json.Resources);
const context = environmentContext(platform.account, platform.region, platform.cluster.name);
const resolved = (value: unknown) => resolveIntrinsics(value, json, {}, context);

/** The getting-started template, its CloudFormation tags read as plain values (`!Sub x` is `{ Sub: x }`). */
function gettingStarted(): any {
  const tag = (name: string) => ({ tag: `!${name}`, resolve: (value: unknown) => ({ [name]: value }) });
  const text = readFileSync(upstreamPath(`karpenter-v${UPSTREAM_VERSIONS.karpenter}`, 'getting-started-cloudformation.yaml'), 'utf8');
  return parse(text, { customTags: [tag('Sub'), tag('GetAtt'), tag('Ref')] as any });
}

/** `${...}` of a `!Sub`, filled in for this platform's cluster, role and queue. */
function substitute(text: string): string {
  const values: { [name: string]: string } = {
    'ClusterName': platform.cluster.name,
    'AWS::Partition': 'aws',
    'AWS::Region': platform.region,
    'AWS::AccountId': platform.account,
    'AWS::URLSuffix': 'amazonaws.com',
    'KarpenterNodeRole.Arn': names.nodeRoleArn,
    'KarpenterInterruptionQueue.Arn': names.queueArn,
  };
  return text.replace(/\$\{([^}]+)\}/g, (_, name) => {
    if (!(name in values)) throw new Error(`no value for \${${name}}`);
    return values[name];
  });
}

/** A statement with its Action and Resource as sorted lists, the way two policies can be compared. */
const normalized = (s: any) => ({
  Sid: s.Sid,
  Effect: s.Effect,
  Action: [s.Action].flat().sort(),
  Resource: [s.Resource].flat().sort(),
  ...(s.Condition ? { Condition: s.Condition } : {}),
});

describe('Karpenter on the AWS side (examples/karpenter)', () => {
  test('the controller role has exactly the statements of the template\'s six controller policies, for this cluster, role and queue', () => {
    const template = gettingStarted();
    const upstream = Object.values<any>(template.Resources)
      .filter((r) => r.Type === 'AWS::IAM::ManagedPolicy')
      .flatMap((r) => JSON.parse(substitute(r.Properties.PolicyDocument.Sub)).Statement);
    expect(upstream).toHaveLength(18);
    const [, role] = resources.find(([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === 'sandbox-karpenter')!;
    const ours = role.Properties.Policies.flatMap((p: any) => (resolved(p.PolicyDocument) as any).Statement) as any[];
    const bySid = (a: any, b: any) => a.Sid.localeCompare(b.Sid);
    expect(ours.map(normalized).sort(bySid)).toEqual(upstream.map(normalized).sort(bySid));
  });

  test('the controller role trusts exactly kube-system/karpenter (IRSA here), and its chart names it', () => {
    const [chartId, chart] = resources.find(([, r]) => r.Type === 'Custom::AWSCDK-EKS-HelmChart' && r.Properties.Chart === 'karpenter')!;
    expect(chart.Properties).toEqual(expect.objectContaining({ Release: 'karpenter', Namespace: 'kube-system', Version: '1.14.1', Repository: 'oci://public.ecr.aws/karpenter/karpenter', Wait: true }));
    const values = JSON.parse(chart.Properties.Values);
    expect(values.settings).toEqual({ clusterName: 'sandbox', interruptionQueue: 'sandbox-karpenter' });
    expect(values.serviceAccount.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/sandbox-karpenter' });
    // The chart waits for the nodes' access entry, the queue and the controller's role.
    const roleId = resources.find(([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === 'sandbox-karpenter')![0];
    const accessId = resources.find(([, r]) => r.Type === 'AWS::EKS::AccessEntry' && r.Properties.Type === 'EC2_LINUX')![0];
    expect(json.Resources[chartId].DependsOn).toEqual(expect.arrayContaining([roleId, accessId]));
  });

  test('the nodes\' role has the template\'s node policies and an EC2_LINUX access entry; the private subnets carry the discovery tag', () => {
    const template = gettingStarted();
    const upstream = template.Resources.KarpenterNodeRole.Properties.ManagedPolicyArns.map((arn: any) => substitute(arn.Sub).split('/').pop()).sort();
    expect([...KARPENTER_NODE_POLICIES].sort()).toEqual(upstream);
    const [nodeRoleId, nodeRole] = resources.find(([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === names.nodeRoleName)!;
    expect(resolved(nodeRole.Properties.ManagedPolicyArns).map((arn: string) => arn.split('/').pop()).sort()).toEqual(upstream);
    const [, access] = resources.find(([, r]) => r.Type === 'AWS::EKS::AccessEntry' && r.Properties.Type === 'EC2_LINUX')!;
    expect(access.Properties.PrincipalArn).toEqual({ 'Fn::GetAtt': [nodeRoleId, 'Arn'] });
    const tagged = resources.filter(([, r]) => r.Type === 'AWS::EC2::Subnet' && (r.Properties.Tags ?? []).some((t: any) => t.Key === 'karpenter.sh/discovery' && t.Value === 'sandbox'));
    expect(tagged.map(([, r]) => r.Properties.Tags.find((t: any) => t.Key === 'aws-cdk:subnet-type').Value)).toEqual(['Private', 'Private']);
  });

  test('the interruption queue keeps messages 5 minutes, encrypted, TLS only, and receives exactly the template\'s five events', () => {
    const template = gettingStarted();
    const [queueId, queue] = resources.find(([, r]) => r.Type === 'AWS::SQS::Queue')!;
    expect(queue.Properties).toEqual({ QueueName: 'sandbox-karpenter', MessageRetentionPeriod: template.Resources.KarpenterInterruptionQueue.Properties.MessageRetentionPeriod, SqsManagedSseEnabled: true });
    const upstreamRules = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::Events::Rule').map((r) => r.Properties.EventPattern);
    const rules = resources.filter(([, r]) => r.Type === 'AWS::Events::Rule');
    expect(rules.map(([, r]) => r.Properties.EventPattern)).toEqual(expect.arrayContaining(upstreamRules));
    expect(rules).toHaveLength(upstreamRules.length);
    for (const [, rule] of rules) expect(rule.Properties.Targets).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } })]);
    const [, queuePolicy] = resources.find(([, r]) => r.Type === 'AWS::SQS::QueuePolicy')!;
    const statements = queuePolicy.Properties.PolicyDocument.Statement;
    expect(statements.find((s: any) => s.Effect === 'Deny').Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
    // Each rule may send, and only it (the template lets events.amazonaws.com send from anywhere).
    const sends = statements.filter((s: any) => s.Effect === 'Allow');
    expect(sends.map((s: any) => [s.Principal, s.Action.includes('sqs:SendMessage'), s.Condition.ArnEquals['aws:SourceArn']])).toEqual(
      rules.map(([id]) => [{ Service: 'events.amazonaws.com' }, true, { 'Fn::GetAtt': [id, 'Arn'] }]),
    );
  });

  test('in an environment that pulls from another account\'s registry, the repository policies let the nodes Karpenter launches pull too', () => {
    const spec = twoEnvironmentsSpec();
    spec.environments[1].cluster = { ...spec.environments[1].cluster, compute: { mode: 'karpenter' } };
    const [staging, production] = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec));
    expect(production.cluster.karpenterNodeRoleName).toBe('shop-production-karpenter-node');
    expect(staging.images.pullers.map((p) => p.pullRoleArns)).toEqual([
      ['arn:aws:iam::222222222222:role/shop-production-nodes', 'arn:aws:iam::222222222222:role/shop-production-karpenter-node'],
    ]);
    const app = cdkApp();
    const all = [staging, production];
    const stacks = all.map((p) => new GitOpsPlatform(app, p.qualifiedName, { platform: p, spokes: all.filter((o) => o !== p) }).platformStack);
    const repositories = Object.values<any>(Template.fromStack(stacks[0]).findResources('AWS::ECR::Repository'));
    const repositoryPolicies = JSON.stringify(repositories.map((r) => r.Properties.RepositoryPolicyText));
    expect(repositoryPolicies).toContain('arn:aws:iam::222222222222:role/shop-production-karpenter-node');
    // Production's own nodes' role is the one its EC2NodeClass names.
    const nodeClass = wholeObjects(ManifestRepository.forEnvironments([staging, production]).manifestFiles()).find((o) => o.kind === 'EC2NodeClass');
    expect(nodeClass.spec.role).toBe('shop-production-karpenter-node');
  });

  test('the chart\'s CRDs are applied before its release, exactly as the chart of that version ships them, and kept on deletion', () => {
    // Carried as JSON (scripts/chart-crds.ts), object for object the packaged chart's crds/ files.
    const packaged = Object.keys(KARPENTER_CRD_FILES).map((path) => yamlDocuments(chartFileText('karpenter', UPSTREAM_VERSIONS.karpenter, path)));
    expect(Object.values(KARPENTER_CRD_FILES).map((text) => JSON.parse(text))).toEqual(packaged);
    // The upstream CRDs the tree is validated against are the chart's (pkg/apis/crds/ at the tag).
    for (const file of ['karpenter.sh_nodepools.yaml', 'karpenter.sh_nodeclaims.yaml', 'karpenter.k8s.aws_ec2nodeclasses.yaml']) {
      expect(JSON.parse(KARPENTER_CRD_FILES[`crds/${file}`])).toEqual(yamlDocuments(readFileSync(upstreamPath(`karpenter-v${UPSTREAM_VERSIONS.karpenter}`, file), 'utf8')));
    }
    const [crdsId, crds] = resources.find(([id]) => id.startsWith('KarpenterCrds'))!;
    expect(JSON.parse(crds.Properties.Manifest).map((o: any) => o.metadata.name)).toEqual(karpenterCrds().map((o) => o.metadata.name));
    expect(crds.DeletionPolicy).toBe('Retain');
    const [chartId] = resources.find(([, r]) => r.Type === 'Custom::AWSCDK-EKS-HelmChart' && r.Properties.Chart === 'karpenter')!;
    expect(json.Resources[chartId].DependsOn).toContain(crdsId);
  });

  test('with EKS Pod Identity the controller role is associated with kube-system/karpenter and the chart annotates nothing', () => {
    const spec = karpenterSpec((s) => (s.workloadIdentity = 'pod-identity'));
    const resolvedPlatform = Platform.resolve(PlatformSpecLoader.fromObject(spec));
    const t = Template.fromStack(new GitOpsPlatform(cdkApp(), 'sandbox', { platform: resolvedPlatform }).platformStack);
    t.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'kube-system', ServiceAccount: 'karpenter' });
    const chart = Object.values<any>(t.findResources('Custom::AWSCDK-EKS-HelmChart')).find((r) => r.Properties.Chart === 'karpenter');
    expect(JSON.parse(chart.Properties.Values).serviceAccount).toBeUndefined();
  });
});

describe('Karpenter in the manifest tree', () => {
  const files = ManifestRepository.forEnvironments([platform]).manifestFiles();

  test('the default NodePool and EC2NodeClass validate against the v1.14.1 CRDs, name the nodes\' role, and their kustomization builds', () => {
    const objects = wholeObjects(files.filter((f) => f.path.startsWith(`${names.nodePoolsPath}/`)));
    expect(objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toEqual(['karpenter.k8s.aws/v1 EC2NodeClass default', 'karpenter.sh/v1 NodePool default']);
    expect(schemaErrors(objects)).toEqual([]);
    expect(objects[0].spec.role).toBe('sandbox-karpenter-node');
    expect(objects[0].spec.subnetSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': 'sandbox' } }]);
    expect(kustomize(writeTree(files), names.nodePoolsPath).map((o) => o.kind).sort()).toEqual(['EC2NodeClass', 'NodePool']);
  });

  test('a child Application syncs them, and the AppProject allows their kinds and nothing else of Karpenter\'s', () => {
    const child = platform.applications.find((a) => a.name === KARPENTER_NODE_POOLS_APPLICATION)!;
    expect(child).toEqual(expect.objectContaining({ path: 'karpenter/overlays/production', namespace: 'kube-system' }));
    expect(platform.project.clusterResources.filter((g) => g.group.startsWith('karpenter'))).toEqual([
      { group: 'karpenter.sh', kind: 'NodePool' },
      { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass' },
    ]);
    expect(schemaErrors(wholeObjects(files))).toEqual([]);
  });
});

describe('Karpenter in validate and the teardown', () => {
  test('addons.karpenter and cluster.controllers.karpenter without mode karpenter are refused', () => {
    const spec = sandboxSpec();
    spec.addons = { karpenter: { workloadIdentity: 'irsa' } };
    expect(validateSpec(spec, BUILT_IN_ADDONS).map((p) => `${p.path}: ${p.message}`)).toEqual([
      "addons.karpenter: configures Karpenter, which runs only when cluster.compute.mode is 'karpenter' (it is 'managed-node-group'); set the mode or remove it",
    ]);
    expect(validateSpec(karpenterSpec((s) => (s.addons = { karpenter: { workloadIdentity: 'pod-identity' } })), BUILT_IN_ADDONS)).toEqual([]);
    const sized = sandboxSpec();
    sized.cluster.controllers = { karpenter: { memoryLimit: '2Gi' } };
    expect(validateSpec(sized, BUILT_IN_ADDONS).map((p) => p.path)).toEqual(['cluster.controllers.karpenter']);
    expect(validateSpec(karpenterSpec((s) => (s.cluster.controllers = { karpenter: { memoryLimit: '2Gi' } })), BUILT_IN_ADDONS)).toEqual([]);
  });

  test('after the child Applications (the NodePool among them) are deleted, it waits until no NodeClaim is left', () => {
    const steps = teardownSteps(platform);
    const children = steps.findIndex((s) => s.description.startsWith('Delete the child Applications'));
    expect(steps[children].command).toContain(KARPENTER_NODE_POOLS_APPLICATION);
    expect(steps.slice(children + 1)).toEqual([
      expect.objectContaining({ command: ['kubectl', 'get', 'nodeclaims.karpenter.sh', '-o', 'name'], untilEmpty: 60 }),
    ]);
    expect(teardownSteps(Platform.resolve(PlatformSpecLoader.fromObject(sandboxSpec()))).some((s) => s.command.join(' ').includes('nodeclaims'))).toBe(false);
  });
});

/** The sandbox with Karpenter, changed by `mutate`. */
function karpenterSpec(mutate: (spec: any) => void = () => {}): any {
  const spec = sandboxSpec();
  spec.cluster.compute = { mode: 'karpenter' };
  mutate(spec);
  return spec;
}
