import { ApiObject, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { ArgoAppProject } from './app-project';
import { ArgoApplication } from './application';
import { ArgoClusterSecret } from './cluster-secret';
import { copySecret } from './copied-secret';
import { NotificationsCredentials } from './notifications-credentials';
import { RepositoryCredentials } from './repository-credentials';
import { argoCdStrategy } from '../../addons/argocd/strategies';
import type { ResolvedPlatform } from '../../model/resolved';
import { DeliveryMode, WriteBackMethod } from '../../model/types';

/** Properties of an `ArgoCdBootstrapChart`. */
export interface ArgoCdBootstrapChartProps extends ChartProps {
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;
}

/**
 * What starts Argo CD pulling the manifest repository: the AppProject, the root app-of-apps
 * Application over the environment's child Applications (`argocd/apps/`, or `argocd/apps/<env>/` in
 * a repository of several environments), the repository credentials (for a private repository:
 * External Secrets copies them from Secrets Manager into an Argo CD repository Secret) and, for the
 * EKS managed Argo CD, the Secret that registers the cluster by its ARN. The CDK stack applies this
 * chart right after installing Argo CD and External Secrets; `cdk8s synth` writes the same objects to
 * the environment's bootstrap directory (`argocd/bootstrap/`, or `argocd/bootstrap/<env>/`).
 *
 * With a hub (`argocd.hub`), every environment's bootstrap is applied in the hub's Argo CD: a
 * spoke's root app puts its child Applications on the hub's cluster, its Secret registers the
 * spoke's cluster by ARN there, and only the hub's bootstrap holds repository credentials.
 */
export class ArgoCdBootstrapChart extends Chart {
  /** The AppProject. */
  public readonly project: ArgoAppProject;
  /** The root Application. */
  public readonly rootApplication: ArgoApplication;
  /** The repository credentials, for a private manifest repository. */
  public readonly repositoryCredentials?: RepositoryCredentials;
  /** The cluster registration, for the EKS managed Argo CD. */
  public readonly clusterSecret?: ArgoClusterSecret;
  /**
   * Deploy feedback's GitHub App (`argocd.deployFeedback`): the ServiceAccount, SecretStore and
   * ExternalSecret that copy it from Secrets Manager into `argocd-notifications-secret`.
   */
  public readonly notificationsCredentials?: ApiObject[];
  /**
   * The GitHub App the previews' pull request generator lists pull requests with
   * (`apps[].previews.githubAppSecretName`): the ServiceAccount, SecretStore and ExternalSecret that
   * copy it into Argo CD's namespace, once for every app with previews (they name one secret).
   */
  public readonly previewsGitHubApp?: ApiObject[];
  /** The preview Applications' AppProject (`<project>-previews`), when an app has previews. */
  public readonly previewsProject?: ArgoAppProject;

  constructor(scope: Construct, id: string, props: ArgoCdBootstrapChartProps) {
    super(scope, id, props);
    const { platform } = props;
    const { argocd } = platform;
    const mode = argoCdStrategy(platform);

    this.project = new ArgoAppProject(this, 'Project', {
      name: argocd.project,
      namespace: argocd.namespace,
      description: `Platform ${platform.name}: the manifests in ${platform.manifestRepository.fullName}`,
      sourceRepos: platform.project.sourceRepos,
      // Argo CD's namespace is on the cluster Argo CD runs in: the hub's, when a hub manages this environment.
      destinations: platform.project.namespaces.map((namespace) => ({
        namespace,
        server: namespace === argocd.namespace ? argocd.argocdServer : argocd.destinationServer,
      })),
      clusterResourceWhitelist: platform.project.clusterResources,
      // The managed Argo CD requires it: its Applications live in its one namespace, Argo CD's.
      sourceNamespaces: mode.sourceNamespaces(argocd),
    });

    // The preview Applications' own project (lib/k8s/argocd/previews-application-set.ts): their
    // namespaces, and no cluster-scoped object but those namespaces.
    const previews = platform.project.previews;
    if (previews) {
      this.previewsProject = new ArgoAppProject(this, 'PreviewsProject', {
        name: previews.name,
        namespace: argocd.namespace,
        description: `Platform ${platform.name}: the previews of pull requests, from the manifests in ${platform.manifestRepository.fullName}`,
        sourceRepos: [platform.manifestRepository.argocdUrl],
        destinations: [],
        namespacePatterns: previews.namespacePatterns.map((namespace) => ({ namespace, server: argocd.destinationServer })),
        clusterResourceWhitelist: previews.clusterResources,
      });
    }

    // The Image Updater's argocd write-back patches the child Applications' image overrides; with
    // self-heal on, the root app would revert them within seconds unless told to ignore that field.
    const argocdWriteBack = platform.apps.some(
      (app) => app.delivery === DeliveryMode.IMAGE_UPDATER && app.imageUpdate.writeBack === WriteBackMethod.ARGOCD,
    );

    this.rootApplication = new ArgoApplication(this, 'RootApplication', {
      name: argocd.rootApplication,
      namespace: argocd.namespace,
      project: argocd.project,
      source: { repoUrl: platform.manifestRepository.argocdUrl, targetRevision: platform.manifestRepository.branch, path: argocd.appsPath },
      destinationNamespace: argocd.namespace,
      // The child Applications are Argo CD's objects: on the hub's cluster, when a hub manages this environment.
      destinationServer: argocd.argocdServer,
      syncPolicy: {
        automated: argocd.automated,
        prune: argocd.prune,
        selfHeal: argocd.selfHeal,
        syncOptions: argocdWriteBack ? ['RespectIgnoreDifferences=true'] : undefined,
      },
      // Deleting the root Application must not cascade into deleting every workload: teardown deletes
      // the child Applications first, each with its own resources finalizer (docs/runbook.md, "4. Teardown").
      cascadeDelete: false,
      ignoreDifferences: argocdWriteBack
        ? [{ group: 'argoproj.io', kind: 'Application', jsonPointers: ['/spec/source/kustomize/images'] }]
        : undefined,
    });

    if (platform.manifestRepository.credentials) {
      this.repositoryCredentials = new RepositoryCredentials(this, 'RepositoryCredentials', {
        repository: platform.manifestRepository,
        namespace: argocd.namespace,
        region: platform.region,
      });
    }

    if (argocd.deployFeedback) {
      const credentials = new NotificationsCredentials(this, 'NotificationsCredentials', {
        feedback: argocd.deployFeedback,
        namespace: argocd.namespace,
        region: platform.region,
      });
      this.notificationsCredentials = [credentials.serviceAccount, credentials.store.apiObject, credentials.externalSecret];
    }

    const previewsApp = platform.apps.find((app) => app.previews)?.previews?.githubApp;
    if (previewsApp) {
      // The generator reads the Secret by name in Argo CD's namespace (Argo CD v3.4 util/db
      // GetRepoCredsBySecretName), as a repo-creds: the keys githubAppID, githubAppInstallationID and
      // githubAppPrivateKey. No `argocd.argoproj.io/secret-type` label: with it and no `url`, the
      // Secret would be a credential template whose empty prefix lends the App to every repository.
      const copied = copySecret(this, {
        secret: previewsApp,
        namespace: argocd.namespace,
        region: platform.region,
        refreshInterval: '1h',
        externalSecretName: previewsApp.kubernetesSecretName,
      });
      this.previewsGitHubApp = [copied.serviceAccount, copied.store.apiObject, copied.externalSecret];
    }

    if (mode.registersCluster) {
      this.clusterSecret = new ArgoClusterSecret(this, 'Cluster', {
        clusterName: platform.cluster.name,
        server: argocd.destinationServer,
        namespace: argocd.namespace,
      });
    }
  }
}

