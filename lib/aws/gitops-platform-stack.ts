import { CfnOutput, Fn, Stack, StackProps } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as cdk8s from 'cdk8s';
import { Construct, IDependable } from 'constructs';
import { AppDatabaseNetwork, AppResources } from './app-resources';
import type { ArgoCdHubAccess } from './argocd-hub-access';
import type { ArgoCdInstall } from './argocd-install';
import { AutoModeIngressClasses } from './auto-mode-ingress-classes';
import { GitHubOidcProvider } from './github-oidc-provider';
import { GitOpsCluster } from './gitops-cluster';
import { ImageSigningKey } from './image-signing-key';
import { ImageSigningPublicKey } from './image-signing-public-key';
import type { IrsaRole } from './irsa-role';
import type { ManagedArgoCd } from './managed-argocd';
import type { PodIdentityRole } from './pod-identity-role';
import { PromotionRole } from './promotion-role';
import { ResourceLimit } from './resource-limit';
import { addWorkloadRole } from './workload-role';
import { argoCdStrategy } from '../addons/argocd/strategies';
import { ArgoCdBootstrapChart } from '../k8s/argocd/bootstrap-chart';
import { identityLabel, outputPrefix } from '../model/naming';
import type { ResolvedApp, ResolvedPlatform } from '../model/resolved';
import { ComputeMode } from '../model/types';

/** Properties of a `GitOpsPlatformStack`. */
export interface GitOpsPlatformStackProps extends StackProps {
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;

  /**
   * The applications whose AWS resources this stack holds (the rest go to `GitOpsAppsStack`s).
   * @default - all of the platform's applications
   */
  readonly apps?: ResolvedApp[];

  /**
   * With a hub (`platform.argocd.hub`), on the hub's stack: every other environment of the spec,
   * resolved (`Platform.resolveEnvironments`). The hub's Argo CD is given each one's bootstrap (its
   * AppProject, its root app and the Secret that registers its cluster by ARN).
   * @default - none; required on a hub's stack when the hub has spokes
   */
  readonly spokes?: ResolvedPlatform[];
}

/**
 * One environment of the platform: VPC and EKS cluster, the add-ons' AWS resources (the load
 * balancer controller, External Secrets Operator) and roles (the Image Updater's, the manifest
 * repository reader's), Argo CD installed and bootstrapped, the AWS resources of the applications
 * given to it, and, in the environment that holds the images, the GitHub Actions OIDC provider their
 * CI roles trust.
 *
 * The order of a first deploy: the node group, then the charts that run pods on it (load balancer
 * controller, External Secrets, Argo CD), then the bootstrap (the repository credentials need External
 * Secrets' CRDs and webhook; the AppProject and root Application need Argo CD's CRDs).
 */
export class GitOpsPlatformStack extends Stack {
  /** The cluster. */
  public readonly cluster: GitOpsCluster;
  /**
   * The GitHub Actions OIDC provider (created or imported), which the CI roles trust: only in the
   * environment that holds the images (`platform.images.holdsRepositories`), where CI pushes them.
   */
  public readonly githubOidcProvider?: GitHubOidcProvider;
  /**
   * The read-only role the promotion workflows verify image signatures with: in the environment that
   * holds the images, when an environment is promoted from another (`platform.images.promotionRole`).
   */
  public readonly promotionRole?: PromotionRole;
  /**
   * The platform's image signing key (an asymmetric KMS key, `ImageSigningKey`), in the environment
   * that holds the images, when an application delivered by the Image Updater signs its images
   * (`platform.images.signingKey`).
   */
  public readonly signingKey?: kms.Key;
  /**
   * The signing key's public key as the Secret the Image Updater verifies with, applied to the
   * cluster (`ImageSigningPublicKey`), where the Image Updater runs and verifies
   * (`platform.usesImageUpdater` and `platform.images.signingKey`).
   */
  public readonly signingPublicKeySecret?: eks.KubernetesManifest;
  /**
   * The platform-wide roles of ServiceAccounts, by purpose: `image-updater` (when an application
   * uses the Image Updater), `repository-reader` (External Secrets, for a private manifest repository).
   */
  public readonly workloadRoles: { [purpose: string]: IrsaRole | PodIdentityRole } = {};
  /** With EKS Auto Mode, the IngressClass (and IngressClassParams) of each ALB group. */
  public readonly ingressClasses?: AutoModeIngressClasses;
  /** The `eks-pod-identity-agent` add-on, when a role uses EKS Pod Identity (and the nodes are not EKS Auto Mode's, which run the agent themselves). */
  public readonly podIdentityAgent?: eks.IAddon;
  /** Argo CD installed from the Helm chart (unless the platform uses the managed capability). */
  public readonly argocd?: ArgoCdInstall;
  /** The EKS managed Argo CD (when `argocd.managed` is true, and no other environment is the hub). */
  public readonly managedArgocd?: ManagedArgoCd;
  /** On a hub's stack: each spoke's bootstrap, applied to the hub's cluster, by environment. */
  public readonly spokeBootstraps: { [environment: string]: eks.KubernetesManifest } = {};
  /** On a spoke's stack (another environment is `argocd.hub`): the hub's access to this cluster. */
  public readonly hubAccess?: ArgoCdHubAccess;
  /** The AWS resources of the applications held here, by application name. */
  public readonly apps: { [name: string]: AppResources } = {};

