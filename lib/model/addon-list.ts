// The add-ons a platform uses are an input of the model, given by whoever loads the spec (the
// built-in ones, and any a program adds): nothing in the model keeps a list of its own.
import type { AddonInUse, PlatformAddon } from './resolved';
import type { Field } from './shape';
import type { PlatformSpec } from './types';

/**
 * Refuses a list of add-ons two of which share a name (which messages and the resolved platform name
 * them by) or a spec key (their sections would be one).
 *
 * @throws Error naming both add-ons and what they share
 */
export function checkAddonList(addons: readonly PlatformAddon[]): void {
  addons.forEach((addon, i) => {
    const earlier = addons.slice(0, i).find((a) => a.name === addon.name || a.specKey === addon.specKey);
    if (!earlier) return;
    const shared = earlier.name === addon.name ? `the name '${addon.name}'` : `the spec key '${addon.specKey}' (addons.${addon.specKey})`;
    throw new Error(
      `addons: '${earlier.name}' (addons.${earlier.specKey}) and '${addon.name}' (addons.${addon.specKey}) have ${shared}; ` +
        'give each add-on of a platform its own name and spec key',
    );
  });
}

/**
 * Whether an add-on may run with this spec: one whose settings have a required field runs only where
 * the spec has its section, so its hooks always receive the settings their type promises.
 */
export function addonSectionAllows(addon: PlatformAddon, spec: PlatformSpec): boolean {
  const required = Object.values((addon.settings ?? {}) as { [key: string]: Field }).some((field) => field.required);
  return !required || (spec.addons as { [key: string]: unknown } | undefined)?.[addon.specKey] !== undefined;
}

/** Whether the resolved platform runs the add-on of that name. */
export function runsAddon(platform: { readonly addons: readonly AddonInUse[] }, name: string): boolean {
  return platform.addons.some((a) => a.addon.name === name);
}
