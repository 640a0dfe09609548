import {
  ecrRegistry,
  IMAGE_UPDATER_SERVICE_ACCOUNT,
  partitionOf,
  roleArn,
  roleName,
  serviceAccountSubject,
} from './naming';
import type {
  ResolvedApp,
  ResolvedImage,
  ResolvedPlatform,
  ResolvedRepository,
  ResolvedResources,
  ServiceAccountRole,
} from './resolved';
import {
  AppSpec,
  DeliveryMode,
  PlatformSpec,
  ResourcesSpec,
  SecretBackend,
  UpdateStrategy,
  WriteBackMethod,
} from './types';
import { UPSTREAM_VERSIONS } from '../versions';

/** Default semver tag filter: only release tags, so a `v1.2.3-rc1` or a branch build never rolls out. */
export const DEFAULT_SEMVER_ALLOW_TAGS = '^v?[0-9]+\\.[0-9]+\\.[0-9]+$';

/** Deployment files of an application repository: changing only these needs no image build. */
export const DEFAULT_DEPLOY_PATHS = ['deploy/**', 'k8s/**', '.github/**', '**/*.md'];

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
 * Derives every physical name of a platform from its spec: the single place names are made.
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

function resolvePlatform(spec: PlatformSpec, account: string): ResolvedPlatform {
  const region = spec.aws.region;
  const partition = partitionOf(region);
  const registry = ecrRegistry(account, region);
  const environment = spec.environment ?? 'production';
  const argocdNamespace = spec.argocd?.namespace ?? 'argocd';
  const owner = spec.github.owner;
  const nodes = spec.cluster?.nodes ?? {};
  const minSize = nodes.minSize ?? 2;
  const automated = spec.argocd?.syncPolicy?.automated ?? true;

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

  const resolveApp = (app: AppSpec): ResolvedApp => {
    const namespace = app.namespace ?? app.name;
    const firstWithPort = app.containers.find((c) => c.port !== undefined);
    const ingressContainerName = app.ingress?.container ?? firstWithPort?.name ?? app.containers[0].name;
    const ingressContainer = app.containers.find((c) => c.name === ingressContainerName);
    const strategy = app.imageUpdate?.strategy ?? UpdateStrategy.SEMVER;
    const remotePrefix = `${spec.name}/${app.name}/`;
    const secretName = app.secret?.name ?? `${app.name}-secrets`;
    const vaultKv = spec.secrets?.vault?.kvMount ?? 'kv';
    const backend = spec.secrets?.backend ?? SecretBackend.SECRETS_MANAGER;
    return {
      name: app.name,
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
        repositoryId: app.ci.repositoryId,
        tagPatterns: app.ci.tagPatterns ?? ['v*'],
        branches: app.ci.branches ?? [],
        environments: app.ci.environments ?? [],
        pullRequests: app.ci.pullRequests ?? false,
        deployPaths: app.ci.deployPaths ?? DEFAULT_DEPLOY_PATHS,
        role: role('ci', app.name),
      },
      containers: app.containers.map((c) => ({
        name: c.name,
        image: image(c.repository ?? `${spec.name}/${app.name}/${c.name}`, c.dockerfile ?? 'Dockerfile'),
        tag: c.tag ?? 'v0.0.1',
        port: c.port,
        env: c.env ?? {},
        secretEnv: c.secretEnv ?? {},
        resources: resolveResources(c.resources),
      })),
      ingress: {
        containerName: ingressContainerName,
        port: ingressContainer?.port ?? 80,
        healthCheckPath: app.ingress?.healthCheckPath ?? '/',
        internetFacing: app.ingress?.internetFacing ?? true,
        certificateArn: app.ingress?.certificateArn,
        groupName: app.ingress?.groupName ?? spec.name,
      },
      migration: app.migration && {
        jobName: `${app.name}-migration`,
        image: image(app.migration.repository ?? `${spec.name}/${app.name}/migration`, app.migration.dockerfile ?? 'Dockerfile.migration'),
        command: app.migration.command,
        deadlineSeconds: app.migration.deadlineSeconds ?? 300,
        secretEnv: app.migration.secretEnv ?? {},
        resources: resolveResources(app.migration.resources),
        serviceAccount: serviceAccountRole('migration', namespace, `${app.name}-migration`, app.name),
      },
      secret: app.secret && {
        name: secretName,
        remoteKey:
          app.secret.remoteKey ?? (backend === SecretBackend.SECRETS_MANAGER ? `${remotePrefix}${secretName}` : `${namespace}/${app.name}`),
        remotePrefix: backend === SecretBackend.SECRETS_MANAGER ? remotePrefix : `${vaultKv}/data/${namespace}/`,
        // Secrets Manager appends a 6-character suffix to every secret ARN, hence the trailing wildcard.
        remoteArnPattern: `arn:${partition}:secretsmanager:${region}:${account}:secret:${remotePrefix}*`,
        keys: app.secret.keys,
        refreshInterval: app.secret.refreshInterval ?? '1h',
        storeName: `${app.name}-secret-store`,
        externalSecretName: secretName,
        reader: serviceAccountRole('external-secrets', namespace, `${app.name}-secrets-reader`, app.name),
      },
      externalDns: serviceAccountRole('external-dns', namespace, `${app.name}-external-dns`, app.name),
      externalDnsOwnerId: `${spec.name}-${app.name}`,
      paths: { base: `${app.name}/base`, overlay: `${app.name}/overlays/${environment}` },
    };
  };

  return {
    spec,
    name: spec.name,
    environment,
    account,
    region,
    partition,
    registry,
    cluster: {
      name: spec.name,
      version: spec.cluster?.version ?? '1.35',
      instanceTypes: nodes.instanceTypes ?? ['t3.medium'],
      minSize,
      maxSize: nodes.maxSize ?? Math.max(4, minSize),
      desiredSize: nodes.desiredSize ?? minSize,
      diskSize: nodes.diskSize ?? 20,
      adminRoleArns: spec.cluster?.adminRoleArns ?? [],
      vpcCidr: spec.cluster?.vpcCidr ?? '10.0.0.0/16',
      maxAzs: spec.cluster?.maxAzs ?? 2,
    },
    github: { owner, ownerId: spec.github.ownerId, oidcProviderArn: spec.github.oidcProviderArn },
    manifestRepository: repository(spec.github.manifestRepository.name, spec.github.manifestRepository.branch ?? 'main'),
    dns: {
      domain: spec.dns.domain,
      hostedZoneId: spec.dns.hostedZoneId,
      hostedZoneArn: `arn:${partition}:route53:::hostedzone/${spec.dns.hostedZoneId}`,
    },
    secrets: {
      backend: spec.secrets?.backend ?? SecretBackend.SECRETS_MANAGER,
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
      chartVersion: spec.argocd?.chartVersion ?? UPSTREAM_VERSIONS.argoCdChart,
      automated,
      prune: automated && (spec.argocd?.syncPolicy?.prune ?? true),
      selfHeal: automated && (spec.argocd?.syncPolicy?.selfHeal ?? true),
      managed: spec.argocd?.managed ?? false,
      identityCenter: spec.argocd?.identityCenter && {
        instanceArn: spec.argocd.identityCenter.instanceArn,
        region: spec.argocd.identityCenter.region ?? region,
        adminGroupIds: spec.argocd.identityCenter.adminGroupIds ?? [],
      },
    },
    imageUpdater: serviceAccountRole('image-updater', argocdNamespace, IMAGE_UPDATER_SERVICE_ACCOUNT),
    apps: spec.apps.map(resolveApp),
  };
}

function resolveResources(resources: ResourcesSpec | undefined): ResolvedResources {
  return { ...DEFAULT_RESOURCES, ...stripUndefined(resources ?? {}) };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
