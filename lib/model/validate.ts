import { checkAddonList } from './addon-list';
import { environmentViews } from './environments';
import { checkKubernetesVersion } from './kubernetes-versions';
import { PLACEHOLDER_ACCOUNT } from './naming';
import type { PlatformLock } from './platform-lock';
import { platformShape } from './platform-shape';
import { resolveEnvironments } from './resolve';
import type { PlatformAddon } from './resolved';
import { checkShape, show, SpecProblem } from './shape';
import type { AppSpec, EnvironmentSpec, PlatformSpec } from './types';
import { checkAddons } from './validate/addons';
import { checkAcrossApps, checkAppStack, checkCertificate, checkContainers, checkImageUpdate, checkIngressContainer, checkMigration } from './validate/apps';
import { checkHub, checkIdentityCenter, checkSyncPolicy } from './validate/argocd';
import { checkCi } from './validate/ci';
import { checkNetwork, checkNodes } from './validate/cluster';
import { checkCompute } from './validate/compute';
import { checkDatabases } from './validate/database';
import { checkEnvironmentList, checkSeveralEnvironments, environmentPath } from './validate/environment';
import { checkDeployFeedback } from './validate/feedback';
import { AddProblem, eachApp, EnvironmentCheck, LocatedApp, PlatformCheck, SpecCheck } from './validate/input';
import { checkLimits, checkPartitions, checkPromotionRole } from './validate/limits';
import { checkManagedArgoCd } from './validate/managed-argocd';
import { checkDerivedNames } from './validate/names';
import { checkOutputs } from './validate/outputs';
import { checkPreviews } from './validate/previews';
import { checkManifestRepository, checkOidcProvider } from './validate/repository';
import { checkAppSecret, checkVault } from './validate/secrets';

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
 * With `lock` (the `platform.lock.json` beside the spec, see platform-lock.ts), a change that
 * would replace a deployed database is refused too.
 *
 * @throws Error when two add-ons share a name or a spec key
 */
export function validateSpec(document: unknown, addons: readonly PlatformAddon[], lock?: PlatformLock): SpecProblem[] {
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
  checkRelations(draft, standIns, problems, addons, lock);
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

// The rules across fields, in three lists: of the whole spec, of each environment, and across the
// environments as resolved. Each check is one line, followed by its section: the file of
// lib/model/validate/ it is in. A new rule is a function in its section's file (a new section, a new
// file) and one line in its list; the problems are reported in the order of the lists.

/** The rules of the whole spec, before each environment is checked on its own: the environments themselves, the hub, what several environments rule out. */
const SPEC_CHECKS: readonly SpecCheck[] = [
  checkEnvironmentList, // environment
  checkHub, // argocd
  checkSeveralEnvironments, // environment
];

/** The rules of one environment, run on its view of the spec and its resolution; a problem found in some environments only says which. */
const ENVIRONMENT_CHECKS: readonly EnvironmentCheck[] = [
  checkNodes, // cluster
  checkNetwork, // cluster
  checkSyncPolicy, // argocd
  checkVault, // secrets
  checkIdentityCenter, // argocd
  checkManifestRepository, // repository
  checkOidcProvider, // repository
  ({ platform }, add) => checkKubernetesVersion(platform, add), // cluster.version (kubernetes-versions.ts)
  ({ spec, platform, apps }, add) => checkManagedArgoCd(spec, platform, apps, add), // argocd.managed (validate/managed-argocd.ts)
  checkCompute, // cluster.compute
  checkDeployFeedback, // argocd.deployFeedback
  checkPreviews, // apps[].previews
  checkAddons, // addons
  checkAcrossApps, // apps
  // Each application in turn, all its rules before the next one's.
  eachApp(
    checkAppStack, // apps
    checkContainers, // apps
    checkIngressContainer, // apps
    checkAppSecret, // secrets
    checkCi, // ci
    checkCertificate, // apps
    checkImageUpdate, // apps
    checkMigration, // apps
  ),
  checkLimits, // limits
  checkPromotionRole, // limits
  checkOutputs, // outputs
  checkDatabases, // apps[].database, against the lock of the databases deployed
];

/** The rules across every environment as resolved: names unique where they live, one partition. */
const PLATFORM_CHECKS: readonly PlatformCheck[] = [
  checkDerivedNames, // names
  checkPartitions, // limits
];

/**
 * The rules across fields. Each environment is checked as it will be resolved (the spec with its
 * overrides); a problem found in some environments only says which, and a problem that comes from an
 * environment's override is reported at that override.
 */
function checkRelations(
  spec: PlatformSpec,
  standIns: Set<string>,
  problems: SpecProblem[],
  addons: readonly PlatformAddon[],
  lock?: PlatformLock,
): void {
  // A field with a problem of its own, or one inside or around it, is not blamed a second time.
  const reported = problems.map((p) => p.path);
  const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`) || b.startsWith(`${a}.`) || b.startsWith(`${a}[`);
  const add: AddProblem = (path, message) => {
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
  const whole = { spec: usable, apps: entries, environments, resolvedApps: platforms[0]?.apps ?? [], allApps: entries.length === spec.apps.length };
  for (const check of SPEC_CHECKS) check(whole, add);

  const several = views.length > 1;
  // Problems by where they are reported, with the environments they were found in.
  const found = new Map<string, { path: string; message: string; in: string[] }>();
  views.forEach((view, i) => {
    const platform = platforms[i];
    const at = view.index === undefined ? undefined : environments[view.index];
    const record: AddProblem = (path, message) => {
      const where = at ? environmentPath(usable, at.environment, at.index, path) : path;
      const key = `${where}\n${message}`;
      const entry = found.get(key) ?? { path: where, message, in: [] };
      entry.in.push(view.context.name);
      found.set(key, entry);
    };
    const apps: LocatedApp[] = entries.map((entry, j) => ({ spec: view.spec.apps[j], app: platform.apps[j], path: `apps[${entry.index}]` }));
    const input = { spec: view.spec, platform, apps, standIns, addons, lock };
    for (const check of ENVIRONMENT_CHECKS) check(input, record);
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
  for (const check of PLATFORM_CHECKS) {
    check(located, (path, message) => {
      if (!problems.some((p) => p.path === path)) add(path, message);
    });
  }
}
