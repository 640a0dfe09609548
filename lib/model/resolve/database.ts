// Resolution, the apps[].database section: an application's Aurora Serverless v2 cluster, the names
// of its secret and the variables its connection is read into. The defaults of the description
// (platform-shape.ts) are filled in by withDefaults; the ones that follow other fields are here.
import type { AppWithDefaults } from '../defaults';
import { appStackId } from '../naming';
import type { DatabaseConnectionNames, ResolvedDatabase } from '../resolved';
import { DatabaseDeployment, DatabaseEngine, DatabaseSpec, DatabaseVariablesSpec } from '../types';
import type { SectionInput } from './environment';
import { MANAGED_DATABASE_USER_DEADLINE_SECONDS } from '../validate/managed-argocd';

/** The connection values of a database's secret, in the order the ExternalSecret reads them. */
export const DATABASE_KEYS: readonly (keyof DatabaseConnectionNames)[] = ['host', 'port', 'username', 'password', 'dbname'];

/** A database as withDefaults leaves it: every field with a `default` in the description is set. */
type DatabaseWithDefaults = DatabaseSpec & Required<Pick<DatabaseSpec, 'deployment' | 'minCapacity' | 'maxCapacity' | 'username' | 'rotationDays' | 'backupRetentionDays'>> & {
  readonly variables: Required<DatabaseVariablesSpec>;
};

/** An engine's port, and its default versions on Aurora and on a single instance. */
interface EngineFacts {
  readonly port: number;
  readonly aurora: string;
  readonly instance: string;
}

/**
 * Each engine's port and default versions: on Aurora (ones aws-cdk-lib 2.276 lists that support
 * Serverless v2: AuroraPostgresEngineVersion.VER_16_6, AuroraMysqlEngineVersion.VER_3_08_0) and on a
 * single RDS instance (PostgresEngineVersion.VER_16_6, MysqlEngineVersion.VER_8_0_40).
 */
export const DATABASE_ENGINES: { readonly [engine in DatabaseEngine]: EngineFacts } = {
  [DatabaseEngine.POSTGRESQL]: { port: 5432, aurora: '16.6', instance: '16.6' },
  [DatabaseEngine.MYSQL]: { port: 3306, aurora: '8.0.mysql_aurora.3.08.0', instance: '8.0.40' },
};

/** The default DB instance class of each deployment that has one. */
const DEFAULT_INSTANCE_CLASS: { readonly [deployment in DatabaseDeployment]?: string } = {
  [DatabaseDeployment.AURORA_PROVISIONED]: 'db.r6g.large',
  [DatabaseDeployment.INSTANCE]: 'db.t4g.micro',
};

/** The major version an engine version belongs to: `16` of `16.6`, `8.0` of `8.0.mysql_aurora.3.08.0`. */
export function majorVersion(engine: DatabaseEngine, version: string): string {
  const parts = version.split('.');
  return engine === DatabaseEngine.MYSQL ? parts.slice(0, 2).join('.') : parts[0];
}

/** Whether a deployment is an Aurora cluster. */
export function isAurora(deployment: DatabaseDeployment): boolean {
  return deployment !== DatabaseDeployment.INSTANCE;
}

