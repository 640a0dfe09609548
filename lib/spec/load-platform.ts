import { AccountResolver, AccountResolverOptions, ResolvedAccount } from './account';
import { PlatformSpecLoader } from './loader';
import { Platform } from './platform';
import type { ResolvedPlatform } from './resolved';

/** The spec both apps read when none is named. */
export const DEFAULT_SPEC_PATH = 'examples/sandbox/platform.yaml';

/** A platform loaded from a file, with its account resolved. */
export interface LoadedPlatform {
  /** The file the spec came from. */
  readonly specPath: string;
  /** The account and where it came from. */
  readonly account: ResolvedAccount;
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;
}

/**
 * Loads, validates and resolves a spec file: what `bin/app.ts` and `bin/manifests.ts` both do first.
 *
 * @throws PlatformSpecError or AccountResolutionError, whose messages say what to fix
 */
export async function loadPlatform(specPath: string, options: AccountResolverOptions = {}): Promise<LoadedPlatform> {
  const spec = PlatformSpecLoader.fromFile(specPath);
  const account = await AccountResolver.resolve(spec, options);
  return { specPath, account, platform: Platform.resolve(spec, { account: account.account }) };
}

/**
 * Runs an app's main function; an expected failure (a bad spec, no account) prints its message and
 * exits with status 1 instead of a stack trace.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: Error) => {
    const expected = ['PlatformSpecError', 'AccountResolutionError', 'PlatformLimitError'].includes(error.name);
    process.stderr.write(`${expected ? error.message : error.stack ?? String(error)}\n`);
    process.exit(1);
  });
}
