import { join, resolve } from 'path';
import { DEFAULT_CACHE_DIR, UPSTREAM_FILES, upstreamProblems } from '../../scripts/fetch-upstream';

/**
 * Where the tests find the upstream reference files (CRDs, install manifests, policies pinned in
 * scripts/upstream-files.json), in this order:
 *
 * 1. `UPSTREAM_DIR`, when set: it must hold every file, or resolution fails naming what it lacks;
 * 2. `../shared/upstream` beside the repository (this repository's CI);
 * 3. the cache `npm run upstream` fills, `.cache/upstream/`.
 *
 * jest's global setup (test/support/global-setup.ts) resolves once, with the SHA-256 check, fetches
 * into the cache when no location holds the files, and hands its choice to the test files through
 * `UPSTREAM_DIR`.
 */

/** A place the files may be. */
export interface UpstreamCandidate {
  /** How to name it in a message. */
  readonly name: string;
  /** The directory. */
  readonly dir: string;
}

const REPO_ROOT = resolve(__dirname, '..', '..');

/** The cache directory, for messages. */
export const CACHE_NAME = '.cache/upstream';

/** What to do when the files are nowhere. */
export const HOW_TO_GET_THEM =
  'run \'npm run upstream\' where raw.githubusercontent.com is reachable (UPSTREAM_BASE_URL=<mirror> to fetch from a mirror), ' +
  'or set UPSTREAM_DIR to a directory holding the files of scripts/upstream-files.json';

/** The locations after `UPSTREAM_DIR`, in order. */
export function defaultCandidates(): UpstreamCandidate[] {
  return [
    { name: '../shared/upstream', dir: join(REPO_ROOT, '..', 'shared', 'upstream') },
    { name: CACHE_NAME, dir: DEFAULT_CACHE_DIR },
  ];
}

/** The outcome of a resolution: the directory, or why none would do (one line). */
export type UpstreamResolution = { readonly dir: string } | { readonly problem: string };

/** Options of `resolveUpstream`. */
export interface ResolveUpstreamOptions {
  /** The `UPSTREAM_DIR` setting. */
  readonly upstreamDir?: string;
  /** Where to look after it. */
  readonly candidates?: UpstreamCandidate[];
  /** Check each file's SHA-256 too, not only that it exists. */
  readonly verify?: boolean;
}

/** The first location that holds every pinned file. */
export function resolveUpstream(options: ResolveUpstreamOptions = {}): UpstreamResolution {
  const problemsIn = (dir: string) => upstreamProblems(dir, UPSTREAM_FILES, options.verify ?? false);
  if (options.upstreamDir) {
    const problems = problemsIn(options.upstreamDir);
    if (problems.length === 0) return { dir: options.upstreamDir };
    return { problem: `UPSTREAM_DIR=${options.upstreamDir} does not hold the upstream files: ${summary(problems)}` };
  }
  const rejected: string[] = [];
  for (const candidate of options.candidates ?? defaultCandidates()) {
    const problems = problemsIn(candidate.dir);
    if (problems.length === 0) return { dir: candidate.dir };
    rejected.push(`${candidate.name}: ${problems.length === UPSTREAM_FILES.length && problems.every((p) => p.endsWith('missing')) ? 'none there' : summary(problems)}`);
  }
  return { problem: `upstream reference files not found (UPSTREAM_DIR unset; ${rejected.join('; ')})` };
}

function summary(problems: string[]): string {
  return problems.length === 1 ? problems[0] : `${problems[0]} (and ${problems.length - 1} more)`;
}

/** The upstream directory for a test file (its global setup has resolved and checked it). */
export function upstreamDir(): string {
  const resolution = resolveUpstream({ upstreamDir: process.env.UPSTREAM_DIR });
  if ('problem' in resolution) throw new Error(`${resolution.problem}: ${HOW_TO_GET_THEM}`);
  return resolution.dir;
}
