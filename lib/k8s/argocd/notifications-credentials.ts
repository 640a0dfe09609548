import type { ApiObject } from 'cdk8s';
import type { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { copySecret } from './copied-secret';
import type { SecretsManagerStore } from '../../addons/external-secrets/secrets-manager-store';
import type { ResolvedDeployFeedback } from '../../model/resolved';

/** Properties of `NotificationsCredentials`. */
export interface NotificationsCredentialsProps {
  /** Deploy feedback, resolved. */
  readonly feedback: ResolvedDeployFeedback;

  /** Argo CD's namespace, where the notifications controller reads its Secret. */
  readonly namespace: string;

  /** AWS region of the Secrets Manager secret. */
  readonly region: string;

  /**
   * How often External Secrets copies the secret again (a rotated key reaches Notifications within it).
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

/**
 * The GitHub App Argo CD Notifications reports deploy feedback with, kept in AWS Secrets Manager and
 * copied by External Secrets into `argocd-notifications-secret`, the Secret whose keys the
 * `service.github` of argocd-notifications-cm names (`$githubAppID`, ...). The Helm release does not
 * create that Secret (`notifications.secret.create: false`), so External Secrets owns it. The
 * controller watches the Secret by name alone (Argo CD v3.4.4 util/notification/k8s/informers.go: a
 * field selector on `metadata.name`), so it needs no label and is picked up when External Secrets
 * first writes it, without a restart.
 *
 * A missing secret, a missing key or a role that may not read it does not leave Notifications
 * silently without a service: each key is named in `data`, so External Secrets sets the
 * ExternalSecret's `Ready` condition to `False` (reason `SecretSyncedError`, the message naming the
 * secret or key), which `kubectl get externalsecret -n <argocd namespace>` shows as `SecretSyncedError`
 * (docs/deploy-feedback.md). A wrong key that GitHub refuses shows in the notifications controller's
 * log, on each notification it tries to send.
 */
export class NotificationsCredentials extends Construct {
  /** The ServiceAccount External Secrets authenticates as. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The SecretStore. */
  public readonly store: SecretsManagerStore;
  /** The ExternalSecret writing `argocd-notifications-secret`. */
  public readonly externalSecret: ApiObject;

  constructor(scope: Construct, id: string, props: NotificationsCredentialsProps) {
    super(scope, id);
    const copied = copySecret(this, {
      secret: props.feedback,
      namespace: props.namespace,
      region: props.region,
      refreshInterval: props.refreshInterval ?? '1h',
      externalSecretName: props.feedback.storeName,
    });
    this.serviceAccount = copied.serviceAccount;
    this.store = copied.store;
    this.externalSecret = copied.externalSecret;
  }
}
