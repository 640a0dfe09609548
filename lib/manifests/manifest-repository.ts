import { EnvironmentTree } from './environment-tree';
import { manifestReadme, README } from './manifest-readme';
import { promotionWorkflowFiles } from '../ci/promotion-workflow';
import type { ResolvedPlatform } from '../model/resolved';
import { CheckoutWriter } from '../output/checkout-writer';
import { DisposableOutput } from '../output/disposable-output';
import type { GeneratedFile } from '../output/generated-file';

/**
 * Files of the manifest repository as a whole rather than of one environment, each source given
 * every environment at once: the promotion workflows (`.github/workflows/promote-<env>.yml`, one
 * per promoted environment, none with a single environment). Each path must be unique in the tree;
 * the README lists these files with the rest.
 */
const REPOSITORY_FILE_SOURCES: ReadonlyArray<(platforms: ResolvedPlatform[]) => GeneratedFile[]> = [promotionWorkflowFiles];

/** Who writes a path, in an error message. */
const SHARED = 'the files every environment shares';

/**
 * The manifest repository of a platform, every environment in one tree: which chart lands at which
 * path, and the kustomizations that tie the files together. With one environment:
 *
 * ```
 * argocd/bootstrap/                 AppProject + root app-of-apps (kubectl apply -k)
 * argocd/bootstrap/install/         Argo CD itself, with the Application health check
 * argocd/apps/                      the child Applications
 * argocd_image_updater/overlays/<env>/
 * <app>/base/                       what every environment shares: nothing environment-specific
 * <app>/overlays/<env>/             the environment's objects, patch and image tags
 * <app>/overlays/<env>/secrets/     the environment's secret resources
 * ```
 *
 * With several (`forEnvironments`), each environment has `argocd/bootstrap/<env>/` and
 * `argocd/apps/<env>/`, its `<app>/overlays/<env>/`, and `argocd_image_updater/overlays/<env>/`
 * where releases arrive; `argocd/bootstrap/install/` and `<app>/base/` are written once.
 */
export class ManifestRepository {
  /**
   * The manifest repository of every environment of a platform, in one tree: what
   * `Platform.resolveEnvironments` returns. Each environment writes its own paths, and the files
   * every environment shares (each application's base, Argo CD's install) are written once.
   *
   * @param platforms every environment of one platform's spec, each once (in any order; the tree
   * follows the spec's)
   * @throws Error when an environment of the spec is missing (its files would be pruned from a
   * checkout written with this tree), given twice or of another platform; or when two environments
   * would write the same path, or generate a shared file differently
   */
  public static forEnvironments(platforms: ResolvedPlatform[]): ManifestRepository {
    // The constructor's signature takes one platform, as it always has; this builds the same object
    // from several.
    const repository = Object.create(ManifestRepository.prototype) as ManifestRepository;
    (repository as unknown as { files: GeneratedFile[] }).files = repositoryFiles(platforms, 'ManifestRepository.forEnvironments');
    return repository;
  }

  private readonly files: GeneratedFile[];

  /**
   * @param platform the resolved platform of a spec with one environment
   * @throws Error when the platform is one environment of several: build their tree with
   * `ManifestRepository.forEnvironments`
   */
  constructor(platform: ResolvedPlatform) {
    this.files = repositoryFiles([platform], 'new ManifestRepository(platform)');
  }

  /** All files, sorted by path. */
  public manifestFiles(): GeneratedFile[] {
    return [...this.files];
  }

  /**
   * Writes the files into a build output directory such as `dist/`, emptied first: a disposable
   * artifact rebuilt from the spec every time, like `cdk.out`. Put the tree into a manifest-repository
   * checkout with a {@link CheckoutWriter} instead (`npx cdk-eks-gitops manifests --into DIR`), which
   * keeps image tags and every file it did not generate.
   *
   * @returns the paths written
   * @throws Error when `outdir` is a Git checkout, a checkout the writer wrote, or holds the working directory
   */
  public write(outdir: string): string[] {
    return DisposableOutput.write(outdir, this.manifestFiles());
  }
}

/** Every file of the repository of `platforms`, sorted by path, the README last to be made. */
function repositoryFiles(platforms: ResolvedPlatform[], what: string): GeneratedFile[] {
  const ordered = inSpecOrder(platforms, what);
  // Who wrote each path: an environment's name, or SHARED.
  const files = new Map<string, { content: string; owner: string }>();
  const add = (path: string, content: string, owner: string) => {
    const found = files.get(path);
    if (!found) {
      files.set(path, { content, owner });
    } else if (owner === SHARED && found.owner === SHARED) {
      if (found.content !== content) {
        throw new Error(
          `${what}: ${path} is shared by every environment, and the environments generate it differently; ` +
            'a shared file (an application\'s base, Argo CD\'s install) must hold nothing environment-specific',
        );
      }
    } else {
      const [a, b] = [found.owner, owner].map((o) => (o === SHARED ? SHARED : `environment '${o}'`));
      throw new Error(`${what}: ${a} and ${b} both write ${path}; every path of an environment must be under a directory named after it (such as <app>/overlays/<env>/)`);
    }
  };
  for (const platform of ordered) {
    for (const file of new EnvironmentTree(platform).files) add(file.path, file.content, file.shared ? SHARED : platform.environment);
  }
  for (const source of REPOSITORY_FILE_SOURCES) {
    for (const file of source(ordered)) add(file.path, file.content, 'repository');
  }
  // Last, so it can list every other file.
  add(README, manifestReadme(ordered, [...files.keys(), README]), 'repository');
  return [...files.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([path, { content }]) => ({ path, content }));
}

/**
 * The environments in the spec's order, once they are shown to be exactly the spec's: a tree without
 * one of them, written into a checkout, would prune every file of the missing environment.
 */
function inSpecOrder(platforms: ResolvedPlatform[], what: string): ResolvedPlatform[] {
  if (platforms.length === 0) throw new Error(`${what}: no environment given; pass every environment Platform.resolveEnvironments returns`);
  const [first] = platforms;
  const other = platforms.find((p) => p.name !== first.name);
  if (other) throw new Error(`${what}: environments of platforms '${first.name}' and '${other.name}'; a manifest repository holds one platform's environments`);
  const names = platforms.map((p) => p.environment);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new Error(`${what}: environment '${twice}' is given twice`);
  const spec = first.environments;
  const missing = spec.filter((n) => !names.includes(n));
  const unknown = names.filter((n) => !spec.includes(n));
  if (missing.length || unknown.length) {
    const fix =
      platforms.length === 1 && spec.length > 1
        ? 'build the tree of every environment with ManifestRepository.forEnvironments(Platform.resolveEnvironments(spec))'
        : 'pass every environment Platform.resolveEnvironments returns';
    throw new Error(
      `${what}: platform '${first.name}' has environments ${spec.join(', ')}, and ${missing.length ? `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing` : `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among them`}; ` +
        `one repository holds every environment, and a tree without one would prune its files from the checkout: ${fix}`,
    );
  }
  return spec.map((name) => platforms.find((p) => p.environment === name)!);
}
