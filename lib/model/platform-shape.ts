import { RegionInfo } from 'aws-cdk-lib/region-info';
import { DEFAULT_DEPLOY_PATHS } from './constants';
import { CONTROLLER_DEFAULTS, CONTROLLER_KEYS, WEBHOOK_CONTROLLER_KEYS } from './controllers';
import { DEFAULT_KUBERNETES_VERSION, SUPPORTED_KUBERNETES_VERSIONS } from './kubernetes-versions';
import type { PlatformAddon } from './resolved';
import { inheriting } from './shape';
import type { Field, ObjectField, Shape, StringField } from './shape';
import { DeliveryMode, RepositoryAccess, RepositoryCredentialsType, SecretBackend, SubjectFormat, UpdateStrategy, WorkloadIdentity, WriteBackMethod } from './types';

/**
 * The fields of `PlatformSpec` (see types.ts for the TypeScript side), with the rules a single field
 * can check on its own. Rules that relate fields to each other live in validate.ts.
 */

/** Kubernetes versions the cluster construct and its kubectl layer support (see kubernetes-versions.ts). */
export { SUPPORTED_KUBERNETES_VERSIONS };

/** AWS regions, as aws-cdk-lib's region table knows them (a region it does not know cannot be deployed to by this version). */
export const KNOWN_REGIONS: readonly string[] = RegionInfo.regions.map((r) => r.name).sort();

const REGION_SAYS = 'an AWS region such as ap-northeast-1 (one of the regions aws-cdk-lib knows)';

/** The longest value any free-form string of the spec may have (environment values, command arguments). */
export const MAX_FREE_TEXT = 32_768;

const pattern = (regex: RegExp, says: string) => ({ regex, says });

/** One octet of an IPv4 address, 0 to 255. */
const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
/** One DNS label: at most 63 characters. */
const LABEL = '[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?';
/** One segment of a relative path: no shell, expression or quoting characters. */
const PATH_SEGMENT = '[A-Za-z0-9._@+=, -]+';

