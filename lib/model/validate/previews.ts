// Validation, preview environments (apps[].previews): where Argo CD can create them from pull
// requests, and what they may read.
import { ArgoCdMode } from '../argocd-mode';
import { show } from '../shape';
import type { EnvironmentInput, AddProblem } from './input';
import { MANAGED_ARGOCD_DOCS, managedArgoCdDoc } from './managed-argocd';

/**
 * The rules of `apps[].previews`, in the environment releases arrive in (the first), where previews
 * run; nothing for an app without them.
 *
 * - Previews are an ApplicationSet with the pull request generator, run by Argo CD's ApplicationSet
 *   controller. The EKS managed Argo CD's ApplicationSets page documents the list, cluster, git,
 *   matrix and merge generators and no pull request (SCM) generator, and a spoke's Argo CD is its
 *   hub's capability: refused there, naming the page.
 * - The previews read their own prefix, never production's secret: a prefix that holds production's
 *   secret (or is the app's own prefix, `<platform>/<app>`) is refused.
 */
export function checkPreviews({ platform, apps }: EnvironmentInput, add: AddProblem): void {
  if (platform.promotedFrom !== undefined) return;
  for (const { spec: appSpec, app, path } of apps) {
    if (!appSpec.previews?.enabled) continue;
    if (platform.argocd.mode !== ArgoCdMode.SELF_MANAGED) {
      add(
        `${path}.previews.enabled`,
        `needs Argo CD's pull request generator, which the EKS managed Argo CD does not document (${managedArgoCdDoc(MANAGED_ARGOCD_DOCS.applicationSets)} ` +
          'lists the list, cluster, git, matrix and merge generators); turn previews off, or run the first environment with a self-managed Argo CD (argocd.managed: false)',
      );
      continue;
    }
    const previews = app.previews;
    if (!previews || appSpec.previews.secretPrefix === undefined) continue;
    const productionPrefix = `${platform.secretsPrefix}/${app.name}`;
    const production = app.secret?.remoteKey;
    if (previews.secretPrefix === productionPrefix || (production !== undefined && production.startsWith(`${previews.secretPrefix}/`))) {
      add(
        `${path}.previews.secretPrefix`,
        `${show(previews.secretPrefix)} would let previews read production's secret${production ? ` ${show(production)}` : ''}; ` +
          `give previews a prefix of their own, such as ${show(`${productionPrefix}/previews`)}`,
      );
    }
  }
}
