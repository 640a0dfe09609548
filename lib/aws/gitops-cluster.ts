import { KubectlV35Layer } from '@aws-cdk/lambda-layer-kubectl-v35';
import { Annotations, CfnElement, FeatureFlags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { installLoadBalancerController } from './load-balancer-controller';
import { acknowledgeNagFindings, descendant, logicalIdOf, managedPolicyFinding, wildcardFinding } from './nag';

/** The feature flag that makes aws-eks-v2 create the cluster's OIDC provider natively. */
export const NATIVE_OIDC_FLAG = '@aws-cdk/aws-eks:useNativeOidcProvider';

/** Properties of a `GitOpsCluster`. */
export interface GitOpsClusterProps {
  /** Cluster name. */
  readonly clusterName: string;

  /**
   * Kubernetes version, `major.minor`.
   * @default '1.35'
   */
  readonly version?: string;

  /**
   * The VPC.
   * @default - a new VPC with public and private subnets and flow logs
   */
  readonly vpc?: ec2.IVpc;

  /**
   * CIDR of the VPC created when none is given.
   * @default '10.0.0.0/16'
   */
  readonly vpcCidr?: string;

  /**
   * Availability zones of the VPC created when none is given.
   * @default 2
   */
  readonly maxAzs?: number;


  /**
   * Instance types of the managed node group.
   * @default ['t3.medium']
   */
  readonly instanceTypes?: string[];

  /**
   * Smallest node count.
   * @default 2
   */
  readonly minSize?: number;

  /**
   * Largest node count.
   * @default 4
   */
  readonly maxSize?: number;

  /**
   * Node count at creation.
   * @default - minSize
   */
  readonly desiredSize?: number;

  /**
   * Node root volume in GiB.
   * @default 20
   */
  readonly diskSize?: number;

  /**
   * IAM role ARNs granted cluster-admin through access entries.
   * @default - none (a warning says that no person can then use kubectl)
   */
  readonly adminRoleArns?: string[];

  /**
   * IPv4 CIDR blocks that may reach the public API endpoint. An empty list makes the endpoint private,
   * reachable only from inside the VPC (the stack's kubectl provider then runs in the VPC).
   * @default ['0.0.0.0/0']
   */
  readonly publicAccessCidrs?: string[];

  /**
   * Whether to install the AWS Load Balancer Controller (v3.5.0, once the node group exists).
   * `GitOpsPlatformStack` installs it as one of the platform's add-ons instead.
   * @default true
   */
  readonly loadBalancerController?: boolean;
}

/**
 * An EKS cluster ready for GitOps (aws-eks-v2: native `AWS::EKS::Cluster`, access entries): a managed
 * node group in private subnets, the AWS Load Balancer Controller for ALB Ingresses, the kubectl
 * provider that installs Argo CD, and all control plane logs. (EKS encrypts Kubernetes secrets at
 * rest by default since 1.28.)
 *
 * The cdk-nag AwsSolutions findings of what aws-cdk-lib creates for the cluster (AWS managed policies
 * EKS and Lambda require, the kubectl handler's runtime, the load balancer controller's upstream
 * policy) are acknowledged on those resources, each with its reason; the context key
 * `cdk-eks-gitops:acknowledgeNagFindings` set to false turns that off.
 */
export class GitOpsCluster extends Construct {
  /** The cluster. */
  public readonly cluster: eks.Cluster;

  /** The managed node group. */
  public readonly nodegroup: eks.Nodegroup;

  /** The AWS Load Balancer Controller, when this construct installs it. */
  public readonly loadBalancerController?: eks.AlbController;

  constructor(scope: Construct, id: string, props: GitOpsClusterProps) {
    super(scope, id);
    const version = props.version ?? '1.35';
    const minSize = props.minSize ?? 2;
    const maxSize = props.maxSize ?? Math.max(4, minSize);
    const desiredSize = props.desiredSize ?? minSize;
    if (!(minSize <= desiredSize && desiredSize <= maxSize)) {
      throw new Error(`GitOpsCluster ${props.clusterName}: node counts must satisfy minSize <= desiredSize <= maxSize, got ${minSize}, ${desiredSize}, ${maxSize}`);
    }

    if (!FeatureFlags.of(this).isEnabled(NATIVE_OIDC_FLAG)) {
      Annotations.of(this).addWarningV2(
        'cdk-eks-gitops:nativeOidcProvider',
        `Set "${NATIVE_OIDC_FLAG}": true in cdk.json context: the cluster's IRSA provider is then a native AWS::IAM::OIDCProvider instead of a Lambda-backed custom resource.`,
      );
    }

    const vpc =
      props.vpc ??
      new ec2.Vpc(this, 'Vpc', {
        ipAddresses: ec2.IpAddresses.cidr(props.vpcCidr ?? '10.0.0.0/16'),
        maxAzs: props.maxAzs ?? 2,
        natGateways: 1,
        flowLogs: {
          Rejected: {
            destination: ec2.FlowLogDestination.toCloudWatchLogs(
              new logs.LogGroup(this, 'FlowLogs', { retention: logs.RetentionDays.ONE_MONTH }),
            ),
            trafficType: ec2.FlowLogTrafficType.REJECT,
          },
        },
      });

    this.cluster = new eks.Cluster(this, 'Resource', {
      clusterName: props.clusterName,
      version: eks.KubernetesVersion.of(version),
      vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      clusterLogging: [
        eks.ClusterLoggingTypes.API,
        eks.ClusterLoggingTypes.AUDIT,
        eks.ClusterLoggingTypes.AUTHENTICATOR,
        eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
        eks.ClusterLoggingTypes.SCHEDULER,
      ],
      endpointAccess: endpointAccess(props.publicAccessCidrs ?? ['0.0.0.0/0']),
      kubectlProviderOptions: { kubectlLayer: new KubectlV35Layer(this, 'KubectlLayer') },
    });

    const instanceTypes = (props.instanceTypes ?? ['t3.medium']).map((t) => new ec2.InstanceType(t));
    const architectures = new Set(instanceTypes.map((t) => t.architecture));
    if (architectures.size > 1) {
      throw new Error(`GitOpsCluster ${props.clusterName}: instanceTypes mix x86_64 and arm64 (${props.instanceTypes?.join(', ')}); one node group runs one AMI`);
    }
    this.nodegroup = this.cluster.addNodegroupCapacity('Nodes', {
      instanceTypes,
      amiType: architectures.has(ec2.InstanceArchitecture.ARM_64)
        ? eks.NodegroupAmiType.AL2023_ARM_64_STANDARD
        : eks.NodegroupAmiType.AL2023_X86_64_STANDARD,
      minSize,
      maxSize,
      desiredSize,
      diskSize: props.diskSize ?? 20,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });

    if (props.loadBalancerController ?? true) this.loadBalancerController = installLoadBalancerController(this.cluster, this.nodegroup);

    const admins = props.adminRoleArns ?? [];
    admins.forEach((arn, index) => this.cluster.grantClusterAdmin(`Admin${index}`, arn));
    this.acknowledgeAcceptedFindings();
    if (admins.length === 0) {
      Annotations.of(this).addWarningV2(
        'cdk-eks-gitops:noClusterAdmin',
        `No cluster admin role: only the CloudFormation execution role that creates cluster ${props.clusterName} can use its Kubernetes API, so no person can run kubectl (or the teardown). Add your role's ARN to cluster.adminRoleArns.`,
      );
    }
  }

  /** The cdk-nag findings of the resources aws-cdk-lib creates for the cluster, with their reasons. */
  private acknowledgeAcceptedFindings(): void {
    const managed = managedPolicyFinding;
    acknowledgeNagFindings(
      this.cluster.role.node.defaultChild,
      [managed('AmazonEKSClusterPolicy')],
      'The EKS cluster service role needs the AWS managed AmazonEKSClusterPolicy; EKS documents no narrower policy.',
    );
    acknowledgeNagFindings(
      this.nodegroup.role.node.defaultChild,
      [managed('AmazonEKSWorkerNodePolicy'), managed('AmazonEKS_CNI_Policy'), managed('AmazonEC2ContainerRegistryReadOnly')],
      'Managed node groups require these AWS managed policies (node registration, VPC CNI, image pulls); AWS keeps them current with EKS.',
    );

    const kubectl = this.cluster.kubectlProvider;
    const handler = descendant(kubectl, 'Handler/Resource') as CfnElement | undefined;
    const hasEcrPublic = descendant(kubectl, 'Handler/HasEcrPublic') as CfnElement | undefined;
    const ecrPublicPolicy = hasEcrPublic && JSON.stringify({
      'Fn::If': [
        logicalIdOf(hasEcrPublic),
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly']] },
        { Ref: 'AWS::NoValue' },
      ],
    });
    acknowledgeNagFindings(
      descendant(kubectl, 'Handler/ServiceRole/Resource'),
      [
        managed('service-role/AWSLambdaBasicExecutionRole'),
        managed('service-role/AWSLambdaVPCAccessExecutionRole'),
        managed('AmazonEC2ContainerRegistryReadOnly'),
        ...(ecrPublicPolicy ? [`AwsSolutions-IAM4[Policy::${ecrPublicPolicy}]`] : []),
      ],
      'The kubectl provider handler of aws-eks-v2 (created by aws-cdk-lib) logs, runs in the VPC and pulls Helm charts from registries.',
    );
    acknowledgeNagFindings(
      handler,
      ['AwsSolutions-L1'],
      'aws-cdk-lib pins the kubectl handler runtime to the one its kubectl layer is built for; it moves with aws-cdk-lib upgrades.',
    );
    const frameworkReason = 'The custom resource provider framework of aws-cdk-lib logs, runs in the VPC and invokes any version of its own handler.';
    acknowledgeNagFindings(
      descendant(kubectl, 'Provider/framework-onEvent/ServiceRole/Resource'),
      [managed('service-role/AWSLambdaBasicExecutionRole'), managed('service-role/AWSLambdaVPCAccessExecutionRole')],
      frameworkReason,
    );
    acknowledgeNagFindings(
      descendant(kubectl, 'Provider/framework-onEvent/ServiceRole/DefaultPolicy/Resource'),
      handler ? [wildcardFinding(`<${logicalIdOf(handler)}.Arn>:*`)] : [],
      frameworkReason,
    );

  }
}

/** The cluster endpoint: public (restricted to `cidrs`) and private, or private only for an empty list. */
function endpointAccess(cidrs: string[]): eks.EndpointAccess {
  return cidrs.length === 0 ? eks.EndpointAccess.PRIVATE : eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...cidrs);
}
