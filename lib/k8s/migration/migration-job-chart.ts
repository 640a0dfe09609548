import { Chart, ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ResolvedApp, ResolvedPlatform } from '../../model/resolved';
import { preSyncHook } from '../argocd/annotations';
import { waitForDatabase, waitForDatabasePolicy } from '../database/wait-for-database';
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

export { DATABASE_NOT_READY_EXIT_CODES, WAIT_FOR_DATABASE_CONTAINER } from '../database/wait-for-database';

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

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: {
        name: migration.serviceAccount.serviceAccountName,
        namespace: app.namespace,
        labels,
        annotations: { ...migration.role?.serviceAccountAnnotations, ...preSyncHook(-1) },
      },
      automountServiceAccountToken: false,
    });

    this.job = new k8s.KubeJob(this, 'Job', {
      metadata: { name: migration.jobName, namespace: app.namespace, labels, annotations: preSyncHook(0) },
      spec: {
        backoffLimit: migration.retries,
        activeDeadlineSeconds: migration.deadlineSeconds,
        // Waiting for the database spends none of the migration's retries; the deadline bounds it.
        podFailurePolicy: app.database ? waitForDatabasePolicy(app.database) : undefined,
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
                env: app.secret
                  ? [
                    ...secretEnv(app.secret.name, migration.secretEnv),
                    // With a database, the master's name and password, from the Secret no container reads.
                    ...(app.database && migration.databaseMasterEnv ? secretEnv(app.database.masterSecret.name, migration.databaseMasterEnv) : []),
                  ]
                  : undefined,
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
