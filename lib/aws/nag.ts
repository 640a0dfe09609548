import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The constructs acknowledge the cdk-nag (AwsSolutions pack) findings they accept, each with its
 * reason, on the resources they create, so a stack that runs `AwsSolutionsChecks` over them reports
 * only findings of its own. Each acknowledgement names one finding on one resource: anything else on
 * that resource, or elsewhere in the stack, is still reported.
 *
 * Setting this context key to `false` (in cdk.json, with `-c`, or with `node.setContext` on a scope
 * before the constructs are added) makes the constructs acknowledge nothing, so every finding shows.
 */
export const ACKNOWLEDGE_NAG_FINDINGS_CONTEXT = 'cdk-eks-gitops:acknowledgeNagFindings';

/** Why an ECR role's `Resource: "*"` is accepted. */
export const ECR_LOGIN_REASON =
  'ecr:GetAuthorizationToken has no resource-level permission; every repository action of this role names its repositories.';

/** The finding of an AWS managed policy attached to a role, e.g. `AmazonEKSClusterPolicy`. */
export const managedPolicyFinding = (name: string) => `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`;

/** The finding of a wildcard resource in a policy, named as cdk-nag names it. */
export const wildcardFinding = (resource: string) => `AwsSolutions-IAM5[Resource::${resource}]`;

/** How cdk-nag names a resource's logical id in a finding. */
export const logicalIdOf = (element: CfnElement) => Stack.of(element).getLogicalId(element);

/**
 * Acknowledges cdk-nag findings on one resource (or the construct whose default child it is), with
 * the reason they are accepted. Nothing happens when the construct or the resource is absent, or
 * when the scope's context sets `cdk-eks-gitops:acknowledgeNagFindings` to false.
 */
export function acknowledgeNagFindings(target: IConstruct | undefined, findings: string[], reason: string): void {
  if (!target) return;
  const setting = target.node.tryGetContext(ACKNOWLEDGE_NAG_FINDINGS_CONTEXT);
  if (setting === false || setting === 'false') return;
  Validations.of(target).acknowledge(...findings.map((finding) => ({ id: `AwsSolutions::${finding}`, reason })));
}

/** The descendant of a construct at a path relative to it (`Handler/ServiceRole/Resource`), if any. */
export function descendant(scope: IConstruct | undefined, path: string): IConstruct | undefined {
  let current: IConstruct | undefined = scope;
  for (const id of path.split('/')) current = current?.node.tryFindChild(id);
  return current;
}
