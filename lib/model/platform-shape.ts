import { RegionInfo } from 'aws-cdk-lib/region-info';
import { DEFAULT_DEPLOY_PATHS } from './constants';
import { CONTROLLER_DEFAULTS, CONTROLLER_KEYS, WEBHOOK_CONTROLLER_KEYS } from './controllers';
import type { ControllerKey } from './controllers';
import { ComputeMode, DatabaseDeployment, DatabaseEngine, DeliveryMode, RepositoryAccess, RepositoryCredentialsType, SecretBackend, SubjectFormat, UpdateStrategy, WorkloadIdentity, WriteBackMethod } from './enums';
import { DEFAULT_KUBERNETES_VERSION, SUPPORTED_KUBERNETES_VERSIONS } from './kubernetes-versions';
import type { PlatformAddon } from './resolved';
import { inheriting } from './shape';
import type { Field, ObjectField, Shape, StringField } from './shape';

/**
 * The fields of `PlatformSpec`, with the rules a single field can check on its own and their
 * documentation: the one source of the spec's JSON Schema (platform.schema.json), of its TypeScript
 * interfaces (types.ts), of the reference table of docs/spec-reference.md and of the defaults the
 * resolver fills in (defaults.ts). `npx projen schema` writes the generated files. Rules that relate
 * fields to each other live in validate.ts and its sections in validate/.
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
  // A label the workflow's `contains()` and the generator's `labels` compare exactly: no quoting characters.
  pullRequestLabel: pattern(/^[A-Za-z0-9][A-Za-z0-9 ._:-]{0,49}$/, 'a GitHub label of letters, digits, spaces, \'.\', \'_\', \':\' and \'-\' (at most 50, starting with a letter or digit)'),
  secretsManagerName: pattern(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'a Secrets Manager secret name (letters, digits and / _ + = . @ -)'),
  kmsKeyArn: pattern(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, 'a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
  databaseIdentifier: pattern(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, 'a database name or user name (a letter, then letters, digits and \'_\', at most 63)'),
  vaultPath: pattern(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, 'a Vault mount path such as kv'),
} as const;

const str = (description: string, extra: Partial<StringField> = {}): StringField => ({ type: 'string', description, ...extra });
type ObjExtra = Partial<Pick<ObjectField, 'required' | 'doc' | 'defaultDoc' | 'typeName' | 'typeDoc' | 'typeExtends' | 'oneRow'>>;
const obj = (description: string, fields: Shape, extra: ObjExtra = {}): ObjectField => ({ type: 'object', description, fields, required: false, ...extra });
type ListExtra = { minItems?: number; maxItems?: number; required?: boolean; default?: readonly string[]; doc?: string; defaultDoc?: string };

/** The enums of the spec (enums.ts), by the name types.ts types a field with. */
const ENUMS = {
  ComputeMode,
  DatabaseDeployment,
  DatabaseEngine,
  DeliveryMode,
  RepositoryAccess,
  RepositoryCredentialsType,
  SecretBackend,
  SubjectFormat,
  UpdateStrategy,
  WorkloadIdentity,
  WriteBackMethod,
};

/** A field whose values are those of one enum of enums.ts, typed by it in types.ts. */
const oneOf = (enumType: keyof typeof ENUMS): Partial<StringField> => ({ enum: Object.values(ENUMS[enumType]), enumType });

const list = (description: string, items: Field, extra: ListExtra = {}): Field => ({
  type: 'array',
  description,
  items,
  ...extra,
});

const resources = obj('Resource requests and limits', {
  cpuRequest: str('CPU request', { doc: 'CPU request, e.g. `200m`.', pattern: PATTERNS.cpu, default: '200m' }),
  cpuLimit: str('CPU limit', { doc: 'CPU limit.', pattern: PATTERNS.cpu, default: '400m' }),
  memoryRequest: str('Memory request', { doc: 'Memory request, e.g. `64Mi`.', pattern: PATTERNS.memory, default: '64Mi' }),
  memoryLimit: str('Memory limit', { doc: 'Memory limit.', pattern: PATTERNS.memory, default: '128Mi' }),
}, {
  doc: 'Resource requests and limits.',
  defaultDoc: '- 200m/400m CPU, 64Mi/128Mi memory',
  typeName: 'ResourcesSpec',
  typeDoc: 'Resource requests and limits of a container.',
});

/** A free-form value: any text up to `MAX_FREE_TEXT` characters (it is only ever written as a YAML string). */
function freeText(description: string, extra: Partial<StringField> = {}): StringField {
  return str(description, { maxLength: MAX_FREE_TEXT, ...extra });
}

const secretEnv: Field = {
  type: 'map',
  description: 'Environment variables read from the application secret: variable name to secret key',
  doc: 'Environment variables read from the application\'s secret: variable name → secret key.',
  defaultDoc: '- none',
  keyPattern: PATTERNS.envName,
};

const container = obj('A container of the application pod, with its own image and ECR repository', {
  name: str('Container name, unique in the application', {
    doc: 'Container name: a DNS-1123 label, unique in the application.',
    required: true,
    pattern: PATTERNS.dnsLabel,
    maxLength: 63,
  }),
  repository: str('ECR repository name (default <platform>/<app>/<container>)', {
    doc: 'ECR repository name of the image.',
    defaultDoc: '\'<platform>/<app>/<container>\'',
    pattern: PATTERNS.ecrRepository,
    maxLength: 256,
  }),
  tag: str('Tag first deployed; never latest', {
    doc: 'Tag first deployed, before the Image Updater or the pipeline moves it. Never `latest`.',
    pattern: PATTERNS.imageTag,
    default: 'v0.0.1',
  }),
  dockerfile: str('Dockerfile path in the application repository', {
    doc: 'Dockerfile path in the application repository, relative to its root, for the build workflow.',
    pattern: PATTERNS.relativePath,
    maxLength: 255,
    default: 'Dockerfile',
  }),
  port: {
    type: 'integer',
    description: 'Port the container listens on',
    doc: 'Port the container listens on.',
    defaultDoc: '- none (a sidecar that receives no traffic)',
    minimum: 1,
    maximum: 65535,
  },
  env: {
    type: 'map',
    description: 'Plain environment variables',
    doc: 'Plain environment variables.',
    defaultDoc: '- none',
    keyPattern: PATTERNS.envName,
    values: freeText('Value'),
  },
  secretEnv,
  resources,
}, { typeName: 'ContainerSpec', typeDoc: 'One container of the application\'s pod, built from its own Dockerfile into its own ECR repository.' });

const IMAGE_UPDATE = obj('How the Image Updater chooses and records new tags', {
  strategy: str('Update strategy', { doc: 'How the newest tag is chosen.', ...oneOf('UpdateStrategy'), default: UpdateStrategy.SEMVER }),
  allowTags: str('Regular expression a tag must match', {
    doc: 'Regular expression a tag must match to be considered.',
    defaultDoc: '- `^v?[0-9]+\\.[0-9]+\\.[0-9]+$` for semver, any tag otherwise',
    maxLength: 256,
  }),
  writeBack: str('Write-back method (default: argocd; git with several environments)', {
    doc: 'Where the new tag is recorded.',
    defaultDoc: '- `WriteBackMethod.ARGOCD` for a platform of one environment; `WriteBackMethod.GIT` with several environments',
    ...oneOf('WriteBackMethod'),
  }),
}, { typeName: 'ImageUpdateSpec', typeDoc: 'How the Image Updater chooses and records new tags.' });

