import { Duration, RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { KARPENTER_CRD_FILES, KARPENTER_CRDS_CHART_VERSION } from './karpenter-crds';
import { containerResources, HELM_WAIT_TIMEOUT } from '../../aws/helm-release';
import { acknowledgeNagFindings, managedPolicyFinding } from '../../aws/nag';
import type { ResolvedController } from '../../model/resolved';
import { UPSTREAM_URLS, UPSTREAM_VERSIONS } from '../../versions';

/** The namespace, release and ServiceAccount of the Karpenter controller (its docs install it in kube-system). */
export const KARPENTER_NAMESPACE = 'kube-system';
/** The Helm release, whose name is also the chart's ServiceAccount name (`karpenter.fullname`). */
export const KARPENTER_SERVICE_ACCOUNT = 'karpenter';

/** The policies of the node role of Karpenter v1.14.1's getting-started template (`KarpenterNodeRole`). */
export const KARPENTER_NODE_POLICIES = ['AmazonEKS_CNI_Policy', 'AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonSSMManagedInstanceCore'];

/**
 * The EventBridge rules of the getting-started template, by construct id: the events Karpenter's
 * interruption handling acts on (it drains a node before EC2 reclaims or retires it).
 */
export const KARPENTER_INTERRUPTION_EVENTS: { readonly [id: string]: { source: string; detailType: string } } = {
  ScheduledChangeRule: { source: 'aws.health', detailType: 'AWS Health Event' },
  SpotInterruptionRule: { source: 'aws.ec2', detailType: 'EC2 Spot Instance Interruption Warning' },
  RebalanceRule: { source: 'aws.ec2', detailType: 'EC2 Instance Rebalance Recommendation' },
  InstanceStateChangeRule: { source: 'aws.ec2', detailType: 'EC2 Instance State-change Notification' },
  CapacityReservationInterruptionRule: { source: 'aws.ec2', detailType: 'EC2 Capacity Reservation Instance Interruption Warning' },
};

/** Properties of a `KarpenterInstall`. */
export interface KarpenterInstallProps {
  /** The cluster (it needs a kubectl provider). */
  readonly cluster: eks.Cluster;
  /** The cluster's name, as the spec resolves it. */
  readonly clusterName: string;
  /** Name of the role of the nodes Karpenter launches (the EC2NodeClass names it). */
  readonly nodeRoleName: string;
  /** Name of the interruption queue. */
  readonly queueName: string;
  /** The controller's ServiceAccount annotations (its IRSA role; none with EKS Pod Identity). */
  readonly serviceAccountAnnotations: { [key: string]: string };
  /** The controller's requests and limits. */
  readonly controller: ResolvedController;
}

/**
 * Karpenter v1.14.1 on a cluster, as its getting-started template sets it up, minus the controller
 * role (the platform's workload roles hold it, IRSA or Pod Identity as the spec chooses): the node
 * role with its access entry (type `EC2_LINUX`, so the nodes join), the interruption queue
 * (messages kept 5 minutes, SSE-SQS, TLS only) with its five EventBridge rules, the `karpenter.sh/discovery`
 * tag on the private subnets the EC2NodeClass selects, and the controller's Helm chart. The chart's
 * default affinity keeps the controller off the nodes Karpenter launches (`karpenter.sh/nodepool`
 * DoesNotExist): it runs on the managed node group.
 */
export class KarpenterInstall extends Construct {
  /** The role of the nodes Karpenter launches. */
  public readonly nodeRole: iam.Role;
  /** The nodes' access entry. */
  public readonly nodeAccess: eks.AccessEntry;
  /** The interruption queue. */
  public readonly queue: sqs.Queue;
  /** The controller's Helm release. */
  public readonly chart: eks.HelmChart;
  /** The chart's CRDs, applied before it on every deploy. */
  public readonly crds: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: KarpenterInstallProps) {
    super(scope, id);
    const { cluster } = props;
    this.nodeRole = new iam.Role(this, 'NodeRole', {
      roleName: props.nodeRoleName,
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: KARPENTER_NODE_POLICIES.map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
    });
    acknowledgeNagFindings(
      this.nodeRole.node.defaultChild,
      KARPENTER_NODE_POLICIES.map(managedPolicyFinding),
      'The node role of Karpenter v1.14.1\'s getting-started template: node registration, the VPC CNI, ECR pulls and Session Manager, AWS managed policies kept current with EKS.',
    );
    this.nodeAccess = new eks.AccessEntry(this, 'NodeAccess', {
      cluster,
      principal: this.nodeRole.roleArn,
      accessEntryType: eks.AccessEntryType.EC2_LINUX,
      accessPolicies: [],
    });

    this.queue = new sqs.Queue(this, 'InterruptionQueue', {
      queueName: props.queueName,
      retentionPeriod: Duration.minutes(5),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    acknowledgeNagFindings(
      this.queue.node.defaultChild,
      ['AwsSolutions-SQS3'],
      'Interruption events are worth acting on only within minutes (the queue keeps them 5 minutes, as upstream\'s); a dead-letter queue would keep messages Karpenter can no longer use.',
    );
    for (const [ruleId, event] of Object.entries(KARPENTER_INTERRUPTION_EVENTS)) {
      new events.Rule(this, ruleId, {
        eventPattern: { source: [event.source], detailType: [event.detailType] },
        // The target adds the queue policy statement for events.amazonaws.com, for this rule's ARN only.
        targets: [new targets.SqsQueue(this.queue)],
      });
    }

    // The EC2NodeClass selects the subnets by this tag (the security group by EKS's own cluster tag).
    for (const subnet of cluster.vpc.privateSubnets) Tags.of(subnet).add('karpenter.sh/discovery', props.clusterName);

    this.chart = cluster.addHelmChart('KarpenterChart', {
      chart: 'karpenter',
      repository: UPSTREAM_URLS.karpenterChart,
      version: UPSTREAM_VERSIONS.karpenter,
      release: KARPENTER_SERVICE_ACCOUNT,
      namespace: KARPENTER_NAMESPACE,
      wait: true,
      timeout: HELM_WAIT_TIMEOUT,
      values: karpenterValues(props),
    });
    // The nodes' access entry before the first node is launched.
    this.chart.node.addDependency(this.nodeAccess, this.queue);

    // Applied as they are on every deploy (helm never updates a chart's crds/), and kept when the
    // resource goes: deleting a CRD deletes every object of its kind, the NodePools among them.
    this.crds = new eks.KubernetesManifest(this, 'Crds', {
      cluster,
      manifest: karpenterCrds(),
      overwrite: true,
      prune: false,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.chart.node.addDependency(this.crds);
  }
}

/**
 * The library's values of the karpenter chart (1.14.1 values.yaml): the cluster (`settings.clusterName`;
 * its endpoint Karpenter looks up with eks:DescribeCluster), the interruption queue
 * (`settings.interruptionQueue`), the controller image of this version (`controller.image`: the chart
 * at the tag still names 1.13.0 and its digest), its requests and limits (`controller.resources`,
 * `{}` by default), and the IRSA role annotation when there is one.
 */
export function karpenterValues(props: Pick<KarpenterInstallProps, 'clusterName' | 'queueName' | 'serviceAccountAnnotations' | 'controller'>): { [key: string]: any } {
  const annotations = props.serviceAccountAnnotations;
  return {
    settings: { clusterName: props.clusterName, interruptionQueue: props.queueName },
    ...(Object.keys(annotations).length ? { serviceAccount: { annotations: { ...annotations } } } : {}),
    controller: {
      image: { tag: UPSTREAM_VERSIONS.karpenter, digest: '' },
      resources: containerResources(props.controller.resources),
    },
  };
}

/**
 * The CustomResourceDefinitions of the karpenter chart at `UPSTREAM_VERSIONS.karpenter`, in file
 * order: the chart's crds/ folder as the library carries it, as JSON (karpenter-crds.ts, written by
 * scripts/chart-crds.ts).
 */
export function karpenterCrds(): Record<string, any>[] {
  if (UPSTREAM_VERSIONS.karpenter !== KARPENTER_CRDS_CHART_VERSION) {
    throw new Error(
      `karpenter: the library carries the CRDs of chart ${KARPENTER_CRDS_CHART_VERSION}, and installs chart ${UPSTREAM_VERSIONS.karpenter}; ` +
        'run npx tsx scripts/chart-crds.ts to carry those of that chart version',
    );
  }
  return Object.values(KARPENTER_CRD_FILES).flatMap((json) => JSON.parse(json));
}
