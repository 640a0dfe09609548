import { CfnOutput } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AppDatabase } from './app-database';
import { GitHubActionsRole } from './github-actions-role';
import { ImageRepository } from './image-repository';
import type { IrsaRole } from './irsa-role';
import type { PodIdentityRole } from './pod-identity-role';
import { addWorkloadRole, workloadRoleId } from './workload-role';
import type { GitHubSubjectFilter } from '../model/github-subjects';
import { identityLabel, outputPrefix } from '../model/naming';
import type { ResolvedApp, ResolvedHeldPreviews, ResolvedPlatform } from '../model/resolved';
import { SubjectFormat } from '../model/types';

/** Properties of `AppResources`. */
export interface AppResourcesProps {
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;
  /** The application. */
  readonly app: ResolvedApp;
  /** The cluster's OIDC provider, which the IRSA roles trust. */
  readonly clusterOidcProvider: iam.IOpenIdConnectProvider;
  /**
   * Name of the cluster, for the Pod Identity associations.
   * @default - the platform's cluster name (give the cluster's `clusterName` in its own stack, so the associations wait for it)
   */
  readonly clusterName?: string;
  /**
   * The GitHub Actions OIDC provider the CI role trusts, of either IAM provider interface. Needed
   * where the platform holds the images (`platform.images.holdsRepositories`).
   * @default - none: an environment that pulls its images from the registry environment has no CI role
   */
  readonly githubOidcProvider?: iam.IOidcProvider | iam.IOpenIdConnectProvider;
  /**
   * ARN of the platform's image signing key (`ImageSigningKey`), which the CI role of an application
   * delivered by the Image Updater signs with (`supplyChain.keySigned`). Needed for such an
   * application where the platform holds the images.
   * @default - none: an application that signs with the key is refused there
   */
  readonly signingKeyArn?: string;
  /**
   * The cluster's VPC and the security group its pods send from (the EKS cluster security group).
   * Needed when the application has a database.
   * @default - none: an application with a database is refused
   */
  readonly databaseNetwork?: AppDatabaseNetwork;
}

/** Where an application's database lives and whom it admits. */
export interface AppDatabaseNetwork {
  /** The cluster's VPC. */
  readonly vpc: ec2.IVpc;
  /** The EKS cluster security group, which the managed node group's nodes, and so the pods, carry. */
  readonly clientSecurityGroup: ec2.ISecurityGroup;
}

/**
 * Everything one application needs in AWS: an ECR repository per image, the CI role its build
 * workflow assumes (push to those repositories only), with previews its preview repositories and
 * preview build role (push to the preview repositories only), and the roles of its ServiceAccounts (its
 * add-ons', and its migration's when the spec gives it permissions), through IRSA or EKS Pod Identity
 * as the platform resolved them, named as the manifests expect. The cdk-nag findings of the
 * permissions they accept (the secret prefix wildcard, actions without resource-level permissions)
 * are acknowledged on each role with their reasons.
 *
 * Images are built once: the repositories and the CI role exist only in the environment that holds
 * them (`platform.images.holdsRepositories`), whose repository policies let the other environments'
 * nodes (and a release-following Image Updater) in other accounts pull (`platform.images.pullers`).
 * Every other environment gets only the workload roles.
 */
export class AppResources extends Construct {
  /** The ECR repositories, by container name (and `migration`). */
  public readonly repositories: { [name: string]: ImageRepository } = {};
  /** The CI role, in the environment that holds the images. */
  public readonly ciRole?: GitHubActionsRole;
  /** The preview repositories, by container name (and `migration`), when the app has previews. */
  public readonly previewRepositories: { [name: string]: ImageRepository } = {};
  /** The role the preview build workflow assumes, when the app has previews. */
  public readonly previewBuildRole?: GitHubActionsRole;
  /** The roles of its ServiceAccounts, by purpose: `external-secrets`, `external-dns`, `migration`. */
  public readonly workloadRoles: { [purpose: string]: IrsaRole | PodIdentityRole } = {};
  /** Its database, when the spec gives it one (in every environment: each has its own). */
  public readonly database?: AppDatabase;

