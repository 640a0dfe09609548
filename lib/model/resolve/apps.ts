// Resolution, the apps section: each application's names, images, CI, Ingress, migration and
// Argo CD Application, with the defaults that follow other fields derived.
import { DEFAULT_SEMVER_ALLOW_TAGS, SYNC_WAVES } from '../constants';
import type { AppWithDefaults, ResourcesWithDefaults } from '../defaults';
import { appStackId, outputPrefix, roleArn, roleName } from '../naming';
import type { ResolvedApp, ResolvedContainer, ResolvedIngressClass, ResolvedResources, ResolvedRole } from '../resolved';
import { ComputeMode, DeliveryMode, UpdateStrategy, WriteBackMethod } from '../types';
import { databaseMasterEnv, databaseMigrationEnv, databaseSecretEnv, resolveDatabase } from './database';
import type { SectionInput } from './environment';
import { resolvePreviews } from './previews';
import { githubRepository } from './repository';
import { resolveAppSecret } from './secrets';
import { managedMigrationDeadlineSeconds } from '../validate/managed-argocd';

/** One application of the environment. */
export function resolveApp(input: SectionInput, app: AppWithDefaults): ResolvedApp {
  const { spec, names, roles, identityOf } = input;
  const { qualifiedName } = names;
  // Derived defaults (the description states them, the schema cannot hold them) are filled in here.
  const namespace = app.namespace ?? app.name;
  const firstWithPort = app.containers.find((c) => c.port !== undefined);
  const ingressContainerName = app.ingress.container ?? firstWithPort?.name ?? app.containers[0].name;
  const ingressContainer = app.containers.find((c) => c.name === ingressContainerName);
  const internetFacing = app.ingress.internetFacing;
  // The load balancer controller reconciles no Ingress of a group whose members disagree on the
  // scheme, so internal applications get a group of their own.
  const groupName = app.ingress.groupName ?? (internetFacing ? spec.name : `${spec.name}-internal`);
  const strategy = app.imageUpdate.strategy;
  const database = resolveDatabase(input, app);
  // The database's connection, read by its containers as the application's user and by the
  // migration as the master user (validate refuses a variable the spec maps as well).
  const databaseEnv = databaseSecretEnv(database);
  const containers: ResolvedContainer[] = app.containers.map((c) => ({
    name: c.name,
    image: names.image(c.repository ?? `${spec.name}/${app.name}/${c.name}`, c.dockerfile),
    tag: c.tag,
    port: c.port,
    // Port names must be unique in a pod and at most 15 characters: the Service targets `http`.
    portName: c.port === undefined ? undefined : c.name === ingressContainerName ? 'http' : `http-${c.port}`,
    env: c.env ?? {},
    secretEnv: database?.containers.includes(c.name) ? { ...c.secretEnv, ...databaseEnv } : c.secretEnv ?? {},
    resources: resolveResources(c.resources),
  }));
  const permissions = (app.migration?.permissions ?? []).map((p, i) => ({ sid: `Spec${i}`, actions: [...p.actions], resources: [...p.resources] }));
  const migrationServiceAccount = { namespace, serviceAccountName: `${app.name}-migration` };
  // The base is shared by every environment; what differs is under the environment's overlay.
  const overlay = `${app.name}/overlays/${names.environment}`;
  const paths = { base: `${app.name}/base`, secrets: `${overlay}/secrets`, overlay };
  const migrationIdentity = identityOf(undefined, app);
  const migrationRole =
    app.migration && permissions.length
      ? roles.workloadRole(
        { ...roles.serviceAccountRole('migration', namespace, migrationServiceAccount.serviceAccountName, migrationIdentity, app.name), purpose: 'migration' },
        permissions,
        // Wildcards the spec asks for are the spec's.
        permissions
          .flatMap((p) => p.resources)
          .filter((r) => r.includes('*'))
          .map((resource) => ({ resource, reason: `apps[].migration.permissions of ${app.name} grants it in the platform spec.` })),
      )
      : undefined;
  const migrationImage = app.migration && names.image(app.migration.repository ?? `${spec.name}/${app.name}/migration`, app.migration.dockerfile);
  const previews = resolvePreviews(input, app, [
    ...containers.map((c) => ({ container: c.name, image: c.image })),
    // A preview builds its migration image only when it runs the migration.
    ...(migrationImage && app.previews.migrate ? [{ container: 'migration', image: migrationImage }] : []),
  ], paths.overlay);
  return {
    name: app.name,
    stackId: appStackId(qualifiedName, app.stack),
    outputPrefix: outputPrefix(app.name),
    namespace,
    host: app.host,
    replicas: app.replicas,
    delivery: app.delivery,
    imageUpdate: {
      strategy,
      // Derived: only the semver strategy has a default tag filter.
      allowTags: app.imageUpdate.allowTags ?? (strategy === UpdateStrategy.SEMVER ? DEFAULT_SEMVER_ALLOW_TAGS : undefined),
      // A promotion copies the tags the first environment runs from Git: they must be written there.
      writeBack: app.imageUpdate.writeBack ?? (names.several ? WriteBackMethod.GIT : WriteBackMethod.ARGOCD),
    },
    ci: {
      repository: githubRepository(spec.github.owner, app.ci.repository, 'main'),
      subjectFormat: app.ci.subjectFormat,
      ownerId: spec.github.ownerId,
      repositoryId: app.ci.repositoryId,
      tagPatterns: app.ci.tagPatterns,
      branches: app.ci.branches,
      environments: app.ci.environments,
      pullRequests: app.ci.pullRequests,
      deployPaths: app.ci.deployPaths,
      role: ciRole(input, app.name),
    },
    // The Image Updater verifies by public key only: its apps are signed with the platform's KMS key too.
    supplyChain: { sign: app.supplyChain.sign, keySigned: app.supplyChain.sign && app.delivery === DeliveryMode.IMAGE_UPDATER },
    containers,
    bindsPrivilegedPort: containers.some((c) => c.port !== undefined && c.port < 1024),
    releaseContainer: containers[0],
    ingress: {
      containerName: ingressContainerName,
      port: ingressContainer?.port ?? 80,
      healthCheckPath: app.ingress.healthCheckPath,
      internetFacing,
      certificateArn: app.ingress.certificateArn,
      groupName,
      // EKS Auto Mode takes the group from the IngressClassParams, not from an annotation.
      className: spec.cluster.compute.mode === ComputeMode.AUTO_MODE ? autoModeIngressClassName(groupName) : 'alb',
    },
    migration: app.migration && {
      jobName: `${app.name}-migration`,
      image: migrationImage!,
      command: [...app.migration.command],
      // Derived: the EKS managed Argo CD ends a sync 120 s after it starts, the database user's Job
      // included (validate/managed-argocd.ts).
      deadlineSeconds: app.migration.deadlineSeconds ?? (spec.argocd.managed ? managedMigrationDeadlineSeconds(database !== undefined) : 600),
      retries: app.migration.retries,
      secretEnv: database ? { ...app.migration.secretEnv, ...databaseMigrationEnv(database) } : app.migration.secretEnv ?? {},
      databaseMasterEnv: database && databaseMasterEnv(database),
      resources: resolveResources(app.migration.resources),
      serviceAccount: migrationServiceAccount,
      role: migrationRole,
    },
    secret: resolveAppSecret(input, app, namespace, database),
    database,
    externalDns: roles.serviceAccountRole('external-dns', namespace, `${app.name}-external-dns`, identityOf('externalDns', app), app.name),
    externalDnsOwnerId: `${qualifiedName}-${app.name}`,
    paths,
    application: { name: names.applicationName(app.name), namespace, wave: SYNC_WAVES.apps, path: paths.overlay, syncOptions: ['CreateNamespace=true'] },
    previews,
    workloadRoles: [...(migrationRole ? [migrationRole] : []), ...(previews ? [previews.secretsReader, previews.externalDns] : [])],
  };
}

