import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync, chmodSync } from 'fs';
import { basename, dirname, join, resolve } from 'path';
import { CheckoutIndex } from './checkout-index';
import type { GeneratedFile } from './generated-file';
import { OwnedState } from './owned-state';
import { unifiedDiff } from './unified-diff';

/** Options of a {@link CheckoutWriter}. */
export interface CheckoutWriterProps {
  /**
   * The checkout to write into: an existing directory, usually a Git working tree (the manifest
   * repository, or an application repository).
   */
  readonly directory: string;

  /** The files the spec generates there, with paths relative to the checkout root. */
  readonly files: GeneratedFile[];

  /**
   * Path of the index file, relative to the checkout root.
   *
   * @default CheckoutWriter.INDEX_FILE
   */
  readonly indexFile?: string;

  /**
   * Overwrite (or prune) generated files that were edited by hand, instead of refusing.
   *
   * @default false
   */
  readonly force?: boolean;

  /**
   * Take over files at generated paths that the writer did not generate (they are replaced, and
   * from then on generated), instead of refusing them or giving way to them (`yieldTo`).
   *
   * @default false
   */
  readonly adopt?: boolean;

  /**
   * Generated files that give way to a file of the checkout's own: when a file the writer did not
   * generate is at the key's path (a repository created on GitHub with its README), the generated
   * file is written at the value's path instead, and the checkout's file is left as it is.
   *
   * @default - none: a file the writer did not generate at a generated path is refused
   */
  readonly yieldTo?: { readonly [path: string]: string };
}

/** A file the writer will not write without `force`, or cannot write at all. */
export interface CheckoutConflict {
  /** Path relative to the checkout root. */
  readonly path: string;
  /** What is wrong, as a user reads it. */
  readonly reason: string;
  /** Whether `force` overwrites it: a generated file edited by hand. */
  readonly forceable: boolean;
  /**
   * Whether `adopt` takes it over: a file at a generated path that the writer did not generate (a
   * directory or a symbolic link in the way is never overwritten).
   */
  readonly adoptable: boolean;
}

/** What writing would do to a checkout, path by path (relative to the checkout root, sorted). */
export interface CheckoutPlan {
  /** The checkout, as an absolute path. */
  readonly directory: string;
  /** Generated files that do not exist yet. */
  readonly added: string[];
  /** Generated files whose content changes. */
  readonly changed: string[];
  /** Files generated earlier (in the index) that the spec no longer generates. */
  readonly removed: string[];
  /** Generated files already as the spec says (their owned state aside). */
  readonly unchanged: string[];
  /** Files beside the generated ones that the writer did not generate and leaves as they are. */
  readonly kept: string[];
  /** State others own that the writer keeps, as `path: app v1.4.2, web v1.4.2`. */
  readonly keptState: string[];
  /** Hand-edited generated files that `force` overwrites or prunes (also in `changed`/`removed`). */
  readonly forced: string[];
  /** Files the writer did not generate that `adopt` takes over (also in `changed`). */
  readonly adopted: string[];
  /**
   * Generated files that gave way to a file of the checkout's own (`yieldTo`), as `path -> other path`:
   * the file at `path` is kept, the generated one written at the other path.
   */
  readonly yielded: string[];
  /** Files the writer refuses to write (writing fails while there are any). */
  readonly conflicts: CheckoutConflict[];
  /** Whether the index file changes. */
  readonly indexChanged: boolean;
  /** The index file, relative to the checkout root ({@link CheckoutWriterProps.indexFile}). */
  readonly indexFile: string;
}

/** One change to make: write `content` at `path`, or remove it when `content` is undefined. */
interface FileChange {
  readonly path: string;
  readonly content?: string;
  /** The file's bytes when planned (undefined: absent); checked again right before it is replaced. */
  readonly before?: string;
  /** The file's mode, kept when it is replaced. */
  readonly mode?: number;
}

/** How to undo one step of a swap. */
type Undo = () => void;

/** A swap in progress: staged files, the originals moved aside, and how to undo each step. */
interface Transaction {
  readonly stageDir: string;
  readonly undo: Undo[];
}

