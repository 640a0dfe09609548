import type { Field, ObjectField, Shape, StringField } from './shape';
import { DeliveryMode, SecretBackend, UpdateStrategy, WriteBackMethod } from './types';

/**
 * The fields of `PlatformSpec` (see types.ts for the TypeScript side), with the rules a single field
 * can check on its own. Rules that relate fields to each other live in validate.ts.
 */

/** Kubernetes versions the cluster construct and its kubectl layer support. */
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.32', '1.33', '1.34', '1.35'] as const;

const pattern = (regex: RegExp, says: string) => ({ regex, says });

export const PATTERNS = {
  dnsLabel: pattern(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a DNS-1123 label (lowercase letters, digits and \'-\', starting and ending with a letter or digit)'),
  region: pattern(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, 'an AWS region such as ap-northeast-1'),
  account: pattern(/^\d{12}$/, 'a 12-digit AWS account id'),
  githubOwner: pattern(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/, 'a GitHub user or organisation name (letters, digits, \'-\', at most 39)'),
  githubRepo: pattern(/^(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/, 'a GitHub repository name (letters, digits, \'.\', \'_\', \'-\'), without the owner'),
  gitRef: pattern(/^(?!\/)(?!.*\/\/)(?!.*\.\.)[A-Za-z0-9._/-]+(?<!\/)$/, 'a plain branch or environment name (no wildcards)'),
  tagPattern: pattern(/^[A-Za-z0-9._/*-]+$/, 'a Git tag pattern (letters, digits, \'.\', \'_\', \'/\', \'-\' and \'*\' wildcards)'),
  pathGlob: pattern(/^(?!\/)[A-Za-z0-9._*/{},-]+$/, "a relative path glob such as 'deploy/**' (letters, digits, '.', '_', '-', '/', '*', '{', '}', ',')"),
  identityCenterInstanceArn: pattern(/^arn:aws[a-z-]*:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/, 'an IAM Identity Center instance ARN such as arn:aws:sso:::instance/ssoins-0123456789abcdef'),
  identityCenterId: pattern(/^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/, 'an IAM Identity Center group id'),
  numericId: pattern(/^\d+$/, 'a numeric GitHub id'),
  domain: pattern(/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z][-a-z0-9]*[a-z0-9]$/, 'a lowercase DNS name such as example.com'),
  hostedZoneId: pattern(/^Z[A-Z0-9]{1,31}$/, 'a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ'),
  roleArn: pattern(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'an IAM role ARN'),
  githubOidcProviderArn: pattern(
    /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
    'the ARN of a token.actions.githubusercontent.com OIDC provider',
  ),
  cidr: pattern(/^(\d{1,3}\.){3}\d{1,3}\/(1[6-9]|2[0-8])$/, 'an IPv4 CIDR block with a prefix between /16 and /28'),
  instanceType: pattern(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an EC2 instance type such as t3.medium'),
  envName: pattern(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name (letters, digits, \'_\')'),
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
  url: pattern(/^https?:\/\/[^\s/]+(:\d+)?(\/[^\s]*)?$/, 'an http(s) URL'),
  secretKey: pattern(/^[-._a-zA-Z0-9]+$/, 'a Secret key (letters, digits, \'-\', \'_\', \'.\')'),
  secretsManagerName: pattern(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'a Secrets Manager secret name'),
  vaultPath: pattern(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, 'a Vault mount path such as kv'),
  helmVersion: pattern(/^\d+\.\d+\.\d+$/, 'an exact chart version such as 9.5.1'),
} as const;

const str = (description: string, extra: Partial<StringField> = {}): StringField => ({ type: 'string', description, ...extra });
const obj = (description: string, fields: Shape, required = false): ObjectField => ({ type: 'object', description, fields, required });
const list = (description: string, items: Field, extra: { minItems?: number; required?: boolean } = {}): Field => ({
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

const secretEnv: Field = {
  type: 'map',
  description: 'Environment variables read from the application secret: variable name to secret key',
  keyPattern: PATTERNS.envName,
};

const container = obj('A container of the application pod, with its own image and ECR repository', {
  name: str('Container name, unique in the application', { required: true, pattern: PATTERNS.dnsLabel, maxLength: 63 }),
  repository: str('ECR repository name (default <platform>/<app>/<container>)', { pattern: PATTERNS.ecrRepository, maxLength: 256 }),
  tag: str('Tag first deployed; never latest', { pattern: PATTERNS.imageTag, default: 'v0.0.1' }),
  dockerfile: str('Dockerfile path in the application repository', { default: 'Dockerfile' }),
  port: { type: 'integer', description: 'Port the container listens on', minimum: 1, maximum: 65535 },
  env: { type: 'map', description: 'Plain environment variables', keyPattern: PATTERNS.envName },
  secretEnv,
  resources,
});

const app = obj('An application', {
  name: str('Application name, unique in the platform', { required: true, pattern: PATTERNS.dnsLabel, maxLength: 40 }),
  namespace: str('Namespace (default: the application name)', { pattern: PATTERNS.dnsLabel, maxLength: 63 }),
  host: str('Host name the application is served on, under dns.domain', { required: true, pattern: PATTERNS.domain }),
  replicas: { type: 'integer', description: 'Number of pods', minimum: 1, maximum: 100, default: 2 },
  ci: obj(
    'The application repository and the GitHub Actions role its workflow assumes',
    {
      repository: str('Repository name under github.owner', { required: true, pattern: PATTERNS.githubRepo }),
      repositoryId: str('Numeric repository id, for the immutable OIDC subject form', { pattern: PATTERNS.numericId }),
      tagPatterns: list('Tag patterns whose workflows may assume the role', str('Tag pattern', { pattern: PATTERNS.tagPattern })),
      branches: list('Branches whose workflows may assume the role', str('Branch', { pattern: PATTERNS.gitRef })),
      environments: list('Deployment environments whose jobs may assume the role', str('Environment', { pattern: PATTERNS.gitRef })),
      pullRequests: { type: 'boolean', description: 'Whether pull-request workflows may assume the role', default: false },
      deployPaths: list('Globs of deployment files: releases changing only these reuse the previous images', str('Glob', { pattern: PATTERNS.pathGlob })),
    },
    true,
  ),
  delivery: str('How a new image version reaches the cluster', {
    enum: Object.values(DeliveryMode),
    default: DeliveryMode.IMAGE_UPDATER,
  }),
  imageUpdate: obj('How the Image Updater chooses and records new tags', {
    strategy: str('Update strategy', { enum: Object.values(UpdateStrategy), default: UpdateStrategy.SEMVER }),
    allowTags: str('Regular expression a tag must match'),
    writeBack: str('Write-back method', { enum: Object.values(WriteBackMethod), default: WriteBackMethod.ARGOCD }),
  }),
  containers: list('Containers of the pod', container, { minItems: 1, required: true }),
  ingress: obj('The ALB Ingress', {
    container: str('Container receiving the traffic', { pattern: PATTERNS.dnsLabel }),
    healthCheckPath: str('Health check path', { pattern: PATTERNS.httpPath, default: '/' }),
    internetFacing: { type: 'boolean', description: 'Whether the load balancer faces the internet', default: true },
    certificateArn: str('ACM certificate ARN', { pattern: PATTERNS.certificateArn }),
    groupName: str('ALB group name', { pattern: PATTERNS.dnsLabel, maxLength: 63 }),
  }),
  migration: obj('Database migration run as a PreSync hook', {
    repository: str('ECR repository name of the migration image', { pattern: PATTERNS.ecrRepository, maxLength: 256 }),
    dockerfile: str('Dockerfile path in the application repository', { default: 'Dockerfile.migration' }),
    command: list('Command to run', str('Argument'), { minItems: 1, required: true }),
    deadlineSeconds: { type: 'integer', description: 'Seconds the Job may run', minimum: 10, maximum: 86400, default: 300 },
    secretEnv,
    resources,
  }),
  secret: obj('The secret the application reads', {
    name: str('Kubernetes Secret name', { pattern: PATTERNS.dnsLabel, maxLength: 63 }),
    remoteKey: str('Secrets Manager secret name, under <platform>/<app>/', { pattern: PATTERNS.secretsManagerName }),
    keys: list('Keys the application needs', str('Key', { pattern: PATTERNS.secretKey }), { minItems: 1, required: true }),
    refreshInterval: str('Refresh interval', { pattern: PATTERNS.duration, default: '1h' }),
  }),
});

/** The whole spec. */
export const PLATFORM_SHAPE: Shape = {
  name: str('Platform name, prefix of every physical name', { required: true, pattern: PATTERNS.dnsLabel, maxLength: 20 }),
  environment: str('Environment (overlay) name', { pattern: PATTERNS.dnsLabel, maxLength: 63, default: 'production' }),
  aws: obj(
    'Where the platform runs in AWS',
    {
      region: str('AWS region', { required: true, pattern: PATTERNS.region }),
      account: str('AWS account id', { pattern: PATTERNS.account }),
    },
    true,
  ),
  cluster: obj('The EKS cluster', {
    version: str('Kubernetes version', { enum: SUPPORTED_KUBERNETES_VERSIONS, default: '1.35' }),
    nodes: obj('The managed node group', {
      instanceTypes: list('EC2 instance types', str('Instance type', { pattern: PATTERNS.instanceType }), { minItems: 1 }),
      minSize: { type: 'integer', description: 'Smallest number of nodes', minimum: 1, maximum: 100, default: 2 },
      maxSize: { type: 'integer', description: 'Largest number of nodes', minimum: 1, maximum: 100, default: 4 },
      desiredSize: { type: 'integer', description: 'Nodes at creation', minimum: 1, maximum: 100 },
      diskSize: { type: 'integer', description: 'Root volume size in GiB', minimum: 20, maximum: 1000, default: 20 },
    }),
    adminRoleArns: list('Role ARNs granted cluster-admin', str('Role ARN', { pattern: PATTERNS.roleArn })),
    vpcCidr: str('VPC CIDR block', { pattern: PATTERNS.cidr, default: '10.0.0.0/16' }),
    maxAzs: { type: 'integer', description: 'Availability zones', minimum: 2, maximum: 3, default: 2 },
  }),
  github: obj(
    'GitHub owner, manifest repository and OIDC provider',
    {
      owner: str('Owner of the repositories', { required: true, pattern: PATTERNS.githubOwner }),
      ownerId: str('Numeric owner id, for the immutable OIDC subject form', { pattern: PATTERNS.numericId }),
      manifestRepository: obj(
        'The manifest repository Argo CD pulls',
        {
          name: str('Repository name under github.owner', { required: true, pattern: PATTERNS.githubRepo }),
          branch: str('Branch Argo CD tracks', { pattern: PATTERNS.gitRef, default: 'main' }),
        },
        true,
      ),
      oidcProviderArn: str('ARN of an existing GitHub Actions OIDC provider', { pattern: PATTERNS.githubOidcProviderArn }),
    },
    true,
  ),
  dns: obj(
    'The domain ExternalDNS manages',
    {
      domain: str('Domain', { required: true, pattern: PATTERNS.domain }),
      hostedZoneId: str('Route 53 hosted zone id', { required: true, pattern: PATTERNS.hostedZoneId }),
    },
    true,
  ),
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
    chartVersion: str('argo-cd Helm chart version', { pattern: PATTERNS.helmVersion }),
    syncPolicy: obj('Sync policy of the child Applications', {
      automated: { type: 'boolean', description: 'Sync automatically', default: true },
      prune: { type: 'boolean', description: 'Delete resources that left the repository', default: true },
      selfHeal: { type: 'boolean', description: 'Revert changes made in the cluster', default: true },
    }),
    managed: { type: 'boolean', description: 'Argo CD is the EKS managed capability (no plugins)', default: false },
    identityCenter: obj('IAM Identity Center of the managed Argo CD', {
      instanceArn: str('Identity Center instance ARN', { required: true, pattern: PATTERNS.identityCenterInstanceArn }),
      region: str('Region of the Identity Center instance', { pattern: PATTERNS.region }),
      adminGroupIds: list('Identity Center group ids of Argo CD admins', str('Group id', { pattern: PATTERNS.identityCenterId })),
    }),
  }),
  apps: list('The applications', app, { minItems: 1, required: true }),
};
