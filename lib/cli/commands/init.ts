import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { basename, join, resolve } from 'path';
import type { SpecProblem } from '../../model/shape';
import { PlatformSpecError, PlatformSpecLoader } from '../../platform/loader';
import type { Command, CommandContext, OptionValues } from '../command';
import { ownManifest, PackageJson, packageVersion, supportedNode, tarballManifest, testedVersions, UNRELEASED_VERSION } from '../package-info';
import {
  GITIGNORE,
  missingIgnores,
  PLACEHOLDERS,
  platformRepositoryFiles,
  RUNTIME_PACKAGES,
  SPEC_FILE,
  StarterOptions,
  starterSpec,
  TOOL_PACKAGES,
  VENDOR_DIR,
} from '../platform-repository';
import { UsageError } from '../usage-error';

/** The platform name when the directory's name is not one. */
const FALLBACK_NAME = 'platform';
const DEFAULT_OWNER = 'example-org';
const DEFAULT_REGION = 'us-east-1';
const DEFAULT_DOMAIN = 'example.com';

/** Which option sets which field of the starter spec. */
const OPTION_OF_FIELD: { [path: string]: keyof StarterOptions } = {
  'name': 'name',
  'github.owner': 'owner',
  'aws.region': 'region',
  'dns.domain': 'domain',
};

const HELP = `Usage: cdk-eks-gitops init [DIR] [--name NAME] [--owner OWNER] [--region REGION] [--domain DOMAIN] [--package TARBALL] [--force]

Creates a platform repository in DIR (default: the working directory, created if missing):
  ${SPEC_FILE}   a commented starter spec that validates, with its $schema line for editors
  cdk.json        the CDK app (node app.js) and the feature flags the constructs are tested with
  cdk8s.yaml      the cdk8s app (node manifests.js), output dist/
  app.js          the CDK app: one line calling the package's PlatformCdkApp
  manifests.js    the cdk8s app: one line calling the package's PlatformManifestsApp
  package.json    cdk-eks-gitops, its peer dependencies, cdk-nag and the two CLIs, at the versions it is tested with
  ${GITIGNORE}      node_modules/ and the three build outputs (added to an existing one)
  ${VENDOR_DIR}/        with --package: the package's tarball, which package.json depends on by that path
It refuses to overwrite an existing file, naming each, unless --force.

Options:
  --name NAME           the platform name: prefixes every physical name; a DNS label of at most 20
                        characters (default: DIR's name if it is one, else ${FALLBACK_NAME})
  --owner OWNER         the GitHub owner of the application and manifest repositories (default: ${DEFAULT_OWNER})
  --region REGION       the AWS region (default: $AWS_REGION, else $AWS_DEFAULT_REGION, else ${DEFAULT_REGION})
  --domain DOMAIN       the domain ExternalDNS manages; the app is served at NAME.DOMAIN (default: ${DEFAULT_DOMAIN})
  --package TARBALL     depend on this tarball of the package (npm pack writes it), copied into
                        ${VENDOR_DIR}/: for a version not on the npm registry, such as an unreleased
                        build (${UNRELEASED_VERSION}), which init refuses to write as a registry dependency
                        (default: this package's version, from the registry)
  --force               overwrite existing files
  -h, --help            show this help

Examples:
  npx cdk-eks-gitops init
  npx cdk-eks-gitops init shop-platform --name shop --owner example-org --region eu-west-1 --domain shop.example.com
  npx --package ./cdk-eks-gitops-${UNRELEASED_VERSION}.tgz cdk-eks-gitops init shop --package ./cdk-eks-gitops-${UNRELEASED_VERSION}.tgz
`;

