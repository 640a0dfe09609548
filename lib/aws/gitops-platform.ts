import { Construct } from 'constructs';
import { GitOpsAppsStack } from './gitops-apps-stack';
import { GitOpsPlatformStack } from './gitops-platform-stack';
import type { ResolvedPlatform } from '../spec/resolved';

/** Properties of a `GitOpsPlatform`. */
export interface GitOpsPlatformProps {
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;

  /**
   * Up to this many applications keep their resources in the platform stack; beyond it, all of them
   * move to `GitOpsAppsStack`s of `appsPerStack` each.
   * @default 20
   */
  readonly maxAppsInPlatformStack?: number;

  /**
   * Applications per `GitOpsAppsStack` (about 10 resources and 14 KB of template each).
   * @default 30
   */
  readonly appsPerStack?: number;
}

/**
 * The whole platform as CloudFormation stacks: one stack for a small platform, and the platform
 * stack plus application stacks (`<name>-apps-1`, `-2`, ...) for a large one, so no stack nears the
 * 500-resource limit. The split is automatic and deterministic: adding applications never moves an
 * existing one between stacks unless the platform crosses `maxAppsInPlatformStack`.
 *
 * The scope is usually the `App`, or a `Stage` (a CDK Pipelines stage included). The stacks are
 * created in that scope, beside this construct, named `<name>-platform` and `<name>-apps-N` (CDK
 * prefixes them with the stage name inside a `Stage`).
 */
export class GitOpsPlatform extends Construct {
  /** The platform stack. */
  public readonly platformStack: GitOpsPlatformStack;
  /** The application stacks (empty for a small platform). */
  public readonly appsStacks: GitOpsAppsStack[] = [];

  constructor(scope: Construct, id: string, props: GitOpsPlatformProps) {
    super(scope, id);
    const { platform } = props;
    const maxInPlatform = props.maxAppsInPlatformStack ?? 20;
    const perStack = props.appsPerStack ?? 30;
    if (!Number.isInteger(perStack) || perStack < 1) throw new Error(`GitOpsPlatform: appsPerStack ${perStack} must be a whole number of at least 1`);
    const split = platform.apps.length > maxInPlatform;

    // Stacks are created in the scope (the App or a Stage): their names are what `cdk deploy` lists.
    this.platformStack = new GitOpsPlatformStack(scope, `${platform.name}-platform`, { platform, apps: split ? [] : platform.apps });
    if (!split) return;
    for (let start = 0, n = 1; start < platform.apps.length; start += perStack, n++) {
      const stack = new GitOpsAppsStack(scope, `${platform.name}-apps-${n}`, {
        platform,
        apps: platform.apps.slice(start, start + perStack),
        clusterOidcProvider: this.platformStack.cluster.cluster.openIdConnectProvider,
        githubOidcProvider: this.platformStack.githubOidcProvider.provider,
      });
      stack.addStackDependency(this.platformStack);
      this.appsStacks.push(stack);
    }
  }
}
