// Resolution's result, types only: `ResolvedPlatform` and its parts, what the constructs, charts and
// workflows read. resolve.ts (the entry point) and resolve/core.ts (one environment's core) compute it.
// The add-ons' contract (`PlatformAddon`) is here too: a resolved platform carries the add-ons it
// runs, and their hooks are given the resolved platform, so the two are one set of types.
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { App } from 'cdk8s';
import type { Construct, IDependable } from 'constructs';
import type { ArgoCdMode } from './argocd-mode';
import type { GitHubSubjectFilter } from './github-subjects';
import type { ArrayField, BooleanField, IntegerField, ObjectField, StringField, StringMapField } from './shape';
import type {
  DatabaseDeployment,
  DatabaseEngine,
  PlatformSpec,
  ComputeMode,
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
  /**
   * The add-ons the platform runs, of those it was resolved with, each with its spec section: the
   * stacks and the manifest tree call their hooks.
   *
   * @jsii ignore
   */
  readonly addons: readonly AddonInUse[];
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
  /**
   * With EKS Auto Mode (`cluster.compute.mode` `auto-mode`), the IngressClass of each ALB group the
   * stack applies, with its `IngressClassParams`; empty otherwise (the load balancer controller's
   * chart creates the one class `alb`).
   */
  readonly ingressClasses: ResolvedIngressClass[];
}

/**
 * An IngressClass of EKS Auto Mode's load balancing (controller `eks.amazonaws.com/alb`) and its
 * `IngressClassParams`: what EKS Auto Mode takes per load balancer and not from an Ingress
 * annotation (the group, which it does not read from `alb.ingress.kubernetes.io/group.name`), and
 * what every Ingress of the group shares (scheme, certificates).
 */
export interface ResolvedIngressClass {
  /** Name of the IngressClass and of its IngressClassParams: `alb-<group>`. */
  readonly name: string;
  /** The ALB group: every Ingress of the class shares one load balancer. */
  readonly groupName: string;
  /** Internet-facing or internal. */
  readonly internetFacing: boolean;
  /** The ACM certificates of the group's applications, in the order of the apps; empty to discover them by host. */
  readonly certificateArns: string[];
  /** The applications whose Ingresses use it. */
  readonly apps: string[];
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
  /**
   * The read-only role the promotion workflows assume to verify the signatures of the images they
   * copy (set on every environment when one is promoted from another and an application signs its
   * images; the environment that holds the images creates it).
   */
  readonly promotionRole?: ResolvedPromotionRole;
  /**
   * The preview repositories and preview build roles it holds, one entry per app with previews
   * (set on the environment that holds the images, from the environment that runs the previews).
   */
  readonly previews: ResolvedHeldPreviews[];
  /**
   * The platform's image signing key, in the registry environment's account and region (set on every
   * environment when an application signs its images and is delivered by the Image Updater; the
   * environment that holds the images creates it).
   */
  readonly signingKey?: ResolvedSigningKey;
}

/**
 * The platform's image signing key: an asymmetric AWS KMS key (ECC_NIST_P256, SIGN_VERIFY) the release
 * workflows of the applications delivered by the Image Updater sign with a second time, after the
 * keyless signature, because the Image Updater verifies cosign signatures by public key only. Its
 * private half never leaves KMS; the Image Updater gets its public key as a Secret.
 */
export interface ResolvedSigningKey {
  /** The key's alias, `alias/<platform>-image-signing`: fixed, so every environment names the key before it exists. */
  readonly aliasName: string;
  /** The alias's ARN, in the registry environment's account and region. */
  readonly aliasArn: string;
  /** What cosign's `--key` names: `awskms:///<alias ARN>`. */
  readonly cosignKey: string;
  /** The applications whose release workflow signs with it. */
  readonly apps: string[];
  /** The Secret in the Image Updater's namespace that holds the public key (PEM), where the Image Updater runs. */
  readonly secretName: string;
  /** The key of that Secret's data that holds the PEM. */
  readonly secretKey: string;
}

