import { readFileSync } from 'fs';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { upstreamDir } from './support/upstream';
import { PlatformSpecLoader } from '../lib/spec/loader';
import { Platform } from '../lib/spec/platform';
import type { ResolvedPlatform } from '../lib/spec/resolved';
import type { AppSpec, PlatformSpec } from '../lib/spec/types';

/** Absolute path of a file in the repository. */
export const repoPath = (...parts: string[]) => join(__dirname, '..', ...parts);

/** Absolute path of an upstream reference file (UPSTREAM_DIR, ../shared/upstream or the cache: test/support/upstream.ts). */
export const upstreamPath = (...parts: string[]) => join(upstreamDir(), ...parts);

/** The sandbox spec as a plain, freely mutable object. */
export function sandboxSpec(): any {
  return JSON.parse(JSON.stringify(PlatformSpecLoader.fromFile(repoPath('examples', 'sandbox', 'platform.yaml'))));
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

/** A CDK App with the feature flags of cdk.json, as `cdk synth` runs it. */
export function cdkApp(): App {
  const context = JSON.parse(readFileSync(repoPath('cdk.json'), 'utf8')).context;
  return new App({ context });
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
