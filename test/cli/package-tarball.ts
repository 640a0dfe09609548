import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { repoPath } from '../fixtures';

/**
 * A package tarball as `npm pack` lays it out (a gzipped tar of package/), made with tar: this
 * repository's package.json at `version`, with `changes` to it. `init --package` reads only its
 * package.json and copies the file; the package test (test/package/) runs init with the real
 * packed package.
 */
export function tarballOf(version: string, changes: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tarball-'));
  mkdirSync(join(dir, 'package'));
  const manifest = { ...JSON.parse(readFileSync(repoPath('package.json'), 'utf8')), version, ...changes };
  writeFileSync(join(dir, 'package', 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'package', 'README.md'), '# the package\n');
  const name = `${manifest.name}-${version}.tgz`;
  execFileSync('tar', ['-czf', name, 'package'], { cwd: dir });
  return join(dir, name);
}
