// What the function that associates the managed Argo CD's access policy may do, decided by
// evaluating the role's policies as IAM would (test/support/identity-eval.ts). The request context
// of AssociateAccessPolicy is the one the Service Authorization Reference for Amazon EKS lists:
// resource access-entry/<cluster>/<identity type>/<account>/<identity name>/<id>, condition keys
// eks:policyArn (ARN), eks:accessScope (String: cluster | namespace) and eks:namespaces
// (ArrayOfString); eks:principalArn is a key of CreateAccessEntry, not of these two actions, so no
// request here carries it. DisassociateAccessPolicy names no scope in its request.
import { Stack } from 'aws-cdk-lib';
import * as cr from 'aws-cdk-lib/custom-resources';
import { GitOpsPlatform } from '../../lib/aws/gitops-platform';
import { MANAGED_ARGOCD_ACCESS_POLICY } from '../../lib/aws/managed-argocd';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { cdkApp, repoPath } from '../fixtures';
import { DEFAULT_CONTEXT, resolveIntrinsics } from '../support/iam-eval';
import { policiesAllow, policiesOfRole } from '../support/identity-eval';
import { platformStackTemplates } from '../support/platform-templates';

const platform = Platform.resolve(PlatformSpecLoader.fromFile(repoPath('examples', 'managed-argocd', 'platform.yaml')));
// Read only: the run's one synthesis of this platform (test/support/platform-templates.ts).
const [template] = platformStackTemplates([platform]);
const resolve = (value: any) => resolveIntrinsics(value, template);