const PERMISSIONS = list(
  'AWS permissions of the migration pods',
  obj('One permission statement', {
    actions: list('IAM actions', str('IAM action', { pattern: PATTERNS.iamAction }), {
      doc: 'IAM actions such as `rds-db:connect`; no `*` alone.',
      minItems: 1,
      maxItems: 50,
      required: true,
    }),
    resources: list('Resource ARNs', str('Resource ARN', { pattern: PATTERNS.arn, maxLength: 2048 }), {
      doc: 'Resource ARNs the actions apply to; no `*` alone.',
      minItems: 1,
      maxItems: 50,
      required: true,
    }),
  }, { typeName: 'PermissionSpec', typeDoc: 'One IAM permission statement: actions allowed on resources.' }),
  { minItems: 1, maxItems: 10 },
);

/** How a pod gets AWS credentials. */
const workloadIdentity = (description: string): StringField => str(description, { ...oneOf('WorkloadIdentity') });

/** The variables a database's connection is read into, by the key of its secret. */
const dbVariable = (key: string, variable: string) =>
  str(`Variable the database's ${key} is read into`, {
    doc: `Environment variable of the database's \`containers\` and of the migration that holds its \`${key}\`.`,
    pattern: PATTERNS.envName,
    default: variable,
  });

/** An application's database: its engine, capacity and the data it keeps. */
export const DATABASE = obj('The application\'s database: an Aurora cluster (Serverless v2 by default) or a single RDS instance', {
  // Required: an object whose fields all have defaults would be filled in, and so turned on, for every app.
  engine: str('Engine, postgresql or mysql (immutable: a change replaces the database)', {
    doc: 'The database engine. Immutable: changing it would replace the database, so `validate` refuses it once the database is recorded in `platform.lock.json`.',
    ...oneOf('DatabaseEngine'),
    required: true,
  }),
  deployment: str('How the database runs: aurora-serverless, aurora-provisioned or instance', {
    doc: 'How the database runs: an Aurora cluster with a Serverless v2 writer (`aurora-serverless`), with a provisioned writer of `instanceClass` (`aurora-provisioned`), or a single RDS DB instance of `instanceClass` in one Availability Zone (`instance`, for a sandbox). Between the two Aurora kinds the writer changes in place; to or from `instance` the database is replaced, which `validate` refuses once it is recorded.',
    ...oneOf('DatabaseDeployment'),
    default: DatabaseDeployment.AURORA_SERVERLESS,
  }),
  engineVersion: str('Engine version', {
    doc: 'The engine version; PostgreSQL 15 or later (from 15 only the database owner may create objects in the public schema, which keeps the application\'s user to the data). Raising it is an in-place upgrade.',
    defaultDoc: '- Aurora: \'16.6\' (postgresql), \'8.0.mysql_aurora.3.08.0\' (mysql); instance: \'16.6\', \'8.0.40\'',
    pattern: pattern(/^[0-9][0-9A-Za-z._]{0,63}$/, 'an engine version such as 16.6 or 8.0.mysql_aurora.3.08.0'),
  }),
  instanceClass: str('DB instance class of aurora-provisioned or instance', {
    doc: 'The DB instance class of the writer (`aurora-provisioned`) or of the instance (`instance`). Not with `aurora-serverless`.',
    defaultDoc: '- \'db.r6g.large\' (aurora-provisioned), \'db.t4g.micro\' (instance)',
    pattern: pattern(/^db\.[a-z0-9]+\.[a-z0-9]+$/, 'a DB instance class such as db.t4g.micro or db.r6g.large'),
  }),
  allocatedStorage: {
    type: 'integer',
    description: 'GiB of gp3 storage of an instance (default: 20)',
    doc: 'The storage of an `instance`, in GiB of gp3 (Aurora grows its own storage). Not with the Aurora deployments.',
    defaultDoc: '- 20 (instance)',
    minimum: 20,
    maximum: 65536,
  },
  minCapacity: {
    type: 'integer',
    description: 'Smallest Serverless v2 capacity, in ACUs (aurora-serverless)',
    doc: 'The smallest capacity of the Serverless v2 writer (`aurora-serverless`), in Aurora capacity units (about 2 GiB of memory each); whole units.',
    minimum: 1,
    maximum: 256,
    default: 1,
  },
  maxCapacity: {
    type: 'integer',
    description: 'Largest Serverless v2 capacity, in ACUs (aurora-serverless)',
    doc: 'The largest capacity of the Serverless v2 writer (`aurora-serverless`), in Aurora capacity units; at least `minCapacity`. What it costs at most: see https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/costs.md.',
    minimum: 1,
    maximum: 256,
    default: 4,
  },
  databaseName: str('Name of the database created in the cluster (immutable)', {
    doc: 'Name of the database the cluster is created with. Immutable: `validate` refuses a change once the database is recorded.',
    defaultDoc: '- the application\'s name, with \'-\' as \'_\'',
    pattern: PATTERNS.databaseIdentifier,
  }),
  username: str('Master user name (immutable)', {
    doc: 'Name of the master user, whose generated password is kept in Secrets Manager. Only the PreSync jobs log in as it (the one that creates the application\'s user, and the migration); the containers log in as the application\'s user `app`. Immutable: `validate` refuses a change once the database is recorded.',
    pattern: PATTERNS.databaseIdentifier,
    maxLength: 16,
    default: 'dbadmin',
  }),
  rotationDays: {
    type: 'integer',
    description: 'Days between rotations of the database\'s passwords',
    doc: 'Days between two rotations of the passwords: the application\'s own user\'s (Secrets Manager\'s alternating-users rotation: `app` and `app_clone` take turns, so the password the pods started with stays valid for another `rotationDays` after it is replaced) and the master\'s (single user; only the PreSync Jobs read it, within a minute of a rotation). Every pod must restart within that time: a release does it. The application user\'s first rotation starts when the stack deploys and succeeds once the first sync has created the user (https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/runbook.md#databases).',
    minimum: 1,
    maximum: 365,
    default: 30,
  },
  backupRetentionDays: {
    type: 'integer',
    description: 'Days automated backups are kept',
    doc: 'Days the automated backups (point-in-time recovery) are kept.',
    minimum: 1,
    maximum: 35,
    default: 7,
  },
  kmsKeyArn: str('KMS key encrypting the storage (immutable)', {
    doc: 'ARN of the customer managed KMS key that encrypts the database\'s storage and snapshots, in the platform\'s account and region. Immutable: `validate` refuses a change once the database is recorded.',
    defaultDoc: '- the AWS managed key `aws/rds`',
    pattern: PATTERNS.kmsKeyArn,
  }),
  containers: list('Containers that read the connection', str('Container name', { pattern: PATTERNS.dnsLabel, maxLength: 63 }), {
    doc: 'The containers that read the connection (as the application\'s user `app`, and its password) into `variables`; the migration always does, as the master user. Only they get the password: a front proxy beside the app needs none.',
    defaultDoc: '- the first container',
    minItems: 1,
    maxItems: 20,
  }),
  variables: obj('Variables the connection is read into', {
    host: dbVariable('host', 'DB_HOST'),
    port: dbVariable('port', 'DB_PORT'),
    username: dbVariable('username', 'DB_USER'),
    password: dbVariable('password', 'DB_PASSWORD'),
    dbname: dbVariable('dbname', 'DB_NAME'),
  }, {
    doc: 'The environment variables `containers` and the migration read the connection from, by key of the database\'s secret.',
    typeName: 'DatabaseVariablesSpec',
    typeDoc: 'The environment variables an application\'s database connection is read into.',
  }),
}, {
  doc: 'A database of the application\'s own in each environment: an Aurora cluster (Serverless v2 by default) or a single RDS instance in the cluster VPC\'s private subnets, in the application\'s stack, its credentials in Secrets Manager under `<platform>/<app>/database` and read into its `containers` and the migration.',
  defaultDoc: '- no database',
  typeName: 'DatabaseSpec',
  typeDoc: 'An application\'s database: an Amazon Aurora cluster or a single RDS instance, its secret wired into the application and its migration.',
});

