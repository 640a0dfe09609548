import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { upstreamDir } from './support/upstream';
import { lockPathOf } from '../lib/model/platform-lock';
import type { ResolvedPlatform } from '../lib/model/resolved';
import type { AppSpec, PlatformSpec } from '../lib/model/types';
import { PlatformSpecLoader } from '../lib/platform/loader';
import { Platform } from '../lib/platform/platform';

/** Absolute path of a file in the repository. */
export const repoPath = (...parts: string[]) => join(__dirname, '..', ...parts);

/** Absolute path of an upstream reference file (UPSTREAM_DIR, ../shared/upstream or the cache: test/support/upstream.ts). */
export const upstreamPath = (...parts: string[]) => join(upstreamDir(), ...parts);

const loadedExamples = new Map<string, string>();

/**
 * An example's spec file, loaded (parsed and validated) by `PlatformSpecLoader.fromFile`, as a plain,
 * freely mutable object: a copy of its own for each caller. Each load is kept for the rest of the
 * test file, keyed by everything the load reads (the file's text, the lock beside it, the day of the
 * support calendar): the examples are loaded by a hundred tests, some in loops, and a load, cold in
 * a fresh test file, costs tens of milliseconds where the copy costs one.
 */
function exampleSpec(dir: string): any {
  const path = repoPath('examples', dir, 'platform.yaml');
  const lock = lockPathOf(path);
  const key = JSON.stringify([path, readFileSync(path, 'utf8'), existsSync(lock) ? readFileSync(lock, 'utf8') : null, process.env.CDK_EKS_GITOPS_TODAY ?? null]);
  let json = loadedExamples.get(key);
  if (json === undefined) {
    json = JSON.stringify(PlatformSpecLoader.fromFile(path));
    loadedExamples.set(key, json);
  }
  return JSON.parse(json);
}

/** The sandbox spec as a plain, freely mutable object. */
export function sandboxSpec(): any {
  return exampleSpec('sandbox');
}

/** The sandbox spec, resolved. */
export function sandboxPlatform(): ResolvedPlatform {
  return Platform.resolve(PlatformSpecLoader.fromObject(sandboxSpec()));
}

/** A spec with `count` applications shaped like the sandbox's, named app1..appN. */
export function specWithApps(count: number): PlatformSpec {
  const spec = sandboxSpec();
  const template: AppSpec = spec.apps[0];
  spec.apps = Array.from({ length: count }, (_, i) => ({
    ...template,
    name: `app${i + 1}`,
    namespace: `app${i + 1}`,
    host: `app${i + 1}.example.com`,
    ci: { ...template.ci, repository: `app${i + 1}`, repositoryId: String(300000 + i) },
  }));
  return PlatformSpecLoader.fromObject(spec);
}

/** The two-environment example's spec as a plain, freely mutable object. */
export function twoEnvironmentsSpec(): any {
  return exampleSpec('two-environments');
}

/**
 * The environments `specWithEnvironments` takes its first `count` from: dev follows releases and
 * holds the images; qa shares dev's account (no repository policy needed there); staging and
 * production are accounts of their own; production-eu is another account in another region.
 */
export const ENVIRONMENT_LAYOUT = [
  { name: 'dev', account: '111111111111', region: 'ap-northeast-1' },
  { name: 'qa', account: '111111111111', region: 'ap-northeast-1' },
  { name: 'staging', account: '333333333333', region: 'ap-northeast-1' },
  { name: 'production', account: '222222222222', region: 'ap-northeast-1' },
  { name: 'production-eu', account: '444444444444', region: 'eu-west-1' },
];

/**
 * The two-environment example's platform with `count` (at most 5) environments of `ENVIRONMENT_LAYOUT`,
 * each promoted from the one before, with a domain, a hosted zone and a host of its own.
 */
export function specWithEnvironments(count: number): PlatformSpec {
  if (count < 1 || count > ENVIRONMENT_LAYOUT.length) throw new Error(`specWithEnvironments: 1 to ${ENVIRONMENT_LAYOUT.length} environments, not ${count}`);
  const spec = twoEnvironmentsSpec();
  spec.registry = { environment: ENVIRONMENT_LAYOUT[0].name };
  // Each environment's migration connects to its own database, in its own account.
  spec.environments = ENVIRONMENT_LAYOUT.slice(0, count).map((e, i) => ({
    name: e.name,
    aws: { account: e.account, region: e.region },
    cluster: { adminRoleArns: [`arn:aws:iam::${e.account}:role/platform-admin`] },
    dns: { domain: `${e.name}.example.com`, hostedZoneId: `Z0${e.name.replace(/-/g, '').toUpperCase()}0000` },
    apps: [
      {
        name: 'main',
        host: `shop.${e.name}.example.com`,
        replicas: i === 0 ? 1 : 2,
        migrationPermissions: [{ actions: ['rds-db:connect'], resources: [`arn:aws:rds-db:${e.region}:${e.account}:dbuser:db-${e.name.toUpperCase()}/app`] }],
      },
    ],
  }));
  return PlatformSpecLoader.fromObject(spec);
}

/**
 * A CDK App with the feature flags of cdk.json, as `cdk synth` runs it, except that its assets are
 * not copied into the cloud assembly (aws:cdk:disable-asset-staging): the templates are the same,
 * no test reads the copies, and the kubectl and AWS CLI layers' 57 MB took a tenth of the time of
 * the suites that synthesize.
 */
export function cdkApp(): App {
  const context = JSON.parse(readFileSync(repoPath('cdk.json'), 'utf8')).context;
  return new App({ context: { ...context, 'aws:cdk:disable-asset-staging': true } });
}

/** The sandbox spec with ten mistakes, one per field; `TEN_MISTAKE_PATHS` lists the fields in order. */
export function specWithTenMistakes(): any {
  const spec = sandboxSpec();
  spec.name = 'Sandbox';
  spec.aws.region = 'tokyo';
  spec.aws.account = '12';
  spec.dns.hostedZoneId = 'zone';
  spec.github.owner = '-bad-';
  spec.apps[0].namespace = 'Main';
  spec.apps[0].replicas = 0;
  spec.apps[0].delivery = 'push';
  spec.apps[0].containers[0].port = 0;
  spec.apps[0].secret.refreshInterval = 'hourly';
  return spec;
}

export const TEN_MISTAKE_PATHS = [
  'name',
  'aws.region',
  'aws.account',
  'github.owner',
  'dns.hostedZoneId',
  'apps[0].namespace',
  'apps[0].replicas',
  'apps[0].delivery',
  'apps[0].containers[0].port',
  'apps[0].secret.refreshInterval',
];