// The function aws-cdk-lib's AwsCustomResources of a stack share, and its role.
const functionId = Object.keys(template.Resources).find(
  (id) => id.startsWith(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`) && template.Resources[id].Type === 'AWS::Lambda::Function',
)!;
const roleId = template.Resources[functionId].Properties.Role['Fn::GetAtt'][0];
const documents = policiesOfRole(template, roleId).map(resolve);

// The capability's role, as the template names it.
const capability = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::EKS::Capability')!;
const capabilityRoleId = capability.Properties.RoleArn['Fn::GetAtt'][0];
const capabilityRoleName = resolve({ Ref: capabilityRoleId });
const clusterName = resolve(capability.Properties.ClusterName);
const { account, region } = DEFAULT_CONTEXT;
const entryOf = (roleName: string) => `arn:aws:eks:${region}:${account}:access-entry/${clusterName}/role/${account}/${roleName}/0ac6f3e4-8e0a-4d1b-9f2c-1a2b3c4d5e6f`;
const policy = (name: string) => `arn:aws:eks::aws:cluster-access-policy/${name}`;
const namespaces = [platform.argocd.namespace, ...platform.apps.map((a) => a.namespace)];

const associate = (overrides: { roleName?: string; policyArn?: string; scope?: string; namespaces?: string[] } = {}) => ({
  action: 'eks:AssociateAccessPolicy',
  resource: entryOf(overrides.roleName ?? capabilityRoleName),
  context: {
    'eks:policyArn': overrides.policyArn ?? policy(MANAGED_ARGOCD_ACCESS_POLICY),
    'eks:accessScope': overrides.scope ?? 'namespace',
    ...((overrides.scope ?? 'namespace') === 'namespace' ? { 'eks:namespaces': overrides.namespaces ?? namespaces } : {}),
  },
});
const disassociate = (overrides: { roleName?: string; policyArn?: string } = {}) => ({
  action: 'eks:DisassociateAccessPolicy',
  resource: entryOf(overrides.roleName ?? capabilityRoleName),
  context: { 'eks:policyArn': overrides.policyArn ?? policy(MANAGED_ARGOCD_ACCESS_POLICY) },
});

describe("the managed Argo CD's access-policy function", () => {
  test('the evaluated role is the one the capability role is not (a sanity check of the lookup)', () => {
    expect(roleId).not.toEqual(capabilityRoleId);
    expect(documents.length).toBeGreaterThan(0);
    expect(template.Resources[capability.Properties.ClusterName.Ref]).toMatchObject({ Type: 'AWS::EKS::Cluster', Properties: { Name: platform.cluster.name } });
  });

  test('may associate exactly the deploy policy, scoped to the platform namespaces, with the capability role\'s entry', () => {
    expect(policiesAllow(documents, associate())).toBe(true);
    // A scope with fewer namespaces (an app removed) is allowed too.
    expect(policiesAllow(documents, associate({ namespaces: [platform.argocd.namespace] }))).toBe(true);
    expect(policiesAllow(documents, disassociate())).toBe(true);
  });

  test('conditions only on the keys the Service Authorization Reference lists for the two actions', () => {
    const listed = ['eks:policyArn', 'eks:accessScope', 'eks:namespaces'];
    const keys = documents
      .flatMap((d) => d.Statement)
      .filter((s: any) => [s.Action].flat().some((a: string) => /^eks:(Associate|Disassociate)AccessPolicy$/.test(a)))
      .flatMap((s: any) => Object.values<object>(s.Condition ?? {}).flatMap((block) => Object.keys(block)));
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k: string) => !listed.includes(k))).toEqual([]);
  });

  test.each([
    ['cluster admin cluster-wide on its own entry', associate({ scope: 'cluster' })],
    ['another role\'s entry (the admin\'s)', associate({ roleName: 'platform-admin' })],
    ['a role whose name extends the capability role\'s', associate({ roleName: `${capabilityRoleName}-x` })],
    ['another access policy (cluster admin) in the same namespaces', associate({ policyArn: policy('AmazonEKSAdminPolicy') })],
    ['a namespace the platform does not deploy to', associate({ namespaces: [...namespaces, 'kube-system'] })],
  ])('may not associate: %s', (_name, request) => {
    expect(policiesAllow(documents, request)).toBe(false);
  });

  test.each([
    ["the cluster admin's policy from the admin's entry", disassociate({ roleName: 'platform-admin', policyArn: policy('AmazonEKSClusterAdminPolicy') })],
    ["EKS's own Argo CD policy from the capability's entry", disassociate({ policyArn: policy('AmazonEKSArgoCDClusterPolicy') })],
  ])('may not disassociate: %s', (_name, request) => {
    expect(policiesAllow(documents, request)).toBe(false);
  });

  test('may call nothing else of EKS or IAM', () => {
    for (const action of ['eks:CreateAccessEntry', 'eks:UpdateAccessEntry', 'eks:DeleteAccessEntry', 'iam:PassRole', 'eks:DescribeCluster']) {
      expect(policiesAllow(documents, { ...associate(), action })).toBe(false);
    }
  });

  test('refuses to synthesize when another AwsCustomResource would share (and widen) that function', () => {
    const other = cdkApp();
    const stack = new GitOpsPlatform(other, platform.qualifiedName, { platform }).platformStack;
    new cr.AwsCustomResource(stack, 'Other', {
      onCreate: { service: 'S3', action: 'ListBuckets', physicalResourceId: cr.PhysicalResourceId.of('x') },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    // aws-cdk-lib's AwsCustomResource makes a SingletonFunction (uuid PROVIDER_FUNCTION_UUID) and
    // attaches its CustomResourcePolicy to that function's role (custom-resources/lib/aws-custom-resource).
    expect(() => other.synth()).toThrow(
      "sandbox-platform/Other shares the AwsCustomResource function of stack sandbox-platform with sandbox-platform/ManagedArgoCd/AccessPolicy, whose role may associate an EKS access policy with the managed Argo CD's access entry " +
        '(aws-cdk-lib runs every AwsCustomResource of a stack in one Lambda function with one role, which holds the permissions of each): ' +
        'put it in another stack, or make it a CustomResource with a provider (custom_resources.Provider) and a function of its own; ' +
        'see https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/aws.md#the-eks-managed-argo-cd',
    );
    expect(Stack.of(stack)).toBe(stack);
  });
});

describe("the hub's access to a spoke", () => {
  // The spoke's access entry is CloudFormation's own (AWS::EKS::AccessEntry, test/aws/hub.test.ts
  // checks its policies and scopes): no function there may associate access policies.
  test('a spoke stack has no AwsCustomResource, hence no function that could associate an access policy', () => {
    const platforms = Platform.resolveEnvironments(PlatformSpecLoader.fromFile(repoPath('examples', 'hub-and-spokes', 'platform.yaml')));
    // Each environment's platform stack, the others its spokes, as bin/app.ts builds them (test/support/platform-templates.ts).
    const spoke = platformStackTemplates(platforms)[1];
    expect(Object.values<any>(spoke.Resources).filter((r) => r.Type === 'Custom::AWS')).toEqual([]);
    const statements = Object.values<any>(spoke.Resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::Role')
      .flatMap((r) => [r.Properties.PolicyDocument, ...(r.Properties.Policies ?? []).map((p: any) => p.PolicyDocument)])
      .filter(Boolean);
    expect(policiesAllow(statements.map((d) => resolveIntrinsics(d, spoke)), associate({ scope: 'cluster' }))).toBe(false);
  });
});
