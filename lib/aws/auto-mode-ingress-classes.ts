import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import type { ResolvedIngressClass } from '../model/resolved';

/** The IngressClass controller of EKS Auto Mode's load balancing (EKS user guide, "Create an IngressClass to configure an Application Load Balancer"). */
export const AUTO_MODE_ALB_CONTROLLER = 'eks.amazonaws.com/alb';

/** The API group and version of EKS Auto Mode's `IngressClassParams` (the load balancer controller's is `elbv2.k8s.aws/v1beta1`). */
export const AUTO_MODE_INGRESS_CLASS_PARAMS_API = 'eks.amazonaws.com/v1';

/** Properties of an `AutoModeIngressClasses`. */
export interface AutoModeIngressClassesProps {
  /** The cluster, with EKS Auto Mode on (its load balancing defines the `IngressClassParams` kind). */
  readonly cluster: eks.ICluster;

  /** The classes: one per ALB group. */
  readonly ingressClasses: ResolvedIngressClass[];
}

/**
 * The IngressClasses of an EKS Auto Mode cluster, one per ALB group, each with its
 * `IngressClassParams` (`eks.amazonaws.com/v1`): the group, the scheme and the group's certificates
 * (`certificateARNs`), which Auto Mode reads there. Auto Mode does not support the
 * `alb.ingress.kubernetes.io/group.name` annotation ("Specify groups in IngressClass only", in that
 * page's table of Ingress annotations), so the group can only be given here, and every Ingress of the
 * group names its class.
 *
 * The stack applies them, as it installs the load balancer controller (whose chart creates the class
 * `alb`) on a cluster of managed nodes: they are cluster-scoped objects of the platform, which no
 * application's Argo CD project may create, and each follows from the whole spec (every app of a
 * group), not from one app's part of the manifest tree.
 */
export class AutoModeIngressClasses extends Construct {
  /** The manifest holding every class and its parameters. */
  public readonly manifest: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: AutoModeIngressClassesProps) {
    super(scope, id);
    if (props.ingressClasses.length === 0) throw new Error('AutoModeIngressClasses: ingressClasses is empty; give at least one ALB group');
    this.manifest = new eks.KubernetesManifest(this, 'Resource', {
      cluster: props.cluster,
      manifest: autoModeIngressClassObjects(props.ingressClasses),
      // `kubectl apply`, so a class applied before (by hand, or by an earlier deploy) is taken over.
      overwrite: true,
    });
  }
}

/** The Kubernetes objects of the classes: each IngressClassParams, then the IngressClass naming it. */
export function autoModeIngressClassObjects(classes: readonly ResolvedIngressClass[]): Record<string, any>[] {
  return classes.flatMap((c) => [
    {
      apiVersion: AUTO_MODE_INGRESS_CLASS_PARAMS_API,
      kind: 'IngressClassParams',
      metadata: { name: c.name },
      spec: {
        scheme: c.internetFacing ? 'internet-facing' : 'internal',
        group: { name: c.groupName },
        // None: Auto Mode finds a certificate for the Ingresses' TLS hosts, as the controller does.
        ...(c.certificateArns.length ? { certificateARNs: [...c.certificateArns] } : {}),
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: c.name },
      spec: {
        controller: AUTO_MODE_ALB_CONTROLLER,
        parameters: { apiGroup: 'eks.amazonaws.com', kind: 'IngressClassParams', name: c.name },
      },
    },
  ]);
}
