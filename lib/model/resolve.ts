// Resolution, the entry point, behind `Platform.resolve` and `Platform.resolveEnvironments` (public
// API, lib/platform/platform.ts): a validated spec and the add-ons it uses become one
// `ResolvedPlatform` per environment: each environment's core (resolve/core.ts, which calls one
// resolver per section of the spec in resolve/), then what each add-on adds, then what the
// environments tell each other (the registry's pullers, the Argo CD hub). The types it returns are
// in resolved.ts. Validation has the same layout: validate.ts and validate/.
import { addonSectionAllows, checkAddonList } from './addon-list';
import { withDefaults } from './defaults';
import { EnvironmentContext, environmentViews, EnvironmentView } from './environments';
import { partitionOf, roleArn, roleName } from './naming';
import { resolveCore, roleFactory } from './resolve/core';
import { heldPreviews } from './resolve/previews';
import type {
  AddonContext,
  AddonInUse,
  PlatformAddon,
  ResolvedArgoCdHub,
  ResolvedChildApplication,
  ResolvedGroupKind,
  ResolvedPlatform,
  ResolvedPromotionRole,
  ResolvedWorkloadRole,
  RoleRequest,
} from './resolved';
import { AppSpec, PlatformSpec, SubjectFormat, WorkloadIdentity } from './types';

/**
 * Resolves every environment of a spec whose every field has passed its own rules, each with the
 * account `accountOf` gives it; then tells the environment that holds the images which others pull
 * them (their node roles and, where releases arrive, their Image Updater).
 */
export function resolveEnvironments(
  spec: PlatformSpec,
  accountOf: (view: EnvironmentView) => string,
  addons: readonly PlatformAddon[],
): ResolvedPlatform[] {
  const views = environmentViews(spec).map((view) => ({ view, account: accountOf(view) }));
  const registryAccount = views.find(({ view }) => view.context.name === view.context.registryEnvironment)?.account;
  const platforms = views.map(({ view, account }) =>
    resolvePlatform(view.spec, account, addons, { ...view.context, registryAccount: view.context.registryAccount ?? registryAccount }),
  );
  return withHub(platforms, spec.argocd?.hub).map((platform) => {
    if (!platform.images.holdsRepositories) return platform;
    const pullers = platforms
      .filter((other) => other.account !== platform.account && other.cluster.nodeRoleName)
      .map((other) => ({
        environment: other.environment,
        account: other.account,
        // The node group's role, and with Karpenter the role of the nodes it launches.
        pullRoleArns: [other.cluster.nodeRoleName!, other.cluster.karpenterNodeRoleName]
          .filter((name): name is string => name !== undefined)
          .map((name) => roleArn(other.partition, other.account, name)),
        readRoleArns: other.usesImageUpdater ? [other.imageUpdater.roleArn] : [],
      }));
    // Previews run where releases arrive (the first environment); the images, theirs too, live here.
    const [first] = platforms;
    const previews = platform.environment === first.environment ? platform.images.previews : heldPreviews(first.environment, first.apps);
    return { ...platform, images: { ...platform.images, pullers, previews } };
  }).map((platform, _, all) => {
    const promotionRole = resolvePromotionRole(all);
    return promotionRole ? { ...platform, images: { ...platform.images, promotionRole } } : platform;
  });
}

/**
 * The role the promotion workflows verify signatures with, in the registry environment's account:
 * one for the platform, when an environment is promoted from another and an application signs its
 * images (an unsigned application's images are copied without a check, so it needs none). It trusts
 * the manifest repository's branch, by ids when the spec gives them (`github.ownerId` and
 * `github.manifestRepository.repositoryId`), and reads the signing applications' repositories.
 */
function resolvePromotionRole(platforms: ResolvedPlatform[]): ResolvedPromotionRole | undefined {
  const registry = platforms.find((p) => p.images.holdsRepositories);
  if (!registry || !platforms.some((p) => p.promotedFrom !== undefined)) return undefined;
  const signing = registry.apps.filter((app) => app.supplyChain.sign);
  if (signing.length === 0) return undefined;
  const repository = registry.manifestRepository;
  const ownerId = registry.github.ownerId;
  const immutable = repository.repositoryId !== undefined && ownerId !== undefined;
  const name = roleName(registry.name, 'promotion');
  return {
    roleName: name,
    roleArn: roleArn(partitionOf(registry.images.region), registry.images.account, name),
    subjects: {
      owner: repository.owner,
      repository: repository.name,
      branches: [repository.branch],
      ...(immutable
        ? { subjectFormat: SubjectFormat.IMMUTABLE, ownerId, repositoryId: repository.repositoryId }
        : { subjectFormat: SubjectFormat.NAME }),
    },
    repositoryArns: signing.flatMap((app) => [
      ...app.containers.map((c) => c.image.repositoryArn),
      ...(app.migration ? [app.migration.image.repositoryArn] : []),
    ]),
  };
}

