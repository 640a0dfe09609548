// Resolution, deploy feedback (argocd.deployFeedback): the GitHub App secret Argo CD Notifications
// reports with, and the ServiceAccount External Secrets copies it as.
import { ArgoCdMode } from '../argocd-mode';
import { REPOSITORY_CREDENTIAL_KEYS } from '../constants';
import type { ResolvedDeployFeedback } from '../resolved';
import { RepositoryCredentialsType } from '../types';
import { resolveArgoCdMode } from './argocd';
import type { SectionInput } from './environment';

/** The Kubernetes Secret the notifications controller reads its services' `$key` references from (chart 10.1.1 `notifications.secret.name`). */
export const NOTIFICATIONS_SECRET_NAME = 'argocd-notifications-secret';

/**
 * Whether deploy feedback runs in this environment: asked for, and Argo CD is the stack's own here,
 * its mode resolved once (resolve/argocd.ts): the platform configures no notifications for the managed Argo CD
 * (validation refuses it there), and a spoke's Applications are the hub's.
 */
export function runsDeployFeedback({ spec, names }: Pick<SectionInput, 'spec' | 'names'>): boolean {
  return spec.argocd.deployFeedback.enabled && resolveArgoCdMode(spec.argocd.managed, names.runsArgoCd) === ArgoCdMode.SELF_MANAGED;
}

/** Deploy feedback, where it runs (`runsDeployFeedback`); undefined otherwise. */
export function resolveDeployFeedback(input: SectionInput): ResolvedDeployFeedback | undefined {
  if (!runsDeployFeedback(input)) return undefined;
  const { spec, names, roles, identityOf } = input;
  const feedback = spec.argocd.deployFeedback;
  // Derived: under the platform's (and environment's) secrets prefix, beside the repository's credentials.
  const secretName = feedback.secretName ?? `${names.secretsPrefix}/argocd/deploy-feedback`;
  return {
    environment: names.environment,
    secretName,
    secretArnPattern: names.secretArnPattern(`${secretName}-??????`),
    // The keys of a github-app repository credential: one App's secret can serve both.
    keys: REPOSITORY_CREDENTIAL_KEYS[RepositoryCredentialsType.GITHUB_APP],
    kubernetesSecretName: NOTIFICATIONS_SECRET_NAME,
    storeName: `${spec.name}-deploy-feedback`,
    reader: roles.serviceAccountRole('feedback-reader', spec.argocd.namespace, `${spec.name}-feedback-reader`, identityOf('externalSecrets', undefined)),
  };
}