/**
 * Writes generated files into a living checkout (the manifest repository, or an application
 * repository) without losing anything that is not the writer's:
 *
 * - `.git` and every file the writer did not generate are never changed or deleted;
 * - an index file committed with the tree ({@link CheckoutWriter.INDEX_FILE}) records what was
 *   generated, with fingerprints, so files the spec no longer generates (a removed app) are pruned;
 * - state others own ({@link OwnedState}: image tags moved by the release workflow or Image Updater)
 *   is kept;
 * - a generated file edited by hand is not overwritten (nor a file at a generated path that the
 *   writer did not generate) unless `force`;
 * - everything is staged first and then swapped in; an error, or the checkout changing under the
 *   writer, rolls every step back, so the checkout is either fully written or byte-for-byte as it was.
 *
 * ```ts
 * const writer = new CheckoutWriter({ directory: '../manifests', files: new ManifestRepository(platform).manifestFiles() });
 * writer.plan();   // what would change
 * writer.diff();   // the drift, as a unified diff ('' when up to date)
 * writer.apply();  // write it
 * ```
 */
export class CheckoutWriter {
  /** The index file, at the root of the checkout. */
  public static readonly INDEX_FILE = '.cdk-eks-gitops.json';

  /**
   * Writes several checkouts as one: every plan is made (and every conflict reported) before any is
   * written, and a failure in one rolls back the others.
   *
   * @returns the plans that were carried out
   * @throws Error listing every conflict, or the error that stopped the swap (after rolling back)
   */
  public static applyAll(writers: CheckoutWriter[]): CheckoutPlan[] {
    const plans = writers.map((w) => w.plan());
    const blocked = writers.filter((w) => w.plan().conflicts.length);
    if (blocked.length) throw new Error(blocked.map((w) => w.conflictMessage()).join('\n\n'));

    const transactions: Transaction[] = [];
    try {
      for (const writer of writers) transactions.push(writer.stage());
      withSignalsDeferred(() => writers.forEach((writer, i) => writer.swap(transactions[i])));
    } catch (error) {
      const failures = transactions.flatMap((t) => rollBack(t));
      if (failures.length) {
        const kept = transactions.map((t) => t.stageDir).join(', ');
        throw new Error(`${(error as Error).message}\nRolling back failed too (${failures.join('; ')}); the originals are in ${kept}`);
      }
      throw error;
    } finally {
      for (const t of transactions) if (existsSync(t.stageDir)) rmSync(t.stageDir, { recursive: true, force: true });
    }
    writers.forEach((w) => (w.cached = undefined));
    return plans;
  }

  /** The checkout, as an absolute path. */
  public readonly directory: string;
  private readonly indexFile: string;
  private readonly force: boolean;
  private readonly adopt: boolean;
  private readonly yieldTo: { readonly [path: string]: string };
  private readonly generated: Map<string, string>;
  private cached?: { plan: CheckoutPlan; changes: FileChange[]; diffs: [string, string | undefined, string | undefined][]; createdDirs: string[] };

  /**
   * @throws Error naming a generated path that is not a plain relative path inside the checkout
   */
  constructor(props: CheckoutWriterProps) {
    this.directory = resolve(props.directory);
    this.indexFile = props.indexFile ?? CheckoutWriter.INDEX_FILE;
    this.force = props.force ?? false;
    this.adopt = props.adopt ?? false;
    this.yieldTo = props.yieldTo ?? {};
    this.generated = new Map();
    for (const file of [...props.files].sort((a, b) => compare(a.path, b.path))) {
      const problem = CheckoutIndex.pathProblem(file.path) ?? (file.path === this.indexFile ? 'is the index file' : undefined);
      if (problem) throw new Error(`CheckoutWriter: generated path '${file.path}' ${problem}`);
      if (this.generated.has(file.path)) throw new Error(`CheckoutWriter: two generated files at ${file.path}`);
      this.generated.set(file.path, file.content);
    }
    for (const [path, other] of Object.entries(this.yieldTo)) {
      const problem = CheckoutIndex.pathProblem(other) ?? (other === this.indexFile ? 'is the index file' : undefined);
      if (problem) throw new Error(`CheckoutWriter: yieldTo path '${other}' ${problem}`);
      if (this.generated.has(other)) throw new Error(`CheckoutWriter: ${path} would give way to ${other}, which is generated too`);
    }
  }

  /**
   * What writing would do, without writing anything. The plan is kept: {@link apply} carries out
   * exactly this plan, and refuses if a file it replaces changed since.
   *
   * @throws Error when the directory does not exist or its index cannot be read
   */
  public plan(): CheckoutPlan {
    if (!this.cached) this.cached = this.makePlan();
    return this.cached.plan;
  }

  /**
   * The difference between the checkout and what the spec produces (files to add, change or prune,
   * hand edits, and the index), as a unified diff; '' when the checkout is up to date. Files others
   * own state in are compared with that state kept, so a moved tag is no drift.
   */
  public diff(): string {
    this.plan();
    return this.cached!.diffs.map(([path, before, after]) => unifiedDiff(path, before, after)).join('');
  }

