/**
 * The platform spec: one typed description of the whole GitOps platform.
 *
 * It is what `platform.yaml` holds (see `platform.schema.json` for editor completion) and what a
 * TypeScript program may build by hand. Every field that has a default is optional. `PlatformSpecLoader`
 * validates a spec and returns it as given; the defaults (each field's `@default`) are filled in when
 * the spec is resolved (`Platform.resolve`), which is what the rest of the library reads.
 */
export interface PlatformSpec {
  /**
   * Name of the platform: prefixes every physical name (IAM roles, ECR repositories, the cluster).
   * A DNS-1123 label of at most 20 characters, so derived role names stay readable within IAM's
   * 64-character limit.
   */
  readonly name: string;

  /**
   * Environment name: the overlay directory (`<app>/overlays/<environment>/`) and the `env` label, for
   * a platform of one environment. A platform of several lists them in `environments` instead.
   * @default 'production'
   */
  readonly environment?: string;

  /**
   * The environments (staging, production, ...), each its own cluster in its own account and region,
   * sharing one manifest repository and one set of images. The rest of the spec is what every
   * environment starts from; each says what differs. The first follows new releases (its apps'
   * `delivery`); each later one moves only by a promotion pull request from another.
   * @default - one environment, named `environment`
   */
  readonly environments?: EnvironmentSpec[];

  /**
   * Where the images live, with several environments.
   * @default - the first environment's account and region
   */
  readonly registry?: RegistrySpec;

  /** Where the platform runs in AWS. */
  readonly aws: AwsSpec;

  /**
   * The EKS cluster.
   * @default - Kubernetes 1.35, two t3.medium nodes (scaling 2 to 4)
   */
  readonly cluster?: ClusterSpec;

  /** GitHub: the owner of the repositories, the manifest repository, and the OIDC provider. */
  readonly github: GitHubSpec;

  /** DNS: the domain ExternalDNS manages and its Route 53 hosted zone. */
  readonly dns: DnsSpec;

  /**
   * Where application secrets come from.
   * @default - AWS Secrets Manager through External Secrets
   */
  readonly secrets?: SecretsSpec;

  /**
   * Argo CD settings.
   * @default - namespace `argocd`, project named after the platform, automated sync with prune and self-heal
   */
  readonly argocd?: ArgoCdSpec;

  /**
   * How the platform's pods get AWS credentials: IAM roles for service accounts (the cluster's OIDC
   * provider) or EKS Pod Identity (an association per ServiceAccount; no OIDC provider, roles
   * reusable across clusters). Each add-on (`addons.<name>.workloadIdentity`) and each application
   * (`apps[].workloadIdentity`) may choose otherwise; an add-on that cannot use Pod Identity keeps IRSA.
   * @default WorkloadIdentity.IRSA
   */
  readonly workloadIdentity?: WorkloadIdentity;

  /**
   * Settings of the platform's add-ons, by add-on.
   * @default - every add-on with its defaults
   */
  readonly addons?: AddonsSpec;

  /** The applications the platform runs. At least one. */
  readonly apps: AppSpec[];
}

/**
 * One environment of a platform: a cluster of its own, in its account and region, and what its
 * applications do differently there. Unset fields are the spec's top-level values.
 */
export interface EnvironmentSpec {
  /**
   * Environment name: a DNS-1123 label of at most 20 characters. It names the overlay directory
   * (`<app>/overlays/<name>/`) and qualifies every physical name (`<platform>-<name>-...`).
   */
  readonly name: string;

  /**
   * Where the environment runs in AWS.
   * @default - the spec's `aws`
   */
  readonly aws?: EnvironmentAwsSpec;

  /**
   * The environment's cluster: these fields replace the spec's `cluster` fields they name (the node
   * group's fields one by one, `controllers` workload by workload). A field left out inherits the
   * spec's, not the `@default` of `ClusterSpec`.
   * @default - the spec's `cluster`
   */
  readonly cluster?: ClusterSpec;

  /**
   * The environment's DNS zone.
   * @default - the spec's `dns`
   */
  readonly dns?: DnsSpec;

