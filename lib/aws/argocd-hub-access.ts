import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { MANAGED_ARGOCD_ACCESS_POLICY } from './managed-argocd';

/**
 * The access policy EKS associates, cluster-wide, with the managed Argo CD's access entry on its own
 * cluster: discovery and the cluster-scoped objects Argo CD manages (such as the Namespaces its
 * Applications create). A spoke gives the hub's role the same.
 */
export const MANAGED_ARGOCD_CLUSTER_POLICY = 'AmazonEKSArgoCDClusterPolicy';

/** Properties of an `ArgoCdHubAccess`. */
export interface ArgoCdHubAccessProps {
  /** The spoke's cluster. */
  readonly cluster: eksv2.ICluster;

  /**
   * ARN of the hub's EKS managed Argo CD capability role, in the hub's account. An access entry names
   * an existing principal: the hub's stack must be deployed first.
   */
  readonly hubRoleArn: string;

  /** The namespaces the hub's Argo CD deploys to on this cluster. */
  readonly namespaces: string[];
}

/**
 * Lets the hub's EKS managed Argo CD (`argocd.hub`) deploy to this cluster: an EKS access entry of
 * type `STANDARD` whose principal is the hub's capability role (an access entry may name a role of
 * another account), with `AmazonEKSClusterAdminPolicy` scoped to exactly the namespaces the platform
 * deploys here, and `AmazonEKSArgoCDClusterPolicy` for what Argo CD reads and manages across the
 * cluster, as EKS gives its role on its own cluster. The hub registers this cluster by its ARN.
 */
export class ArgoCdHubAccess extends Construct {
  /** The access entry. */
  public readonly accessEntry: eksv2.AccessEntry;

  constructor(scope: Construct, id: string, props: ArgoCdHubAccessProps) {
    super(scope, id);
    if (props.namespaces.length === 0) throw new Error('ArgoCdHubAccess: namespaces is empty; give the namespaces the hub deploys to on this cluster');
    this.accessEntry = new eksv2.AccessEntry(this, 'Resource', {
      cluster: props.cluster,
      principal: props.hubRoleArn,
      accessEntryType: eksv2.AccessEntryType.STANDARD,
      accessPolicies: [
        eksv2.AccessPolicy.fromAccessPolicyName(MANAGED_ARGOCD_CLUSTER_POLICY, { accessScopeType: eksv2.AccessScopeType.CLUSTER }),
        eksv2.AccessPolicy.fromAccessPolicyName(MANAGED_ARGOCD_ACCESS_POLICY, {
          accessScopeType: eksv2.AccessScopeType.NAMESPACE,
          namespaces: [...new Set(props.namespaces)],
        }),
      ],
    });
  }
}
