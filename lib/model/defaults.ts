import { APP, CLUSTER, PLATFORM_FIELDS } from './platform-shape';
import { applyDefaults } from './shape';
import type { Shape } from './shape';
import type {
  AppSecretSpec,
  AppSpec,
  ArgoCdSpec,
  CiSpec,
  ClusterSpec,
  ComputeMode,
  ComputeSpec,
  ContainerSpec,
  DeliveryMode,
  DeployFeedbackSpec,
  GitHubSpec,
  IdentityCenterSpec,
  ImageUpdateSpec,
  IngressSpec,
  ManifestRepositorySpec,
  MigrationSpec,
  NodeGroupSpec,
  PlatformSpec,
  PreviewsSpec,
  RepositoryAccess,
  RepositoryCredentialsSpec,
  RepositoryCredentialsType,
  ResourcesSpec,
  SecretBackend,
  SecretsSpec,
  SubjectFormat,
  SupplyChainSpec,
  SyncPolicySpec,
  UpdateStrategy,
  VaultSpec,
  WorkloadIdentity,
} from './types';

/**
 * The node group with every default filled in. `maxSize` and `desiredSize` stay optional: their
 * defaults follow `minSize` (4 or `minSize`, and `minSize`), which resolution derives.
 */
export interface NodeGroupWithDefaults extends NodeGroupSpec {
  readonly instanceTypes: string[];
  readonly minSize: number;
  readonly diskSize: number;
}

/** How the nodes are provided, with its default filled in. */
export interface ComputeWithDefaults extends ComputeSpec {
  readonly mode: ComputeMode;
}

/** The cluster section with every default of its description (lib/model/platform-shape.ts) filled in. */
export interface ClusterWithDefaults extends ClusterSpec {
  readonly version: string;
  readonly compute: ComputeWithDefaults;
  readonly nodes: NodeGroupWithDefaults;
  readonly adminRoleArns: string[];
  readonly vpcCidr: string;
  readonly maxAzs: number;
  readonly publicAccessCidrs: string[];
}

/** Resource requests and limits, each filled in. */
export interface ResourcesWithDefaults extends ResourcesSpec {
  readonly cpuRequest: string;
  readonly cpuLimit: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
}

/** A container with its defaults. `repository` stays optional: its default is made of the platform's, application's and container's names. */
export interface ContainerWithDefaults extends ContainerSpec {
  readonly tag: string;
  readonly dockerfile: string;
  readonly resources: ResourcesWithDefaults;
}

/** The CI section with its defaults. */
export interface CiWithDefaults extends CiSpec {
  readonly subjectFormat: SubjectFormat;
  readonly tagPatterns: string[];
  readonly branches: string[];
  readonly environments: string[];
  readonly pullRequests: boolean;
  readonly deployPaths: string[];
}

/** The Image Updater's settings: `allowTags` and `writeBack` stay optional, their defaults follow the strategy and the environments. */
export interface ImageUpdateWithDefaults extends ImageUpdateSpec {
  readonly strategy: UpdateStrategy;
}

/** The Ingress with its defaults: `container` and `groupName` stay optional, derived from the containers and `internetFacing`. */
export interface IngressWithDefaults extends IngressSpec {
  readonly healthCheckPath: string;
  readonly internetFacing: boolean;
}

/** Signing and verification of an application's images, with their defaults. */
export interface SupplyChainWithDefaults extends SupplyChainSpec {
  readonly sign: boolean;
}

/** Preview environments with their defaults: `secretPrefix` and `githubAppSecretName` stay optional, derived from the names. */
export interface PreviewsWithDefaults extends PreviewsSpec {
  readonly enabled: boolean;
  readonly label: string;
  readonly maxConcurrent: number;
  readonly migrate: boolean;
  readonly imageExpiryDays: number;
}

/** A migration, when given, with its defaults: `deadlineSeconds` stays optional (600, or 90 with argocd.managed). */
export interface MigrationWithDefaults extends MigrationSpec {
  readonly dockerfile: string;
  readonly retries: number;
  readonly resources: ResourcesWithDefaults;
}

/** An application's secret, when given, with its defaults: `name` and `remoteKey` stay optional, derived from the names. */
export interface AppSecretWithDefaults extends AppSecretSpec {
  readonly refreshInterval: string;
}

/**
 * An application with its defaults. `namespace` stays optional (the application's name);
 * `migration` and `secret` stay absent when not given, since their absence turns them off.
 */
