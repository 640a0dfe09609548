import { CfnElement, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { acknowledgeNagFindings, descendant, logicalIdOf, managedPolicyFinding, wildcardFinding } from './nag';

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
   * The namespaces Argo CD deploys to. The capability's access entry then gets
   * `AmazonEKSClusterAdminPolicy` scoped to exactly these namespaces (and Argo CD's own), so it can
   * manage any kind there, custom resources included, and nothing in other namespaces.
   * @default - no access beyond the policies EKS associates itself (Argo CD can deploy nothing)
   */
  readonly deployNamespaces?: string[];

  /**
   * A cdk8s chart to apply once the capability exists, e.g. the `ArgoCdBootstrapChart`, which must
   * register the cluster by its ARN (see `ArgoClusterSecret`).
   * @default - nothing is applied
   */
  readonly bootstrap?: Chart;
}

/** The access policy the capability gets in the namespaces it deploys to. */
export const MANAGED_ARGOCD_ACCESS_POLICY = 'AmazonEKSClusterAdminPolicy';

/**
 * Argo CD as the EKS managed capability (`AWS::EKS::Capability`, type ARGOCD): AWS runs and upgrades
 * it, users sign in through IAM Identity Center. It runs no config management plugins, so the
 * `vault-plugin` secret backend cannot be used with it.
 *
 * Three things differ from a self-managed Argo CD, and this construct covers them:
 * - EKS creates an access entry for the capability's role with `AmazonEKSArgoCDClusterPolicy`
 *   (discovery and cluster-scoped objects) and `AmazonEKSArgoCDPolicy` (its own namespace) only: it
 *   may deploy nothing else until an access policy is associated. `deployNamespaces` associates one,
 *   scoped to those namespaces (through the EKS API: CloudFormation cannot add a policy to an access
 *   entry it did not create).
 * - it does not register the cluster it is attached to, and names clusters by ARN
 *   (`https://kubernetes.default.svc` is not supported): the bootstrap chart registers it.
 * - its argocd-cm cannot be changed, so app-of-apps sync waves do not wait for child health.
 */
export class ManagedArgoCd extends Construct {
  /** The capability. */
  public readonly capability: eks.CfnCapability;
  /** The role the capability uses. */
  public readonly role: iam.Role;
  /** The association of the deploy access policy, when `deployNamespaces` is given. */
  public readonly accessPolicy?: cr.AwsCustomResource;
  /** The applied bootstrap chart, if any. */
  public readonly bootstrap?: eksv2.KubernetesManifest;

  constructor(scope: Construct, id: string, props: ManagedArgoCdProps) {
    super(scope, id);
    const namespace = props.namespace ?? 'argocd';
    // No permissions: repositories are read with the credentials External Secrets puts in Argo CD's namespace.
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
          namespace,
          awsIdc: { idcInstanceArn: props.identityCenterInstanceArn, idcRegion: props.identityCenterRegion },
          rbacRoleMappings: props.adminGroupIds?.length
            ? [{ role: 'ADMIN', identities: props.adminGroupIds.map((groupId) => ({ id: groupId, type: 'SSO_GROUP' })) }]
            : undefined,
        },
      },
    });

    if (props.deployNamespaces?.length) {
      this.accessPolicy = this.associateAccessPolicy(props.cluster, [...new Set([namespace, ...props.deployNamespaces])]);
    }

    if (props.bootstrap) {
      this.bootstrap = props.cluster.addCdk8sChart(`${id}Bootstrap`, props.bootstrap);
      // The AppProject and Application kinds exist once the capability has installed its CRDs.
      this.bootstrap.node.addDependency(this.capability);
      if (this.accessPolicy) this.bootstrap.node.addDependency(this.accessPolicy);
    }
  }

  private associateAccessPolicy(cluster: eksv2.ICluster, namespaces: string[]): cr.AwsCustomResource {
    const clusterName = cluster.clusterName;
    const stack = Stack.of(this);
    const policyArn = `arn:${stack.partition}:eks::aws:cluster-access-policy/${MANAGED_ARGOCD_ACCESS_POLICY}`;
    const entry = { clusterName, principalArn: this.role.roleArn, policyArn };
    const associate: cr.AwsSdkCall = {
      service: 'EKS',
      action: 'AssociateAccessPolicy',
      // Associating again replaces the scope, so an update (an application added) uses the same call.
      parameters: { ...entry, accessScope: { type: 'namespace', namespaces } },
      physicalResourceId: cr.PhysicalResourceId.of(`${clusterName}/${MANAGED_ARGOCD_ACCESS_POLICY}`),
    };
    const accessPolicy = new cr.AwsCustomResource(this, 'AccessPolicy', {
      onCreate: associate,
      onUpdate: associate,
      onDelete: { service: 'EKS', action: 'DisassociateAccessPolicy', parameters: entry },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['eks:AssociateAccessPolicy', 'eks:DisassociateAccessPolicy'],
          resources: [stack.formatArn({ service: 'eks', resource: 'access-entry', resourceName: `${clusterName}/role/${stack.account}/*` })],
        }),
      ]),
      installLatestAwsSdk: false,
    });
    // The access entry is the capability's: it exists once the capability does.
    accessPolicy.node.addDependency(this.capability);

    // cdk-nag names a reference to the cluster as `<LogicalId>`.
    const cfnCluster = cluster.node.defaultChild as CfnElement | undefined;
    const clusterRef = cfnCluster ? `<${logicalIdOf(cfnCluster)}>` : clusterName;
    acknowledgeNagFindings(
      descendant(accessPolicy, 'CustomResourcePolicy/Resource'),
      [wildcardFinding(`arn:<AWS::Partition>:eks:${stack.region}:${stack.account}:access-entry/${clusterRef}/role/${stack.account}/*`)],
      "An access entry's ARN ends in an id EKS assigns; the wildcard covers the entries of IAM roles on this one cluster.",
    );
    // The function aws-cdk-lib shares between a stack's AwsCustomResources ('AWS' + its uuid without '-').
    acknowledgeNagFindings(
      descendant(stack, `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}/ServiceRole/Resource`),
      [managedPolicyFinding('service-role/AWSLambdaBasicExecutionRole')],
      "aws-cdk-lib's AwsCustomResource function writes its logs with the AWS managed basic execution policy.",
    );
    return accessPolicy;
  }
}
