// Resolution, the core of one environment: every name, namespace, ServiceAccount, role and URI the
// spec itself gives, before any add-on adds its part. Only platform.ts calls it; call
// `Platform.resolve` (platform.ts) instead. Each section of the spec has its resolver in resolve/;
// the types they fill in are in resolved.ts.
import type { SpecWithDefaults } from './defaults';
import type { EnvironmentContext } from './environments';
import { resolveApp, resolveIngressClasses } from './resolve/apps';
import { resolveApplications, resolveArgoCd, resolveImageUpdater, resolveProject, resolveReservedNames, usesImageUpdater } from './resolve/argocd';
import { resolveCluster, resolveDns } from './resolve/cluster';
import { resolveEnvironmentNames, SectionInput } from './resolve/environment';
import { resolveGitHub, resolveManifestRepository } from './resolve/repository';
import { IdentityChoice, roleFactory } from './resolve/roles';
import { resolveExternalSecrets, resolveSecrets, usesVaultPlugin } from './resolve/secrets';
import type { ResolvedPlatform } from './resolved';

export { IdentityChoice, RoleFactory, roleFactory } from './resolve/roles';

/**
 * One environment of the platform as the spec describes it, before the add-ons add their roles,
 * Applications and project permissions (`Platform.resolve` adds them): every name, default and
 * derived fact of the core. `spec` is the spec as the environment sees it (see `environmentViews`);
 * `identityOf` decides the workload identity of each role.
 */
export function resolveCore(spec: SpecWithDefaults, account: string, identityOf: IdentityChoice, context: EnvironmentContext): ResolvedPlatform {
  const names = resolveEnvironmentNames(spec, account, context);
  const input: SectionInput = { spec, context, names, identityOf, roles: roleFactory(names.qualifiedName, names.partition, account) };
  const manifestRepository = resolveManifestRepository(input);
  const apps = spec.apps.map((app) => resolveApp(input, app));
  return {
    name: spec.name,
    environment: names.environment,
    environments: context.names,
    qualifiedName: names.qualifiedName,
    secretsPrefix: names.secretsPrefix,
    promotedFrom: context.promotedFrom,
    account,
    region: names.region,
    partition: names.partition,
    registry: names.images.registry,
    images: {
      environment: context.registryEnvironment,
      account: names.images.account,
      region: names.images.region,
      registry: names.images.registry,
      holdsRepositories: context.registryEnvironment === names.environment,
      pullers: [],
    },
    cluster: resolveCluster(input),
    github: resolveGitHub(input),
    manifestRepository,
    dns: resolveDns(input),
    secrets: resolveSecrets(input),
    argocd: resolveArgoCd(input),
    imageUpdater: resolveImageUpdater(input),
    usesImageUpdater: usesImageUpdater(input, apps),
    usesVaultPlugin: usesVaultPlugin(input),
    workloadIdentity: spec.workloadIdentity,
    // The add-ons' contributions, and what follows from them, are added by Platform.resolve.
    usesPodIdentity: false,
    addons: [],
    workloadRoles: [],
    applications: resolveApplications(apps),
    project: resolveProject(input, apps, manifestRepository),
    reservedNames: resolveReservedNames(input),
    externalSecrets: resolveExternalSecrets(input, apps, manifestRepository),
    apps,
    ingressClasses: resolveIngressClasses(input, apps),
  };
}
