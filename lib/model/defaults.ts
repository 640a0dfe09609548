import { CLUSTER } from './platform-shape';
import { applyDefaults } from './shape';
import type { ClusterSpec, NodeGroupSpec, PlatformSpec } from './types';

/**
 * The node group with every default filled in. `maxSize` and `desiredSize` stay optional: their
 * defaults follow `minSize` (4 or `minSize`, and `minSize`), which resolution derives.
 */
export interface NodeGroupWithDefaults extends NodeGroupSpec {
  readonly instanceTypes: string[];
  readonly minSize: number;
  readonly diskSize: number;
}

/** The cluster section with every default of its description (lib/model/platform-shape.ts) filled in. */
export interface ClusterWithDefaults extends ClusterSpec {
  readonly version: string;
  readonly nodes: NodeGroupWithDefaults;
  readonly adminRoleArns: string[];
  readonly vpcCidr: string;
  readonly maxAzs: number;
  readonly publicAccessCidrs: string[];
}

/** A spec as resolution reads it: the sections named here complete, with their defaults. */
export type SpecWithDefaults = Omit<PlatformSpec, 'cluster'> & { readonly cluster: ClusterWithDefaults };

/**
 * Fills in the defaults the spec's description gives (`default:` in lib/model/platform-shape.ts, which
 * is also what platform.schema.json and types.ts's `@default` say), once, where resolution starts: the
 * resolvers read the values, with no defaults of their own. So far the cluster section; the other
 * sections still default where they are resolved. Run on one environment's spec, after its
 * overrides are merged (lib/model/environments.ts): an override carries no defaults, so a field
 * neither the environment nor the top level sets gets the default here.
 */
export function withDefaults(spec: PlatformSpec): SpecWithDefaults {
  return { ...spec, cluster: applyDefaults(spec.cluster as Record<string, unknown> | undefined, CLUSTER.fields) as unknown as ClusterWithDefaults };
}
