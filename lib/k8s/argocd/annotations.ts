import { IN_CLUSTER_SERVER } from '../../model/constants';

/** Argo CD annotations and values the manifests use, named once. */
export const ARGOCD = {
  syncWave: 'argocd.argoproj.io/sync-wave',
  hook: 'argocd.argoproj.io/hook',
  hookDeletePolicy: 'argocd.argoproj.io/hook-delete-policy',
  syncOptions: 'argocd.argoproj.io/sync-options',
  /** Deletes the Application's resources when the Application is deleted. */
  resourcesFinalizer: 'resources-finalizer.argocd.argoproj.io',
  /** The API server of the cluster a self-managed Argo CD runs in. */
  inClusterServer: IN_CLUSTER_SERVER,
  /** The label that makes a Secret an Argo CD repository, credential template or cluster. */
  secretType: 'argocd.argoproj.io/secret-type',
  apiVersion: 'argoproj.io/v1alpha1',
} as const;

/**
 * The annotations of a PreSync hook of `wave`: run before the sync's other resources, wave by wave,
 * each wave healthy before the next; the previous run's object deleted when the next is created, so
 * the last one stays to be read.
 */
export function preSyncHook(wave: number): { [annotation: string]: string } {
  return { [ARGOCD.hook]: 'PreSync', [ARGOCD.hookDeletePolicy]: 'BeforeHookCreation', [ARGOCD.syncWave]: String(wave) };
}

/**
 * Health assessment of `argoproj.io/Application` for argocd-cm. Argo CD removed it in 1.8, so without
 * it an app-of-apps moves to the next sync wave as soon as a child Application exists, not when the
 * child is healthy: the waves would order nothing.
 */
export const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';
export const APPLICATION_HEALTH_LUA = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;
