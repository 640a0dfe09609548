import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { checkAddonList, runsAddon } from './addon-list';
import { environmentViews } from './environments';
import { checkKubernetesVersion } from './kubernetes-versions';
import { PLACEHOLDER_ACCOUNT } from './naming';
import { addonSettings, resolveEnvironments } from './platform';
import { platformShape } from './platform-shape';
import type { PlatformAddon, ResolvedApp, ResolvedPlatform } from './resolved';
import { checkShape, show, SpecProblem } from './shape';
import { AppSpec, DeliveryMode, EnvironmentSpec, PlatformSpec, RepositoryAccess, SecretBackend, SubjectFormat, UpdateStrategy, WorkloadIdentity, WriteBackMethod } from './types';
import { checkCompute } from './validate/compute';
import { checkLimits, checkPartitions } from './validate-limits';
import { checkManagedArgoCd } from './validate-managed-argocd';
import { checkDerivedNames } from './validate-names';
import { checkOutputs } from './validate-outputs';

/**
 * Top-level required fields, with a stand-in value that lets the rules across fields run while the
 * field itself is missing or wrong (its own problem is reported already).
 */
const STAND_INS: { path: string[]; value: unknown }[] = [
  { path: ['name'], value: 'platform' },
  { path: ['aws', 'region'], value: 'us-east-1' },
  { path: ['github', 'owner'], value: 'owner' },
  { path: ['github', 'manifestRepository', 'name'], value: 'manifests' },
  { path: ['dns', 'domain'], value: 'example.com' },
  { path: ['dns', 'hostedZoneId'], value: 'Z0' },
  { path: ['apps'], value: [] },
];

/**
 * Every problem in a parsed spec document, at once: first the fields on their own (types, required,
 * unknown, patterns), then the rules that relate fields to each other, which run on the resolved
 * platform: the names and defaults the stacks and manifests will actually use. A field with its own
 * problem is left out of the second pass (an application missing a required field is skipped there),
 * so one mistake is reported once. An empty list means the document is a valid `PlatformSpec`
 * with these add-ons (each one's section checked against its settings, its rules run).
 *
 * @throws Error when two add-ons share a name or a spec key
 */
export function validateSpec(document: unknown, addons: readonly PlatformAddon[]): SpecProblem[] {
  checkAddonList(addons);
  const problems: SpecProblem[] = [];
  const shape = platformShape(addons);
  const checked = checkShape(document, shape, '', problems);
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return problems;
  checkNulls(document, '', problems);

  const standIns = new Set<string>();
  const draft = (checked ?? checkShape(withStandIns(document as Record<string, unknown>, problems, standIns), shape, '', [])) as
    | PlatformSpec
    | undefined;
  if (!draft) return problems;
  checkRelations(draft, standIns, problems, addons);
  return problems;
}

/** The document with stand-ins for the top-level required fields that have problems of their own. */
function withStandIns(document: Record<string, unknown>, problems: SpecProblem[], standIns: Set<string>): Record<string, unknown> {
  const copy = structuredClone(document);
  for (const { path, value } of STAND_INS) {
    const dotted = path.join('.');
    // The field itself is missing or wrong, or a mapping it lives in is (a problem inside a list
    // of apps only leaves that app out).
    const broken = problems.some((p) => p.path === dotted || dotted.startsWith(`${p.path}.`));
    if (!broken) continue;
    standIns.add(dotted);
    let node: Record<string, unknown> = copy;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      node = node[key] = next !== null && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : {};
    }
    node[path[path.length - 1]] = value;
  }
  return copy;
}

/**
 * An empty value (`hub:` with nothing after it is YAML null) is refused, not read as absent: the
 * checks would skip it while the stacks and manifests, which read the document itself, would see a
 * value that is neither absent nor valid. A required field's null is reported as missing already.
 */
function checkNulls(value: unknown, path: string, problems: SpecProblem[]): void {
  if (value === null || typeof value !== 'object') return;
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, i) => [`${path}[${i}]`, item])
    : Object.entries(value).map(([key, item]) => [path ? `${path}.${key}` : key, item]);
  for (const [at, item] of entries) {
    if (item === null && !Array.isArray(value) && !problems.some((p) => p.path === at)) {
      problems.push({ path: at, message: 'is empty (a key with no value is null in YAML); give a value, or remove the key to use the default' });
    } else {
      checkNulls(item, at, problems);
    }
  }
}

/** Whether a draft value holds a list entry that was left out (undefined) for a problem of its own. */
function hasHole(value: unknown): boolean {
  if (Array.isArray(value)) return value.some((item) => item === undefined || hasHole(item));
  if (value === null || typeof value !== 'object') return false;
  return Object.values(value).some(hasHole);
}