  constructor(scope: Construct, id: string, props: AppResourcesProps) {
    super(scope, id);
    const { platform, app } = props;
    const holdsImages = platform.images.holdsRepositories;

    if (holdsImages) {
      const pullers = platform.images.pullers;
      for (const container of app.containers) {
        this.repositories[container.name] = new ImageRepository(this, `Repository-${container.name}`, {
          repositoryName: container.image.repositoryName,
          pullers,
        });
      }
      if (app.migration) {
        this.repositories.migration = new ImageRepository(this, 'Repository-migration', { repositoryName: app.migration.image.repositoryName, pullers });
      }
      this.ciRole = this.addCiRole(props);
      const previews = platform.images.previews.find((p) => p.app === app.name);
      if (previews) this.previewBuildRole = this.addPreviews(props, previews);
    }

    for (const role of app.workloadRoles) {
      this.workloadRoles[role.purpose] = addWorkloadRole(this, workloadRoleId(role), {
        role,
        oidcProvider: props.clusterOidcProvider,
        clusterName: props.clusterName ?? platform.cluster.name,
        clusterArn: platform.cluster.arn,
      });
    }

    if (app.database) {
      if (!props.databaseNetwork) {
        throw new Error(`AppResources ${app.name}: databaseNetwork is required for an application with a database (its VPC and the security group it admits)`);
      }
      this.database = new AppDatabase(this, 'Database', {
        database: app.database,
        vpc: props.databaseNetwork.vpc,
        clientSecurityGroup: props.databaseNetwork.clientSecurityGroup,
      });
    }

    const prefix = app.outputPrefix;
    if (this.ciRole) {
      new CfnOutput(this, 'CiRoleArn', { key: `${prefix}CiRoleArn`, value: this.ciRole.role.roleArn, description: `${app.name}: role the build workflow assumes` });
    }
    if (this.previewBuildRole) {
      new CfnOutput(this, 'PreviewBuildRoleArn', {
        key: `${prefix}PreviewBuildRoleArn`,
        value: this.previewBuildRole.role.roleArn,
        description: `${app.name}: role the preview build workflow assumes (pushes to the preview repositories only)`,
      });
    }
    for (const role of app.workloadRoles) {
      new CfnOutput(this, `${outputPrefix(role.purpose)}RoleArn`, {
        key: `${prefix}${outputPrefix(role.purpose)}RoleArn`,
        value: this.workloadRoles[role.purpose].role.roleArn,
        description: `${app.name}: ${identityLabel(role.identity)} role of ${role.subject}`,
      });
    }
    if (this.database) {
      new CfnOutput(this, 'DatabaseSecretName', {
        key: `${prefix}DatabaseSecretName`,
        value: app.database!.secretName,
        description: `${app.name}: Secrets Manager secret with the database's credentials and connection`,
      });
      new CfnOutput(this, 'DatabaseEndpoint', {
        key: `${prefix}DatabaseEndpoint`,
        value: this.database.endpointAddress,
        description: `${app.name}: the database's writer endpoint`,
      });
    }
  }

  /** The role the app's release workflow assumes: it may push to the app's repositories only. */
  private addCiRole(props: AppResourcesProps): GitHubActionsRole {
    const { app } = props;
    if (app.supplyChain.keySigned && !props.signingKeyArn) {
      throw new Error(`AppResources ${app.name}: signingKeyArn is required for an application delivered by the Image Updater that signs its images (its CI role signs with the key)`);
    }
    return new GitHubActionsRole(this, 'CiRole', {
      signingKeyArn: app.supplyChain.keySigned ? props.signingKeyArn : undefined,
      provider: this.githubOidcProvider(props, 'its CI role trusts it'),
      roleName: app.ci.role.roleName,
      subjects: {
        ...repositorySubject(app),
        tagPatterns: app.ci.tagPatterns,
        branches: app.ci.branches,
        environments: app.ci.environments,
        pullRequests: app.ci.pullRequests,
      },
      pushRepositories: Object.values(this.repositories).map((r) => r.repository),
    });
  }

  /**
   * The preview repositories (one per image, `<repository>-previews`: immutable tags, scanned on push,
   * encrypted as the others, every image expiring `imageExpiryDays` after its push, pulled by the
   * nodes of the environment that runs the previews), and the preview build role.
   *
   * The role trusts every branch of the application repository (`ref:refs/heads/*`) and nothing
   * else: never `pull_request`, the subject of every pull request's token, a fork's included (GitHub
   * docs, "OpenID Connect reference", filtering for pull_request events: `repo:<owner>/<repo>:pull_request`),
   * and never a fork's branch, whose workflows run as the fork's repository. It pushes to the preview
   * repositories only, so a preview build never writes to a production repository.
   */
  private addPreviews(props: AppResourcesProps, previews: ResolvedHeldPreviews): GitHubActionsRole {
    const { app, platform } = props;
    // The nodes of the cluster that runs the previews, when it is in another account; nothing lists tags here.
    const pullers = platform.images.pullers
      .filter((p) => p.environment === previews.previewEnvironment)
      .map((p) => ({ ...p, readRoleArns: [] }));
    for (const { container, image } of previews.images) {
      this.previewRepositories[container] = new ImageRepository(this, `PreviewRepository-${container}`, {
        repositoryName: image.repositoryName,
        expiryDays: previews.imageExpiryDays,
        pullers,
      });
    }
    return new GitHubActionsRole(this, 'PreviewBuildRole', {
      provider: this.githubOidcProvider(props, 'its preview build role trusts it'),
      roleName: previews.buildRole.roleName,
      subjects: { ...repositorySubject(app), allBranches: true },
      pushRepositories: Object.values(this.previewRepositories).map((r) => r.repository),
    });
  }

  private githubOidcProvider(props: AppResourcesProps, why: string): iam.IOidcProvider | iam.IOpenIdConnectProvider {
    if (!props.githubOidcProvider) {
      throw new Error(`AppResources ${props.app.name}: githubOidcProvider is required where the platform holds the images (${why})`);
    }
    return props.githubOidcProvider;
  }
}

/** The application repository, in the subject form it sends. */
function repositorySubject(app: ResolvedApp): GitHubSubjectFilter {
  return {
    owner: app.ci.repository.owner,
    repository: app.ci.repository.name,
    subjectFormat: app.ci.subjectFormat,
    ...(app.ci.subjectFormat === SubjectFormat.IMMUTABLE ? { ownerId: app.ci.ownerId, repositoryId: app.ci.repositoryId } : {}),
  };
}