  /** Whether the checkout is what the spec produces: nothing to add, change or prune, no conflict. */
  public upToDate(): boolean {
    const p = this.plan();
    return !p.added.length && !p.changed.length && !p.removed.length && !p.conflicts.length && !p.indexChanged;
  }

  /**
   * Writes the plan into the checkout: staged first, then swapped in; on any error every step is
   * rolled back.
   *
   * @returns the plan carried out
   * @throws Error naming every conflicting file (hand edits need `force`), or the error that
   * stopped the swap
   */
  public apply(): CheckoutPlan {
    return CheckoutWriter.applyAll([this])[0];
  }

  /** The message for a plan with conflicts: each file and why, and what to do. */
  private conflictMessage(): string {
    const { conflicts } = this.plan();
    const lines = conflicts.map((c) => `  - ${c.path}: ${c.reason}`);
    const advice = [
      ...(conflicts.some((c) => c.forceable)
        ? ['Put the hand edits into the platform spec (or into a file of your own), or run again with --force to overwrite the files edited by hand.']
        : []),
      ...(conflicts.some((c) => c.adoptable)
        ? ['Move the files the writer did not generate out of the way, or run again with --adopt to replace them with the generated ones.']
        : []),
      ...(conflicts.some((c) => !c.forceable && !c.adoptable) ? ['Move what is in the way, then run again.'] : []),
    ];
    return [
      `${this.directory}: ${conflicts.length} file${conflicts.length === 1 ? '' : 's'} the writer will not overwrite; nothing was written`,
      ...lines,
      ...advice,
    ].join('\n');
  }

  private makePlan() {
    const root = this.directory;
    if (!existsSync(root) || !statSync(root).isDirectory()) {
      throw new Error(`${root} is not a directory: clone the repository there first (git clone URL ${root}), or create it with git init`);
    }
    const index = CheckoutIndex.read(root, this.indexFile);
    const { generated, yielded } = this.placed(root, index);
    const added: string[] = [];
    const changed: string[] = [];
    const removed: string[] = [];
    const unchanged: string[] = [];
    const keptState: string[] = [];
    const forced: string[] = [];
    const adopted: string[] = [];
    const conflicts: CheckoutConflict[] = [];
    const changes: FileChange[] = [];
    const diffs: [string, string | undefined, string | undefined][] = [];
    const dirs = new Map<string, DirState>();
    const createdDirs = new Set<string>();

    const conflict = (path: string, reason: string, forceable: boolean) => {
      if (forceable && this.force) {
        forced.push(path);
        return false;
      }
      conflicts.push({ path, reason, forceable, adoptable: false });
      return true;
    };

    for (const [path, content] of generated) {
      const blocker = ancestorProblem(root, path, dirs);
      if (blocker) {
        conflicts.push({ path, reason: blocker, forceable: false, adoptable: false });
        continue;
      }
      const entry = lstatOrUndefined(join(root, path));
      if (!entry) {
        added.push(path);
        changes.push({ path, content });
        diffs.push([path, undefined, content]);
        for (let dir = dirname(path); dir !== '.' && dirs.get(dir) === 'absent'; dir = dirname(dir)) createdDirs.add(dir);
        continue;
      }
      if (!entry.isFile()) {
        conflicts.push({ path, reason: `is ${entry.isDirectory() ? 'a directory' : entry.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; the writer generates a file there`, forceable: false, adoptable: false });
        continue;
      }
      const current = readFileSync(join(root, path), 'utf8');
      const target = current === content ? content : OwnedState.keep(path, content, current);
      const state = OwnedState.describe(path, content, current);
      if (state.length) keptState.push(`${path}: ${state.join(', ')}`);
      if (current === target || OwnedState.equivalent(path, target, current)) {
        unchanged.push(path);
        continue;
      }
      const known = index.files.get(path);
      diffs.push([path, current, target]);
      if (known === undefined) {
        if (!this.adopt) {
          conflicts.push({ path, reason: 'exists, and the writer did not generate it (it is not in the index); move it away, or take it over with --adopt', forceable: false, adoptable: true });
          continue;
        }
        adopted.push(path);
      }
      if (known !== undefined && !OwnedState.matches(path, known, current) && conflict(path, 'was edited by hand since the writer generated it', true)) continue;
      changed.push(path);
      changes.push({ path, content: target, before: current, mode: entry.mode % 0o10000 });
    }

    for (const [path, fingerprint] of index.files) {
      if (generated.has(path)) continue;
      const entry = lstatOrUndefined(join(root, path));
      if (!entry?.isFile() || ancestorProblem(root, path, dirs)) continue; // gone already, or no longer ours to touch
      const current = readFileSync(join(root, path), 'utf8');
      diffs.push([path, current, undefined]);
      if (!OwnedState.matches(path, fingerprint, current) && conflict(path, 'was edited by hand since the writer generated it, and the spec no longer generates it', true)) continue;
      removed.push(path);
      changes.push({ path, before: current });
    }

    const indexPath = join(root, this.indexFile);
    const currentIndex = existsSync(indexPath) ? readFileSync(indexPath, 'utf8') : undefined;
    const fingerprints = [...generated].map(([path, content]) => [path, OwnedState.fingerprint(path, content)] as [string, string]);
    const nextIndex = new CheckoutIndex(new Map(fingerprints)).render();
    const indexChanged = currentIndex !== nextIndex;
    if (indexChanged) {
      changes.push({ path: this.indexFile, content: nextIndex, before: currentIndex });
      diffs.push([this.indexFile, currentIndex, nextIndex]);
    }

    const plan: CheckoutPlan = {
      directory: root,
      added,
      changed,
      removed,
      unchanged,
      kept: this.keptFiles(index, generated),
      keptState,
      forced,
      adopted,
      yielded,
      conflicts,
      indexChanged,
      indexFile: this.indexFile,
    };
    return { plan, changes, diffs, createdDirs: [...createdDirs].sort((a, b) => a.length - b.length) };
  }

