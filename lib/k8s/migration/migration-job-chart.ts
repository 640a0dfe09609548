import { Chart, ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ResolvedApp, ResolvedDatabase, ResolvedPlatform } from '../../model/resolved';
import { DatabaseEngine } from '../../model/types';
import { DATABASE_CLIENT_IMAGES } from '../../versions';
import { ARGOCD } from '../argocd/annotations';
import { appLabels, imageRef } from '../labels';
import {
  resourceRequirements,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  secretEnv,
  TMP_MOUNT,
  TMP_VOLUME,
} from '../pod-security';

/** Properties of a `MigrationJobChart`. */
export interface MigrationJobChartProps extends ChartProps {
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;
  /** The application; it must have a migration. */
  readonly app: ResolvedApp;
}

/** Name of the migration container, which the overlay's tag replacement targets. */
export const MIGRATION_CONTAINER = 'migration';

/** Name of the init container that waits for the application's database. */
export const WAIT_FOR_DATABASE_CONTAINER = 'wait-for-database';

/**
 * Exit codes of the wait that mean "not accepting connections yet": `pg_isready` exits 1 when the
 * server rejects connections (starting up) and 2 when it does not answer; `mysqladmin ping` exits 1
 * when it cannot connect. A pod that fails with one of them is replaced without counting towards the
 * migration's retries (podFailurePolicy `Ignore`); the Job's deadline still bounds the wait.
 */
export const DATABASE_NOT_READY_EXIT_CODES: { readonly [engine in DatabaseEngine]: number[] } = {
  [DatabaseEngine.POSTGRESQL]: [1, 2],
  [DatabaseEngine.MYSQL]: [1],
};

/**
 * The database migration as an Argo CD PreSync hook: it runs, and must succeed, before any resource of
 * the sync is applied, so a new application version never starts against an old schema. A failed pod
 * is retried a few times (`migration.retries`, with the Job's exponential backoff) within one deadline
 * for all attempts, so a transient database error does not fail the release; migrations must therefore
 * be safe to re-run, as migration tools' version tables make them. The image is the application's
 * tag (the overlay keeps the tags in step). Its ServiceAccount is a PreSync hook too, so that it exists
 * on the very first sync; it is bound to an IAM role only when the spec gives the migration AWS
 * permissions (the node, not the pod, pulls the image).
 */
export class MigrationJobChart extends Chart {
  /** The Job. */
  public readonly job: k8s.KubeJob;
  /** The Job's ServiceAccount (bound to the migration's role, when it has one). */
  public readonly serviceAccount: k8s.KubeServiceAccount;

  constructor(scope: Construct, id: string, props: MigrationJobChartProps) {
    super(scope, id, props);
    const { platform, app } = props;
    const migration = app.migration;
    if (!migration) throw new Error(`MigrationJobChart: app '${app.name}' has no migration`);
    const labels = appLabels(platform, app, 'migration');
    const hook = (wave: number) => ({
      [ARGOCD.hook]: 'PreSync',
      [ARGOCD.hookDeletePolicy]: 'BeforeHookCreation',
      [ARGOCD.syncWave]: String(wave),
    });

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: {
        name: migration.serviceAccount.serviceAccountName,
        namespace: app.namespace,
        labels,
        annotations: { ...migration.role?.serviceAccountAnnotations, ...hook(-1) },
      },
      automountServiceAccountToken: false,
    });

    this.job = new k8s.KubeJob(this, 'Job', {
      metadata: { name: migration.jobName, namespace: app.namespace, labels, annotations: hook(0) },
      spec: {
        backoffLimit: migration.retries,
        activeDeadlineSeconds: migration.deadlineSeconds,
        // Waiting for the database spends none of the migration's retries; the deadline bounds it.
        podFailurePolicy: app.database ? waitPolicy(app.database) : undefined,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never',
            serviceAccountName: migration.serviceAccount.serviceAccountName,
            // The IRSA token is projected by the pod identity webhook, which needs no API token mount.
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(),
            initContainers: app.database ? [waitForDatabase(app.database, app.secret!.name)] : undefined,
            containers: [
              {
                name: MIGRATION_CONTAINER,
                // The release container's tag; the overlay replaces it with the app's current tag.
                image: imageRef(migration.image.imageUri, app.releaseContainer.tag),
                imagePullPolicy: 'IfNotPresent',
                command: [...migration.command],
                env: app.secret ? secretEnv(app.secret.name, migration.secretEnv) : undefined,
                resources: resourceRequirements(migration.resources),
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [TMP_MOUNT],
              },
            ],
            volumes: [TMP_VOLUME],
          },
        },
      },
    });
  }
}

/**
 * The Job's pod failure policy with a database: a pod whose wait found the database not ready is
 * replaced without counting as a failure. The rule gives `onExitCodes` alone: the API allows one of
 * `onExitCodes` and `onPodConditions` per rule, and cdk8s-plus-28's types (the 1.28 API) still mark
 * `onPodConditions` required, hence the cast.
 */
function waitPolicy(database: ResolvedDatabase): k8s.PodFailurePolicy {
  const rule = { action: 'Ignore', onExitCodes: { containerName: WAIT_FOR_DATABASE_CONTAINER, operator: 'In', values: DATABASE_NOT_READY_EXIT_CODES[database.engine] } };
  return { rules: [rule as unknown as k8s.PodFailurePolicyRule] };
}

/**
 * The init container that holds the migration back until the database accepts connections: the
 * engine's own client, run directly (no shell: the kubelet expands `$(VAR)` from the container's
 * environment), so its exit code is the pod's verdict. `pg_isready` reports whether the server
 * accepts connections; `mysqladmin ping` succeeds once the server answers, even before the user
 * may log in.
 */
function waitForDatabase(database: ResolvedDatabase, secretName: string): k8s.Container {
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
    // Only the connection, never the password: neither client needs it to tell whether the server is up.
    env: secretEnv(secretName, {
      [v.host]: database.secretKeys.host,
      [v.port]: database.secretKeys.port,
      [v.dbname]: database.secretKeys.dbname,
      [v.username]: database.secretKeys.username,
    }),
    resources: resourceRequirements({ cpuRequest: '50m', cpuLimit: '100m', memoryRequest: '32Mi', memoryLimit: '64Mi' }),
    // The official images run as root; the clients need no user of their own.
    securityContext: { ...restrictedContainerSecurityContext(), runAsUser: 65534, runAsGroup: 65534 },
  };
}
