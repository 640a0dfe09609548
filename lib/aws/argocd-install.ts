import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { containerResources, controllerSettings, HELM_WAIT_TIMEOUT, HELPER_CONTAINER_RESOURCES, mergeValues } from './helm-release';
import { APPLICATION_HEALTH_KEY, APPLICATION_HEALTH_LUA } from '../k8s/argocd/annotations';
import { resolveControllers } from '../model/controllers';
import type { ResolvedController } from '../model/resolved';
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
   * Further Helm values, merged over the library's: mappings key by key at every depth, lists and
   * other values replaced.
   * @default - none
   */
  readonly values?: { [key: string]: any };

  /**
   * Resource requests and limits of Argo CD's workloads, by `cluster.controllers` key
   * (`argocdApplicationController`, `argocdRepoServer`, ...), as `Platform.resolve` gives them.
   * @default - the defaults of `cluster.controllers`
   */
  readonly controllers?: { [key: string]: ResolvedController };

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
      timeout: HELM_WAIT_TIMEOUT,
      values: mergeValues(argoCdValues(props.controllers ?? resolveControllers(undefined)), props.values),
    });
    if (props.bootstrap) {
      this.bootstrap = props.cluster.addCdk8sChart(`${id}Bootstrap`, props.bootstrap);
      // The AppProject and Application kinds exist only once the chart's CRDs do.
      this.bootstrap.node.addDependency(this.chart);
    }
  }
}

/**
 * The library's values of the argo-cd chart: the Application health check, and requests and limits
 * for every container of its seven workloads, their init containers and the redis-secret-init hook
 * (chart 10.1.1 values.yaml: `<component>.resources`, `dex.initImage.resources`,
 * `repoServer.copyutil.resources`, `redisSecretInit.resources`, all `{}` by default).
 */
function argoCdValues(controllers: { readonly [key: string]: ResolvedController }): { [key: string]: any } {
  const resources = (key: string) => containerResources(controllerSettings(controllers, key).resources);
  const helper = { requests: { ...HELPER_CONTAINER_RESOURCES.requests }, limits: { ...HELPER_CONTAINER_RESOURCES.limits } };
  return {
    configs: { cm: { [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA } },
    controller: { resources: resources('argocdApplicationController') },
    repoServer: { resources: resources('argocdRepoServer'), copyutil: { resources: helper } },
    server: { resources: resources('argocdServer') },
    applicationSet: { resources: resources('argocdApplicationSet') },
    notifications: { resources: resources('argocdNotifications') },
    dex: { resources: resources('argocdDex'), initImage: { resources: helper } },
    redis: { resources: resources('argocdRedis') },
    redisSecretInit: { resources: helper },
  };
}
