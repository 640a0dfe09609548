// How a role of the platform is named and bound: the one definition of a role's derived facts, which
// every section's resolver (and the add-ons' roles, platform.ts) reads.
import { IRSA_ROLE_ANNOTATION } from '../constants';
import { roleArn, roleName, serviceAccountSubject } from '../naming';
import type { ResolvedPermission, ResolvedWildcard, ResolvedWorkloadRole, ServiceAccountRole } from '../resolved';
import { AppSpec, WorkloadIdentity } from '../types';

/**
 * Which workload identity a role uses: given the add-on it belongs to (its `addons` key; none for the
 * platform's own roles) and the application, if any. Decided where the add-ons are known.
 */
export type IdentityChoice = (addonKey: string | undefined, app: AppSpec | undefined) => WorkloadIdentity;

/** The parts of a role the resolver derives from the platform: name, ARN, subject, identity, annotations. */
export interface RoleFactory {
  /** A ServiceAccount's role. */
  serviceAccountRole(purpose: string, namespace: string, serviceAccountName: string, identity: WorkloadIdentity, app?: string): ServiceAccountRole;
  /** A ServiceAccount's role with its permissions. */
  workloadRole(
    role: ServiceAccountRole & { readonly purpose: string },
    permissions: ResolvedPermission[],
    acceptedWildcards?: ResolvedWildcard[],
  ): ResolvedWorkloadRole;
}

/** How the roles of a platform are named and bound: the one definition of a role's derived facts. */
export function roleFactory(platformName: string, partition: string, account: string): RoleFactory {
  return {
    serviceAccountRole: (purpose, namespace, serviceAccountName, identity, app): ServiceAccountRole => {
      const name = roleName(platformName, purpose, app);
      const arn = roleArn(partition, account, name);
      return {
        roleName: name,
        roleArn: arn,
        namespace,
        serviceAccountName,
        subject: serviceAccountSubject(namespace, serviceAccountName),
        identity,
        // Pod Identity binds the role in AWS (an association); IRSA on the ServiceAccount itself.
        serviceAccountAnnotations: identity === WorkloadIdentity.IRSA ? { [IRSA_ROLE_ANNOTATION]: arn } : ({} as { [key: string]: string }),
      };
    },
    workloadRole: (role, permissions, acceptedWildcards = []) => ({ ...role, permissions, acceptedWildcards }),
  };
}
