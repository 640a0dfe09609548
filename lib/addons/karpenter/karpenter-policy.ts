import type { ResolvedPermission, ResolvedWildcard } from '../../model/resolved';

/** Where the Karpenter controller's permissions are scoped: its cluster, the nodes' role and the interruption queue. */
export interface KarpenterPolicyScope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly clusterName: string;
  readonly nodeRoleArn: string;
  readonly queueArn: string;
}

/**
 * The Karpenter controller's permissions: the six managed policies of Karpenter v1.14.1's
 * getting-started CloudFormation template (NodeLifecyclePolicy, IAMIntegrationPolicy,
 * EKSIntegrationPolicy, InterruptionPolicy, ZonalShiftPolicy, ResourceDiscoveryPolicy), statement by
 * statement, with its `${ClusterName}`, `${AWS::*}`, node role and queue filled in
 * (test/addons/karpenter.test.ts compares them with the template). Every mutating statement is
 * scoped by the `kubernetes.io/cluster/<cluster>` and `karpenter.sh/nodepool` tags, as upstream's.
 */
export function karpenterControllerPermissions(scope: KarpenterPolicyScope): ResolvedPermission[] {
  const { partition, region, account, clusterName } = scope;
  const ec2 = (resource: string) => `arn:${partition}:ec2:${region}:*:${resource}`;
  const tagged = [ec2('fleet/*'), ec2('instance/*'), ec2('volume/*'), ec2('network-interface/*'), ec2('launch-template/*'), ec2('spot-instances-request/*')];
  const owned = { [`aws:ResourceTag/kubernetes.io/cluster/${clusterName}`]: 'owned' };
  const requestOwned = { [`aws:RequestTag/kubernetes.io/cluster/${clusterName}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': clusterName };
  const instanceProfiles = `arn:${partition}:iam::${account}:instance-profile/*`;
  const clusterArn = `arn:${partition}:eks:${region}:${account}:cluster/${clusterName}`;
  return [
    // NodeLifecyclePolicy
    {
      sid: 'AllowScopedEC2InstanceAccessActions',
      actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
      resources: [
        `arn:${partition}:ec2:${region}::image/*`,
        `arn:${partition}:ec2:${region}::snapshot/*`,
        ec2('security-group/*'),
        ec2('subnet/*'),
        ec2('capacity-reservation/*'),
        ec2('placement-group/*'),
      ],
    },
    {
      sid: 'AllowScopedEC2LaunchTemplateAccessActions',
      actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
      resources: [ec2('launch-template/*')],
      conditions: { StringEquals: owned, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
    },
    {
      sid: 'AllowScopedEC2InstanceActionsWithTags',
      actions: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
      resources: tagged,
      conditions: { StringEquals: requestOwned, StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' } },
    },
    {
      sid: 'AllowScopedResourceCreationTagging',
      actions: ['ec2:CreateTags'],
      resources: tagged,
      conditions: {
        StringEquals: { ...requestOwned, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      },
    },
    {
      sid: 'AllowScopedResourceTagging',
      actions: ['ec2:CreateTags'],
      resources: [ec2('instance/*')],
      conditions: {
        'StringEquals': owned,
        'StringLike': { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        'StringEqualsIfExists': { 'aws:RequestTag/eks:eks-cluster-name': clusterName },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
      },
    },
    {
      sid: 'AllowScopedDeletion',
      actions: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
      resources: [ec2('instance/*'), ec2('launch-template/*')],
      conditions: { StringEquals: owned, StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' } },
    },
    // IAMIntegrationPolicy
    {
      sid: 'AllowPassingInstanceRole',
      actions: ['iam:PassRole'],
      resources: [scope.nodeRoleArn],
      conditions: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
    },
    {
      sid: 'AllowScopedInstanceProfileCreationActions',
      actions: ['iam:CreateInstanceProfile'],
      resources: [instanceProfiles],
      conditions: {
        StringEquals: { ...requestOwned, 'aws:RequestTag/topology.kubernetes.io/region': region },
        StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    },
    {
      sid: 'AllowScopedInstanceProfileTagActions',
      actions: ['iam:TagInstanceProfile'],
      resources: [instanceProfiles],
      conditions: {
        StringEquals: { ...owned, 'aws:ResourceTag/topology.kubernetes.io/region': region, ...requestOwned, 'aws:RequestTag/topology.kubernetes.io/region': region },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*', 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    },
    {
      sid: 'AllowScopedInstanceProfileActions',
      actions: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
      resources: [instanceProfiles],
      conditions: {
        StringEquals: { ...owned, 'aws:ResourceTag/topology.kubernetes.io/region': region },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    },
    // EKSIntegrationPolicy
    { sid: 'AllowAPIServerEndpointDiscovery', actions: ['eks:DescribeCluster'], resources: [clusterArn] },
    // InterruptionPolicy
    { sid: 'AllowInterruptionQueueActions', actions: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'], resources: [scope.queueArn] },
    // ZonalShiftPolicy
    {
      sid: 'AllowZonalShiftStatusReadOnly',
      actions: ['arc-zonal-shift:GetManagedResource'],
      resources: ['*'],
      conditions: { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': clusterArn } },
    },
    // ResourceDiscoveryPolicy
    {
      sid: 'AllowRegionalReadActions',
      actions: [
        'ec2:DescribeCapacityReservations',
        'ec2:DescribeImages',
        'ec2:DescribeInstances',
        'ec2:DescribeInstanceStatus',
        'ec2:DescribeInstanceTypeOfferings',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeLaunchTemplates',
        'ec2:DescribePlacementGroups',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSpotPriceHistory',
        'ec2:DescribeSubnets',
      ],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': region } },
    },
    { sid: 'AllowSSMReadActions', actions: ['ssm:GetParameter'], resources: [`arn:${partition}:ssm:${region}::parameter/aws/service/*`] },
    { sid: 'AllowPricingReadActions', actions: ['pricing:GetProducts'], resources: ['*'] },
    { sid: 'AllowUnscopedInstanceProfileListAction', actions: ['iam:ListInstanceProfiles'], resources: ['*'] },
    { sid: 'AllowInstanceProfileReadActions', actions: ['iam:GetInstanceProfile'], resources: [instanceProfiles] },
  ];
}

/** The wildcard resources of the controller's permissions, each with the reason upstream's policy has it. */
export function karpenterAcceptedWildcards(permissions: readonly ResolvedPermission[]): ResolvedWildcard[] {
  const reasons: { [sid: string]: string } = {
    AllowScopedEC2InstanceAccessActions: 'Karpenter launches instances from any AMI, snapshot, subnet and security group its EC2NodeClass selects (its getting-started policy); ids are not known in advance.',
    AllowScopedEC2LaunchTemplateAccessActions: 'Launch templates Karpenter creates have generated ids; the statement is conditioned on the cluster and karpenter.sh/nodepool tags.',
    AllowScopedEC2InstanceActionsWithTags: 'Instances, fleets, volumes and interfaces Karpenter creates have generated ids; the statement requires the cluster and karpenter.sh/nodepool request tags.',
    AllowScopedResourceCreationTagging: 'Tags only at creation by RunInstances, CreateFleet or CreateLaunchTemplate of resources carrying the cluster and nodepool tags.',
    AllowScopedResourceTagging: 'Tags only instances of this cluster and a nodepool, and only the keys eks:eks-cluster-name, karpenter.sh/nodeclaim and Name.',
    AllowScopedDeletion: 'Terminates only instances and launch templates carrying the cluster and karpenter.sh/nodepool tags.',
    AllowScopedInstanceProfileCreationActions: 'Instance profiles Karpenter creates for its EC2NodeClasses have generated names; conditioned on the cluster, region and ec2nodeclass tags.',
    AllowScopedInstanceProfileTagActions: 'Tags only instance profiles of this cluster, region and an ec2nodeclass.',
    AllowScopedInstanceProfileActions: 'Changes only instance profiles of this cluster, region and an ec2nodeclass.',
    AllowZonalShiftStatusReadOnly: 'arc-zonal-shift:GetManagedResource is conditioned on this cluster as the resource identifier (upstream\'s policy).',
    AllowRegionalReadActions: 'EC2 Describe actions have no resource-level permissions; conditioned on the region.',
    AllowSSMReadActions: 'Reads only the public parameters under /aws/service/ (the EKS optimized AMI ids).',
    AllowPricingReadActions: 'pricing:GetProducts has no resource-level permissions.',
    AllowUnscopedInstanceProfileListAction: 'iam:ListInstanceProfiles has no resource-level permissions.',
    AllowInstanceProfileReadActions: 'Reads instance profiles of this account, whose names Karpenter generates.',
  };
  return permissions.flatMap((p) =>
    p.resources.filter((r) => r.includes('*')).map((resource) => ({ resource, reason: reasons[p.sid!] ?? 'Karpenter v1.14.1 getting-started policy.' })),
  );
}
