import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ARGOCD } from './annotations';
import { EXTERNAL_SECRETS_API_VERSION, SecretsManagerStore } from '../../addons/external-secrets/secrets-manager-store';
import type { ResolvedManifestRepository, ResolvedRepositoryCredentials } from '../../model/resolved';

/** Properties of `RepositoryCredentials`. */
export interface RepositoryCredentialsProps {
  /** The manifest repository; it must be private (have credentials). */
  readonly repository: ResolvedManifestRepository;

  /** Argo CD's namespace, where the repository Secret must be. */
  readonly namespace: string;

  /** AWS region of the Secrets Manager secret. */
  readonly region: string;

  /**
   * How often External Secrets copies the secret again (a rotated key reaches Argo CD within it).
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

/**
 * Argo CD's credentials for a private repository, kept in AWS Secrets Manager and copied by External
 * Secrets into an Argo CD repository Secret (label `argocd.argoproj.io/secret-type: repository`,
 * with `type`, `url` and the keys of the credentials). The ServiceAccount's IRSA role may read that
 * one secret only. The Image Updater's git write-back uses the same Secret.
 */
export class RepositoryCredentials extends Construct {
  /** The ServiceAccount External Secrets authenticates as. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The SecretStore. */
  public readonly store: SecretsManagerStore;
  /** The ExternalSecret writing the repository Secret. */
  public readonly externalSecret: ApiObject;

  constructor(scope: Construct, id: string, props: RepositoryCredentialsProps) {
    super(scope, id);
    const credentials: ResolvedRepositoryCredentials | undefined = props.repository.credentials;
    if (!credentials) throw new Error(`RepositoryCredentials: ${props.repository.fullName} is public and needs no credentials`);
    const namespace = props.namespace;

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: credentials.reader.serviceAccountName, namespace, annotations: credentials.reader.serviceAccountAnnotations },
      // External Secrets requests tokens for this account; no pod mounts it.
      automountServiceAccountToken: false,
    });

    this.store = new SecretsManagerStore(this, 'Store', {
      name: credentials.storeName,
      namespace,
      region: props.region,
      serviceAccountName: credentials.reader.serviceAccountName,
    });

    this.externalSecret = new ApiObject(this, 'ExternalSecret', {
      apiVersion: EXTERNAL_SECRETS_API_VERSION,
      kind: 'ExternalSecret',
      metadata: { name: credentials.kubernetesSecretName, namespace },
      spec: {
        refreshInterval: props.refreshInterval ?? '1h',
        secretStoreRef: { name: this.store.name, kind: 'SecretStore' },
        target: {
          name: credentials.kubernetesSecretName,
          creationPolicy: 'Owner',
          template: {
            engineVersion: 'v2',
            // The fetched keys, plus what makes the Secret an Argo CD repository.
            mergePolicy: 'Merge',
            metadata: { labels: { [ARGOCD.secretType]: 'repository' } },
            data: { type: 'git', url: props.repository.argocdUrl },
          },
        },
        // Each key named: a secret missing one fails here, visibly, instead of in Argo CD later.
        data: credentials.keys.map((key) => ({ secretKey: key, remoteRef: { key: credentials.secretName, property: key } })),
      },
    });
  }
}
