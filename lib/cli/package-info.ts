import { readFileSync } from 'fs';
import { join } from 'path';

/** The parts of the package's own package.json the CLI reads. */
interface PackageJson {
  readonly name: string;
  readonly version: string;
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