  /**
   * The environment whose running image tags a promotion pull request copies here. The first
   * environment follows releases and is promoted from nothing.
   * @default - the environment before this one
   */
  readonly promoteFrom?: string;

  /**
   * What the applications do differently in this environment, by application name.
   * @default - nothing
   */
  readonly apps?: AppEnvironmentSpec[];
}

/** An environment's AWS account and region. */
export interface EnvironmentAwsSpec {
  /**
   * AWS region.
   * @default - the spec's `aws.region`
   */
  readonly region?: string;

  /**
   * AWS account id (12 digits).
   * @default - the spec's `aws.account`, else the account resolved for the spec
   */
  readonly account?: string;
}

/** What one application does differently in one environment. */
export interface AppEnvironmentSpec {
  /** Name of the application (`apps[].name`). */
  readonly name: string;

  /**
   * Host name in this environment, under the environment's DNS domain.
   * @default - the application's `host`
   */
  readonly host?: string;

  /**
   * Number of pods.
   * @default - the application's `replicas`
   */
  readonly replicas?: number;

  /**
   * ACM certificate ARN for the environment's host.
   * @default - the load balancer controller discovers a certificate by host name
   */
  readonly certificateArn?: string;

  /**
   * Resources of containers, by container name.
   * @default - the containers' own
   */
  readonly containers?: ContainerEnvironmentSpec[];

  /**
   * How the Image Updater moves tags here (the first environment only: the others are promoted).
   * @default - the application's `imageUpdate`
   */
  readonly imageUpdate?: ImageUpdateSpec;

  /**
   * The migration's AWS permissions here, instead of `migration.permissions`: resources such as a
   * database user are in this environment's account.
   * @default - the application's `migration.permissions`
   */
  readonly migrationPermissions?: PermissionSpec[];
}

/** What one container does differently in one environment. */
export interface ContainerEnvironmentSpec {
  /** Name of the container (`apps[].containers[].name`). */
  readonly name: string;

  /**
   * Its resources in this environment. A field left out inherits the container's
   * (`apps[].containers[].resources`), not the `@default` of `ResourcesSpec`.
   */
  readonly resources: ResourcesSpec;
}

/** Where the images live. */
export interface RegistrySpec {
  /**
   * The environment whose account and region hold the ECR repositories and the CI roles: images are
   * built once, pushed there, and pulled by every environment's nodes.
   * @default - the first environment
   */
  readonly environment?: string;
}

/** How pods get AWS credentials. */
export enum WorkloadIdentity {
  /**
   * IAM roles for service accounts: the ServiceAccount is annotated with its role, which trusts the
   * cluster's OIDC provider for that one namespace and name.
   */
  IRSA = 'irsa',
  /**
   * EKS Pod Identity: the `eks-pod-identity-agent` add-on and an association per ServiceAccount; the
   * role trusts `pods.eks.amazonaws.com`, for that namespace, name and cluster only.
   */
  POD_IDENTITY = 'pod-identity',
}

/** Settings of the built-in add-ons. */
export interface AddonsSpec {
  /**
   * ExternalDNS (one instance per application).
   * @default - the platform's workload identity
   */
  readonly externalDns?: AddonSpec;

  /**
   * External Secrets Operator. Its per-namespace SecretStores authenticate as a ServiceAccount of
   * their namespace, which EKS Pod Identity does not support: it always uses IRSA.
   * @default - IRSA
   */
  readonly externalSecrets?: AddonSpec;

  /**
   * Argo CD Image Updater.
   * @default - the platform's workload identity
   */
  readonly imageUpdater?: AddonSpec;

  /**
   * The AWS Load Balancer Controller. aws-cdk-lib's controller construct binds its ServiceAccount
   * with IRSA, so `pod-identity` is refused here.
   * @default - IRSA
   */
  readonly loadBalancerController?: AddonSpec;

  /**
   * The argocd-vault-plugin, with `secrets.backend: vault-plugin`. It reads Vault with Kubernetes
   * auth and has no AWS role, so its `workloadIdentity` changes nothing.
   * @default - the platform's workload identity
   */
  readonly vaultPlugin?: AddonSpec;
}

