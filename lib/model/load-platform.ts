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
  /** The account of the environments the spec gives none, and where it came from. */
  readonly account: ResolvedAccount;
  /** Every environment, resolved, in the spec's order (one for a spec without `environments`). */
  readonly platforms: ResolvedPlatform[];
}

/**
 * Loads, validates and resolves a spec file: what `bin/app.ts` and `bin/manifests.ts` both do first.
 *
 * @throws PlatformSpecError or AccountResolutionError, whose messages say what to fix
 */
export async function loadPlatform(specPath: string, options: AccountResolverOptions = {}): Promise<LoadedPlatform> {
  const spec = PlatformSpecLoader.fromFile(specPath);
  const account = await AccountResolver.resolve(spec, options);
  return { specPath, account, platforms: Platform.resolveEnvironments(spec, { account: account.account }) };
}

/**
 * Runs an app's main function. A failure (a bad spec, no account, a construct refusing its input)
 * prints its message and exits with status 1; the stack trace, which says nothing to a user of the
 * spec, only with `CDK_EKS_GITOPS_DEBUG=1`.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: Error) => {
    const debug = process.env.CDK_EKS_GITOPS_DEBUG === '1';
    process.stderr.write(`${debug ? error.stack ?? String(error) : error.message}\n`);
    process.exit(1);
  });
}