/**
 * The AWS side of one app's previews, in the environment that holds the images: its preview
 * repositories and the role the preview build workflow pushes to them with. The previews themselves
 * run in the environment releases arrive in (`previewEnvironment`), which may be another.
 */
export interface ResolvedHeldPreviews {
  /** The app. */
  readonly app: string;
  /** The environment whose cluster runs the previews (and whose nodes pull these images). */
  readonly previewEnvironment: string;
  /** The preview repositories (`ResolvedPreviews.images`). */
  readonly images: ResolvedPreviewImage[];
  /** Days ECR keeps a preview image. */
  readonly imageExpiryDays: number;
  /** The preview build role (`ResolvedPreviews.buildRole`). */
  readonly buildRole: ResolvedRole;
}

/**
 * The role of the manifest repository's promotion workflows, in the registry environment's account:
 * trusted by the workflow runs of the manifest branch only, and allowed to read (never write) the
 * repositories of the applications that sign their images, which `cosign verify` reads.
 */
export interface ResolvedPromotionRole extends ResolvedRole {
  /** The manifest repository's workflow runs on its branch, in the subject form the spec gives ids for. */
  readonly subjects: GitHubSubjectFilter;
  /** The ECR repositories it may read: every image of each application that signs. */
  readonly repositoryArns: string[];
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
  /** How the nodes are provided. */
  readonly compute: ComputeMode;
  /**
   * With Karpenter (`compute` `karpenter`), the role of the nodes it launches,
   * `<qualifiedName>-karpenter-node`: its EC2NodeClass names it, and another environment's
   * repository policies let it pull, beside the node group's role.
   * @default - none: no Karpenter
   */
  readonly karpenterNodeRoleName?: string;
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
  /** Numeric repository id (`github.manifestRepository.repositoryId`), for the immutable OIDC subject form. */
  readonly repositoryId?: string;
}

/**
 * A Secrets Manager secret that External Secrets copies, key by key, into one Kubernetes Secret in
 * Argo CD's namespace, through a SecretStore of its own whose ServiceAccount's role may read that one
 * secret: the manifest repository's credentials and deploy feedback's GitHub App.
 */
export interface ResolvedCopiedSecret {
  /** Secrets Manager secret name. */
  readonly secretName: string;
  /** ARN pattern matching exactly that secret (Secrets Manager appends `-` and six characters). */
  readonly secretArnPattern: string;
  /** The keys the secret must hold, copied under the same names. */
  readonly keys: string[];
  /** Name of the Kubernetes Secret External Secrets writes. */
  readonly kubernetesSecretName: string;
  /** SecretStore name. */
  readonly storeName: string;
  /** The ServiceAccount External Secrets reads the secret as, and its role. */
  readonly reader: ServiceAccountRole;
}

/** Argo CD's credentials for the manifest repository, copied from Secrets Manager by External Secrets (into the repository Secret). */
export interface ResolvedRepositoryCredentials extends ResolvedCopiedSecret {
  /** Kind of credentials. */
  readonly type: RepositoryCredentialsType;
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
  /**
   * How Argo CD manages this environment: self-managed (installed by the stack), the EKS managed
   * capability on this cluster (the hub's too), or a spoke that the hub's Argo CD manages from its
   * own cluster. The constructs and the manifest tree ask its strategy (`argoCdStrategy`).
   *
   * @jsii ignore
   */
  readonly mode: ArgoCdMode;
  /** Whether sync is automated. */
  readonly automated: boolean;
  /** Whether automated sync prunes. */
  readonly prune: boolean;
  /** Whether automated sync self-heals. */
  readonly selfHeal: boolean;
  /**
   * Whether the Argo CD that manages this environment is the EKS managed capability
   * (`argocd.managed`), here or on the hub: whether the capability's limits apply.
   */
  readonly managed: boolean;
  /** IAM Identity Center of the managed capability. */
  readonly identityCenter?: ResolvedIdentityCenter;
  /** Deploy feedback on GitHub (`argocd.deployFeedback.enabled`); undefined when off. */
  readonly deployFeedback?: ResolvedDeployFeedback;
}