/** An application's database in this environment, when the spec gives it one. */
export function resolveDatabase({ spec, names }: SectionInput, app: AppWithDefaults): ResolvedDatabase | undefined {
  if (!app.database) return undefined;
  const database = app.database as DatabaseWithDefaults;
  const engine = database.engine;
  const deployment = database.deployment;
  const aurora = isAurora(deployment);
  const engineVersion = database.engineVersion ?? DATABASE_ENGINES[engine][aurora ? 'aurora' : 'instance'];
  const secretName = `${names.secretsPrefix}/${app.name}/database`;
  const secretKeys = Object.fromEntries(DATABASE_KEYS.map((key) => [key, `database-${key}`])) as unknown as DatabaseConnectionNames;
  const variables = Object.fromEntries(DATABASE_KEYS.map((key) => [key, database.variables[key]])) as unknown as DatabaseConnectionNames;
  return {
    engine,
    deployment,
    kind: aurora ? 'cluster' : 'instance',
    // Derived: each deployment with instances has its default class; Serverless v2 has none.
    instanceClass: deployment === DatabaseDeployment.AURORA_SERVERLESS ? undefined : database.instanceClass ?? DEFAULT_INSTANCE_CLASS[deployment],
    allocatedStorage: aurora ? undefined : database.allocatedStorage ?? 20,
    engineVersion,
    majorVersion: majorVersion(engine, engineVersion),
    port: DATABASE_ENGINES[engine].port,
    // One cluster per environment: the qualified name holds the environment's.
    clusterIdentifier: `${names.qualifiedName}-${app.name}`.toLowerCase(),
    minCapacity: database.minCapacity,
    maxCapacity: database.maxCapacity,
    // Derived: a database name takes no '-'.
    databaseName: database.databaseName ?? app.name.replace(/-/g, '_'),
    username: database.username,
    backupRetentionDays: database.backupRetentionDays,
    kmsKeyArn: database.kmsKeyArn,
    secretName,
    appUsername: DATABASE_APP_USER,
    appSecretName: `${secretName}/app`,
    rotationDays: database.rotationDays,
    // Derived: under the EKS managed Argo CD it shares the fixed sync timeout with the migration.
    userJob: { name: `${app.name}-database-user`, deadlineSeconds: spec.argocd.managed ? MANAGED_DATABASE_USER_DEADLINE_SECONDS : 300 },
    secretKeys,
    masterSecret: { name: `${app.name}-database-master`, refreshInterval: DATABASE_MASTER_REFRESH_INTERVAL, usernameKey: 'username', passwordKey: 'password' },
    variables,
    // Derived: the first container, the app's own (a front proxy comes after it).
    containers: [...(database.containers ?? [app.containers[0].name])],
    stackId: appStackId(names.qualifiedName, app.stack),
  };
}

/**
 * The application's own database user. Fixed rather than a spec field: the alternating-users rotation
 * takes its name from the secret, and a new name would be a new secret (one CloudFormation cannot
 * create under the old one's name). Short enough for MySQL's rotation, which refuses a clone name
 * (`app_clone`) over 16 characters.
 */
export const DATABASE_APP_USER = 'app';

/** The variables of the database's containers, which log in as the application's user: variable name → key of the Kubernetes Secret. */
export function databaseSecretEnv(database: ResolvedDatabase | undefined): { [variable: string]: string } {
  if (!database) return {};
  return Object.fromEntries(DATABASE_KEYS.map((key) => [database.variables[key], database.secretKeys[key]]));
}

/**
 * How often External Secrets reads the master's credentials again: the master's password rotates
 * (single user), and the PreSync Jobs that log in as it read the Kubernetes Secret, so a sync in the
 * minute after a rotation is the only one that can find the old password. About 43,200 reads a
 * month, $0.22 at Secrets Manager's $0.05 per 10,000 API calls.
 */
export const DATABASE_MASTER_REFRESH_INTERVAL = '1m';

/**
 * The variables of the migration, which logs in as the master user (it creates and alters the
 * schema, and owns what it creates): the connection from the application's Secret, without the
 * user name and password, which `databaseMasterEnv` reads from the master's.
 */
export function databaseMigrationEnv(database: ResolvedDatabase | undefined): { [variable: string]: string } {
  if (!database) return {};
  const { [database.variables.username]: _user, [database.variables.password]: _password, ...connection } = databaseSecretEnv(database);
  return connection;
}

/** The migration's variables of the master user's name and password, by their key in the master's Secret. */
export function databaseMasterEnv(database: ResolvedDatabase): { [variable: string]: string } {
  return { [database.variables.username]: database.masterSecret.usernameKey, [database.variables.password]: database.masterSecret.passwordKey };
}

/**
 * The properties a preview secret holds for the master's credentials, when the preview runs the
 * migration: the preview's master Secret reads them from it.
 */
export const PREVIEW_DATABASE_MASTER_PROPERTIES = { username: 'database-master-username', password: 'database-master-password' } as const;

/**
 * The database's properties a preview secret must hold: the connection its containers read, and the
 * master's name and password when the preview runs the migration. A preview runs no database user
 * Job: the preview secret names a user that exists.
 */
export function previewDatabaseKeys(database: ResolvedDatabase | undefined, migrate: boolean): string[] {
  if (!database) return [];
  const keys = databaseKubernetesKeys(database);
  return migrate ? [...keys, PREVIEW_DATABASE_MASTER_PROPERTIES.username, PREVIEW_DATABASE_MASTER_PROPERTIES.password] : keys;
}

/** Every key the database gives the application's Kubernetes Secret: the connection, as the application's user. */
export function databaseKubernetesKeys(database: ResolvedDatabase): string[] {
  return DATABASE_KEYS.map((key) => database.secretKeys[key]);
}