export const APP = obj('An application', {
  name: str('Application name, unique in the platform', {
    doc: 'Application name: a DNS-1123 label, unique in the platform.',
    required: true,
    pattern: PATTERNS.dnsLabel,
    maxLength: 40,
  }),
  namespace: str('Namespace (default: the application name)', {
    doc: 'Namespace the application runs in; unique per application.',
    defaultDoc: '- the application name',
    pattern: PATTERNS.dnsLabel,
    maxLength: 63,
  }),
  host: str('Host name the application is served on, under dns.domain', {
    doc: 'Host name the application is served on; must be under `dns.domain`, and no other app\'s host.',
    required: true,
    pattern: PATTERNS.domain,
  }),
  stack: str('Stack of the application\'s AWS resources, <platform>-<stack> (default: the platform stack)', {
    doc: 'The CloudFormation stack that holds the application\'s AWS resources (ECR repositories, CI and workload roles): `<platform>-<stack>`. An application never moves between stacks on its own, so adding or removing other applications never touches it. Give large platforms a few stacks (about 40 applications fit in one).',
    defaultDoc: '- the platform stack `<platform>-platform`',
    pattern: PATTERNS.dnsLabel,
    maxLength: 30,
  }),
  replicas: { type: 'integer', description: 'Number of pods', doc: 'Number of pods.', minimum: 1, maximum: 100, default: 2 },
  ci: obj(
    'The application repository and the GitHub Actions role its workflow assumes',
    {
      repository: str('Repository name under github.owner', {
        doc: 'Repository name under `github.owner`, spelt as GitHub spells it, case included (`gh api repos/<owner>/<repository> --jq .name`): GitHub finds a repository whatever the case, but the OIDC `sub` claim the CI role trusts (IAM `StringEquals`) and the signing certificate `cosign verify --certificate-identity` checks carry GitHub\'s spelling and are compared exactly, so another case fails every release.',
        required: true,
        pattern: PATTERNS.githubRepo,
      }),
      subjectFormat: str('Form of the OIDC sub claim the CI role trusts', {
        doc: 'Which form of the OIDC `sub` claim the CI role trusts: what GitHub sends for this repository. `gh api repos/<owner>/<repository>/actions/oidc/customization/sub --jq .sub_claim_prefix` shows it.',
        defaultDoc: 'the form of every repository created since 15 July 2026',
        ...oneOf('SubjectFormat'),
        default: SubjectFormat.IMMUTABLE,
      }),
      repositoryId: str('Numeric repository id, for the immutable OIDC subject form', {
        doc: 'Numeric id of the repository, for the immutable subject form (`gh api repos/<owner>/<repository> --jq .id`).',
        defaultDoc: '- none; required with the immutable subject form',
        pattern: PATTERNS.numericId,
        maxLength: 20,
      }),
      tagPatterns: list('Tag patterns whose workflows may assume the role', str('Tag pattern', { pattern: PATTERNS.tagPattern }), {
        doc: 'Git tag patterns (`*` wildcards) whose workflows may assume the role, e.g. `v*`.',
        maxItems: 20,
        default: ['v*'],
      }),
      branches: list('Branches whose workflows may assume the role', str('Branch', { pattern: PATTERNS.gitRef, maxLength: 255 }), {
        doc: 'Branches whose workflows may assume the role.',
        defaultDoc: 'none',
        maxItems: 20,
        default: [],
      }),
      environments: list('Deployment environments whose jobs may assume the role', str('Environment', { pattern: PATTERNS.gitRef, maxLength: 255 }), {
        doc: 'GitHub deployment environments whose jobs may assume the role.',
        defaultDoc: 'none',
        maxItems: 20,
        default: [],
      }),
      pullRequests: {
        type: 'boolean',
        description: 'Whether pull-request workflows may assume the role',
        doc: 'Whether pull-request workflows may assume the role (they run code from forks\' authors).',
        default: false,
      },
      deployPaths: list('Globs of deployment files: releases changing only these reuse the previous images', str('Glob', { pattern: PATTERNS.pathGlob, maxLength: 255 }), {
        doc: 'Paths (globs) of deployment files in the application repository: a release whose changes since the previous release touch only these reuses the previous images under the new tag instead of rebuilding them.',
        maxItems: 50,
        default: DEFAULT_DEPLOY_PATHS,
      }),
    },
    {
      required: true,
      doc: 'The application\'s source repository and the GitHub Actions role its workflow assumes.',
      typeName: 'CiSpec',
      typeDoc: 'The application\'s source repository and the GitHub Actions role its workflow assumes.',
    },
  ),
  delivery: str('How a new image version reaches the cluster', {
    doc: 'How a new image version reaches the cluster.',
    ...oneOf('DeliveryMode'),
    default: DeliveryMode.IMAGE_UPDATER,
  }),
  imageUpdate: {
    ...IMAGE_UPDATE,
    doc: 'How the Image Updater chooses and records new tags (delivery `image-updater` only).',
    defaultDoc: '- semver, written back through Argo CD (through Git with several environments)',
  },
  containers: list('Containers of the pod', container, {
    doc: 'The containers of the application\'s pod. At least one; exactly one receives the Ingress traffic.',
    minItems: 1,
    maxItems: 20,
    required: true,
  }),
  ingress: obj('The ALB Ingress', {
    container: str('Container receiving the traffic', {
      doc: 'Name of the container that receives the traffic (it must have a port).',
      defaultDoc: '- the first container with a port',
      pattern: PATTERNS.dnsLabel,
    }),
    healthCheckPath: str('Health check path', {
      doc: 'Health check path of the ALB target group.',
      pattern: PATTERNS.httpPath,
      maxLength: 1024,
      default: '/',
    }),
    internetFacing: {
      type: 'boolean',
      description: 'Whether the load balancer faces the internet',
      doc: 'Whether the load balancer faces the internet.',
      default: true,
    },
    certificateArn: str('ACM certificate ARN', {
      doc: 'ACM certificate ARN for HTTPS.',
      defaultDoc: '- the load balancer controller discovers a certificate by host name',
      pattern: PATTERNS.certificateArn,
    }),
    groupName: str('ALB group name', {
      doc: 'ALB group name: Ingresses sharing it share one load balancer, so they must agree on `internetFacing` (the load balancer controller reconciles no Ingress of a group whose members disagree on the scheme).',
      defaultDoc: '- the platform name for internet-facing apps, `<platform>-internal` for internal ones',
      pattern: PATTERNS.dnsLabel,
      maxLength: 63,
    }),
  }, {
    doc: 'The ALB Ingress.',
    defaultDoc: '- traffic to the first container with a port, health check on `/`',
    typeName: 'IngressSpec',
    typeDoc: 'The ALB Ingress.',
  }),
  supplyChain: obj('Signing and verification of the application\'s images', {
    sign: {
      type: 'boolean',
      description: 'Whether the release workflow signs the images with cosign and verifies them before delivering',
      doc: 'Whether the release workflow signs each image keylessly with cosign (the identity of the release workflow at the tag, GitHub\'s OIDC issuer) and verifies the release tag\'s signature before the delivery moves a tag. Turn it off only for a sandbox whose images nobody needs to trust: nothing then checks what runs. Provenance and SBOM attestations are attached either way.',
      default: true,
    },
  }, {
    doc: 'Signing and verification of the application\'s images.',
    defaultDoc: '- images are signed and verified',
    typeName: 'SupplyChainSpec',
    typeDoc: 'Signing and verification of the application\'s images.',
  }),
  previews: obj('A preview of the application for each labelled pull request, in the first environment\'s cluster', {
    enabled: {
      type: 'boolean',
      description: 'Give each labelled pull request its own copy of the app',
      doc: 'Whether a pull request to the application repository that carries `label` gets its own copy of the app in the first environment\'s cluster: namespace `<app>-pr-<number>`, host `pr-<number>.<host>`, images built from its head commit and tagged `pr-<number>-<8-character sha>` in repositories of their own. Argo CD\'s pull request generator creates each preview and deletes it, with everything it made, when the pull request closes or loses the label. Only with a self-managed Argo CD (the EKS managed one has no pull request generator) and only for branches of the application repository itself: a fork\'s pull request never builds with an AWS role, so it never gets images (the generator cannot tell a fork from a branch: label a fork\'s pull request and it gets a preview whose pods never start: https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/previews.md#a-labelled-pull-request-from-a-fork).',
      default: false,
    },
    label: str('The pull request label that asks for a preview', {
      doc: 'The label a pull request needs for a preview; removing it tears the preview down.',
      pattern: PATTERNS.pullRequestLabel,
      default: 'preview',
    }),
    maxConcurrent: {
      type: 'integer',
      description: 'At most this many previews at once',
      doc: 'At most this many previews of pull requests from branches at once: the preview workflow takes the label off a pull request beyond it, saying why, and builds nothing for it (the generator may list it until its next poll). Labelled pull requests from forks are not counted.',
      minimum: 1,
      maximum: 20,
      default: 3,
    },
    secretPrefix: str('Secrets Manager prefix the previews read their secret from', {
      doc: 'The Secrets Manager prefix the previews read the app\'s secret from (`<prefix>/<secret.name>`, with the same keys as production\'s), never production\'s: the previews\' role reads this prefix and nothing else.',
      defaultDoc: '\'<platform>/<app>/previews\' (\'<platform>/<environment>/<app>/previews\' with several environments)',
      pattern: PATTERNS.secretsManagerName,
    }),
    migrate: {
      type: 'boolean',
      description: 'Run the migration in each preview, against the preview secret\'s database settings',
      doc: 'Whether each preview runs the app\'s migration (its PreSync Job), against the database the preview secret names; off, previews skip it. Never point the preview secret at production\'s database.',
      default: false,
    },
    githubAppSecretName: str('Secrets Manager secret with the GitHub App the pull request generator lists pull requests with, under <platform>/argocd/', {
      doc: 'Name of the AWS Secrets Manager secret holding the GitHub App Argo CD\'s pull request generator lists the repository\'s pull requests with: a JSON object with `githubAppID`, `githubAppInstallationID` and `githubAppPrivateKey` (the keys of a `github-app` repository credential; the App needs Pull requests read access on the application repository, and may be the one that reports deploy feedback). In the platform\'s account and region, under `<platform>/argocd/`; every app\'s previews may share it.',
      defaultDoc: '\'<platform>/argocd/previews\'',
      pattern: PATTERNS.secretsManagerName,
    }),
    imageExpiryDays: {
      type: 'integer',
      description: 'Days a preview image is kept in its repository',
      doc: 'Days a preview image is kept in the preview repositories before ECR\'s lifecycle rule expires it.',
      minimum: 1,
      maximum: 365,
      default: 14,
    },
  }, {
    doc: 'Preview environments: a copy of the app for each labelled pull request.',
    defaultDoc: '- off',
    typeName: 'PreviewsSpec',
    typeDoc: 'A preview of the application for each labelled pull request.',
  }),
  migration: obj('Database migration run as a PreSync hook', {
    repository: str('ECR repository name of the migration image', {
      doc: 'ECR repository name of the migration image.',
      defaultDoc: '\'<platform>/<app>/migration\'',
      pattern: PATTERNS.ecrRepository,
      maxLength: 256,
    }),
    dockerfile: str('Dockerfile path in the application repository', {
      doc: 'Dockerfile path in the application repository.',
      pattern: PATTERNS.relativePath,
      maxLength: 255,
      default: 'Dockerfile.migration',
    }),
    command: list('Command to run', freeText('Argument', { minLength: 1 }), {
      doc: 'Command to run, e.g. `[\'/app/migrate\', \'up\']`.',
      minItems: 1,
      maxItems: 100,
      required: true,
    }),
    deadlineSeconds: {
      type: 'integer',
      description: 'Seconds the Job may run, all attempts together; with argocd.managed at most 90, since the managed Argo CD ends a sync after 120 s (default: 600; 90 with argocd.managed)',
      doc: 'Seconds the Job may run, all attempts together, before it is stopped and the sync fails. With `argocd.managed: true` at most 90: the EKS managed Argo CD ends every sync 120 s after it starts.',
      defaultDoc: '- 600; 90 with `argocd.managed: true`',
      minimum: 10,
      maximum: 86400,
    },
    retries: {
      type: 'integer',
      description: 'Retries of a failed migration pod (backoffLimit)',
      doc: 'How many times a failed migration pod is retried (the Job\'s `backoffLimit`), so that one transient database error does not fail the release. The migration must be safe to re-run.',
      minimum: 0,
      maximum: 10,
      default: 2,
    },
    permissions: {
      ...PERMISSIONS,
      doc: 'AWS permissions of the migration Job\'s pods (for example `rds-db:connect`). With any, the Job\'s ServiceAccount gets a role of its own that grants exactly these.',
      defaultDoc: '- none: the Job gets no AWS role (images are pulled by the node, not the pod)',
    },
    secretEnv,
    resources,
  }, {
    doc: 'The database migration run as an Argo CD PreSync hook, with the same tag as the application.',
    defaultDoc: '- no migration',
    typeName: 'MigrationSpec',
    typeDoc: 'The database migration, run as an Argo CD PreSync hook before the new version rolls out.',
  }),
  workloadIdentity: {
    ...workloadIdentity('How the application\'s pods (its ExternalDNS, its migration) get AWS credentials'),
    doc: 'How the application\'s pods (its ExternalDNS, its migration) get AWS credentials.',
    defaultDoc: '- the add-on\'s choice, else the platform\'s `workloadIdentity`',
  },
  secret: obj('The secret the application reads', {
    name: str('Kubernetes Secret name', {
      doc: 'Name of the Kubernetes Secret.',
      defaultDoc: '\'<app>-secrets\'',
      pattern: PATTERNS.dnsLabel,
      maxLength: 63,
    }),
    remoteKey: str('Secrets Manager secret name, under <platform>/<app>/', {
      doc: 'Name of the secret in AWS Secrets Manager (a JSON object holding `keys`); it must start with `<platform>/<app>/`, the prefix the External Secrets role may read.',
      defaultDoc: '\'<platform>/<app>/<name>\'',
      pattern: PATTERNS.secretsManagerName,
    }),
    keys: list('Keys the application needs', str('Key', { pattern: PATTERNS.secretKey, maxLength: 253 }), {
      doc: 'The keys (JSON properties) the application needs.',
      minItems: 1,
      maxItems: 100,
      required: true,
    }),
    refreshInterval: str('Refresh interval', { doc: 'How often External Secrets refreshes the Secret.', pattern: PATTERNS.duration, default: '1h' }),
  }, {
    doc: 'The secret the application reads.',
    defaultDoc: '- no secret',
    typeName: 'AppSecretSpec',
    typeDoc: 'The secret an application reads, copied into a Kubernetes Secret by External Secrets.',
  }),
  database: DATABASE,
}, { typeName: 'AppSpec', typeDoc: 'One application.' });

