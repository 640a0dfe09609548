import { existsSync, mkdirSync, rmSync, writeFileSync } from 'fs';
import { dirname, join, relative, resolve, sep } from 'path';
import { CheckoutIndex } from './checkout-index';
import { CheckoutWriter } from './checkout-writer';
import type { GeneratedFile } from './generated-file';

/**
 * A build output directory, such as `dist/` (the manifest tree) or `ci.out/` (the application
 * repositories' workflows): rebuilt from the spec every time, like `cdk.out`, so it is emptied before
 * it is written. Living checkouts are written by a {@link CheckoutWriter} instead; this refuses to
 * empty one.
 */
export class DisposableOutput {
  /**
   * Empties `outdir` and writes `files` into it.
   *
   * @returns the paths written
   * @throws Error when `outdir` is a Git checkout, a checkout the writer wrote, or holds the working directory
   */
  public static write(outdir: string, files: GeneratedFile[]): string[] {
    DisposableOutput.refuseCheckout(outdir);
    rmSync(outdir, { recursive: true, force: true });
    // Each directory is made once: a tree of thousands of files has a few directories per file.
    const made = new Set<string>();
    return files.map((file) => {
      const problem = CheckoutIndex.pathProblem(file.path);
      if (problem) throw new Error(`DisposableOutput: path '${file.path}' ${problem}`);
      const path = join(outdir, file.path);
      const dir = dirname(path);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      writeFileSync(path, file.content);
      return path;
    });
  }

  /**
   * @throws Error when `outdir` must not be emptied: it is a Git checkout, holds a writer's index, or
   * is the working directory or one of its parents
   */
  public static refuseCheckout(outdir: string): void {
    const fromCwd = relative(resolve(outdir), process.cwd());
    const holdsCwd = fromCwd === '' || (!fromCwd.startsWith('..') && !fromCwd.startsWith(sep) && !/^[A-Za-z]:/.test(fromCwd));
    const checkout = existsSync(join(outdir, '.git')) || existsSync(join(outdir, CheckoutWriter.INDEX_FILE));
    if (holdsCwd || checkout) {
      throw new Error(
        `${outdir} is ${checkout ? 'a checkout' : 'the working directory or one of its parents'}, not a build output: it would be emptied. ` +
          `Write into checkouts with the writer (npx cdk-eks-gitops manifests --into ${outdir}, or PLATFORM_MANIFESTS_DIR=${outdir} npx cdk8s synth), ` +
          'which keeps .git, image tags and every file it did not generate.',
      );
    }
  }
}
