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

/** One entry of an ExternalSecret: a key of the Secret, from a property of a remote secret. */
export interface ExternalSecretEntry {
  /** The key in the Kubernetes Secret. */
  readonly secretKey: string;
  /** The remote secret and its property. */
  readonly remoteRef: { readonly key: string; readonly property: string };
}

/** What an application's ExternalSecret (`ownedExternalSecret`) names. */
export interface OwnedExternalSecretProps {
  /** The ExternalSecret's name. */
  readonly name: string;
  /** The Secret it writes. */
  readonly secretName: string;
  /** Its namespace; none for a preview's, whose Application sets it. */
  readonly namespace?: string;
  /** Labels. */
  readonly labels?: { [key: string]: string };
  /** How often External Secrets reads the remote secrets again. */
  readonly refreshInterval: string;
  /** The store it reads through. */
  readonly store: { readonly name: string; readonly kind: 'SecretStore' | 'ClusterSecretStore' };
  /** Its entries. */
  readonly data: readonly ExternalSecretEntry[];
}

/**
 * An ExternalSecret that owns its Secret: deleting the ExternalSecret deletes the Secret, nothing
 * else does (creationPolicy `Owner`), and the Secret keeps its last values if a remote secret
 * disappears (deletionPolicy `Retain`), rather than break the pods that read it.
 */
export function ownedExternalSecret(scope: Construct, id: string, props: OwnedExternalSecretProps): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: EXTERNAL_SECRETS_API_VERSION,
    kind: 'ExternalSecret',
    metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
    spec: {
      refreshInterval: props.refreshInterval,
      secretStoreRef: { name: props.store.name, kind: props.store.kind },
      target: { name: props.secretName, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      data: [...props.data],
    },
  });
}