/**
 * The whole spec, with a section under `addons` for each add-on: `workloadIdentity` and the
 * add-on's own settings.
 */
export function platformShape(addons: readonly PlatformAddon[]): Shape {
  const sections = obj('Settings of the add-ons', Object.fromEntries(addons.map((addon) => [addon.specKey, addonSection(addon)])), {
    doc: 'Settings of the platform\'s add-ons, by add-on.',
    defaultDoc: '- every add-on with its defaults',
    typeName: 'AddonsSpec',
    typeDoc: 'Settings of the built-in add-ons.',
  });
  return { ...PLATFORM_FIELDS, addons: sections, apps: APPS };
}

/** The spec as one object: `platformShape` with the interface types.ts declares for it. */
export function platformObject(addons: readonly PlatformAddon[]): ObjectField {
  return obj('The platform spec', platformShape(addons), {
    required: true,
    typeName: 'PlatformSpec',
    typeDoc: 'The platform spec: one typed description of the whole GitOps platform. It is what `platform.yaml` holds (see `platform.schema.json` for editor completion) and what a TypeScript program may build by hand. Every field that has a default is optional. `PlatformSpecLoader` validates a spec and returns it as given; the defaults (each field\'s `@default`) are filled in when the spec is resolved (`Platform.resolve`), which is what the rest of the library reads.',
  });
}

