import { EXTERNAL_DNS_ADDON } from './external-dns';
import { EXTERNAL_SECRETS_ADDON } from './external-secrets';
import { IMAGE_UPDATER_ADDON } from './image-updater';
import { LOAD_BALANCER_CONTROLLER_ADDON } from './load-balancer-controller';
import type { PlatformAddon } from './platform-addon';
import { VAULT_PLUGIN_ADDON } from './vault-plugin';

/** The add-ons every platform has (each decides whether it runs), in the order they contribute. */
export const BUILT_IN_ADDONS: readonly PlatformAddon[] = [
  LOAD_BALANCER_CONTROLLER_ADDON,
  EXTERNAL_SECRETS_ADDON,
  IMAGE_UPDATER_ADDON,
  EXTERNAL_DNS_ADDON,
  VAULT_PLUGIN_ADDON,
];

const registered: PlatformAddon[] = [];

/**
 * Adds an add-on to every platform resolved from now on in this process, after the built-in ones.
 *
 * @throws if an add-on of that name or spec key is registered already
 */
export function registerAddon(addon: PlatformAddon): void {
  const clash = platformAddons().find((a) => a.name === addon.name || a.specKey === addon.specKey);
  if (clash) throw new Error(`registerAddon: add-on '${addon.name}' (addons.${addon.specKey}) clashes with '${clash.name}' (addons.${clash.specKey})`);
  registered.push(addon);
}

/** The add-ons, built-in first. */
export function platformAddons(): readonly PlatformAddon[] {
  return [...BUILT_IN_ADDONS, ...registered];
}
