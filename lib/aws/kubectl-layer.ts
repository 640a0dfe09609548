import { Annotations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  KUBERNETES_VERSIONS,
  KubernetesVersionName,
  kubernetesSupportWarning,
  kubernetesVersionProblem,
  SUPPORTED_KUBERNETES_VERSIONS,
  today,
} from '../model/kubernetes-versions';

/** The class a kubectl layer package exports. */
type LayerClass = new (scope: Construct, id: string) => lambda.ILayerVersion;

/**
 * The kubectl layer of a cluster on `version` (see `KUBERNETES_VERSIONS` for which layer a version
 * runs, and why), with the EKS support calendar checked: a version past extended support is refused,
 * one in extended support or leaving standard support within 90 days gets a synth warning.
 *
 * The layer packages are loaded only for the version a cluster runs: v35 and v36 are the package's
 * peer dependencies, v33 and v34 optional ones (a cluster on 1.32 to 1.34 needs one installed).
 */
export function kubectlLayerFor(scope: Construct, id: string, clusterName: string, version: string, now: Date = today()): lambda.ILayerVersion {
  if (!(SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(version)) {
    throw new Error(`GitOpsCluster ${clusterName}: Kubernetes '${version}' is not supported; use one of ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')}`);
  }
  const ended = kubernetesVersionProblem(version, now);
  if (ended) throw new Error(`GitOpsCluster ${clusterName}: ${ended}`);
  const warning = kubernetesSupportWarning(version, now);
  if (warning) Annotations.of(scope).addWarningV2('cdk-eks-gitops:kubernetesSupport', `Cluster ${clusterName}: ${warning}`);

  const layer = KUBERNETES_VERSIONS[version as KubernetesVersionName].kubectlLayer;
  let exports: { [name: string]: unknown };
  try {
    // Loaded by name so that only the layer of the cluster's version has to be installed.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    exports = require(layer.packageName);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(
      `GitOpsCluster ${clusterName}: Kubernetes ${version} runs its kubectl provider on ${layer.packageName} (kubectl ${layer.kubectl}, helm ${layer.helm}), which is not installed: npm install ${layer.packageName}@^${layer.packageVersion}`,
    );
  }
  const Layer = exports[layer.exportName] as LayerClass;
  return new Layer(scope, id);
}