/**
 * The TSDoc of the built-in add-ons' sections in `AddonsSpec`, by spec key: what each section is
 * and which workload identity it gets when it names none. An add-on missing here gets its one-line
 * description.
 */
const ADDON_DOCS: { readonly [specKey: string]: Pick<ObjectField, 'doc' | 'defaultDoc'> } = {
  externalDns: { doc: 'ExternalDNS (one instance per application).', defaultDoc: '- the platform\'s workload identity' },
  externalSecrets: {
    doc: 'External Secrets Operator. Its per-namespace SecretStores authenticate as a ServiceAccount of their namespace, which EKS Pod Identity does not support: it always uses IRSA.',
    defaultDoc: '- IRSA',
  },
  imageUpdater: { doc: 'Argo CD Image Updater.', defaultDoc: '- the platform\'s workload identity' },
  loadBalancerController: {
    doc: 'The AWS Load Balancer Controller. aws-cdk-lib\'s controller construct binds its ServiceAccount with IRSA, so `pod-identity` is refused here.',
    defaultDoc: '- IRSA',
  },
  karpenter: {
    doc: 'Karpenter v1.14.1, with `cluster.compute.mode: karpenter`: its controller role binds the ServiceAccount `kube-system/karpenter`.',
    defaultDoc: '- the platform\'s workload identity',
  },
  vaultPlugin: {
    doc: 'The argocd-vault-plugin, with `secrets.backend: vault-plugin`. It reads Vault with Kubernetes auth and has no AWS role, so its `workloadIdentity` changes nothing.',
    defaultDoc: '- the platform\'s workload identity',
  },
};

function addonSection(addon: PlatformAddon): ObjectField {
  const workloadIdentityField: StringField = {
    ...workloadIdentity('How the add-on\'s pods get AWS credentials'),
    doc: 'How the add-on\'s pods get AWS credentials.',
    defaultDoc: '- the platform\'s `workloadIdentity`',
  };
  return obj(addon.description, { workloadIdentity: workloadIdentityField, ...addon.settings }, {
    doc: `${addon.description}.`,
    ...ADDON_DOCS[addon.specKey],
    typeName: 'AddonSpec',
    typeDoc: 'Settings every add-on has.',
  });
}

const APPS = list('The applications', APP, { doc: 'The applications the platform runs. At least one.', minItems: 1, maxItems: 1000, required: true });

/** One controller of `cluster.controllers`: no defaults here, since each workload has its own (lib/model/controllers.ts). */
const controller = (key: ControllerKey) => {
  const webhook = WEBHOOK_CONTROLLER_KEYS.includes(key);
  const { workload, doc, ...defaults } = CONTROLLER_DEFAULTS[key];
  const fields: Shape = {
    cpuRequest: str('CPU request', {
      doc: 'CPU request, e.g. `100m`.',
      defaultDoc: '- the workload\'s default',
      pattern: PATTERNS.cpu,
      shownDefault: defaults.cpuRequest,
    }),
    cpuLimit: str('CPU limit (default: none)', { doc: 'CPU limit.', defaultDoc: '- none', pattern: PATTERNS.cpu, shownDefault: 'none' }),
    memoryRequest: str('Memory request', {
      doc: 'Memory request, e.g. `128Mi`.',
      defaultDoc: '- the workload\'s default',
      pattern: PATTERNS.memory,
      shownDefault: defaults.memoryRequest,
    }),
    memoryLimit: str('Memory limit', {
      doc: 'Memory limit.',
      defaultDoc: '- the workload\'s default',
      pattern: PATTERNS.memory,
      shownDefault: defaults.memoryLimit,
    }),
  };
  const replicas: Field = {
    type: 'integer',
    description: 'Replicas (a PodDisruptionBudget lets one go at a time)',
    doc: 'Replicas; at least 2, so that a node drain (the PodDisruptionBudget lets one pod go at a time) never leaves the webhook without endpoints.',
    minimum: 2,
    maximum: 10,
    default: 2,
    shownDefault: String(defaults.replicas),
  };
  return webhook
    ? obj(`Requests and limits of ${workload}`, { ...fields, replicas }, {
      doc,
      oneRow: true,
      typeName: 'WebhookControllerSpec',
      typeDoc: 'A controller that serves an admission webhook: its resources and its replicas.',
      typeExtends: 'ControllerSpec',
    })
    : obj(`Requests and limits of ${workload}`, fields, {
      doc,
      oneRow: true,
      typeName: 'ControllerSpec',
      typeDoc: 'Resource requests and limits of one controller\'s container.',
    });
};

const CONTROLLERS = obj(
  'Resource requests and limits of the controllers the stack installs with Helm, by workload (each field replaces that default)',
  Object.fromEntries(CONTROLLER_KEYS.map((key) => [key, controller(key)])),
  {
    typeName: 'ControllersSpec',
    typeDoc: 'The controllers the stack installs with Helm, by workload. Every container gets requests and a memory limit; a CPU limit only where one is given (a throttled controller or webhook answers late).',
  },
);