/** Settings every add-on has. */
export interface AddonSpec {
  /**
   * How the add-on's pods get AWS credentials.
   * @default - the platform's `workloadIdentity`
   */
  readonly workloadIdentity?: WorkloadIdentity;
}

/** Where the platform runs in AWS. */
export interface AwsSpec {
  /** AWS region, e.g. `ap-northeast-1`. */
  readonly region: string;

  /**
   * AWS account id (12 digits).
   * @default - the environment (`CDK_DEFAULT_ACCOUNT`, `AWS_ACCOUNT_ID`), then STS `GetCallerIdentity`
   */
  readonly account?: string;
}

/** The EKS cluster. */
export interface ClusterSpec {
  /**
   * Kubernetes version, `major.minor`.
   * @default '1.35'
   */
  readonly version?: string;

  /**
   * The managed node group.
   * @default - two t3.medium nodes, scaling between 2 and 4
   */
  readonly nodes?: NodeGroupSpec;

  /**
   * IAM role ARNs granted cluster-admin through EKS access entries (people and pipelines that run kubectl).
   * @default [] - none besides the stack's own deployment role
   */
  readonly adminRoleArns?: string[];

  /**
   * CIDR block of the VPC the stack creates.
   * @default '10.0.0.0/16'
   */
  readonly vpcCidr?: string;

  /**
   * Availability zones the VPC spans (2 or 3): the first ones of the region at deploy time.
   * @default 2
   */
  readonly maxAzs?: number;

  /**
   * IPv4 CIDR blocks that may reach the cluster's public API endpoint (kubectl, and the stack's own
   * deployment). An empty list makes the endpoint private: only reachable from inside the VPC.
   * @default ['0.0.0.0/0'] - the public endpoint is open to any address (the API still requires IAM authentication)
   */
  readonly publicAccessCidrs?: string[];

  /**
   * Resource requests and limits (and the webhooks' replicas) of the controllers the stack installs
   * with Helm: Argo CD, External Secrets Operator and the AWS Load Balancer Controller. Each field
   * replaces that one value of the workload's default; an environment's `cluster.controllers` is
   * merged over these workload by workload.
   * @default - each workload's default (docs/spec-reference.md, `cluster.controllers`)
   */
  readonly controllers?: ControllersSpec;
}

/**
 * The controllers the stack installs with Helm, by workload. Every container gets requests and a
 * memory limit; a CPU limit only where one is given (a throttled controller or webhook answers late).
 */
export interface ControllersSpec {
  /** Argo CD's application controller (StatefulSet `argocd-application-controller`). */
  readonly argocdApplicationController?: ControllerSpec;
  /** Argo CD's repo-server, which renders the manifests (`argocd-repo-server`). */
  readonly argocdRepoServer?: ControllerSpec;
  /** Argo CD's API server and UI (`argocd-server`). */
  readonly argocdServer?: ControllerSpec;
  /** Argo CD's ApplicationSet controller (`argocd-applicationset-controller`). */
  readonly argocdApplicationSet?: ControllerSpec;
  /** Argo CD's notifications controller (`argocd-notifications-controller`). */
  readonly argocdNotifications?: ControllerSpec;
  /** Argo CD's Dex server (`argocd-dex-server`). */
  readonly argocdDex?: ControllerSpec;
  /** Argo CD's Redis cache (`argocd-redis`). */
  readonly argocdRedis?: ControllerSpec;
  /** External Secrets Operator's controller (`external-secrets`). */
  readonly externalSecrets?: ControllerSpec;
  /** External Secrets Operator's webhook certificate controller (`external-secrets-cert-controller`). */
  readonly externalSecretsCertController?: ControllerSpec;
  /** External Secrets Operator's webhook (`external-secrets-webhook`), with a PodDisruptionBudget. */
  readonly externalSecretsWebhook?: WebhookControllerSpec;
  /** The AWS Load Balancer Controller and its webhooks (`aws-load-balancer-controller`), with a PodDisruptionBudget. */
  readonly loadBalancerController?: WebhookControllerSpec;
}

