import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { dirname } from 'path';
import { pack, PackedTarball } from './pack';
import { repoPath } from '../fixtures';

/** Under 3 MB, bundled dependencies included (it was 232.6 MB with build leftovers packed). */
const MAX_BYTES = 3_000_000;

/** The files of the package itself, outside the bundled dependencies: what a consumer needs. */
const ALLOWED = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^API\.md$/, /^\.jsii$/, /^platform\.schema\.json$/, /^build\/.+\.js$/, /^build\/.+\.d\.ts$/];

/**
 * Files a clone may hold that must never be packed: what a synth, a bench, the tests or CI leave
 * behind, and the sources. The test writes them where absent, so the rules are checked against them.
 */
const PROBES = [
  'cdk.out/probe.template.json',
  'cdk.out.example/probe.template.json',
  'bench-out/probe.json',
  'dist/argocd/probe.yaml',
  '.cache/upstream/probe.yaml',
  'test-reports/probe.xml',
];

describe('the npm tarball', () => {
  const written: string[] = [];
  let tarball: PackedTarball;
  let own: string[];

  beforeAll(() => {
    for (const probe of PROBES) {
      // The outermost directory the probe creates, so cleaning up leaves the clone as it was.
      const created = probe.split('/').map((_, i, parts) => repoPath(...parts.slice(0, i + 1))).find((path) => !existsSync(path));
      if (!created) continue;
      mkdirSync(dirname(repoPath(probe)), { recursive: true });
      writeFileSync(repoPath(probe), 'not for the package\n');
      written.push(created);
    }
    try {
      tarball = pack();
    } finally {
      for (const path of written) rmSync(path, { recursive: true });
    }
    own = tarball.files.map((f) => f.path).filter((p) => !p.startsWith('node_modules/'));
  });

  test(`weighs under ${MAX_BYTES / 1e6} MB`, () => {
    expect(tarball.size).toBeLessThan(MAX_BYTES);
  });

  test('holds only the compiled library, its jsii assembly and its documents', () => {
    expect(own.filter((path) => !ALLOWED.some((pattern) => pattern.test(path)))).toEqual([]);
    for (const path of ['package.json', 'README.md', 'LICENSE', 'API.md', '.jsii', 'platform.schema.json']) {
      expect(own).toContain(path);
    }
  });

  test('main and types name the compiled entry point, and it is packed', () => {
    const manifest = JSON.parse(readFileSync(repoPath('package.json'), 'utf8'));
    expect([manifest.main, manifest.types]).toEqual(['build/index.js', 'build/index.d.ts']);
    expect(own).toEqual(expect.arrayContaining([manifest.main, manifest.types]));
  });

  test('holds no sources, tests, scripts, CI files or build and synth leftovers', () => {
    const forbidden = /^(lib|test|scripts|bin|examples|projenrc|\.ci|\.projen|\.cache|cdk\.out|cdk\.out\.example|bench-out|dist|artifacts|test-reports)\//;
    expect(own.filter((path) => forbidden.test(path) || (path.endsWith('.ts') && !path.endsWith('.d.ts')))).toEqual([]);
  });

  test('every compiled module has its type declarations', () => {
    const js = own.filter((p) => p.endsWith('.js')).map((p) => p.replace(/\.js$/, ''));
    const dts = own.filter((p) => p.endsWith('.d.ts')).map((p) => p.replace(/\.d\.ts$/, ''));
    expect(js.sort()).toEqual(dts.sort());
  });

  test('bundles exactly its runtime dependencies (jsii requires them inside): yaml and the STS client', () => {
    expect(tarball.bundled).toEqual(expect.arrayContaining(['yaml', '@aws-sdk/client-sts']));
    const topLevel = new Set(
      tarball.files
        .filter((f) => f.path.startsWith('node_modules/'))
        .map((f) => f.path.split('/').slice(1, f.path.split('/')[1].startsWith('@') ? 3 : 2).join('/')),
    );
    expect([...topLevel].sort()).toEqual([...tarball.bundled].sort());
  });
});