  /**
   * Where each generated file goes: at its path, or, when it gives way to a file of the checkout's
   * own (`yieldTo`, unless `adopt`), at the other path. A file at the path that the writer generated
   * earlier (in the index), or that is exactly the generated file, is no reason to give way.
   */
  private placed(root: string, index: CheckoutIndex): { generated: Map<string, string>; yielded: string[] } {
    const generated = new Map(this.generated);
    const yielded: string[] = [];
    if (this.adopt) return { generated, yielded };
    for (const [path, other] of Object.entries(this.yieldTo)) {
      const content = generated.get(path);
      if (content === undefined || index.files.has(path) || ancestorProblem(root, path, new Map())) continue;
      const entry = lstatOrUndefined(join(root, path));
      if (!entry?.isFile() || readFileSync(join(root, path), 'utf8') === content) continue;
      generated.delete(path);
      generated.set(other, content);
      yielded.push(`${path} -> ${other}`);
    }
    return { generated: new Map([...generated].sort(([a], [b]) => compare(a, b))), yielded };
  }

  /** Files in the directories the writer writes to (or wrote to) that it did not generate. */
  private keptFiles(index: CheckoutIndex, generated: Map<string, string>): string[] {
    const dirs = new Set<string>();
    for (const path of [...generated.keys(), ...index.files.keys()]) dirs.add(dirname(path));
    const kept: string[] = [];
    for (const dir of dirs) {
      const absolute = join(this.directory, dir);
      const entry = lstatOrUndefined(absolute);
      if (!entry?.isDirectory()) continue;
      for (const child of readdirSync(absolute, { withFileTypes: true })) {
        if (child.isDirectory()) continue;
        const path = dir === '.' ? child.name : `${dir}/${child.name}`;
        if (path !== this.indexFile && !generated.has(path) && !index.files.has(path)) kept.push(path);
      }
    }
    return kept.sort(compare);
  }

  /**
   * Writes every new content into a staging directory beside the checkout (on the same file system,
   * so each swap is a rename). The checkout is not touched.
   */
  private stage(): Transaction {
    this.plan();
    const { changes } = this.cached!;
    let stageDir = mkdtempSync(join(dirname(this.directory), `.${basename(this.directory)}.cdk-eks-gitops-`));
    if (statSync(stageDir).dev !== statSync(this.directory).dev) {
      // The checkout is a mount point of its own: stage inside it, so renames stay atomic.
      rmSync(stageDir, { recursive: true, force: true });
      stageDir = mkdtempSync(join(this.directory, '.cdk-eks-gitops-staging-'));
    }
    mkdirSync(join(stageDir, 'new'));
    mkdirSync(join(stageDir, 'old'));
    changes.forEach((change, i) => {
      if (change.content === undefined) return;
      const staged = join(stageDir, 'new', String(i));
      writeFileSync(staged, change.content);
      if (change.mode !== undefined) chmodSync(staged, change.mode);
    });
    return { stageDir, undo: [] };
  }