/**
 * Deploy feedback on GitHub: Argo CD Notifications reports each release's sync with a GitHub App
 * whose keys External Secrets copies from Secrets Manager into `argocd-notifications-secret`.
 */
export interface ResolvedDeployFeedback extends ResolvedCopiedSecret {
  /** The GitHub environment of the Deployments: the platform's environment name. */
  readonly environment: string;
  /**
   * The notifications controller the platform runs itself, under the EKS managed Argo CD (whose own
   * managed controller reads no `argocd-notifications-cm` without an opt-in label); undefined with a
   * self-managed Argo CD, whose Helm release runs one.
   */
  readonly controller?: ResolvedNotificationsController;
}

/**
 * Argo CD's upstream notifications controller (`argocd-notifications-controller` of the pinned Argo
 * CD), run by the platform in Argo CD's namespace against the EKS managed Argo CD's Applications:
 * its objects and `argocd-notifications-cm` are a directory of the manifest repository, synced by
 * a child Application of the root app-of-apps.
 */
export interface ResolvedNotificationsController {
  /** Its child Application of the root app-of-apps (`<platform>-notifications`). */
  readonly application: ResolvedChildApplication;
  /** The name of its ServiceAccount, Role, RoleBinding and Deployment, as in Argo CD's own install. */
  readonly name: string;
  /** The image: the pinned Argo CD's, the one the self-managed install runs. */
  readonly image: string;
  /** Its container's requests and limits (`cluster.controllers.argocdNotifications`). */
  readonly resources: ResolvedContainerResources;
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
  /** The previews' own AppProject, which only the preview Applications use; undefined without previews. */
  readonly previews?: ResolvedPreviewsProject;
}

/**
 * The AppProject of the preview Applications (those of the pull request generator): the manifest
 * repository, the preview namespaces, and no cluster-scoped object but those namespaces. Apart from
 * the platform's project, so a preview Application may create nothing the platform's Applications
 * may (ClusterRoles, ClusterSecretStores, CRDs).
 */
export interface ResolvedPreviewsProject {
  /** `<project>-previews`. */
  readonly name: string;
  /** The globs of the preview namespaces (`<app>-pr-*`), every app's with previews. */
  readonly namespacePatterns: string[];
  /** Cluster-scoped kinds: Namespaces named by those globs. */
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
  /**
   * Only the objects of this name, a glob (the AppProject's `clusterResourceWhitelist[].name`, Argo
   * CD v3.4.4 AppProject CRD: "Glob patterns using Go's filepath.Match syntax are supported").
   * @default - every object of the kind
   */
  readonly name?: string;
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
  /**
   * The Ingress's `ingressClassName`: `alb`, the load balancer controller's class, or with EKS Auto
   * Mode its group's class (`alb-<group>`, see `ResolvedPlatform.ingressClasses`).
   */
  readonly className: string;
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
  /**
   * With a database: the variables of the master user's name and password, from the database's
   * master Secret (`ResolvedDatabase.masterSecret`), by the key they read there.
   * @default - none
   */
  readonly databaseMasterEnv?: { [name: string]: string };
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
  /**
   * Conditions, by operator and key (`{ StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } }`).
   * @default - none
   */
  readonly conditions?: { [operator: string]: { [key: string]: string | string[] } };
}

/** One name for each connection value of a database, by the value's property in its Secrets Manager secret. */
export interface DatabaseConnectionNames {
  /** For the cluster endpoint's address. */
  readonly host: string;
  /** For the port. */
  readonly port: string;
  /** For the name of the user the containers log in as (the application's user, `app` or `app_clone`). */
  readonly username: string;
  /** For that user's password. */
  readonly password: string;
  /** For the database's name. */
  readonly dbname: string;
}

