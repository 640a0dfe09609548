import { MANAGED_ARGOCD } from './managed';
import { SELF_MANAGED_ARGOCD } from './self-managed';
import { SPOKE_ARGOCD } from './spoke';
import type { ArgoCdStrategy } from './strategy';
import { ArgoCdMode } from '../../model/argocd-mode';
import type { ResolvedPlatform } from '../../model/resolved';

/** One strategy per Argo CD mode: the closed set, so a new mode cannot be left without one. */
export const ARGOCD_STRATEGIES: { readonly [mode in ArgoCdMode]: ArgoCdStrategy } = {
  [ArgoCdMode.SELF_MANAGED]: SELF_MANAGED_ARGOCD,
  [ArgoCdMode.MANAGED]: MANAGED_ARGOCD,
  [ArgoCdMode.SPOKE]: SPOKE_ARGOCD,
};

/** The strategy of the platform's Argo CD mode, as resolved (`argocd.mode`). */
export function argoCdStrategy(platform: ResolvedPlatform): ArgoCdStrategy {
  return ARGOCD_STRATEGIES[platform.argocd.mode];
}
