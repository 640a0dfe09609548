// Resolution, the cluster section: the EKS cluster and the DNS zone its applications publish to.
import { resolveControllers } from '../controllers';
import { roleName } from '../naming';
import type { ResolvedCluster, ResolvedDns } from '../resolved';
import { ComputeMode } from '../types';
import type { SectionInput } from './environment';

/** The cluster: the spec's defaults are filled in (lib/model/defaults.ts); what follows `minSize` is derived here. */
export function resolveCluster({ spec, names }: SectionInput): ResolvedCluster {
  const nodes = spec.cluster.nodes;
  const minSize = nodes.minSize;
  return {
    name: names.qualifiedName,
    arn: names.clusterArn,
    compute: spec.cluster.compute.mode,
    karpenterNodeRoleName: spec.cluster.compute.mode === ComputeMode.KARPENTER ? roleName(names.qualifiedName, 'karpenter-node') : undefined,
    // Named, so the registry environment's repository policies can name it before it exists.
    nodeRoleName: names.several ? `${names.qualifiedName}-nodes` : undefined,
    version: spec.cluster.version,
    instanceTypes: nodes.instanceTypes,
    minSize,
    maxSize: nodes.maxSize ?? Math.max(4, minSize),
    desiredSize: nodes.desiredSize ?? minSize,
    diskSize: nodes.diskSize,
    adminRoleArns: spec.cluster.adminRoleArns,
    vpcCidr: spec.cluster.vpcCidr,
    maxAzs: spec.cluster.maxAzs,
    publicAccessCidrs: spec.cluster.publicAccessCidrs,
    controllers: resolveControllers(spec.cluster.controllers),
  };
}

/** The hosted zone the applications' ExternalDNS instances publish to. */
export function resolveDns({ spec, names }: SectionInput): ResolvedDns {
  return {
    domain: spec.dns.domain,
    hostedZoneId: spec.dns.hostedZoneId,
    hostedZoneArn: `arn:${names.partition}:route53:::hostedzone/${spec.dns.hostedZoneId}`,
  };
}