export const PATTERNS = {
  dnsLabel: pattern(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a DNS-1123 label (lowercase letters, digits and \'-\', starting and ending with a letter or digit)'),
  account: pattern(/^\d{12}$/, 'a 12-digit AWS account id'),
  githubOwner: pattern(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/, 'a GitHub user or organisation name (letters, digits, \'-\', at most 39)'),
  githubRepo: pattern(/^(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/, 'a GitHub repository name (letters, digits, \'.\', \'_\', \'-\'), without the owner'),
  gitRef: pattern(/^(?!\/)(?!.*\/\/)(?!.*\.\.)[A-Za-z0-9._/-]+(?<!\/)$/, 'a plain branch or environment name (no wildcards)'),
  tagPattern: pattern(/^[A-Za-z0-9._/*-]{1,128}$/, 'a Git tag pattern (letters, digits, \'.\', \'_\', \'/\', \'-\' and \'*\' wildcards)'),
  pathGlob: pattern(/^(?!\/)[A-Za-z0-9._*/{},-]+$/, "a relative path glob such as 'deploy/**' (letters, digits, '.', '_', '-', '/', '*', '{', '}', ',')"),
  identityCenterInstanceArn: pattern(/^arn:aws[a-z-]*:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/, 'an IAM Identity Center instance ARN such as arn:aws:sso:::instance/ssoins-0123456789abcdef'),
  identityCenterId: pattern(/^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/, 'an IAM Identity Center group id'),
  numericId: pattern(/^\d+$/, 'a numeric GitHub id'),
  domain: pattern(
    new RegExp(`^(?=.{1,253}$)(${LABEL}\\.)+[a-z]([-a-z0-9]{0,61}[a-z0-9])?$`),
    'a lowercase DNS name such as example.com (labels of at most 63 characters)',
  ),
  hostedZoneId: pattern(/^Z[A-Z0-9]{1,31}$/, 'a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ'),
  roleArn: pattern(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'an IAM role ARN'),
  githubOidcProviderArn: pattern(
    /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
    'the ARN of a token.actions.githubusercontent.com OIDC provider',
  ),
  vpcCidr: pattern(new RegExp(`^(${OCTET}\\.){3}${OCTET}\\/(1[6-9]|2[0-8])$`), 'an IPv4 CIDR block with a prefix between /16 and /28, such as 10.0.0.0/16'),
  cidr: pattern(new RegExp(`^(${OCTET}\\.){3}${OCTET}\\/(3[0-2]|[12]?[0-9])$`), 'an IPv4 CIDR block such as 203.0.113.0/24'),
  instanceType: pattern(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an EC2 instance type such as t3.medium'),
  envName: pattern(/^[A-Za-z_][A-Za-z0-9_]{0,254}$/, 'an environment variable name (letters, digits, \'_\')'),
  ecrRepository: pattern(
    /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/,
    'an ECR repository name (lowercase letters, digits, \'.\', \'_\', \'-\', \'/\' between parts)',
  ),
  imageTag: pattern(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'an image tag (letters, digits, \'_\', \'.\', \'-\', at most 128)'),
  cpu: pattern(/^(\d+m|\d+(\.\d+)?)$/, 'a CPU quantity such as 250m or 0.5'),
  memory: pattern(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/, 'a memory quantity such as 128Mi'),
  duration: pattern(/^(\d+(s|m|h))+$/, 'a duration such as 1h or 30m'),
  httpPath: pattern(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/, 'an absolute URL path such as /health'),
  certificateArn: pattern(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/, 'an ACM certificate ARN'),
  url: pattern(
    /^https?:\/\/[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?(\/[A-Za-z0-9._~/-]*)?$/,
    'an http(s) URL such as https://vault.example.com:8200 (host, optional port and path; no query, spaces or quotes)',
  ),
  relativePath: pattern(
    new RegExp(`^(?!/)(?!(.*/)?\\.\\.?(/|$))${PATH_SEGMENT}(/${PATH_SEGMENT})*$`),
    "a path relative to the repository root such as docker/app.Dockerfile (letters, digits, spaces and . _ - @ + = , only; no '..')",
  ),
  iamAction: pattern(/^[a-z0-9-]+:[A-Za-z0-9*]+$/, 'an IAM action such as rds-db:connect'),
  arn: pattern(/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:[A-Za-z0-9_+=,.@:/*?-]+$/, 'an ARN such as arn:aws:rds-db:eu-west-1:123456789012:dbuser:db-ABC/app'),
  secretKey: pattern(/^[-._a-zA-Z0-9]+$/, 'a Secret key (letters, digits, \'-\', \'_\', \'.\')'),
  secretsManagerName: pattern(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'a Secrets Manager secret name (letters, digits and / _ + = . @ -)'),
  vaultPath: pattern(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, 'a Vault mount path such as kv'),
} as const;

const str = (description: string, extra: Partial<StringField> = {}): StringField => ({ type: 'string', description, ...extra });
const obj = (description: string, fields: Shape, required = false): ObjectField => ({ type: 'object', description, fields, required });
type ListExtra = { minItems?: number; maxItems?: number; required?: boolean; default?: readonly string[] };
const list = (description: string, items: Field, extra: ListExtra = {}): Field => ({
  type: 'array',
  description,
  items,
  ...extra,
});

const resources = obj('Resource requests and limits', {
  cpuRequest: str('CPU request', { pattern: PATTERNS.cpu, default: '200m' }),
  cpuLimit: str('CPU limit', { pattern: PATTERNS.cpu, default: '400m' }),
  memoryRequest: str('Memory request', { pattern: PATTERNS.memory, default: '64Mi' }),
  memoryLimit: str('Memory limit', { pattern: PATTERNS.memory, default: '128Mi' }),
});

/** A free-form value: any text up to `MAX_FREE_TEXT` characters (it is only ever written as a YAML string). */
function freeText(description: string, extra: Partial<StringField> = {}): StringField {
  return str(description, { maxLength: MAX_FREE_TEXT, ...extra });
}

const secretEnv: Field = {
  type: 'map',
  description: 'Environment variables read from the application secret: variable name to secret key',
  keyPattern: PATTERNS.envName,
};

const container = obj('A container of the application pod, with its own image and ECR repository', {
  name: str('Container name, unique in the application', { required: true, pattern: PATTERNS.dnsLabel, maxLength: 63 }),
  repository: str('ECR repository name (default <platform>/<app>/<container>)', { pattern: PATTERNS.ecrRepository, maxLength: 256 }),
  tag: str('Tag first deployed; never latest', { pattern: PATTERNS.imageTag, default: 'v0.0.1' }),
  dockerfile: str('Dockerfile path in the application repository', { pattern: PATTERNS.relativePath, maxLength: 255, default: 'Dockerfile' }),
  port: { type: 'integer', description: 'Port the container listens on', minimum: 1, maximum: 65535 },
  env: { type: 'map', description: 'Plain environment variables', keyPattern: PATTERNS.envName, values: freeText('Value') },
  secretEnv,
  resources,
});

const IMAGE_UPDATE = obj('How the Image Updater chooses and records new tags', {
  strategy: str('Update strategy', { enum: Object.values(UpdateStrategy), default: UpdateStrategy.SEMVER }),
  allowTags: str('Regular expression a tag must match', { maxLength: 256 }),
  writeBack: str('Write-back method (default: argocd; git with several environments)', { enum: Object.values(WriteBackMethod) }),
});

const PERMISSIONS = list(
  'AWS permissions of the migration pods',
  obj('One permission statement', {
    actions: list('IAM actions', str('IAM action', { pattern: PATTERNS.iamAction }), { minItems: 1, maxItems: 50, required: true }),
    resources: list('Resource ARNs', str('Resource ARN', { pattern: PATTERNS.arn, maxLength: 2048 }), { minItems: 1, maxItems: 50, required: true }),
  }),
  { minItems: 1, maxItems: 10 },
);

/** How a pod gets AWS credentials. */
const workloadIdentity = (description: string): StringField => str(description, { enum: Object.values(WorkloadIdentity) });

export const APP = obj('An application', {
  name: str('Application name, unique in the platform', { required: true, pattern: PATTERNS.dnsLabel, maxLength: 40 }),
  namespace: str('Namespace (default: the application name)', { pattern: PATTERNS.dnsLabel, maxLength: 63 }),
  host: str('Host name the application is served on, under dns.domain', { required: true, pattern: PATTERNS.domain }),
  stack: str('Stack of the application\'s AWS resources, <platform>-<stack> (default: the platform stack)', { pattern: PATTERNS.dnsLabel, maxLength: 30 }),
  replicas: { type: 'integer', description: 'Number of pods', minimum: 1, maximum: 100, default: 2 },
  ci: obj(
    'The application repository and the GitHub Actions role its workflow assumes',
    {
      repository: str('Repository name under github.owner', { required: true, pattern: PATTERNS.githubRepo }),
      subjectFormat: str('Form of the OIDC sub claim the CI role trusts', { enum: Object.values(SubjectFormat), default: SubjectFormat.IMMUTABLE }),
      repositoryId: str('Numeric repository id, for the immutable OIDC subject form', { pattern: PATTERNS.numericId, maxLength: 20 }),
      tagPatterns: list('Tag patterns whose workflows may assume the role', str('Tag pattern', { pattern: PATTERNS.tagPattern }), { maxItems: 20, default: ['v*'] }),
      branches: list('Branches whose workflows may assume the role', str('Branch', { pattern: PATTERNS.gitRef, maxLength: 255 }), { maxItems: 20, default: [] }),
      environments: list('Deployment environments whose jobs may assume the role', str('Environment', { pattern: PATTERNS.gitRef, maxLength: 255 }), { maxItems: 20, default: [] }),
      pullRequests: { type: 'boolean', description: 'Whether pull-request workflows may assume the role', default: false },
      deployPaths: list('Globs of deployment files: releases changing only these reuse the previous images', str('Glob', { pattern: PATTERNS.pathGlob, maxLength: 255 }), { maxItems: 50, default: DEFAULT_DEPLOY_PATHS }),
    },
    true,
  ),
  delivery: str('How a new image version reaches the cluster', {
    enum: Object.values(DeliveryMode),
    default: DeliveryMode.IMAGE_UPDATER,
  }),
  imageUpdate: IMAGE_UPDATE,
  containers: list('Containers of the pod', container, { minItems: 1, maxItems: 20, required: true }),
  ingress: obj('The ALB Ingress', {
    container: str('Container receiving the traffic', { pattern: PATTERNS.dnsLabel }),
    healthCheckPath: str('Health check path', { pattern: PATTERNS.httpPath, maxLength: 1024, default: '/' }),
    internetFacing: { type: 'boolean', description: 'Whether the load balancer faces the internet', default: true },
    certificateArn: str('ACM certificate ARN', { pattern: PATTERNS.certificateArn }),
    groupName: str('ALB group name', { pattern: PATTERNS.dnsLabel, maxLength: 63 }),
  }),
  migration: obj('Database migration run as a PreSync hook', {
    repository: str('ECR repository name of the migration image', { pattern: PATTERNS.ecrRepository, maxLength: 256 }),
    dockerfile: str('Dockerfile path in the application repository', { pattern: PATTERNS.relativePath, maxLength: 255, default: 'Dockerfile.migration' }),
    command: list('Command to run', freeText('Argument', { minLength: 1 }), { minItems: 1, maxItems: 100, required: true }),
    deadlineSeconds: { type: 'integer', description: 'Seconds the Job may run, all attempts together; with argocd.managed at most 90, since the managed Argo CD ends a sync after 120 s (default: 600; 90 with argocd.managed)', minimum: 10, maximum: 86400 },
    retries: { type: 'integer', description: 'Retries of a failed migration pod (backoffLimit)', minimum: 0, maximum: 10, default: 2 },
    permissions: PERMISSIONS,
    secretEnv,
    resources,
  }),
  workloadIdentity: workloadIdentity('How the application\'s pods (its ExternalDNS, its migration) get AWS credentials'),
  secret: obj('The secret the application reads', {
    name: str('Kubernetes Secret name', { pattern: PATTERNS.dnsLabel, maxLength: 63 }),
    remoteKey: str('Secrets Manager secret name, under <platform>/<app>/', { pattern: PATTERNS.secretsManagerName }),
    keys: list('Keys the application needs', str('Key', { pattern: PATTERNS.secretKey, maxLength: 253 }), { minItems: 1, maxItems: 100, required: true }),
    refreshInterval: str('Refresh interval', { pattern: PATTERNS.duration, default: '1h' }),
  }),
});

/**
 * The whole spec, with a section under `addons` for each add-on: `workloadIdentity` and the
 * add-on's own settings.
 */
export function platformShape(addons: readonly PlatformAddon[]): Shape {
  return { ...PLATFORM_FIELDS, addons: obj('Settings of the add-ons', Object.fromEntries(addons.map((addon) => [addon.specKey, addonSection(addon)]))), apps: APPS };
}

function addonSection(addon: PlatformAddon): ObjectField {
  return obj(addon.description, { workloadIdentity: workloadIdentity('How the add-on\'s pods get AWS credentials'), ...addon.settings });
}

const APPS = list('The applications', APP, { minItems: 1, maxItems: 1000, required: true });

/** One controller of `cluster.controllers`: no defaults here, since each workload has its own (lib/model/controllers.ts). */
const controller = (description: string, webhook: boolean) =>
  obj(description, {
    cpuRequest: str('CPU request', { pattern: PATTERNS.cpu }),
    cpuLimit: str('CPU limit (default: none)', { pattern: PATTERNS.cpu }),
    memoryRequest: str('Memory request', { pattern: PATTERNS.memory }),
    memoryLimit: str('Memory limit', { pattern: PATTERNS.memory }),
    ...(webhook ? { replicas: { type: 'integer', description: 'Replicas (a PodDisruptionBudget lets one go at a time)', minimum: 2, maximum: 10, default: 2 } as Field } : {}),
  });

const CONTROLLERS = obj(
  'Resource requests and limits of the controllers the stack installs with Helm, by workload (each field replaces that default)',
  Object.fromEntries(CONTROLLER_KEYS.map((key) => [key, controller(`Requests and limits of ${CONTROLLER_DEFAULTS[key].workload}`, WEBHOOK_CONTROLLER_KEYS.includes(key))])),
);

/** The cluster section: its defaults are the ones resolution reads (lib/model/defaults.ts). */
export const CLUSTER = obj('The EKS cluster', {
  version: str('Kubernetes version', { enum: SUPPORTED_KUBERNETES_VERSIONS, default: DEFAULT_KUBERNETES_VERSION }),
  nodes: obj('The managed node group', {
    instanceTypes: list('EC2 instance types', str('Instance type', { pattern: PATTERNS.instanceType }), { minItems: 1, default: ['t3.medium'] }),
    minSize: { type: 'integer', description: 'Smallest number of nodes', minimum: 1, maximum: 100, default: 2 },
    maxSize: { type: 'integer', description: 'Largest number of nodes (default: 4, or minSize when that is larger)', minimum: 1, maximum: 100 },
    desiredSize: { type: 'integer', description: 'Nodes at creation (default: minSize)', minimum: 1, maximum: 100 },
    diskSize: { type: 'integer', description: 'Root volume size in GiB', minimum: 20, maximum: 1000, default: 20 },
  }),
  adminRoleArns: list('Role ARNs granted cluster-admin', str('Role ARN', { pattern: PATTERNS.roleArn }), { default: [] }),
  vpcCidr: str('VPC CIDR block', { pattern: PATTERNS.vpcCidr, default: '10.0.0.0/16' }),
  maxAzs: { type: 'integer', description: 'Availability zones', minimum: 2, maximum: 3, default: 2 },
  publicAccessCidrs: list('CIDR blocks that may reach the public API endpoint; empty for a private endpoint', str('CIDR block', { pattern: PATTERNS.cidr }), {
    maxItems: 40,
    default: ['0.0.0.0/0'],
  }),
  controllers: CONTROLLERS,
});

const DNS = obj('The domain ExternalDNS manages', {
  domain: str('Domain', { required: true, pattern: PATTERNS.domain }),
  hostedZoneId: str('Route 53 hosted zone id', { required: true, pattern: PATTERNS.hostedZoneId }),
});

/**
 * An environment's cluster: the fields of `cluster`, each unset one inheriting the top level's (the
 * node group's one by one), except `controllers`, where a workload named here replaces that workload
 * of `cluster.controllers` whole, so its unset fields take the workload's own defaults.
 */
function environmentCluster(): ObjectField {
  const inherited = inheriting(CLUSTER, 'cluster');
  return {
    ...inherited,
    description: 'The environment\'s cluster: fields that differ from cluster; unset fields inherit cluster\'s (the node group\'s one by one)',
    fields: {
      ...inherited.fields,
      controllers: { ...CONTROLLERS, description: `${CONTROLLERS.description}; a workload named here replaces that workload of cluster.controllers` },
    },
  };
}

/** What one application does differently in one environment. */
const appEnvironment = obj('What an application does differently in this environment', {
  name: str('Application name (apps[].name)', { required: true, pattern: PATTERNS.dnsLabel, maxLength: 40 }),
  host: str('Host name here, under the environment\'s dns.domain', { pattern: PATTERNS.domain }),
  replicas: { type: 'integer', description: 'Number of pods here (default: inherits apps[].replicas)', minimum: 1, maximum: 100 },
  certificateArn: str('ACM certificate ARN for the host here', { pattern: PATTERNS.certificateArn }),
  containers: list(
    'Resources of containers here, by container name',
    obj('A container', {
      name: str('Container name (apps[].containers[].name)', { required: true, pattern: PATTERNS.dnsLabel, maxLength: 63 }),
      resources: { ...inheriting(resources, 'apps[].containers[].resources'), description: 'Resource requests and limits here: unset fields inherit the container\'s', required: true },
    }),
    { maxItems: 20 },
  ),
  imageUpdate: { ...inheriting(IMAGE_UPDATE, 'apps[].imageUpdate'), description: 'How the Image Updater chooses and records new tags here: unset fields inherit the application\'s' },
  migrationPermissions: { ...PERMISSIONS, description: 'AWS permissions of the migration pods here, instead of migration.permissions' },
});

const ENVIRONMENT = obj('An environment: its own cluster, in its own account and region', {
  name: str('Environment name: the overlay directory, and part of every physical name', { required: true, pattern: PATTERNS.dnsLabel, maxLength: 20 }),
  aws: obj('Where the environment runs (default: aws)', {
    region: str('AWS region', { enum: KNOWN_REGIONS, enumSays: REGION_SAYS }),
    account: str('AWS account id', { pattern: PATTERNS.account }),
  }),
  cluster: environmentCluster(),
  dns: { ...DNS, description: 'The environment\'s DNS zone (default: dns)' },
  promoteFrom: str('Environment whose running tags a promotion pull request copies here (default: the one before)', { pattern: PATTERNS.dnsLabel, maxLength: 20 }),
  apps: list('What applications do differently here', appEnvironment, { maxItems: 1000 }),
});

/** The fields of the spec besides `addons` and `apps`. */
export const PLATFORM_FIELDS: Shape = {
  name: str('Platform name, prefix of every physical name', { required: true, pattern: PATTERNS.dnsLabel, maxLength: 20 }),
  environment: str('Environment (overlay) name, for a platform of one environment', { pattern: PATTERNS.dnsLabel, maxLength: 63, default: 'production' }),
  environments: list('The environments, each its own cluster; the first follows releases, the others are promoted', ENVIRONMENT, {
    minItems: 1,
    maxItems: 20,
  }),
  registry: obj('Where the images live, with several environments', {
    environment: str('Environment whose account holds the ECR repositories and CI roles (default: the first)', { pattern: PATTERNS.dnsLabel, maxLength: 20 }),
  }),
  aws: obj(
    'Where the platform runs in AWS',
    {
      region: str('AWS region', { required: true, enum: KNOWN_REGIONS, enumSays: REGION_SAYS }),
      account: str('AWS account id', { pattern: PATTERNS.account }),
    },
    true,
  ),
  cluster: CLUSTER,
  github: obj(
    'GitHub owner, manifest repository and OIDC provider',
    {
      owner: str('Owner of the repositories', { required: true, pattern: PATTERNS.githubOwner }),
      ownerId: str('Numeric owner id, for the immutable OIDC subject form', { pattern: PATTERNS.numericId, maxLength: 20 }),
      manifestRepository: obj(
        'The manifest repository Argo CD pulls',
        {
          name: str('Repository name under github.owner', { required: true, pattern: PATTERNS.githubRepo }),
          branch: str('Branch Argo CD tracks', { pattern: PATTERNS.gitRef, maxLength: 255, default: 'main' }),
          access: str('Whether Argo CD needs credentials to read it', { enum: Object.values(RepositoryAccess), default: RepositoryAccess.PRIVATE }),
          credentials: obj('Argo CD\'s credentials for a private repository, from AWS Secrets Manager', {
            type: str('Kind of credentials', { enum: Object.values(RepositoryCredentialsType), default: RepositoryCredentialsType.GITHUB_APP }),
            secretName: str('Secrets Manager secret holding them, under <platform>/argocd/', { pattern: PATTERNS.secretsManagerName }),
          }),
        },
        true,
      ),
      oidcProviderArn: str('ARN of an existing GitHub Actions OIDC provider', { pattern: PATTERNS.githubOidcProviderArn }),
    },
    true,
  ),
  dns: { ...DNS, required: true },
  secrets: obj('Where application secrets come from', {
    backend: str('Secret backend', { enum: Object.values(SecretBackend), default: SecretBackend.SECRETS_MANAGER }),
    vault: obj('HashiCorp Vault', {
      address: str('Vault address', { required: true, pattern: PATTERNS.url }),
      kvMount: str('KV v2 mount path', { pattern: PATTERNS.vaultPath, default: 'kv' }),
      authMount: str('Kubernetes auth mount path', { pattern: PATTERNS.vaultPath, default: 'kubernetes' }),
      role: str('Vault role for the Kubernetes auth method', { pattern: PATTERNS.secretKey }),
    }),
  }),
  argocd: obj('Argo CD', {
    namespace: str('Argo CD namespace', { pattern: PATTERNS.dnsLabel, maxLength: 63, default: 'argocd' }),
    project: str('AppProject name', { pattern: PATTERNS.dnsLabel, maxLength: 63 }),
    syncPolicy: obj('Sync policy of the child Applications', {
      automated: { type: 'boolean', description: 'Sync automatically', default: true },
      prune: { type: 'boolean', description: 'Delete resources that left the repository', default: true },
      selfHeal: { type: 'boolean', description: 'Revert changes made in the cluster', default: true },
    }),
    managed: { type: 'boolean', description: 'Argo CD is the EKS managed capability (no plugins)', default: false },
    identityCenter: obj('IAM Identity Center of the managed Argo CD', {
      instanceArn: str('Identity Center instance ARN', { required: true, pattern: PATTERNS.identityCenterInstanceArn }),
      region: str('Region of the Identity Center instance', { enum: KNOWN_REGIONS, enumSays: REGION_SAYS }),
      adminGroupIds: list('Identity Center group ids of Argo CD admins', str('Group id', { pattern: PATTERNS.identityCenterId }), { default: [] }),
    }),
    hub: str('The environment whose Argo CD manages every environment\'s cluster (several environments, managed Argo CD)', { pattern: PATTERNS.dnsLabel, maxLength: 20 }),
  }),
  workloadIdentity: { ...workloadIdentity('How the platform\'s pods get AWS credentials: IRSA or EKS Pod Identity'), default: WorkloadIdentity.IRSA },
};
