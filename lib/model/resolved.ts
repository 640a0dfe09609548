// Resolution's result, types only: `ResolvedPlatform` and its parts, what the constructs, charts and
// workflows read. platform.ts (the entry point) and resolve-core.ts (one environment's core) compute it.
import type {
  DeliveryMode,
  RepositoryAccess,
  SubjectFormat,
  RepositoryCredentialsType,
  SecretBackend,
  UpdateStrategy,
  WorkloadIdentity,
  WriteBackMethod,
} from './types';

/**
 * One environment of the resolved platform: every name, namespace, ServiceAccount, role name and ARN,
 * repository URI and host, computed once from the spec by `Platform.resolve` (or, for each environment
 * of a spec with several, `Platform.resolveEnvironments`). The CDK constructs, the cdk8s charts and
 * the workflow generator read only this, so the two sides cannot drift apart.
 */
export interface ResolvedPlatform {
  /** Platform name. */
  readonly name: string;
  /** Environment (overlay) name. */
  readonly environment: string;
  /** Every environment of the platform, in the spec's order: the first follows releases. */
  readonly environments: string[];
  /**
   * Prefix of the environment's physical names (cluster, roles, stacks) and Argo CD names: the
   * platform name, or `<platform>-<environment>` when the platform has several environments.
   */
  readonly qualifiedName: string;
  /** Prefix of the environment's secret names: `<platform>`, or `<platform>/<environment>` with several environments. */
  readonly secretsPrefix: string;
  /**
   * The environment whose running tags a promotion pull request copies here; undefined for the
   * environment that follows releases.
   */
  readonly promotedFrom?: string;
  /** AWS account id. */
  readonly account: string;
  /** AWS region. */
  readonly region: string;
  /** AWS partition of the region. */
  readonly partition: string;
  /** ECR registry host of the images, `<account>.dkr.ecr.<region>.amazonaws.com` (the registry environment's). */
  readonly registry: string;
  /** Where the images live, and who else pulls them. */
  readonly images: ResolvedImageRegistry;
  /** The EKS cluster. */
  readonly cluster: ResolvedCluster;
  /** GitHub owner and OIDC provider. */
  readonly github: ResolvedGitHub;
  /** The manifest repository Argo CD pulls. */
  readonly manifestRepository: ResolvedManifestRepository;
  /** DNS zone. */
  readonly dns: ResolvedDns;
  /** Secret backend. */
  readonly secrets: ResolvedSecrets;
  /** Argo CD. */
  readonly argocd: ResolvedArgoCd;
  /** The Image Updater's ServiceAccount and IRSA role. */
  readonly imageUpdater: ServiceAccountRole;
  /** Whether any application is delivered by the Image Updater (it is then installed). */
  readonly usesImageUpdater: boolean;
  /**
   * Whether argocd-vault-plugin renders the applications' secrets (backend `vault-plugin`): it then runs
   * in the repo-server, and External Secrets writes none of them.
   */
  readonly usesVaultPlugin: boolean;
  /** The platform's default workload identity. */
  readonly workloadIdentity: WorkloadIdentity;
  /** Whether any role uses EKS Pod Identity (the cluster then runs the `eks-pod-identity-agent` add-on). */
  readonly usesPodIdentity: boolean;
  /** The add-ons the platform runs, by name. */
  readonly addons: string[];
  /** The platform-wide roles of ServiceAccounts (the add-ons'), created in the platform stack. */
  readonly workloadRoles: ResolvedWorkloadRole[];
  /** Every child Application of the root app-of-apps, in sync-wave order. */
  readonly applications: ResolvedChildApplication[];
  /** What the AppProject allows. */
  readonly project: ResolvedProject;
  /** Names the platform's own Applications and namespaces take, which no application may take. */
  readonly reservedNames: ResolvedReservedNames;
  /** External Secrets Operator, installed by the stack when anything reads a secret through it. */
  readonly externalSecrets: ResolvedExternalSecrets;
  /** The applications. */
  readonly apps: ResolvedApp[];
}

/** External Secrets Operator. */
export interface ResolvedExternalSecrets {
  /**
   * Whether the platform installs it: for the manifest repository's credentials, or for the
   * applications' secrets (backends `secrets-manager` and `vault`).
   */
  readonly installed: boolean;
  /** Whether the applications' secrets are External Secrets resources (backends `secrets-manager` and `vault`). */
  readonly appSecrets: boolean;
  /** Namespace it runs in. */
  readonly namespace: string;
}

