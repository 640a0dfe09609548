import type { ResolvedPlatform } from '../resolved';
import { DeliveryMode } from '../types';

/**
 * The notes of `validate` about the supply chain: each application whose images are not signed
 * (`apps[].supplyChain.sign: false`), with what is then unchecked. One line each, without the
 * `warning: ` prefix `validate` gives every warning it prints. The release workflows are generated
 * from the environment that follows releases, so the first platform is the one read.
 */
export function supplyChainWarnings(platforms: readonly ResolvedPlatform[]): string[] {
  const [first] = platforms;
  if (!first) return [];
  return first.apps
    .map((app, i) => ({ app, i }))
    .filter(({ app }) => !app.supplyChain.sign)
    .map(
      ({ app, i }) =>
        `apps[${i}].supplyChain.sign is false: the release workflow of ${app.name} pushes its images unsigned, and nothing verifies what runs ` +
        `(no cosign signature to check by hand, ${app.delivery} delivery moves tags unverified` +
        `${app.delivery === DeliveryMode.IMAGE_UPDATER ? ': no signing key signature, and its ImageUpdater resource has imagesVerification off' : ''}); keep it to a sandbox`,
    );
}
