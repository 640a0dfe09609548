import { Stage } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { GitOpsAppsStack } from './gitops-apps-stack';
import { GitOpsPlatformStack } from './gitops-platform-stack';
import { githubOidcProviderArnFor } from '../model/github-subjects';
import { platformStackId } from '../model/naming';
import type { ResolvedApp, ResolvedPlatform } from '../model/resolved';

/** Properties of a `GitOpsPlatform`. */
export interface GitOpsPlatformProps {
  /** The resolved platform: one environment (see `Platform.resolveEnvironments`). */
  readonly platform: ResolvedPlatform;

  /**
   * With a hub (`platform.argocd.hub`), on the hub's platform: every other environment of the spec,
   * whose bootstrap the hub's Argo CD is given (see `GitOpsPlatformStackProps.spokes`). The spokes'
   * stacks must be deployed after the hub's (`PlatformCdkApp.addEnvironments` adds that dependency).
   * @default - none; required on a hub with spokes
   */
  readonly spokes?: ResolvedPlatform[];
}

/**
 * One environment of the platform as CloudFormation stacks, in that environment's account and region:
 * the platform stack `<qualifiedName>-platform` (cluster, Argo CD, shared roles) and, for applications
 * whose spec names a `stack`, one `<qualifiedName>-<stack>` stack per name (`qualifiedName` is the
 * platform's name, or `<platform>-<environment>` with several environments). Each application's
 * resources live in the stack its spec names, and nowhere else: adding, removing or reordering
 * applications never moves another one's retained ECR repositories between stacks (a move would fail
 * the deploy: the new stack would try to create a repository the old one kept).
 *
 * A spec with several environments gives one `ResolvedPlatform` each (`Platform.resolveEnvironments`):
 * add a `GitOpsPlatform` for each, or let `PlatformCdkApp.addEnvironments` do it. Only the environment
 * that holds the images creates the ECR repositories, the CI roles and the GitHub OIDC provider; its
 * repository policies let the other accounts' nodes pull.
 *
 * Application stacks read the cluster's OIDC provider from the platform stack as a weak reference
 * (`Fn::GetStackOutput`), so neither stack is locked by an export, and name the account's GitHub
 * OIDC provider by its fixed ARN.
 */
export class GitOpsPlatform extends Construct {
  /** The platform stack. */
  public readonly platformStack: GitOpsPlatformStack;
  /** The application stacks, by construct id (`<name>-<stack>`); empty when every app is in the platform stack. */
  public readonly appsStacks: GitOpsAppsStack[] = [];

  constructor(scope: Construct, id: string, props: GitOpsPlatformProps) {
    super(scope, id);
    const { platform } = props;
    // Stacks belong to the App or Stage: their names are what `cdk deploy` lists.
    const stage = Stage.of(this) ?? scope;
    const platformStackName = platformStackId(platform.qualifiedName);
    const groups = new Map<string, ResolvedApp[]>();
    for (const app of platform.apps) groups.set(app.stackId, [...(groups.get(app.stackId) ?? []), app]);

    this.platformStack = new GitOpsPlatformStack(stage, platformStackName, {
      platform,
      apps: groups.get(platformStackName) ?? [],
      spokes: props.spokes,
    });
    // Only where CI pushes the images: no other environment's account trusts GitHub.
    const githubOidcProviderArn = platform.images.holdsRepositories
      ? githubOidcProviderArnFor(platform.github, platform.partition, platform.account)
      : undefined;
    const clusterOidcProviderArn = this.platformStack.cluster.cluster.openIdConnectProvider.openIdConnectProviderArn;
    for (const [stackId, apps] of groups) {
      if (stackId === platformStackName) continue;
      // Only a stack with a database reads the VPC and the cluster security group: the others' templates stay as they were.
      const databaseNetwork = apps.some((app) => app.database) ? this.platformStack.databaseNetwork : undefined;
      const signingKeyArn = this.platformStack.signingKey?.keyArn;
      const stack = new GitOpsAppsStack(stage, stackId, {
        platform,
        apps,
        clusterOidcProviderArn,
        githubOidcProviderArn,
        signingKeyArn,
        databaseNetwork,
      });
      // Ordering only: the providers must exist before the roles that trust them.
      stack.addStackDependency(this.platformStack);
      this.appsStacks.push(stack);
    }
  }
}
