import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** External Secrets' only served API version since 0.17 (v1beta1 is no longer served). */
export const EXTERNAL_SECRETS_API_VERSION = 'external-secrets.io/v1';

/** Properties of a `SecretsManagerStore`. */
export interface SecretsManagerStoreProps {
  /** SecretStore name. */
  readonly name: string;

  /** Namespace of the SecretStore and of the ServiceAccount it authenticates as. */
  readonly namespace: string;

  /** AWS region of the secrets. */
  readonly region: string;

  /**
   * ServiceAccount (in `namespace`) whose IRSA role External Secrets assumes, through a token it
   * requests for that account: the store reads what that role may read, and nothing else.
   */
  readonly serviceAccountName: string;

  /**
   * Labels.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * An External Secrets `SecretStore` for AWS Secrets Manager in one namespace, authenticated as a
 * ServiceAccount of that namespace (`auth.jwt.serviceAccountRef`), so each namespace's store can read
 * only what its own ServiceAccount's role allows.
 */
export class SecretsManagerStore extends Construct {
  /** The SecretStore object. */
  public readonly apiObject: ApiObject;

  /** The store name, for `secretStoreRef`. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: SecretsManagerStoreProps) {
    super(scope, id);
    this.name = props.name;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: EXTERNAL_SECRETS_API_VERSION,
      kind: 'SecretStore',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: {
        provider: {
          aws: {
            service: 'SecretsManager',
            region: props.region,
            auth: { jwt: { serviceAccountRef: { name: props.serviceAccountName } } },
          },
        },
      },
    });
  }
}