/** The cluster section: its defaults are the ones resolution reads (lib/model/defaults.ts). */
export const CLUSTER = obj('The EKS cluster', {
  version: str('Kubernetes version', {
    doc: 'Kubernetes version, `major.minor`.',
    enum: SUPPORTED_KUBERNETES_VERSIONS,
    default: DEFAULT_KUBERNETES_VERSION,
  }),
  compute: obj('How the nodes are provided', {
    mode: str('How the nodes are provided: a managed node group, EKS Auto Mode, or Karpenter', {
      doc:
        'How the nodes are provided. `managed-node-group`: one EKS managed node group (`cluster.nodes`) and the AWS Load Balancer Controller, installed by the stack. ' +
        '`auto-mode`: EKS Auto Mode launches, patches and scales the nodes (its `system` and `general-purpose` node pools) and runs load balancing itself, so no load balancer controller is installed; ' +
        'the Ingresses use an IngressClass of controller `eks.amazonaws.com/alb` per ALB group, and EKS charges its Auto Mode fee on each instance it manages, on top of the EC2 price. ' +
        '`karpenter`: Karpenter v1.14.1 launches the nodes the pods need (the manifest tree\'s default NodePool and EC2NodeClass, with Spot interruption handling through an SQS queue), and the managed node group of `cluster.nodes` stays, small, for the Karpenter controller and the platform\'s controllers.',
      ...oneOf('ComputeMode'),
      default: ComputeMode.MANAGED_NODE_GROUP,
    }),
  }, {
    doc: 'How the cluster\'s nodes are provided.',
    defaultDoc: '- a managed node group (`cluster.nodes`) and the AWS Load Balancer Controller',
    typeName: 'ComputeSpec',
    typeDoc: 'How the cluster\'s nodes are provided.',
  }),
  nodes: obj('The managed node group', {
    instanceTypes: list('EC2 instance types', str('Instance type', { pattern: PATTERNS.instanceType }), {
      doc: 'EC2 instance types, e.g. `t3.medium`.',
      minItems: 1,
      default: ['t3.medium'],
    }),
    minSize: { type: 'integer', description: 'Smallest number of nodes', doc: 'Smallest number of nodes.', minimum: 1, maximum: 100, default: 2 },
    maxSize: {
      type: 'integer',
      description: 'Largest number of nodes (default: 4, or minSize when that is larger)',
      doc: 'Largest number of nodes.',
      defaultDoc: '- 4, or `minSize` when that is larger',
      minimum: 1,
      maximum: 100,
    },
    desiredSize: {
      type: 'integer',
      description: 'Nodes at creation (default: minSize)',
      doc: 'Number of nodes at creation.',
      defaultDoc: '- minSize',
      minimum: 1,
      maximum: 100,
    },
    diskSize: { type: 'integer', description: 'Root volume size in GiB', doc: 'Root volume size in GiB.', minimum: 20, maximum: 1000, default: 20 },
  }, {
    doc: 'The managed node group (`compute.mode` `managed-node-group`; with `karpenter`, the nodes of the Karpenter controller and the platform\'s controllers; EKS Auto Mode has none).',
    defaultDoc: '- two t3.medium nodes, scaling between 2 and 4',
    typeName: 'NodeGroupSpec',
    typeDoc: 'The managed node group.',
  }),
  adminRoleArns: list('Role ARNs granted cluster-admin', str('Role ARN', { pattern: PATTERNS.roleArn }), {
    doc: 'IAM role ARNs granted cluster-admin through EKS access entries (people and pipelines that run kubectl).',
    defaultDoc: 'none besides the stack\'s own deployment role',
    default: [],
  }),
  vpcCidr: str('VPC CIDR block', { doc: 'CIDR block of the VPC the stack creates.', pattern: PATTERNS.vpcCidr, default: '10.0.0.0/16' }),
  maxAzs: {
    type: 'integer',
    description: 'Availability zones',
    doc: 'Availability zones the VPC spans (2 or 3): the first ones of the region at deploy time.',
    minimum: 2,
    maximum: 3,
    default: 2,
  },
  publicAccessCidrs: list('CIDR blocks that may reach the public API endpoint; empty for a private endpoint', str('CIDR block', { pattern: PATTERNS.cidr }), {
    doc: 'IPv4 CIDR blocks that may reach the cluster\'s public API endpoint (kubectl, and the stack\'s own deployment). An empty list makes the endpoint private: only reachable from inside the VPC.',
    defaultDoc: 'the public endpoint is open to any address (the API still requires IAM authentication)',
    maxItems: 40,
    default: ['0.0.0.0/0'],
  }),
  controllers: {
    ...CONTROLLERS,
    doc: 'Resource requests and limits (and the webhooks\' replicas) of the controllers the stack installs with Helm: Argo CD, External Secrets Operator and the AWS Load Balancer Controller. Each field replaces that one value of the workload\'s default; an environment\'s `cluster.controllers` is merged over these workload by workload.',
    defaultDoc: '- each workload\'s default (the spec reference lists them, `cluster.controllers.<workload>`)',
  },
}, { typeName: 'ClusterSpec', typeDoc: 'The EKS cluster.' });

const DNS = obj('The domain ExternalDNS manages', {
  domain: str('Domain', {
    doc: 'The domain ExternalDNS may write records under (its `--domain-filter`), e.g. `example.com`.',
    required: true,
    pattern: PATTERNS.domain,
  }),
  hostedZoneId: str('Route 53 hosted zone id', {
    doc: 'Id of the public Route 53 hosted zone of `domain`, e.g. `Z0123456789ABCDEFGHIJ`.',
    required: true,
    pattern: PATTERNS.hostedZoneId,
  }),
}, { typeName: 'DnsSpec', typeDoc: 'DNS: the domain ExternalDNS manages and its Route 53 hosted zone.' });

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
  name: str('Application name (apps[].name)', {
    doc: 'Name of the application (`apps[].name`).',
    required: true,
    pattern: PATTERNS.dnsLabel,
    maxLength: 40,
  }),
  host: str('Host name here, under the environment\'s dns.domain', {
    doc: 'Host name in this environment, under the environment\'s DNS domain.',
    defaultDoc: '- the application\'s `host`',
    pattern: PATTERNS.domain,
  }),
  replicas: {
    type: 'integer',
    description: 'Number of pods here (default: inherits apps[].replicas)',
    doc: 'Number of pods.',
    defaultDoc: '- the application\'s `replicas`',
    minimum: 1,
    maximum: 100,
  },
  certificateArn: str('ACM certificate ARN for the host here', {
    doc: 'ACM certificate ARN for the environment\'s host.',
    defaultDoc: '- the load balancer controller discovers a certificate by host name',
    pattern: PATTERNS.certificateArn,
  }),
  containers: list(
    'Resources of containers here, by container name',
    obj('A container', {
      name: str('Container name (apps[].containers[].name)', {
        doc: 'Name of the container (`apps[].containers[].name`).',
        required: true,
        pattern: PATTERNS.dnsLabel,
        maxLength: 63,
      }),
      resources: {
        ...inheriting(resources, 'apps[].containers[].resources'),
        description: 'Resource requests and limits here: unset fields inherit the container\'s',
        doc: 'Its resources in this environment. A field left out inherits the container\'s (`apps[].containers[].resources`), not the `@default` of `ResourcesSpec`.',
        required: true,
      },
    }, { typeName: 'ContainerEnvironmentSpec', typeDoc: 'What one container does differently in one environment.' }),
    { doc: 'Resources of containers, by container name.', defaultDoc: '- the containers\' own', maxItems: 20 },
  ),
  imageUpdate: {
    ...inheriting(IMAGE_UPDATE, 'apps[].imageUpdate'),
    description: 'How the Image Updater chooses and records new tags here: unset fields inherit the application\'s',
    doc: 'How the Image Updater moves tags here (the first environment only: the others are promoted).',
    defaultDoc: '- the application\'s `imageUpdate`',
  },
  migrationPermissions: {
    ...PERMISSIONS,
    description: 'AWS permissions of the migration pods here, instead of migration.permissions',
    doc: 'The migration\'s AWS permissions here, instead of `migration.permissions`: resources such as a database user are in this environment\'s account.',
    defaultDoc: '- the application\'s `migration.permissions`',
  },
}, { typeName: 'AppEnvironmentSpec', typeDoc: 'What one application does differently in one environment.' });

const ENVIRONMENT = obj('An environment: its own cluster, in its own account and region', {
  name: str('Environment name: the overlay directory, and part of every physical name', {
    doc: 'Environment name: a DNS-1123 label of at most 20 characters. It names the overlay directory (`<app>/overlays/<name>/`) and qualifies every physical name (`<platform>-<name>-...`).',
    required: true,
    pattern: PATTERNS.dnsLabel,
    maxLength: 20,
  }),
  aws: obj('Where the environment runs (default: aws)', {
    region: str('AWS region', { doc: 'AWS region.', defaultDoc: '- the spec\'s `aws.region`', enum: KNOWN_REGIONS, enumSays: REGION_SAYS }),
    account: str('AWS account id', {
      doc: 'AWS account id (12 digits).',
      defaultDoc: '- the spec\'s `aws.account`, else the account resolved for the spec',
      pattern: PATTERNS.account,
    }),
  }, {
    doc: 'Where the environment runs in AWS.',
    defaultDoc: '- the spec\'s `aws`',
    typeName: 'EnvironmentAwsSpec',
    typeDoc: 'An environment\'s AWS account and region.',
  }),
  cluster: {
    ...environmentCluster(),
    doc: 'The environment\'s cluster: these fields replace the spec\'s `cluster` fields they name (the node group\'s fields one by one, `controllers` workload by workload). A field left out inherits the spec\'s, not the `@default` of `ClusterSpec`.',
    defaultDoc: '- the spec\'s `cluster`',
  },
  dns: {
    ...DNS,
    inherits: 'dns',
    description: 'The environment\'s DNS zone (default: dns)',
    doc: 'The environment\'s DNS zone.',
    defaultDoc: '- the spec\'s `dns`',
  },
  promoteFrom: str('Environment whose running tags a promotion pull request copies here (default: the one before)', {
    doc: 'The environment whose running image tags a promotion pull request copies here. The first environment follows releases and is promoted from nothing.',
    defaultDoc: '- the environment before this one',
    pattern: PATTERNS.dnsLabel,
    maxLength: 20,
  }),
  apps: list('What applications do differently here', appEnvironment, {
    doc: 'What the applications do differently in this environment, by application name.',
    defaultDoc: '- nothing',
    maxItems: 1000,
  }),
}, { typeName: 'EnvironmentSpec', typeDoc: 'One environment of a platform: a cluster of its own, in its account and region, and what its applications do differently there. Unset fields are the spec\'s top-level values.' });

