// Resolution, the core of one environment: every name, namespace, ServiceAccount, role and URI the
// spec itself gives, before any add-on adds its part. Only platform.ts calls it; call
// `Platform.resolve` (platform.ts) instead. The types it fills in are in resolved.ts.
import {
  DEFAULT_SEMVER_ALLOW_TAGS,
  EXTERNAL_SECRETS_NAMESPACE,
  IN_CLUSTER_SERVER,
  IRSA_ROLE_ANNOTATION,
  REPOSITORY_CREDENTIAL_KEYS,
  SYNC_WAVES,
} from './constants';
import { resolveControllers } from './controllers';
import type { AppWithDefaults, ResourcesWithDefaults, SpecWithDefaults } from './defaults';
import type { EnvironmentContext } from './environments';
import {
  appStackId,
  ecrRegistry,
  IMAGE_UPDATER_SERVICE_ACCOUNT,
  outputPrefix,
  partitionOf,
  roleArn,
  roleName,
  serviceAccountSubject,
} from './naming';
import type {
  ResolvedApp,
  ResolvedContainer,
  ResolvedImage,
  ResolvedManifestRepository,
  ResolvedPermission,
  ResolvedPlatform,
  ResolvedRepository,
  ResolvedResources,
  ResolvedWildcard,
  ResolvedWorkloadRole,
  ServiceAccountRole,
} from './resolved';
import {
  AppSpec,
  DeliveryMode,
  RepositoryAccess,
  RepositoryCredentialsType,
  SecretBackend,
  UpdateStrategy,
  WorkloadIdentity,
  WriteBackMethod,
} from './types';
import { MANAGED_MIGRATION_DEADLINE_SECONDS } from './validate-managed-argocd';

/**
 * Which workload identity a role uses: given the add-on it belongs to (its `addons` key; none for the
 * platform's own roles) and the application, if any. Decided where the add-ons are known.
 */
export type IdentityChoice = (addonKey: string | undefined, app: AppSpec | undefined) => WorkloadIdentity;

/** The parts of a role the resolver derives from the platform: name, ARN, subject, identity, annotations. */
export interface RoleFactory {
  /** A ServiceAccount's role. */
  serviceAccountRole(purpose: string, namespace: string, serviceAccountName: string, identity: WorkloadIdentity, app?: string): ServiceAccountRole;
  /** A ServiceAccount's role with its permissions. */
  workloadRole(
    role: ServiceAccountRole & { readonly purpose: string },
    permissions: ResolvedPermission[],
    acceptedWildcards?: ResolvedWildcard[],
  ): ResolvedWorkloadRole;
}

/** How the roles of a platform are named and bound: the one definition of a role's derived facts. */
export function roleFactory(platformName: string, partition: string, account: string): RoleFactory {
  return {
    serviceAccountRole: (purpose, namespace, serviceAccountName, identity, app): ServiceAccountRole => {
      const name = roleName(platformName, purpose, app);
      const arn = roleArn(partition, account, name);
      return {
        roleName: name,
        roleArn: arn,
        namespace,
        serviceAccountName,
        subject: serviceAccountSubject(namespace, serviceAccountName),
        identity,
        // Pod Identity binds the role in AWS (an association); IRSA on the ServiceAccount itself.
        serviceAccountAnnotations: identity === WorkloadIdentity.IRSA ? { [IRSA_ROLE_ANNOTATION]: arn } : ({} as { [key: string]: string }),
      };
    },
    workloadRole: (role, permissions, acceptedWildcards = []) => ({ ...role, permissions, acceptedWildcards }),
  };
}

/**
 * One environment of the platform as the spec describes it, before the add-ons add their roles,
 * Applications and project permissions (`Platform.resolve` adds them): every name, default and
 * derived fact of the core. `spec` is the spec as the environment sees it (see `environmentViews`);
 * `identityOf` decides the workload identity of each role.
 */
