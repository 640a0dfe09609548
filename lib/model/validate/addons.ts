// Validation, the add-ons section (`addons.<key>`): each add-on's own rules, run where it runs, and
// the workload identity an add-on cannot have.
import { runsAddon } from '../addon-list';
import { addonSettings } from '../resolve';
import { WorkloadIdentity } from '../types';
import type { AddProblem, EnvironmentInput } from './input';

/** The add-ons' own rules (`PlatformAddon.validate`), and `workloadIdentity: pod-identity` where an add-on cannot use it. */
export function checkAddons({ spec, platform, addons }: EnvironmentInput, add: AddProblem): void {
  for (const addon of addons) {
    const settings = addonSettings(spec, addon.specKey);
    if (addon.podIdentityUnsupported && settings.workloadIdentity === WorkloadIdentity.POD_IDENTITY) {
      add(`addons.${addon.specKey}.workloadIdentity`, `'pod-identity' is not possible for ${addon.name}: ${addon.podIdentityUnsupported}`);
    }
    if (runsAddon(platform, addon.name)) addon.validate?.({ spec, settings, platform, add });
  }
}
