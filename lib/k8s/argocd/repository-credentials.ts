import type { ApiObject } from 'cdk8s';
import type { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ARGOCD } from './annotations';
import { copySecret } from './copied-secret';
import type { SecretsManagerStore } from '../../addons/external-secrets/secrets-manager-store';
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
    const copied = copySecret(this, {
      secret: credentials,
      namespace: props.namespace,
      region: props.region,
      refreshInterval: props.refreshInterval ?? '1h',
      externalSecretName: credentials.kubernetesSecretName,
      template: {
        engineVersion: 'v2',
        // The fetched keys, plus what makes the Secret an Argo CD repository.
        mergePolicy: 'Merge',
        metadata: { labels: { [ARGOCD.secretType]: 'repository' } },
        data: { type: 'git', url: props.repository.argocdUrl },
      },
    });
    this.serviceAccount = copied.serviceAccount;
    this.store = copied.store;
    this.externalSecret = copied.externalSecret;
  }
}
