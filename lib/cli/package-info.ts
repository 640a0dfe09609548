import { readFileSync } from 'fs';
import { join } from 'path';
import { gunzipSync } from 'zlib';

/** The parts of the package's own package.json the CLI reads. */
export interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly devDependencies?: { readonly [name: string]: string };
  readonly engines?: { readonly node?: string };
}

/** The package's package.json, two levels up (from lib/cli/ and from build/cli/ alike). */
function packageJson(): PackageJson {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
}

/** The package's own package.json: its name, version, pinned devDependencies and engines. */
export function ownManifest(): PackageJson {
  return packageJson();
}

/** The package's name and version. */
export function packageVersion(): { name: string; version: string } {
  const { name, version } = packageJson();
  return { name, version };
}

/**
 * The version every build of this repository carries until the release pipeline bumps it: the
 * version of no package on the registry, so a dependency on it cannot install.
 */
export const UNRELEASED_VERSION = '0.0.0';

/** The Node versions the package supports (its `engines.node`). */
export function supportedNode(manifest: PackageJson = packageJson()): string {
  return manifest.engines?.node ?? '*';
}

/**
 * The package.json inside a package tarball (what `npm pack` writes: a gzipped tar whose files are
 * under `package/`).
 *
 * @throws Error naming the file when it is not a gzipped tar holding package/package.json
 */
export function tarballManifest(path: string): PackageJson {
  let tar: Buffer;
  try {
    tar = gunzipSync(readFileSync(path));
  } catch (e) {
    throw new Error(`${path} is not a package tarball (a .tgz from npm pack): ${(e as Error).message}`);
  }
  // Each entry: a 512-byte header (name at 0, size in octal at 124, type at 156, ustar prefix at
  // 345), then its content padded to 512 bytes. Two zero blocks end the archive.
  const text = (start: number, length: number) => tar.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const name = text(offset, 100);
    if (!name) break;
    const size = parseInt(text(offset + 124, 12).trim() || '0', 8);
    const prefix = text(offset + 257, 6) === 'ustar' ? text(offset + 345, 155) : '';
    const type = text(offset + 156, 1);
    const fullName = prefix ? `${prefix}/${name}` : name;
    if ((type === '0' || type === '') && fullName === 'package/package.json') {
      return JSON.parse(tar.subarray(offset + 512, offset + 512 + size).toString('utf8'));
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${path} is not a package tarball (a .tgz from npm pack): it holds no package/package.json`);
}

/**
 * The exact versions the package is tested with, as its package.json pins them among its
 * devDependencies (published with it): the versions a new platform repository installs. Read
 * from `manifest` when given (a tarball's), else from the running package's own package.json.
 *
 * @throws Error when one is missing or not an exact version
 */
export function testedVersions(names: string[], manifest: PackageJson = packageJson()): { [name: string]: string } {
  const pinned = manifest.devDependencies ?? {};
  const versions: { [name: string]: string } = {};
  for (const name of names) {
    const version = pinned[name];
    if (!version || !/^\d+\.\d+\.\d+$/.test(version)) {
      throw new Error(`the package.json of cdk-eks-gitops pins no exact version of ${name} (found ${JSON.stringify(version)})`);
    }
    versions[name] = version;
  }
  return versions;
}
