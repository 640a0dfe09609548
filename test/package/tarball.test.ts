import { existsSync, readFileSync } from 'fs';
import { packed, PackedTarball } from './pack';
import { tarballManifest } from '../../lib/cli/package-info';
import { repoPath } from '../fixtures';

/** Under 3 MB, bundled dependencies included (it was 232.6 MB with build leftovers packed). */
const MAX_BYTES = 3_000_000;

/** The files of the package itself, outside the bundled dependencies: what a consumer needs. */
const ALLOWED = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^API\.md$/, /^\.jsii$/, /^platform\.schema\.json$/, /^build\/.+\.js$/, /^build\/.+\.d\.ts$/];

describe('the npm tarball', () => {
  let tarball: PackedTarball;
  let own: string[];
  let manifest: any;

  beforeAll(() => {
    // The tarball the global setup packed, with the probes of PROBES written in the clone.
    tarball = packed();
    own = tarball.files.map((f) => f.path).filter((p) => !p.startsWith('node_modules/'));
    manifest = tarballManifest(tarball.path);
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

  test('its package.json holds what a consumer reads, not the clone\'s scripts, jest configuration, overrides or devEngines', () => {
    const clone = JSON.parse(readFileSync(repoPath('package.json'), 'utf8'));
    // The clone's package.json has them (npm test, npm run synth ...), and the packed one has not.
    expect(Object.keys(clone)).toEqual(expect.arrayContaining(['scripts', 'jest', 'overrides', 'devEngines']));
    expect(Object.keys(manifest).filter((field) => ['scripts', 'jest', 'overrides', 'devEngines'].includes(field))).toEqual([]);
    // Everything else is as in the clone: the versions init pins come from devDependencies.
    const { scripts, jest, overrides, devEngines, ...rest } = clone;
    expect(manifest).toEqual(rest);
    // And the pack put the clone's package.json back, and left no copy of it.
    expect(scripts.prepack).toBe('node scripts/package-manifest.js strip');
    expect(existsSync(repoPath('.package.json.unpacked'))).toBe(false);
  });
});
