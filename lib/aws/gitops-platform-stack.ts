import { CfnOutput, Fn, Stack, StackProps } from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { Construct } from 'constructs';
import { AppResources } from './app-resources';
import { ArgoCdInstall } from './argocd-install';
import { ExternalSecretsInstall } from './external-secrets-install';
import { GitHubOidcProvider } from './github-oidc-provider';
import { GitOpsCluster } from './gitops-cluster';
import { IrsaRole } from './irsa-role';
import { ManagedArgoCd } from './managed-argocd';
import { acknowledgeNagFindings, ECR_LOGIN_REASON, wildcardFinding } from './nag';
import { imageUpdaterStatements, repositoryCredentialsStatements } from './platform-policies';
import { ResourceLimit } from './resource-limit';
import { ArgoCdBootstrapChart } from '../k8s/argocd/bootstrap-chart';
import { vaultPluginHelmValues } from '../k8s/vault-plugin/argocd-vault-plugin';
import type { ResolvedApp, ResolvedPlatform } from '../spec/resolved';
import { DeliveryMode, SecretBackend } from '../spec/types';

/** Properties of a `GitOpsPlatformStack`. */
export interface GitOpsPlatformStackProps extends StackProps {
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;

  /**
   * The applications whose AWS resources this stack holds (the rest go to `GitOpsAppsStack`s).
   * @default - all of the platform's applications
   */
  readonly apps?: ResolvedApp[];
}

/**
 * The platform: VPC and EKS cluster with the load balancer controller, the GitHub Actions OIDC
 * provider, External Secrets Operator (with the role that reads the manifest repository's
 * credentials), the Image Updater's IRSA role, Argo CD installed and bootstrapped, and the AWS
 * resources of the applications given to it.
 *
 * The order of a first deploy: the node group, then the charts that run pods on it (load balancer
 * controller, External Secrets, Argo CD), then the bootstrap (the repository credentials need External
 * Secrets' CRDs and webhook; the AppProject and root Application need Argo CD's CRDs).
 */
export class GitOpsPlatformStack extends Stack {
  /** The cluster. */
  public readonly cluster: GitOpsCluster;
  /** The GitHub Actions OIDC provider (created or imported). */
  public readonly githubOidcProvider: GitHubOidcProvider;
  /** The Image Updater's IRSA role, when an application uses the Image Updater. */
  public readonly imageUpdaterRole?: IrsaRole;
  /** External Secrets Operator, when anything reads a secret through it. */
  public readonly externalSecrets?: ExternalSecretsInstall;
  /** The role External Secrets reads the manifest repository's credentials with, for a private repository. */
  public readonly repositoryCredentialsRole?: IrsaRole;
  /** Argo CD installed from the Helm chart (unless the platform uses the managed capability). */
  public readonly argocd?: ArgoCdInstall;
  /** The EKS managed Argo CD (when `argocd.managed` is true). */
  public readonly managedArgocd?: ManagedArgoCd;
  /** The AWS resources of the applications held here, by application name. */
  public readonly apps: { [name: string]: AppResources } = {};

  private readonly zoneCount: number;