/**
 * With a hub (`argocd.hub`), tells every environment which one manages it: the hub's cluster is where
 * each environment's Argo CD objects go, and the hub knows every other cluster and the namespaces
 * the platform deploys to there. Without one (or naming no environment, which validation refuses),
 * the environments are unchanged.
 */
function withHub(platforms: ResolvedPlatform[], hubName: string | undefined): ResolvedPlatform[] {
  const hub = platforms.find((p) => p.environment === hubName);
  if (!hub || platforms.length < 2) return platforms;
  // Named, so the other environments' access entries can name it before it exists.
  const name = roleName(hub.qualifiedName, 'argocd');
  const resolved: ResolvedArgoCdHub = {
    environment: hub.environment,
    account: hub.account,
    region: hub.region,
    clusterName: hub.cluster.name,
    clusterArn: hub.cluster.arn,
    role: { roleName: name, roleArn: roleArn(hub.partition, hub.account, name) },
    spokes: platforms
      .filter((p) => p !== hub)
      .map((p) => ({
        environment: p.environment,
        account: p.account,
        region: p.region,
        clusterName: p.cluster.name,
        clusterArn: p.cluster.arn,
        // Nothing of a spoke is in Argo CD's namespace on its own cluster: that namespace is the hub's.
        namespaces: p.project.namespaces.filter((namespace) => namespace !== p.argocd.namespace),
      })),
  };
  return platforms.map((p) => ({ ...p, argocd: { ...p.argocd, hub: resolved, argocdServer: hub.argocd.destinationServer } }));
}

/**
 * Resolves one environment of a spec whose every field has passed its own rules (the rules across
 * fields run on the result): the core, then what each of `addons` the platform runs adds to it (the
 * result carries those add-ons, with their settings). `spec` is the spec as the environment sees it
 * (see `environmentViews`); by default, its only environment.
 *
 * @throws Error when two add-ons share a name or a spec key
 */
export function resolvePlatform(
  spec: PlatformSpec,
  account: string,
  addons: readonly PlatformAddon[],
  context: EnvironmentContext = environmentViews(spec)[0].context,
): ResolvedPlatform {
  checkAddonList(addons);
  // The one place the spec's defaults are filled in: every resolution (and validation's) comes here.
  const filled = withDefaults(spec);
  const identityOf = (addonKey: string | undefined, app: AppSpec | undefined): WorkloadIdentity => {
    const addon = addons.find((a) => a.specKey === addonKey);
    if (addon?.podIdentityUnsupported) return WorkloadIdentity.IRSA;
    const addonChoice = addonKey ? addonSettings(spec, addonKey).workloadIdentity : undefined;
    // The application's choice, then the add-on's, then the platform's (its default filled in).
    return app?.workloadIdentity ?? addonChoice ?? filled.workloadIdentity;
  };
  const core = resolveCore(filled, account, identityOf, context);
  const roles = roleFactory(core.qualifiedName, partitionOf(spec.aws.region), account);

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
  const active = addons.filter((addon) => addonSectionAllows(addon, spec) && addon.enabled(contextOf(addon)));
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
    addons: active.map((addon): AddonInUse => ({ addon, settings: addonSettings(spec, addon.specKey) })),
    workloadRoles,
    usesPodIdentity: allRoles.some((role) => role.identity === WorkloadIdentity.POD_IDENTITY),
    applications,
    project: {
      sourceRepos: unique([...core.project.sourceRepos, ...resolutions.flatMap((r) => r.sourceRepos ?? [])]),
      namespaces: unique([...core.project.namespaces, ...resolutions.flatMap((r) => r.namespaces ?? [])]),
      previews: core.project.previews,
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

/** Each group, kind and name once; an entry by name goes when the kind is allowed whatever the name. */
function uniqueKinds(kinds: ResolvedGroupKind[]): ResolvedGroupKind[] {
  const same = (a: ResolvedGroupKind, b: ResolvedGroupKind) => a.group === b.group && a.kind === b.kind;
  const first = (k: ResolvedGroupKind, i: number) => kinds.findIndex((o) => same(o, k) && o.name === k.name) === i;
  return kinds.filter((k, i) => first(k, i) && (k.name === undefined || !kinds.some((o) => same(o, k) && o.name === undefined)));
}
