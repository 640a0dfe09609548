import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { basename, join, resolve } from 'path';
import { PlatformSpecError, PlatformSpecLoader } from '../../spec/loader';
import type { SpecProblem } from '../../spec/shape';
import type { Command, CommandContext, OptionValues } from '../command';
import { packageVersion, supportedNode, testedVersions } from '../package-info';
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

const HELP = `Usage: cdk-eks-gitops init [DIR] [--name NAME] [--owner OWNER] [--region REGION] [--domain DOMAIN] [--force]

Creates a platform repository in DIR (default: the working directory, created if missing):
  ${SPEC_FILE}   a commented starter spec that validates, with its $schema line for editors
  cdk.json        the CDK app (node app.js) and the feature flags the constructs are tested with
  cdk8s.yaml      the cdk8s app (node manifests.js), output dist/
  app.js          the CDK app: one line calling the package's PlatformCdkApp
  manifests.js    the cdk8s app: one line calling the package's PlatformManifestsApp
  package.json    cdk-eks-gitops, its peer dependencies, cdk-nag and the two CLIs, at the versions it is tested with
  ${GITIGNORE}      node_modules/ and the three build outputs (added to an existing one)
It refuses to overwrite an existing file, naming each, unless --force.

Options:
  --name NAME           the platform name: prefixes every physical name; a DNS label of at most 20
                        characters (default: DIR's name if it is one, else ${FALLBACK_NAME})
  --owner OWNER         the GitHub owner of the application and manifest repositories (default: ${DEFAULT_OWNER})
  --region REGION       the AWS region (default: $AWS_REGION, else $AWS_DEFAULT_REGION, else ${DEFAULT_REGION})
  --domain DOMAIN       the domain ExternalDNS manages; the app is served at NAME.DOMAIN (default: ${DEFAULT_DOMAIN})
  --force               overwrite existing files
  -h, --help            show this help

Examples:
  npx cdk-eks-gitops init
  npx cdk-eks-gitops init shop-platform --name shop --owner example-org --region eu-west-1 --domain shop.example.com
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
    force: { type: 'boolean' },
  },

  async run(values: OptionValues, positionals: string[], context: CommandContext): Promise<number> {
    if (positionals.length > 1) throw new UsageError(`one directory at a time: got ${positionals.length} (${positionals.join(', ')})`, 'init');
    const dir = positionals[0] ?? '.';
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`${dir} is a file, not a directory: name the directory of the new platform repository`, 'init');

    const options = starterOptions(values, dir, context.env);
    const files = platformRepositoryFiles(options, {
      self: packageVersion(),
      versions: testedVersions([...RUNTIME_PACKAGES, ...TOOL_PACKAGES]),
      node: supportedNode(),
    });
    checkStarterSpec(files.find((f) => f.path === SPEC_FILE)!.content, values);

    const existing = files.filter((f) => existsSync(join(dir, f.path))).map((f) => f.path);
    if (existing.length && values.force !== true) {
      throw new Error(`${dir} holds ${existing.length === 1 ? 'a file' : 'files'} init would overwrite: ${existing.join(', ')}. Nothing was written; --force overwrites ${existing.length === 1 ? 'it' : 'them'}.`);
    }

    mkdirSync(dir, { recursive: true });
    for (const file of files) writeFileSync(join(dir, file.path), file.content);
    const ignorePath = join(dir, GITIGNORE);
    const ignoreText = existsSync(ignorePath) ? readFileSync(ignorePath, 'utf8') : undefined;
    const missing = missingIgnores(ignoreText);
    if (missing.length) {
      const separator = ignoreText === undefined || ignoreText === '' || ignoreText.endsWith('\n') ? '' : '\n';
      writeFileSync(ignorePath, `${ignoreText ?? ''}${separator}${missing.join('\n')}\n`);
    }

    const written = [...files.map((f) => f.path), ...(missing.length ? [`${GITIGNORE}${ignoreText === undefined ? '' : ' (added to)'}`] : [])];
    const cd = resolve(dir) === resolve('.') ? '' : `  cd ${dir}\n`;
    context.out(
      `Wrote a platform repository in ${dir}: ${written.join(', ')}\n` +
        `Platform ${options.name} in ${options.region}, GitHub owner ${options.owner}, domain ${options.domain}.\n` +
        `Replace the placeholders in ${SPEC_FILE} (${PLACEHOLDERS.join(', ')}); set aws.account and cluster.adminRoleArns. Then:\n` +
        `${cd}  npm install\n  npx cdk-eks-gitops validate\n  npx cdk-eks-gitops synth\n`,
    );
    return 0;
  },
};

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
