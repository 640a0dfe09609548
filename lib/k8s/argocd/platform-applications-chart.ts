import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { ArgoApplication, ArgoApplicationProps } from './application';
import { feedbackAnnotations } from './notifications';
import type { ResolvedApp, ResolvedChildApplication, ResolvedPlatform } from '../../model/resolved';

/** Properties of a `PlatformApplicationsChart`. */
export interface PlatformApplicationsChartProps extends ChartProps {
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;
}

/**
 * The child Applications of the root app-of-apps (`argocd/apps/`, or `argocd/apps/<env>/` with
 * several environments): the platform's add-ons' (the Image Updater in wave -1, each application's
 * secrets in wave 0) and the applications' (wave 1), in the platform's project with its sync policy and a retry with backoff. Where argocd-cm has the
 * Application health check (the stack's self-managed install), each wave waits for the previous one
 * to be healthy. Where it cannot (the EKS managed Argo CD), the order that matters still holds: the
 * migration's pod references the application's Secret, so the kubelet does not start it before
 * External Secrets has written that Secret, and every Application retries a failed sync.
 *
 * Applications delivered with the `argocd-cli` mode are created by their build workflow instead, from
 * the same definition (`applicationFor`).
 */
export class PlatformApplicationsChart extends Chart {
  /** The Applications, by name. */
  public readonly applications: { [name: string]: ArgoApplication } = {};

  constructor(scope: Construct, id: string, props: PlatformApplicationsChartProps) {
    super(scope, id, props);
    for (const child of props.platform.applications) {
      const app = props.platform.apps.find((a) => a.application.name === child.name);
      this.applications[child.name] = new ArgoApplication(this, child.name, childProps(props.platform, child, app));
    }
  }
}

/**
 * A child Application in Argo CD's namespace and the platform's project, with the platform's sync
 * policy; an application's own (`app`) also carries the deploy feedback annotations, when it is on.
 */
function childProps(platform: ResolvedPlatform, child: ResolvedChildApplication, app?: ResolvedApp): ArgoApplicationProps {
  const { argocd } = platform;
  const repo = platform.manifestRepository;
  return {
    name: child.name,
    namespace: argocd.namespace,
    project: argocd.project,
    source: child.chart
      ? { repoUrl: child.chart.repoUrl, chart: child.chart.chart, targetRevision: child.chart.version, helmValues: child.chart.values }
      : { repoUrl: repo.argocdUrl, targetRevision: repo.branch, path: child.path, plugin: child.plugin },
    destinationNamespace: child.namespace,
    destinationServer: argocd.destinationServer,
    syncPolicy: { automated: argocd.automated, prune: argocd.prune, selfHeal: argocd.selfHeal, syncOptions: child.syncOptions },
    syncWave: child.wave,
    annotations: app ? feedbackAnnotations(platform, app) : undefined,
  };
}

/**
 * The file of an application's child Application in the manifest repository, relative to its root:
 * `<apps path>/<application>.yaml` (`argocd/apps/`, or `argocd/apps/<environment>/`).
 */
export function applicationPath(platform: ResolvedPlatform, app: ResolvedApp): string {
  return `${platform.argocd.appsPath}/${app.application.name}.yaml`;
}

/**
 * The Argo CD Application of one application, as an object: what `<apps path>/<application>.yaml`
 * holds, and what the argocd-cli delivery upserts (so both modes sync the same source, destination and policy).
 */
export function applicationFor(platform: ResolvedPlatform, app: ResolvedApp): Record<string, any> {
  return new ArgoApplication(new Chart(new App(), 'application'), app.name, childProps(platform, app.application, app)).apiObject.toJson();
}
