import { CAPABILITY_MANIFESTS } from './managed';
import type { ArgoCdStrategy } from './strategy';
import { ArgoCdHubAccess } from '../../aws/argocd-hub-access';
import { ArgoCdMode } from '../../model/argocd-mode';

/**
 * An environment the hub's EKS managed Argo CD manages (another environment is `argocd.hub`):
 * nothing of Argo CD runs on this cluster. The stack gives the hub's capability role an access entry
 * here, scoped to the namespaces the platform deploys to, once the add-ons the hub's Applications
 * rely on are installed; the hub's stack applies this environment's bootstrap in its own Argo CD.
 */
export const SPOKE_ARGOCD: ArgoCdStrategy = {
  mode: ArgoCdMode.SPOKE,

  aws({ scope, platform, cluster, nodes, bootstrapAfter }) {
    const hub = platform.argocd.hub;
    const spoke = hub?.spokes.find((s) => s.environment === platform.environment);
    if (!hub || !spoke) {
      throw new Error(
        `GitOpsPlatformStack: ${scope.node.id} is managed by another environment's Argo CD (argocd.hub), but its platform names no hub ` +
          'with this environment among its spokes; resolve it with Platform.resolveEnvironments',
      );
    }
    const hubAccess = new ArgoCdHubAccess(scope, 'ArgoCdHubAccess', { cluster, hubRoleArn: hub.role.roleArn, namespaces: spoke.namespaces });
    hubAccess.node.addDependency(nodes, ...bootstrapAfter);
    return { hubAccess };
  },

  // The hub's capability runs this environment's Argo CD objects: its manifests side.
  ...CAPABILITY_MANIFESTS,
  describeBootstrap: (platform) =>
    `what the hub's stack applies in the Argo CD of ${platform.argocd.hub?.environment}: the AppProject, the root app-of-apps and the Secret that registers ${platform.cluster.name} by its ARN`,
};
