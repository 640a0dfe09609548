import { App, Validations } from 'aws-cdk-lib';
import { SynthesisMessageLevel } from 'aws-cdk-lib/cx-api';
import { DEFAULT_PLATFORM_SPEC, PlatformAppOptions } from './app-options';
import { awsSolutionsChecks } from './nag-checks';
import { runMain } from './run-main';
import { useBaselineWasmCompiler } from './validation-engine';
import { synthValidatingInWorker } from './validation-worker';
import { BUILT_IN_ADDONS } from '../addons/built-in';
import { GitOpsPlatform } from '../aws/gitops-platform';
import type { ResolvedPlatform } from '../model/resolved';
import { loadPlatform } from '../platform/loader';
import { writeLockBeside } from '../platform/lock-file';

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

/** Properties of `PlatformCdkApp.addEnvironments`. */
export interface PlatformCdkAppEnvironmentsProps {
  /**
   * Every environment of the platform, resolved: `Platform.resolveEnvironments(spec)` (one for a spec
   * without `environments`).
   */
  readonly platforms: ResolvedPlatform[];

  /**
   * Check every stack with cdk-nag's AwsSolutions pack. The constructs acknowledge the findings they
   * accept, each with its reason, so a finding fails the synth. Needs cdk-nag installed.
   * @default true
   */
  readonly nag?: boolean;
}

/**
 * The CDK app of a platform repository, the program `cdk.json` runs: the stacks of every environment
 * of the platform, each in its own account and region, checked by cdk-nag. `cdk-eks-gitops synth`
 * builds the same app in its own process, so both write the same cloud assembly.
 *
 * A platform repository's `app.js` is one line: `require('cdk-eks-gitops').PlatformCdkApp.run();`.
 */
export class PlatformCdkApp {
  /**
   * Adds the stacks of one environment of the platform to `app` and, unless `nag` is false, cdk-nag's
   * AwsSolutions pack. For a spec with several environments, `addEnvironments` adds them all.
   *
   * @returns the platform construct
   * @throws Error when `nag` is on and cdk-nag is not installed
   */
  public static addPlatform(app: App, props: PlatformCdkAppProps): GitOpsPlatform {
    return PlatformCdkApp.addEnvironments(app, { platforms: [props.platform], nag: props.nag })[0];
  }

  /**
   * Adds the stacks of every environment to `app`, in the order given (a `GitOpsPlatform` with the id
   * `qualifiedName` for each: its stacks are `<qualifiedName>-platform` and `<qualifiedName>-<stack>`,
   * each in the environment's account and region), and, unless `nag` is false, cdk-nag's AwsSolutions
   * pack once for all of them.
   *
   * @returns the platform construct of each environment, in the same order
   * @throws Error when `platforms` is empty, two of them have the same `qualifiedName` (they are not
   * the environments of one spec), or `nag` is on and cdk-nag is not installed
   */
  public static addEnvironments(app: App, props: PlatformCdkAppEnvironmentsProps): GitOpsPlatform[] {
    const names = props.platforms.map((p) => p.qualifiedName);
    if (names.length === 0) throw new Error('PlatformCdkApp.addEnvironments: platforms is empty; give Platform.resolveEnvironments(spec)');
    const repeated = names.find((name, i) => names.indexOf(name) !== i);
    if (repeated) {
      throw new Error(`PlatformCdkApp.addEnvironments: platforms names '${repeated}' twice; give each environment of one spec once (Platform.resolveEnvironments)`);
    }
    const hubName = props.platforms[0].argocd.hub?.environment;
    const platforms = props.platforms.map((platform) => {
      const spokes = platform.environment === hubName ? props.platforms.filter((p) => p !== platform) : undefined;
      return new GitOpsPlatform(app, platform.qualifiedName, { platform, spokes });
    });
    const hub = platforms.find((_, i) => props.platforms[i].environment === hubName);
    if (hub) {
      // An access entry names an existing role: the hub's capability role comes first. Across accounts
      // or regions this dependency orders the deploys only; nothing is exported between the stacks.
      for (const spoke of platforms.filter((p) => p !== hub)) spoke.platformStack.addStackDependency(hub.platformStack, 'the hub\'s Argo CD role must exist before this cluster\'s access entry names it');
    }
    // The Image Updater's stack reads the signing key's public key: the registry environment's stack,
    // which creates the key, comes first (ordering only; the key is named by its fixed alias).
    const registry = platforms.find((_, i) => props.platforms[i].images.holdsRepositories);
    platforms.forEach((updater, i) => {
      const platform = props.platforms[i];
      if (registry && updater !== registry && platform.usesImageUpdater && platform.images.signingKey) {
        updater.platformStack.addStackDependency(registry.platformStack, 'the registry environment creates the image signing key whose public key the Image Updater verifies with');
      }
    });
    if (props.nag ?? true) Validations.of(app).addPlugins(awsSolutionsChecks(app));
    return platforms;
  }

  /**
   * Runs the app the way the CDK CLI starts it (`npx cdk synth`, `npx cdk deploy`): reads the spec
   * named by `-c spec=FILE` (else `options.defaultSpec`), resolves the account (the spec, the
   * environment, then STS), adds every environment of the platform and synthesizes into the CLI's
   * output directory. With databases it then writes the lock beside the spec (`platform.lock.json`
   * for `platform.yaml`), as `cdk-eks-gitops synth` does: commit it. A failure prints its message, without a stack trace unless
   * `CDK_EKS_GITOPS_DEBUG=1`, and exits 1.
   */
  public static run(options: PlatformAppOptions = {}): void {
    runMain(async () => {
      const app = new App();
      const specPath = (app.node.tryGetContext(SPEC_CONTEXT) as string | undefined) ?? options.defaultSpec ?? DEFAULT_PLATFORM_SPEC;
      const { platforms } = await loadPlatform(specPath, { addons: options.addons ?? BUILT_IN_ADDONS });
      PlatformCdkApp.addEnvironments(app, { platforms, nag: nagEnabled(app.node.tryGetContext(NAG_CONTEXT)) });
      // The CloudFormation validation of app.synth() is the largest part of its CPU: see validation-engine.ts.
      useBaselineWasmCompiler();
      const assembly = synthValidatingInWorker(() => app.synth());
      // The lock beside the spec, as `cdk-eks-gitops synth` writes it, so that a team deploying with
      // `cdk deploy` is refused a change that would replace a database too. Not after an error
      // annotation: the CDK CLI then deploys nothing, as `cdk-eks-gitops synth` writes nothing.
      const failed = assembly.stacksRecursively.some((stack) => stack.messages.some((m) => m.level === SynthesisMessageLevel.ERROR));
      const lock = failed ? undefined : writeLockBeside(specPath, platforms);
      if (lock?.changed) process.stderr.write(`${lock.path}: what the databases are created with; commit it: validate refuses a change that would replace one\n`);
    });
  }

  private constructor() {}
}
