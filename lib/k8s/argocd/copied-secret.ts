// The three objects that copy one Secrets Manager secret into one Kubernetes Secret in Argo CD's
// namespace: the ServiceAccount whose role may read that secret, a SecretStore of its own, and the
// ExternalSecret naming each key. The manifest repository's credentials and deploy feedback's
// GitHub App are copied this way (repository-credentials.ts, notifications-credentials.ts), and the
// previews' pull request generator's GitHub App (bootstrap-chart.ts).
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { EXTERNAL_SECRETS_API_VERSION, SecretsManagerStore } from '../../addons/external-secrets/secrets-manager-store';
import type { ResolvedCopiedSecret } from '../../model/resolved';

/** What `copySecret` is given. */
export interface CopySecretOptions {
  /** The secret and what it is copied as. */
  readonly secret: ResolvedCopiedSecret;
  /** The namespace of the ServiceAccount, the SecretStore, the ExternalSecret and the Secret. */
  readonly namespace: string;
  /** AWS region of the Secrets Manager secret. */
  readonly region: string;
  /** How often External Secrets copies the secret again. */
  readonly refreshInterval: string;
  /** The ExternalSecret's name. */
  readonly externalSecretName: string;
  /** `spec.target.template` of the ExternalSecret, when the Secret needs more than the keys. */
  readonly template?: { [key: string]: unknown };
}

/** The objects `copySecret` made. */
export interface CopiedSecretObjects {
  /** The ServiceAccount External Secrets authenticates as. */
  readonly serviceAccount: k8s.KubeServiceAccount;
  /** The SecretStore. */
  readonly store: SecretsManagerStore;
  /** The ExternalSecret writing the Secret. */
  readonly externalSecret: ApiObject;
}

/**
 * Adds the ServiceAccount, the SecretStore and the ExternalSecret to `scope` (ids `ServiceAccount`,
 * `Store`, `ExternalSecret`). Each key is named in `data`, so a secret missing one fails visibly on
 * the ExternalSecret's `Ready` condition (reason `SecretSyncedError`) instead of later, where the
 * Secret is read.
 */
export function copySecret(scope: Construct, options: CopySecretOptions): CopiedSecretObjects {
  const { secret, namespace } = options;
  const serviceAccount = new k8s.KubeServiceAccount(scope, 'ServiceAccount', {
    metadata: { name: secret.reader.serviceAccountName, namespace, annotations: secret.reader.serviceAccountAnnotations },
    // External Secrets requests tokens for this account; no pod mounts it.
    automountServiceAccountToken: false,
  });
  const store = new SecretsManagerStore(scope, 'Store', {
    name: secret.storeName,
    namespace,
    region: options.region,
    serviceAccountName: secret.reader.serviceAccountName,
  });
  const externalSecret = new ApiObject(scope, 'ExternalSecret', {
    apiVersion: EXTERNAL_SECRETS_API_VERSION,
    kind: 'ExternalSecret',
    metadata: { name: options.externalSecretName, namespace },
    spec: {
      refreshInterval: options.refreshInterval,
      secretStoreRef: { name: store.name, kind: 'SecretStore' },
      target: { name: secret.kubernetesSecretName, creationPolicy: 'Owner', ...(options.template ? { template: options.template } : {}) },
      data: secret.keys.map((key) => ({ secretKey: key, remoteRef: { key: secret.secretName, property: key } })),
    },
  });
  return { serviceAccount, store, externalSecret };
}