/** An application's CI role: it lives beside the images, once for every environment. */
function ciRole({ spec, names }: SectionInput, app: string): ResolvedRole {
  const name = roleName(spec.name, 'ci', app);
  return { roleName: name, roleArn: roleArn(names.images.partition, names.images.account, name) };
}

/** The resources in their resolved order, whatever order the spec gives them in (the defaults are filled in). */
function resolveResources(resources: ResourcesWithDefaults): ResolvedResources {
  const { cpuRequest, cpuLimit, memoryRequest, memoryLimit } = resources;
  return { cpuRequest, cpuLimit, memoryRequest, memoryLimit };
}

/** The IngressClass (and IngressClassParams) of an ALB group under EKS Auto Mode. */
export function autoModeIngressClassName(groupName: string): string {
  return `alb-${groupName}`;
}

/**
 * The IngressClasses of EKS Auto Mode, one per ALB group in the order the groups first appear:
 * the group, its scheme (the apps of a group agree on it, validate.ts) and its apps' certificates.
 */
export function resolveIngressClasses(input: SectionInput, apps: readonly ResolvedApp[]): ResolvedIngressClass[] {
  if (input.spec.cluster.compute.mode !== ComputeMode.AUTO_MODE) return [];
  const classes = new Map<string, { internetFacing: boolean; certificateArns: string[]; apps: string[] }>();
  for (const app of apps) {
    const { groupName, internetFacing, certificateArn } = app.ingress;
    const entry = classes.get(groupName) ?? { internetFacing, certificateArns: [], apps: [] };
    if (certificateArn !== undefined && !entry.certificateArns.includes(certificateArn)) entry.certificateArns.push(certificateArn);
    entry.apps.push(app.name);
    classes.set(groupName, entry);
  }
  return [...classes].map(([groupName, entry]) => ({ name: autoModeIngressClassName(groupName), groupName, ...entry }));
}
