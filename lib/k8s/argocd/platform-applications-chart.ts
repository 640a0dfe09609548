import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { ArgoApplication, ArgoApplicationProps, ApplicationSyncPolicy } from './application';
import type { ResolvedApp, ResolvedPlatform } from '../../spec/resolved';
import { DeliveryMode, SecretBackend } from '../../spec/types';
import { AVP_PLUGINS } from '../vault-plugin/argocd-vault-plugin';

/**
 * Sync waves of the child Applications: the Image Updater (its CRD before its resources), then each
 * application's secrets, then each application. External Secrets Operator is installed by the stack
 * before Argo CD starts, so its CRDs exist before any wave.
 */
export const SYNC_WAVES = {
  imageUpdater: -1,
  appSecrets: 0,
  app: 1,
} as const;

/** Directory of the Image Updater overlay. */
export function imageUpdaterOverlayPath(platform: ResolvedPlatform): string {
  return `argocd_image_updater/overlays/${platform.environment}`;
}

/** Properties of a `PlatformApplicationsChart`. */
export interface PlatformApplicationsChartProps extends ChartProps {
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;
}

/**
 * The child Applications of the root app-of-apps (`argocd/apps/`), in sync waves: the Image Updater
 * (-1), each application's secrets (0: External Secrets resources, or a Secret template
 * argocd-vault-plugin fills in), then each application (1). Where argocd-cm has the Application
 * health check (the stack's self-managed install), each wave waits for the previous one to be healthy.
 * Where it cannot (the EKS managed Argo CD), the order that matters still holds: the migration's pod
 * references the application's Secret, so the kubelet does not start it before External Secrets has
 * written that Secret, and every Application retries a failed sync with backoff.
 *
 * Applications delivered with the `argocd-cli` mode are created by their build workflow instead, from
 * the same definition (`applicationFor`).
 */
export class PlatformApplicationsChart extends Chart {
  /** The Applications, by name. */
  public readonly applications: { [name: string]: ArgoApplication } = {};

  constructor(scope: Construct, id: string, props: PlatformApplicationsChartProps) {
    super(scope, id, props);
    const { platform } = props;
    const repo = platform.manifestRepository;
    const add = (child: ChildApplication) => {
      this.applications[child.name] = new ArgoApplication(this, child.name, childProps(platform, child));
    };

    if (platform.usesImageUpdater) {
      add({
        name: 'argocd-image-updater',
        source: { repoUrl: repo.argocdUrl, targetRevision: repo.branch, path: imageUpdaterOverlayPath(platform) },
        destinationNamespace: platform.argocd.namespace,
        syncOptions: ['ServerSideApply=true'],
        syncWave: SYNC_WAVES.imageUpdater,
      });
    }

    const vaultPlugin = platform.secrets.backend === SecretBackend.VAULT_PLUGIN;
    for (const app of platform.apps) {
      if (app.secret) {
        add({
          name: `${app.name}-secrets`,
          source: {
            repoUrl: repo.argocdUrl,
            targetRevision: repo.branch,
            path: app.paths.secrets,
            // With argocd-vault-plugin, the repo-server fills the Secret template from Vault; the plugin
            // records which application repository the Secret belongs to.
            plugin: vaultPlugin
              ? { name: AVP_PLUGINS.kustomize, env: { APP_REPO: `https://github.com/${app.ci.repository.fullName}` } }
              : undefined,
          },
          destinationNamespace: app.namespace,
          syncOptions: ['CreateNamespace=true'],
          syncWave: SYNC_WAVES.appSecrets,
        });
      }
      if (app.delivery === DeliveryMode.ARGOCD_CLI) continue;
      add(appApplication(platform, app));
    }
  }
}

/** What differs between the child Applications. */
interface ChildApplication extends Pick<ArgoApplicationProps, 'name' | 'source' | 'destinationNamespace' | 'syncWave'> {
  readonly syncOptions: string[];
}

/** An application's own Application: its overlay, in its namespace, in the last wave. */
function appApplication(platform: ResolvedPlatform, app: ResolvedApp): ChildApplication {
  const repo = platform.manifestRepository;
  return {
    name: app.name,
    source: { repoUrl: repo.argocdUrl, targetRevision: repo.branch, path: app.paths.overlay },
    destinationNamespace: app.namespace,
    syncOptions: ['CreateNamespace=true'],
    syncWave: SYNC_WAVES.app,
  };
}

/** Every child lives in Argo CD's namespace and the platform's project, with the platform's sync policy. */
function childProps(platform: ResolvedPlatform, child: ChildApplication): ArgoApplicationProps {
  const { argocd } = platform;
  const syncPolicy: ApplicationSyncPolicy = {
    automated: argocd.automated,
    prune: argocd.prune,
    selfHeal: argocd.selfHeal,
    syncOptions: child.syncOptions,
  };
  return {
    name: child.name,
    source: child.source,
    destinationNamespace: child.destinationNamespace,
    syncWave: child.syncWave,
    namespace: argocd.namespace,
    project: argocd.project,
    destinationServer: argocd.destinationServer,
    syncPolicy,
  };
}

/**
 * The Argo CD Application of one application, as an object: what `argocd/apps/<app>.yaml` holds, and
 * what the argocd-cli delivery upserts (so both modes sync the same source, destination and policy).
 */
export function applicationFor(platform: ResolvedPlatform, app: ResolvedApp): Record<string, any> {
  const chart = new Chart(new App(), 'application');
  return new ArgoApplication(chart, app.name, childProps(platform, appApplication(platform, app))).apiObject.toJson();
}
