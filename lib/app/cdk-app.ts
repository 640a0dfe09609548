import { App, Validations } from 'aws-cdk-lib';
import { DEFAULT_PLATFORM_SPEC, PlatformAppOptions } from './app-options';
import { awsSolutionsChecks } from './nag-checks';
import { GitOpsPlatform } from '../aws/gitops-platform';
import { loadPlatform, onlyEnvironment, runMain } from '../spec/load-platform';
import type { ResolvedPlatform } from '../spec/resolved';

/** The context key naming the spec file: `cdk synth -c spec=FILE`. */
export const SPEC_CONTEXT = 'spec';

/** The context key that turns cdk-nag off: `cdk synth -c nag=false`. */
export const NAG_CONTEXT = 'nag';

/**
 * The feature flags of a platform repository's `cdk.json` (this repository's as well: a test
 * compares them), which `cdk-eks-gitops synth` also uses where there is no `cdk.json`. The cluster
 * warns without `@aws-cdk/aws-eks:useNativeOidcProvider`.
 */
export const FEATURE_FLAGS: { readonly [key: string]: boolean } = {
  '@aws-cdk/aws-eks:useNativeOidcProvider': true,
  '@aws-cdk/core:checkSecretUsage': true,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/core:validateSnapshotRemovalPolicy': true,
};

/** Whether the `nag` context value leaves cdk-nag on: anything but `false` (`-c nag=false` gives the string). */
export function nagEnabled(value: unknown): boolean {
  return value !== false && value !== 'false';
}

/** Properties of `PlatformCdkApp.addPlatform`. */
export interface PlatformCdkAppProps {
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;

  /**
   * Check every stack with cdk-nag's AwsSolutions pack. The constructs acknowledge the findings they
   * accept, each with its reason, so a finding fails the synth. Needs cdk-nag installed.
   * @default true
   */
  readonly nag?: boolean;
}

/**
 * The CDK app of a platform repository, the program `cdk.json` runs: the platform's stacks, checked
 * by cdk-nag. `cdk-eks-gitops synth` builds the same app in its own process, so both write the
 * same cloud assembly.
 *
 * A platform repository's `app.js` is one line: `require('cdk-eks-gitops').PlatformCdkApp.run();`.
 */
export class PlatformCdkApp {
  /**
   * Adds the platform's stacks to `app` and, unless `nag` is false, cdk-nag's AwsSolutions pack.
   *
   * @returns the platform construct
   * @throws Error when `nag` is on and cdk-nag is not installed
   */
  public static addPlatform(app: App, props: PlatformCdkAppProps): GitOpsPlatform {
    const platform = new GitOpsPlatform(app, props.platform.name, { platform: props.platform });
    if (props.nag ?? true) Validations.of(app).addPlugins(awsSolutionsChecks(app));
    return platform;
  }

  /**
   * Runs the app the way the CDK CLI starts it (`npx cdk synth`, `npx cdk deploy`): reads the spec
   * named by `-c spec=FILE` (else `options.defaultSpec`), resolves the account (the spec, the
   * environment, then STS), adds the platform and synthesizes into the CLI's output directory. A
   * failure prints its message, without a stack trace unless `CDK_EKS_GITOPS_DEBUG=1`, and exits 1.
   */
  public static run(options: PlatformAppOptions = {}): void {
    runMain(async () => {
      const app = new App();
      const specPath = (app.node.tryGetContext(SPEC_CONTEXT) as string | undefined) ?? options.defaultSpec ?? DEFAULT_PLATFORM_SPEC;
      const platform = onlyEnvironment(await loadPlatform(specPath), 'the CDK app');
      PlatformCdkApp.addPlatform(app, { platform, nag: nagEnabled(app.node.tryGetContext(NAG_CONTEXT)) });
      app.synth();
    });
  }

  private constructor() {}
}
