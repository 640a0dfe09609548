import { execFile } from 'child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { promisify } from 'util';
import { repoPath, upstreamPath } from './fixtures';
import { UPSTREAM_FILES } from '../scripts/fetch-upstream';
import { resolveUpstream } from './support/upstream';

const run = promisify(execFile);

/** A directory holding a copy of every upstream file. */
function completeCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'upstream-'));
  for (const file of UPSTREAM_FILES) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    copyFileSync(upstreamPath(file.path), join(dir, file.path));
  }
  return dir;
}

describe('where the tests find the upstream files', () => {
  const shared = completeCopy();
  const cache = completeCopy();
  const empty = mkdtempSync(join(tmpdir(), 'upstream-empty-'));
  const candidates = (sharedDir: string, cacheDir: string) => [
    { name: '../shared/upstream', dir: sharedDir },
    { name: '.cache/upstream', dir: cacheDir },
  ];

  test('UPSTREAM_DIR first, then ../shared/upstream, then the cache', () => {
    const elsewhere = completeCopy();
    expect(resolveUpstream({ upstreamDir: elsewhere, candidates: candidates(shared, cache) })).toEqual({ dir: elsewhere });
    expect(resolveUpstream({ candidates: candidates(shared, cache) })).toEqual({ dir: shared });
    expect(resolveUpstream({ candidates: candidates(empty, cache) })).toEqual({ dir: cache });
  });

  test('a UPSTREAM_DIR without the files is an error naming what it lacks, not a silent fallback', () => {
    const resolution = resolveUpstream({ upstreamDir: empty, candidates: candidates(shared, cache) });
    expect(resolution).toEqual({
      problem: `UPSTREAM_DIR=${empty} does not hold the upstream files: ${UPSTREAM_FILES[0].path} is missing (and ${UPSTREAM_FILES.length - 1} more)`,
    });
  });

  test('with the SHA-256 check, a location holding another version of a file is passed over, and said why', () => {
    const stale = completeCopy();
    writeFileSync(join(stale, UPSTREAM_FILES[3].path), 'other version');
    expect(resolveUpstream({ candidates: candidates(stale, cache), verify: true })).toEqual({ dir: cache });
    expect(resolveUpstream({ candidates: candidates(stale, empty), verify: true })).toEqual({
      problem: `upstream reference files not found (UPSTREAM_DIR unset; ../shared/upstream: ${UPSTREAM_FILES[3].path} differs from its pinned sha256; .cache/upstream: none there)`,
    });
  });
});

describe('the test command without its prerequisites fails with one line saying what to do', () => {
  /** Runs jest on one small suite, with the given environment, and returns how it ended. */
  async function jest(env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
    const args = [repoPath('node_modules', 'jest', 'bin', 'jest.js'), 'test/api.test.ts', '--reporters=default'];
    return run(process.execPath, args, { cwd: repoPath(), env }).then(
      ({ stderr }) => ({ code: 0, stderr }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
  }
  const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

  test('upstream files: a UPSTREAM_DIR without them', async () => {
    const result = await jest({ ...process.env, UPSTREAM_DIR: '/nonexistent/upstream' });
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toEqual([
      expect.stringMatching(/^UPSTREAM_DIR=\/nonexistent\/upstream does not hold the upstream files: .* is missing \(and \d+ more\): run 'npm run upstream' .*UPSTREAM_DIR/),
    ]);
  });

  test('kubectl: not on PATH', async () => {
    // A PATH with node alone.
    const bin = mkdtempSync(join(tmpdir(), 'path-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const result = await jest({ ...process.env, PATH: bin });
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toEqual([expect.stringMatching(/^kubectl is required and was not found on PATH: .*Install it/)]);
  });
});
