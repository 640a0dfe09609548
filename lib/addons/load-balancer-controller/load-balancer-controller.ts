import { readFileSync } from 'fs';
import { dirname, join } from 'path';
import { CfnResource, RemovalPolicy } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { IDependable } from 'constructs';
import { ALB_CONTROLLER_CRD_FILES, ALB_CONTROLLER_CRDS_CHART_VERSION } from './load-balancer-controller-crds';
import { containerResources, controllerSettings, HELM_WAIT_TIMEOUT } from '../../aws/helm-release';
import { acknowledgeNagFindings, descendant, wildcardFinding } from '../../aws/nag';
import { resolveControllers } from '../../model/controllers';
import type { ResolvedController } from '../../model/resolved';
import { UPSTREAM_URLS, UPSTREAM_VERSIONS } from '../../versions';

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
 * The CustomResourceDefinitions of the controller's chart at `ALB_CONTROLLER_VERSION`, in file order:
 * the chart's crds/ folder as the library carries it, as JSON (load-balancer-controller-crds.ts,
 * written by scripts/chart-crds.ts). Each call returns objects of its own.
 */
export function albControllerCrds(): Record<string, any>[] {
  const chartVersion = ALB_CONTROLLER_VERSION.slice(1);
  if (chartVersion !== ALB_CONTROLLER_CRDS_CHART_VERSION) {
    throw new Error(
      `load balancer controller: the library carries the CRDs of chart ${ALB_CONTROLLER_CRDS_CHART_VERSION}, and installs chart ${chartVersion}; ` +
        'run npx tsx scripts/chart-crds.ts to carry those of that chart version',
    );
  }
  return Object.values(ALB_CONTROLLER_CRD_FILES).flatMap((json) => JSON.parse(json));
}

/**
 * The chart values the library sets over aws-cdk-lib's (chart 3.5.0 values.yaml and templates):
 *
 * - `enableServiceMutatorWebhook: false`. The chart defaults it to true with
 *   `serviceMutatorWebhookConfig.failurePolicy: Fail`, so every Service CREATE in the cluster goes
 *   through the controller's pods; while they start (a first deploy installs Argo CD and External
 *   Secrets in parallel with it) the API server answers "no endpoints available for service
 *   aws-load-balancer-webhook-service" and the release that creates a Service fails
 *   (kubernetes-sigs/aws-load-balancer-controller#4140, aws/eks-charts#1058). The mutator only sets
 *   `loadBalancerClass` on Services of type LoadBalancer, and the platform creates none (it serves
 *   through ALB Ingresses): turning it off removes the dependency for good, during later restarts of
 *   the controller too, where ordering the releases after it would only cover the first deploy.
 * - `keepTLSSecret: true`: upgrades reuse the webhook certificate in the existing Secret
 *   (templates/_helpers.tpl looks it up) instead of issuing a new CA on every `helm upgrade`, which
 *   makes the Ingress and TargetGroupBinding webhooks (`failurePolicy: Fail`) reject writes until
 *   the pods reload it.
 * - Two replicas (`replicaCount`, the chart's default, kept explicit), requests and a memory limit
 *   (`resources`, `{}` by default), and a PodDisruptionBudget (`podDisruptionBudget`, rendered only
 *   when set and `replicaCount` > 1, templates/pdb.yaml).
 */
export function albControllerValues(controller: ResolvedController): { [key: string]: any } {
  return {
    enableServiceMutatorWebhook: false,
    keepTLSSecret: true,
    replicaCount: controller.replicas ?? 2,
    resources: containerResources(controller.resources),
    podDisruptionBudget: { maxUnavailable: 1 },
  };
}

/**
 * Installs the AWS Load Balancer Controller v3.5.0 (its Helm chart, its IRSA ServiceAccount and the
 * upstream IAM policy) on a cluster, once `nodes` exist: its pods need them, and installing it
 * earlier would wait out the chart's timeout on a first deploy. Its chart creates IngressClass `alb`.
 *
 * The chart's CRDs are applied before the release, on every deploy: helm installs a chart's crds/
 * only on a first install and never updates them ("There is no support at this time for upgrading
 * or deleting CRDs using Helm", Helm's best practices, Custom Resource Definitions; the chart's README
 * asks for `kubectl apply` of its crds before an upgrade). Changing the controller version therefore
 * applies that version's CRDs first. They are applied as they are (no prune label), and kept when the
 * resource is removed: deleting a CRD deletes every object of its kind.
 */
export function installLoadBalancerController(
  cluster: eks.Cluster,
  nodes: IDependable,
  controllers: { readonly [key: string]: ResolvedController } = resolveControllers(undefined),
): eks.AlbController {
  const controller = eks.AlbController.create(cluster, {
    cluster,
    version: eks.AlbControllerVersion.of(ALB_CONTROLLER_VERSION, ALB_CONTROLLER_VERSION.slice(1)),
    policy: albControllerPolicy(),
    // aws-cdk-lib defaults to a regional ECR mirror; the v3.5.0 chart's own default is ECR Public.
    repository: UPSTREAM_URLS.albControllerImageRepository,
    additionalHelmChartValues: albControllerValues(controllerSettings(controllers, 'loadBalancerController')),
  });
  controller.node.addDependency(nodes);

  const chart = controller.node.findChild('Resource') as eks.HelmChart;
  // aws-cdk-lib's AlbController waits 15 minutes, the kubectl Lambda's own limit (see HELM_WAIT_TIMEOUT).
  const release = chart.node.findChild('Resource').node.defaultChild as CfnResource;
  release.addPropertyOverride('Timeout', `${HELM_WAIT_TIMEOUT.toSeconds()}s`);

  const crds = new eks.KubernetesManifest(cluster, 'AlbControllerCrds', {
    cluster,
    manifest: albControllerCrds(),
    // `kubectl apply` on create too: a cluster the chart installed first already has them.
    overwrite: true,
    prune: false,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  chart.node.addDependency(crds);

  // aws-eks-v2 creates the controller beside the cluster, in the stack.
  acknowledgeNagFindings(
    descendant(controller, 'alb-sa/Role/DefaultPolicy/Resource'),
    ALB_CONTROLLER_WILDCARDS.map(wildcardFinding),
    'The AWS Load Balancer Controller v3.5.0 policy as published upstream: it creates load balancers, target groups and security groups whose ARNs do not exist in advance; mutating statements are conditioned on the elbv2.k8s.aws/cluster tag.',
  );
  return controller;
}