/**
 * Where the images live: the registry environment's account and region hold the ECR repositories and
 * the CI roles; the other environments' nodes pull from there.
 */
export interface ResolvedImageRegistry {
  /** The environment whose account holds the repositories. */
  readonly environment: string;
  /** Its account. */
  readonly account: string;
  /** Its region. */
  readonly region: string;
  /** Registry host. */
  readonly registry: string;
  /** Whether this environment holds the repositories and the CI roles. */
  readonly holdsRepositories: boolean;
  /** The other environments that pull from it (set on the environment that holds them). */
  readonly pullers: ResolvedImagePuller[];
}

/** Another environment that pulls the images: the principals its repository policies admit. */
export interface ResolvedImagePuller {
  /** The environment. */
  readonly environment: string;
  /** Its account. */
  readonly account: string;
  /** Roles that pull images (its nodes). */
  readonly pullRoleArns: string[];
  /** Roles that list and read tags (its Image Updater, when it follows releases). */
  readonly readRoleArns: string[];
}

/** The EKS cluster. */
export interface ResolvedCluster {
  /** Cluster name. */
  readonly name: string;
  /**
   * Name of the node group's role, when it must be known before the cluster exists (another
   * environment's repository policy names it).
   * @default - generated by CloudFormation
   */
  readonly nodeRoleName?: string;
  /** Kubernetes version, `major.minor`. */
  readonly version: string;
  /** EC2 instance types of the node group. */
  readonly instanceTypes: string[];
  /** Smallest node count. */
  readonly minSize: number;
  /** Largest node count. */
  readonly maxSize: number;
  /** Node count at creation. */
  readonly desiredSize: number;
  /** Node root volume in GiB. */
  readonly diskSize: number;
  /** Roles granted cluster-admin. */
  readonly adminRoleArns: string[];
  /** VPC CIDR block. */
  readonly vpcCidr: string;
  /** Availability zones. */
  readonly maxAzs: number;
  /** CIDR blocks allowed to reach the public API endpoint; empty for a private endpoint. */
  readonly publicAccessCidrs: string[];
  /** Cluster ARN (how the EKS managed Argo CD names the cluster). */
  readonly arn: string;
  /** The Helm-installed controllers' resources and webhook replicas, by `cluster.controllers` key. */
  readonly controllers: { readonly [key: string]: ResolvedController };
}

/** Requests and limits of one container, with defaults applied. */
export interface ResolvedContainerResources {
  /** `requests`: cpu and memory. */
  readonly requests: { readonly [resource: string]: string };
  /** `limits`: memory, and cpu only when the spec gives one. */
  readonly limits: { readonly [resource: string]: string };
}

/** One controller of `cluster.controllers`, with defaults applied. */
export interface ResolvedController {
  /** Its main container's requests and limits. */
  readonly resources: ResolvedContainerResources;
  /** Replicas, for a webhook (which also gets a PodDisruptionBudget). */
  readonly replicas?: number;
}

/** GitHub owner and OIDC provider. */
export interface ResolvedGitHub {
  /** Owner of the repositories. */
  readonly owner: string;
  /** Numeric owner id, when the immutable subject form is used. */
  readonly ownerId?: string;
  /** An existing OIDC provider to import, when given. */
  readonly oidcProviderArn?: string;
}

/** A GitHub repository. */
export interface ResolvedRepository {
  /** Owner. */
  readonly owner: string;
  /** Name. */
  readonly name: string;
  /** `owner/name`. */
  readonly fullName: string;
  /** HTTPS clone URL. */
  readonly url: string;
  /** Branch. */
  readonly branch: string;
}

/** The manifest repository, and how Argo CD reads it. */
export interface ResolvedManifestRepository extends ResolvedRepository {
  /** The URL Argo CD reads it from: the HTTPS URL, or `ssh://git@github.com/<owner>/<name>.git` with an SSH key. */
  readonly argocdUrl: string;
  /** Whether it needs credentials. */
  readonly access: RepositoryAccess;
  /** Its credentials, for a private repository. */
  readonly credentials?: ResolvedRepositoryCredentials;
}

