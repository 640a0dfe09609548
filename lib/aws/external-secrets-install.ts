import { Duration } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { EXTERNAL_SECRETS_NAMESPACE } from '../spec/constants';
import { UPSTREAM_URLS, UPSTREAM_VERSIONS } from '../versions';

/** Properties of an `ExternalSecretsInstall`. */
export interface ExternalSecretsInstallProps {
  /** The cluster (it needs a kubectl provider). */
  readonly cluster: eks.ICluster;

  /**
   * Namespace.
   * @default 'external-secrets'
   */
  readonly namespace?: string;

  /**
   * external-secrets Helm chart version.
   * @default '2.9.0'
   */
  readonly chartVersion?: string;
}

/**
 * External Secrets Operator installed by the stack from its Helm chart, with its CRDs. The platform
 * installs it here rather than through Argo CD because Argo CD itself needs it first: it writes
 * Argo CD's credentials for a private manifest repository, which must exist before Argo CD can read
 * anything from that repository. Upgrade it by changing `chartVersion` and deploying.
 */
export class ExternalSecretsInstall extends Construct {
  /** The Helm release. */
  public readonly chart: eks.HelmChart;

  /** Its namespace. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: ExternalSecretsInstallProps) {
    super(scope, id);
    this.namespace = props.namespace ?? EXTERNAL_SECRETS_NAMESPACE;
    this.chart = props.cluster.addHelmChart(`${id}Chart`, {
      chart: 'external-secrets',
      repository: UPSTREAM_URLS.externalSecretsChartRepository,
      version: props.chartVersion ?? UPSTREAM_VERSIONS.externalSecretsChart,
      release: 'external-secrets',
      namespace: this.namespace,
      createNamespace: true,
      // The webhook must serve before anything creates a SecretStore.
      wait: true,
      timeout: Duration.minutes(10),
      values: { installCRDs: true },
    });
  }
}