/** Resource requests and limits of one controller's container. */
export interface ControllerSpec {
  /**
   * CPU request, e.g. `100m`.
   * @default - the workload's default
   */
  readonly cpuRequest?: string;

  /**
   * CPU limit.
   * @default - none
   */
  readonly cpuLimit?: string;

  /**
   * Memory request, e.g. `128Mi`.
   * @default - the workload's default
   */
  readonly memoryRequest?: string;

  /**
   * Memory limit.
   * @default - the workload's default
   */
  readonly memoryLimit?: string;
}

/** A controller that serves an admission webhook: its resources and its replicas. */
export interface WebhookControllerSpec extends ControllerSpec {
  /**
   * Replicas; at least 2, so that a node drain (the PodDisruptionBudget lets one pod go at a time)
   * never leaves the webhook without endpoints.
   * @default 2
   */
  readonly replicas?: number;
}

/** The managed node group. */
export interface NodeGroupSpec {
  /**
   * EC2 instance types, e.g. `t3.medium`.
   * @default ['t3.medium']
   */
  readonly instanceTypes?: string[];

  /**
   * Smallest number of nodes.
   * @default 2
   */
  readonly minSize?: number;

  /**
   * Largest number of nodes.
   * @default - 4, or `minSize` when that is larger
   */
  readonly maxSize?: number;

  /**
   * Number of nodes at creation.
   * @default - minSize
   */
  readonly desiredSize?: number;

  /**
   * Root volume size in GiB.
   * @default 20
   */
  readonly diskSize?: number;
}

/** GitHub: the owner of the repositories, the manifest repository, and the OIDC provider. */
export interface GitHubSpec {
  /** Owner (user or organisation) of the application and manifest repositories. */
  readonly owner: string;

  /**
   * Numeric id of the owner (user or organisation). GitHub's OIDC tokens name a repository created
   * since 15 July 2026 (or one that opted in) as `repo:<owner>@<ownerId>/<name>@<repositoryId>:...`,
   * the immutable subject form the CI roles trust by default; find it with
   * `gh api repos/<owner>/<repository> --jq .owner.id`.
   * @default - none; required while any application's `ci.subjectFormat` is `immutable`
   */
  readonly ownerId?: string;

  /** The manifest repository Argo CD pulls: where `cdk8s synth` output is committed. */
  readonly manifestRepository: ManifestRepositorySpec;

  /**
   * ARN of an existing GitHub Actions OIDC provider. An account holds only one provider per URL, so a
   * second platform in the same account must import the first one's.
   * @default - the stack creates the provider
   */
  readonly oidcProviderArn?: string;
}

/** The manifest repository Argo CD pulls. */
export interface ManifestRepositorySpec {
  /** Repository name under `github.owner`. */
  readonly name: string;

  /**
   * Branch Argo CD tracks.
   * @default 'main'
   */
  readonly branch?: string;

  /**
   * Whether Argo CD needs credentials to read the repository. `public` must be chosen explicitly.
   * @default RepositoryAccess.PRIVATE
   */
  readonly access?: RepositoryAccess;

  /**
   * Where Argo CD's credentials for a private repository come from.
   * @default - a GitHub App, its keys in the Secrets Manager secret `<platform>/argocd/manifest-repository`
   */
  readonly credentials?: RepositoryCredentialsSpec;
}

/** Whether a Git repository needs credentials. */
export enum RepositoryAccess {
  /** Argo CD reads it with credentials from AWS Secrets Manager. */
  PRIVATE = 'private',
  /** Anyone may read it; Argo CD uses no credentials. */
  PUBLIC = 'public',
}

/** Kinds of Git credentials Argo CD can use. */
export enum RepositoryCredentialsType {
  /** A GitHub App: keys `githubAppID`, `githubAppInstallationID`, `githubAppPrivateKey`. */
  GITHUB_APP = 'github-app',
  /** A user name and token (a fine-grained personal access token): keys `username`, `password`. */
  TOKEN = 'token',
  /** An SSH deploy key: key `sshPrivateKey`; the repository is then read over SSH. */
  SSH = 'ssh',
}

