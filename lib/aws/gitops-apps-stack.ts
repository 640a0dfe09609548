import { CrossStackReferences, ReferenceStrength, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AppDatabaseNetwork, AppResources } from './app-resources';
import { ResourceLimit } from './resource-limit';
import type { ResolvedApp, ResolvedPlatform } from '../model/resolved';

/** Properties of a `GitOpsAppsStack`. */
export interface GitOpsAppsStackProps extends StackProps {
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;
  /** The applications whose AWS resources this stack holds. */
  readonly apps: ResolvedApp[];
  /**
   * ARN of the cluster's OIDC provider, which the IRSA roles trust. A value of another stack is read
   * as a weak reference (`Fn::GetStackOutput`): no export locks the producing stack.
   */
  readonly clusterOidcProviderArn: string;
  /**
   * ARN of the account's GitHub Actions OIDC provider, which the CI roles trust. Needed where the
   * platform holds the images (`platform.images.holdsRepositories`).
   * @default - none: the environment pulls its images from the registry environment and has no CI role
   */
  readonly githubOidcProviderArn?: string;
  /**
   * ARN of the platform's image signing key, in the platform stack (read as a weak reference), for
   * the CI roles of the applications delivered by the Image Updater that sign.
   * @default - none
   */
  readonly signingKeyArn?: string;
  /**
   * The cluster's VPC and the EKS cluster security group, for the applications' databases (read from
   * the platform stack as weak references).
   * @default - none: an application with a database is refused
   */
  readonly databaseNetwork?: AppDatabaseNetwork;
}

/**
 * The AWS resources of a group of applications (ECR repositories, CI and IRSA roles), in a stack of
 * their own so that a large platform stays within CloudFormation's 500 resources per stack. The
 * providers are imported by ARN: the stack holds no Lambda function and no custom resource. In an
 * environment that pulls its images from another, it holds only the workload roles.
 */
export class GitOpsAppsStack extends Stack {
  /** The AWS resources of the applications, by application name. */
  public readonly apps: { [name: string]: AppResources } = {};

  constructor(scope: Construct, id: string, props: GitOpsAppsStackProps) {
    super(scope, id, {
      description: `GitOps platform ${props.platform.name}: ${props.apps.map((a) => a.name).join(', ')}`.slice(0, 1024),
      ...props,
      env: props.env ?? { account: props.platform.account, region: props.platform.region },
    });
    // References into other stacks are weak: the platform stack stays free to change its outputs.
    CrossStackReferences.of(this).consume(ReferenceStrength.WEAK);
    const clusterOidcProvider = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(this, 'ClusterOidc', props.clusterOidcProviderArn);
    const githubOidcProvider =
      props.githubOidcProviderArn === undefined ? undefined : iam.OidcProviderNative.fromOidcProviderArn(this, 'GitHubOidc', props.githubOidcProviderArn);
    for (const app of props.apps) {
      this.apps[app.name] = new AppResources(this, `App-${app.name}`, {
        platform: props.platform,
        app,
        clusterOidcProvider,
        githubOidcProvider,
        signingKeyArn: props.signingKeyArn,
        databaseNetwork: props.databaseNetwork,
      });
    }
    new ResourceLimit(this);
  }
}
