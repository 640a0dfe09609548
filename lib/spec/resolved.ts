import type { DeliveryMode, PlatformSpec, SecretBackend, UpdateStrategy, WriteBackMethod } from './types';

/**
 * The resolved platform: every name, namespace, ServiceAccount, role name and ARN, repository URI and
 * host, computed once from the spec by `Platform.resolve`. The CDK constructs, the cdk8s charts and
 * the workflow generator read only this, so the two sides cannot drift apart.
 */
export interface ResolvedPlatform {
  /** The spec this was resolved from. */
  readonly spec: PlatformSpec;
  /** Platform name. */
  readonly name: string;
  /** Environment (overlay) name. */
  readonly environment: string;
  /** AWS account id. */
  readonly account: string;
  /** AWS region. */
  readonly region: string;
  /** AWS partition of the region. */
  readonly partition: string;
  /** ECR registry host, `<account>.dkr.ecr.<region>.amazonaws.com`. */
  readonly registry: string;
  /** The EKS cluster. */
  readonly cluster: ResolvedCluster;
  /** GitHub owner and OIDC provider. */
  readonly github: ResolvedGitHub;
  /** The manifest repository Argo CD pulls. */
  readonly manifestRepository: ResolvedRepository;
  /** DNS zone. */
  readonly dns: ResolvedDns;
  /** Secret backend. */
  readonly secrets: ResolvedSecrets;
  /** Argo CD. */
  readonly argocd: ResolvedArgoCd;
  /** The Image Updater's ServiceAccount and IRSA role. */
  readonly imageUpdater: ServiceAccountRole;
  /** The applications. */
  readonly apps: ResolvedApp[];
}

/** The EKS cluster. */
export interface ResolvedCluster {
  /** Cluster name. */
  readonly name: string;
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
  /** argo-cd Helm chart version. */
  readonly chartVersion: string;
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

/** A Kubernetes ServiceAccount and the IRSA role that trusts exactly it. */
export interface ServiceAccountRole extends ResolvedRole {
  /** Namespace of the ServiceAccount. */
  readonly namespace: string;
  /** Name of the ServiceAccount. */
  readonly serviceAccountName: string;
  /** Token subject, `system:serviceaccount:<namespace>:<name>`. */
  readonly subject: string;
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
  /** The Job's ServiceAccount and role. */
  readonly serviceAccount: ServiceAccountRole;
}

/** The application secret. */
export interface ResolvedSecret {
  /** Kubernetes Secret name. */
  readonly name: string;
  /** Remote key (Secrets Manager name, or Vault path under the KV mount). */
  readonly remoteKey: string;
  /** Prefix every remote key of the app starts with; the reader role may read only below it. */
  readonly remotePrefix: string;
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

/** Paths of an application in the manifest repository. */
export interface ResolvedAppPaths {
  /** `<app>/base`. */
  readonly base: string;
  /** `<app>/overlays/<environment>`. */
  readonly overlay: string;
}

/** One application, resolved. */
export interface ResolvedApp {
  /** Name. */
  readonly name: string;
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
}
