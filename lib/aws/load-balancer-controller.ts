import { readFileSync } from 'fs';
import { dirname, join } from 'path';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { IDependable } from 'constructs';
import { acknowledgeNagFindings, descendant, wildcardFinding } from './nag';
import { UPSTREAM_URLS, UPSTREAM_VERSIONS } from '../versions';

/** AWS Load Balancer Controller release the cluster runs, with the Helm chart of the same version. */
export const ALB_CONTROLLER_VERSION = UPSTREAM_VERSIONS.albController;

/**
 * The controller's IAM policy. aws-cdk-lib ships the policy of v3.2.2 and none newer; the v3.5.0
 * policy is identical statement for statement (a test compares it with the upstream file), so that
 * file is the policy of the version installed.
 */
export function albControllerPolicy(): any {
  const eksV2 = dirname(require.resolve('aws-cdk-lib/aws-eks-v2'));
  return JSON.parse(readFileSync(join(eksV2, 'lib', 'addons', 'alb-iam_policy-v3.2.2.json'), 'utf8'));
}

/** The wildcard resources of the upstream load balancer controller policy, as cdk-nag names them. */
const ALB_CONTROLLER_WILDCARDS = [
  '*',
  'arn:<AWS::Partition>:ec2:*:*:security-group/*',
  'arn:<AWS::Partition>:elasticloadbalancing:*:*:loadbalancer/app/*/*',
  'arn:<AWS::Partition>:elasticloadbalancing:*:*:loadbalancer/net/*/*',
  'arn:<AWS::Partition>:elasticloadbalancing:*:*:targetgroup/*/*',
  'arn:<AWS::Partition>:elasticloadbalancing:*:*:listener/app/*/*/*',
  'arn:<AWS::Partition>:elasticloadbalancing:*:*:listener/net/*/*/*',
  'arn:<AWS::Partition>:elasticloadbalancing:*:*:listener-rule/app/*/*/*',
  'arn:<AWS::Partition>:elasticloadbalancing:*:*:listener-rule/net/*/*/*',
];

/**
 * Installs the AWS Load Balancer Controller v3.5.0 (its Helm chart, its IRSA ServiceAccount and the
 * upstream IAM policy) on a cluster, once `nodes` exist: its pods need them, and installing it
 * earlier would wait out the chart's timeout on a first deploy. Its chart creates IngressClass `alb`.
 */
export function installLoadBalancerController(cluster: eks.Cluster, nodes: IDependable): eks.AlbController {
  const controller = eks.AlbController.create(cluster, {
    cluster,
    version: eks.AlbControllerVersion.of(ALB_CONTROLLER_VERSION, ALB_CONTROLLER_VERSION.slice(1)),
    policy: albControllerPolicy(),
    // aws-cdk-lib defaults to a regional ECR mirror; the v3.5.0 chart's own default is ECR Public.
    repository: UPSTREAM_URLS.albControllerImageRepository,
  });
  controller.node.addDependency(nodes);
  // aws-eks-v2 creates the controller beside the cluster, in the stack.
  acknowledgeNagFindings(
    descendant(controller, 'alb-sa/Role/DefaultPolicy/Resource'),
    ALB_CONTROLLER_WILDCARDS.map(wildcardFinding),
    'The AWS Load Balancer Controller v3.5.0 policy as published upstream: it creates load balancers, target groups and security groups whose ARNs do not exist in advance; mutating statements are conditioned on the elbv2.k8s.aws/cluster tag.',
  );
  return controller;
}
