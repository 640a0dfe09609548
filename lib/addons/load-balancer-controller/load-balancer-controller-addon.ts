import { installLoadBalancerController } from './load-balancer-controller';
import type { PlatformAddon } from '../../model/resolved';

/**
 * The AWS Load Balancer Controller: it turns each application's Ingress into an ALB. The stack
 * installs it (with the IngressClass `alb` its chart creates) once the nodes exist; the applications'
 * Ingresses need nothing else from the manifest repository.
 */
export const LOAD_BALANCER_CONTROLLER_ADDON: PlatformAddon = {
  name: 'aws-load-balancer-controller',
  specKey: 'loadBalancerController',
  description: 'The AWS Load Balancer Controller',
  // aws-cdk-lib's controller construct binds its ServiceAccount through IRSA.
  podIdentityUnsupported: "aws-cdk-lib's AlbController binds its ServiceAccount with IRSA",

  enabled: () => true,

  resolve: () => ({ reservedNamespaces: ['kube-system'] }),

  aws({ cluster, nodes, platform }) {
    installLoadBalancerController(cluster, nodes, platform.cluster.controllers);
  },
};
