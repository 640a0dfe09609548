import { ApiObject, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';

/** Properties of a `KarpenterNodePoolChart`. */
export interface KarpenterNodePoolChartProps extends ChartProps {
  /** The cluster's name: its private subnets carry `karpenter.sh/discovery: <name>`, and EKS tags its cluster security group `aws:eks:cluster-name: <name>`. */
  readonly clusterName: string;
  /** Name of the IAM role of the nodes Karpenter launches (Karpenter makes their instance profile). */
  readonly nodeRoleName: string;
  /**
   * The most vCPUs the pool may launch in all.
   * @default 32
   */
  readonly cpuLimit?: number;
}

/** The name of the default NodePool and EC2NodeClass. */
export const KARPENTER_DEFAULT_POOL = 'default';

/**
 * The default `NodePool` (`karpenter.sh/v1`) and `EC2NodeClass` (`karpenter.k8s.aws/v1`) of
 * Karpenter v1.14.1: on-demand amd64 instances of the c, m and r families of generation 5 and later,
 * the EKS optimized AL2023 AMI of the cluster's version (`al2023@latest`: a new AMI drifts the nodes
 * onto it), the cluster's private subnets and security group, nodes replaced after 30 days and
 * consolidated when empty or underused, at most `cpuLimit` vCPUs in all.
 */
export class KarpenterNodePoolChart extends Chart {
  /** The NodePool. */
  public readonly nodePool: ApiObject;
  /** The EC2NodeClass. */
  public readonly nodeClass: ApiObject;

  constructor(scope: Construct, id: string, props: KarpenterNodePoolChartProps) {
    super(scope, id, props);
    this.nodeClass = new ApiObject(this, 'EC2NodeClass', {
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: { name: KARPENTER_DEFAULT_POOL },
      spec: {
        role: props.nodeRoleName,
        amiSelectorTerms: [{ alias: 'al2023@latest' }],
        subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': props.clusterName } }],
        securityGroupSelectorTerms: [{ tags: { 'aws:eks:cluster-name': props.clusterName } }],
      },
    });
    this.nodePool = new ApiObject(this, 'NodePool', {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: KARPENTER_DEFAULT_POOL },
      spec: {
        template: {
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: KARPENTER_DEFAULT_POOL },
            requirements: [
              { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
              { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
              { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
              { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
              { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['4'] },
            ],
            expireAfter: '720h',
          },
        },
        limits: { cpu: String(props.cpuLimit ?? 32) },
        disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m' },
      },
    });
  }
}