/** Where Argo CD's credentials for the manifest repository come from. */
export interface RepositoryCredentialsSpec {
  /**
   * The kind of credentials the secret holds.
   * @default RepositoryCredentialsType.GITHUB_APP
   */
  readonly type?: RepositoryCredentialsType;

  /**
   * Name of the AWS Secrets Manager secret (a JSON object with the keys of `type`), in the platform's
   * account and region. It must start with `<platform>/argocd/`, the prefix the reader role may read.
   * @default '<platform>/argocd/manifest-repository'
   */
  readonly secretName?: string;
}

/** DNS: the domain ExternalDNS manages and its Route 53 hosted zone. */
export interface DnsSpec {
  /** The domain ExternalDNS may write records under (its `--domain-filter`), e.g. `example.com`. */
  readonly domain: string;

  /** Id of the public Route 53 hosted zone of `domain`, e.g. `Z0123456789ABCDEFGHIJ`. */
  readonly hostedZoneId: string;
}

/** Secret backends. */
export enum SecretBackend {
  /** AWS Secrets Manager read by External Secrets Operator through IRSA (recommended). */
  SECRETS_MANAGER = 'secrets-manager',
  /** HashiCorp Vault read by External Secrets Operator's Vault provider. */
  VAULT = 'vault',
  /** HashiCorp Vault rendered into manifests by argocd-vault-plugin in the Argo CD repo-server. */
  VAULT_PLUGIN = 'vault-plugin',
}

/** Where application secrets come from. */
export interface SecretsSpec {
  /**
   * The secret backend.
   * @default SecretBackend.SECRETS_MANAGER
   */
  readonly backend?: SecretBackend;

  /**
   * Vault settings; required when the backend is `vault` or `vault-plugin`.
   * @default - none
   */
  readonly vault?: VaultSpec;
}

/** HashiCorp Vault settings. */
export interface VaultSpec {
  /** Vault address, e.g. `https://vault.example.com:8200`. */
  readonly address: string;

  /**
   * Mount path of the KV version 2 engine holding `<namespace>/<app>` secrets.
   * @default 'kv'
   */
  readonly kvMount?: string;

  /**
   * Kubernetes auth mount path in Vault.
   * @default 'kubernetes'
   */
  readonly authMount?: string;

  /**
   * Vault role that the Kubernetes auth method maps the reading ServiceAccount to.
   * @default - the platform name
   */
  readonly role?: string;
}

/** Argo CD settings. */
export interface ArgoCdSpec {
  /**
   * Namespace Argo CD runs in; also where Applications and ImageUpdater resources live.
   * @default 'argocd'
   */
  readonly namespace?: string;

  /**
   * Name of the AppProject every Application belongs to.
   * @default - the platform name
   */
  readonly project?: string;

  /**
   * Sync policy of the child Applications.
   * @default - automated, prune and self-heal
   */
  readonly syncPolicy?: SyncPolicySpec;

  /**
   * Whether Argo CD is the EKS managed capability (`AWS::EKS::Capability`) instead of the Helm chart.
   * It signs users in through IAM Identity Center (`identityCenter` is then required) and runs no
   * config management plugins.
   * @default false
   */
  readonly managed?: boolean;

  /**
   * IAM Identity Center of the managed capability.
   * @default - none; required when `managed` is true
   */
  readonly identityCenter?: IdentityCenterSpec;

  /**
   * The environment whose Argo CD manages every environment's cluster (hub and spokes): only that
   * environment runs Argo CD; it registers each other cluster by ARN, and each other cluster gives
   * its capability role an access entry scoped to the namespaces the platform deploys there. Only
   * with several `environments`, and for now only with `managed: true`; when an application is
   * delivered by the Image Updater, the hub must be the first environment (where releases arrive).
   * @default - each environment's cluster runs its own Argo CD
   */
  readonly hub?: string;
}

/** IAM Identity Center settings of the EKS managed Argo CD. */
export interface IdentityCenterSpec {
  /** ARN of the Identity Center instance, e.g. `arn:aws:sso:::instance/ssoins-0123456789abcdef`. */
  readonly instanceArn: string;