/** `cdk-eks-gitops init`: a new platform repository whose spec validates and whose apps run the package's. */
export const initCommand: Command = {
  name: 'init',
  help: HELP,
  options: {
    name: { type: 'string' },
    owner: { type: 'string' },
    region: { type: 'string' },
    domain: { type: 'string' },
    package: { type: 'string' },
    force: { type: 'boolean' },
  },

  async run(values: OptionValues, positionals: string[], context: CommandContext): Promise<number> {
    if (positionals.length > 1) throw new UsageError(`one directory at a time: got ${positionals.length} (${positionals.join(', ')})`, 'init');
    const dir = positionals[0] ?? '.';
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`${dir} is a file, not a directory: name the directory of the new platform repository`, 'init');

    const options = starterOptions(values, dir, context.env);
    checkStarterSpec(starterSpec(options), values);
    const self = selfPackage(values.package);
    const files = platformRepositoryFiles(options, {
      self: { name: self.manifest.name, version: self.manifest.version, dependency: self.dependency },
      versions: testedVersions([...RUNTIME_PACKAGES, ...TOOL_PACKAGES], self.manifest),
      node: supportedNode(self.manifest),
    });

    const paths = [...files.map((f) => f.path), ...(self.tarball ? [self.tarball.path] : [])];
    const existing = paths.filter((path) => existsSync(join(dir, path)));
    if (existing.length && values.force !== true) {
      throw new Error(`${dir} holds ${existing.length === 1 ? 'a file' : 'files'} init would overwrite: ${existing.join(', ')}. Nothing was written; --force overwrites ${existing.length === 1 ? 'it' : 'them'}.`);
    }

    mkdirSync(dir, { recursive: true });
    for (const file of files) writeFileSync(join(dir, file.path), file.content);
    if (self.tarball) {
      mkdirSync(join(dir, VENDOR_DIR), { recursive: true });
      copyFileSync(self.tarball.from, join(dir, self.tarball.path));
    }
    const ignorePath = join(dir, GITIGNORE);
    const ignoreText = existsSync(ignorePath) ? readFileSync(ignorePath, 'utf8') : undefined;
    const missing = missingIgnores(ignoreText);
    if (missing.length) {
      const separator = ignoreText === undefined || ignoreText === '' || ignoreText.endsWith('\n') ? '' : '\n';
      writeFileSync(ignorePath, `${ignoreText ?? ''}${separator}${missing.join('\n')}\n`);
    }

    const written = [...paths, ...(missing.length ? [`${GITIGNORE}${ignoreText === undefined ? '' : ' (added to)'}`] : [])];
    const cd = resolve(dir) === resolve('.') ? '' : `  cd ${dir}\n`;
    context.out(
      `Wrote a platform repository in ${dir}: ${written.join(', ')}\n` +
        `Platform ${options.name} in ${options.region}, GitHub owner ${options.owner}, domain ${options.domain}.\n` +
        (self.tarball ? `package.json depends on ${self.dependency}: commit ${self.tarball.path} with the rest.\n` : '') +
        `Replace the placeholders in ${SPEC_FILE} (${PLACEHOLDERS.join(', ')}); set aws.account and cluster.adminRoleArns. Then:\n` +
        `${cd}  npm install\n  npx cdk-eks-gitops validate\n  npx cdk-eks-gitops synth\n`,
    );
    return 0;
  },
};

/** The package a new repository depends on: how package.json names it, and the tarball to copy in. */
interface SelfPackage {
  /** The package.json of the package depended on: the tarball's, or this package's own. */
  readonly manifest: PackageJson;
  /** The dependency's specifier: a registry version, or `file:` the vendored tarball. */
  readonly dependency: string;
  /** With --package: the tarball, and its path inside the repository. */
  readonly tarball?: { readonly from: string; readonly path: string };
}

/**
 * The package the repository depends on. This package's version from the registry, unless it is
 * an unreleased build (no registry has its version: the dependency could not install), where
 * --package is required; with --package, the tarball it names, copied into the repository, so
 * the `file:` dependency on it resolves in every clone.
 *
 * @throws UsageError for an unreleased build without --package, and for a --package that is not
 *   a tarball of this package
 */