  /**
   * Swaps the staged files in, recording how to undo each step. Each file is checked right before
   * it is replaced: if it changed since the plan, the swap stops (and is rolled back by the caller).
   */
  private swap(transaction: Transaction): void {
    const { changes, createdDirs } = this.cached!;
    const { stageDir, undo } = transaction;
    for (const dir of createdDirs) {
      const absolute = join(this.directory, dir);
      if (existsSync(absolute)) continue;
      mkdirSync(absolute);
      undo.push(() => rmdirSync(absolute));
    }
    const emptied = new Set<string>();
    changes.forEach((change, i) => {
      const target = join(this.directory, change.path);
      const now = lstatOrUndefined(target)?.isFile() ? readFileSync(target, 'utf8') : lstatOrUndefined(target) ? null : undefined;
      if (now !== change.before) {
        throw new Error(`${target} changed while the writer was writing (after it planned); nothing was written. Run the writer again.`);
      }
      if (change.before !== undefined) {
        const old = join(stageDir, 'old', String(i));
        renameSync(target, old);
        undo.push(() => renameSync(old, target));
      }
      if (change.content === undefined) {
        emptied.add(dirname(change.path));
        return;
      }
      const staged = join(stageDir, 'new', String(i));
      renameSync(staged, target);
      undo.push(() => renameSync(target, staged));
    });
    // Directories that pruning left empty go too (never the root, never one with anything left in it).
    const candidates = [...emptied].flatMap((dir) => ancestors(dir)).filter((d, i, all) => all.indexOf(d) === i);
    for (const dir of candidates.sort((a, b) => b.length - a.length)) {
      const absolute = join(this.directory, dir);
      if (!lstatOrUndefined(absolute)?.isDirectory() || readdirSync(absolute).length) continue;
      const mode = statSync(absolute).mode % 0o10000;
      rmdirSync(absolute);
      undo.push(() => {
        mkdirSync(absolute);
        chmodSync(absolute, mode);
      });
    }
  }
}

type DirState = 'dir' | 'absent' | string;

/**
 * Why the directories above `path` keep the writer from writing there (one is a file or a symbolic
 * link), or undefined. Records each directory's state in `dirs`.
 */
function ancestorProblem(root: string, path: string, dirs: Map<string, DirState>): string | undefined {
  const parents = ancestors(dirname(path)).reverse();
  for (const dir of parents) {
    let state = dirs.get(dir);
    if (state === undefined) {
      const entry = lstatOrUndefined(join(root, dir));
      state = !entry ? 'absent' : entry.isDirectory() ? 'dir' : `${dir} is ${entry.isSymbolicLink() ? 'a symbolic link' : 'a file'}, where the writer needs a directory`;
      dirs.set(dir, state);
    }
    if (state === 'absent') {
      // Everything below an absent directory is absent too.
      for (const below of parents.slice(parents.indexOf(dir) + 1)) dirs.set(below, 'absent');
      return undefined;
    }
    if (state !== 'dir') return state;
  }
  return undefined;
}

/** `a/b/c` → `['a/b/c', 'a/b', 'a']`; `.` → `[]`. */
function ancestors(dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; d !== '.' && d !== ''; d = dirname(d)) out.push(d);
  return out;
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Undoes a transaction's steps in reverse; returns what could not be undone. */
function rollBack(transaction: Transaction): string[] {
  const failures: string[] = [];
  for (const undo of [...transaction.undo].reverse()) {
    try {
      undo();
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  transaction.undo.length = 0;
  return failures;
}

/** Signals held back while a swap runs, and the first one received meanwhile. */
const DEFERRED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const deferral: { listening: boolean; received?: NodeJS.Signals } = { listening: false };
const holdSignal = (signal: NodeJS.Signals) => (deferral.received = deferral.received ?? signal);

/**
 * Runs `fn` with SIGINT, SIGTERM and SIGHUP held back. The swap is synchronous, so a signal with a
 * listener is only handled once it is over, instead of killing the process halfway through; the
 * listeners stay until the event loop has delivered such a signal, which is then raised again.
 */
function withSignalsDeferred(fn: () => void): void {
  if (!deferral.listening) {
    DEFERRED_SIGNALS.forEach((s) => process.on(s, holdSignal));
    deferral.listening = true;
    setImmediate(() => {
      DEFERRED_SIGNALS.forEach((s) => process.removeListener(s, holdSignal));
      deferral.listening = false;
      const signal = deferral.received;
      deferral.received = undefined;
      if (signal) process.kill(process.pid, signal);
    });
  }
  fn();
}

/** Byte order, as Git sorts paths (stable across locales). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
