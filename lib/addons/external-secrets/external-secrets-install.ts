import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { containerResources, controllerSettings, HELM_WAIT_TIMEOUT } from '../../aws/helm-release';
import { EXTERNAL_SECRETS_NAMESPACE } from '../../model/constants';
import { resolveControllers } from '../../model/controllers';
import type { ResolvedController } from '../../model/resolved';
import { UPSTREAM_URLS, UPSTREAM_VERSIONS } from '../../versions';

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

  /**
   * Resource requests and limits of its workloads and the webhook's replicas, by `cluster.controllers`
   * key (`externalSecrets`, `externalSecretsCertController`, `externalSecretsWebhook`), as
   * `Platform.resolve` gives them.
   * @default - the defaults of `cluster.controllers` (two webhook replicas)
   */
  readonly controllers?: { [key: string]: ResolvedController };
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
      timeout: HELM_WAIT_TIMEOUT,
      values: externalSecretsValues(props.controllers ?? resolveControllers(undefined)),
    });
  }
}

/**
 * The library's values of the external-secrets chart (2.9.0 values.yaml): its CRDs (`installCRDs`),
 * requests and limits of its three workloads (`resources`, `certController.resources`,
 * `webhook.resources`), and a webhook that survives a node drain. The webhook's configurations use
 * `failurePolicy: Fail`, so with one replica a drain blocks every SecretStore and ExternalSecret
 * write: `webhook.replicaCount` pods, spread over nodes, and a PodDisruptionBudget
 * (`webhook.podDisruptionBudget`, `maxUnavailable` taking precedence over the default `minAvailable`
 * in templates/webhook-poddisruptionbudget.yaml) that lets one go at a time.
 */
function externalSecretsValues(controllers: { readonly [key: string]: ResolvedController }): { [key: string]: any } {
  const webhook = controllerSettings(controllers, 'externalSecretsWebhook');
  return {
    installCRDs: true,
    resources: containerResources(controllerSettings(controllers, 'externalSecrets').resources),
    certController: { resources: containerResources(controllerSettings(controllers, 'externalSecretsCertController').resources) },
    webhook: {
      replicaCount: webhook.replicas ?? 2,
      resources: containerResources(webhook.resources),
      podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
      // Prefer one webhook pod per node; a single node still schedules both.
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'kubernetes.io/hostname',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'external-secrets-webhook', 'app.kubernetes.io/instance': 'external-secrets' } },
        },
      ],
    },
  };
}
