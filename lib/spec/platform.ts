import {
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
  ResolvedPlatform,
  ResolvedRepository,
  ResolvedResources,
  ServiceAccountRole,
} from './resolved';
import {
  AppSpec,
  DeliveryMode,
  PlatformSpec,
  RepositoryAccess,
  RepositoryCredentialsType,
  ResourcesSpec,
  SecretBackend,
  SubjectFormat,
  UpdateStrategy,
  WriteBackMethod,
} from './types';

/** Default semver tag filter: only release tags, so a `v1.2.3-rc1` or a branch build never rolls out. */
export const DEFAULT_SEMVER_ALLOW_TAGS = '^v?[0-9]+\\.[0-9]+\\.[0-9]+$';

/** Deployment files of an application repository: changing only these needs no image build. */
export const DEFAULT_DEPLOY_PATHS = ['deploy/**', 'k8s/**', '.github/**', '**/*.md'];

/** The API server of the cluster a self-managed Argo CD runs in. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** Namespace External Secrets Operator runs in. */
export const EXTERNAL_SECRETS_NAMESPACE = 'external-secrets';

/** Application names the platform's own Argo CD Applications take. */
export const PLATFORM_APPLICATION_NAMES = ['argocd-image-updater'] as const;

/** The keys a manifest-repository credentials secret holds, by kind (the names Argo CD's repository Secrets use). */
export const REPOSITORY_CREDENTIAL_KEYS: { readonly [type in RepositoryCredentialsType]: string[] } = {
  [RepositoryCredentialsType.GITHUB_APP]: ['githubAppID', 'githubAppInstallationID', 'githubAppPrivateKey'],
  [RepositoryCredentialsType.TOKEN]: ['username', 'password'],
  [RepositoryCredentialsType.SSH]: ['sshPrivateKey'],
};

const DEFAULT_RESOURCES: ResolvedResources = {
  cpuRequest: '200m',
  cpuLimit: '400m',
  memoryRequest: '64Mi',
  memoryLimit: '128Mi',
};

/** Options of `Platform.resolve`. */
export interface ResolveOptions {
  /**
   * The AWS account id, when the spec does not name it.
   * @default - the spec's `aws.account`
   */
  readonly account?: string;
}

/**
 * Derives every physical name of a platform from its spec: the single place names, defaults and
 * derived facts are made. The CDK constructs, the cdk8s charts, the workflows and the validation of
 * the rules across fields all read the result.
 */
export class Platform {
  /**
   * Resolves a validated spec (see `PlatformSpecLoader`) into the names and values both the CDK
   * stack and the manifests use.
   *
   * @throws if neither the spec nor `options.account` gives the account
   */
  public static resolve(spec: PlatformSpec, options: ResolveOptions = {}): ResolvedPlatform {
    const account = spec.aws.account ?? options.account;
    if (!account) {
      throw new Error('aws.account: no AWS account id; set it in the spec or pass options.account (see AccountResolver)');
    }
    return resolvePlatform(spec, account);
  }

  private constructor() {}
}

/**
 * Resolves a spec whose every field has passed its own rules; the rules across fields (validate.ts)
 * run on the result.
 */
