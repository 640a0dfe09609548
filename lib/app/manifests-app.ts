import { DEFAULT_PLATFORM_SPEC, PlatformAppOptions } from './app-options';
import { overlappingOutputs } from './output-dirs';
import { runMain } from './run-main';
import { BUILT_IN_ADDONS } from '../addons/built-in';
import { CiWorkflows } from '../ci/ci-workflows';
import { ManifestRepository } from '../manifests/manifest-repository';
import { PlatformCheckouts } from '../manifests/platform-checkouts';
import type { ResolvedPlatform } from '../model/resolved';
import { DisposableOutput } from '../output/disposable-output';
import type { GeneratedFile } from '../output/generated-file';
import { planSummary } from '../output/plan-report';
import { loadPlatform } from '../platform/loader';

/** Where the manifest tree goes unless told otherwise: cdk8s's output directory. */
export const DEFAULT_MANIFESTS_DIR = 'dist';

/** Where the application repositories' workflows go unless told otherwise. */
export const DEFAULT_WORKFLOWS_DIR = 'ci.out';

/** Properties of `PlatformManifestsApp.write`. */
export interface PlatformManifestsProps {
  /**
   * The resolved platform of a spec with one environment (`Platform.resolve`). Give `platforms`
   * instead for a spec with several.
   * @default - `platforms`
   */
  readonly platform?: ResolvedPlatform;

  /**
   * Every environment of the platform, as `Platform.resolveEnvironments` returns them: one manifest
   * tree holds them all, and the release workflows come from the environment that follows releases.
   * @default - `[platform]`
   */
  readonly platforms?: ResolvedPlatform[];

  /**
   * The manifest tree's output directory, emptied first.
   * @default 'dist'
   */
  readonly manifestsDir?: string;

  /**
   * The output directory of the application repositories' workflows, emptied first.
   * @default 'ci.out'
   */
  readonly workflowsDir?: string;
}

/** The two trees a platform generates beside its CloudFormation, built in memory. */
export interface PlatformTrees {
  /** The manifest repository tree. */
  readonly manifests: GeneratedFile[];
  /** The application repositories' workflows, one directory per repository. */
  readonly workflows: GeneratedFile[];
}

/**
 * Builds both trees of every environment, writing nothing: whatever refuses the platform fails here.
 *
 * @param platforms every environment, as `Platform.resolveEnvironments` returns them
 */
export function platformTrees(platforms: ResolvedPlatform[]): PlatformTrees {
  return {
    manifests: ManifestRepository.forEnvironments(platforms).manifestFiles(),
    workflows: CiWorkflows.forEnvironments(platforms).workflowFiles(),
  };
}

/** The environments props name: `platforms`, or `[platform]`. */
function environmentsOf(props: PlatformManifestsProps): ResolvedPlatform[] {
  if (props.platform && props.platforms) throw new Error('PlatformManifestsApp.write: give platform (one environment) or platforms (every environment), not both');
  const platforms = props.platforms ?? (props.platform ? [props.platform] : []);
  if (!platforms.length) throw new Error('PlatformManifestsApp.write: no platform given; pass platforms: Platform.resolveEnvironments(spec)');
  return platforms;
}

/**
 * Writes both trees into their build output directories, after checking that neither is a checkout
 * or the working directory and that they do not overlap: nothing is written unless both can be.
 *
 * @throws Error naming the directory that must not be emptied
 */
export function writePlatformTrees(trees: PlatformTrees, manifestsDir: string, workflowsDir: string): void {
  const overlap = overlappingOutputs([
    { label: `the manifest tree's output ${manifestsDir}`, dir: manifestsDir },
    { label: `the workflows' output ${workflowsDir}`, dir: workflowsDir },
  ]);
  if (overlap) throw new Error(overlap);
  DisposableOutput.refuseCheckout(manifestsDir);
  DisposableOutput.refuseCheckout(workflowsDir);
  DisposableOutput.write(manifestsDir, trees.manifests);
  DisposableOutput.write(workflowsDir, trees.workflows);
}

/**
 * The cdk8s app of a platform repository, the program `cdk8s.yaml` runs: the manifest tree into
 * `dist/` and the application repositories' release workflows into `ci.out/`, both disposable
 * build outputs like `cdk.out`. `cdk-eks-gitops synth` writes the same trees in its own process.
 *
 * A platform repository's `manifests.js` is one line: `require('cdk-eks-gitops').PlatformManifestsApp.run();`.
 */
export class PlatformManifestsApp {
  /**
   * Writes the manifest tree (every environment's) and the workflows into their output
   * directories, emptied first.
   *
   * @throws Error when an output directory is a checkout or the working directory, or the two
   * overlap; or when `platforms` is not every environment of one spec
   */
  public static write(props: PlatformManifestsProps): void {
    const trees = platformTrees(environmentsOf(props));
    writePlatformTrees(trees, props.manifestsDir ?? DEFAULT_MANIFESTS_DIR, props.workflowsDir ?? DEFAULT_WORKFLOWS_DIR);
  }

  /**
   * Runs the app the way the cdk8s CLI starts it (`npx cdk8s synth`): reads the spec named by
   * `PLATFORM_SPEC` (else `options.defaultSpec`), resolves the account, and writes the manifest tree
   * to the CLI's output directory (`CDK8S_OUTDIR`, which the CLI has emptied already) and the
   * workflows to `PLATFORM_WORKFLOWS_DIR` (default `ci.out`). With `PLATFORM_MANIFESTS_DIR` it also
   * writes the tree into that manifest-repository checkout, safely (see `CheckoutWriter`). A failure
   * prints its message and exits 1.
   */
  public static run(options: PlatformAppOptions = {}): void {
    runMain(async () => {
      const env = process.env;
      const specPath = env.PLATFORM_SPEC || (options.defaultSpec ?? DEFAULT_PLATFORM_SPEC);
      const { platforms } = await loadPlatform(specPath, { addons: options.addons ?? BUILT_IN_ADDONS });
      PlatformManifestsApp.write({ platforms, manifestsDir: env.CDK8S_OUTDIR || undefined, workflowsDir: env.PLATFORM_WORKFLOWS_DIR || undefined });

      const checkout = env.PLATFORM_MANIFESTS_DIR;
      if (checkout) {
        const [{ label, writer }] = PlatformCheckouts.writers(platforms, { manifests: checkout });
        // The cdk8s CLI swallows the app's standard output; standard error reaches the user.
        process.stderr.write(planSummary(label, writer.apply()));
      }
    });
  }

  private constructor() {}
}
