import type { ResolvedContainerResources, ResolvedController } from './resolved';
import type { ControllerSpec, ControllersSpec, WebhookControllerSpec } from './types';

/** The defaults of one controller: requests, memory limit, and a webhook's replicas. */
interface ControllerDefault {
  /** The Kubernetes workload (Deployment or StatefulSet) it is. */
  readonly workload: string;
  /** Its TSDoc in `ControllersSpec` (lib/model/platform-shape.ts). */
  readonly doc: string;
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
  readonly replicas?: number;
}

/**
 * The default of every controller of `cluster.controllers`. Sized for the default node group (two
 * t3.medium nodes, about 1.9 vCPU and 3.3 GiB allocatable each): together about 0.6 vCPU and 1.45 GiB
 * of requests. Memory limits everywhere (a leaking controller is restarted, not the node starved);
 * no CPU limit unless the spec gives one.
 */
export const CONTROLLER_DEFAULTS: { readonly [K in keyof Required<ControllersSpec>]: ControllerDefault } = {
  argocdApplicationController: { workload: 'argocd-application-controller', cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi', doc: 'Argo CD\'s application controller (StatefulSet `argocd-application-controller`).' },
  // kustomize and helm run here; large repositories need more.
  argocdRepoServer: { workload: 'argocd-repo-server', cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi', doc: 'Argo CD\'s repo-server, which renders the manifests (`argocd-repo-server`).' },
  argocdServer: { workload: 'argocd-server', cpuRequest: '50m', memoryRequest: '128Mi', memoryLimit: '256Mi', doc: 'Argo CD\'s API server and UI (`argocd-server`).' },
  argocdApplicationSet: { workload: 'argocd-applicationset-controller', cpuRequest: '50m', memoryRequest: '64Mi', memoryLimit: '256Mi', doc: 'Argo CD\'s ApplicationSet controller (`argocd-applicationset-controller`).' },
  argocdNotifications: { workload: 'argocd-notifications-controller', cpuRequest: '20m', memoryRequest: '64Mi', memoryLimit: '128Mi', doc: 'Argo CD\'s notifications controller (`argocd-notifications-controller`): the Helm release\'s, or, with the EKS managed Argo CD and `argocd.deployFeedback`, the one the platform runs itself.' },
  argocdDex: { workload: 'argocd-dex-server', cpuRequest: '10m', memoryRequest: '64Mi', memoryLimit: '128Mi', doc: 'Argo CD\'s Dex server (`argocd-dex-server`).' },
  argocdRedis: { workload: 'argocd-redis', cpuRequest: '50m', memoryRequest: '64Mi', memoryLimit: '256Mi', doc: 'Argo CD\'s Redis cache (`argocd-redis`).' },
  externalSecrets: { workload: 'external-secrets', cpuRequest: '50m', memoryRequest: '128Mi', memoryLimit: '512Mi', doc: 'External Secrets Operator\'s controller (`external-secrets`).' },
  externalSecretsCertController: { workload: 'external-secrets-cert-controller', cpuRequest: '20m', memoryRequest: '64Mi', memoryLimit: '256Mi', doc: 'External Secrets Operator\'s webhook certificate controller (`external-secrets-cert-controller`).' },
  externalSecretsWebhook: { workload: 'external-secrets-webhook', cpuRequest: '20m', memoryRequest: '64Mi', memoryLimit: '256Mi', replicas: 2, doc: 'External Secrets Operator\'s webhook (`external-secrets-webhook`), with a PodDisruptionBudget.' },
  // Karpenter's getting-started values give it 1 CPU and 1 GiB; a platform of a few node pools needs less.
  karpenter: { workload: 'karpenter', cpuRequest: '200m', memoryRequest: '256Mi', memoryLimit: '1Gi', doc: 'The Karpenter controller (`karpenter`, with `cluster.compute.mode: karpenter`).' },
  loadBalancerController: { workload: 'aws-load-balancer-controller', cpuRequest: '50m', memoryRequest: '128Mi', memoryLimit: '512Mi', replicas: 2, doc: 'The AWS Load Balancer Controller and its webhooks (`aws-load-balancer-controller`), with a PodDisruptionBudget.' },
};

/** A key of `cluster.controllers`. */
export type ControllerKey = keyof ControllersSpec;

/** The controllers' keys of `cluster.controllers`. */
export const CONTROLLER_KEYS = Object.keys(CONTROLLER_DEFAULTS) as ControllerKey[];

/** The controllers that serve an admission webhook (they take `replicas`). */
export const WEBHOOK_CONTROLLER_KEYS: readonly (keyof ControllersSpec)[] = CONTROLLER_KEYS.filter(
  (key) => CONTROLLER_DEFAULTS[key].replicas !== undefined,
);

/** `cluster.controllers` with the defaults applied, by key. */
export function resolveControllers(spec: ControllersSpec | undefined): { [key: string]: ResolvedController } {
  return Object.fromEntries(
    CONTROLLER_KEYS.map((key) => {
      const given: ControllerSpec & WebhookControllerSpec = spec?.[key] ?? {};
      const defaults = CONTROLLER_DEFAULTS[key];
      const resources: ResolvedContainerResources = {
        requests: { cpu: given.cpuRequest ?? defaults.cpuRequest, memory: given.memoryRequest ?? defaults.memoryRequest },
        limits: { ...(given.cpuLimit ? { cpu: given.cpuLimit } : {}), memory: given.memoryLimit ?? defaults.memoryLimit },
      };
      const replicas = defaults.replicas === undefined ? undefined : given.replicas ?? defaults.replicas;
      return [key, replicas === undefined ? { resources } : { resources, replicas }];
    }),
  );
}
