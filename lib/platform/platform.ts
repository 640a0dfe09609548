// The public entry point of resolution: `Platform.resolve` and `Platform.resolveEnvironments`, with
// the add-ons a platform uses (the built-in ones unless told). Resolution itself is in lib/model,
// which is given the add-ons and knows none of them.
import { BUILT_IN_ADDONS } from '../addons/built-in';
import { resolveEnvironments } from '../model/resolve';
import type { PlatformAddon, ResolvedPlatform } from '../model/resolved';
import type { PlatformSpec } from '../model/types';

/** Options of `Platform.resolve` and `Platform.resolveEnvironments`. */
export interface ResolveOptions {
  /**
   * The AWS account id, for environments the spec gives none.
   * @default - the spec's `aws.account`
   */
  readonly account?: string;

  /**
   * The environment to resolve, for a spec with several (`Platform.resolve` only).
   * @default - the spec's only environment
   */
  readonly environment?: string;

  /**
   * The add-ons the platform uses: each one's section of the spec, roles, Applications and files.
   * A program's own add-ons come after the built-in ones: `[...PlatformAddons.BUILT_IN, MY_ADDON]`.
   * @default PlatformAddons.BUILT_IN
   * @jsii ignore
   */
  readonly addons?: readonly PlatformAddon[];
}

/**
 * Derives every physical name of a platform from its spec: the single place names, defaults and
 * derived facts are made. The CDK constructs, the cdk8s charts, the workflows and the validation of
 * the rules across fields all read the result.
 */
export class Platform {
  /**
   * Resolves a validated spec (see `PlatformSpecLoader`) into the names and values both the CDK
   * stack and the manifests use: its only environment, or the one `options.environment` names.
   *
   * @throws if neither the spec nor `options.account` gives the account, or the spec has several
   * environments and `options.environment` names none of them
   */
  public static resolve(spec: PlatformSpec, options: ResolveOptions = {}): ResolvedPlatform {
    const environments = Platform.resolveEnvironments(spec, options);
    const names = environments.map((e) => e.environment);
    if (options.environment === undefined && environments.length > 1) {
      throw new Error(`environments: the spec has ${names.join(', ')}; resolve them all with Platform.resolveEnvironments, or name one in options.environment`);
    }
    const found = environments.find((e) => options.environment === undefined || e.environment === options.environment);
    if (!found) throw new Error(`options.environment: '${options.environment}' is not an environment of the spec; it has ${names.join(', ')}`);
    return found;
  }

  /**
   * Resolves every environment of a validated spec, in the spec's order: one for a spec without
   * `environments`. The environment that holds the images knows which others pull them.
   *
   * @throws if an environment has no account: neither in the spec nor in `options.account`
   */
  public static resolveEnvironments(spec: PlatformSpec, options: ResolveOptions = {}): ResolvedPlatform[] {
    return resolveEnvironments(spec, (view) => {
      const account = view.spec.aws.account ?? options.account;
      if (!account) {
        const where = view.index === undefined ? 'aws.account' : `environments[${view.index}].aws.account`;
        throw new Error(`${where}: no AWS account id for environment '${view.context.name}'; set it in the spec or pass options.account (see AccountResolver)`);
      }
      return account;
    }, options.addons ?? BUILT_IN_ADDONS);
  }

  private constructor() {}
}

