import { Chart, ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AVP_PATH_ANNOTATION } from './argocd-vault-plugin';

/** Properties of an `AvpSecretChart` (its `namespace` is the Secret's). */
export interface AvpSecretChartProps extends ChartProps {
  /** Secret name. */
  readonly name: string;
  /** Vault path of the values, with `/data/` for KV version 2, e.g. `kv/data/main/main`. */
  readonly vaultPath: string;
  /** Keys; each becomes a `<key>` placeholder that AVP fills in. */
  readonly keys: string[];
}

/**
 * A Secret template for argocd-vault-plugin: `stringData` holds `<key>` placeholders, and the
 * annotation names the Vault path AVP reads them from while Argo CD generates manifests.
 */
export class AvpSecretChart extends Chart {
  /** The Secret template. */
  public readonly secret: k8s.KubeSecret;

  constructor(scope: Construct, id: string, props: AvpSecretChartProps) {
    super(scope, id, props);
    this.secret = new k8s.KubeSecret(this, 'Secret', {
      metadata: { name: props.name, annotations: { [AVP_PATH_ANNOTATION]: props.vaultPath } },
      type: 'Opaque',
      stringData: Object.fromEntries(props.keys.map((key) => [key, `<${key}>`])),
    });
  }
}
