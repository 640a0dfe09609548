// The enums of the platform spec, written by hand: the description (platform-shape.ts) names their
// values, the generated types.ts types fields with them and re-exports them.

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

/** Secret backends. */
export enum SecretBackend {
  /** AWS Secrets Manager read by External Secrets Operator through IRSA (recommended). */
  SECRETS_MANAGER = 'secrets-manager',
  /** HashiCorp Vault read by External Secrets Operator's Vault provider. */
  VAULT = 'vault',
  /** HashiCorp Vault rendered into manifests by argocd-vault-plugin in the Argo CD repo-server. */
  VAULT_PLUGIN = 'vault-plugin',
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

/** Database engines of an application's database (`apps[].database.engine`). */
export enum DatabaseEngine {
  /** PostgreSQL: Aurora PostgreSQL-Compatible Edition, or RDS for PostgreSQL (port 5432). */
  POSTGRESQL = 'postgresql',
  /** MySQL: Aurora MySQL-Compatible Edition, or RDS for MySQL (port 3306). */
  MYSQL = 'mysql',
}

/** How an application's database runs (`apps[].database.deployment`). */
export enum DatabaseDeployment {
  /** An Aurora cluster with a Serverless v2 writer, between `minCapacity` and `maxCapacity` ACUs. */
  AURORA_SERVERLESS = 'aurora-serverless',
  /** An Aurora cluster with a provisioned writer of `instanceClass`. */
  AURORA_PROVISIONED = 'aurora-provisioned',
  /** A single RDS DB instance of `instanceClass` (not Aurora, one Availability Zone): a sandbox's. */
  INSTANCE = 'instance',
}

/** How the cluster's nodes are provided (`cluster.compute.mode`). */
export enum ComputeMode {
  /**
   * One EKS managed node group (`cluster.nodes`), with the AWS Load Balancer Controller installed by
   * the stack for the Ingresses.
   */
  MANAGED_NODE_GROUP = 'managed-node-group',
  /**
   * EKS Auto Mode: EKS launches, patches and scales the nodes (its `system` and `general-purpose`
   * node pools), and runs block storage and load balancing itself; no load balancer controller is
   * installed, and the Ingresses use EKS's own IngressClass controller `eks.amazonaws.com/alb`.
   */
  AUTO_MODE = 'auto-mode',
  /**
   * Karpenter (v1.14.1) launches the nodes the pods need, from the default NodePool and EC2NodeClass
   * of the manifest tree; a small managed node group (`cluster.nodes`) runs the Karpenter controller
   * and the platform's own controllers.
   */
  KARPENTER = 'karpenter',
}
