import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { EXTERNAL_SECRETS_API_VERSION } from './secrets-manager-store';
import type { ResolvedPreviews } from '../../model/resolved';

/** Properties of a `PreviewSecretStore`. */
export interface PreviewSecretStoreProps {
  /** The app's previews. */
  readonly previews: ResolvedPreviews;
  /** AWS region of the secrets. */
  readonly region: string;
  /**
   * Labels.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * The regular expression of the namespaces a preview store admits: `^<namespacePrefix>[0-9]+$`, the
 * namespaces the pull request generator's Applications deploy to, and no other (not the app's own,
 * not `<app>-previews`, not a namespace that merely starts with the prefix).
 */
export function previewNamespaceRegex(previews: ResolvedPreviews): string {
  return `^${previews.namespacePrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[0-9]+$`;
}

/**
 * The one ClusterSecretStore of an app's previews: every preview namespace is new, so a namespaced
 * SecretStore would need the reader's ServiceAccount (and an IRSA trust) in each. It authenticates as
 * the previews' secrets reader, a ServiceAccount of `<app>-previews` whose role reads only the preview
 * prefix, and External Secrets serves it only to ExternalSecrets in namespaces matching
 * `^<app>-pr-[0-9]+$`: `spec.conditions[].namespaceRegexes` (External Secrets v2.9.0's
 * ClusterSecretStore CRD: "Choose namespaces by using regex matching"; an ExternalSecret of another
 * namespace that names the store is refused).
 */
export class PreviewSecretStore extends Construct {
  /** The ClusterSecretStore object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: PreviewSecretStoreProps) {
    super(scope, id);
    const { previews } = props;
    const reader = previews.secretsReader;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: EXTERNAL_SECRETS_API_VERSION,
      kind: 'ClusterSecretStore',
      metadata: { name: previews.storeName, labels: props.labels },
      spec: {
        conditions: [{ namespaceRegexes: [previewNamespaceRegex(previews)] }],
        provider: {
          aws: {
            service: 'SecretsManager',
            region: props.region,
            // A cluster-scoped store names the ServiceAccount's namespace: the reader's, never the preview's.
            auth: { jwt: { serviceAccountRef: { name: reader.serviceAccountName, namespace: reader.namespace } } },
          },
        },
      },
    });
  }
}
