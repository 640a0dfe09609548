import { DEFAULT_PLATFORM_SPEC, PlatformAppOptions } from './app-options';
import { overlappingOutputs } from './output-dirs';
import { CiWorkflows } from '../ci/ci-workflows';
import { planSummary } from '../cli/plan-report';
import { DisposableOutput } from '../manifests/disposable-output';
import { ManifestFile, ManifestRepository } from '../manifests/manifest-repository';
import { PlatformCheckouts } from '../manifests/platform-checkouts';
import { loadPlatform, onlyEnvironment, runMain } from '../spec/load-platform';
import type { ResolvedPlatform } from '../spec/resolved';

/** Where the manifest tree goes unless told otherwise: cdk8s's output directory. */
export const DEFAULT_MANIFESTS_DIR = 'dist';

/** Where the application repositories' workflows go unless told otherwise. */
export const DEFAULT_WORKFLOWS_DIR = 'ci.out';

/** Properties of `PlatformManifestsApp.write`. */
export interface PlatformManifestsProps {
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;

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
  readonly manifests: ManifestFile[];
  /** The application repositories' workflows, one directory per repository. */
  readonly workflows: ManifestFile[];
}

/** Builds both trees, writing nothing: whatever refuses the platform fails here. */
export function platformTrees(platform: ResolvedPlatform): PlatformTrees {
  return { manifests: new ManifestRepository(platform).manifestFiles(), workflows: new CiWorkflows(platform).workflowFiles() };
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
   * Writes the manifest tree and the workflows into their output directories, emptied first.
   *
   * @throws Error when an output directory is a checkout or the working directory, or the two overlap
   */
  public static write(props: PlatformManifestsProps): void {
    writePlatformTrees(platformTrees(props.platform), props.manifestsDir ?? DEFAULT_MANIFESTS_DIR, props.workflowsDir ?? DEFAULT_WORKFLOWS_DIR);
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
      const platform = onlyEnvironment(await loadPlatform(env.PLATFORM_SPEC || (options.defaultSpec ?? DEFAULT_PLATFORM_SPEC)), 'the manifests app');
      PlatformManifestsApp.write({ platform, manifestsDir: env.CDK8S_OUTDIR || undefined, workflowsDir: env.PLATFORM_WORKFLOWS_DIR || undefined });

      const checkout = env.PLATFORM_MANIFESTS_DIR;
      if (checkout) {
        const [{ label, writer }] = PlatformCheckouts.writers(platform, { manifests: checkout });
        // The cdk8s CLI swallows the app's standard output; standard error reaches the user.
        process.stderr.write(planSummary(label, writer.apply()));
      }
    });
  }

  private constructor() {}
}
