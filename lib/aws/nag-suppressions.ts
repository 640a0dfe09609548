import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import type { ResolvedPlatform } from '../spec/resolved';

/**
 * Every cdk-nag (AwsSolutions pack) finding the platform accepts, with its reason, in one place.
 * Each applies to the constructs whose path matches, not to the whole stack, so a new finding
 * elsewhere still fails the synth.
 */
interface Exception {
  /** Construct paths (below the stack) the exception covers. */
  readonly path: RegExp;
  /** Rule ids, e.g. `AwsSolutions-IAM5[Resource::*]`. */
  readonly rules: string[];
  /** Why the finding is accepted. */
  readonly reason: string;
}

const MANAGED = (name: string) => `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`;
const WILDCARD = (resource: string) => `AwsSolutions-IAM5[Resource::${resource}]`;
const WILDCARD_RESOURCE = WILDCARD('*');

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

/** The exceptions of a platform's stacks. */
export function nagExceptions(platform: ResolvedPlatform): Exception[] {
  const secretPrefixes = platform.apps.filter((app) => app.secret).map((app) => secretPrefixException(app.name, app.secret!.remoteArnPattern));
  return [...STATIC_EXCEPTIONS, ...secretPrefixes];
}

function secretPrefixException(app: string, arnPattern: string): Exception {
  return {
    path: new RegExp(`/App-${app}/Irsa-external-secrets/Resource/Resource$`),
    rules: [WILDCARD(arnPattern)],
    reason: 'Secrets Manager appends a random suffix to every secret ARN; the wildcard covers only the application prefix <platform>/<app>/.',
  };
}

const STATIC_EXCEPTIONS: Exception[] = [
  {
    path: /\/Cluster\/Resource\/Role\/Resource$/,
    rules: [MANAGED('AmazonEKSClusterPolicy')],
    reason: 'The EKS cluster service role needs the AWS managed AmazonEKSClusterPolicy; EKS documents no narrower policy.',
  },
  {
    path: /\/Cluster\/Resource\/NodegroupNodes\/NodeGroupRole\/Resource$/,
    rules: [MANAGED('AmazonEKSWorkerNodePolicy'), MANAGED('AmazonEKS_CNI_Policy'), MANAGED('AmazonEC2ContainerRegistryReadOnly')],
    reason: 'Managed node groups require these AWS managed policies (node registration, VPC CNI, image pulls); AWS keeps them current with EKS.',
  },
  {
    path: /\/Cluster\/Resource\/KubectlProvider\/Handler\/ServiceRole\/Resource$/,
    rules: [
      MANAGED('service-role/AWSLambdaBasicExecutionRole'),
      MANAGED('service-role/AWSLambdaVPCAccessExecutionRole'),
      MANAGED('AmazonEC2ContainerRegistryReadOnly'),
      'AwsSolutions-IAM4[Policy::{"Fn::If":["ClusterKubectlProviderHandlerHasEcrPublic78825EA1",{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly"]]},{"Ref":"AWS::NoValue"}]}]',
    ],
    reason: 'The kubectl provider handler of aws-eks-v2 (created by aws-cdk-lib) logs, runs in the VPC and pulls Helm charts from registries.',
  },
  {
    path: /\/Cluster\/Resource\/KubectlProvider\/Handler\/Resource$/,
    rules: ['AwsSolutions-L1'],
    reason: 'aws-cdk-lib pins the kubectl handler runtime to the one its kubectl layer is built for; it moves with aws-cdk-lib upgrades.',
  },
  {
    path: /\/Cluster\/Resource\/KubectlProvider\/Provider\/framework-onEvent\/ServiceRole\/(DefaultPolicy\/)?Resource$/,
    rules: [
      MANAGED('service-role/AWSLambdaBasicExecutionRole'),
      MANAGED('service-role/AWSLambdaVPCAccessExecutionRole'),
      'AwsSolutions-IAM5[Resource::<ClusterKubectlProviderHandler27822AE4.Arn>:*]',
    ],
    reason: 'The custom resource provider framework of aws-cdk-lib logs, runs in the VPC and invokes any version of its own handler.',
  },
  {
    path: /-AlbController\/alb-sa\/Role\/DefaultPolicy\/Resource$/,
    rules: ALB_CONTROLLER_WILDCARDS.map(WILDCARD),
    reason:
      'The AWS Load Balancer Controller v3.5.0 policy as published upstream: it creates load balancers, target groups and security groups whose ARNs do not exist in advance; mutating statements are conditioned on the elbv2.k8s.aws/cluster tag.',
  },
  {
    path: /\/(ImageUpdaterRole|Irsa-migration|CiRole)\/Resource\/Resource$/,
    rules: [WILDCARD_RESOURCE],
    reason: 'ecr:GetAuthorizationToken has no resource-level permission; every repository action of this role names its repositories.',
  },
  {
    path: /\/Irsa-external-dns\/Resource\/Resource$/,
    rules: [WILDCARD_RESOURCE],
    reason: 'route53:ListHostedZones has no resource-level permission; record changes are limited to the platform hosted zone.',
  },
];

/** Acknowledges the platform's accepted cdk-nag findings on the constructs of a stack. */
export function applyNagSuppressions(stack: Stack, platform: ResolvedPlatform): void {
  const exceptions = nagExceptions(platform);
  for (const construct of stack.node.findAll()) {
    const path = construct.node.path;
    for (const exception of exceptions) {
      if (exception.path.test(path)) acknowledge(construct, exception);
    }
  }
}

function acknowledge(construct: IConstruct, exception: Exception): void {
  Validations.of(construct).acknowledge(...exception.rules.map((rule) => ({ id: `AwsSolutions::${rule}`, reason: exception.reason })));
}
