import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { repoPath } from '../fixtures';

/** What `npm pack` made. */
export interface PackedTarball {
  /** The tarball. */
  readonly path: string;
  /** Its size in bytes. */
  readonly size: number;
  /** Every file in it, relative to the package root, bundled dependencies included. */
  readonly files: { path: string; size: number }[];
  /** The bundled dependencies npm put in. */
  readonly bundled: string[];
}

/**
 * Packs the repository with `npm pack`, as `npm publish` would, into a temporary directory. The
 * package is built from build/, so `npm run test:package` compiles first.
 */
export function pack(): PackedTarball {
  if (!existsSync(repoPath('build', 'index.js')) || !existsSync(repoPath('.jsii'))) {
    throw new Error('build/ is missing: run the package tests with `npm run test:package`, which compiles first');
  }
  const destination = mkdtempSync(join(tmpdir(), 'cdk-eks-gitops-pack-'));
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: repoPath(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [report] = JSON.parse(output);
  const path = join(destination, report.filename);
  return { path, size: statSync(path).size, files: report.files, bundled: report.bundled };
}

/** The environment variable naming the file in which test/package/global-setup.ts describes the packed tarball to the test files. */
export const TARBALL_ENV = 'CDK_EKS_GITOPS_PACKED_TARBALL';

/**
 * Files a clone may hold that must never be packed: what a synth, a bench, the tests or CI leave
 * behind, and the sources. The global setup writes them where absent before it packs.
 */
export const PROBES = [
  'cdk.out/probe.template.json',
  'cdk.out.example/probe.template.json',
  'bench-out/probe.json',
  'dist/argocd/probe.yaml',
  '.cache/upstream/probe.yaml',
  'test-reports/probe.xml',
];

/** The tarball the global setup packed for this run. */
export function packed(): PackedTarball {
  const report = process.env[TARBALL_ENV];
  if (!report) throw new Error(`${TARBALL_ENV} is not set: run the package tests with \`npm run test:package\` (test/package/jest.config.json packs in its global setup)`);
  return JSON.parse(readFileSync(report, 'utf8'));
}

/** Versions of the peer dependencies (and cdk-nag) in the repository's lock file. */
export function lockedVersion(name: string): string {
  const lock = JSON.parse(readFileSync(repoPath('package-lock.json'), 'utf8'));
  const entry = lock.packages[`node_modules/${name}`];
  if (!entry) throw new Error(`${name} is not in package-lock.json`);
  return entry.version;
}
