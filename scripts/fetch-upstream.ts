// Fetches the upstream reference files the tests validate against (CRDs, install manifests, policies)
// into a cache, from the pinned URLs of scripts/upstream-files.json, and refuses any file whose
// SHA-256 differs from the pinned one.
//
//   npm run upstream                               # into .cache/upstream/
//   npm run upstream -- --cache DIR                # into DIR
//   UPSTREAM_BASE_URL=http://mirror/upstream npm run upstream
//                                                  # from a mirror laid out like the cache: <base>/<path>
import { createHash } from 'crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'fs';
import { dirname, join, relative } from 'path';
import * as pinned from './upstream-files.json';

/** One pinned upstream file. */
export interface UpstreamFile {
  /** Where the file lives in an upstream directory, e.g. `argo-cd-v3.5.1/install.yaml`. */
  readonly path: string;
  /** Its raw.githubusercontent.com URL at the pinned tag. */
  readonly url: string;
  /** SHA-256 of its content, hex. */
  readonly sha256: string;
}

/** Every pinned file. */
export const UPSTREAM_FILES: readonly UpstreamFile[] = pinned.files;

/** The repository's cache of the upstream files (gitignored). */
export const DEFAULT_CACHE_DIR = join(__dirname, '..', '.cache', 'upstream');

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

/**
 * The pinned files a directory lacks, or holds with other content (unless `checkContent` is false),
 * each with what is wrong with it.
 */
export function upstreamProblems(dir: string, files: readonly UpstreamFile[] = UPSTREAM_FILES, checkContent = true): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const path = join(dir, file.path);
    if (!existsSync(path)) problems.push(`${file.path} is missing`);
    else if (checkContent && sha256(readFileSync(path)) !== file.sha256) problems.push(`${file.path} differs from its pinned sha256`);
  }
  return problems;
}

/** Options of `fetchUpstream`. */
export interface FetchOptions {
  /** Directory to fill. */
  readonly cacheDir?: string;
  /** A mirror laid out like the cache, fetched as `<baseUrl>/<path>` instead of the upstream URLs. */
  readonly baseUrl?: string;
  /** How long one request may take, in milliseconds. */
  readonly timeoutMs?: number;
  /** The files. */
  readonly files?: readonly UpstreamFile[];
}

/** What `fetchUpstream` did. */
export interface FetchResult {
  /** Files downloaded and verified. */
  readonly fetched: string[];
  /** Files already in the cache with the pinned content. */
  readonly kept: string[];
}

/** A response this script refuses (an HTTP error, content that is not the pinned file). */
class Refused extends Error {}

/** Why a request failed, in a few words (the error `fetch` throws says only "fetch failed"). */
function reasonOf(error: unknown): string {
  if (error instanceof Refused) return error.message;
  if ((error as Error).name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/**
 * Puts every pinned file into the cache: a file already there with the pinned content is kept, any
 * other is downloaded, checked against its SHA-256 and only then written. Every file is tried.
 *
 * @throws an Error with one line naming each file that could not be fetched, and why
 */
export async function fetchUpstream(options: FetchOptions = {}): Promise<FetchResult> {
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  const files = options.files ?? UPSTREAM_FILES;
  const fetched: string[] = [];
  const kept: string[] = [];
  const failures: Failure[] = [];
  for (const file of files) {
    if (upstreamProblems(cacheDir, [file]).length === 0) {
      kept.push(file.path);
      continue;
    }
    const url = options.baseUrl ? `${options.baseUrl.replace(/\/+$/, '')}/${file.path}` : file.url;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
      if (!response.ok) throw new Refused(`HTTP ${response.status}`);
      const content = Buffer.from(await response.arrayBuffer());
      const actual = sha256(content);
      if (actual !== file.sha256) throw new Refused(`sha256 ${actual}, pinned ${file.sha256}: refused`);
      const path = join(cacheDir, file.path);
      mkdirSync(dirname(path), { recursive: true });
      // Written whole under another name first, so an interrupted run leaves no partial file.
      const partial = `${path}.partial-${process.pid}`;
      writeFileSync(partial, content);
      renameSync(partial, path);
      fetched.push(file.path);
    } catch (error) {
      failures.push({ path: file.path, url, reason: reasonOf(error) });
    }
  }
  if (failures.length > 0) {
    throw new Error(`${failures.length} of ${files.length} upstream files could not be fetched: ${describeFailures(failures)}`);
  }
  return { fetched, kept };
}

/** One file that could not be fetched. */
interface Failure {
  readonly path: string;
  readonly url: string;
  readonly reason: string;
}

/** Reasons that say the network, not the file, is the problem. */
const NETWORK_REASONS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ENETUNREACH', 'EHOSTUNREACH', 'ETIMEDOUT', 'timed out']);

/**
 * The failures in one line. Each file is named with its URL and reason, except when several fail
 * for the same network reason (a machine offline gives all of them the same one): then the reason is
 * said once, with the first file, and where else the tests look for the files.
 */
export function describeFailures(failures: readonly Failure[]): string {
  const reasons = new Set(failures.map((f) => f.reason));
  const [first] = failures;
  if (failures.length > 1 && reasons.size === 1 && NETWORK_REASONS.has(first.reason)) {
    return (
      `${first.reason} for every one (the first: ${first.path} from ${first.url}); ` +
      'no network? Put the files in $UPSTREAM_DIR or ../shared/upstream instead, laid out as scripts/upstream-files.json names them'
    );
  }
  return failures.map((f) => `${f.path} from ${f.url}: ${f.reason}`).join('; ');
}

/** The command line: `tsx scripts/fetch-upstream.ts [--cache DIR]`. */
async function main(args: string[]): Promise<void> {
  let cacheDir = DEFAULT_CACHE_DIR;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--cache' && args[i + 1]) cacheDir = args[++i];
    else throw new Error(`unknown argument '${args[i]}': the only option is --cache DIR`);
  }
  const baseUrl = process.env.UPSTREAM_BASE_URL || undefined;
  const result = await fetchUpstream({ cacheDir, baseUrl });
  const where = relative(process.cwd(), cacheDir) || '.';
  console.log(`upstream: ${result.fetched.length + result.kept.length} files in ${where} (${result.fetched.length} fetched, ${result.kept.length} already there)`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: Error) => {
    process.stderr.write(`fetch-upstream: ${error.message}\n`);
    process.exitCode = 1;
  });
}