export function resolveCore(spec: SpecWithDefaults, account: string, identityOf: IdentityChoice, context: EnvironmentContext): ResolvedPlatform {
  const region = spec.aws.region;
  const partition = partitionOf(region);
  const environment = context.name;
  const several = context.several;
  // Names that must differ between environments (physical names in an account, Argo CD names a hub
  // shares, DNS record owners in a zone two environments may share) carry the environment's name.
  const qualifiedName = several ? `${spec.name}-${environment}` : spec.name;
  const secretsPrefix = several ? `${spec.name}/${environment}` : spec.name;
  const applicationName = (name: string) => (several ? `${name}-${environment}` : name);
  // Images are built once, into the registry environment's account and region.
  const imagesAccount = context.registryAccount ?? account;
  const imagesRegion = context.registryRegion;
  const imagesPartition = partitionOf(imagesRegion);
  const registry = ecrRegistry(imagesAccount, imagesRegion);
  const followsReleases = context.promotedFrom === undefined;
  const argocdNamespace = spec.argocd.namespace;
  const owner = spec.github.owner;
  const nodes = spec.cluster.nodes;
  const minSize = nodes.minSize;
  const automated = spec.argocd.syncPolicy.automated;
  const backend = spec.secrets.backend;
  const managed = spec.argocd.managed;
  // With a hub, only the hub runs Argo CD: only it reads the manifest repository.
  const runsArgoCd = context.hub === undefined || context.hub === environment;
  const clusterArn = `arn:${partition}:eks:${region}:${account}:cluster/${qualifiedName}`;

  const roles = roleFactory(qualifiedName, partition, account);
  // The CI roles live beside the images, once for every environment.
  const ciRole = (app: string) => {
    const name = roleName(spec.name, 'ci', app);
    return { roleName: name, roleArn: roleArn(imagesPartition, imagesAccount, name) };
  };
  const repository = (name: string, branch: string): ResolvedRepository => ({
    owner,
    name,
    fullName: `${owner}/${name}`,
    url: `https://github.com/${owner}/${name}.git`,
    branch,
  });
  const image = (repositoryName: string, dockerfile: string): ResolvedImage => ({
    repositoryName,
    repositoryArn: `arn:${imagesPartition}:ecr:${imagesRegion}:${imagesAccount}:repository/${repositoryName}`,
    imageUri: `${registry}/${repositoryName}`,
    dockerfile,
  });
  const secretArnPattern = (prefixOrName: string) => `arn:${partition}:secretsmanager:${region}:${account}:secret:${prefixOrName}`;

  const manifestRepository = ((): ResolvedManifestRepository => {
    const spec_ = spec.github.manifestRepository;
    const base = repository(spec_.name, spec_.branch);
    const access = spec_.access;
    if (access === RepositoryAccess.PUBLIC) return { ...base, argocdUrl: base.url, access };
    const type = spec_.credentials.type;
    // Derived: the secret lives under the platform's (and environment's) secrets prefix.
    const secretName = spec_.credentials.secretName ?? `${secretsPrefix}/argocd/manifest-repository`;
    // An SSH key authenticates only over SSH; Argo CD matches its repository Secret to this URL.
    const argocdUrl = type === RepositoryCredentialsType.SSH ? `ssh://git@github.com/${owner}/${spec_.name}.git` : base.url;
    // A hub's spoke: the hub's Argo CD reads the repository with the hub's credentials.
    if (!runsArgoCd) return { ...base, argocdUrl, access };
    return {
      ...base,
      argocdUrl,
      access,
      credentials: {
        type,
        secretName,
        // Secrets Manager appends '-' and six random characters to a secret's name in its ARN.
        secretArnPattern: secretArnPattern(`${secretName}-??????`),
        keys: REPOSITORY_CREDENTIAL_KEYS[type],
        kubernetesSecretName: `${spec.name}-manifest-repository`,
        storeName: `${spec.name}-manifest-repository`,
        reader: roles.serviceAccountRole('repository-reader', argocdNamespace, `${spec.name}-repository-reader`, identityOf('externalSecrets', undefined)),
      },
    };
  })();

  const resolveApp = (app: AppWithDefaults): ResolvedApp => {
    // Derived defaults (the description states them, the schema cannot hold them) are filled in here.
    const namespace = app.namespace ?? app.name;
    const firstWithPort = app.containers.find((c) => c.port !== undefined);
    const ingressContainerName = app.ingress.container ?? firstWithPort?.name ?? app.containers[0].name;
    const ingressContainer = app.containers.find((c) => c.name === ingressContainerName);
    const internetFacing = app.ingress.internetFacing;
    const strategy = app.imageUpdate.strategy;
    const remotePrefix = `${secretsPrefix}/${app.name}/`;
    const secretName = app.secret?.name ?? `${app.name}-secrets`;
    // Without a vault section no Vault path is read; 'kv' keeps vaultPath defined as before.
    const vaultKv = spec.secrets.vault?.kvMount ?? 'kv';
    // One Vault serves every environment: each reads below its own name.
    const vaultAppPath = several ? `${environment}/${namespace}/${app.name}` : `${namespace}/${app.name}`;
    const containers: ResolvedContainer[] = app.containers.map((c) => ({
      name: c.name,
      image: image(c.repository ?? `${spec.name}/${app.name}/${c.name}`, c.dockerfile),
      tag: c.tag,
      port: c.port,
      // Port names must be unique in a pod and at most 15 characters: the Service targets `http`.
      portName: c.port === undefined ? undefined : c.name === ingressContainerName ? 'http' : `http-${c.port}`,
      env: c.env ?? {},
      secretEnv: c.secretEnv ?? {},
      resources: resolveResources(c.resources),
    }));
    const permissions = (app.migration?.permissions ?? []).map((p, i) => ({ sid: `Spec${i}`, actions: [...p.actions], resources: [...p.resources] }));
    const migrationServiceAccount = { namespace, serviceAccountName: `${app.name}-migration` };
    // The base is shared by every environment; what differs is under the environment's overlay.
    const overlay = `${app.name}/overlays/${environment}`;
    const paths = { base: `${app.name}/base`, secrets: `${overlay}/secrets`, overlay };
    const migrationIdentity = identityOf(undefined, app);
    const migrationRole =
      app.migration && permissions.length
        ? roles.workloadRole(
          { ...roles.serviceAccountRole('migration', namespace, migrationServiceAccount.serviceAccountName, migrationIdentity, app.name), purpose: 'migration' },
          permissions,
          // Wildcards the spec asks for are the spec's.
          permissions
            .flatMap((p) => p.resources)
            .filter((r) => r.includes('*'))
            .map((resource) => ({ resource, reason: `apps[].migration.permissions of ${app.name} grants it in the platform spec.` })),
        )
        : undefined;
    return {
      name: app.name,
      stackId: appStackId(qualifiedName, app.stack),
      outputPrefix: outputPrefix(app.name),
      namespace,
      host: app.host,
      replicas: app.replicas,
      delivery: app.delivery,
      imageUpdate: {
        strategy,
        // Derived: only the semver strategy has a default tag filter.
        allowTags: app.imageUpdate.allowTags ?? (strategy === UpdateStrategy.SEMVER ? DEFAULT_SEMVER_ALLOW_TAGS : undefined),
        // A promotion copies the tags the first environment runs from Git: they must be written there.
        writeBack: app.imageUpdate.writeBack ?? (several ? WriteBackMethod.GIT : WriteBackMethod.ARGOCD),
      },
      ci: {
        repository: repository(app.ci.repository, 'main'),
        subjectFormat: app.ci.subjectFormat,
        ownerId: spec.github.ownerId,
        repositoryId: app.ci.repositoryId,
        tagPatterns: app.ci.tagPatterns,
        branches: app.ci.branches,
        environments: app.ci.environments,
        pullRequests: app.ci.pullRequests,
        deployPaths: app.ci.deployPaths,
        role: ciRole(app.name),
      },
      containers,
      bindsPrivilegedPort: containers.some((c) => c.port !== undefined && c.port < 1024),
      releaseContainer: containers[0],
      ingress: {
        containerName: ingressContainerName,
        port: ingressContainer?.port ?? 80,
        healthCheckPath: app.ingress.healthCheckPath,
        internetFacing,
        certificateArn: app.ingress.certificateArn,
        // The load balancer controller reconciles no Ingress of a group whose members disagree on the
        // scheme, so internal applications get a group of their own.
        groupName: app.ingress.groupName ?? (internetFacing ? spec.name : `${spec.name}-internal`),
      },
      migration: app.migration && {
        jobName: `${app.name}-migration`,
        image: image(app.migration.repository ?? `${spec.name}/${app.name}/migration`, app.migration.dockerfile),
        command: [...app.migration.command],
        // Derived: the EKS managed Argo CD ends a sync 120 s after it starts (validate-managed-argocd.ts).
        deadlineSeconds: app.migration.deadlineSeconds ?? (managed ? MANAGED_MIGRATION_DEADLINE_SECONDS : 600),
        retries: app.migration.retries,
        secretEnv: app.migration.secretEnv ?? {},
        resources: resolveResources(app.migration.resources),
        serviceAccount: migrationServiceAccount,
        role: migrationRole,
      },
      secret: app.secret && {
        name: secretName,
        remoteKey: app.secret.remoteKey ?? (backend === SecretBackend.SECRETS_MANAGER ? `${remotePrefix}${secretName}` : vaultAppPath),
        remotePrefix: backend === SecretBackend.SECRETS_MANAGER ? remotePrefix : vaultAppPath,
        // Secrets Manager appends a 6-character suffix to every secret ARN, hence the trailing wildcard.
        remoteArnPattern: secretArnPattern(`${remotePrefix}*`),
        vaultPath: `${vaultKv}/data/${app.secret.remoteKey ?? vaultAppPath}`,
        keys: [...app.secret.keys],
        refreshInterval: app.secret.refreshInterval,
        storeName: `${app.name}-secret-store`,
        externalSecretName: secretName,
        applicationName: `${applicationName(app.name)}-secrets`,
        reader: roles.serviceAccountRole('external-secrets', namespace, `${app.name}-secrets-reader`, identityOf('externalSecrets', app), app.name),
      },
      externalDns: roles.serviceAccountRole('external-dns', namespace, `${app.name}-external-dns`, identityOf('externalDns', app), app.name),
      externalDnsOwnerId: `${qualifiedName}-${app.name}`,
      paths,
      application: { name: applicationName(app.name), namespace, wave: SYNC_WAVES.apps, path: paths.overlay, syncOptions: ['CreateNamespace=true'] },
      workloadRoles: migrationRole ? [migrationRole] : [],
    };
  };

  const apps = spec.apps.map(resolveApp);
  const usesVaultPlugin = backend === SecretBackend.VAULT_PLUGIN;
  const appSecrets = !usesVaultPlugin && apps.some((app) => app.secret !== undefined);
  return {
    name: spec.name,
    environment,
    environments: context.names,
    qualifiedName,
    secretsPrefix,
    promotedFrom: context.promotedFrom,
    account,
    region,
    partition,
    registry,
    images: {
      environment: context.registryEnvironment,
      account: imagesAccount,
      region: imagesRegion,
      registry,
      holdsRepositories: context.registryEnvironment === environment,
      pullers: [],
    },
    cluster: {
      name: qualifiedName,
      arn: clusterArn,
      // Named, so the registry environment's repository policies can name it before it exists.
      nodeRoleName: several ? `${qualifiedName}-nodes` : undefined,
      // The spec's defaults are filled in (lib/model/defaults.ts); what follows minSize is derived here.
      version: spec.cluster.version,
      instanceTypes: nodes.instanceTypes,
      minSize,
      maxSize: nodes.maxSize ?? Math.max(4, minSize),
      desiredSize: nodes.desiredSize ?? minSize,
      diskSize: nodes.diskSize,
      adminRoleArns: spec.cluster.adminRoleArns,
      vpcCidr: spec.cluster.vpcCidr,
      maxAzs: spec.cluster.maxAzs,
      publicAccessCidrs: spec.cluster.publicAccessCidrs,
      controllers: resolveControllers(spec.cluster.controllers),
    },
    github: { owner, ownerId: spec.github.ownerId, oidcProviderArn: spec.github.oidcProviderArn },
    manifestRepository,
    dns: {
      domain: spec.dns.domain,
      hostedZoneId: spec.dns.hostedZoneId,
      hostedZoneArn: `arn:${partition}:route53:::hostedzone/${spec.dns.hostedZoneId}`,
    },
    secrets: {
      backend,
      vault: spec.secrets.vault && {
        address: spec.secrets.vault.address,
        kvMount: spec.secrets.vault.kvMount,
        authMount: spec.secrets.vault.authMount,
        // Derived: the platform's name.
        role: spec.secrets.vault.role ?? spec.name,
      },
    },
    argocd: {
      namespace: argocdNamespace,
      // Derived: the platform's name.
      project: applicationName(spec.argocd.project ?? spec.name),
      rootApplication: `${qualifiedName}-root`,
      // One manifest repository holds every environment: each has its own bootstrap and Applications.
      bootstrapPath: several ? `argocd/bootstrap/${environment}` : 'argocd/bootstrap',
      appsPath: several ? `argocd/apps/${environment}` : 'argocd/apps',
      destinationServer: managed ? clusterArn : IN_CLUSTER_SERVER,
      // A hub manages this environment from its own cluster: resolveEnvironments names it.
      argocdServer: managed ? clusterArn : IN_CLUSTER_SERVER,
      runsHere: runsArgoCd,
      automated,
      prune: automated && spec.argocd.syncPolicy.prune,
      selfHeal: automated && spec.argocd.syncPolicy.selfHeal,
      managed,
      identityCenter: spec.argocd.identityCenter && {
        instanceArn: spec.argocd.identityCenter.instanceArn,
        // Derived: the platform's region.
        region: spec.argocd.identityCenter.region ?? region,
        adminGroupIds: spec.argocd.identityCenter.adminGroupIds,
      },
    },
    imageUpdater: roles.serviceAccountRole('image-updater', argocdNamespace, IMAGE_UPDATER_SERVICE_ACCOUNT, identityOf('imageUpdater', undefined)),
    // Promoted environments move by pull request: the Image Updater runs where releases arrive.
    usesImageUpdater: followsReleases && apps.some((app) => app.delivery === DeliveryMode.IMAGE_UPDATER),
    usesVaultPlugin,
    workloadIdentity: spec.workloadIdentity,
    // The add-ons' contributions, and what follows from them, are added by Platform.resolve.
    usesPodIdentity: false,
    addons: [],
    workloadRoles: [],
    // An argocd-cli app's Application is created by its release workflow, not by the root app.
    applications: apps.filter((app) => app.delivery !== DeliveryMode.ARGOCD_CLI).map((app) => app.application),
    project: {
      sourceRepos: [manifestRepository.argocdUrl],
      namespaces: [argocdNamespace, ...apps.map((app) => app.namespace)],
      clusterResources: [{ group: '', kind: 'Namespace' }],
    },
    reservedNames: {
      applications: [`${qualifiedName}-root`],
      namespaces: [argocdNamespace, 'default', 'kube-system', 'kube-public', 'kube-node-lease'],
    },
    externalSecrets: {
      installed: appSecrets || manifestRepository.credentials !== undefined,
      appSecrets,
      namespace: EXTERNAL_SECRETS_NAMESPACE,
    },
    apps,
  };
}

/** The resources in their resolved order, whatever order the spec gives them in (the defaults are filled in). */
function resolveResources(resources: ResourcesWithDefaults): ResolvedResources {
  const { cpuRequest, cpuLimit, memoryRequest, memoryLimit } = resources;
  return { cpuRequest, cpuLimit, memoryRequest, memoryLimit };
}
