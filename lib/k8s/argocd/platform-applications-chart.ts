import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { ArgoApplication, ApplicationSyncPolicy } from './application';
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
    const add = (application: ArgoApplication, name: string) => (this.applications[name] = application);

    if (usesExternalSecrets(platform)) {
      add(
        new ArgoApplication(this, 'ExternalSecrets', {
          name: 'external-secrets',
          namespace: argocd.namespace,
          project: argocd.project,
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
        }),
        'external-secrets',
      );
    }

    if (usesImageUpdater(platform)) {
      add(
        new ArgoApplication(this, 'ImageUpdater', {
          name: 'argocd-image-updater',
          namespace: argocd.namespace,
          project: argocd.project,
          source: { repoUrl: repo.url, targetRevision: repo.branch, path: imageUpdaterOverlayPath(platform) },
          destinationNamespace: argocd.namespace,
          syncPolicy: syncPolicy(['ServerSideApply=true']),
          syncWave: SYNC_WAVES.imageUpdater,
        }),
        'argocd-image-updater',
      );
    }

    const vaultPlugin = platform.secrets.backend === SecretBackend.VAULT_PLUGIN;
    for (const app of platform.apps) {
      if (app.secret) {
        const name = `${app.name}-secrets`;
        add(
          new ArgoApplication(this, `AppSecrets-${app.name}`, {
            name,
            namespace: argocd.namespace,
            project: argocd.project,
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
          }),
          name,
        );
      }
      if (app.delivery === DeliveryMode.ARGOCD_CLI) continue;
      add(
        new ArgoApplication(this, `App-${app.name}`, {
          name: app.name,
          namespace: argocd.namespace,
          project: argocd.project,
          source: { repoUrl: repo.url, targetRevision: repo.branch, path: app.paths.overlay },
          destinationNamespace: app.namespace,
          syncPolicy: syncPolicy(['CreateNamespace=true']),
          syncWave: SYNC_WAVES.app,
        }),
        app.name,
      );
    }
  }
}