  /**
   * Region of the Identity Center instance.
   * @default - the platform region
   */
  readonly region?: string;

  /**
   * Identity Center group ids whose members are Argo CD admins.
   * @default [] - none
   */
  readonly adminGroupIds?: string[];
}

/** Sync policy of the child Applications. */
export interface SyncPolicySpec {
  /**
   * Sync automatically when the repository changes.
   * @default true
   */
  readonly automated?: boolean;

  /**
   * Delete resources that left the repository (only with automated sync).
   * @default true
   */
  readonly prune?: boolean;

  /**
   * Revert changes made in the cluster (only with automated sync).
   * @default true
   */
  readonly selfHeal?: boolean;
}

/** How a new image version reaches the cluster. */
export enum DeliveryMode {
  /** Argo CD Image Updater notices the new tag in ECR and rolls it out. */
  IMAGE_UPDATER = 'image-updater',
  /** The build workflow opens a pull request on the manifest repository that sets the new tag. */
  PULL_REQUEST = 'pull-request',
  /** The build workflow upserts the Argo CD Application with `argocd app create --upsert`. */
  ARGOCD_CLI = 'argocd-cli',
}

/** Image Updater strategies: how the newest allowed tag is chosen. */
export enum UpdateStrategy {
  /** Highest semantic version (tags such as `v1.2.3`). */
  SEMVER = 'semver',
  /** Most recently built image. */
  NEWEST_BUILD = 'newest-build',
  /** Newest digest of one mutable tag. */
  DIGEST = 'digest',
  /** Last tag in alphabetical order. */
  ALPHABETICAL = 'alphabetical',
}

/** Where the Image Updater records a new tag. */
export enum WriteBackMethod {
  /** Patch the Application's kustomize image override in the cluster (no commit). */
  ARGOCD = 'argocd',
  /** Commit the new tag to the overlay's kustomization in the manifest repository. */
  GIT = 'git',
}

/** One application. */
export interface AppSpec {
  /** Application name: a DNS-1123 label, unique in the platform. */
  readonly name: string;

  /**
   * Namespace the application runs in; unique per application.
   * @default - the application name
   */
  readonly namespace?: string;

  /** Host name the application is served on; must be under `dns.domain`, and no other app's host. */
  readonly host: string;

  /**
   * The CloudFormation stack that holds the application's AWS resources (ECR repositories, CI and
   * workload roles): `<platform>-<stack>`. An application never moves between stacks on its own, so
   * adding or removing other applications never touches it. Give large platforms a few stacks (about
   * 40 applications fit in one).
   * @default - the platform stack `<platform>-platform`
   */
  readonly stack?: string;

  /**
   * Number of pods.
   * @default 2
   */
  readonly replicas?: number;

  /** The application's source repository and the GitHub Actions role its workflow assumes. */
  readonly ci: CiSpec;

  /**
   * How a new image version reaches the cluster.
   * @default DeliveryMode.IMAGE_UPDATER
   */
  readonly delivery?: DeliveryMode;

  /**
   * How the Image Updater chooses and records new tags (delivery `image-updater` only).
   * @default - semver, written back through Argo CD (through Git with several environments)
   */
  readonly imageUpdate?: ImageUpdateSpec;

  /** The containers of the application's pod. At least one; exactly one receives the Ingress traffic. */
  readonly containers: ContainerSpec[];

  /**
   * The ALB Ingress.
   * @default - traffic to the first container with a port, health check on `/`
   */
  readonly ingress?: IngressSpec;

  /**
   * The database migration run as an Argo CD PreSync hook, with the same tag as the application.
   * @default - no migration
   */
  readonly migration?: MigrationSpec;

  /**
   * The secret the application reads.
   * @default - no secret
   */
  readonly secret?: AppSecretSpec;
  /**
   * How the application's pods (its ExternalDNS, its migration) get AWS credentials.
   * @default - the add-on's choice, else the platform's `workloadIdentity`
   */
  readonly workloadIdentity?: WorkloadIdentity;
}