  constructor(scope: Construct, id: string, props: GitOpsPlatformStackProps) {
    super(scope, id, {
      description: `GitOps platform ${props.platform.name}: EKS, Argo CD, CI and IRSA roles`,
      ...props,
      env: props.env ?? { account: props.platform.account, region: props.platform.region },
    });
    const { platform } = props;
    this.zoneCount = platform.cluster.maxAzs;

    this.cluster = new GitOpsCluster(this, 'Cluster', {
      clusterName: platform.cluster.name,
      version: platform.cluster.version,
      vpcCidr: platform.cluster.vpcCidr,
      maxAzs: platform.cluster.maxAzs,
      instanceTypes: platform.cluster.instanceTypes,
      minSize: platform.cluster.minSize,
      maxSize: platform.cluster.maxSize,
      desiredSize: platform.cluster.desiredSize,
      diskSize: platform.cluster.diskSize,
      adminRoleArns: platform.cluster.adminRoleArns,
      publicAccessCidrs: platform.cluster.publicAccessCidrs,
    });
    const nodes = this.cluster.nodegroup;
    const oidc = this.cluster.cluster.openIdConnectProvider;

    this.githubOidcProvider = new GitHubOidcProvider(this, 'GitHubOidc', { existingProviderArn: platform.github.oidcProviderArn });

    if (platform.externalSecrets.installed) {
      this.externalSecrets = new ExternalSecretsInstall(this, 'ExternalSecrets', { cluster: this.cluster.cluster, namespace: platform.externalSecrets.namespace });
      this.externalSecrets.chart.node.addDependency(nodes);
    }
    const credentials = platform.manifestRepository.credentials;
    if (credentials) {
      this.repositoryCredentialsRole = new IrsaRole(this, 'RepositoryCredentialsRole', {
        oidcProvider: oidc,
        namespace: credentials.reader.namespace,
        serviceAccountName: credentials.reader.serviceAccountName,
        roleName: credentials.reader.roleName,
        statements: repositoryCredentialsStatements(credentials),
      });
      new CfnOutput(this, 'ManifestRepositorySecretName', {
        value: credentials.secretName,
        description: `Secrets Manager secret with Argo CD's ${credentials.type} credentials for ${platform.manifestRepository.fullName} (keys: ${credentials.keys.join(', ')})`,
      });
    }

    if (platform.usesImageUpdater) {
      // Repository ARNs come from the naming module, so the role can live here while the
      // repositories live in whichever stack holds their application.
      const tracked = platform.apps
        .filter((a) => a.delivery === DeliveryMode.IMAGE_UPDATER)
        .flatMap((a) => a.containers.map((c) => c.image.repositoryArn));
      this.imageUpdaterRole = new IrsaRole(this, 'ImageUpdaterRole', {
        oidcProvider: oidc,
        namespace: platform.imageUpdater.namespace,
        serviceAccountName: platform.imageUpdater.serviceAccountName,
        roleName: platform.imageUpdater.roleName,
        statements: imageUpdaterStatements(tracked),
      });
      acknowledgeNagFindings(this.imageUpdaterRole.role.node.defaultChild, [wildcardFinding('*')], ECR_LOGIN_REASON);
      new CfnOutput(this, 'ImageUpdaterRoleArn', { value: this.imageUpdaterRole.role.roleArn, description: 'IRSA role of the Argo CD Image Updater' });
    }

    const bootstrap = new ArgoCdBootstrapChart(new cdk8s.App(), 'argocd-bootstrap', { platform });
    const identityCenter = platform.argocd.identityCenter;
    if (platform.argocd.managed && identityCenter) {
      this.managedArgocd = new ManagedArgoCd(this, 'ManagedArgoCd', {
        cluster: this.cluster.cluster,
        capabilityName: `${platform.name}-argocd`,
        namespace: platform.argocd.namespace,
        identityCenterInstanceArn: identityCenter.instanceArn,
        identityCenterRegion: identityCenter.region,
        adminGroupIds: identityCenter.adminGroupIds,
        deployNamespaces: platform.apps.map((app) => app.namespace),
        bootstrap,
      });
    } else {
      this.argocd = new ArgoCdInstall(this, 'ArgoCd', {
        cluster: this.cluster.cluster,
        namespace: platform.argocd.namespace,
        values: platform.secrets.backend === SecretBackend.VAULT_PLUGIN ? vaultPluginHelmValues(platform) : undefined,
        bootstrap,
      });
      this.argocd.chart.node.addDependency(nodes);
    }
    const applied = this.argocd?.bootstrap ?? this.managedArgocd?.bootstrap;
    if (applied && this.externalSecrets) applied.node.addDependency(this.externalSecrets.chart);

    for (const app of props.apps ?? platform.apps) {
      this.apps[app.name] = new AppResources(this, `App-${app.name}`, {
        platform,
        app,
        clusterOidcProvider: oidc,
        githubOidcProvider: this.githubOidcProvider.provider,
      });
    }

    new CfnOutput(this, 'ClusterName', { value: this.cluster.cluster.clusterName, description: 'EKS cluster name' });
    new CfnOutput(this, 'UpdateKubeconfigCommand', {
      value: `aws eks update-kubeconfig --name ${platform.cluster.name} --region ${platform.region}`,
      description: 'Adds the cluster to ~/.kube/config (for an admin role given in cluster.adminRoleArns)',
    });
    new CfnOutput(this, 'RegistryUri', { value: platform.registry, description: 'ECR registry of the application images' });

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
