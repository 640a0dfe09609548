// Resolution, deploy feedback (argocd.deployFeedback): the GitHub App secret Argo CD Notifications
// reports with, and the ServiceAccount External Secrets copies it as.
import { REPOSITORY_CREDENTIAL_KEYS } from '../constants';
import type { ResolvedDeployFeedback } from '../resolved';
import { RepositoryCredentialsType } from '../types';
import type { SectionInput } from './environment';

/** The Kubernetes Secret the notifications controller reads its services' `$key` references from (chart 10.1.1 `notifications.secret.name`). */
export const NOTIFICATIONS_SECRET_NAME = 'argocd-notifications-secret';

/** Deploy feedback, where it is on and Argo CD runs in this environment; undefined otherwise. */
export function resolveDeployFeedback({ spec, names, roles, identityOf }: SectionInput): ResolvedDeployFeedback | undefined {
  const feedback = spec.argocd.deployFeedback;
  if (!feedback.enabled || !names.runsArgoCd) return undefined;
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
