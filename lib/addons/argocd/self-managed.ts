import type { ArgoCdStrategy } from './strategy';
import { ownBootstrap } from './strategy';
import { ArgoCdInstall } from '../../aws/argocd-install';
import { notificationsValues } from '../../k8s/argocd/notifications';
import { ArgoCdMode } from '../../model/argocd-mode';

/**
 * Argo CD installed by the stack (`argocd.managed: false`): the argo-cd Helm chart once the nodes
 * exist, with the add-ons' values (the vault plugin's sidecar, say) and deploy feedback's, then the bootstrap once the
 * add-ons it relies on are installed. The tree carries the same install for a cluster without the
 * stack; the AppProject needs no `sourceNamespaces` (Argo CD's own namespace is always allowed), and
 * the cluster is Argo CD's own (`https://kubernetes.default.svc`), registered by nobody.
 */
export const SELF_MANAGED_ARGOCD: ArgoCdStrategy = {
  mode: ArgoCdMode.SELF_MANAGED,

  aws({ scope, platform, cluster, nodes, bootstrapAfter, bootstrap }) {
    // The add-ons' values, and deploy feedback's Notifications (lib/k8s/argocd/notifications.ts).
    const values = Object.assign({}, ...platform.addons.map(({ addon }) => addon.argoCdValues?.(platform) ?? {}), notificationsValues(platform));
    const argocd = new ArgoCdInstall(scope, 'ArgoCd', {
      cluster,
      namespace: platform.argocd.namespace,
      controllers: platform.cluster.controllers,
      values: Object.keys(values).length ? values : undefined,
      bootstrap,
    });
    argocd.chart.node.addDependency(nodes);
    for (const dependency of bootstrapAfter) argocd.bootstrap?.node.addDependency(dependency);
    return { argocd };
  },

  sourceNamespaces: () => undefined,
  registersCluster: false,
  installInTree: true,
  describeBootstrap: (platform) => ownBootstrap(platform, false),
};
