// Validation, the Argo CD section: the hub that manages every environment's cluster, the sync
// policy, and the sign-in of the EKS managed Argo CD. (What the managed Argo CD cannot do at all is
// checked in managed-argocd.ts.)
import { show } from '../shape';
import { DeliveryMode } from '../types';
import type { AddProblem, EnvironmentInput, SpecInput } from './input';

/** `argocd.hub`: an environment of several, with the managed Argo CD, where the Image Updater can run. */
export function checkHub({ spec, environments, resolvedApps }: SpecInput, add: AddProblem): void {
  const hub = spec.argocd?.hub;
  if (hub === undefined) return;
  const oneEnvironment = (names: string) =>
    add('argocd.hub', `${show(hub)} names the environment whose Argo CD manages every environment's cluster, and ${names}; remove it, or list several environments`);
  if (spec.environments === undefined) {
    oneEnvironment('this platform has no environments (one cluster, which runs its own Argo CD)');
    return;
  }
  const names = environments.map((e) => e.environment.name);
  if (names.length < 2) {
    oneEnvironment(`this platform has one environment (${names.map((n) => show(n)).join('')}), which runs its own Argo CD`);
    return;
  }
  if (!names.includes(hub)) {
    add('argocd.hub', `${show(hub)} is not an environment; use one of ${names.join(', ')}`);
    return;
  }
  if (spec.argocd?.managed !== true) {
    add(
      'argocd.hub',
      `${show(hub)}: a hub requires argocd.managed: true for now. The EKS managed Argo CD reaches another cluster by its ARN, ` +
        'through an access entry there for its role; a self-managed Argo CD would also need each cluster\'s endpoint and CA, which ' +
        'the platform does not obtain yet. Set argocd.managed: true (with argocd.identityCenter), or remove argocd.hub',
    );
  }
  // The delivery each app resolves to, its default included: the one the manifests use.
  const updated = resolvedApps.filter((app) => app.delivery === DeliveryMode.IMAGE_UPDATER);
  if (hub !== names[0] && updated.length) {
    add(
      'argocd.hub',
      `${show(hub)} is not the first environment (${show(names[0])}), where releases arrive: the Image Updater runs there and ` +
        `updates the Applications of the Argo CD beside it, and ${updated.map((app) => show(app.name)).join(', ')} ` +
        `${updated.length === 1 ? 'is' : 'are'} delivered by it. Use ${show(names[0])} as the hub, list ${show(hub)} first, or deliver by 'pull-request'`,
    );
  }
  // The hub's stack reads the signing key's public key, so it follows the registry's; a registry that
  // is a spoke follows the hub's (its access entry names the hub's role): no order deploys both.
  const registry = spec.registry?.environment ?? names[0];
  const keySigned = updated.filter((app) => app.supplyChain.keySigned);
  if (hub === names[0] && registry !== hub && keySigned.length) {
    add(
      'registry.environment',
      `${show(registry)} holds the images and the image signing key, and is managed by the hub ${show(hub)}, whose Image Updater verifies ` +
        `${keySigned.map((app) => show(app.name)).join(', ')} with that key's public key: the hub's stack would wait for the registry's and the ` +
        `registry's for the hub's. Use the hub ${show(hub)} as registry.environment, or deliver them by 'pull-request'`,
    );
  }
}

/** `argocd.syncPolicy`: pruning and self-heal happen only in automated sync. */
export function checkSyncPolicy({ spec }: EnvironmentInput, add: AddProblem): void {
  const policy = spec.argocd?.syncPolicy;
  if (policy?.automated === false) {
    if (policy.prune) add('argocd.syncPolicy.prune', 'true needs automated: true (pruning happens only in automated sync)');
    if (policy.selfHeal) add('argocd.syncPolicy.selfHeal', 'true needs automated: true (self-heal happens only in automated sync)');
  }
}

/** `argocd.identityCenter`: required by the managed Argo CD, and only there. */
export function checkIdentityCenter({ spec, platform }: EnvironmentInput, add: AddProblem): void {
  if (platform.argocd.managed && !spec.argocd?.identityCenter) {
    add('argocd.identityCenter', 'is required when argocd.managed is true: the managed Argo CD signs users in through IAM Identity Center');
  }
  if (spec.argocd?.identityCenter && !platform.argocd.managed) {
    add('argocd.identityCenter', 'applies only to the managed Argo CD; set argocd.managed: true or remove it');
  }
}