/** Reports one problem. */
type Add = (path: string, message: string) => void;

interface Located {
  /** The application as the spec gives it. */
  readonly spec: AppSpec;
  /** Its resolved form. */
  readonly app: ResolvedApp;
  /** Its path, `apps[<index>]`. */
  readonly path: string;
}

/**
 * The rules across fields. Each environment is checked as it will be resolved (the spec with its
 * overrides); a problem found in some environments only says which, and a problem that comes from an
 * environment's override is reported at that override.
 */
function checkRelations(spec: PlatformSpec, standIns: Set<string>, problems: SpecProblem[], addons: readonly PlatformAddon[]): void {
  // A field with a problem of its own, or one inside or around it, is not blamed a second time.
  const reported = problems.map((p) => p.path);
  const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`) || b.startsWith(`${a}.`) || b.startsWith(`${a}[`);
  const add = (path: string, message: string) => {
    const known = reported.some((r) => related(r, path)) || problems.some((p) => p.path === path && p.message === message);
    if (!known) problems.push({ path, message });
  };

  // Entries that failed their own rules are undefined in the draft, at any depth (a container, a
  // migration permission, an environment's override): an app or environment holding one is left
  // out; the rest are resolved as they will be.
  const entries = spec.apps
    .map((app, index) => ({ app, index }))
    .filter((entry): entry is { app: AppSpec; index: number } => entry.app !== undefined && !hasHole(entry.app));
  const environments = (spec.environments ?? [])
    .map((environment, index) => ({ environment, index }))
    .filter((entry): entry is { environment: EnvironmentSpec; index: number } => entry.environment !== undefined && !hasHole(entry.environment));
  const usable: PlatformSpec = {
    ...spec,
    apps: entries.map((e) => e.app),
    environments: spec.environments && environments.map((e) => e.environment),
  };
  const views = environmentViews(usable);
  const platforms = resolveEnvironments(usable, (view) => view.spec.aws.account ?? PLACEHOLDER_ACCOUNT, addons);
  // The first environment's resolution: where releases arrive, and what each app resolves to there.
  const resolvedApps = platforms[0]?.apps ?? [];
  checkEnvironments(usable, entries, environments, resolvedApps, entries.length === spec.apps.length, add);
  const several = views.length > 1;
  // Problems by where they are reported, with the environments they were found in.
  const found = new Map<string, { path: string; message: string; in: string[] }>();
  views.forEach((view, i) => {
    const platform = platforms[i];
    const at = view.index === undefined ? undefined : environments[view.index];
    const record: Add = (path, message) => {
      const where = at ? environmentPath(usable, at.environment, at.index, path) : path;
      const key = `${where}\n${message}`;
      const entry = found.get(key) ?? { path: where, message, in: [] };
      entry.in.push(view.context.name);
      found.set(key, entry);
    };
    const apps: Located[] = entries.map((entry, j) => ({ spec: view.spec.apps[j], app: platform.apps[j], path: `apps[${entry.index}]` }));
    checkPlatform(view.spec, platform, record);
    checkKubernetesVersion(platform, record);
    checkManagedArgoCd(view.spec, platform, apps, record);
    checkCompute(view.spec, platform, apps, record);
    checkAddons(view.spec, platform, record, addons);
    checkAcrossApps(view.spec, platform, apps, standIns, record);
    for (const located of apps) checkApp(view.spec, platform, located, record);
    checkLimits(view.spec, platform, apps, record);
    checkOutputs(platform, apps, record);
  });
  for (const { path, message, in: names } of found.values()) {
    const everywhere = !several || names.length === views.length || path.startsWith('environments[');
    add(path, everywhere ? message : `${message} (in environment${names.length > 1 ? 's' : ''} ${names.map((n) => show(n)).join(', ')})`);
  }

  // The derived names, across every environment; a field with a problem already is not blamed again.
  const located = views.map((view, i) => ({
    platform: platforms[i],
    environmentPath: view.index === undefined ? 'environment' : `environments[${environments[view.index].index}].name`,
    appPaths: entries.map((entry) => `apps[${entry.index}]`),
  }));
  checkDerivedNames(located, (path, message) => {
    if (!problems.some((p) => p.path === path)) add(path, message);
  });
  checkPartitions(located, (path, message) => {
    if (!problems.some((p) => p.path === path)) add(path, message);
  });
}

/**
 * Where a problem found in one environment's view of the spec belongs: at the environment's override
 * when the value came from there, else at the spec's own field.
 */
function environmentPath(spec: PlatformSpec, environment: EnvironmentSpec, index: number, path: string): string {
  const env = `environments[${index}]`;
  const top = /^(cluster|dns|aws)((\.|\[).*)?$/.exec(path);
  if (top) {
    const section = top[1] as 'cluster' | 'dns' | 'aws';
    if (section === 'dns' && environment.dns) return `${env}.${path}`;
    if (section !== 'dns' && hasPath(environment, path)) return `${env}.${path}`;
    return path;
  }
  const inApp = /^apps\[(\d+)\]\.(.+)$/.exec(path);
  if (!inApp) return path;
  const app = spec.apps[Number(inApp[1])];
  const overrideIndex = (environment.apps ?? []).findIndex((a) => a.name === app?.name);
  if (overrideIndex < 0) return path;
  const override = environment.apps![overrideIndex];
  const to = `${env}.apps[${overrideIndex}]`;
  const field = inApp[2];
  if ((field === 'host' && override.host !== undefined) || (field === 'replicas' && override.replicas !== undefined)) return `${to}.${field}`;
  if (field === 'ingress.certificateArn' && (override.certificateArn !== undefined || override.host !== undefined)) return `${to}.certificateArn`;
  if (field.startsWith('imageUpdate') && override.imageUpdate && hasPath({ imageUpdate: override.imageUpdate }, field)) return `${to}.${field}`;
  const migration = /^migration\.permissions(.*)$/.exec(field);
  if (migration && override.migrationPermissions) return `${to}.migrationPermissions${migration[1]}`;
  return path;
}

/** Whether an object has a value at a dotted path (`cluster.nodes.minSize`, `imageUpdate.strategy`). */
function hasPath(value: unknown, path: string): boolean {
  let node: unknown = value;
  for (const key of path.split(/\.|\[|\]\.?/).filter(Boolean)) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<string, unknown>)[key];
  }
  return node !== undefined;
}

/** The rules of the environments themselves, and what several environments rule out. */
function checkEnvironments(
  spec: PlatformSpec,
  apps: { app: AppSpec; index: number }[],
  environments: { environment: EnvironmentSpec; index: number }[],
  resolvedApps: readonly ResolvedApp[],
  allApps: boolean,
  add: Add,
): void {
  const hub = spec.argocd?.hub;
  const oneEnvironment = (names: string) =>
    add('argocd.hub', `${show(hub)} names the environment whose Argo CD manages every environment's cluster, and ${names}; remove it, or list several environments`);
  if (spec.environments === undefined) {
    if (spec.registry !== undefined) add('registry', 'applies only to a platform with environments; remove it, or list the environments');
    if (hub !== undefined) oneEnvironment('this platform has no environments (one cluster, which runs its own Argo CD)');
    return;
  }
  if (spec.environment !== undefined) {
    add('environment', `names the one environment of a platform without environments; with environments, remove it (the environments are ${environments.map((e) => show(e.environment.name)).join(', ')})`);
  }
  const names = environments.map((e) => e.environment.name);
  const registry = spec.registry?.environment;
  if (registry !== undefined && !names.includes(registry)) {
    add('registry.environment', `${show(registry)} is not an environment; use one of ${names.join(', ')}`);
  }
  environments.forEach(({ environment, index }, position) => {
    const path = `environments[${index}]`;
    const earlier = names.indexOf(environment.name);
    if (earlier !== position) add(`${path}.name`, `${show(environment.name)} is already the name of environments[${environments[earlier].index}]; names must be unique`);
    // With several environments each bootstraps from argocd/bootstrap/<name>/, beside the shared
    // argocd/bootstrap/install/ (Argo CD's own install).
    if (environment.name === 'install') add(`${path}.name`, '\'install\' is reserved: argocd/bootstrap/install/ holds Argo CD\'s install, beside each environment\'s argocd/bootstrap/<name>/; choose another name');
    if (environment.promoteFrom !== undefined) {
      if (position === 0) {
        add(`${path}.promoteFrom`, `the first environment follows releases and is promoted from nothing; remove it, or list ${show(environment.promoteFrom)} first`);
      } else if (!names.slice(0, position).includes(environment.promoteFrom)) {
        add(`${path}.promoteFrom`, `${show(environment.promoteFrom)} is not an environment listed before ${show(environment.name)}; use one of ${names.slice(0, position).join(', ')}`);
      }
    }
    const seen = new Map<string, number>();
    (environment.apps ?? []).forEach((override, j) => {
      const at = `${path}.apps[${j}]`;
      const app = apps.find((a) => a.app.name === override.name)?.app;
      if (!app) {
        // With an app left out for its own problem, the name may well be that app's.
        if (allApps) add(`${at}.name`, `${show(override.name)} is not an application; use one of ${apps.map((a) => a.app.name).join(', ')}`);
        return;
      }
      if (seen.has(override.name)) add(`${at}.name`, `${show(override.name)} is already overridden in ${path}.apps[${seen.get(override.name)}]; say it once`);
      seen.set(override.name, j);
      (override.containers ?? []).forEach((c, k) => {
        if (!app.containers.some((own) => own.name === c.name)) {
          add(`${at}.containers[${k}].name`, `${show(c.name)} is not a container of ${show(app.name)}; use one of ${app.containers.map((own) => own.name).join(', ')}`);
        }
      });
      if (override.imageUpdate && position !== 0) {
        add(`${at}.imageUpdate`, `${show(environment.name)} is promoted, not updated by the Image Updater: tags move here by the promotion pull request; remove it`);
      }
      if (override.migrationPermissions && !app.migration) add(`${at}.migrationPermissions`, `${show(app.name)} has no migration; remove it, or give the app a migration`);
    });
  });
  if (hub !== undefined) checkHub(spec, hub, names, resolvedApps, oneEnvironment, add);
  if (names.length < 2) return;

  // What a promotion needs: the tags the first environment runs, in Git.
  for (const { app, index } of apps) {
    if (app.delivery === DeliveryMode.ARGOCD_CLI) {
      add(
        `apps[${index}].delivery`,
        "'argocd-cli' keeps the running tag in the cluster only, where a promotion cannot read it; with several environments use 'image-updater' (git write-back) or 'pull-request'",
      );
    }
    if (app.imageUpdate?.writeBack === WriteBackMethod.ARGOCD) {
      add(
        `apps[${index}].imageUpdate.writeBack`,
        "'argocd' keeps the running tag in the cluster only, where a promotion cannot read it; with several environments the Image Updater writes to Git ('git', the default)",
      );
    }
    if (app.secret?.remoteKey !== undefined) {
      add(`apps[${index}].secret.remoteKey`, 'names one secret for every environment; with several environments leave it out: each environment reads <platform>/<environment>/<app>/<secret name>');
    }
  }
  environments.forEach(({ environment, index }) => {
    environment.apps?.forEach((override, j) => {
      if (override.imageUpdate?.writeBack === WriteBackMethod.ARGOCD) {
        add(`environments[${index}].apps[${j}].imageUpdate.writeBack`, "'argocd' keeps the running tag in the cluster only, where a promotion cannot read it; use 'git'");
      }
    });
  });
  if (spec.secrets?.backend === SecretBackend.VAULT_PLUGIN) {
    add('secrets.backend', "'vault-plugin' supports one environment; with several use 'vault' (External Secrets' Vault provider), which reads each environment's own path");
  }
  if (spec.github.manifestRepository.credentials?.secretName !== undefined) {
    add(
      'github.manifestRepository.credentials.secretName',
      'names one secret for every environment; with several environments leave it out: each reads <platform>/<environment>/argocd/manifest-repository in its own account',
    );
  }
  const hosts = new Map<string, string>();
  for (const view of environmentViews(spec)) {
    view.spec.apps.forEach((app, j) => {
      const earlier = hosts.get(app.host);
      if (earlier && earlier !== view.context.name) {
        add(
          environmentPath(spec, spec.environments![view.index!], environments[view.index!].index, `apps[${apps[j].index}].host`),
          `${show(app.host)} is also the host of ${show(app.name)} in environment ${show(earlier)}; each environment needs its own host (set environments[].apps[].host)`,
        );
      } else if (!earlier) {
        hosts.set(app.host, view.context.name);
      }
    });
  }
}

/** `argocd.hub`: an environment of several, with the managed Argo CD, where the Image Updater can run. */
function checkHub(
  spec: PlatformSpec,
  hub: string,
  names: string[],
  apps: readonly ResolvedApp[],
  oneEnvironment: (names: string) => void,
  add: Add,
): void {
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
  const updated = apps.filter((app) => app.delivery === DeliveryMode.IMAGE_UPDATER);
  if (hub !== names[0] && updated.length) {
    add(
      'argocd.hub',
      `${show(hub)} is not the first environment (${show(names[0])}), where releases arrive: the Image Updater runs there and ` +
        `updates the Applications of the Argo CD beside it, and ${updated.map((app) => show(app.name)).join(', ')} ` +
        `${updated.length === 1 ? 'is' : 'are'} delivered by it. Use ${show(names[0])} as the hub, list ${show(hub)} first, or deliver by 'pull-request'`,
    );
  }
}

/** The add-ons' own rules, and the workload identity an add-on cannot have. */
function checkAddons(spec: PlatformSpec, platform: ResolvedPlatform, add: Add, addons: readonly PlatformAddon[]): void {
  for (const addon of addons) {
    const settings = addonSettings(spec, addon.specKey);
    if (addon.podIdentityUnsupported && settings.workloadIdentity === WorkloadIdentity.POD_IDENTITY) {
      add(`addons.${addon.specKey}.workloadIdentity`, `'pod-identity' is not possible for ${addon.name}: ${addon.podIdentityUnsupported}`);
    }
    if (runsAddon(platform, addon.name)) addon.validate?.({ spec, settings, platform, add });
  }
}

function checkPlatform(spec: PlatformSpec, platform: ResolvedPlatform, add: Add): void {
  const { cluster } = platform;
  if (cluster.minSize > cluster.maxSize) {add('cluster.nodes.minSize', `${cluster.minSize} is larger than maxSize ${cluster.maxSize}`);} else if (cluster.desiredSize < cluster.minSize || cluster.desiredSize > cluster.maxSize) {
    add('cluster.nodes.desiredSize', `${cluster.desiredSize} is outside minSize..maxSize (${cluster.minSize}..${cluster.maxSize})`);
  }
  const architectures = new Set(cluster.instanceTypes.map((t) => new ec2.InstanceType(t).architecture));
  if (architectures.size > 1) {
    add('cluster.nodes.instanceTypes', `${show(cluster.instanceTypes)} mix x86_64 and arm64 instance types; one node group runs one machine image, so list types of one architecture`);
  }
  if (spec.cluster?.vpcCidr !== undefined) checkNetworkAddress('cluster.vpcCidr', spec.cluster.vpcCidr, add);
  spec.cluster?.publicAccessCidrs?.forEach((cidr, i) => checkNetworkAddress(`cluster.publicAccessCidrs[${i}]`, cidr, add));

  const policy = spec.argocd?.syncPolicy;
  if (policy?.automated === false) {
    if (policy.prune) add('argocd.syncPolicy.prune', 'true needs automated: true (pruning happens only in automated sync)');
    if (policy.selfHeal) add('argocd.syncPolicy.selfHeal', 'true needs automated: true (self-heal happens only in automated sync)');
  }

  const backend = platform.secrets.backend;
  if ((backend === SecretBackend.VAULT || backend === SecretBackend.VAULT_PLUGIN) && !spec.secrets?.vault) {
    add('secrets.vault', `is required when secrets.backend is '${backend}': give at least the Vault address`);
  }
  if (spec.secrets?.vault && backend === SecretBackend.SECRETS_MANAGER) {
    add('secrets.vault', "is set but secrets.backend is 'secrets-manager'; set the backend to 'vault' or 'vault-plugin', or remove it");
  }
  if (platform.argocd.managed && !spec.argocd?.identityCenter) {
    add('argocd.identityCenter', 'is required when argocd.managed is true: the managed Argo CD signs users in through IAM Identity Center');
  }
  if (spec.argocd?.identityCenter && !platform.argocd.managed) {
    add('argocd.identityCenter', 'applies only to the managed Argo CD; set argocd.managed: true or remove it');
  }

  const repository = spec.github.manifestRepository;
  const credentials = platform.manifestRepository.credentials;
  if (repository.credentials && platform.manifestRepository.access === RepositoryAccess.PUBLIC) {
    add('github.manifestRepository.credentials', "applies only to a private repository, but access is 'public'; remove it or make the repository private");
  }
  const credentialsPrefix = `${platform.secretsPrefix}/argocd/`;
  // With several environments, naming the secret is refused outright (checkEnvironments).
  const named = repository.credentials?.secretName !== undefined && platform.environments.length === 1;
  if (credentials && named && !credentials.secretName.startsWith(credentialsPrefix)) {
    add(
      'github.manifestRepository.credentials.secretName',
      `${show(credentials.secretName)} is outside the prefix ${show(credentialsPrefix)} that the repository reader role may read; name the secret ${credentialsPrefix}<name>`,
    );
  }

  const providerArn = spec.github.oidcProviderArn;
  // The provider serves the CI roles, which live beside the images.
  if (platform.images.holdsRepositories && providerArn !== undefined && spec.aws.account !== undefined && providerArn.split(':')[4] !== spec.aws.account) {
    add('github.oidcProviderArn', `${show(providerArn)} is in account ${providerArn.split(':')[4]}, not in aws.account ${spec.aws.account}; an OIDC provider can only be used in its own account`);
  }
}

function checkAcrossApps(
  spec: PlatformSpec,
  platform: ResolvedPlatform,
  apps: Located[],
  standIns: Set<string>,
  add: Add,
): void {
  const first = <K>(seen: Map<K, Located>, key: K, located: Located, onDuplicate: (firstOne: Located) => void) => {
    const earlier = seen.get(key);
    if (earlier) onDuplicate(earlier);
    else seen.set(key, located);
  };
  const names = new Map<string, Located>();
  const namespaces = new Map<string, Located>();
  const hosts = new Map<string, Located>();
  const outputPrefixes = new Map<string, Located>();
  const repositories = new Map<string, string>();
  const groups = new Map<string, { internetFacing: boolean; path: string }>();
  const githubNames = new Map<string, { name: string; path: string }>();
  githubNames.set(spec.github.manifestRepository.name.toLowerCase(), { name: spec.github.manifestRepository.name, path: 'github.manifestRepository.name' });

  for (const located of apps) {
    const { app, path } = located;
    let duplicateName = false;
    first(names, app.name, located, (earlier) => {
      duplicateName = true;
      add(`${path}.name`, `${show(app.name)} is already the name of ${earlier.path}; names must be unique`);
    });
    first(namespaces, app.namespace, located, (earlier) =>
      add(`${path}.namespace`, `${show(app.namespace)} is already the namespace of ${earlier.path}; each application needs its own namespace`),
    );
    first(hosts, app.host, located, (earlier) =>
      add(`${path}.host`, `${show(app.host)} is already the host of ${earlier.path}; two applications' ExternalDNS instances would fight over its record`),
    );
    if (!duplicateName) {
      first(outputPrefixes, app.outputPrefix, located, (earlier) =>
        add(
          `${path}.name`,
          `${show(app.name)} and ${show(earlier.app.name)} (${earlier.path}) give the same CloudFormation output names (${app.outputPrefix}CiRoleArn, ...), which allow only letters and digits; rename one of them`,
        ),
      );
    }
    if (!standIns.has('dns.domain') && app.host !== platform.dns.domain && !app.host.endsWith(`.${platform.dns.domain}`)) {
      add(`${path}.host`, `${show(app.host)} is not under dns.domain ${show(platform.dns.domain)}; ExternalDNS would not publish it`);
    }

    const group = groups.get(app.ingress.groupName);
    if (group && group.internetFacing !== app.ingress.internetFacing) {
      add(
        `${path}.ingress.groupName`,
        `${show(app.ingress.groupName)} is the ALB group of ${group.path}, which is ${group.internetFacing ? 'internet-facing' : 'internal'}; the load balancer controller reconciles no Ingress of a group whose members disagree on the scheme, so give this app another group`,
      );
    } else if (!group) {
      groups.set(app.ingress.groupName, { internetFacing: app.ingress.internetFacing, path });
    }

    const ciName = located.spec.ci.repository;
    const known = githubNames.get(ciName.toLowerCase());
    if (known && known.name !== ciName) {
      add(
        `${path}.ci.repository`,
        `${show(ciName)} names the same GitHub repository as ${known.path} (${show(known.name)}): GitHub names ignore case, but the OIDC subject and the workflow paths do not; spell it the same way`,
      );
    } else if (!known) {
      githubNames.set(ciName.toLowerCase(), { name: ciName, path: `${path}.ci.repository` });
    }

    // A duplicated app name already explains why its derived repository names repeat.
    if (duplicateName) continue;
    // A duplicated container name, too, explains why its default repository name repeats.
    const firstOfName = app.containers.filter((c, i) => app.containers.findIndex((o) => o.name === c.name) === i);
    const images = [
      ...firstOfName.map((c) => ({ path: `${path}.containers[${app.containers.indexOf(c)}].repository`, name: c.image.repositoryName })),
      ...(app.migration ? [{ path: `${path}.migration.repository`, name: app.migration.image.repositoryName }] : []),
    ];
    for (const image of images) {
      const earlier = repositories.get(image.name);
      if (earlier) add(image.path, `ECR repository ${show(image.name)} is already used by ${earlier}; each image needs its own repository`);
      else repositories.set(image.name, image.path);
    }
  }

  const immutable = apps.find((located) => located.app.ci.subjectFormat === SubjectFormat.IMMUTABLE);
  if (immutable && spec.github.ownerId === undefined) {
    const repo = immutable.app.ci.repository.fullName;
    add('github.ownerId', `is required by ${immutable.path}.ci (immutable OIDC subject form); find it with 'gh api repos/${repo} --jq .owner.id'`);
  }

  // An app's secrets Application (`<application>-secrets`, `<app>-<environment>-secrets` with
  // environments) is checked against every Application by its resolved name with the derived names
  // (validate-names.ts), which names both apps; the platform's own reserved names are checked here
  // where the app's Application is named like the app. With environments it is `<app>-<environment>`:
  // the bare app name cannot collide then, and the derived names check the qualified one.
  const secretsApplications = new Set(apps.flatMap(({ app }) => (app.secret ? [app.secret.applicationName] : [])));
  const reserved = platform.reservedNames.applications.filter((name) => !secretsApplications.has(name));
  for (const { app, path } of apps) {
    if (app.application.name === app.name && reserved.includes(app.name)) {
      add(`${path}.name`, `${show(app.name)} is the name of a platform Argo CD Application; choose another name`);
    }
    if (platform.reservedNames.namespaces.includes(app.namespace)) {
      add(`${path}.namespace`, `${show(app.namespace)} is reserved for the platform; choose another namespace`);
    }
  }
}

function checkApp(spec: PlatformSpec, platform: ResolvedPlatform, located: Located, add: Add): void {
  const { app, path } = located;
  const appSpec = located.spec;

  if (appSpec.stack === 'platform') {
    add(`${path}.stack`, `'platform' would name the platform stack ${platform.qualifiedName}-platform; leave stack out to use it, or choose another name`);
  }

  const containerNames = new Map<string, number>();
  const ports = new Map<number, number>();
  app.containers.forEach((c, i) => {
    const at = `${path}.containers[${i}]`;
    const firstName = containerNames.get(c.name);
    if (firstName !== undefined) add(`${at}.name`, `${show(c.name)} is already the name of containers[${firstName}]; names must be unique in an app`);
    else containerNames.set(c.name, i);
    if (c.port !== undefined) {
      const firstPort = ports.get(c.port);
      if (firstPort !== undefined) add(`${at}.port`, `${c.port} is already the port of containers[${firstPort}]; containers of one pod share its network, so each needs its own port`);
      else ports.set(c.port, i);
    }
    if (c.tag === 'latest') add(`${at}.tag`, "'latest' is not allowed: deployments and migrations must name an exact version such as v1.0.0");
    for (const name of Object.keys(c.secretEnv)) {
      if (name in c.env) add(`${at}.secretEnv.${name}`, `${show(name)} is also set in env; a variable can have one source, so remove it from one of them`);
    }
  });

  const ingressContainer = appSpec.ingress?.container;
  if (ingressContainer !== undefined) {
    const target = app.containers.find((c) => c.name === ingressContainer);
    if (!target) {
      add(`${path}.ingress.container`, `${show(ingressContainer)} is not a container of this app; use one of ${app.containers.map((c) => c.name).join(', ')}`);
    } else if (target.port === undefined) {
      add(`${path}.ingress.container`, `${show(target.name)} has no port; give it a port or route the Ingress to a container with one`);
    }
  } else if (!app.containers.some((c) => c.port !== undefined)) {
    add(`${path}.containers`, 'no container has a port, so the Ingress has nowhere to send traffic; set containers[].port');
  }

  const keys = app.secret?.keys ?? [];
  const checkSecretEnv = (envPath: string, secretEnv: { [name: string]: string }) => {
    for (const [name, key] of Object.entries(secretEnv)) {
      if (!app.secret) {
        add(`${envPath}.${name}`, `reads secret key ${show(key)} but the app has no secret; add ${path}.secret with that key`);
      } else if (!keys.includes(key)) {
        add(`${envPath}.${name}`, `reads secret key ${show(key)}, which is not in ${path}.secret.keys (${keys.join(', ')})`);
      }
    }
  };
  app.containers.forEach((c, i) => checkSecretEnv(`${path}.containers[${i}].secretEnv`, c.secretEnv));
  if (app.migration) checkSecretEnv(`${path}.migration.secretEnv`, app.migration.secretEnv);

  if (app.secret) {
    const duplicate = keys.find((k, i) => keys.indexOf(k) !== i);
    if (duplicate) add(`${path}.secret.keys`, `${show(duplicate)} is listed twice`);
    const remoteKey = appSpec.secret?.remoteKey;
    if (remoteKey !== undefined && platform.environments.length === 1) checkRemoteKey(platform, app, remoteKey, `${path}.secret.remoteKey`, add);
  }

  checkCi(spec, app, path, add);

  const certificate = app.ingress.certificateArn;
  if (certificate !== undefined) {
    const [, , , region, account] = certificate.split(':');
    // Without aws.account in the spec, the account is known only at synth time.
    if (region !== platform.region || (spec.aws.account !== undefined && account !== platform.account)) {
      add(
        `${path}.ingress.certificateArn`,
        `${show(certificate)} is in ${account}/${region}, but the load balancer is in ${platform.account}/${platform.region}; an ALB can only use an ACM certificate of its own account and region`,
      );
    }
  }

  if (appSpec.imageUpdate && app.delivery !== DeliveryMode.IMAGE_UPDATER) {
    add(`${path}.imageUpdate`, `applies only to delivery 'image-updater', but delivery is ${show(app.delivery)}; remove it or change the delivery`);
  }
  if (app.migration && app.imageUpdate.strategy === UpdateStrategy.DIGEST && app.delivery === DeliveryMode.IMAGE_UPDATER) {
    add(
      `${path}.imageUpdate.strategy`,
      "'digest' moves images by digest, so there is no tag for the migration to follow; use semver, newest-build or alphabetical with a migration",
    );
  }
  if (appSpec.imageUpdate?.allowTags !== undefined) {
    try {
      new RegExp(appSpec.imageUpdate.allowTags);
    } catch (e) {
      add(`${path}.imageUpdate.allowTags`, `${show(appSpec.imageUpdate.allowTags)} is not a valid regular expression: ${(e as Error).message}`);
    }
  }
  app.migration?.role?.permissions.forEach((permission, i) => {
    permission.actions.forEach((action, j) => {
      if (action.includes('*')) {
        add(`${path}.migration.permissions[${i}].actions[${j}]`, `${show(action)} has a wildcard; name each action the migration needs, such as rds-db:connect`);
      }
    });
    permission.resources.forEach((resource, j) => {
      const account = resource.split(':')[4];
      if (account && account !== platform.account && spec.aws.account !== undefined) {
        add(`${path}.migration.permissions[${i}].resources[${j}]`, `${show(resource)} is in account ${account}, not in aws.account ${platform.account}`);
      }
    });
  });
}

function checkCi(spec: PlatformSpec, app: ResolvedApp, path: string, add: Add): void {
  const { ci } = app;
  ci.tagPatterns.forEach((p, i) => {
    if (/^[*/]*$/.test(p)) {
      add(`${path}.ci.tagPatterns[${i}]`, `${show(p)} matches every tag, so any tag pushed to the repository could assume the role; use a prefix such as 'v*'`);
    } else if (p.startsWith('*')) {
      add(`${path}.ci.tagPatterns[${i}]`, `${show(p)} starts with a wildcard, so tags of any name match it; start with a fixed prefix such as 'v*'`);
    }
  });
  if (!ci.tagPatterns.length && !ci.branches.length && !ci.environments.length && !ci.pullRequests) {
    add(`${path}.ci`, 'no tag pattern, branch, environment or pull request may assume the CI role; give at least one');
  }
  if (ci.subjectFormat === SubjectFormat.IMMUTABLE) {
    const repo = `${ci.repository.owner}/${ci.repository.name}`;
    if (ci.repositoryId === undefined) {
      add(
        `${path}.ci.repositoryId`,
        'is required: GitHub names repositories created since 15 July 2026 by id in OIDC tokens (repo:<owner>@<ownerId>/<name>@<repositoryId>:...); ' +
          `find it with 'gh api repos/${repo} --jq .id', or set ${path}.ci.subjectFormat: name for an older repository that sends the name form`,
      );
    }
  } else if (spec.apps.find((a) => a?.name === app.name)?.ci.repositoryId !== undefined) {
    add(`${path}.ci.repositoryId`, "applies only to the immutable subject form, but ci.subjectFormat is 'name'; remove it or use the immutable form");
  }
}

/** A remote key stays below the application's own prefix: no other team's secret can be named. */
function checkRemoteKey(platform: ResolvedPlatform, app: ResolvedApp, remoteKey: string, path: string, add: Add): void {
  const segments = remoteKey.split('/');
  if (segments.some((s) => s === '..' || s === '.' || s === '')) {
    add(path, `${show(remoteKey)} has an empty, '.' or '..' segment; give a plain path under ${show(app.secret!.remotePrefix)}`);
    return;
  }
  if (platform.secrets.backend === SecretBackend.SECRETS_MANAGER) {
    if (!remoteKey.startsWith(app.secret!.remotePrefix)) {
      add(
        path,
        `${show(remoteKey)} is outside the prefix ${show(app.secret!.remotePrefix)} that the app's External Secrets role may read; name the secret ${app.secret!.remotePrefix}<name>`,
      );
    }
  } else if (remoteKey !== app.secret!.remotePrefix && !remoteKey.startsWith(`${app.secret!.remotePrefix}/`)) {
    add(path, `${show(remoteKey)} is outside the app's Vault path ${show(app.secret!.remotePrefix)}; give ${app.secret!.remotePrefix} or a path below it`);
  }
}

/** A CIDR block names its network's first address: `10.0.0.1/16` is refused, `10.0.0.0/16` is not. */
function checkNetworkAddress(path: string, cidr: string, add: Add): void {
  const [address, bits] = cidr.split('/');
  const value = address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits));
  const network = value - (value % size);
  if (network !== value) {
    const first = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.');
    add(path, `${show(cidr)} has host bits set; the block starts at ${first}, so write ${first}/${bits}`);
  }
}
