import { k8s } from 'cdk8s-plus-28';
import type { ResolvedDatabase } from '../../model/resolved';
import { DatabaseEngine } from '../../model/types';
import { DATABASE_CLIENT_IMAGES } from '../../versions';
import { resourceRequirements, restrictedContainerSecurityContext, secretEnv } from '../pod-security';

/** Name of the init container that waits for the application's database. */
export const WAIT_FOR_DATABASE_CONTAINER = 'wait-for-database';

/**
 * Exit codes of the wait that mean "not accepting connections yet": `pg_isready` exits 1 when the
 * server rejects connections (starting up) and 2 when it does not answer; `mysqladmin ping` exits 1
 * when it cannot connect. A pod that fails with one of them is replaced without counting towards the
 * Job's retries (podFailurePolicy `Ignore`); the Job's deadline still bounds the wait.
 */
export const DATABASE_NOT_READY_EXIT_CODES: { readonly [engine in DatabaseEngine]: number[] } = {
  [DatabaseEngine.POSTGRESQL]: [1, 2],
  [DatabaseEngine.MYSQL]: [1],
};

/**
 * The pod failure policy of a Job that waits for the database: a pod whose wait found the database
 * not ready is replaced without counting as a failure. The rule gives `onExitCodes` alone: the API
 * allows one of `onExitCodes` and `onPodConditions` per rule, and cdk8s-plus-28's types (the 1.28
 * API) still mark `onPodConditions` required, hence the cast.
 */
export function waitForDatabasePolicy(database: ResolvedDatabase): k8s.PodFailurePolicy {
  const rule = { action: 'Ignore', onExitCodes: { containerName: WAIT_FOR_DATABASE_CONTAINER, operator: 'In', values: DATABASE_NOT_READY_EXIT_CODES[database.engine] } };
  return { rules: [rule as unknown as k8s.PodFailurePolicyRule] };
}

/** Resources of the database clients' containers: a client and one connection. */
export const DATABASE_CLIENT_RESOURCES = { cpuRequest: '50m', cpuLimit: '100m', memoryRequest: '32Mi', memoryLimit: '64Mi' };

/** The security context of the database clients' containers: the official images run as root, and the clients need no user of their own. */
export function databaseClientSecurityContext(): k8s.SecurityContext {
  return { ...restrictedContainerSecurityContext(), runAsUser: 65534, runAsGroup: 65534 };
}

/**
 * The init container that holds a Job back until the database accepts connections: the engine's
 * own client, run directly (no shell: the kubelet expands `$(VAR)` from the container's
 * environment), so its exit code is the pod's verdict. `pg_isready` reports whether the server
 * accepts connections; `mysqladmin ping` succeeds once the server answers, even before the user
 * may log in.
 */
export function waitForDatabase(database: ResolvedDatabase, secretName: string): k8s.Container {
  const v = database.variables;
  const command =
    database.engine === DatabaseEngine.POSTGRESQL
      ? ['pg_isready', `--host=$(${v.host})`, `--port=$(${v.port})`, `--dbname=$(${v.dbname})`, `--username=$(${v.username})`, '--timeout=10']
      : ['mysqladmin', `--host=$(${v.host})`, `--port=$(${v.port})`, '--connect-timeout=10', '--ssl-mode=REQUIRED', 'ping'];
  return {
    name: WAIT_FOR_DATABASE_CONTAINER,
    image: DATABASE_CLIENT_IMAGES[database.engine],
    imagePullPolicy: 'IfNotPresent',
    command,
    // Only the connection, never a password: neither client needs it to tell whether the server is up.
    env: secretEnv(secretName, {
      [v.host]: database.secretKeys.host,
      [v.port]: database.secretKeys.port,
      [v.dbname]: database.secretKeys.dbname,
      [v.username]: database.secretKeys.username,
    }),
    resources: resourceRequirements(DATABASE_CLIENT_RESOURCES),
    securityContext: databaseClientSecurityContext(),
  };
}