/** Argo CD's credentials for the manifest repository, copied from Secrets Manager by External Secrets. */
export interface ResolvedRepositoryCredentials {
  /** Kind of credentials. */
  readonly type: RepositoryCredentialsType;
  /** Secrets Manager secret name. */
  readonly secretName: string;
  /** ARN pattern matching exactly that secret (Secrets Manager appends `-` and six characters). */
  readonly secretArnPattern: string;
  /** The keys the secret must hold. */
  readonly keys: string[];
  /** Name of the Argo CD repository Secret (in Argo CD's namespace) External Secrets writes. */
  readonly kubernetesSecretName: string;
  /** SecretStore name. */
  readonly storeName: string;
  /** The ServiceAccount External Secrets reads the secret as, and its role. */
  readonly reader: ServiceAccountRole;
}

/** DNS zone. */
export interface ResolvedDns {
  /** Domain. */
  readonly domain: string;
  /** Route 53 hosted zone id. */
  readonly hostedZoneId: string;
  /** Route 53 hosted zone ARN. */
  readonly hostedZoneArn: string;
}

/** Secret backend. */
export interface ResolvedSecrets {
  /** Backend. */
  readonly backend: SecretBackend;
  /** Vault settings (Vault backends only). */
  readonly vault?: ResolvedVault;
}

/** Vault settings with defaults applied. */
export interface ResolvedVault {
  /** Address. */
  readonly address: string;
  /** KV v2 mount. */
  readonly kvMount: string;
  /** Kubernetes auth mount. */
  readonly authMount: string;
  /** Vault role. */
  readonly role: string;
}

/** Argo CD. */
export interface ResolvedArgoCd {
  /** Namespace. */
  readonly namespace: string;
  /** AppProject name. */
  readonly project: string;
  /** Root app-of-apps Application name. */
  readonly rootApplication: string;
  /**
   * Directory of the environment's bootstrap in the manifest repository (AppProject, root app,
   * repository credentials): `argocd/bootstrap`, or `argocd/bootstrap/<environment>` when the
   * platform has several environments.
   */
  readonly bootstrapPath: string;
  /**
   * Directory of the environment's child Applications, which its root app syncs: `argocd/apps`, or
   * `argocd/apps/<environment>` when the platform has several environments.
   */
  readonly appsPath: string;
  /**
   * The destination server of every Application: the in-cluster API server for a self-managed Argo CD,
   * the cluster ARN for the EKS managed one (which does not support `https://kubernetes.default.svc`).
   */
  readonly destinationServer: string;
  /**
   * The API server of the cluster whose Argo CD manages this environment, as its Applications name
   * it: the root app's destination (the child Applications are objects of Argo CD's namespace there)
   * and that of the project's Argo CD namespace. The environment's own (`destinationServer`), unless
   * a hub manages it (`hub`): then the hub's cluster ARN.
   */
  readonly argocdServer: string;
  /**
   * The hub, when the spec names one (`argocd.hub`): the environment whose Argo CD manages every
   * environment's cluster. Undefined when each cluster runs its own Argo CD.
   */
  readonly hub?: ResolvedArgoCdHub;
  /** Whether Argo CD runs on this environment's cluster: always, unless another environment is the hub. */
  readonly runsHere: boolean;
  /** Whether sync is automated. */
  readonly automated: boolean;
  /** Whether automated sync prunes. */
  readonly prune: boolean;
  /** Whether automated sync self-heals. */
  readonly selfHeal: boolean;
  /** Whether Argo CD is the EKS managed capability. */
  readonly managed: boolean;
  /** IAM Identity Center of the managed capability. */
  readonly identityCenter?: ResolvedIdentityCenter;
}

/**
 * The hub (`argocd.hub`): the environment whose EKS managed Argo CD manages every environment's
 * cluster. It registers each other cluster by ARN; each other cluster gives its capability role an
 * access entry.
 */