/** Forms of the `sub` claim of GitHub Actions OIDC tokens. */
export enum SubjectFormat {
  /**
   * `repo:<owner>@<ownerId>/<name>@<repositoryId>:...`: immutable ids, so a renamed or re-created
   * repository of the same name cannot assume the role. GitHub's default for repositories created
   * since 15 July 2026, and for older ones that opted in.
   */
  IMMUTABLE = 'immutable',
  /** `repo:<owner>/<name>:...`: the name form of repositories created before 15 July 2026. */
  NAME = 'name',
}

/** The application's source repository and the GitHub Actions role its workflow assumes. */
export interface CiSpec {
  /** Repository name under `github.owner`. */
  readonly repository: string;

  /**
   * Which form of the OIDC `sub` claim the CI role trusts: what GitHub sends for this repository.
   * `gh api repos/<owner>/<repository>/actions/oidc/customization/sub --jq .sub_claim_prefix` shows it.
   * @default SubjectFormat.IMMUTABLE - the form of every repository created since 15 July 2026
   */
  readonly subjectFormat?: SubjectFormat;

  /**
   * Numeric id of the repository, for the immutable subject form (`gh api repos/<owner>/<repository> --jq .id`).
   * @default - none; required with the immutable subject form
   */
  readonly repositoryId?: string;

  /**
   * Git tag patterns (`*` wildcards) whose workflows may assume the role, e.g. `v*`.
   * @default ['v*']
   */
  readonly tagPatterns?: string[];

  /**
   * Branches whose workflows may assume the role.
   * @default [] - none
   */
  readonly branches?: string[];

  /**
   * GitHub deployment environments whose jobs may assume the role.
   * @default [] - none
   */
  readonly environments?: string[];

  /**
   * Whether pull-request workflows may assume the role (they run code from forks' authors).
   * @default false
   */
  readonly pullRequests?: boolean;

  /**
   * Paths (globs) of deployment files in the application repository: a release whose changes since
   * the previous release touch only these reuses the previous images under the new tag instead of
   * rebuilding them.
   * @default ['deploy/**', 'k8s/**', '.github/**', '**\/*.md']
   */
  readonly deployPaths?: string[];
}

/** How the Image Updater chooses and records new tags. */
export interface ImageUpdateSpec {
  /**
   * How the newest tag is chosen.
   * @default UpdateStrategy.SEMVER
   */
  readonly strategy?: UpdateStrategy;

  /**
   * Regular expression a tag must match to be considered.
   * @default - `^v?[0-9]+\.[0-9]+\.[0-9]+$` for semver, any tag otherwise
   */
  readonly allowTags?: string;

  /**
   * Where the new tag is recorded.
   * @default - `WriteBackMethod.ARGOCD` for a platform of one environment; `WriteBackMethod.GIT` with
   * several environments
   */
  readonly writeBack?: WriteBackMethod;
}

/** Resource requests and limits of a container. */
export interface ResourcesSpec {
  /**
   * CPU request, e.g. `200m`.
   * @default '200m'
   */
  readonly cpuRequest?: string;

  /**
   * CPU limit.
   * @default '400m'
   */
  readonly cpuLimit?: string;

  /**
   * Memory request, e.g. `64Mi`.
   * @default '64Mi'
   */
  readonly memoryRequest?: string;

  /**
   * Memory limit.
   * @default '128Mi'
   */
  readonly memoryLimit?: string;
}

/** One container of the application's pod, built from its own Dockerfile into its own ECR repository. */
export interface ContainerSpec {
  /** Container name: a DNS-1123 label, unique in the application. */
  readonly name: string;

  /**
   * ECR repository name of the image.
   * @default '<platform>/<app>/<container>'
   */
  readonly repository?: string;

  /**
   * Tag first deployed, before the Image Updater or the pipeline moves it. Never `latest`.
   * @default 'v0.0.1'
   */
  readonly tag?: string;

  /**
   * Dockerfile path in the application repository, relative to its root, for the build workflow.
   * @default 'Dockerfile'
   */
  readonly dockerfile?: string;