  private readonly zoneCount: number;

  /** The cluster's VPC and the EKS cluster security group, where the applications' databases live and whom they admit. */
  public get databaseNetwork(): AppDatabaseNetwork {
    return { vpc: this.cluster.cluster.vpc, clientSecurityGroup: this.cluster.cluster.clusterSecurityGroup };
  }

  constructor(scope: Construct, id: string, props: GitOpsPlatformStackProps) {
    super(scope, id, {
      description: description(props.platform),
      ...props,
      env: props.env ?? { account: props.platform.account, region: props.platform.region },
    });
    const { platform } = props;
    this.zoneCount = platform.cluster.maxAzs;
    const autoMode = platform.cluster.compute === ComputeMode.AUTO_MODE;

    this.cluster = new GitOpsCluster(this, 'Cluster', {
      clusterName: platform.cluster.name,
      version: platform.cluster.version,
      vpcCidr: platform.cluster.vpcCidr,
      maxAzs: platform.cluster.maxAzs,
      ...(autoMode
        ? { compute: ComputeMode.AUTO_MODE }
        : {
          instanceTypes: platform.cluster.instanceTypes,
          minSize: platform.cluster.minSize,
          maxSize: platform.cluster.maxSize,
          desiredSize: platform.cluster.desiredSize,
          diskSize: platform.cluster.diskSize,
        }),
      adminRoleArns: platform.cluster.adminRoleArns,
      // Named when another account's repository policy must name it (several environments).
      nodeRoleName: platform.cluster.nodeRoleName,
      publicAccessCidrs: platform.cluster.publicAccessCidrs,
      // An add-on of the platform's installs it (see lib/addons).
      loadBalancerController: false,
    });
    const nodes = this.cluster.nodes;
    // EKS Auto Mode's load balancing serves one IngressClass per ALB group, which the stack applies.
    if (platform.ingressClasses.length) {
      this.ingressClasses = new AutoModeIngressClasses(this, 'IngressClasses', { cluster: this.cluster.cluster, ingressClasses: platform.ingressClasses });
    }
    const oidc = this.cluster.cluster.openIdConnectProvider;

    // CI pushes the images once, into the environment that holds them; no other account trusts GitHub.
    if (platform.images.holdsRepositories) {
      this.githubOidcProvider = new GitHubOidcProvider(this, 'GitHubOidc', { existingProviderArn: platform.github.oidcProviderArn });
      const signingKey = platform.images.signingKey;
      if (signingKey) {
        // The accounts where the Image Updater runs and reads the public key, when they are not this one.
        const readers = platform.images.pullers.filter((p) => p.readRoleArns.length > 0).map((p) => p.account);
        this.signingKey = new ImageSigningKey(this, 'ImageSigningKey', { signingKey, publicKeyReaders: readers }).key;
        new CfnOutput(this, 'ImageSigningKeyArn', {
          value: this.signingKey.keyArn,
          description: `KMS key (${signingKey.aliasName}) the release workflows of ${signingKey.apps.join(', ')} sign images with, for the Image Updater`,
        });
      }
      const promotionRole = platform.images.promotionRole;
      if (promotionRole) {
        this.promotionRole = new PromotionRole(this, 'PromotionRole', { role: promotionRole, provider: this.githubOidcProvider.provider });
        new CfnOutput(this, 'PromotionRoleArn', {
          value: this.promotionRole.role.roleArn,
          description: `Role the promotion workflows of ${platform.manifestRepository.fullName} assume to verify image signatures (reads the application repositories only)`,
        });
      }
    }

    // The add-ons' AWS resources (External Secrets, the load balancer controller), each after the nodes.
    const bootstrapDependencies: IDependable[] = this.ingressClasses ? [this.ingressClasses.manifest] : [];
    for (const { addon, settings } of platform.addons) {
      addon.aws?.({ scope: this, platform, settings, cluster: this.cluster.cluster, nodes, bootstrapAfter: (d) => bootstrapDependencies.push(d) });
    }

    // EKS Pod Identity needs its agent on the nodes (EKS Auto Mode's nodes run it themselves); IRSA
    // needs only the cluster's OIDC provider.
    if (platform.usesPodIdentity && !autoMode) this.podIdentityAgent = this.cluster.cluster.eksPodIdentityAgent;

    // The platform-wide roles (the add-ons'): ImageUpdaterRole, RepositoryReaderRole, ...
    for (const role of platform.workloadRoles) {
      const prefix = outputPrefix(role.purpose);
      this.workloadRoles[role.purpose] = addWorkloadRole(this, `${prefix}Role`, {
        role,
        oidcProvider: oidc,
        clusterName: this.cluster.cluster.clusterName,
        clusterArn: platform.cluster.arn,
      });
      new CfnOutput(this, `${prefix}RoleArn`, {
        value: this.workloadRoles[role.purpose].role.roleArn,
        description: `${identityLabel(role.identity)} role of ${role.subject}`,
      });
    }
    const credentials = platform.manifestRepository.credentials;
    if (credentials) {
      new CfnOutput(this, 'ManifestRepositorySecretName', {
        value: credentials.secretName,
        description: `Secrets Manager secret with Argo CD's ${credentials.type} credentials for ${platform.manifestRepository.fullName} (keys: ${credentials.keys.join(', ')})`,
      });
    }

    // Argo CD, as its mode resolved once (lib/addons/argocd): the Helm install, the managed capability,
    // or on a spoke the hub's access; each applies the bootstrap after the add-ons it relies on.
    const argocd = argoCdStrategy(platform).aws({
      scope: this,
      platform,
      cluster: this.cluster.cluster,
      nodes,
      bootstrapAfter: bootstrapDependencies,
      bootstrap: new ArgoCdBootstrapChart(new cdk8s.App(), 'argocd-bootstrap', { platform }),
      spokes: props.spokes ?? [],
      bootstrapOf: (spoke) => new ArgoCdBootstrapChart(new cdk8s.App(), `argocd-bootstrap-${spoke.environment}`, { platform: spoke }),
    });
    this.argocd = argocd.argocd;
    this.managedArgocd = argocd.managedArgocd;

    // The Image Updater verifies the signing key's signatures: its public key, as a Secret in its
    // namespace, once Argo CD (which creates that namespace) is there.
    const signingKey = platform.images.signingKey;
    if (signingKey && platform.usesImageUpdater) {
      this.signingPublicKeySecret = new ImageSigningPublicKey(this, 'ImageSigningPublicKey', {
        cluster: this.cluster.cluster,
        signingKey,
        namespace: platform.argocd.namespace,
        keyArn: this.signingKey?.keyArn,
      }).secret;
      const argocdReady = argocd.argocd?.chart ?? argocd.managedArgocd?.capability;
      if (argocdReady) this.signingPublicKeySecret.node.addDependency(argocdReady);
    }
    this.hubAccess = argocd.hubAccess;
    Object.assign(this.spokeBootstraps, argocd.spokeBootstraps);

    for (const app of props.apps ?? platform.apps) {
      this.apps[app.name] = new AppResources(this, `App-${app.name}`, {
        platform,
        app,
        clusterOidcProvider: oidc,
        clusterName: this.cluster.cluster.clusterName,
        githubOidcProvider: this.githubOidcProvider?.provider,
        signingKeyArn: this.signingKey?.keyArn,
        databaseNetwork: this.databaseNetwork,
      });
    }

    new CfnOutput(this, 'ClusterName', { value: this.cluster.cluster.clusterName, description: 'EKS cluster name' });
    new CfnOutput(this, 'UpdateKubeconfigCommand', {
      value: `aws eks update-kubeconfig --name ${platform.cluster.name} --region ${platform.region}`,
      description: 'Adds the cluster to ~/.kube/config (for an admin role given in cluster.adminRoleArns)',
    });
    new CfnOutput(this, 'RegistryUri', {
      value: platform.registry,
      description: platform.images.holdsRepositories
        ? 'ECR registry of the application images'
        : `ECR registry of the application images, in environment ${platform.images.environment} (account ${platform.images.account}), which the nodes pull from`,
    });

    new ResourceLimit(this);
  }

  /**
   * The first zones of the region, resolved by CloudFormation (`Fn::GetAZs`) at deploy time: synthesis
   * needs no lookup (and no credentials), and no zone name is hard-coded in the template.
   */
  public get availabilityZones(): string[] {
    return Array.from({ length: this.zoneCount ?? 2 }, (_, i) => Fn.select(i, Fn.getAzs()));
  }
}

/** What the stack holds, in the CloudFormation console: with several environments, which one it is. */
function description(platform: ResolvedPlatform): string {
  if (platform.environments.length === 1) return `GitOps platform ${platform.name}: EKS, Argo CD, CI and IRSA roles`;
  return platform.images.holdsRepositories
    ? `GitOps platform ${platform.name}, environment ${platform.environment}: EKS, Argo CD, the images and their CI roles, workload roles`
    : `GitOps platform ${platform.name}, environment ${platform.environment}: EKS, Argo CD, workload roles (images from ${platform.images.environment})`;
}