/**
 * The Kubernetes Secret of a database's master credentials, `<app>-database-master`: apart from the
 * application's Secret, which the containers read, so no container can read the master's password,
 * and refreshed every minute, so that a rotation of the master reaches the PreSync Jobs within one.
 */
export interface ResolvedDatabaseMasterSecret {
  /** The Secret's name, and its ExternalSecret's. */
  readonly name: string;
  /** How often External Secrets reads it again (`1m`). */
  readonly refreshInterval: string;
  /** Its key of the master user's name (`username`). */
  readonly usernameKey: string;
  /** Its key of the master user's password (`password`). */
  readonly passwordKey: string;
}

/** The PreSync Job that creates an application's own database user. */
export interface ResolvedDatabaseUserJob {
  /** `<app>-database-user`, the name of its ConfigMap too. */
  readonly name: string;
  /** Its `activeDeadlineSeconds`, the wait for the database included. */
  readonly deadlineSeconds: number;
}

/**
 * An application's database in one environment: an Aurora cluster or a single RDS instance of its
 * own in the application's stack, its credentials in a generated Secrets Manager secret under the
 * application's prefix (`<secretsPrefix>/<app>/database`), which the stack's SecretTargetAttachment
 * completes with the connection (`host`, `port`, `engine`, `dbClusterIdentifier` or `dbInstanceIdentifier`).
 */
