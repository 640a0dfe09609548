import { README, README_BESIDE } from './manifest-readme';
import { ManifestRepository } from './manifest-repository';
import { CiWorkflows } from '../ci/ci-workflows';
import type { ResolvedPlatform } from '../model/resolved';
import { CheckoutWriter } from '../output/checkout-writer';

/**
 * A manifest repository created on GitHub starts with a README of its own: the generated overview
 * gives way to it and goes beside it.
 */
const MANIFEST_YIELDS = { [README]: README_BESIDE };

/** Where to write a platform's trees. */
export interface PlatformCheckoutsProps {
  /** The manifest repository checkout. @default - none */
  readonly manifests?: string;
  /** Application repository checkouts by repository name (`apps[].ci.repository`). @default - none */
  readonly appRepos?: { [repository: string]: string };
  /** Overwrite hand-edited generated files. @default false */
  readonly force?: boolean;
  /** Take over files at generated paths that the writer did not generate (the manifest repository's own README, say). @default false */
  readonly adopt?: boolean;
}

/** One checkout to write, and how to name it to a user. */
export interface LabelledWriter {
  /** The directory as the user named it. */
  readonly label: string;
  /** What it is: `manifest repository` or `application repository <name>`. */
  readonly kind: string;
  /** The command-line argument that names it: `--into DIR` or `--app-repo NAME=DIR`. */
  readonly argument: string;
  /** The writer. */
  readonly writer: CheckoutWriter;
}

/**
 * The checkout writers for a platform: the manifest tree of every environment into the manifest
 * repository checkout, and each application repository's workflows into its checkout. Shared by the package's CLI and by
 * `cdk8s synth` with `PLATFORM_MANIFESTS_DIR`.
 */
export class PlatformCheckouts {
  /**
   * @param platforms every environment of the platform, as `Platform.resolveEnvironments` returns
   * them (one for a spec without `environments`)
   * @throws Error naming an application repository the spec does not have, and the ones it has; or
   * when `platforms` is not every environment of one spec
   */
  public static writers(platforms: ResolvedPlatform[], props: PlatformCheckoutsProps): LabelledWriter[] {
    const force = props.force ?? false;
    const adopt = props.adopt ?? false;
    const writers: LabelledWriter[] = [];
    if (props.manifests !== undefined) {
      const files = ManifestRepository.forEnvironments(platforms).manifestFiles();
      writers.push({ label: props.manifests, kind: 'manifest repository', argument: `--into ${props.manifests}`, writer: new CheckoutWriter({ directory: props.manifests, files, force, adopt, yieldTo: MANIFEST_YIELDS }) });
    }
    const repositories = CiWorkflows.forEnvironments(platforms).repositories();
    for (const [name, directory] of Object.entries(props.appRepos ?? {})) {
      const repository = repositories.find((r) => r.repository === name);
      if (!repository) {
        const known = repositories.map((r) => r.repository).join(', ');
        throw new Error(`--app-repo ${name}=${directory}: the spec has no application repository '${name}' (apps[].ci.repository: ${known})`);
      }
      writers.push({ label: directory, kind: `application repository ${repository.fullName}`, argument: `--app-repo ${name}=${directory}`, writer: new CheckoutWriter({ directory, files: repository.files, force, adopt }) });
    }
    // Each checkout has one index; two trees in one checkout would each prune the other's files.
    const seen = new Map<string, string>();
    for (const { argument, writer } of writers) {
      const other = seen.get(writer.directory);
      if (other) throw new Error(`${other} and ${argument} name the same checkout; write each tree into a checkout of its own`);
      seen.set(writer.directory, argument);
    }
    return writers;
  }
}
