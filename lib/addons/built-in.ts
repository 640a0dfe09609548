import { EXTERNAL_DNS_ADDON } from './external-dns/external-dns-addon';
import { EXTERNAL_SECRETS_ADDON } from './external-secrets/external-secrets-addon';
import { IMAGE_UPDATER_ADDON } from './image-updater/image-updater-addon';
import { KARPENTER_ADDON } from './karpenter/karpenter-addon';
import { LOAD_BALANCER_CONTROLLER_ADDON } from './load-balancer-controller/load-balancer-controller-addon';
import { VAULT_PLUGIN_ADDON } from './vault-plugin/vault-plugin-addon';
import type { PlatformAddon } from '../model/resolved';

/**
 * The add-ons the package brings (each decides whether it runs), in the order they contribute: what
 * `PlatformSpecLoader`, `Platform`, the CLI and the two apps use unless given others. A program adds
 * its own by passing `[...BUILT_IN_ADDONS, MY_ADDON]` wherever add-ons are given.
 *
 * @jsii ignore
 */
export const BUILT_IN_ADDONS: readonly PlatformAddon[] = [
  LOAD_BALANCER_CONTROLLER_ADDON,
  EXTERNAL_SECRETS_ADDON,
  IMAGE_UPDATER_ADDON,
  EXTERNAL_DNS_ADDON,
  VAULT_PLUGIN_ADDON,
  KARPENTER_ADDON,
];

/**
 * The add-ons the package brings, for a program that adds its own: `[...PlatformAddons.BUILT_IN,
 * MY_ADDON]`, passed as `addons` to `PlatformSpecLoader`, `Platform` and the two apps' `run()`.
 */
export class PlatformAddons {
  /**
   * The built-in add-ons, in the order they contribute.
   * @jsii ignore
   */
  public static readonly BUILT_IN: readonly PlatformAddon[] = BUILT_IN_ADDONS;

  private constructor() {}
}
