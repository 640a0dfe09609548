// The rules of apps[].database: what the spec must say for an application's database, and the
// changes that would replace a deployed database, which are refused.
import { IMMUTABLE_DATABASE_FIELDS } from '../platform-lock';
import { DATABASE_KEYS, databaseKubernetesKeys, isAurora, PREVIEW_DATABASE_MASTER_PROPERTIES } from '../resolve/database';
import { show } from '../shape';
import { DatabaseDeployment, DatabaseEngine, DatabaseSpec, SecretBackend } from '../types';
import type { AddProblem as Add, EnvironmentInput } from './input';
import type { ResolvedPlatform } from '../resolved';

/**
 * The oldest PostgreSQL an application's database may run: from 15 on, only the database owner (the
 * master user) may create objects in the `public` schema, which keeps the application's user to the data.
 */
export const MIN_POSTGRESQL_MAJOR = 15;

/** The spec field behind each immutable value, as `validate` names it. */
const SPEC_FIELD: { readonly [field in (typeof IMMUTABLE_DATABASE_FIELDS)[number]]: string } = {
  engine: 'database.engine',
  kind: 'database.deployment',
  clusterIdentifier: 'name',
  databaseName: 'database.databaseName',
  username: 'database.username',
  kmsKeyArn: 'database.kmsKeyArn',
  stackId: 'stack',
};

/**
 * The rules of the applications' databases in one environment, and, given the lock, the changes
 * that would replace one: each refusal names the spec field, the deployed value and the new one.
 */
