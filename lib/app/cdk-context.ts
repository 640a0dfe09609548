import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { FEATURE_FLAGS } from './cdk-app';

/** The settings of `cdk.json` that change what the app is given. */
interface CdkJson {
  readonly context?: { [key: string]: unknown };
  readonly pathMetadata?: boolean;
  readonly assetMetadata?: boolean;
  readonly versionReporting?: boolean;
}

/** The context of an app and where it came from. */
export interface CdkContext {
  /** The context values. */
  readonly values: { [key: string]: unknown };
  /** Whether the directory has a `cdk.json` (else the values hold the package's feature flags). */
  readonly fromCdkJson: boolean;
}

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (e) {
    throw new Error(`${path}: cannot read it as JSON: ${(e as Error).message}`);
  }
}

/**
 * The context `cdk synth` gives the app when it runs in `dir`, so that an app synthesized in this
 * process writes the same cloud assembly: `cdk.context.json` (the lookups it caches), the `context`
 * of `cdk.json`, and what the CDK CLI adds on its own, which puts the construct path, the asset
 * metadata and the library versions into the templates unless `cdk.json` turns them off. Without a
 * `cdk.json`, the feature flags a platform repository's `cdk.json` sets.
 *
 * @throws Error when `cdk.json` or `cdk.context.json` is not JSON
 */
export function cdkContext(dir: string): CdkContext {
  const cdkJsonPath = join(dir, 'cdk.json');
  const cdkContextPath = join(dir, 'cdk.context.json');
  const cdkJson: CdkJson = existsSync(cdkJsonPath) ? readJson(cdkJsonPath) : { context: FEATURE_FLAGS };
  const cached = existsSync(cdkContextPath) ? readJson<{ [key: string]: unknown }>(cdkContextPath) : {};
  const values: { [key: string]: unknown } = { ...cached, ...cdkJson.context };
  if (cdkJson.pathMetadata ?? true) values['aws:cdk:enable-path-metadata'] = true;
  if (cdkJson.assetMetadata ?? true) values['aws:cdk:enable-asset-metadata'] = true;
  if (cdkJson.versionReporting ?? true) values['aws:cdk:version-reporting'] = true;
  else values['aws:cdk:disable-version-reporting'] = true;
  values['aws:cdk:bundling-stacks'] = ['**'];
  return { values, fromCdkJson: existsSync(cdkJsonPath) };
}