  /**
   * Port the container listens on.
   * @default - none (a sidecar that receives no traffic)
   */
  readonly port?: number;

  /**
   * Plain environment variables.
   * @default - none
   */
  readonly env?: { [name: string]: string };

  /**
   * Environment variables read from the application's secret: variable name → secret key.
   * @default - none
   */
  readonly secretEnv?: { [name: string]: string };

  /**
   * Resource requests and limits.
   * @default - 200m/400m CPU, 64Mi/128Mi memory
   */
  readonly resources?: ResourcesSpec;
}

/** The ALB Ingress. */
export interface IngressSpec {
  /**
   * Name of the container that receives the traffic (it must have a port).
   * @default - the first container with a port
   */
  readonly container?: string;

  /**
   * Health check path of the ALB target group.
   * @default '/'
   */
  readonly healthCheckPath?: string;

  /**
   * Whether the load balancer faces the internet.
   * @default true
   */
  readonly internetFacing?: boolean;

  /**
   * ACM certificate ARN for HTTPS.
   * @default - the load balancer controller discovers a certificate by host name
   */
  readonly certificateArn?: string;

  /**
   * ALB group name: Ingresses sharing it share one load balancer, so they must agree on
   * `internetFacing` (the load balancer controller reconciles no Ingress of a group whose members
   * disagree on the scheme).
   * @default - the platform name for internet-facing apps, `<platform>-internal` for internal ones
   */
  readonly groupName?: string;
}

/** The database migration, run as an Argo CD PreSync hook before the new version rolls out. */
export interface MigrationSpec {
  /**
   * ECR repository name of the migration image.
   * @default '<platform>/<app>/migration'
   */
  readonly repository?: string;

  /**
   * Dockerfile path in the application repository.
   * @default 'Dockerfile.migration'
   */
  readonly dockerfile?: string;

  /** Command to run, e.g. `['/app/migrate', 'up']`. */
  readonly command: string[];

  /**
   * Seconds the Job may run, all attempts together, before it is stopped and the sync fails. With
   * `argocd.managed: true` at most 90: the EKS managed Argo CD ends every sync 120 s after it starts.
   * @default - 600; 90 with `argocd.managed: true`
   */
  readonly deadlineSeconds?: number;

  /**
   * How many times a failed migration pod is retried (the Job's `backoffLimit`), so that one
   * transient database error does not fail the release. The migration must be safe to re-run.
   * @default 2
   */
  readonly retries?: number;

  /**
   * AWS permissions of the migration Job's pods (for example `rds-db:connect`). With any, the Job's
   * ServiceAccount gets a role of its own that grants exactly these.
   * @default - none: the Job gets no AWS role (images are pulled by the node, not the pod)
   */
  readonly permissions?: PermissionSpec[];

  /**
   * Environment variables read from the application's secret: variable name → secret key.
   * @default - none
   */
  readonly secretEnv?: { [name: string]: string };

  /**
   * Resource requests and limits.
   * @default - 200m/400m CPU, 64Mi/128Mi memory
   */
  readonly resources?: ResourcesSpec;
}

/** One IAM permission statement: actions allowed on resources. */
export interface PermissionSpec {
  /** IAM actions such as `rds-db:connect`; no `*` alone. */
  readonly actions: string[];

  /** Resource ARNs the actions apply to; no `*` alone. */
  readonly resources: string[];
}

/** The secret an application reads, copied into a Kubernetes Secret by External Secrets. */
export interface AppSecretSpec {
  /**
   * Name of the Kubernetes Secret.
   * @default '<app>-secrets'
   */
  readonly name?: string;

  /**
   * Name of the secret in AWS Secrets Manager (a JSON object holding `keys`); it must start with
   * `<platform>/<app>/`, the prefix the External Secrets role may read.
   * @default '<platform>/<app>/<name>'
   */
  readonly remoteKey?: string;

  /** The keys (JSON properties) the application needs. */
  readonly keys: string[];

  /**
   * How often External Secrets refreshes the Secret.
   * @default '1h'
   */
  readonly refreshInterval?: string;
}