export function checkDatabases({ spec, platform, apps, lock }: EnvironmentInput, add: Add): void {
  for (const { spec: appSpec, app, path } of apps) {
    const database = app.database;
    const locked = lock?.databases[`${platform.environment}/${app.name}`];
    if (!database) {
      if (locked) {
        add(`${path}.database`, `is gone, but the database of ${show(app.name)} in ${show(platform.environment)} is in platform.lock.json: removing it would delete the cluster (a final snapshot is kept). Delete it on purpose as https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/runbook.md#databases says, then remove its entry from platform.lock.json`);
      }
      continue;
    }
    const at = `${path}.database`;
    if ((spec.secrets?.backend ?? SecretBackend.SECRETS_MANAGER) !== SecretBackend.SECRETS_MANAGER) {
      add(at, `needs secrets.backend 'secrets-manager': the database's credentials are generated into Secrets Manager, which ${show(spec.secrets?.backend)} does not read`);
    }
    if (database.minCapacity > database.maxCapacity) {
      add(`${at}.maxCapacity`, `${database.maxCapacity} is below minCapacity ${database.minCapacity}; give at least ${database.minCapacity}`);
    }
    // Aurora MySQL's versions name Aurora's own release (8.0.mysql_aurora.3.08.0); the others are plain.
    const auroraMysql = database.engine === DatabaseEngine.MYSQL && isAurora(database.deployment);
    const versionForm = auroraMysql ? /^\d+\.\d+\.mysql_aurora\.\d+\.\d+\.\d+$/ : /^\d+(\.\d+){0,2}$/;
    if (!versionForm.test(database.engineVersion)) {
      const example = auroraMysql ? '8.0.mysql_aurora.3.08.0' : database.engine === DatabaseEngine.MYSQL ? '8.0.40' : '16.6';
      add(`${at}.engineVersion`, `${show(database.engineVersion)} is no ${database.engine} version of ${database.deployment}; give one such as ${example}`);
    } else if (database.engine === DatabaseEngine.POSTGRESQL && Number(database.majorVersion) < MIN_POSTGRESQL_MAJOR) {
      // PostgreSQL 15 release notes: "Remove PUBLIC creation permission on the public schema".
      add(
        `${at}.engineVersion`,
        `${show(database.engineVersion)} is PostgreSQL ${database.majorVersion}, where every user may create tables in the public schema: the application's own user could create tables ` +
          `the master user cannot grant, and would not be kept from DDL. Give PostgreSQL ${MIN_POSTGRESQL_MAJOR} or later, such as 16.6`,
      );
    }
    // The fields of one deployment are refused on another, rather than ignored.
    const given: DatabaseSpec | Record<string, undefined> = appSpec.database ?? {};
    const serverless = database.deployment === DatabaseDeployment.AURORA_SERVERLESS;
    for (const field of ['minCapacity', 'maxCapacity'] as const) {
      if (!serverless && given[field] !== undefined) add(`${at}.${field}`, `applies to deployment 'aurora-serverless' only; remove it, or give instanceClass for ${show(database.deployment)}`);
    }
    if (serverless && given.instanceClass !== undefined) add(`${at}.instanceClass`, "applies to 'aurora-provisioned' and 'instance'; a Serverless v2 writer has minCapacity and maxCapacity instead");
    if (isAurora(database.deployment) && given.allocatedStorage !== undefined) add(`${at}.allocatedStorage`, "applies to deployment 'instance' only: Aurora grows its storage itself; remove it");
    if (!/^[a-z](?!.*--)[a-z0-9-]{0,62}$/.test(database.clusterIdentifier) || database.clusterIdentifier.endsWith('-')) {
      add(`${path}.name`, `makes the DB ${database.kind} identifier ${show(database.clusterIdentifier)}, which RDS refuses (at most 63 letters, digits and single '-', a letter first); choose a shorter name`);
    }
    database.containers.forEach((name, i) => {
      if (!appSpec.containers.some((c) => c.name === name)) {
        add(`${at}.containers[${i}]`, `${show(name)} is not a container of ${show(app.name)}; use one of ${appSpec.containers.map((c) => c.name).join(', ')}`);
      }
    });
    // Every variable once: the database's own five, and none the spec maps too.
    const variables = DATABASE_KEYS.map((key) => database.variables[key]);
    DATABASE_KEYS.forEach((key, i) => {
      if (variables.indexOf(variables[i]) !== i) add(`${at}.variables.${key}`, `${show(variables[i])} already holds the database's ${DATABASE_KEYS[variables.indexOf(variables[i])]}; give each value its own variable`);
    });
    const readers: [string, { [name: string]: string } | undefined][] = [
      ...appSpec.containers
        .filter((c) => database.containers.includes(c.name))
        .flatMap((c): [string, { [name: string]: string } | undefined][] => {
          const i = appSpec.containers.indexOf(c);
          return [[`${path}.containers[${i}].secretEnv`, c.secretEnv], [`${path}.containers[${i}].env`, c.env]];
        }),
      [`${path}.migration.secretEnv`, appSpec.migration?.secretEnv],
    ];
    for (const [where, mapping] of readers) {
      for (const name of Object.keys(mapping ?? {}).filter((n) => variables.includes(n))) {
        add(`${where}.${name}`, `is the database's variable ${show(name)} (apps[].database.variables), which the database sets; remove it here, or rename the database's`);
      }
    }
    for (const key of app.secret?.keys ?? []) {
      if (databaseKubernetesKeys(database).includes(key)) add(`${path}.secret.keys`, `${show(key)} is the key the database's ${key.replace('database-', '')} has in the Secret; rename it`);
      // A migrating preview's secret holds the master's credentials under these names: copied into
      // the app's Secret, its containers could read them.
      if (Object.values<string>(PREVIEW_DATABASE_MASTER_PROPERTIES).includes(key)) {
        add(`${path}.secret.keys`, `${show(key)} is where a preview secret holds the database's master credentials, which no container may read; rename it`);
      }
    }
    if (app.secret?.name === database.masterSecret.name) {
      add(`${path}.secret.name`, `${show(app.secret.name)} is the Secret of the database's master credentials (${database.masterSecret.name}); choose another name`);
    }
    // The master user is not the application's: the rotation alternates `app` and `app_clone`.
    const appUsers = [database.appUsername, `${database.appUsername}_clone`];
    if (appUsers.includes(database.username)) {
      add(`${at}.username`, `${show(database.username)} is the application's own user (${appUsers.join(' and ')}, which the rotation alternates); the master user needs another name, such as 'dbadmin'`);
    }
    // The app's own secret may not be the database's: CloudFormation creates that one (and fails on
    // a secret of the same name made by hand), and it holds none of the spec's keys.
    if (app.secret && appSpec.secret && [database.secretName, database.appSecretName].includes(app.secret.remoteKey)) {
      const field = appSpec.secret.remoteKey !== undefined ? 'remoteKey' : 'name';
      add(
        `${path}.secret.${field}`,
        `makes the application's secret ${show(app.secret.remoteKey)}, the name of the secret its database's credentials are generated into; choose another ${field}`,
      );
    }
    if (locked) {
      for (const field of IMMUTABLE_DATABASE_FIELDS) {
        const now = database[field] === undefined ? undefined : String(database[field]);
        if (locked[field] === now) continue;
        add(
          `${path}.${SPEC_FIELD[field]}`,
          `would replace the database of ${show(app.name)} in ${show(platform.environment)}: its ${field} is ${show(locked[field] ?? '(none)')} in platform.lock.json and ${show(now ?? '(none)')} now, ` +
            'which CloudFormation changes only by creating a new database (the old one kept as a snapshot). Put it back; to move the data on purpose, see https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/runbook.md#databases',
        );
      }
    }
  }
}

/**
 * What `validate` says of each application's database beyond the rules: its containers read their
 * user's password at start (environment variables), and the alternating-users rotation keeps the
 * password they started with valid for one more period only, so a pod older than two rotations
 * fails new connections. Nothing restarts them on a rotation: a release does, or the command given.
 * One line per application, whatever its environments (they rotate on the same schedule).
 */
export function databaseWarnings(platforms: readonly ResolvedPlatform[]): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  for (const platform of platforms) {
    platform.apps.forEach((app, i) => {
      const database = app.database;
      if (!database || seen.has(app.name)) return;
      seen.add(app.name);
      const containers = database.containers.length === 1 ? `the container ${database.containers[0]}` : `the containers ${database.containers.join(', ')}`;
      found.push(
        `apps[${i}].database: ${containers} of ${app.name} read the database user's password at start; it rotates every ${database.rotationDays} days ` +
          `and stays valid ${database.rotationDays} days more, so restart the pods within that time of each rotation (a release does; kubectl rollout restart deployment/${app.name} -n ${app.namespace}), ` +
          'or their new connections fail (https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/runbook.md#databases)',
      );
    });
  }
  return found;
}
