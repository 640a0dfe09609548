// The lock of a platform's deployed databases (`platform.lock.json` beside the spec): `synth` and the
// CDK app write it (platform/lock-file.ts), the loader reads it, and validation
// (validate/database.ts) refuses a change that would replace a database it names.
import type { ResolvedPlatform } from './resolved';

/**
 * The fields of a deployed database that CloudFormation cannot change in place: a new value replaces
 * the DB cluster or instance (AWS::RDS::DBCluster and AWS::RDS::DBInstance: `Engine` across engines,
 * the identifier, `DatabaseName` (`DBName`), `MasterUsername`, `KmsKeyId` are "Update requires:
 * Replacement"), a cluster becoming an instance or the reverse is another resource, and a new stack
 * deletes it from the old one. Each is named by the spec field that sets it.
 */
export const IMMUTABLE_DATABASE_FIELDS = ['engine', 'kind', 'clusterIdentifier', 'databaseName', 'username', 'kmsKeyArn', 'stackId'] as const;

/** What a database was deployed with: the immutable values, by field (`IMMUTABLE_DATABASE_FIELDS`). */
export interface DatabaseLockEntry {
  readonly [field: string]: string;
}

/**
 * The lock of a platform's databases (`platform.lock.json`, beside the spec, committed): the
 * immutable values of each database as it was synthesized, by `<environment>/<app>`. `synth` writes
 * it; `validate` compares the spec with it and refuses a change that would replace a database.
 */
export interface PlatformLock {
  /** Each database, by `<environment>/<app>`. */
  readonly databases: { readonly [environmentAndApp: string]: DatabaseLockEntry };
}

/** The lock file of a spec file: `<name>.lock.json` beside `<name>.yaml` (`platform.lock.json` for `platform.yaml`). */
export function lockPathOf(specPath: string): string {
  return specPath.replace(/\.(ya?ml|json)$/i, '') + '.lock.json';
}

/**
 * A lock file's content, checked: the problem is the file's path and what is wrong. An absent lock
 * is no problem (nothing deployed yet).
 *
 * @throws Error naming the file when it is not a lock
 */
export function parseLock(text: string, path: string): PlatformLock {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not JSON (${(e as Error).message}); it is written by 'cdk-eks-gitops synth': restore it from Git`);
  }
  const databases = (parsed as { databases?: unknown } | null)?.databases;
  const valid =
    databases !== null &&
    typeof databases === 'object' &&
    !Array.isArray(databases) &&
    Object.values(databases as object).every(
      (entry) => entry !== null && typeof entry === 'object' && !Array.isArray(entry) && Object.values(entry as object).every((v) => typeof v === 'string'),
    );
  if (!valid) throw new Error(`${path}: expected {"databases": {"<environment>/<app>": {"<field>": "<value>", ...}}}; it is written by 'cdk-eks-gitops synth': restore it from Git`);
  return { databases: databases as PlatformLock['databases'] };
}

/** The lock of these environments' databases: what `synth` writes. */
export function databaseLock(platforms: readonly ResolvedPlatform[]): PlatformLock {
  const databases: { [key: string]: DatabaseLockEntry } = {};
  for (const platform of platforms) {
    for (const app of platform.apps) {
      if (!app.database) continue;
      databases[`${platform.environment}/${app.name}`] = Object.fromEntries(
        IMMUTABLE_DATABASE_FIELDS.filter((field) => app.database![field] !== undefined).map((field) => [field, String(app.database![field])]),
      );
    }
  }
  return { databases };
}
