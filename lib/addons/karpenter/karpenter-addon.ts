import { App } from 'cdk8s';
import { Construct, Dependable, IDependable } from 'constructs';
import { KARPENTER_NAMESPACE, KARPENTER_SERVICE_ACCOUNT, KarpenterInstall } from './karpenter-install';
import { KarpenterNodePoolChart } from './karpenter-node-pool-chart';
import { karpenterAcceptedWildcards, karpenterControllerPermissions } from './karpenter-policy';
import { controllerSettings } from '../../aws/helm-release';
import { SYNC_WAVES } from '../../model/constants';
import { outputPrefix, roleArn, roleName } from '../../model/naming';
import type { PlatformAddon, ResolvedPlatform } from '../../model/resolved';
import { ComputeMode } from '../../model/types';

/** The Child Application that syncs the default NodePool and EC2NodeClass. */
export const KARPENTER_NODE_POOLS_APPLICATION = 'karpenter-node-pools';

/** The names both sides of the platform give Karpenter's resources. */
export interface KarpenterNames {
  /** The role of the nodes Karpenter launches: `<platform>-karpenter-node`. */
  readonly nodeRoleName: string;
  readonly nodeRoleArn: string;
  /** The interruption queue: `<platform>-karpenter`. */
  readonly queueName: string;
  readonly queueArn: string;
  /** Directory of the NodePool and EC2NodeClass in the manifest repository. */
  readonly nodePoolsPath: string;
}

/** Karpenter's names in one environment. */
export function karpenterNames(platform: ResolvedPlatform): KarpenterNames {
  const nodeRoleName = platform.cluster.karpenterNodeRoleName ?? roleName(platform.qualifiedName, 'karpenter-node');
  const queueName = `${platform.qualifiedName}-karpenter`;
  return {
    nodeRoleName,
    nodeRoleArn: roleArn(platform.partition, platform.account, nodeRoleName),
    queueName,
    queueArn: `arn:${platform.partition}:sqs:${platform.region}:${platform.account}:${queueName}`,
    nodePoolsPath: `karpenter/overlays/${platform.environment}`,
  };
}

/**
 * Karpenter v1.14.1 (`cluster.compute.mode: karpenter`): the stack installs the controller (its
 * Helm chart, on the managed node group), its role, the nodes' role and access entry and the
 * interruption queue with its EventBridge rules; the manifest tree holds the default NodePool and
 * EC2NodeClass, synced by Argo CD after the controller is installed.
 *
 * The NodePool and EC2NodeClass are in the tree, not the stack: they are the capacity policy a
 * platform team changes by pull request (instance families, limits, disruption), which Argo CD keeps
 * as written; and the teardown deletes them through their Application while the controller still
 * runs, so Karpenter terminates the nodes it launched before `cdk destroy` removes it (nodes it
 * launched would otherwise keep the subnets, and so the VPC, from being deleted).
 */
export const KARPENTER_ADDON: PlatformAddon = {
  name: 'karpenter',
  specKey: 'karpenter',
  description: 'Karpenter, when cluster.compute.mode is karpenter',

  enabled: ({ platform }) => platform.cluster.compute === ComputeMode.KARPENTER,

  resolve({ platform, role }) {
    const names = karpenterNames(platform);
    const permissions = karpenterControllerPermissions({
      partition: platform.partition,
      region: platform.region,
      account: platform.account,
      clusterName: platform.cluster.name,
      nodeRoleArn: names.nodeRoleArn,
      queueArn: names.queueArn,
    });
    return {
      roles: [
        role({
          purpose: 'karpenter',
          namespace: KARPENTER_NAMESPACE,
          serviceAccountName: KARPENTER_SERVICE_ACCOUNT,
          permissions,
          acceptedWildcards: karpenterAcceptedWildcards(permissions),
        }),
      ],
      applications: [
        {
          name: KARPENTER_NODE_POOLS_APPLICATION,
          namespace: KARPENTER_NAMESPACE,
          wave: SYNC_WAVES.operators,
          path: names.nodePoolsPath,
          syncOptions: [],
        },
      ],
      namespaces: [KARPENTER_NAMESPACE],
      clusterResources: [
        { group: 'karpenter.sh', kind: 'NodePool' },
        { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass' },
      ],
      reservedApplicationNames: [KARPENTER_NODE_POOLS_APPLICATION],
      reservedNamespaces: [KARPENTER_NAMESPACE],
    };
  },

  manifests({ platform, addFile, addKustomization }) {
    const names = karpenterNames(platform);
    const chart = new KarpenterNodePoolChart(new App(), 'karpenter-node-pools', { clusterName: platform.cluster.name, nodeRoleName: names.nodeRoleName });
    addFile(`${names.nodePoolsPath}/node-pool.yaml`, chart.toJson());
    addKustomization(names.nodePoolsPath, { resources: ['node-pool.yaml'] });
  },

  aws({ scope, platform, cluster, nodes, bootstrapAfter }) {
    const names = karpenterNames(platform);
    const controllerRole = platform.workloadRoles.find((r) => r.purpose === 'karpenter')!;
    const install = new KarpenterInstall(scope, 'Karpenter', {
      cluster,
      clusterName: platform.cluster.name,
      nodeRoleName: names.nodeRoleName,
      queueName: names.queueName,
      serviceAccountAnnotations: controllerRole.serviceAccountAnnotations,
      controller: controllerSettings(platform.cluster.controllers, 'karpenter'),
    });
    install.chart.node.addDependency(nodes, platformRole(scope, controllerRole.purpose));
    // The NodePool and EC2NodeClass the tree holds need the chart's CRDs.
    bootstrapAfter(install.chart);
  },
};

/**
 * The controller's role, created by the stack after the add-ons' resources: a dependency resolved
 * at synthesis, so the chart's pods start once the role (and, with EKS Pod Identity, its
 * association, which must exist when a pod is admitted) does.
 */
function platformRole(scope: Construct, purpose: string): IDependable {
  const dependable: IDependable = {};
  Dependable.implement(dependable, {
    get dependencyRoots() {
      const role = scope.node.tryFindChild(`${outputPrefix(purpose)}Role`);
      return role ? [role] : [];
    },
  });
  return dependable;
}
