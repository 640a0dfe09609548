import { readFileSync } from 'fs';
import { join } from 'path';

/** The parts of the package's own package.json the CLI reads. */
interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly devDependencies?: { readonly [name: string]: string };
  readonly engines?: { readonly node?: string };
}

/** The package's package.json, two levels up (from lib/cli/ and from build/cli/ alike). */
function packageJson(): PackageJson {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
}

/** The package's name and version. */
export function packageVersion(): { name: string; version: string } {
  const { name, version } = packageJson();
  return { name, version };
}

/** The Node versions the package supports (its `engines.node`). */
export function supportedNode(): string {
  return packageJson().engines?.node ?? '*';
}

/**
 * The exact versions the package is tested with, as its package.json pins them among its
 * devDependencies (published with it): the versions a new platform repository installs.
 *
 * @throws Error when one is missing or not an exact version
 */
export function testedVersions(names: string[]): { [name: string]: string } {
  const pinned = packageJson().devDependencies ?? {};
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
