// Validation, the cluster section: the node group's sizes and instance types, and the network
// blocks. (`cluster.version` is checked in kubernetes-versions.ts, the controllers' resources in
// limits.ts.)
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { show } from '../shape';
import type { AddProblem, EnvironmentInput } from './input';

/** `cluster.nodes`: sizes in order, and instance types of one architecture. */
export function checkNodes({ platform }: EnvironmentInput, add: AddProblem): void {
  const { cluster } = platform;
  if (cluster.minSize > cluster.maxSize) {
    add('cluster.nodes.minSize', `${cluster.minSize} is larger than maxSize ${cluster.maxSize}`);
  } else if (cluster.desiredSize < cluster.minSize || cluster.desiredSize > cluster.maxSize) {
    add('cluster.nodes.desiredSize', `${cluster.desiredSize} is outside minSize..maxSize (${cluster.minSize}..${cluster.maxSize})`);
  }
  const architectures = new Set(cluster.instanceTypes.map((t) => new ec2.InstanceType(t).architecture));
  if (architectures.size > 1) {
    add('cluster.nodes.instanceTypes', `${show(cluster.instanceTypes)} mix x86_64 and arm64 instance types; one node group runs one machine image, so list types of one architecture`);
  }
}

/** `cluster.vpcCidr` and `cluster.publicAccessCidrs`: each block written from its network's first address. */
export function checkNetwork({ spec }: EnvironmentInput, add: AddProblem): void {
  if (spec.cluster?.vpcCidr !== undefined) checkNetworkAddress('cluster.vpcCidr', spec.cluster.vpcCidr, add);
  spec.cluster?.publicAccessCidrs?.forEach((cidr, i) => checkNetworkAddress(`cluster.publicAccessCidrs[${i}]`, cidr, add));
}

/** A CIDR block names its network's first address: `10.0.0.1/16` is refused, `10.0.0.0/16` is not. */
function checkNetworkAddress(path: string, cidr: string, add: AddProblem): void {
  const [address, bits] = cidr.split('/');
  const value = address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits));
  const network = value - (value % size);
  if (network !== value) {
    const first = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.');
    add(path, `${show(cidr)} has host bits set; the block starts at ${first}, so write ${first}/${bits}`);
  }
}