export interface ResolvedDatabase {
  /** The engine. */
  readonly engine: DatabaseEngine;
  /** How it runs. */
  readonly deployment: DatabaseDeployment;
  /** `cluster` (Aurora, either writer) or `instance`: what a change between them replaces. */
  readonly kind: string;
  /** The writer's or the instance's DB instance class (not for `aurora-serverless`). */
  readonly instanceClass?: string;
  /** GiB of storage of an `instance`. */
  readonly allocatedStorage?: number;
  /** The engine version. */
  readonly engineVersion: string;
  /** The engine's major version (the parameter group family's). */
  readonly majorVersion: string;
  /** The port the engine listens on (5432 for PostgreSQL, 3306 for MySQL). */
  readonly port: number;
  /** The DB cluster's (or instance's) identifier, `<qualifiedName>-<app>`: fixed, so a change of it is a replacement validate can see. */
  readonly clusterIdentifier: string;
  /** Smallest and largest Serverless v2 capacity, in ACUs. */
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** The database created in the cluster. */
  readonly databaseName: string;
  /** The master user. */
  readonly username: string;
  /** Days the automated backups are kept. */
  readonly backupRetentionDays: number;
  /** The customer managed KMS key of the storage, when the spec gives one (else `aws/rds`). */
  readonly kmsKeyArn?: string;
  /** Name of the Secrets Manager secret holding the master user's credentials and the connection. */
  readonly secretName: string;
  /**
   * The application's own user, which the containers log in as: created by the PreSync job
   * `<app>-database-user` with the master credentials, granted the data of the database's `public`
   * schema, and rotated with its clone `<appUsername>_clone` (alternating users).
   */
  readonly appUsername: string;
  /** Name of the Secrets Manager secret holding the application user's credentials and the connection (`<secretName>/app`). */
  readonly appSecretName: string;
  /** Days between two rotations of the application user's password. */
  readonly rotationDays: number;
  /** The PreSync Job that creates the application's user (and its ConfigMap, of the same name). */
  readonly userJob: ResolvedDatabaseUserJob;
  /**
   * The key each connection value has in the Kubernetes Secret (`database-<key>`), by its property in
   * the application user's secret: the user name and password are the application user's.
   */
  readonly secretKeys: DatabaseConnectionNames;
  /** The Kubernetes Secret of the master user's name and password, which only the PreSync Jobs read. */
  readonly masterSecret: ResolvedDatabaseMasterSecret;
  /** The environment variable each connection value is read into, by its property in the remote secret. */
  readonly variables: DatabaseConnectionNames;
  /** The containers that read the connection as the application's user (the migration always does, as the master user). */
  readonly containers: string[];
  /** The stack that holds it (an application's stack never moves a database). */
  readonly stackId: string;
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

/** Signing and verification of an application's images (`apps[].supplyChain`). */
export interface ResolvedSupplyChain {
  /** Whether the release workflow signs its images with cosign and verifies them before delivering. */
  readonly sign: boolean;
  /**
   * Whether the release workflow also signs with the platform's signing key (`images.signingKey`),
   * which the Image Updater verifies before it moves a tag: when the application signs and is
   * delivered by the Image Updater.
   */
  readonly keySigned: boolean;
}

/** A preview image repository: where a container's (or the migration's) pull request images go. */
export interface ResolvedPreviewImage {
  /** The container it builds (`migration` for the migration image). */
  readonly container: string;
  /** The preview repository (`<production repository>-previews`), never production's: the preview build role pushes only here. */
  readonly image: ResolvedImage;
}

/**
 * Preview environments of an application (`apps[].previews`), in the environment releases arrive in
 * (the first), where Argo CD is self-managed. A labelled pull request from a branch of the application
 * repository gets namespace `<namespacePrefix><number>`, host `<hostPrefix><number>.<app host>` and
 * images tagged `<tagPrefix><number>-<first shortShaLength characters of its head sha>`.
 */
export interface ResolvedPreviews {
  /** The label a pull request needs. */
  readonly label: string;
  /** At most this many previews at once (the gate workflow takes the label off beyond it). */
  readonly maxConcurrent: number;
  /** Whether previews run the migration (against the preview secret's database); else they skip it. */
  readonly migrate: boolean;
  /** The ApplicationSet's name, `<app>-previews` (qualified with several environments). */
  readonly applicationSetName: string;
  /** Path of the preview overlay in the manifest repository, `<app>/previews`. */
  readonly path: string;
  /** `<app>-pr-`: a preview's namespace is this and the pull request's number. */
  readonly namespacePrefix: string;
  /** `<app>-pr-*`: the glob of the preview namespaces the previews' AppProject admits. */
  readonly namespacePattern: string;
  /** The AppProject of the preview Applications, `<project>-previews` (`ResolvedProject.previews`). */
  readonly project: string;
  /** `<app>-previews`: the namespace of the previews' own objects (the secrets reader, the preview ExternalDNS). */
  readonly readerNamespace: string;
  /**
   * The child Application of the previews' own objects (`<overlay>/previews`): the ApplicationSet,
   * the secrets reader's ServiceAccount, the ClusterSecretStore and the preview ExternalDNS.
   */
  readonly application: ResolvedChildApplication;
  /**
   * The role of the ExternalDNS that publishes the preview hosts (in `readerNamespace`): the app's own
   * ExternalDNS watches only the app's namespace. Also in the app's `workloadRoles`.
   */
  readonly externalDns: ResolvedWorkloadRole;
  /** TXT owner id of the preview ExternalDNS: its records are its own, never the app's. */
  readonly externalDnsOwnerId: string;
  /** `pr-`: a preview's host is this, the number, `.` and the app's host. */
  readonly hostPrefix: string;
  /** `pr-`: a preview's tag is this, the number, `-` and the head commit's short sha. */
  readonly tagPrefix: string;
  /** Characters of the head sha in a tag: the pull request generator's `head_short_sha` (8). */
  readonly shortShaLength: number;
  /** The Secrets Manager prefix previews read from (`<prefix>/<secret name>`). */
  readonly secretPrefix: string;
  /** ARN pattern of every secret under `secretPrefix`. */
  readonly secretArnPattern: string;
  /** Name of the ClusterSecretStore the previews' ExternalSecrets use (admits only preview namespaces). */
  readonly storeName: string;
  /**
   * The ServiceAccount External Secrets reads preview secrets as (in namespace `<app>-previews`) and
   * its role, which reads `secretPrefix` and nothing else; also in the app's `workloadRoles`.
   */
  readonly secretsReader: ResolvedWorkloadRole;
  /** The preview repositories, one per container, and the migration's when previews migrate. */
  readonly images: ResolvedPreviewImage[];
  /** Days ECR keeps a preview image. */
  readonly imageExpiryDays: number;
  /**
   * The role the preview build workflow assumes: it trusts only branch refs of the application
   * repository (never a `pull_request` subject, which a fork's pull request also carries), and
   * pushes only to the preview repositories.
   */
  readonly buildRole: ResolvedRole;
  /** The GitHub App the pull request generator lists pull requests with, copied into Argo CD's namespace. */
  readonly githubApp: ResolvedCopiedSecret;
  /** Seconds between the generator's polls of GitHub. */
  readonly requeueAfterSeconds: number;
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
  /** Signing and verification of its images. */
  readonly supplyChain: ResolvedSupplyChain;
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
  /**
   * Secret, if any: the spec's, or, for an application with a database and no secret of its own, one
   * made for the database's keys alone.
   */
  readonly secret?: ResolvedSecret;
  /** Its database, if the spec gives it one. */
  readonly database?: ResolvedDatabase;
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
  /** Preview environments, where they run (`apps[].previews.enabled`, the first environment, a self-managed Argo CD). */
  readonly previews?: ResolvedPreviews;
  /** The roles of the app's ServiceAccounts (its migration's, its previews' secrets reader and its add-ons'), created in the app's stack. */
  readonly workloadRoles: ResolvedWorkloadRole[];
}

/**
 * The field of a settings shape that describes a value of type `T`: a string field for a string, an
 * integer field for a number, a list of the item's field for a list, a mapping of fields for an object
 * (a string map for `{ [key: string]: string }`).
 *
 * @jsii ignore
 */
export type SettingsField<T> = [T] extends [string]
  ? StringField
  : [T] extends [number]
    ? IntegerField
    : [T] extends [boolean]
      ? BooleanField
      : [T] extends [readonly (infer Item)[]]
        ? ArrayField & { readonly items: SettingsField<Item> }
        : [T] extends [{ readonly [key: string]: string }]
          ? (string extends keyof T ? StringMapField : ObjectField & { readonly fields: SettingsShape<T> })
          : [T] extends [object]
            ? ObjectField & { readonly fields: SettingsShape<T> }
            : never;

/**
 * The shape of an add-on's settings, field by field from their type: each key of `Settings` has its
 * field, of the field type its value's type calls for, and `required: true` exactly where the key is
 * not optional. So the loader checks what the hooks are typed to receive.
 *
 * @jsii ignore
 */
export type SettingsShape<Settings> = {
  readonly [K in keyof Settings]-?: {} extends Pick<Settings, K>
    ? SettingsField<NonNullable<Settings[K]>> & { readonly required?: false }
    : SettingsField<Settings[K]> & { readonly required: true };
};

/**
 * An add-on's spec section as its hooks receive it: its own settings (validated against its
 * `settings` shape, so their type holds) and the `workloadIdentity` every section has.
 *
 * @jsii ignore
 */
export type AddonSettings<Settings> = Readonly<Settings> & {
  /** How its pods get AWS credentials, when the section chooses. */
  readonly workloadIdentity?: WorkloadIdentity;
};

/**
 * An add-on a resolved platform runs, with its spec section: what the stacks and the manifest tree
 * call its hooks with.
 *
 * @jsii ignore
 */
export interface AddonInUse {
  /** The add-on. */
  readonly addon: PlatformAddon;
  /** Its spec section (`addons.<specKey>`), or `{}` when the spec has none. */
  readonly settings: AddonSettings<object>;
}

/**
 * A part of the platform that is not the application itself: ExternalDNS, External Secrets, the Image
 * Updater, the vault plugin, the load balancer controller. An add-on says, in one place, everything
 * it brings to both sides: its spec section (`addons.<specKey>`, of type `Settings`), its roles and
 * their permissions, its Argo CD Applications and what the AppProject must allow them, its files in
 * the manifest repository, its other AWS resources, and its rules. The resolver, the charts, the
 * stacks and the validation read add-ons only through this interface, and only the add-ons they are
 * given (see docs/library.md, "Writing an add-on").
 *
 * An add-on whose settings have a required field runs only where the spec has its section: its hooks
 * then always receive settings of type `Settings`.
 *
 * @jsii ignore
 */
export interface PlatformAddon<Settings extends object = object> {
  /** Name, in messages: `external-dns`. */
  readonly name: string;

