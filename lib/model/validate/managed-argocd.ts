import { CONTROLLER_DEFAULTS, CONTROLLER_KEYS } from '../controllers';
import type { ResolvedApp, ResolvedPlatform } from '../resolved';
import type { ControllersSpec, PlatformSpec } from '../types';

// The limits of the EKS managed Argo CD (`argocd.managed: true`) that a spec can run into, as the EKS
// user guide states them (read 2026-12-02, again 2026-12-03; the pages' sources are in
// awsdocs/amazon-eks-user-guide, latest/ug/capabilities/). What the platform's output adapts to
// instead of refusing (one namespace for Argo CD's objects, `sourceNamespaces` on the AppProject, no
// argocd-cm) is where that output is made (the managed mode's strategy, lib/addons/argocd/);
// docs/aws.md lists them all.

/** An EKS user guide page the managed Argo CD's limits come from. */
export interface ManagedArgoCdDocPage {
  /** The page's title. */
  readonly title: string;
  /** Its address. */
  readonly url: string;
}

/** The EKS user guide pages that state the managed Argo CD's limits. */
export const MANAGED_ARGOCD_DOCS = {
  /** Unsupported features (plugins, Notifications, argocd-cm, the sync timeout), the one namespace. */
  comparison: {
    title: 'Comparing EKS Capability for Argo CD to self-managed Argo CD',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/argocd-comparison.html',
  },
  /** Capabilities run in EKS, not on the cluster's nodes. */
  capabilities: {
    title: 'EKS Capabilities',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/capabilities.html',
  },
  /** A managed notifications controller, configured by `argocd-notifications-cm` (the comparison page lists none). */
  notifications: {
    title: 'Send notifications for Argo CD Applications',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/argocd-notifications.html',
  },
  /** The generators its ApplicationSets document: list, cluster, git, matrix, merge; no pull request generator. */
  applicationSets: {
    title: 'Use ApplicationSets',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/argocd-applicationsets.html',
  },
  /** Identity Center: at most 1,000 identities. */
  considerations: {
    title: 'Argo CD considerations',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/argocd-considerations.html',
  },
  /** `spec.sourceNamespaces` is required on an AppProject. */
  projects: {
    title: 'Working with Argo CD Projects',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/argocd-projects.html',
  },
  /** The argocd-cm settings the capability reads. */
  settings: {
    title: 'Configure Argo CD settings',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/argocd-configure-settings.html',
  },
} as const satisfies { [name: string]: ManagedArgoCdDocPage };

/** How a refusal names its page: `EKS user guide, "<title>"`. */
export function managedArgoCdDoc(page: ManagedArgoCdDocPage): string {
  return `EKS user guide, "${page.title}"`;
}

/**
 * The managed Argo CD's sync timeout, which cannot be changed ("Modifying the sync timeout (fixed at
 * 120 seconds)" is among its unsupported features). Upstream's sync timeout
 * (`controller.sync.timeout.seconds`) counts from the start of the sync operation, its retries
 * included, and ends the operation as failed, deleting the hooks still running.
 */
export const MANAGED_ARGOCD_SYNC_TIMEOUT_SECONDS = 120;

/**
 * The longest a migration may run under the managed Argo CD, and its default there: the PreSync Job
 * is the first step of the application's sync, and the rest of the sync (creating the Job, applying
 * the Deployment and the rest) must still fit in the sync timeout, so 30 s of it are kept for that.
 */
export const MANAGED_MIGRATION_DEADLINE_SECONDS = MANAGED_ARGOCD_SYNC_TIMEOUT_SECONDS - 30;

/**
 * The deadline of the PreSync Job that creates an application's database user under the managed Argo
 * CD (lib/k8s/database/database-user-job-chart.ts), which runs before the migration in the same sync:
 * a migration of an application with a database gets this much less.
 */
export const MANAGED_DATABASE_USER_DEADLINE_SECONDS = 30;

/** The longest a migration may run under the managed Argo CD, and its default there: less the database user's Job when the application has a database. */
export function managedMigrationDeadlineSeconds(hasDatabase: boolean): number {
  return MANAGED_MIGRATION_DEADLINE_SECONDS - (hasDatabase ? MANAGED_DATABASE_USER_DEADLINE_SECONDS : 0);
}

/** The Identity Center identities (users or groups) one managed Argo CD can map to its roles. */
export const MANAGED_ARGOCD_MAX_IDENTITIES = 1000;