function selfPackage(value: unknown): SelfPackage {
  const own = packageVersion();
  if (value === undefined) {
    if (own.version === UNRELEASED_VERSION) {
      throw new UsageError(
        `this ${own.name} is an unreleased build (version ${own.version}), which the npm registry does not have: ` +
          "a repository depending on it could not install. Give init the package's tarball, which it copies into the repository: " +
          `--package ${own.name}-${own.version}.tgz (npm pack in a clone of ${own.name} writes it)`,
        'init',
      );
    }
    return { manifest: ownManifest(), dependency: own.version };
  }
  const from = String(value);
  const allowed = "name the package's tarball, a .tgz from npm pack";
  if (from === '') throw new UsageError(`--package '': ${allowed}`, 'init');
  if (!existsSync(from)) throw new UsageError(`--package ${from}: no such file; ${allowed}`, 'init');
  if (statSync(from).isDirectory()) throw new UsageError(`--package ${from} is a directory; ${allowed}`, 'init');
  let manifest: PackageJson;
  try {
    manifest = tarballManifest(from);
  } catch (e) {
    throw new UsageError(`--package ${(e as Error).message}`, 'init');
  }
  if (manifest.name !== own.name) {
    throw new UsageError(`--package ${from} is a tarball of ${manifest.name}@${manifest.version}, not of ${own.name}`, 'init');
  }
  const path = `${VENDOR_DIR}/${manifest.name}-${manifest.version}.tgz`;
  return { manifest, dependency: `file:${path}`, tarball: { from, path } };
}

/** The options, with their defaults: the name from the directory, the region from the environment. */
function starterOptions(values: OptionValues, dir: string, env: { [name: string]: string | undefined }): StarterOptions {
  for (const option of ['name', 'owner', 'region', 'domain']) {
    if (values[option] === '') throw new UsageError(`--${option} '': give a value, or leave the option out for its default`, 'init');
  }
  const directoryName = basename(resolve(dir)).toLowerCase();
  const fromDirectory = nameProblems(directoryName).length === 0 ? directoryName : FALLBACK_NAME;
  return {
    name: (values.name as string | undefined) ?? fromDirectory,
    owner: (values.owner as string | undefined) ?? DEFAULT_OWNER,
    region: (values.region as string | undefined) ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || DEFAULT_REGION),
    domain: (values.domain as string | undefined) ?? DEFAULT_DOMAIN,
  };
}

/** The problems the spec validation finds with `name` as the platform name (the directory's name, say). */
function nameProblems(name: string): SpecProblem[] {
  const spec = starterSpec({ name, owner: DEFAULT_OWNER, region: DEFAULT_REGION, domain: DEFAULT_DOMAIN });
  return specProblems(spec).filter((p) => p.path === 'name');
}

function specProblems(text: string): SpecProblem[] {
  try {
    PlatformSpecLoader.fromText(text, SPEC_FILE);
    return [];
  } catch (e) {
    if (e instanceof PlatformSpecError) return e.problems;
    throw e;
  }
}

/**
 * Validates the starter spec as the loader will read it. A problem in a field an option sets is a
 * usage mistake naming the option; the fields derived from the options (the host, the repository
 * names) then fail only because of it, so they are not repeated.
 *
 * @throws UsageError naming each option whose value the spec refuses
 */
function checkStarterSpec(text: string, values: OptionValues): void {
  const problems = specProblems(text);
  if (!problems.length) return;
  const ofOptions = problems.filter((p) => OPTION_OF_FIELD[p.path]);
  if (!ofOptions.length) {
    throw new Error(`the starter spec does not validate:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}`);
  }
  const lines = ofOptions.map((p) => {
    const option = OPTION_OF_FIELD[p.path];
    return `--${option}${values[option] === undefined ? ' (its default)' : ''}: ${p.message}`;
  });
  throw new UsageError(lines.length === 1 ? lines[0] : `${lines.length} options are refused:\n${lines.map((l) => `  - ${l}`).join('\n')}`, 'init');
}