  /** Key of its spec section, `addons.<specKey>`: `externalDns`. */
  readonly specKey: string;

  /** One line for the JSON schema. */
  readonly description: string;

  /**
   * Fields of its spec section besides `workloadIdentity`, each checked on its own by the loader and
   * written to the JSON schema: one for each key of `Settings`, of the type that key has.
   */
  readonly settings?: SettingsShape<Settings>;

  /**
   * Why its roles cannot use EKS Pod Identity, if they cannot: they then keep IRSA, and asking for
   * Pod Identity in its section is refused with this reason.
   */
  readonly podIdentityUnsupported?: string;

  /** Whether the platform runs it. */
  enabled(context: AddonContext<Settings>): boolean;

  /** What it adds to the resolved platform. */
  resolve(context: AddonContext<Settings>): AddonResolution;

  /** Rules across fields it adds, run on the resolved platform. */
  validate?(context: AddonValidationContext<Settings>): void;

  /** Its files in the manifest repository. */
  manifests?(context: AddonManifestContext<Settings>): void;

  /** Its AWS resources besides its roles (Helm releases, controllers), in the platform stack. */
  aws?(context: AddonAwsContext<Settings>): void;

  /** Helm values it adds to the stack's Argo CD install (not to the EKS managed Argo CD). */
  argoCdValues?(platform: ResolvedPlatform): { [key: string]: any };
}

/**
 * What a role request names; the resolver derives the role's name, ARN, identity and annotations.
 *
 * @jsii ignore
 */
export interface RoleRequest {
  /** Purpose: the role is named `<platform>[-<app>]-<purpose>`. */
  readonly purpose: string;
  /** Namespace of the ServiceAccount. */
  readonly namespace: string;
  /** Name of the ServiceAccount. */
  readonly serviceAccountName: string;
  /** The application the role belongs to, if any (it is then created in the app's stack). */
  readonly app?: ResolvedApp;
  /** Permissions. */
  readonly permissions: ResolvedPermission[];
  /** Wildcard resources of `permissions`, with the reason each is accepted. */
  readonly acceptedWildcards?: ResolvedWildcard[];
}

/**
 * What an add-on is given to resolve itself.
 *
 * @jsii ignore
 */
export interface AddonContext<Settings extends object = object> {
  /** The spec, validated. */
  readonly spec: PlatformSpec;
  /** Its spec section (`addons.<specKey>`), or `{}` when the spec has none. */
  readonly settings: AddonSettings<Settings>;
  /** The platform as resolved without the add-ons' contributions. */
  readonly platform: ResolvedPlatform;
  /** A role for a ServiceAccount of the add-on, named and bound the way every platform role is. */
  role(request: RoleRequest): ResolvedWorkloadRole;
}

/**
 * What an add-on adds to the resolved platform.
 *
 * @jsii ignore
 */
export interface AddonResolution {
  /** Platform-wide roles (created in the platform stack). */
  readonly roles?: ResolvedWorkloadRole[];
  /** Roles of applications (created in each app's stack), by application name. */
  readonly appRoles?: { [app: string]: ResolvedWorkloadRole[] };
  /** Its child Applications of the root app-of-apps. */
  readonly applications?: ResolvedChildApplication[];
  /** Repositories its Applications read (a Helm repository, say). */
  readonly sourceRepos?: string[];
  /** Namespaces its Applications deploy to. */
  readonly namespaces?: string[];
  /** Cluster-scoped kinds its Applications create. */
  readonly clusterResources?: ResolvedGroupKind[];
  /** Application names no app may take. */
  readonly reservedApplicationNames?: string[];
  /** Namespaces no app may take. */
  readonly reservedNamespaces?: string[];
}

/**
 * What an add-on is given to check the rules across fields it adds.
 *
 * @jsii ignore
 */
export interface AddonValidationContext<Settings extends object = object> {
  /** The spec. */
  readonly spec: PlatformSpec;
  /** Its spec section (`addons.<specKey>`), or `{}` when the spec has none. */
  readonly settings: AddonSettings<Settings>;
  /** The platform, resolved with every add-on. */
  readonly platform: ResolvedPlatform;
  /** Reports a problem at a spec path, e.g. `addons.<specKey>.<field>`. */
  add(path: string, message: string): void;
}

/**
 * What an add-on is given to write one environment's files into the manifest repository. One
 * repository holds every environment of the platform, and `manifests` runs once per environment: a
 * path an add-on writes is either the environment's own (`addFile`, `addKustomization`,
 * `addAppOverlayFile`: under a directory named after `platform.environment`, such as
 * `app.paths.overlay`, or two environments would write the same path and the tree is refused), or
 * shared by every environment (`addAppBaseFile`, `addInstallFile`: each environment must then write
 * exactly the same content, so nothing environment-specific belongs there).
 *
 * @jsii ignore
 */
export interface AddonManifestContext<Settings extends object = object> {
  /** The resolved platform: the environment being written. */
  readonly platform: ResolvedPlatform;
  /** Its spec section (`addons.<specKey>`), or `{}` when the spec has none. */
  readonly settings: AddonSettings<Settings>;
  /** The cdk8s App its charts belong to. */
  readonly app: App;
  /** Adds a YAML file of objects at a path of the repository that belongs to this environment. */
  addFile(path: string, objects: unknown[]): void;
  /** Adds a kustomization.yaml in a directory that belongs to this environment. */
  addKustomization(dir: string, kustomization: { [key: string]: unknown }): void;
  /**
   * Adds a file of objects to an application's base, listed in its kustomization: shared by every
   * environment, so it must hold nothing environment-specific (no role ARN, host, account, region,
   * domain).
   */
  addAppBaseFile(app: ResolvedApp, file: string, objects: unknown[]): void;
  /**
   * Adds a file of objects to an application's overlay for this environment, listed in the overlay's
   * kustomization beside the base: where objects that name the environment's roles, hosts, zone or
   * region belong.
   */
  addAppOverlayFile(app: ResolvedApp, file: string, objects: unknown[]): void;
  /**
   * Adds a file to `argocd/bootstrap/install/`, as a resource or as a patch of the upstream install:
   * shared by every environment.
   */
  addInstallFile(file: string, objects: unknown[], kind: 'resource' | 'patch'): void;
}

/**
 * What an add-on is given to create its AWS resources.
 *
 * @jsii ignore
 */
export interface AddonAwsContext<Settings extends object = object> {
  /** The platform stack. */
  readonly scope: Construct;
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;
  /** Its spec section (`addons.<specKey>`), or `{}` when the spec has none. */
  readonly settings: AddonSettings<Settings>;
  /** The cluster. */
  readonly cluster: eks.Cluster;
  /** The node group: what runs pods must wait for it. */
  readonly nodes: IDependable;
  /** Makes the Argo CD bootstrap (what starts syncing) wait for this. */
  bootstrapAfter(dependency: IDependable): void;
}
