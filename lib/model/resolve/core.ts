// Resolution, the core of one environment: every name, namespace, ServiceAccount, role and URI the
// spec itself gives, before any add-on adds its part. Only ../resolve.ts calls it; call
// `Platform.resolve` (lib/platform/platform.ts) instead. Each section of the spec has its resolver
// beside this file; the types they fill in are in ../resolved.ts.
import type { SpecWithDefaults } from '../defaults';
import type { EnvironmentContext } from '../environments';
import { resolveApp, resolveIngressClasses } from './apps';
import { resolveApplications, resolveArgoCd, resolveImageUpdater, resolveProject, resolveReservedNames, usesImageUpdater } from './argocd';
import { resolveCluster, resolveDns } from './cluster';
import { resolveEnvironmentNames, SectionInput } from './environment';
import { feedbackApplications, resolveDeployFeedback } from './feedback';
import { heldPreviews } from './previews';
import { resolveGitHub, resolveManifestRepository } from './repository';
import { IdentityChoice, roleFactory } from './roles';
import { resolveExternalSecrets, resolveSecrets, usesVaultPlugin } from './secrets';
import { resolveSigningKey } from './signing-key';
import type { ResolvedPlatform } from '../resolved';

export { IdentityChoice, RoleFactory, roleFactory } from './roles';

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
  const deployFeedback = resolveDeployFeedback(input);
  const reservedNames = resolveReservedNames(input);
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
      // Where the previews run here too; an environment that holds the images for another is told by resolveEnvironments.
      previews: context.registryEnvironment === names.environment ? heldPreviews(names.environment, apps) : [],
      signingKey: resolveSigningKey(spec.name, names.images, apps),
    },
    cluster: resolveCluster(input),
    github: resolveGitHub(input),
    manifestRepository,
    dns: resolveDns(input),
    secrets: resolveSecrets(input),
    argocd: { ...resolveArgoCd(input), deployFeedback },
    imageUpdater: resolveImageUpdater(input),
    usesImageUpdater: usesImageUpdater(input, apps),
    usesVaultPlugin: usesVaultPlugin(input),
    workloadIdentity: spec.workloadIdentity,
    // The add-ons' contributions, and what follows from them, are added by Platform.resolve.
    usesPodIdentity: false,
    addons: [],
    workloadRoles: [],
    // The notifications controller's, under the EKS managed Argo CD, with the operators' wave.
    applications: [...resolveApplications(apps), ...feedbackApplications(deployFeedback)],
    project: resolveProject(input, apps, manifestRepository),
    reservedNames: { ...reservedNames, applications: [...reservedNames.applications, ...feedbackApplications(deployFeedback).map((a) => a.name)] },
    externalSecrets: resolveExternalSecrets(input, apps, manifestRepository),
    apps,
    ingressClasses: resolveIngressClasses(input, apps),
  };
}
