import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ARGOCD } from './annotations';

/** Properties of an `ArgoClusterSecret`. */
export interface ArgoClusterSecretProps {
  /** Name Applications may use as `destination.name`. */
  readonly clusterName: string;

  /** API server address: for the EKS managed Argo CD, the cluster ARN. */
  readonly server: string;

  /**
   * Namespace Argo CD runs in.
   * @default 'argocd'
   */
  readonly namespace?: string;
}

/**
 * Registers a cluster with Argo CD (a Secret labelled `argocd.argoproj.io/secret-type: cluster`). The
 * EKS managed Argo CD does not register the cluster it is attached to: it names clusters by ARN, and
 * deploys nowhere until a Secret like this one says `server: <cluster ARN>`. Its access to the
 * cluster comes from its EKS access entry, so the Secret holds no credentials.
 */
export class ArgoClusterSecret extends Construct {
  /** The Secret. */
  public readonly secret: k8s.KubeSecret;

  constructor(scope: Construct, id: string, props: ArgoClusterSecretProps) {
    super(scope, id);
    this.secret = new k8s.KubeSecret(this, 'Resource', {
      metadata: {
        name: `cluster-${props.clusterName}`,
        namespace: props.namespace ?? 'argocd',
        labels: { [ARGOCD.secretType]: 'cluster' },
      },
      type: 'Opaque',
      stringData: { name: props.clusterName, server: props.server },
    });
  }
}
