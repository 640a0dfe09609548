import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { AppProjectDestination, ArgoAppProject, GroupKind } from './app-project';
import { ArgoApplication } from './application';
import type { ResolvedPlatform } from '../../spec/resolved';
import { DeliveryMode, SecretBackend, WriteBackMethod } from '../../spec/types';
import { UPSTREAM_URLS } from '../../versions';

/** Where the child Applications live in the manifest repository. */
export const APPS_PATH = 'argocd/apps';

/** Namespace External Secrets Operator runs in. */
export const EXTERNAL_SECRETS_NAMESPACE = 'external-secrets';

/** Properties of an `ArgoCdBootstrapChart`. */
export interface ArgoCdBootstrapChartProps extends ChartProps {
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;
}

/**
 * What starts Argo CD pulling the manifest repository: the AppProject and the root app-of-apps
 * Application over `argocd/apps/`. The CDK stack applies this chart right after installing Argo CD;
 * `cdk8s synth` writes the same objects to `argocd/bootstrap/` for `kubectl apply -k`.
 */
export class ArgoCdBootstrapChart extends Chart {
  /** The AppProject. */
  public readonly project: ArgoAppProject;
  /** The root Application. */
  public readonly rootApplication: ArgoApplication;

  constructor(scope: Construct, id: string, props: ArgoCdBootstrapChartProps) {
    super(scope, id, props);
    const { platform } = props;
    const { argocd } = platform;

    this.project = new ArgoAppProject(this, 'Project', {
      name: argocd.project,
      namespace: argocd.namespace,
      description: `Platform ${platform.name}: the manifests in ${platform.manifestRepository.fullName}`,
      sourceRepos: projectSourceRepos(platform),
      destinations: projectDestinations(platform),
      clusterResourceWhitelist: PROJECT_CLUSTER_RESOURCES,
    });

    // The Image Updater's argocd write-back patches the child Applications' image overrides; with
    // self-heal on, the root app would revert them within seconds unless told to ignore that field.
    const argocdWriteBack = platform.apps.some(
      (app) => app.delivery === DeliveryMode.IMAGE_UPDATER && app.imageUpdate.writeBack === WriteBackMethod.ARGOCD,
    );

    this.rootApplication = new ArgoApplication(this, 'RootApplication', {
      name: argocd.rootApplication,
      namespace: argocd.namespace,
      project: argocd.project,
      source: { repoUrl: platform.manifestRepository.url, targetRevision: platform.manifestRepository.branch, path: APPS_PATH },
      destinationNamespace: argocd.namespace,
      syncPolicy: {
        automated: argocd.automated,
        prune: argocd.prune,
        selfHeal: argocd.selfHeal,
        syncOptions: argocdWriteBack ? ['RespectIgnoreDifferences=true'] : undefined,
      },
      // Deleting the root Application must not cascade into deleting every workload.
      cascadeDelete: false,
      ignoreDifferences: argocdWriteBack
        ? [{ group: 'argoproj.io', kind: 'Application', jsonPointers: ['/spec/source/kustomize/images'] }]
        : undefined,
    });
  }
}

/** Cluster-scoped kinds the platform's Applications create, and nothing else. */
export const PROJECT_CLUSTER_RESOURCES: GroupKind[] = [
  { group: '', kind: 'Namespace' },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
  { group: 'networking.k8s.io', kind: 'IngressClass' },
];

/** Whether the platform runs External Secrets Operator (the Secrets Manager and Vault backends). */
export function usesExternalSecrets(platform: ResolvedPlatform): boolean {
  return platform.secrets.backend !== SecretBackend.VAULT_PLUGIN && platform.apps.some((app) => app.secret !== undefined);
}

/** Whether any application is delivered by the Image Updater. */
export function usesImageUpdater(platform: ResolvedPlatform): boolean {
  return platform.apps.some((app) => app.delivery === DeliveryMode.IMAGE_UPDATER);
}

function projectSourceRepos(platform: ResolvedPlatform): string[] {
  return [platform.manifestRepository.url, ...(usesExternalSecrets(platform) ? [UPSTREAM_URLS.externalSecretsChartRepository] : [])];
}

function projectDestinations(platform: ResolvedPlatform): AppProjectDestination[] {
  return [
    { namespace: platform.argocd.namespace },
    ...(usesExternalSecrets(platform) ? [{ namespace: EXTERNAL_SECRETS_NAMESPACE }] : []),
    ...platform.apps.map((app) => ({ namespace: app.namespace })),
  ];
}

