import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

/** The generator named in the index; an index naming another is not ours to read. */
const GENERATOR = 'cdk-eks-gitops';

/** Version of the index format. */
const FORMAT = 1;

/**
 * The record, committed with a checkout, of the files the writer generated there and their
 * fingerprints ({@link OwnedState.fingerprint}). It is how the writer tells its own files from
 * everyone else's: a file in the index may be rewritten or pruned; any other file is left alone.
 * A generated file whose fingerprint no longer matches was edited by hand.
 */
export class CheckoutIndex {
  /**
   * Reads the index of a checkout; an empty index when there is none yet.
   *
   * @throws Error naming the file when it is not an index this writer wrote
   */
  public static read(root: string, indexPath: string): CheckoutIndex {
    const path = join(root, indexPath);
    if (!existsSync(path)) return new CheckoutIndex(new Map());
    const text = readFileSync(path, 'utf8');
    const fix = 'delete it and run the writer again: files that match what the spec generates are taken over, any other is reported';
    let parsed: any;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      // One line, whatever the file holds: JSON.parse quotes the text it stopped at.
      throw new Error(`${path}: not a readable index (${(error as Error).message.replace(/\s*\n\s*/g, ' ')}); ${fix}`);
    }
    if (parsed?.generator !== GENERATOR || parsed.format !== FORMAT || !parsed.files || typeof parsed.files !== 'object') {
      throw new Error(`${path}: not an index of ${GENERATOR} format ${FORMAT} (it needs "generator", "format" and "files"); ${fix}`);
    }
    const files = new Map<string, string>();
    for (const [file, fingerprint] of Object.entries(parsed.files)) {
      const problem = CheckoutIndex.pathProblem(file);
      if (problem || typeof fingerprint !== 'string') {
        throw new Error(`${path}: entry '${file}' ${problem ?? 'has no fingerprint string'}; ${fix}`);
      }
      files.set(file, fingerprint);
    }
    return new CheckoutIndex(files);
  }

  /**
   * Why a path may not be written by the writer, or undefined when it may: it must be relative,
   * use `/`, stay inside the checkout and keep out of `.git`.
   */
  public static pathProblem(path: string): string | undefined {
    const parts = path.split('/');
    if (path === '' || path.startsWith('/') || path.includes('\\')) return 'is not a relative path with / separators';
    if (parts.some((p) => p === '' || p === '.' || p === '..')) return 'has an empty, . or .. segment';
    if (parts[0] === '.git') return 'is inside .git';
    return undefined;
  }

  /**
   * @param files path → fingerprint
   */
  constructor(public readonly files: Map<string, string>) {}

  /** The index file's content: one entry a line, sorted, so its diffs are readable. */
  public render(): string {
    const files = Object.fromEntries([...this.files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const index = {
      generator: GENERATOR,
      format: FORMAT,
      about: 'Files the cdk-eks-gitops writer generated here, with fingerprints of their content (image tags aside). Commit it; the writer reads it to prune files and to find hand edits.',
      files,
    };
    return `${JSON.stringify(index, null, 2)}\n`;
  }
}