export interface AppWithDefaults extends AppSpec {
  readonly replicas: number;
  readonly delivery: DeliveryMode;
  readonly ci: CiWithDefaults;
  readonly imageUpdate: ImageUpdateWithDefaults;
  readonly containers: ContainerWithDefaults[];
  readonly ingress: IngressWithDefaults;
  readonly supplyChain: SupplyChainWithDefaults;
  readonly previews: PreviewsWithDefaults;
  readonly migration?: MigrationWithDefaults;
  readonly secret?: AppSecretWithDefaults;
}

/** Argo CD's credentials for the manifest repository: `secretName` stays optional, derived from the secrets prefix. */
export interface RepositoryCredentialsWithDefaults extends RepositoryCredentialsSpec {
  readonly type: RepositoryCredentialsType;
}

/** The manifest repository with its defaults. */
export interface ManifestRepositoryWithDefaults extends ManifestRepositorySpec {
  readonly branch: string;
  readonly access: RepositoryAccess;
  readonly credentials: RepositoryCredentialsWithDefaults;
}

/** The GitHub section with its defaults. */
export interface GitHubWithDefaults extends GitHubSpec {
  readonly manifestRepository: ManifestRepositoryWithDefaults;
}

/** Vault, when given, with its defaults: `role` stays optional (the platform's name). */
export interface VaultWithDefaults extends VaultSpec {
  readonly kvMount: string;
  readonly authMount: string;
}

/** The secrets section with its defaults; `vault` stays absent when not given. */
export interface SecretsWithDefaults extends SecretsSpec {
  readonly backend: SecretBackend;
  readonly vault?: VaultWithDefaults;
}

/** The sync policy with its defaults. */
export interface SyncPolicyWithDefaults extends SyncPolicySpec {
  readonly automated: boolean;
  readonly prune: boolean;
  readonly selfHeal: boolean;
}

/** IAM Identity Center, when given, with its defaults: `region` stays optional (the platform's region). */
export interface IdentityCenterWithDefaults extends IdentityCenterSpec {
  readonly adminGroupIds: string[];
}

/**
 * The Argo CD section with its defaults: `project` stays optional (the platform's name), and
 * `identityCenter` absent when not given (its `region` defaults to the platform's).
 */
/** Deploy feedback with its default: off unless `enabled`. */
export interface DeployFeedbackWithDefaults extends DeployFeedbackSpec {
  readonly enabled: boolean;
}

export interface ArgoCdWithDefaults extends ArgoCdSpec {
  readonly namespace: string;
  readonly deployFeedback: DeployFeedbackWithDefaults;
  readonly syncPolicy: SyncPolicyWithDefaults;
  readonly managed: boolean;
  readonly identityCenter?: IdentityCenterWithDefaults;
}

/** A spec as resolution reads it: the sections named here complete, with their defaults. */
export type SpecWithDefaults = Omit<PlatformSpec, 'cluster' | 'apps' | 'github' | 'secrets' | 'argocd' | 'workloadIdentity'> & {
  readonly cluster: ClusterWithDefaults;
  readonly apps: AppWithDefaults[];
  readonly github: GitHubWithDefaults;
  readonly secrets: SecretsWithDefaults;
  readonly argocd: ArgoCdWithDefaults;
  readonly workloadIdentity: WorkloadIdentity;
};

/** The sections `withDefaults` fills in, by their key in the spec. */
const SECTIONS: Shape = {
  cluster: CLUSTER,
  github: PLATFORM_FIELDS.github,
  secrets: PLATFORM_FIELDS.secrets,
  argocd: PLATFORM_FIELDS.argocd,
  workloadIdentity: PLATFORM_FIELDS.workloadIdentity,
  apps: { type: 'array', description: 'The applications', items: APP },
};

/**
 * Fills in the defaults the spec's description gives (`default:` in lib/model/platform-shape.ts, which
 * is also what platform.schema.json and types.ts's `@default` say), once, where resolution starts: the
 * resolvers read the values, with no defaults of their own. The sections of `SECTIONS` (cluster,
 * github, secrets, argocd, workloadIdentity, apps); the add-ons' settings still default where they
 * are resolved. Defaults that follow other fields (a node group's `maxSize`, a migration's
 * `deadlineSeconds`, an application's namespace) are derived by the resolver. Run on one
 * environment's spec, after its overrides are merged (lib/model/environments.ts): an override carries
 * no defaults, so a field neither the environment nor the top level sets gets the default here.
 */
export function withDefaults(spec: PlatformSpec): SpecWithDefaults {
  return applyDefaults(spec as unknown as Record<string, unknown>, SECTIONS) as unknown as SpecWithDefaults;
}
