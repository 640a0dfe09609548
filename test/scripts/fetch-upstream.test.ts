import { execFile } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import { describeFailures, fetchUpstream, UPSTREAM_FILES, upstreamProblems } from '../../scripts/fetch-upstream';
import { repoPath, upstreamPath } from '../fixtures';

const run = promisify(execFile);

/**
 * A real HTTP server on 127.0.0.1, laid out like the cache (`/<path>`), serving the upstream files
 * the tests use; `override` replaces what one path answers.
 */
class Mirror {
  public readonly requests: string[] = [];
  public readonly override = new Map<string, { status: number; body: string }>();
  private readonly server: Server;

  constructor() {
    this.server = createServer((request, response) => {
      const path = decodeURIComponent(request.url!.slice(1));
      this.requests.push(path);
      const replaced = this.override.get(path);
      if (replaced) {
        response.writeHead(replaced.status).end(replaced.body);
      } else if (UPSTREAM_FILES.some((f) => f.path === path)) {
        response.writeHead(200).end(readFileSync(upstreamPath(path)));
      } else {
        response.writeHead(404).end();
      }
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((done) => this.server.close(() => done()));
  }
}

const emptyDir = () => mkdtempSync(join(tmpdir(), 'upstream-cache-'));
const ONE = UPSTREAM_FILES.find((f) => f.path === 'aws-load-balancer-controller-v3.5.0/iam_policy.json')!;

describe('scripts/fetch-upstream.ts over real HTTP', () => {
  const mirror = new Mirror();
  let baseUrl: string;
  beforeAll(async () => {
    baseUrl = await mirror.start();
  });
  afterAll(() => mirror.stop());
  beforeEach(() => {
    mirror.requests.length = 0;
    mirror.override.clear();
  });

  test('fills an empty cache with every pinned file, then keeps them: a second run downloads nothing', async () => {
    const cacheDir = emptyDir();
    const first = await fetchUpstream({ cacheDir, baseUrl });
    expect(first.fetched).toHaveLength(UPSTREAM_FILES.length);
    expect(mirror.requests.sort()).toEqual(UPSTREAM_FILES.map((f) => f.path).sort());
    expect(upstreamProblems(cacheDir)).toEqual([]);

    mirror.requests.length = 0;
    const second = await fetchUpstream({ cacheDir, baseUrl });
    expect(second).toEqual({ fetched: [], kept: UPSTREAM_FILES.map((f) => f.path) });
    expect(mirror.requests).toEqual([]);
  });

  test('a cached file whose content changed is downloaded again', async () => {
    const cacheDir = emptyDir();
    await fetchUpstream({ cacheDir, baseUrl });
    writeFileSync(join(cacheDir, ONE.path), '{}');
    expect(upstreamProblems(cacheDir)).toEqual([`${ONE.path} differs from its pinned sha256`]);
    const result = await fetchUpstream({ cacheDir, baseUrl });
    expect(result.fetched).toEqual([ONE.path]);
    expect(upstreamProblems(cacheDir)).toEqual([]);
  });

  test('content that is not the pinned file is refused and never written; the other files still arrive', async () => {
    // GIVEN a mirror that serves a tampered policy
    const cacheDir = emptyDir();
    const tampered = readFileSync(upstreamPath(ONE.path), 'utf8').replace('"Effect": "Allow"', '"Effect": "Deny"');
    mirror.override.set(ONE.path, { status: 200, body: tampered });
    // WHEN the cache is filled THEN the run fails naming the file, both sums and the refusal
    await expect(fetchUpstream({ cacheDir, baseUrl })).rejects.toThrow(
      new RegExp(`^1 of ${UPSTREAM_FILES.length} upstream files could not be fetched: ${ONE.path} from ${baseUrl}${ONE.path}: sha256 [0-9a-f]{64}, pinned ${ONE.sha256}: refused$`),
    );
    // AND the tampered file is nowhere in the cache, not even partially
    expect(existsSync(join(cacheDir, ONE.path))).toBe(false);
    expect((readdirSync(cacheDir, { recursive: true }) as string[]).filter((f) => f.includes('iam_policy') || f.includes('.partial'))).toEqual([]);
    expect(upstreamProblems(cacheDir)).toEqual([`${ONE.path} is missing`]);
  });

  test('an HTTP error names the file, the URL and the status', async () => {
    mirror.override.set(ONE.path, { status: 404, body: 'Not Found' });
    await expect(fetchUpstream({ cacheDir: emptyDir(), baseUrl })).rejects.toThrow(`${ONE.path} from ${baseUrl}${ONE.path}: HTTP 404`);
  });

  test('an unreachable server is named with the reason', async () => {
    const closed = new Mirror();
    const closedUrl = await closed.start();
    await closed.stop();
    await expect(fetchUpstream({ cacheDir: emptyDir(), baseUrl: closedUrl, files: [ONE] })).rejects.toThrow(
      `1 of 1 upstream files could not be fetched: ${ONE.path} from ${closedUrl}${ONE.path}: ECONNREFUSED`,
    );
  });

  test('offline, every file failing for the same network reason is one short line naming the reason once', async () => {
    const closed = new Mirror();
    const closedUrl = await closed.start();
    await closed.stop();
    const failure = await fetchUpstream({ cacheDir: emptyDir(), baseUrl: closedUrl }).then(
      () => undefined,
      (error: Error) => error,
    );
    const n = UPSTREAM_FILES.length;
    expect(failure?.message).toBe(
      `${n} of ${n} upstream files could not be fetched: ECONNREFUSED for every one (the first: ${UPSTREAM_FILES[0].path} from ${closedUrl}${UPSTREAM_FILES[0].path}); ` +
        'no network? Put the files in $UPSTREAM_DIR or ../shared/upstream instead, laid out as scripts/upstream-files.json names them',
    );
    expect(failure!.message.length).toBeLessThan(400);
  });

  test('failures for different reasons are each named', () => {
    expect(
      describeFailures([
        { path: 'a.yaml', url: 'https://x/a.yaml', reason: 'ENOTFOUND' },
        { path: 'b.yaml', url: 'https://x/b.yaml', reason: 'HTTP 404' },
      ]),
    ).toBe('a.yaml from https://x/a.yaml: ENOTFOUND; b.yaml from https://x/b.yaml: HTTP 404');
  });

  describe('the command line (npm run upstream)', () => {
    const script = (cacheDir: string) =>
      run(repoPath('node_modules', '.bin', 'tsx'), ['scripts/fetch-upstream.ts', '--cache', cacheDir], {
        cwd: repoPath(),
        env: { ...process.env, UPSTREAM_BASE_URL: baseUrl },
      });

    test('fetches from UPSTREAM_BASE_URL into --cache and says what it did', async () => {
      const cacheDir = emptyDir();
      const { stdout } = await script(cacheDir);
      expect(stdout).toMatch(new RegExp(`^upstream: ${UPSTREAM_FILES.length} files in \\S+ \\(${UPSTREAM_FILES.length} fetched, 0 already there\\)\\n$`));
      expect(upstreamProblems(cacheDir)).toEqual([]);
    });

    test('exits 1 with one line when a file is refused', async () => {
      mirror.override.set(ONE.path, { status: 200, body: '{}' });
      const failure = await script(emptyDir()).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toMatch(new RegExp(`^fetch-upstream: 1 of ${UPSTREAM_FILES.length} upstream files could not be fetched: ${ONE.path} from .*: refused\\n$`));
    });
  });
});