export interface ResolvedArgoCdHub {
  /** The hub environment. */
  readonly environment: string;
  /** Its account. */
  readonly account: string;
  /** Its region. */
  readonly region: string;
  /** Its cluster's name. */
  readonly clusterName: string;
  /** Its cluster's ARN. */
  readonly clusterArn: string;
  /**
   * The role the hub's Argo CD reaches every cluster with: the managed capability's role, named
   * `<hub qualifiedName>-argocd` so the other environments' access entries can name it.
   */
  readonly role: ResolvedRole;
  /** The other environments' clusters, which it manages remotely (in the spec's order). */
  readonly spokes: ResolvedArgoCdSpoke[];
}

/** A cluster the hub's Argo CD manages remotely. */
export interface ResolvedArgoCdSpoke {
  /** The environment. */
  readonly environment: string;
  /** Its account. */
  readonly account: string;
  /** Its region. */
  readonly region: string;
  /** Its cluster's name. */
  readonly clusterName: string;
  /** Its cluster's ARN: the server of its cluster Secret and of its Applications' destinations. */
  readonly clusterArn: string;
  /** The namespaces the platform deploys to there: the scope of the hub role's access there. */
  readonly namespaces: string[];
}

/** IAM Identity Center of the managed Argo CD, with defaults applied. */
export interface ResolvedIdentityCenter {
  /** Instance ARN. */
  readonly instanceArn: string;
  /** Region of the instance. */
  readonly region: string;
  /** Group ids of Argo CD admins. */
  readonly adminGroupIds: string[];
}

/** An IAM role. */
export interface ResolvedRole {
  /** Role name. */
  readonly roleName: string;
  /** Role ARN. */
  readonly roleArn: string;
}

/**
 * A Kubernetes ServiceAccount and the role that trusts exactly it, through IRSA or EKS Pod Identity.
 * The manifests write `serviceAccountAnnotations` and need not know which.
 */
export interface ServiceAccountRole extends ResolvedRole, ResolvedServiceAccount {
  /** Token subject, `system:serviceaccount:<namespace>:<name>`. */
  readonly subject: string;
  /** How the ServiceAccount's pods get the role's credentials. */
  readonly identity: WorkloadIdentity;
  /** The ServiceAccount's annotations: the role ARN for IRSA, none for Pod Identity (its association is in AWS). */
  readonly serviceAccountAnnotations: { [key: string]: string };
}

/** A ServiceAccount's role with its permissions: what the stacks create. */
export interface ResolvedWorkloadRole extends ServiceAccountRole {
  /** What the role is for, e.g. `external-dns`: its name ends with it. */
  readonly purpose: string;
  /** Its permissions. */
  readonly permissions: ResolvedPermission[];
  /** Resources of `permissions` with a wildcard, each with the reason it is accepted (cdk-nag acknowledges them). */
  readonly acceptedWildcards: ResolvedWildcard[];
}

/** A wildcard resource a role's permissions accept, and why. */
export interface ResolvedWildcard {
  /** The resource, as in the permission (`*`, or an ARN with `*`). */
  readonly resource: string;
  /** Why it is accepted. */
  readonly reason: string;
}

/** A child Application of the root app-of-apps. */
export interface ResolvedChildApplication {
  /** Application name. */
  readonly name: string;
  /** Namespace it deploys to. */
  readonly namespace: string;
  /** Sync wave: lower waves sync first. */
  readonly wave: number;
  /** Directory in the manifest repository it syncs (or `chart`). */
  readonly path?: string;
  /** A Helm chart it syncs instead of a directory. */
  readonly chart?: ResolvedHelmSource;
  /** Sync options such as `CreateNamespace=true`. */
  readonly syncOptions: string[];
  /** The config management plugin that renders the directory, if any. */
  readonly plugin?: ResolvedPlugin;
}

/** A Helm chart an Application syncs. */
export interface ResolvedHelmSource {
  /** Helm repository URL. */
  readonly repoUrl: string;
  /** Chart name. */
  readonly chart: string;
  /** Chart version. */
  readonly version: string;
  /** Values. */
  readonly values?: { [key: string]: any };
}

/** A config management plugin and its environment. */
export interface ResolvedPlugin {
  /** Plugin name. */
  readonly name: string;
  /** Environment, without the `ARGOCD_ENV_` prefix. */
  readonly env: { [name: string]: string };
}

/** What the platform's AppProject allows. */
export interface ResolvedProject {
  /** Source repositories (Git and Helm URLs). */
  readonly sourceRepos: string[];
  /** Namespaces Applications may deploy to. */
  readonly namespaces: string[];
  /** Cluster-scoped kinds Applications may manage. */
  readonly clusterResources: ResolvedGroupKind[];
}

