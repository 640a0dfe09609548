import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Chart } from 'cdk8s';
import type { Construct, IDependable } from 'constructs';
import type { ArgoCdHubAccess } from '../../aws/argocd-hub-access';
import type { ArgoCdInstall } from '../../aws/argocd-install';
import type { ManagedArgoCd } from '../../aws/managed-argocd';
import type { ArgoCdMode } from '../../model/argocd-mode';
import { NOTIFICATIONS_SECRET_NAME } from '../../model/resolve/feedback';
import type { ResolvedArgoCd, ResolvedPlatform } from '../../model/resolved';

/**
 * What one Argo CD mode (`ResolvedArgoCd.mode`) means on each side, like an add-on: what the platform
 * stack creates for Argo CD (its AWS side) and what the bootstrap and the manifest tree write for it
 * (its manifests side). `argoCdStrategy` (strategies.ts) picks the one of a resolved platform; the
 * stack, the charts and the tree ask it instead of testing `argocd.managed` or `argocd.hub` again.
 *
 * The destinations themselves (`destinationServer`, `argocdServer`) are resolved data, derived from
 * the mode in the model (resolve/argocd.ts), since every chart reads them.
 */
export interface ArgoCdStrategy {
  /** The mode. */
  readonly mode: ArgoCdMode;

  /** The manifests side: whether the bootstrap holds the Secret that registers the cluster by its ARN. */
  readonly registersCluster: boolean;

  /**
   * The manifests side: whether the tree carries Argo CD's own install (`argocd/bootstrap/install`,
   * for a cluster the stack does not install it on) and the commands to apply it in the manifest repository's overview.
   */
  readonly installInTree: boolean;

  /** The AWS side: Argo CD's resources in the platform stack, after the cluster and the add-ons' resources. */
  aws(context: ArgoCdAwsContext): ArgoCdAwsResources;

  /** The manifests side: the AppProject's `spec.sourceNamespaces`, if the mode needs the field. */
  sourceNamespaces(argocd: ResolvedArgoCd): string[] | undefined;

  /** The manifests side: what the manifest repository's README says the environment's bootstrap directory holds. */
  describeBootstrap(platform: ResolvedPlatform): string;
}

/** What a mode's AWS side is given by the platform stack. */
export interface ArgoCdAwsContext {
  /** The platform stack. */
  readonly scope: Construct;
  /** The environment. */
  readonly platform: ResolvedPlatform;
  /** Its cluster (with a kubectl provider). */
  readonly cluster: eks.ICluster;
  /** Its node group, which whatever runs pods waits for. */
  readonly nodes: IDependable;
  /** What the bootstrap waits for besides Argo CD: the add-ons' resources (External Secrets' CRDs and webhook). */
  readonly bootstrapAfter: readonly IDependable[];
  /** The environment's bootstrap chart (`ArgoCdBootstrapChart`). */
  readonly bootstrap: Chart;
  /** On a hub's stack: every other environment, resolved (the stack's `spokes`). */
  readonly spokes: readonly ResolvedPlatform[];
  /** A spoke's bootstrap chart, which the hub applies to its own cluster. */
  bootstrapOf(spoke: ResolvedPlatform): Chart;
}

/** What a mode's AWS side creates: the platform stack's fields of the same names. */
export interface ArgoCdAwsResources {
  /** Argo CD installed from the Helm chart. */
  readonly argocd?: ArgoCdInstall;
  /** The EKS managed Argo CD. */
  readonly managedArgocd?: ManagedArgoCd;
  /** On a hub: each spoke's bootstrap, applied to the hub's cluster, by environment. */
  readonly spokeBootstraps?: { [environment: string]: eks.KubernetesManifest };
  /** On a spoke: the hub's access to this cluster. */
  readonly hubAccess?: ArgoCdHubAccess;
}

/**
 * How the README describes a bootstrap the environment's own Argo CD (self-managed or managed)
 * applies: what `ArgoCdBootstrapChart` puts there for this environment, by name, so a second
 * AppProject (the previews', `<project>-previews`) or a GitHub App's copy is not left unsaid.
 */
export function ownBootstrap(platform: ResolvedPlatform, registersCluster: boolean): string {
  const { argocd, project } = platform;
  const credentials = platform.manifestRepository.credentials;
  const previewsApp = platform.apps.find((app) => app.previews)?.previews?.githubApp;
  const parts = [
    project.previews
      ? `the AppProjects \`${argocd.project}\` (the platform's Applications) and \`${project.previews.name}\` (the preview Applications)`
      : `the AppProject \`${argocd.project}\``,
    `the root app-of-apps \`${argocd.rootApplication}\``,
    ...(credentials ? [`the repository credentials (External Secrets, into \`${credentials.kubernetesSecretName}\`)`] : []),
    ...(registersCluster ? ['the Secret that registers the cluster by its ARN'] : []),
    ...(argocd.deployFeedback ? [`deploy feedback's GitHub App (External Secrets, into \`${NOTIFICATIONS_SECRET_NAME}\`)`] : []),
    ...(previewsApp ? [`the previews' GitHub App (External Secrets, into \`${previewsApp.kubernetesSecretName}\`)`] : []),
  ];
  return `what the stack applies to start Argo CD: ${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
