// Resolution, deploy feedback (argocd.deployFeedback): the GitHub App secret Argo CD Notifications
// reports with, the ServiceAccount External Secrets copies it as, and, under the EKS managed Argo CD,
// the notifications controller the platform runs itself.
import { UPSTREAM_URLS } from '../../versions';
import { ArgoCdMode } from '../argocd-mode';
import { REPOSITORY_CREDENTIAL_KEYS, SYNC_WAVES } from '../constants';
import { resolveControllers } from '../controllers';
import type { ResolvedChildApplication, ResolvedDeployFeedback, ResolvedNotificationsController } from '../resolved';
import { RepositoryCredentialsType } from '../types';
import { resolveArgoCdMode } from './argocd';
import type { SectionInput } from './environment';

/** The Kubernetes Secret the notifications controller reads its services' `$key` references from (chart 10.1.1 `notifications.secret.name`). */
export const NOTIFICATIONS_SECRET_NAME = 'argocd-notifications-secret';

/** The ConfigMap the notifications controller reads its services, templates and triggers from (its `--config-map-name` default). */
export const NOTIFICATIONS_CONFIG_MAP_NAME = 'argocd-notifications-cm';

/** The notifications controller's name in Argo CD v3.4.4's install.yaml (its ServiceAccount, Role, RoleBinding and Deployment). */
export const NOTIFICATIONS_CONTROLLER_NAME = 'argocd-notifications-controller';

/**
 * Whether deploy feedback runs in this environment: asked for, and the Applications are this
 * environment's own Argo CD's, its mode resolved once (resolve/argocd.ts): the stack's install, or
 * the EKS managed Argo CD on this cluster (beside which the platform runs the notifications
 * controller). A spoke's Applications are the hub's (validation refuses feedback there).
 */
export function runsDeployFeedback({ spec, names }: Pick<SectionInput, 'spec' | 'names'>): boolean {
  return spec.argocd.deployFeedback.enabled && resolveArgoCdMode(spec.argocd.managed, names.runsArgoCd) !== ArgoCdMode.SPOKE;
}

/** Deploy feedback, where it runs (`runsDeployFeedback`); undefined otherwise. */
export function resolveDeployFeedback(input: SectionInput): ResolvedDeployFeedback | undefined {
  if (!runsDeployFeedback(input)) return undefined;
  const { spec, names, roles, identityOf } = input;
  const feedback = spec.argocd.deployFeedback;
  // Derived: under the platform's (and environment's) secrets prefix, beside the repository's credentials.
  const secretName = feedback.secretName ?? `${names.secretsPrefix}/argocd/deploy-feedback`;
  const managed = resolveArgoCdMode(spec.argocd.managed, names.runsArgoCd) === ArgoCdMode.MANAGED;
  return {
    environment: names.environment,
    secretName,
    secretArnPattern: names.secretArnPattern(`${secretName}-??????`),
    // The keys of a github-app repository credential: one App's secret can serve both.
    keys: REPOSITORY_CREDENTIAL_KEYS[RepositoryCredentialsType.GITHUB_APP],
    kubernetesSecretName: NOTIFICATIONS_SECRET_NAME,
    storeName: `${spec.name}-deploy-feedback`,
    reader: roles.serviceAccountRole('feedback-reader', spec.argocd.namespace, `${spec.name}-feedback-reader`, identityOf('externalSecrets', undefined)),
    ...(managed ? { controller: resolveNotificationsController(input) } : {}),
  };
}

/**
 * The notifications controller under the EKS managed Argo CD: a child Application of the root
 * app-of-apps (in the operators' wave, before the applications') syncing its directory into Argo
 * CD's namespace, where the capability's Applications and AppProjects live (its `sourceNamespaces`),
 * sized by `cluster.controllers.argocdNotifications`.
 */
function resolveNotificationsController({ spec, names }: SectionInput): ResolvedNotificationsController {
  const application: ResolvedChildApplication = {
    name: `${names.qualifiedName}-notifications`,
    namespace: spec.argocd.namespace,
    wave: SYNC_WAVES.operators,
    // Beside argocd/apps/ and argocd/bootstrap/, per environment as they are.
    path: names.several ? `argocd/notifications/${names.environment}` : 'argocd/notifications',
    syncOptions: [],
  };
  return {
    application,
    name: NOTIFICATIONS_CONTROLLER_NAME,
    image: UPSTREAM_URLS.argoCdImage,
    resources: resolveControllers(spec.cluster.controllers).argocdNotifications.resources,
  };
}

/** The child Applications deploy feedback adds: the notifications controller's, where the platform runs it. */
export function feedbackApplications(feedback: ResolvedDeployFeedback | undefined): ResolvedChildApplication[] {
  return feedback?.controller ? [feedback.controller.application] : [];
}