/** Names the platform takes. */
export interface ResolvedReservedNames {
  /** Argo CD Application names. */
  readonly applications: string[];
  /** Namespaces. */
  readonly namespaces: string[];
}

/** A Kubernetes API group and kind. */
export interface ResolvedGroupKind {
  /** API group; `''` for the core group. */
  readonly group: string;
  /** Kind. */
  readonly kind: string;
}

/** An ECR repository and the image it holds. */
export interface ResolvedImage {
  /** Repository name. */
  readonly repositoryName: string;
  /** Repository ARN. */
  readonly repositoryArn: string;
  /** Image URI without tag, `<registry>/<repository>`. */
  readonly imageUri: string;
  /** Dockerfile path in the application repository. */
  readonly dockerfile: string;
}

/** Container resources with defaults applied. */
export interface ResolvedResources {
  /** CPU request. */
  readonly cpuRequest: string;
  /** CPU limit. */
  readonly cpuLimit: string;
  /** Memory request. */
  readonly memoryRequest: string;
  /** Memory limit. */
  readonly memoryLimit: string;
}

/** A container of an application. */
export interface ResolvedContainer {
  /** Container name. */
  readonly name: string;
  /** Its image. */
  readonly image: ResolvedImage;
  /** Tag first deployed. */
  readonly tag: string;
  /** Port, if it listens. */
  readonly port?: number;
  /** Name of that port (unique in the pod, at most 15 characters): `http` for the Ingress container. */
  readonly portName?: string;
  /** Plain environment variables. */
  readonly env: { [name: string]: string };
  /** Environment variables from the secret: name → key. */
  readonly secretEnv: { [name: string]: string };
  /** Resources. */
  readonly resources: ResolvedResources;
}

/** The application's CI repository and the filters of the role its workflow assumes. */
export interface ResolvedCi {
  /** The repository. */
  readonly repository: ResolvedRepository;
  /** Which `sub` claim form the CI role trusts. */
  readonly subjectFormat: SubjectFormat;
  /** Numeric owner id, for the immutable subject form. */
  readonly ownerId?: string;
  /** Numeric repository id, for the immutable subject form. */
  readonly repositoryId?: string;
  /** Tag patterns. */
  readonly tagPatterns: string[];
  /** Branches. */
  readonly branches: string[];
  /** Environments. */
  readonly environments: string[];
  /** Whether pull requests may assume the role. */
  readonly pullRequests: boolean;
  /** Globs of deployment files. */
  readonly deployPaths: string[];
  /** The role. */
  readonly role: ResolvedRole;
}

/** The ALB Ingress. */
export interface ResolvedIngress {
  /** Container receiving the traffic. */
  readonly containerName: string;
  /** Its port. */
  readonly port: number;
  /** Health check path. */
  readonly healthCheckPath: string;
  /** Internet-facing or internal. */
  readonly internetFacing: boolean;
  /** ACM certificate ARN. */
  readonly certificateArn?: string;
  /** ALB group name. */
  readonly groupName: string;
}

/** The migration Job. */
export interface ResolvedMigration {
  /** Job name. */
  readonly jobName: string;
  /** Its image. */
  readonly image: ResolvedImage;
  /** Command. */
  readonly command: string[];
  /** Deadline in seconds. */
  readonly deadlineSeconds: number;
  /** Environment variables from the secret. */
  readonly secretEnv: { [name: string]: string };
  /** Resources. */
  readonly resources: ResolvedResources;
  /** Retries of a failed pod (the Job's `backoffLimit`). */
  readonly retries: number;
  /** The Job's ServiceAccount. */
  readonly serviceAccount: ResolvedServiceAccount;
  /** The Job's own role, when the spec gives it permissions (its permissions are the spec's). */
  readonly role?: ResolvedWorkloadRole;
}

/** A ServiceAccount. */
export interface ResolvedServiceAccount {
  /** Namespace. */
  readonly namespace: string;
  /** Name. */
  readonly serviceAccountName: string;
}

/** One IAM permission statement. */
export interface ResolvedPermission {
  /** Statement id. */
  readonly sid?: string;
  /** Actions. */
  readonly actions: string[];
  /** Resource ARNs. */
  readonly resources: string[];
}