export function resolvePlatform(spec: PlatformSpec, account: string): ResolvedPlatform {
  const region = spec.aws.region;
  const partition = partitionOf(region);
  const registry = ecrRegistry(account, region);
  const environment = spec.environment ?? 'production';
  const argocdNamespace = spec.argocd?.namespace ?? 'argocd';
  const owner = spec.github.owner;
  const nodes = spec.cluster?.nodes ?? {};
  const minSize = nodes.minSize ?? 2;
  const automated = spec.argocd?.syncPolicy?.automated ?? true;
  const backend = spec.secrets?.backend ?? SecretBackend.SECRETS_MANAGER;
  const managed = spec.argocd?.managed ?? false;
  const clusterArn = `arn:${partition}:eks:${region}:${account}:cluster/${spec.name}`;

  const role = (purpose: string, app?: string) => {
    const name = roleName(spec.name, purpose, app);
    return { roleName: name, roleArn: roleArn(partition, account, name) };
  };
  const serviceAccountRole = (purpose: string, namespace: string, serviceAccountName: string, app?: string): ServiceAccountRole => ({
    ...role(purpose, app),
    namespace,
    serviceAccountName,
    subject: serviceAccountSubject(namespace, serviceAccountName),
  });
  const repository = (name: string, branch: string): ResolvedRepository => ({
    owner,
    name,
    fullName: `${owner}/${name}`,
    url: `https://github.com/${owner}/${name}.git`,
    branch,
  });
  const image = (repositoryName: string, dockerfile: string): ResolvedImage => ({
    repositoryName,
    repositoryArn: `arn:${partition}:ecr:${region}:${account}:repository/${repositoryName}`,
    imageUri: `${registry}/${repositoryName}`,
    dockerfile,
  });
  const secretArnPattern = (prefixOrName: string) => `arn:${partition}:secretsmanager:${region}:${account}:secret:${prefixOrName}`;

  const manifestRepository = ((): ResolvedManifestRepository => {
    const spec_ = spec.github.manifestRepository;
    const base = repository(spec_.name, spec_.branch ?? 'main');
    const access = spec_.access ?? RepositoryAccess.PRIVATE;
    if (access === RepositoryAccess.PUBLIC) return { ...base, argocdUrl: base.url, access };
    const type = spec_.credentials?.type ?? RepositoryCredentialsType.GITHUB_APP;
    const secretName = spec_.credentials?.secretName ?? `${spec.name}/argocd/manifest-repository`;
    return {
      ...base,
      // An SSH key authenticates only over SSH; Argo CD matches its repository Secret to this URL.
      argocdUrl: type === RepositoryCredentialsType.SSH ? `ssh://git@github.com/${owner}/${spec_.name}.git` : base.url,
      access,
      credentials: {
        type,
        secretName,
        // Secrets Manager appends '-' and six random characters to a secret's name in its ARN.
        secretArnPattern: secretArnPattern(`${secretName}-??????`),
        keys: REPOSITORY_CREDENTIAL_KEYS[type],
        kubernetesSecretName: `${spec.name}-manifest-repository`,
        storeName: `${spec.name}-manifest-repository`,
        reader: serviceAccountRole('repository-reader', argocdNamespace, `${spec.name}-repository-reader`),
      },
    };
  })();

  const resolveApp = (app: AppSpec): ResolvedApp => {
    const namespace = app.namespace ?? app.name;
    const firstWithPort = app.containers.find((c) => c.port !== undefined);
    const ingressContainerName = app.ingress?.container ?? firstWithPort?.name ?? app.containers[0].name;
    const ingressContainer = app.containers.find((c) => c.name === ingressContainerName);
    const internetFacing = app.ingress?.internetFacing ?? true;
    const strategy = app.imageUpdate?.strategy ?? UpdateStrategy.SEMVER;
    const remotePrefix = `${spec.name}/${app.name}/`;
    const secretName = app.secret?.name ?? `${app.name}-secrets`;
    const vaultKv = spec.secrets?.vault?.kvMount ?? 'kv';
    const containers: ResolvedContainer[] = app.containers.map((c) => ({
      name: c.name,
      image: image(c.repository ?? `${spec.name}/${app.name}/${c.name}`, c.dockerfile ?? 'Dockerfile'),
      tag: c.tag ?? 'v0.0.1',
      port: c.port,
      // Port names must be unique in a pod and at most 15 characters: the Service targets `http`.
      portName: c.port === undefined ? undefined : c.name === ingressContainerName ? 'http' : `http-${c.port}`,
      env: c.env ?? {},
      secretEnv: c.secretEnv ?? {},
      resources: resolveResources(c.resources),
    }));
    const permissions = (app.migration?.permissions ?? []).map((p) => ({ actions: [...p.actions], resources: [...p.resources] }));
    const migrationServiceAccount = { namespace, serviceAccountName: `${app.name}-migration` };
    return {
      name: app.name,
      stackId: app.stack ? `${spec.name}-${app.stack}` : `${spec.name}-platform`,
      outputPrefix: outputPrefix(app.name),
      namespace,
      host: app.host,
      replicas: app.replicas ?? 2,
      delivery: app.delivery ?? DeliveryMode.IMAGE_UPDATER,
      imageUpdate: {
        strategy,
        allowTags: app.imageUpdate?.allowTags ?? (strategy === UpdateStrategy.SEMVER ? DEFAULT_SEMVER_ALLOW_TAGS : undefined),
        writeBack: app.imageUpdate?.writeBack ?? WriteBackMethod.ARGOCD,
      },
      ci: {
        repository: repository(app.ci.repository, 'main'),
        subjectFormat: app.ci.subjectFormat ?? SubjectFormat.IMMUTABLE,
        ownerId: spec.github.ownerId,
        repositoryId: app.ci.repositoryId,
        tagPatterns: app.ci.tagPatterns ?? ['v*'],
        branches: app.ci.branches ?? [],
        environments: app.ci.environments ?? [],
        pullRequests: app.ci.pullRequests ?? false,
        deployPaths: app.ci.deployPaths ?? DEFAULT_DEPLOY_PATHS,
        role: role('ci', app.name),
      },
      containers,
      bindsPrivilegedPort: containers.some((c) => c.port !== undefined && c.port < 1024),
      releaseContainer: containers[0],
      ingress: {
        containerName: ingressContainerName,
        port: ingressContainer?.port ?? 80,
        healthCheckPath: app.ingress?.healthCheckPath ?? '/',
        internetFacing,
        certificateArn: app.ingress?.certificateArn,
        // The load balancer controller reconciles no Ingress of a group whose members disagree on the
        // scheme, so internal applications get a group of their own.
        groupName: app.ingress?.groupName ?? (internetFacing ? spec.name : `${spec.name}-internal`),
      },
      migration: app.migration && {
        jobName: `${app.name}-migration`,
        image: image(app.migration.repository ?? `${spec.name}/${app.name}/migration`, app.migration.dockerfile ?? 'Dockerfile.migration'),
        command: [...app.migration.command],
        deadlineSeconds: app.migration.deadlineSeconds ?? 600,
        retries: app.migration.retries ?? 2,
        secretEnv: app.migration.secretEnv ?? {},
        resources: resolveResources(app.migration.resources),
        serviceAccount: migrationServiceAccount,
        role: permissions.length
          ? serviceAccountRole('migration', migrationServiceAccount.namespace, migrationServiceAccount.serviceAccountName, app.name)
          : undefined,
        permissions,
      },
      secret: app.secret && {
        name: secretName,
        remoteKey: app.secret.remoteKey ?? (backend === SecretBackend.SECRETS_MANAGER ? `${remotePrefix}${secretName}` : `${namespace}/${app.name}`),
        remotePrefix: backend === SecretBackend.SECRETS_MANAGER ? remotePrefix : `${namespace}/${app.name}`,
        // Secrets Manager appends a 6-character suffix to every secret ARN, hence the trailing wildcard.
        remoteArnPattern: secretArnPattern(`${remotePrefix}*`),
        vaultPath: `${vaultKv}/data/${app.secret.remoteKey ?? `${namespace}/${app.name}`}`,
        keys: [...app.secret.keys],
        refreshInterval: app.secret.refreshInterval ?? '1h',
        storeName: `${app.name}-secret-store`,
        externalSecretName: secretName,
        reader: serviceAccountRole('external-secrets', namespace, `${app.name}-secrets-reader`, app.name),
      },
      externalDns: serviceAccountRole('external-dns', namespace, `${app.name}-external-dns`, app.name),
      externalDnsOwnerId: `${spec.name}-${app.name}`,
      paths: { base: `${app.name}/base`, secrets: `${app.name}/base/secrets`, overlay: `${app.name}/overlays/${environment}` },
    };
  };

  const apps = spec.apps.map(resolveApp);
  const appSecrets = backend !== SecretBackend.VAULT_PLUGIN && apps.some((app) => app.secret !== undefined);
  return {
    name: spec.name,
    environment,
    account,
    region,
    partition,
    registry,
    cluster: {
      name: spec.name,
      arn: clusterArn,
      version: spec.cluster?.version ?? '1.35',
      instanceTypes: nodes.instanceTypes ?? ['t3.medium'],
      minSize,
      maxSize: nodes.maxSize ?? Math.max(4, minSize),
      desiredSize: nodes.desiredSize ?? minSize,
      diskSize: nodes.diskSize ?? 20,
      adminRoleArns: spec.cluster?.adminRoleArns ?? [],
      vpcCidr: spec.cluster?.vpcCidr ?? '10.0.0.0/16',
      maxAzs: spec.cluster?.maxAzs ?? 2,
      publicAccessCidrs: spec.cluster?.publicAccessCidrs ?? ['0.0.0.0/0'],
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
      vault: spec.secrets?.vault && {
        address: spec.secrets.vault.address,
        kvMount: spec.secrets.vault.kvMount ?? 'kv',
        authMount: spec.secrets.vault.authMount ?? 'kubernetes',
        role: spec.secrets.vault.role ?? spec.name,
      },
    },
    argocd: {
      namespace: argocdNamespace,
      project: spec.argocd?.project ?? spec.name,
      rootApplication: `${spec.name}-root`,
      destinationServer: managed ? clusterArn : IN_CLUSTER_SERVER,
      automated,
      prune: automated && (spec.argocd?.syncPolicy?.prune ?? true),
      selfHeal: automated && (spec.argocd?.syncPolicy?.selfHeal ?? true),
      managed,
      identityCenter: spec.argocd?.identityCenter && {
        instanceArn: spec.argocd.identityCenter.instanceArn,
        region: spec.argocd.identityCenter.region ?? region,
        adminGroupIds: spec.argocd.identityCenter.adminGroupIds ?? [],
      },
    },
    imageUpdater: serviceAccountRole('image-updater', argocdNamespace, IMAGE_UPDATER_SERVICE_ACCOUNT),
    usesImageUpdater: apps.some((app) => app.delivery === DeliveryMode.IMAGE_UPDATER),
    externalSecrets: {
      installed: appSecrets || manifestRepository.credentials !== undefined,
      appSecrets,
      namespace: EXTERNAL_SECRETS_NAMESPACE,
    },
    apps,
  };
}

function resolveResources(resources: ResourcesSpec | undefined): ResolvedResources {
  return { ...DEFAULT_RESOURCES, ...stripUndefined(resources ?? {}) };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
