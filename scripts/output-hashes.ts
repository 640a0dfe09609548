// The sha256 of every file the library generates for the examples and the test fixture specs: the
// CloudFormation templates of the cloud assembly, the manifest repository tree and the application
// repositories' workflows, all built in this process. A refactoring that must not change the output
// (one description of the spec, resolution in sections, an output layer) is checked against the
// committed hashes by test/output-hashes.test.ts, which names each file that changed.
//
//   npx tsx scripts/output-hashes.ts           prints the hashes of every platform
//   npx tsx scripts/output-hashes.ts --write   writes them to test/output-hashes.json
//   npx tsx scripts/output-hashes.ts --check   exits 1, naming the files, when one differs
import { createHash } from 'crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join, sep } from 'path';
import { CiWorkflows, ManifestRepository, Platform, PlatformCdkApp, PlatformSpecLoader } from '../lib/index';
import type { PlatformSpec, ResolvedPlatform } from '../lib/index';
import { cdkApp, repoPath, specWithApps, specWithEnvironments } from '../test/fixtures';
import { SINGLE_ENVIRONMENT_VARIANTS } from '../test/support/single-environment-variants';

/** Where the committed hashes live. */
export const OUTPUT_HASHES_FILE = repoPath('test', 'output-hashes.json');

/** The hashes of one platform's outputs: `cfn/<file>`, `manifests/<path>`, `workflows/<path>` to sha256. */
export type OutputHashes = { [file: string]: string };

/** A platform's environments; the examples resolve with the account their spec gives. */
type Platforms = () => ResolvedPlatform[];

const fromSpec = (spec: PlatformSpec): Platforms => () => Platform.resolveEnvironments(spec);
const example = (name: string): Platforms => () => Platform.resolveEnvironments(PlatformSpecLoader.fromFile(repoPath('examples', name, 'platform.yaml')));

/**
 * Every platform hashed, by name: the examples, the single-environment variants of the tests
 * (test/support/single-environment-variants.ts) and the generated platforms of test/fixtures.ts.
 */
export const HASHED_PLATFORMS: { readonly [name: string]: Platforms } = {
  'example:sandbox': example('sandbox'),
  'example:managed-argocd': example('managed-argocd'),
  'example:managed-feedback': example('managed-feedback'),
  'example:two-environments': example('two-environments'),
  'example:hub-and-spokes': example('hub-and-spokes'),
  'example:previews': example('previews'),
  'example:database': example('database'),
  'example:auto-mode': example('auto-mode'),
  'example:karpenter': example('karpenter'),
  ...Object.fromEntries(
    Object.entries(SINGLE_ENVIRONMENT_VARIANTS)
      .filter(([name]) => name !== 'sandbox' && name !== 'managed-argocd')
      .map(([name, platform]) => [`variant:${name}`, () => [platform()]]),
  ),
  'fixture:specWithApps(3)': () => fromSpec(specWithApps(3))(),
  'fixture:specWithEnvironments(5)': () => fromSpec(specWithEnvironments(5))(),
};

const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

/** The templates of the cloud assembly (stacks and nested stacks), synthesized without cdk-nag and without staging assets. */
export function templateHashes(platforms: ResolvedPlatform[]): OutputHashes {
  const app = cdkApp();
  PlatformCdkApp.addEnvironments(app, { platforms, nag: false });
  const assembly = app.synth();
  try {
    const hashes: OutputHashes = {};
    // Each environment is a Stage: its templates are in a nested assembly directory (assembly-<name>/).
    const files = (readdirSync(assembly.directory, { recursive: true }) as string[]).filter((f) => f.endsWith('.template.json'));
    for (const file of files.map((f) => f.split(sep).join('/')).sort()) {
      hashes[`cfn/${file}`] = sha256(readFileSync(join(assembly.directory, file)));
    }
    return hashes;
  } finally {
    // Outside the CDK CLI the App synthesizes into a temporary directory of its own.
    rmSync(assembly.directory, { recursive: true, force: true });
  }
}

/** The manifest repository tree and the workflows, built in memory. */
export function treeHashes(platforms: ResolvedPlatform[]): OutputHashes {
  const hashes: OutputHashes = {};
  for (const file of ManifestRepository.forEnvironments(platforms).manifestFiles()) hashes[`manifests/${file.path}`] = sha256(file.content);
  for (const file of CiWorkflows.forEnvironments(platforms).workflowFiles()) hashes[`workflows/${file.path}`] = sha256(file.content);
  return hashes;
}

/** Every output of one platform, keys sorted. */
export function outputHashes(platforms: ResolvedPlatform[]): OutputHashes {
  const all = { ...templateHashes(platforms), ...treeHashes(platforms) };
  return Object.fromEntries(Object.keys(all).sort().map((k) => [k, all[k]]));
}

/** What differs between two sets of hashes of one platform, one line per file. */
export function hashDifferences(expected: OutputHashes, actual: OutputHashes): string[] {
  const files = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  return files.flatMap((file) => {
    if (!(file in actual)) return [`${file}: no longer generated`];
    if (!(file in expected)) return [`${file}: new file`];
    return expected[file] === actual[file] ? [] : [`${file}: content changed`];
  });
}

/** The committed hashes, by platform name. */
export function committedHashes(): { [platform: string]: OutputHashes } {
  return JSON.parse(readFileSync(OUTPUT_HASHES_FILE, 'utf8'));
}

function main(): void {
  // As the tests run (test/support/setup.ts): the support calendar's warnings depend on the day, and
  // CloudFormation's built-in validation changes nothing in the templates.
  process.env.CDK_EKS_GITOPS_TODAY ??= '2026-12-02';
  process.env.CDK_VALIDATION ??= 'false';
  const mode = process.argv[2];
  const all: { [platform: string]: OutputHashes } = {};
  for (const [name, platforms] of Object.entries(HASHED_PLATFORMS)) all[name] = outputHashes(platforms());
  if (mode === '--write') {
    writeFileSync(OUTPUT_HASHES_FILE, `${JSON.stringify(all, null, 2)}\n`);
    process.stdout.write(`${OUTPUT_HASHES_FILE}: ${Object.values(all).reduce((n, h) => n + Object.keys(h).length, 0)} files of ${Object.keys(all).length} platforms\n`);
  } else if (mode === '--check') {
    const committed = committedHashes();
    const names = [...new Set([...Object.keys(committed), ...Object.keys(all)])];
    const lines = names.flatMap((name) => hashDifferences(committed[name] ?? {}, all[name] ?? {}).map((line) => `${name}: ${line}`));
    process.stdout.write(lines.length ? `${lines.join('\n')}\n` : 'every output is byte-identical to the committed hashes\n');
    if (lines.length) process.exitCode = 1;
  } else {
    process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
  }
}

if (require.main === module) main();