/**
 * The keys of `cluster.controllers` that size a workload of the Argo CD the stack installs (its Helm
 * chart's seven workloads, the notifications controller among them), which nothing runs under the
 * managed capability but the notifications controller, when the platform runs it for deploy feedback.
 */
export const ARGOCD_CONTROLLER_KEYS = CONTROLLER_KEYS.filter((key) => CONTROLLER_DEFAULTS[key].workload.startsWith('argocd-'));

/**
 * The key of `cluster.controllers` that sizes the notifications controller, which the platform runs on
 * the cluster under the managed capability when deploy feedback is on (lib/k8s/argocd/notifications-controller.ts).
 */
export const NOTIFICATIONS_CONTROLLER_KEY = 'argocdNotifications' satisfies (typeof ARGOCD_CONTROLLER_KEYS)[number];

/** Reports one problem at a field path. */
type Add = (path: string, message: string) => void;

/**
 * What the spec asks of the EKS managed Argo CD that it cannot do; nothing when Argo CD is
 * self-managed. `apps` are the applications as resolved, each with its path in the spec. (Config
 * management plugins are refused by the vault-plugin add-on, which is the only thing that uses them.)
 */
export function checkManagedArgoCd(
  spec: PlatformSpec,
  platform: ResolvedPlatform,
  apps: readonly { readonly app: ResolvedApp; readonly path: string }[],
  add: Add,
): void {
  if (!platform.argocd.managed) return;

  for (const { app, path } of apps) {
    const deadline = app.migration?.deadlineSeconds;
    const longest = managedMigrationDeadlineSeconds(app.database !== undefined);
    if (deadline !== undefined && deadline > longest) {
      const userJob = app.database ? `, after the ${MANAGED_DATABASE_USER_DEADLINE_SECONDS} s of the PreSync Job that creates the database's user` : '';
      add(
        `${path}.migration.deadlineSeconds`,
        `${deadline} is longer than the EKS managed Argo CD lets the migration run: its sync timeout is fixed at ` +
          `${MANAGED_ARGOCD_SYNC_TIMEOUT_SECONDS} s from the start of the sync, retries included (${managedArgoCdDoc(MANAGED_ARGOCD_DOCS.comparison)})${userJob}, ` +
          'so a PreSync migration still running then is deleted and every release fails. Give at most ' +
          `${longest} (the default with argocd.managed: true), or run a longer migration with a self-managed Argo CD (argocd.managed: false)`,
      );
    }
  }

  // "These capabilities run within EKS rather than in your clusters": no Argo CD workload to size,
  // but the notifications controller the platform runs itself for deploy feedback.
  const controllers: ControllersSpec = spec.cluster?.controllers ?? {};
  const runsHere = platform.argocd.deployFeedback?.controller ? [NOTIFICATIONS_CONTROLLER_KEY] : [];
  for (const key of ARGOCD_CONTROLLER_KEYS.filter((k) => !runsHere.includes(k))) {
    const given = controllers[key];
    if (given === undefined || Object.keys(given).length === 0) continue;
    add(
      `cluster.controllers.${key}`,
      `sizes ${CONTROLLER_DEFAULTS[key].workload}, a workload of the Argo CD the stack installs, but with argocd.managed: true no Argo CD runs on the ` +
        `cluster: the EKS managed Argo CD runs in EKS, not on the nodes, and AWS sizes it (${managedArgoCdDoc(MANAGED_ARGOCD_DOCS.capabilities)}); ` +
        `remove it${key === NOTIFICATIONS_CONTROLLER_KEY ? ' (it sizes only the notifications controller the platform runs itself with argocd.deployFeedback on)' : ''}, ` +
        'or use a self-managed Argo CD (argocd.managed: false)',
    );
  }

  const groups = spec.argocd?.identityCenter?.adminGroupIds ?? [];
  if (groups.length > MANAGED_ARGOCD_MAX_IDENTITIES) {
    add(
      'argocd.identityCenter.adminGroupIds',
      `lists ${groups.length} groups, but the EKS managed Argo CD maps at most ${MANAGED_ARGOCD_MAX_IDENTITIES} Identity Center identities ` +
        `(${managedArgoCdDoc(MANAGED_ARGOCD_DOCS.considerations)}); map fewer groups`,
    );
  }
}
