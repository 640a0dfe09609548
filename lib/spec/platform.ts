import { partitionOf } from './naming';
import { resolveCore, roleFactory } from './resolve-core';
import type { ResolvedChildApplication, ResolvedGroupKind, ResolvedPlatform, ResolvedWorkloadRole } from './resolved';
import { AppSpec, PlatformSpec, WorkloadIdentity } from './types';
import type { AddonContext, PlatformAddon, RoleRequest } from '../addons/platform-addon';
import { platformAddons } from '../addons/registry';

/** Options of `Platform.resolve`. */
export interface ResolveOptions {
  /**
   * The AWS account id, when the spec does not name it.
   * @default - the spec's `aws.account`
   */
  readonly account?: string;
}

/**
 * Derives every physical name of a platform from its spec: the single place names, defaults and
 * derived facts are made. The CDK constructs, the cdk8s charts, the workflows and the validation of
 * the rules across fields all read the result.
 */
export class Platform {
  /**
   * Resolves a validated spec (see `PlatformSpecLoader`) into the names and values both the CDK
   * stack and the manifests use.
   *
   * @throws if neither the spec nor `options.account` gives the account
   */
  public static resolve(spec: PlatformSpec, options: ResolveOptions = {}): ResolvedPlatform {
    const account = spec.aws.account ?? options.account;
    if (!account) {
      throw new Error('aws.account: no AWS account id; set it in the spec or pass options.account (see AccountResolver)');
    }
    return resolvePlatform(spec, account);
  }

  private constructor() {}
}

/**
 * Resolves a spec whose every field has passed its own rules (the rules across fields run on the
 * result): the core, then what each add-on the platform runs adds to it.
 */
export function resolvePlatform(spec: PlatformSpec, account: string): ResolvedPlatform {
  const addons = platformAddons();
  const identityOf = (addonKey: string | undefined, app: AppSpec | undefined): WorkloadIdentity => {
    const addon = addons.find((a) => a.specKey === addonKey);
    if (addon?.podIdentityUnsupported) return WorkloadIdentity.IRSA;
    const addonChoice = addonKey ? addonSettings(spec, addonKey).workloadIdentity : undefined;
    return app?.workloadIdentity ?? addonChoice ?? spec.workloadIdentity ?? WorkloadIdentity.IRSA;
  };
  const core = resolveCore(spec, account, identityOf);
  const roles = roleFactory(spec.name, partitionOf(spec.aws.region), account);

  const contextOf = (addon: PlatformAddon): AddonContext => ({
    spec,
    settings: addonSettings(spec, addon.specKey),
    platform: core,
    role: (request: RoleRequest): ResolvedWorkloadRole => {
      const appSpec = request.app && spec.apps.find((a) => a.name === request.app!.name);
      const identity = identityOf(addon.specKey, appSpec);
      const role = roles.serviceAccountRole(request.purpose, request.namespace, request.serviceAccountName, identity, request.app?.name);
      return roles.workloadRole({ ...role, purpose: request.purpose }, request.permissions, request.acceptedWildcards);
    },
  });
  const active = addons.filter((addon) => addon.enabled(contextOf(addon)));
  const resolutions = active.map((addon) => addon.resolve(contextOf(addon)));

  const apps = core.apps.map((app) => ({
    ...app,
    workloadRoles: [...resolutions.flatMap((r) => r.appRoles?.[app.name] ?? []), ...app.workloadRoles],
  }));
  const workloadRoles = resolutions.flatMap((r) => r.roles ?? []);
  const allRoles = [...workloadRoles, ...apps.flatMap((app) => app.workloadRoles)];
  const applications: ResolvedChildApplication[] = [...resolutions.flatMap((r) => r.applications ?? []), ...core.applications].sort(
    (a, b) => a.wave - b.wave,
  );
  return {
    ...core,
    apps,
    addons: active.map((addon) => addon.name),
    workloadRoles,
    usesPodIdentity: allRoles.some((role) => role.identity === WorkloadIdentity.POD_IDENTITY),
    applications,
    project: {
      sourceRepos: unique([...core.project.sourceRepos, ...resolutions.flatMap((r) => r.sourceRepos ?? [])]),
      namespaces: unique([...core.project.namespaces, ...resolutions.flatMap((r) => r.namespaces ?? [])]),
      clusterResources: uniqueKinds([...core.project.clusterResources, ...resolutions.flatMap((r) => r.clusterResources ?? [])]),
    },
    reservedNames: {
      applications: unique([...core.reservedNames.applications, ...resolutions.flatMap((r) => r.reservedApplicationNames ?? [])]),
      namespaces: unique([...core.reservedNames.namespaces, ...resolutions.flatMap((r) => r.reservedNamespaces ?? [])]),
    },
  };
}

/** An add-on's spec section (`addons.<key>`), or `{}`. */
export function addonSettings(spec: PlatformSpec, key: string): { [key: string]: any } {
  return ((spec.addons as { [key: string]: any } | undefined)?.[key] as { [key: string]: any } | undefined) ?? {};
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function uniqueKinds(kinds: ResolvedGroupKind[]): ResolvedGroupKind[] {
  return kinds.filter((k, i) => kinds.findIndex((o) => o.group === k.group && o.kind === k.kind) === i);
}
