import { Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AppResources } from './app-resources';
import { ResourceLimit } from './resource-limit';
import type { ResolvedApp, ResolvedPlatform } from '../spec/resolved';

/** Properties of a `GitOpsAppsStack`. */
export interface GitOpsAppsStackProps extends StackProps {
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;
  /** The applications whose AWS resources this stack holds. */
  readonly apps: ResolvedApp[];
  /** The cluster's OIDC provider (from the platform stack). */
  readonly clusterOidcProvider: iam.IOpenIdConnectProvider;
  /** The GitHub Actions OIDC provider of the platform stack, of either IAM provider interface. */
  readonly githubOidcProvider: iam.IOidcProvider | iam.IOpenIdConnectProvider;
}

/**
 * The AWS resources of a group of applications (ECR repositories, CI and IRSA roles), in a stack of
 * their own so that a large platform stays within CloudFormation's 500 resources per stack.
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
    for (const app of props.apps) {
      this.apps[app.name] = new AppResources(this, `App-${app.name}`, {
        platform: props.platform,
        app,
        clusterOidcProvider: props.clusterOidcProvider,
        githubOidcProvider: props.githubOidcProvider,
      });
    }
    new ResourceLimit(this);
  }
}
