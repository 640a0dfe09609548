import { createHash } from 'crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { basename, join } from 'path';
import { BUILT_IN_ADDONS } from '../../lib/addons/built-in';
import type { ResolvedPlatform } from '../../lib/model/resolved';

/**
 * The platform stack's template of each platform, built as bin/app.ts builds them: a GitOpsPlatform
 * per platform in one App with cdk.json's context (test/fixtures.ts `cdkApp`), the other platforms
 * its spokes, each template as `Template.fromStack(platformStack).toJSON()` gives it.
 *
 * The same platforms are synthesized by several test files (the sandbox, the two environments, the
 * managed Argo CD, Karpenter's and the vault plugin's by the Helm releases', the workflows', the
 * add-ons' files), a second or more each. So each set is synthesized once per test run: kept as JSON
 * in the run's temporary directory (test/support/global-setup.ts; outside such a run, in the test
 * file only), keyed by everything the synthesis reads besides this checkout's code: the resolved
 * platforms (their add-ons' code included), the day of the support calendar (which picks the kubectl
 * layer) and the context every App reads (cdk.json's, CDK_CONTEXT_JSON). A test file that reads a
 * set another wrote gets the same JSON the synthesis in its own process would have given: the stacks'
 * construct ids are their platforms' qualified names, and each template is the whole template.
 *
 * Only for platforms whose add-ons are the built-in ones: an add-on of a test's own could hold state
 * its code does not show, so it is refused here (such a test synthesizes its own stacks).
 *
 * @returns a copy of its own for each caller, in the order of `platforms`
 */
export function platformStackTemplates(platforms: readonly ResolvedPlatform[]): any[] {
  refuseOwnAddons('platformStackTemplates', platforms);
  const key = platformTemplatesKey(platforms);
  let json = inThisFile.get(key);
  const file = cacheDir() && join(cacheDir()!, `${key}.json`);
  if (json === undefined && file && existsSync(file)) json = readFileSync(file, 'utf8');
  if (json === undefined) json = keep(key, synthesize(platforms));
  inThisFile.set(key, json);
  return JSON.parse(json);
}

/**
 * Keeps for the run the templates a test synthesized itself, exactly as `platformStackTemplates`
 * builds them (a GitOpsPlatform per platform in one `cdkApp()`, construct id its qualified name, the
 * others its spokes; the apps of test/aws/nag.test.ts, whose validation plugins only read the
 * templates): a later `platformStackTemplates` of the same platforms reads them instead of
 * synthesizing them again. Kept only where none are yet.
 */
export function keepPlatformStackTemplates(platforms: readonly ResolvedPlatform[], templates: readonly any[]): void {
  refuseOwnAddons('keepPlatformStackTemplates', platforms);
  if (templates.length !== platforms.length) throw new Error(`keepPlatformStackTemplates: ${templates.length} templates for ${platforms.length} platforms`);
  const key = platformTemplatesKey(platforms);
  const file = cacheDir() && join(cacheDir()!, `${key}.json`);
  if (inThisFile.has(key) || (file && existsSync(file))) return;
  inThisFile.set(key, keep(key, templates));
}

function refuseOwnAddons(caller: string, platforms: readonly ResolvedPlatform[]): void {
  for (const platform of platforms) {
    const own = platform.addons.filter((inUse) => !BUILT_IN_ADDONS.includes(inUse.addon));
    if (own.length) throw new Error(`${caller}: ${platform.qualifiedName} has add-ons of its own (${own.map((a) => a.addon.name).join(', ')}): synthesize its stacks in the test`);
  }
}

/** The templates as JSON, written to the run's directory under their key when there is one. */
function keep(key: string, templates: readonly any[]): string {
  const json = JSON.stringify(templates);
  const file = cacheDir() && join(cacheDir()!, `${key}.json`);
  if (file) {
    // Written whole, then renamed: a worker reading the same key never sees half a file.
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, json);
    renameSync(partial, file);
  }
  return json;
}

const inThisFile = new Map<string, string>();

function synthesize(platforms: readonly ResolvedPlatform[]): any[] {
  // Loaded on a miss only: a test file that reads every set from the run's cache needs neither.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { Template } = require('aws-cdk-lib/assertions') as typeof import('aws-cdk-lib/assertions');
  const { GitOpsPlatform } = require('../../lib/aws/gitops-platform') as typeof import('../../lib/aws/gitops-platform');
  const { cdkApp } = require('../fixtures') as typeof import('../fixtures');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const app = cdkApp();
  const stacks = platforms.map(
    (platform) => new GitOpsPlatform(app, platform.qualifiedName, { platform, spokes: platforms.filter((p) => p !== platform) }).platformStack,
  );
  return stacks.map((stack) => Template.fromStack(stack).toJSON());
}

/** The key of a set: a digest of the platforms (functions by their source: the add-ons' hooks) and of what every App reads. */
export function platformTemplatesKey(platforms: readonly ResolvedPlatform[]): string {
  const cdkJson = readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8');
  const text = JSON.stringify([platforms, process.env.CDK_EKS_GITOPS_TODAY ?? null, process.env.CDK_CONTEXT_JSON ?? null, cdkJson], (_, value) =>
    typeof value === 'function' ? `function ${value.toString()}` : value,
  );
  return createHash('sha256').update(text).digest('hex');
}

/** The run's own directory for the templates (see kustomizeCacheDir in manifest-checks.ts), or none outside a test run. */
export function cacheDir(): string | undefined {
  if (!basename(tmpdir()).startsWith('cdk-eks-gitops-test-')) return undefined;
  const dir = join(tmpdir(), 'platform-templates');
  mkdirSync(dir, { recursive: true });
  return dir;
}
