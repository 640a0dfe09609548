import { Duration } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { APPLICATION_HEALTH_KEY, APPLICATION_HEALTH_LUA } from '../k8s/argocd/annotations';
import { ARGO_CD_CHART_APP_VERSIONS, UPSTREAM_URLS, UPSTREAM_VERSIONS } from '../versions';

/** Properties of an `ArgoCdInstall`. */
export interface ArgoCdInstallProps {
  /** The cluster (it needs a kubectl provider). */
  readonly cluster: eks.ICluster;

  /**
   * Namespace.
   * @default 'argocd'
   */
  readonly namespace?: string;

  /**
   * argo-cd Helm chart version. The chart's `appVersion` is the Argo CD that runs (image and CRDs);
   * keep it equal to the version of any other install path you use.
   * @default '10.1.1' (Argo CD v3.4.4)
   */
  readonly chartVersion?: string;

  /**
   * Further Helm values, merged over the library's at the top level.
   * @default - none
   */
  readonly values?: { [key: string]: any };

  /**
   * A cdk8s chart to apply once Argo CD runs: typically the `ArgoCdBootstrapChart` (AppProject and
   * root app-of-apps) that makes Argo CD start pulling the manifest repository.
   * @default - nothing is applied
   */
  readonly bootstrap?: Chart;
}

/**
 * Argo CD installed on the cluster from the argo-cd Helm chart, with the `argoproj.io/Application`
 * health check in argocd-cm (so app-of-apps sync waves wait for child health), then bootstrapped.
 * The chart's own `appVersion` decides the image and the CRDs, so they cannot disagree.
 */
export class ArgoCdInstall extends Construct {
  /** The Helm release. */
  public readonly chart: eks.HelmChart;

  /** The applied bootstrap chart, if any. */
  public readonly bootstrap?: eks.KubernetesManifest;

  /** The Argo CD version the chart runs, when the chart is one whose `appVersion` is known. */
  public readonly argoCdVersion?: string;

  constructor(scope: Construct, id: string, props: ArgoCdInstallProps) {
    super(scope, id);
    const namespace = props.namespace ?? 'argocd';
    const chartVersion = props.chartVersion ?? UPSTREAM_VERSIONS.argoCdChart;
    this.argoCdVersion = ARGO_CD_CHART_APP_VERSIONS[chartVersion];
    this.chart = props.cluster.addHelmChart(`${id}Chart`, {
      chart: 'argo-cd',
      repository: UPSTREAM_URLS.argoCdChartRepository,
      version: chartVersion,
      release: 'argocd',
      namespace,
      createNamespace: true,
      wait: true,
      timeout: Duration.minutes(15),
      values: {
        configs: { cm: { [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA } },
        ...props.values,
      },
    });
    if (props.bootstrap) {
      this.bootstrap = props.cluster.addCdk8sChart(`${id}Bootstrap`, props.bootstrap);
      // The AppProject and Application kinds exist only once the chart's CRDs do.
      this.bootstrap.node.addDependency(this.chart);
    }
  }
}