/** The fields of the spec besides `addons` and `apps`. */
export const PLATFORM_FIELDS: Shape = {
  name: str('Platform name, prefix of every physical name', {
    doc: 'Name of the platform: prefixes every physical name (IAM roles, ECR repositories, the cluster). A DNS-1123 label of at most 20 characters, so derived role names stay readable within IAM\'s 64-character limit.',
    required: true,
    pattern: PATTERNS.dnsLabel,
    maxLength: 20,
  }),
  environment: str('Environment (overlay) name, for a platform of one environment', {
    doc: 'Environment name: the overlay directory (`<app>/overlays/<environment>/`) and the `env` label, for a platform of one environment. A platform of several lists them in `environments` instead.',
    pattern: PATTERNS.dnsLabel,
    maxLength: 63,
    default: 'production',
  }),
  environments: list('The environments, each its own cluster; the first follows releases, the others are promoted', ENVIRONMENT, {
    doc: 'The environments (staging, production, ...), each its own cluster in its own account and region, sharing one manifest repository and one set of images. The rest of the spec is what every environment starts from; each says what differs. The first follows new releases (its apps\' `delivery`); each later one moves only by a promotion pull request from another.',
    defaultDoc: '- one environment, named `environment`',
    minItems: 1,
    maxItems: 20,
  }),
  registry: obj('Where the images live, with several environments', {
    environment: str('Environment whose account holds the ECR repositories and CI roles (default: the first)', {
      doc: 'The environment whose account and region hold the ECR repositories and the CI roles: images are built once, pushed there, and pulled by every environment\'s nodes.',
      defaultDoc: '- the first environment',
      pattern: PATTERNS.dnsLabel,
      maxLength: 20,
    }),
  }, {
    doc: 'Where the images live, with several environments.',
    defaultDoc: '- the first environment\'s account and region',
    typeName: 'RegistrySpec',
    typeDoc: 'Where the images live.',
  }),
  aws: obj(
    'Where the platform runs in AWS',
    {
      region: str('AWS region', { doc: 'AWS region, e.g. `ap-northeast-1`.', required: true, enum: KNOWN_REGIONS, enumSays: REGION_SAYS }),
      account: str('AWS account id', {
        doc: 'AWS account id (12 digits).',
        defaultDoc: '- the environment (`CDK_DEFAULT_ACCOUNT`, `AWS_ACCOUNT_ID`), then STS `GetCallerIdentity`',
        pattern: PATTERNS.account,
      }),
    },
    { required: true, doc: 'Where the platform runs in AWS.', typeName: 'AwsSpec', typeDoc: 'Where the platform runs in AWS.' },
  ),
  cluster: { ...CLUSTER, doc: 'The EKS cluster.', defaultDoc: '- Kubernetes 1.35, two t3.medium nodes (scaling 2 to 4)' },
  github: obj(
    'GitHub owner, manifest repository and OIDC provider',
    {
      owner: str('Owner of the repositories', {
        doc: 'Owner (user or organisation) of the application and manifest repositories, spelt as GitHub spells it, case included (`gh api users/<owner> --jq .login`): the OIDC `sub` claim the CI roles trust and the signing certificate of the release workflows carry that spelling and are compared exactly, so another case fails every release.',
        required: true,
        pattern: PATTERNS.githubOwner,
      }),
      ownerId: str('Numeric owner id, for the immutable OIDC subject form', {
        doc: 'Numeric id of the owner (user or organisation). GitHub\'s OIDC tokens name a repository created since 15 July 2026 (or one that opted in) as `repo:<owner>@<ownerId>/<name>@<repositoryId>:...`, the immutable subject form the CI roles trust by default; find it with `gh api repos/<owner>/<repository> --jq .owner.id`.',
        defaultDoc: '- none; required while any application\'s `ci.subjectFormat` is `immutable`',
        pattern: PATTERNS.numericId,
        maxLength: 20,
      }),
      manifestRepository: obj(
        'The manifest repository Argo CD pulls',
        {
          name: str('Repository name under github.owner', {
            doc: 'Repository name under `github.owner`.',
            required: true,
            pattern: PATTERNS.githubRepo,
          }),
          branch: str('Branch Argo CD tracks', { doc: 'Branch Argo CD tracks.', pattern: PATTERNS.gitRef, maxLength: 255, default: 'main' }),
          repositoryId: str('Numeric repository id, for the immutable OIDC subject form of the promotion role', {
            doc: 'Numeric id of the manifest repository (`gh api repos/<owner>/<name> --jq .id`). With several environments, the promotion workflows run in this repository and assume a read-only role in the registry environment\'s account to verify the images they copy; with this id (and `github.ownerId`) that role trusts the immutable subject form `repo:<owner>@<ownerId>/<name>@<repositoryId>:ref:refs/heads/<branch>`, which repositories created since 15 July 2026 send, and without it the name form `repo:<owner>/<name>:ref:refs/heads/<branch>` of older ones.',
            defaultDoc: '- none: the promotion role trusts the name form of the subject',
            pattern: PATTERNS.numericId,
            maxLength: 20,
          }),
          access: str('Whether Argo CD needs credentials to read it', {
            doc: 'Whether Argo CD needs credentials to read the repository. `public` must be chosen explicitly.',
            ...oneOf('RepositoryAccess'),
            default: RepositoryAccess.PRIVATE,
          }),
          credentials: obj('Argo CD\'s credentials for a private repository, from AWS Secrets Manager', {
            type: str('Kind of credentials', {
              doc: 'The kind of credentials the secret holds.',
              ...oneOf('RepositoryCredentialsType'),
              default: RepositoryCredentialsType.GITHUB_APP,
            }),
            secretName: str('Secrets Manager secret holding them, under <platform>/argocd/', {
              doc: 'Name of the AWS Secrets Manager secret (a JSON object with the keys of `type`), in the platform\'s account and region. It must start with `<platform>/argocd/`, the prefix the reader role may read.',
              defaultDoc: '\'<platform>/argocd/manifest-repository\'',
              pattern: PATTERNS.secretsManagerName,
            }),
          }, {
            doc: 'Where Argo CD\'s credentials for a private repository come from.',
            defaultDoc: '- a GitHub App, its keys in the Secrets Manager secret `<platform>/argocd/manifest-repository`',
            typeName: 'RepositoryCredentialsSpec',
            typeDoc: 'Where Argo CD\'s credentials for the manifest repository come from.',
          }),
        },
        {
          required: true,
          doc: 'The manifest repository Argo CD pulls: where `cdk8s synth` output is committed.',
          typeName: 'ManifestRepositorySpec',
          typeDoc: 'The manifest repository Argo CD pulls.',
        },
      ),
      oidcProviderArn: str('ARN of an existing GitHub Actions OIDC provider', {
        doc: 'ARN of an existing GitHub Actions OIDC provider. An account holds only one provider per URL, so a second platform in the same account must import the first one\'s.',
        defaultDoc: '- the stack creates the provider',
        pattern: PATTERNS.githubOidcProviderArn,
      }),
    },
    {
      required: true,
      doc: 'GitHub: the owner of the repositories, the manifest repository, and the OIDC provider.',
      typeName: 'GitHubSpec',
      typeDoc: 'GitHub: the owner of the repositories, the manifest repository, and the OIDC provider.',
    },
  ),
  dns: { doc: 'DNS: the domain ExternalDNS manages and its Route 53 hosted zone.', ...DNS, required: true },
  secrets: obj('Where application secrets come from', {
    backend: str('Secret backend', { doc: 'The secret backend.', ...oneOf('SecretBackend'), default: SecretBackend.SECRETS_MANAGER }),
    vault: obj('HashiCorp Vault', {
      address: str('Vault address', { doc: 'Vault address, e.g. `https://vault.example.com:8200`.', required: true, pattern: PATTERNS.url }),
      kvMount: str('KV v2 mount path', {
        doc: 'Mount path of the KV version 2 engine holding `<namespace>/<app>` secrets.',
        pattern: PATTERNS.vaultPath,
        default: 'kv',
      }),
      authMount: str('Kubernetes auth mount path', {
        doc: 'Kubernetes auth mount path in Vault.',
        pattern: PATTERNS.vaultPath,
        default: 'kubernetes',
      }),
      role: str('Vault role for the Kubernetes auth method', {
        doc: 'Vault role that the Kubernetes auth method maps the reading ServiceAccount to.',
        defaultDoc: '- the platform name',
        pattern: PATTERNS.secretKey,
      }),
    }, {
      doc: 'Vault settings; required when the backend is `vault` or `vault-plugin`.',
      defaultDoc: '- none',
      typeName: 'VaultSpec',
      typeDoc: 'HashiCorp Vault settings.',
    }),
  }, {
    doc: 'Where application secrets come from.',
    defaultDoc: '- AWS Secrets Manager through External Secrets',
    typeName: 'SecretsSpec',
    typeDoc: 'Where application secrets come from.',
  }),
  argocd: obj('Argo CD', {
    namespace: str('Argo CD namespace', {
      doc: 'Namespace Argo CD runs in; also where Applications and ImageUpdater resources live.',
      pattern: PATTERNS.dnsLabel,
      maxLength: 63,
      default: 'argocd',
    }),
    project: str('AppProject name', {
      doc: 'Name of the AppProject every Application belongs to.',
      defaultDoc: '- the platform name',
      pattern: PATTERNS.dnsLabel,
      maxLength: 63,
    }),
    syncPolicy: obj('Sync policy of the child Applications', {
      automated: { type: 'boolean', description: 'Sync automatically', doc: 'Sync automatically when the repository changes.', default: true },
      prune: {
        type: 'boolean',
        description: 'Delete resources that left the repository',
        doc: 'Delete resources that left the repository (only with automated sync).',
        default: true,
      },
      selfHeal: {
        type: 'boolean',
        description: 'Revert changes made in the cluster',
        doc: 'Revert changes made in the cluster (only with automated sync).',
        default: true,
      },
    }, {
      doc: 'Sync policy of the child Applications.',
      defaultDoc: '- automated, prune and self-heal',
      typeName: 'SyncPolicySpec',
      typeDoc: 'Sync policy of the child Applications.',
    }),
    managed: {
      type: 'boolean',
      description: 'Argo CD is the EKS managed capability (no plugins)',
      doc: 'Whether Argo CD is the EKS managed capability (`AWS::EKS::Capability`) instead of the Helm chart. It signs users in through IAM Identity Center (`identityCenter` is then required) and runs no config management plugins.',
      default: false,
    },
    identityCenter: obj('IAM Identity Center of the managed Argo CD', {
      instanceArn: str('Identity Center instance ARN', {
        doc: 'ARN of the Identity Center instance, e.g. `arn:aws:sso:::instance/ssoins-0123456789abcdef`.',
        required: true,
        pattern: PATTERNS.identityCenterInstanceArn,
      }),
      region: str('Region of the Identity Center instance', {
        doc: 'Region of the Identity Center instance.',
        defaultDoc: '- the platform region',
        enum: KNOWN_REGIONS,
        enumSays: REGION_SAYS,
      }),
      adminGroupIds: list('Identity Center group ids of Argo CD admins', str('Group id', { pattern: PATTERNS.identityCenterId }), {
        doc: 'Identity Center group ids whose members are Argo CD admins.',
        defaultDoc: 'none',
        default: [],
      }),
    }, {
      doc: 'IAM Identity Center of the managed capability.',
      defaultDoc: '- none; required when `managed` is true',
      typeName: 'IdentityCenterSpec',
      typeDoc: 'IAM Identity Center settings of the EKS managed Argo CD.',
    }),
    deployFeedback: obj('Deploy feedback on GitHub: a Deployment per environment and a commit status, from Argo CD Notifications', {
      enabled: {
        type: 'boolean',
        description: 'Report each release\'s sync to GitHub',
        doc: 'Whether Argo CD Notifications reports each release\'s sync to the application repository on GitHub: a Deployment in the environment (`in_progress` when the sync starts, `success` when the app is Synced and Healthy, `failure` when the sync or its PreSync migration fails or the app degades) and a commit status on the release\'s commit. With a self-managed Argo CD its Helm release reports; with the EKS managed one (whose own notifications controller reads no ConfigMap without an opt-in label) the platform runs Argo CD\'s notifications controller itself, from `argocd/notifications/`. Only with the deliveries that give Argo CD the release\'s commit with its tag: `argocd-cli` (its upsert) and `pull-request` (its pull request writes the commit into the app\'s Application file, and a promotion copies it to the next environment); `image-updater`, which never sees the commit, is refused (https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/deploy-feedback.md).',
        default: false,
      },
      secretName: str('Secrets Manager secret with the GitHub App that reports, under <platform>/argocd/', {
        doc: 'Name of the AWS Secrets Manager secret holding the GitHub App Argo CD Notifications reports with: a JSON object with `githubAppID`, `githubAppInstallationID` and `githubAppPrivateKey` (the keys of a `github-app` repository credential, so the same App may serve both when it is installed on the application repositories with Deployments and Commit statuses write access). In the platform\'s account and region, under `<platform>/argocd/`.',
        defaultDoc: '\'<platform>/argocd/deploy-feedback\'',
        pattern: PATTERNS.secretsManagerName,
      }),
    }, {
      doc: 'Deploy feedback on GitHub through Argo CD Notifications.',
      defaultDoc: '- off',
      typeName: 'DeployFeedbackSpec',
      typeDoc: 'Deploy feedback on GitHub: which release runs where, on the commit that made it.',
    }),
    hub: str('The environment whose Argo CD manages every environment\'s cluster (several environments, managed Argo CD)', {
      doc: 'The environment whose Argo CD manages every environment\'s cluster (hub and spokes): only that environment runs Argo CD; it registers each other cluster by ARN, and each other cluster gives its capability role an access entry scoped to the namespaces the platform deploys there. Only with several `environments`, and for now only with `managed: true`; when an application is delivered by the Image Updater, the hub must be the first environment (where releases arrive).',
      defaultDoc: '- each environment\'s cluster runs its own Argo CD',
      pattern: PATTERNS.dnsLabel,
      maxLength: 20,
    }),
  }, {
    doc: 'Argo CD settings.',
    defaultDoc: '- namespace `argocd`, project named after the platform, automated sync with prune and self-heal',
    typeName: 'ArgoCdSpec',
    typeDoc: 'Argo CD settings.',
  }),
  workloadIdentity: {
    doc: 'How the platform\'s pods get AWS credentials: IAM roles for service accounts (the cluster\'s OIDC provider) or EKS Pod Identity (an association per ServiceAccount; no OIDC provider, roles reusable across clusters). Each add-on (`addons.<name>.workloadIdentity`) and each application (`apps[].workloadIdentity`) may choose otherwise; an add-on that cannot use Pod Identity keeps IRSA.',
    ...workloadIdentity('How the platform\'s pods get AWS credentials: IRSA or EKS Pod Identity'),
    default: WorkloadIdentity.IRSA,
  },
};
