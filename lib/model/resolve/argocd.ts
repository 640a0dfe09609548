// Resolution, the Argo CD section: where Argo CD runs and what it manages, its project, the Image
// Updater, and the names the platform's own Applications and namespaces take.
import { ArgoCdMode } from '../argocd-mode';
import { ARGOCD_APPS_DIR, IN_CLUSTER_SERVER } from '../constants';
import { IMAGE_UPDATER_SERVICE_ACCOUNT } from '../naming';
import type {
  ResolvedApp,
  ResolvedArgoCd,
  ResolvedChildApplication,
  ResolvedManifestRepository,
  ResolvedProject,
  ResolvedReservedNames,
  ServiceAccountRole,
} from '../resolved';
import { DeliveryMode } from '../types';
import type { SectionInput } from './environment';

/** Argo CD itself: its namespace, project, paths in the manifest repository, sync policy and mode. */
export function resolveArgoCd({ spec, names }: SectionInput): ResolvedArgoCd {
  const { several, environment, clusterArn } = names;
  const managed = spec.argocd.managed;
  const mode = resolveArgoCdMode(managed, names.runsArgoCd);
  // The EKS managed Argo CD does not support `https://kubernetes.default.svc`: it names clusters by ARN.
  const server = mode === ArgoCdMode.SELF_MANAGED ? IN_CLUSTER_SERVER : clusterArn;
  const automated = spec.argocd.syncPolicy.automated;
  return {
    namespace: spec.argocd.namespace,
    // Derived: the platform's name.
    project: names.applicationName(spec.argocd.project ?? spec.name),
    rootApplication: `${names.qualifiedName}-root`,
    // One manifest repository holds every environment: each has its own bootstrap and Applications.
    bootstrapPath: several ? `argocd/bootstrap/${environment}` : 'argocd/bootstrap',
    appsPath: several ? `${ARGOCD_APPS_DIR}/${environment}` : ARGOCD_APPS_DIR,
    destinationServer: server,
    // A hub manages this environment from its own cluster: resolveEnvironments names it.
    argocdServer: server,
    mode,
    automated,
    prune: automated && spec.argocd.syncPolicy.prune,
    selfHeal: automated && spec.argocd.syncPolicy.selfHeal,
    managed,
    identityCenter: spec.argocd.identityCenter && {
      instanceArn: spec.argocd.identityCenter.instanceArn,
      // Derived: the platform's region.
      region: spec.argocd.identityCenter.region ?? names.region,
      adminGroupIds: spec.argocd.identityCenter.adminGroupIds,
    },
  };
}

/**
 * The Argo CD mode, once: a spoke when another environment's Argo CD (the hub's) manages this one,
 * else the EKS managed capability or the stack's install, as `argocd.managed` says. (A hub requires
 * `argocd.managed: true`; validation refuses a hub without it.)
 */
export function resolveArgoCdMode(managed: boolean, runsHere: boolean): ArgoCdMode {
  if (!runsHere) return ArgoCdMode.SPOKE;
  return managed ? ArgoCdMode.MANAGED : ArgoCdMode.SELF_MANAGED;
}

/** The Image Updater's ServiceAccount and role, in Argo CD's namespace. */
export function resolveImageUpdater({ spec, roles, identityOf }: SectionInput): ServiceAccountRole {
  return roles.serviceAccountRole('image-updater', spec.argocd.namespace, IMAGE_UPDATER_SERVICE_ACCOUNT, identityOf('imageUpdater', undefined));
}

/** Whether the Image Updater runs here: promoted environments move by pull request, so only where releases arrive. */
export function usesImageUpdater({ names }: SectionInput, apps: readonly ResolvedApp[]): boolean {
  return names.followsReleases && apps.some((app) => app.delivery === DeliveryMode.IMAGE_UPDATER);
}

/** The root app's child Applications: an argocd-cli app's is created by its release workflow instead. */
export function resolveApplications(apps: readonly ResolvedApp[]): ResolvedChildApplication[] {
  return [
    ...apps.filter((app) => app.delivery !== DeliveryMode.ARGOCD_CLI).map((app) => app.application),
    // The previews' own objects (the ApplicationSet among them), whatever the delivery.
    ...apps.flatMap((app) => (app.previews ? [app.previews.application] : [])),
  ];
}

/** What the AppProject allows of the core: the manifest repository, and Argo CD's and the apps' namespaces. */
export function resolveProject(
  { spec }: SectionInput,
  apps: readonly ResolvedApp[],
  manifestRepository: ResolvedManifestRepository,
): ResolvedProject {
  const previews = apps.flatMap((app) => (app.previews ? [app.previews] : []));
  return {
    sourceRepos: [manifestRepository.argocdUrl],
    namespaces: [spec.argocd.namespace, ...apps.map((app) => app.namespace), ...previews.map((p) => p.readerNamespace)],
    clusterResources: [
      { group: '', kind: 'Namespace' },
      // The previews' own objects (their child Application): the store admits the preview namespaces;
      // their ExternalDNS reads Ingresses cluster-wide. Each by its name.
      ...previews.flatMap((p) => [
        { group: 'external-secrets.io', kind: 'ClusterSecretStore', name: p.storeName },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: p.externalDns.serviceAccountName },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding', name: p.externalDns.serviceAccountName },
      ]),
    ],
    // The preview Applications deploy to their namespaces only, and create no other cluster-scoped object.
    previews: previews.length
      ? {
        name: previews[0].project,
        namespacePatterns: previews.map((p) => p.namespacePattern),
        clusterResources: previews.map((p) => ({ group: '', kind: 'Namespace', name: p.namespacePattern })),
      }
      : undefined,
  };
}

/** The names the platform's own Applications and namespaces take. */
export function resolveReservedNames({ spec, names }: SectionInput): ResolvedReservedNames {
  return {
    applications: [`${names.qualifiedName}-root`],
    namespaces: [spec.argocd.namespace, 'default', 'kube-system', 'kube-public', 'kube-node-lease'],
  };
}
