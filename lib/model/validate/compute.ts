// The rules of `cluster.compute`: what a spec can ask for that the chosen way of providing nodes
// cannot do. EKS Auto Mode's facts are the EKS user guide's (read 2026-12-03; the pages' sources are
// in awsdocs/amazon-eks-user-guide, latest/ug/automode/).
import { show } from '../shape';
import { ComputeMode } from '../types';
import type { AddProblem, EnvironmentInput, LocatedApp } from './input';

/** An EKS user guide page an Auto Mode rule comes from. */
export interface AutoModeDocPage {
  /** The page's title. */
  readonly title: string;
  /** Its address. */
  readonly url: string;
}

/** The EKS user guide pages the Auto Mode rules and output follow. */
export const AUTO_MODE_DOCS = {
  /**
   * IngressClass controller `eks.amazonaws.com/alb`, `IngressClassParams` (`eks.amazonaws.com/v1`:
   * scheme, group.name, certificateARNs, subnets, ...), and the Ingress annotations Auto Mode does
   * not support: `alb.ingress.kubernetes.io/group.name` ("Specify groups in IngressClass only"),
   * `waf-acl-id`, `web-acl-id`, `shield-advanced-protection`, `auth-type: oidc`, and
   * `kubernetes.io/ingress.class`.
   */
  ingressClass: {
    title: 'Create an IngressClass to configure an Application Load Balancer',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/auto-configure-alb.html',
  },
  /** The node role: AmazonEKSWorkerNodeMinimalPolicy and AmazonEC2ContainerRegistryPullOnly. */
  nodeRole: {
    title: 'Amazon EKS Auto Mode node IAM role',
    url: 'https://docs.aws.amazon.com/eks/latest/userguide/auto-create-node-role.html',
  },
} as const satisfies { [name: string]: AutoModeDocPage };

/** How a refusal names its page: `EKS user guide, "<title>"`. */
function doc(page: AutoModeDocPage): string {
  return `EKS user guide, "${page.title}"`;
}

/**
 * What `cluster.compute.mode` cannot do with the rest of the spec. With EKS Auto Mode: a node group
 * to size, the load balancer controller's settings (it is not installed), and an ALB group whose
 * applications do not all give a certificate (the group's `IngressClassParams` lists the
 * certificates of the whole load balancer; the load balancer controller's "Certificate Discovery"
 * guide finds certificates by host only when neither IngressClassParams nor the Ingress names one).
 */
export function checkCompute({ spec, platform, apps }: EnvironmentInput, add: AddProblem): void {
  if (spec.addons?.karpenter !== undefined && platform.cluster.compute !== ComputeMode.KARPENTER) {
    add('addons.karpenter', `configures Karpenter, which runs only when cluster.compute.mode is 'karpenter' (it is ${show(platform.cluster.compute)}); set the mode or remove it`);
  }
  if (spec.cluster?.controllers?.karpenter !== undefined && platform.cluster.compute !== ComputeMode.KARPENTER) {
    add('cluster.controllers.karpenter', `sizes the Karpenter controller, which runs only when cluster.compute.mode is 'karpenter' (it is ${show(platform.cluster.compute)}); set the mode or remove it`);
  }
  if (platform.cluster.compute !== ComputeMode.AUTO_MODE) return;
  const mode = show(ComputeMode.AUTO_MODE);
  if (spec.cluster?.nodes !== undefined) {
    add('cluster.nodes', `describes the managed node group, and cluster.compute.mode is ${mode}: EKS Auto Mode chooses, launches and scales the nodes itself; remove cluster.nodes or use mode 'managed-node-group'`);
  }
  if (spec.cluster?.controllers?.loadBalancerController !== undefined) {
    add(
      'cluster.controllers.loadBalancerController',
      `sizes the AWS Load Balancer Controller, which is not installed when cluster.compute.mode is ${mode} (EKS Auto Mode runs load balancing itself); remove it`,
    );
  }
  if (spec.addons?.loadBalancerController !== undefined) {
    add('addons.loadBalancerController', `configures the AWS Load Balancer Controller, which is not installed when cluster.compute.mode is ${mode}; remove it`);
  }

  // An ALB group is one IngressClassParams, whose certificateARNs are the load balancer's for every host.
  const groups = new Map<string, LocatedApp[]>();
  for (const located of apps) groups.set(located.app.ingress.groupName, [...(groups.get(located.app.ingress.groupName) ?? []), located]);
  for (const [group, members] of groups) {
    const withCertificate = members.filter((m) => m.app.ingress.certificateArn !== undefined);
    if (withCertificate.length === 0 || withCertificate.length === members.length) continue;
    for (const { app, path } of members.filter((m) => m.app.ingress.certificateArn === undefined)) {
      add(
        `${path}.ingress.certificateArn`,
        `is not given, and ${withCertificate[0].path} of the same ALB group ${show(group)} gives one: with EKS Auto Mode the group's certificates are its IngressClassParams' ` +
          `certificateARNs (${doc(AUTO_MODE_DOCS.ingressClass)}), and certificates are found by host name only where IngressClassParams gives none (the load balancer controller's "Certificate Discovery"), so ${app.host} would be served another host's certificate; ` +
          'give this app its certificateArn, or put it in another ingress.groupName',
      );
    }
  }
}
