import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IrsaRole } from './irsa-role';
import { acknowledgeNagFindings, wildcardFinding } from './nag';
import { PodIdentityRole } from './pod-identity-role';
import type { ResolvedWorkloadRole } from '../model/resolved';
import { WorkloadIdentity } from '../model/types';

/** Properties of a `WorkloadRole`. */
export interface WorkloadRoleProps {
  /** The role, as the platform resolved it: name, ServiceAccount, identity and permissions. */
  readonly role: ResolvedWorkloadRole;

  /** The cluster's OIDC provider (the trust of an IRSA role). */
  readonly oidcProvider: iam.IOpenIdConnectProvider;

  /** Name of the cluster (the association of a Pod Identity role). */
  readonly clusterName: string;

  /** ARN of the cluster (the trust of a Pod Identity role). */
  readonly clusterArn: string;
}

/**
 * The role of one of the platform's ServiceAccounts, bound the way the platform resolved it: an
 * `IrsaRole` or a `PodIdentityRole` at `scope/id` with the role's permissions, and the cdk-nag
 * findings of its accepted wildcards acknowledged with their reasons. (A function, not a construct of
 * its own, so the role sits where an `IrsaRole` of the same id would: switching nothing moves it.)
 */
export function addWorkloadRole(scope: Construct, id: string, props: WorkloadRoleProps): IrsaRole | PodIdentityRole {
  const { role } = props;
  const statements = role.permissions.map(
    (p) => new iam.PolicyStatement({ sid: p.sid, actions: [...p.actions], resources: [...p.resources], conditions: p.conditions }),
  );
  const common = { namespace: role.namespace, serviceAccountName: role.serviceAccountName, roleName: role.roleName, statements };
  const created =
    role.identity === WorkloadIdentity.POD_IDENTITY
      ? new PodIdentityRole(scope, id, { ...common, clusterName: props.clusterName, clusterArn: props.clusterArn })
      : new IrsaRole(scope, id, { ...common, oidcProvider: props.oidcProvider });
  for (const reason of new Set(role.acceptedWildcards.map((w) => w.reason))) {
    const resources = role.acceptedWildcards.filter((w) => w.reason === reason).map((w) => w.resource);
    acknowledgeNagFindings(created.role.node.defaultChild, resources.map(wildcardFinding), reason);
  }
  return created;
}

/** The construct id of a role: `Irsa-<purpose>` or `PodIdentity-<purpose>`, as its binding is. */
export function workloadRoleId(role: ResolvedWorkloadRole): string {
  return `${role.identity === WorkloadIdentity.POD_IDENTITY ? 'PodIdentity' : 'Irsa'}-${role.purpose}`;
}