/** The application secret. */
export interface ResolvedSecret {
  /** Kubernetes Secret name. */
  readonly name: string;
  /** Remote key (Secrets Manager name, or Vault path under the KV mount). */
  readonly remoteKey: string;
  /**
   * Where the app's remote keys live: the Secrets Manager name prefix `<platform>/<app>/` its reader
   * role may read, or the Vault path `<namespace>/<app>` under the KV mount.
   */
  readonly remotePrefix: string;
  /** The Vault API path argocd-vault-plugin reads (`<kvMount>/data/<remoteKey>`). */
  readonly vaultPath: string;
  /** ARN pattern of the secrets the reader role may read. */
  readonly remoteArnPattern: string;
  /** Keys. */
  readonly keys: string[];
  /** Refresh interval. */
  readonly refreshInterval: string;
  /** SecretStore name. */
  readonly storeName: string;
  /** ExternalSecret name. */
  readonly externalSecretName: string;
  /** The Argo CD Application that syncs it, one wave before the application: `<application>-secrets`. */
  readonly applicationName: string;
  /** The ServiceAccount External Secrets authenticates as, and its role. */
  readonly reader: ServiceAccountRole;
}

/** How the Image Updater chooses and records new tags. */
export interface ResolvedImageUpdate {
  /** Strategy. */
  readonly strategy: UpdateStrategy;
  /** Allowed tags regex. */
  readonly allowTags?: string;
  /** Write-back method. */
  readonly writeBack: WriteBackMethod;
}

/**
 * Paths of an application in the manifest repository. The base is shared by every environment and
 * holds nothing environment-specific; everything that differs lives under the environment's overlay.
 */
export interface ResolvedAppPaths {
  /** `<app>/base`: the objects that are the same in every environment. */
  readonly base: string;
  /**
   * `<app>/overlays/<environment>/secrets`: the secret resources, their own Application synced
   * first. Every one of them names where this environment's secret lives (region, role, remote key),
   * so they have no shared base.
   */
  readonly secrets: string;
  /** `<app>/overlays/<environment>`: the base with this environment's objects, patches and image tags. */
  readonly overlay: string;
}

/** One application, resolved. */
export interface ResolvedApp {
  /** Name. */
  readonly name: string;
  /** Construct id of the CloudFormation stack holding its AWS resources (`<platform>-<stack>`). */
  readonly stackId: string;
  /** Prefix of its CloudFormation output names (letters and digits). */
  readonly outputPrefix: string;
  /** Namespace. */
  readonly namespace: string;
  /** Host. */
  readonly host: string;
  /** Replicas. */
  readonly replicas: number;
  /** Delivery mode. */
  readonly delivery: DeliveryMode;
  /** Image update settings (delivery `image-updater`). */
  readonly imageUpdate: ResolvedImageUpdate;
  /** CI repository and role. */
  readonly ci: ResolvedCi;
  /** Containers. */
  readonly containers: ResolvedContainer[];
  /**
   * Whether a container listens on a port below 1024: the pod then sets the safe sysctl
   * `net.ipv4.ip_unprivileged_port_start=0`, so its non-root processes may bind it.
   */
  readonly bindsPrivilegedPort: boolean;
  /** The container whose tag the migration follows (the first one). */
  readonly releaseContainer: ResolvedContainer;
  /** Ingress. */
  readonly ingress: ResolvedIngress;
  /** Migration, if any. */
  readonly migration?: ResolvedMigration;
  /** Secret, if any. */
  readonly secret?: ResolvedSecret;
  /** ExternalDNS ServiceAccount and role. */
  readonly externalDns: ServiceAccountRole;
  /** ExternalDNS TXT owner id. */
  readonly externalDnsOwnerId: string;
  /** Paths in the manifest repository. */
  readonly paths: ResolvedAppPaths;
  /**
   * Its Argo CD Application: a child of the root app-of-apps, or, with the argocd-cli delivery,
   * what its release workflow upserts.
   */
  readonly application: ResolvedChildApplication;
  /** The roles of the app's ServiceAccounts (its migration's and its add-ons'), created in the app's stack. */
  readonly workloadRoles: ResolvedWorkloadRole[];
}
