import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { ArgoApplication, ArgoApplicationProps, ApplicationSyncPolicy } from './application';
import { EXTERNAL_SECRETS_NAMESPACE, usesExternalSecrets, usesImageUpdater } from './bootstrap-chart';
import type { ResolvedApp, ResolvedPlatform } from '../../spec/resolved';
import { DeliveryMode, SecretBackend } from '../../spec/types';
import { UPSTREAM_URLS, UPSTREAM_VERSIONS } from '../../versions';
import { AVP_PLUGINS } from '../vault-plugin/argocd-vault-plugin';

/** Sync waves of the child Applications: operators and their CRDs before what uses them. */
export const SYNC_WAVES = {
  externalSecrets: -2,
  imageUpdater: -1,
  appSecrets: 0,
  app: 1,
} as const;

/** Directory of the Image Updater overlay. */
export function imageUpdaterOverlayPath(platform: ResolvedPlatform): string {
  return `argocd_image_updater/overlays/${platform.environment}`;
}

/** Directory of an application's secret resources (their own Application, synced first). */
export function appSecretsPath(app: ResolvedApp): string {
  return `${app.paths.base}/secrets`;
}

/** Properties of a `PlatformApplicationsChart`. */
export interface PlatformApplicationsChartProps extends ChartProps {
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;
}

/**
 * The child Applications of the root app-of-apps (`argocd/apps/`), in sync waves:
 * External Secrets Operator (-2), the Image Updater (-1), each application's secrets (0: External
 * Secrets resources, or a Secret template argocd-vault-plugin fills in), then each
 * application (1). With the Application health check in argocd-cm, each wave waits for the previous
 * one to be healthy, so the application's PreSync migration finds its Secret on the very first sync.
 *
 * Applications delivered with the `argocd-cli` mode are created by their build workflow instead.
 */
export class PlatformApplicationsChart extends Chart {
  /** The Applications, by name. */
  public readonly applications: { [name: string]: ArgoApplication } = {};

  constructor(scope: Construct, id: string, props: PlatformApplicationsChartProps) {
    super(scope, id, props);
    const { platform } = props;
    const { argocd } = platform;
    const repo = platform.manifestRepository;
    const syncPolicy = (syncOptions: string[]): ApplicationSyncPolicy => ({
      automated: argocd.automated,
      prune: argocd.prune,
      selfHeal: argocd.selfHeal,
      syncOptions,
    });
    // Every child lives in Argo CD's namespace and the platform's project; the construct id is its name.
    const add = (child: Omit<ArgoApplicationProps, 'namespace' | 'project'>) => {
      this.applications[child.name] = new ArgoApplication(this, child.name, { ...child, namespace: argocd.namespace, project: argocd.project });
    };

    if (usesExternalSecrets(platform)) {
      add({
        name: 'external-secrets',
        source: {
          repoUrl: UPSTREAM_URLS.externalSecretsChartRepository,
          chart: 'external-secrets',
          targetRevision: UPSTREAM_VERSIONS.externalSecretsChart,
          helmValues: { installCRDs: true },
        },
        destinationNamespace: EXTERNAL_SECRETS_NAMESPACE,
        // The CRDs exceed the 256 KiB annotation client-side apply needs.
        syncPolicy: syncPolicy(['CreateNamespace=true', 'ServerSideApply=true']),
        syncWave: SYNC_WAVES.externalSecrets,
      });
    }

    if (usesImageUpdater(platform)) {
      add({
        name: 'argocd-image-updater',
        source: { repoUrl: repo.url, targetRevision: repo.branch, path: imageUpdaterOverlayPath(platform) },
        destinationNamespace: argocd.namespace,
        syncPolicy: syncPolicy(['ServerSideApply=true']),
        syncWave: SYNC_WAVES.imageUpdater,
      });
    }

    const vaultPlugin = platform.secrets.backend === SecretBackend.VAULT_PLUGIN;
    for (const app of platform.apps) {
      if (app.secret) {
        add({
          name: `${app.name}-secrets`,
          source: {
            repoUrl: repo.url,
            targetRevision: repo.branch,
            path: appSecretsPath(app),
            // With argocd-vault-plugin, the repo-server fills the Secret template from Vault; the plugin
            // records which application repository the Secret belongs to.
            plugin: vaultPlugin
              ? { name: AVP_PLUGINS.kustomize, env: { APP_REPO: `https://github.com/${app.ci.repository.fullName}` } }
              : undefined,
          },
          destinationNamespace: app.namespace,
          syncPolicy: syncPolicy(['CreateNamespace=true']),
          syncWave: SYNC_WAVES.appSecrets,
        });
      }
      if (app.delivery === DeliveryMode.ARGOCD_CLI) continue;
      add({
        name: app.name,
        source: { repoUrl: repo.url, targetRevision: repo.branch, path: app.paths.overlay },
        destinationNamespace: app.namespace,
        syncPolicy: syncPolicy(['CreateNamespace=true']),
        syncWave: SYNC_WAVES.app,
      });
    }
  }
}
