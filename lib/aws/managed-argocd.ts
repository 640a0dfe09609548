import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';

/** Properties of a `ManagedArgoCd`. */
export interface ManagedArgoCdProps {
  /** The cluster (it needs a kubectl provider when `bootstrap` is given). */
  readonly cluster: eksv2.ICluster;

  /** Capability name. */
  readonly capabilityName: string;

  /**
   * Namespace of the Argo CD resources (Applications, AppProjects).
   * @default 'argocd'
   */
  readonly namespace?: string;

  /** ARN of the IAM Identity Center instance users sign in with. */
  readonly identityCenterInstanceArn: string;

  /**
   * Region of the Identity Center instance.
   * @default - the stack's region
   */
  readonly identityCenterRegion?: string;

  /**
   * Identity Center group ids whose members are Argo CD admins.
   * @default - none
   */
  readonly adminGroupIds?: string[];

  /**
   * A cdk8s chart to apply once the capability exists, e.g. the `ArgoCdBootstrapChart`.
   * @default - nothing is applied
   */
  readonly bootstrap?: Chart;
}

/**
 * Argo CD as the EKS managed capability (`AWS::EKS::Capability`, type ARGOCD): AWS runs and upgrades
 * it, users sign in through IAM Identity Center. It runs no config management plugins, so the
 * `vault-plugin` secret backend cannot be used with it.
 */
export class ManagedArgoCd extends Construct {
  /** The capability. */
  public readonly capability: eks.CfnCapability;
  /** The role the capability uses. */
  public readonly role: iam.Role;
  /** The applied bootstrap chart, if any. */
  public readonly bootstrap?: eksv2.KubernetesManifest;

  constructor(scope: Construct, id: string, props: ManagedArgoCdProps) {
    super(scope, id);
    // No permissions: repositories are reached over HTTPS with Argo CD's own credentials.
    this.role = new iam.Role(this, 'Role', {
      description: `EKS managed Argo CD of ${props.cluster.clusterName}`,
      assumedBy: new iam.ServicePrincipal('capabilities.eks.amazonaws.com').withSessionTags(),
    });
    this.capability = new eks.CfnCapability(this, 'Resource', {
      capabilityName: props.capabilityName,
      clusterName: props.cluster.clusterName,
      type: 'ARGOCD',
      roleArn: this.role.roleArn,
      deletePropagationPolicy: 'RETAIN',
      configuration: {
        argoCd: {
          namespace: props.namespace ?? 'argocd',
          awsIdc: { idcInstanceArn: props.identityCenterInstanceArn, idcRegion: props.identityCenterRegion },
          rbacRoleMappings: props.adminGroupIds?.length
            ? [{ role: 'ADMIN', identities: props.adminGroupIds.map((groupId) => ({ id: groupId, type: 'SSO_GROUP' })) }]
            : undefined,
        },
      },
    });
    if (props.bootstrap) {
      this.bootstrap = props.cluster.addCdk8sChart(`${id}Bootstrap`, props.bootstrap);
      // The AppProject and Application kinds exist once the capability has installed its CRDs.
      this.bootstrap.node.addDependency(this.capability);
    }
  }
}
