import { installLoadBalancerController } from './load-balancer-controller';
import type { PlatformAddon } from '../../model/resolved';
import { ComputeMode } from '../../model/types';

/**
 * The AWS Load Balancer Controller: it turns each application's Ingress into an ALB. The stack
 * installs it (with the IngressClass `alb` its chart creates) once the nodes exist; the applications'
 * Ingresses need nothing else from the manifest repository. Not on EKS Auto Mode
 * (`cluster.compute.mode: auto-mode`), whose own load balancing serves the Ingresses.
 */
export const LOAD_BALANCER_CONTROLLER_ADDON: PlatformAddon = {
  name: 'aws-load-balancer-controller',
  specKey: 'loadBalancerController',
  description: 'The AWS Load Balancer Controller',
  // aws-cdk-lib's controller construct binds its ServiceAccount through IRSA.
  podIdentityUnsupported: "aws-cdk-lib's AlbController binds its ServiceAccount with IRSA",

  // EKS Auto Mode runs load balancing itself (IngressClass controller eks.amazonaws.com/alb).
  enabled: ({ platform }) => platform.cluster.compute !== ComputeMode.AUTO_MODE,

  resolve: () => ({ reservedNamespaces: ['kube-system'] }),

  aws({ cluster, nodes, platform }) {
    installLoadBalancerController(cluster, nodes, platform.cluster.controllers);
  },
};
