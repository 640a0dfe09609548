import { runsAddon } from '../addon-list';
import { platformStackId } from '../naming';
import type { ResolvedApp, ResolvedPlatform, ServiceAccountRole } from '../resolved';
import { show } from '../shape';
import { DeliveryMode, SecretBackend } from '../types';
import type { AddProblem, LocatedPlatform } from './input';

/**
 * The rules on derived names: every name the stacks, manifests and workflows derive from the spec's
 * names must be unique where it lives (an IAM role in its account, a stack in the CDK app, an Argo
 * CD Application in its Argo CD, a TXT owner id in its hosted zone), and no application may take a
 * name the platform uses for itself. Names join their pieces with '-', so pieces with dashes can
 * meet in one name (`eu` + `web-api` and `eu-web` + `api`): such a spec is refused here, naming the
 * field to change.
 */

/** Names the platform keeps for itself, each with why. */
const RESERVED_APP_NAMES: { [name: string]: string } = {
  argocd:
    "the platform's own secrets are under <platform>/argocd/ (the manifest repository's credentials), which this app's External Secrets role could read, " +
    'and its directory argocd/ holds the bootstrap and Applications of the manifest repository',
};

/**
 * Values kustomize reads as booleans or null (it converts kustomization.yaml with YAML 1.1, where
 * `no`, `on`, `off`, `yes`, `y`, `n` are booleans): such a name written as a label value or a
 * namespace is not a string there.
 */
const YAML_11_SCALARS = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);

/** Kubernetes' limit on a label value (the Application's `app.kubernetes.io/name` label). */
export const MAX_LABEL_VALUE_LENGTH = 63;

interface Claim {
  /** What is named, for the message: `IAM role`, `stack`, ... */
  readonly kind: string;
  /** Where the name must be unique (an account, a zone, an Argo CD). */
  readonly scope: string;
  /** The name. */
  readonly name: string;
  /** Who the name belongs to: two claims of one owner are one resource. */
  readonly owner: string;
  /** The owner, for the message. */
  readonly says: string;
  /** The field to change. */
  readonly path: string;
}

/** Refuses names that collide, and names the platform reserves. */
export function checkDerivedNames(all: readonly LocatedPlatform[], add: AddProblem): void {
  // Apps whose names repeat are reported as such already, and what the platform derives from the
  // app names (the roles of each app, by name) is not one app's then: such a spec is left out here.
  const located = all.filter(({ platform }) => new Set(platform.apps.map((app) => app.name)).size === platform.apps.length);
  const claims: Claim[] = located.flatMap(claimsOf);
  const seen = new Map<string, Claim>();
  for (const claim of claims) {
    const key = `${claim.kind}\n${claim.scope}\n${claim.name}`;
    const earlier = seen.get(key);
    if (!earlier) {
      seen.set(key, claim);
    } else if (earlier.owner !== claim.owner) {
      add(
        claim.path,
        `makes ${claim.kind} ${show(claim.name)} both ${claim.says} and ${earlier.says} (${earlier.path}), in ${claim.scope}: ` +
          "derived names join their parts with '-', so these collide; rename one of them",
      );
    }
  }
  for (const { platform, appPaths, environmentPath } of located) {
    if (YAML_11_SCALARS.has(platform.environment)) {
      add(environmentPath, `${show(platform.environment)} is read as a boolean or null by kustomize (YAML 1.1), which labels every object with env: <name>; choose another name`);
    }
    platform.apps.forEach((app, j) => {
      const path = appPaths[j];
      const reason = RESERVED_APP_NAMES[app.name];
      if (reason) add(`${path}.name`, `${show(app.name)} is reserved: ${reason}; choose another name`);
      if (YAML_11_SCALARS.has(app.name)) add(`${path}.name`, `${show(app.name)} is read as a boolean or null by kustomize (YAML 1.1); choose another name`);
      if (YAML_11_SCALARS.has(app.namespace)) add(`${path}.namespace`, `${show(app.namespace)} is read as a boolean or null by kustomize (YAML 1.1); choose another namespace`);
      checkSecretReach(platform, app, path, add);
    });
    for (const application of applicationsOf(located.find((l) => l.platform === platform)!)) {
      if (application.name.length > MAX_LABEL_VALUE_LENGTH) {
        add(
          application.path,
          `gives the Argo CD Application ${show(application.name)} (${application.name.length} characters), whose label app.kubernetes.io/name allows ${MAX_LABEL_VALUE_LENGTH}; shorten the name`,
        );
      }
    }
  }
}

/** An app's External Secrets role reads below its own prefix only: never the platform's secrets. */
function checkSecretReach(platform: ResolvedPlatform, app: ResolvedApp, path: string, add: AddProblem): void {
  const credentials = platform.manifestRepository.credentials;
  if (!app.secret || !credentials || platform.secrets.backend !== SecretBackend.SECRETS_MANAGER) return;
  // Secrets Manager appends '-' and six characters to the name in a secret's ARN.
  const credentialsArn = credentials.secretArnPattern.replace(/\?{6}$/, 'AbCdEf');
  if (wildcardMatch(app.secret.remoteArnPattern, credentialsArn)) {
    add(
      `${path}.name`,
      `${show(app.name)}'s External Secrets role may read ${show(app.secret.remoteArnPattern)}, which holds the manifest repository's credentials ${show(credentials.secretName)}; choose another name`,
    );
  }
}

/** IAM's wildcard match: `*` any characters, `?` one. */
function wildcardMatch(pattern: string, value: string): boolean {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`).test(value);
}

/** Every Argo CD Application an environment creates, with the field its name comes from. */
function applicationsOf({ platform, appPaths, environmentPath }: LocatedPlatform): { name: string; owner: string; says: string; path: string }[] {
  const env = platform.environment;
  const appPath = (app: ResolvedApp) => `${appPaths[platform.apps.indexOf(app)]}.name`;
  const result: { name: string; owner: string; says: string; path: string }[] = [
    { name: platform.argocd.rootApplication, owner: `${env}/root`, says: `environment ${show(env)}'s root app-of-apps`, path: environmentPath },
  ];
  for (const child of platform.applications) {
    const app = platform.apps.find((a) => a.application === child);
    const secretsOf = platform.apps.find((a) => a.secret?.applicationName === child.name);
    if (app) result.push({ name: child.name, owner: `${env}/app/${app.name}`, says: `the Application of app ${show(app.name)} in environment ${show(env)}`, path: appPath(app) });
    else if (secretsOf) result.push({ name: child.name, owner: `${env}/secrets/${secretsOf.name}`, says: `the secrets of app ${show(secretsOf.name)} in environment ${show(env)}`, path: appPath(secretsOf) });
    else result.push({ name: child.name, owner: `${env}/platform/${child.name}`, says: `a platform Application in environment ${show(env)}`, path: environmentPath });
  }
  // An argocd-cli app's Application is created by its release workflow, in the same Argo CD.
  for (const app of platform.apps.filter((a) => a.delivery === DeliveryMode.ARGOCD_CLI)) {
    result.push({ name: app.application.name, owner: `${env}/app/${app.name}`, says: `the Application of app ${show(app.name)} in environment ${show(env)}`, path: appPath(app) });
  }
  return result;
}

/** The names one environment claims. */
function claimsOf(located: LocatedPlatform): Claim[] {
  const { platform, appPaths, environmentPath } = located;
  const env = platform.environment;
  const inEnv = ` in environment ${show(env)}`;
  const claims: Claim[] = [];
  const pathOf = (app: ResolvedApp | undefined) => (app ? `${appPaths[platform.apps.indexOf(app)]}.name` : environmentPath);

  // IAM roles: unique in their account.
  const role = (roleName: string, account: string, owner: string, says: string, path: string) =>
    claims.push({ kind: 'IAM role', scope: `account ${account}`, name: roleName, owner, says, path });
  // Each role with the app it belongs to, if any: its ServiceAccount's name starts with an app's
  // name, but `web-api-...` starts with `web-` too, so the owner is carried, not read from the name.
  const ofApp = (app: ResolvedApp, r: ServiceAccountRole) => ({ r, app });
  const ofPlatform = (r: ServiceAccountRole) => ({ r, app: undefined });
  const serviceAccountRoles: { r: ServiceAccountRole; app: ResolvedApp | undefined }[] = [
    ...platform.workloadRoles.map(ofPlatform),
    ...platform.apps.flatMap((app) => app.workloadRoles.map((r) => ofApp(app, r))),
    ...(platform.usesImageUpdater ? [ofPlatform(platform.imageUpdater)] : []),
    ...(platform.manifestRepository.credentials ? [ofPlatform(platform.manifestRepository.credentials.reader)] : []),
    ...platform.apps.flatMap((app) => (app.secret && platform.externalSecrets.appSecrets ? [ofApp(app, app.secret.reader)] : [])),
    ...(runsAddon(platform, 'external-dns') ? platform.apps.map((app) => ofApp(app, app.externalDns)) : []),
  ];
  for (const { r, app } of serviceAccountRoles) {
    const says = app ? `the role of ServiceAccount ${r.namespace}/${r.serviceAccountName} of app ${show(app.name)}${inEnv}` : `the role of the platform's ServiceAccount ${r.namespace}/${r.serviceAccountName}${inEnv}`;
    role(r.roleName, platform.account, `${env}/${r.subject}`, says, pathOf(app));
  }
  if (platform.cluster.nodeRoleName) role(platform.cluster.nodeRoleName, platform.account, `${env}/nodes`, `the node role${inEnv}`, environmentPath);
  const hub = platform.argocd.hub;
  if (hub && hub.environment === env) role(hub.role.roleName, hub.account, 'hub', `the hub's Argo CD role${inEnv}`, environmentPath);
  if (platform.images.holdsRepositories) {
    for (const app of platform.apps) {
      role(app.ci.role.roleName, platform.images.account, `ci/${app.name}`, `the CI role of app ${show(app.name)}`, pathOf(app));
    }
  }

  // Stacks: unique in the CDK app, which holds every environment's.
  const platformStack = platformStackId(platform.qualifiedName);
  claims.push({ kind: 'stack', scope: 'the CDK app', name: platformStack, owner: `${env}/platform`, says: `the platform stack${inEnv}`, path: environmentPath });
  for (const app of platform.apps.filter((a) => a.stackId !== platformStack)) {
    claims.push({ kind: 'stack', scope: 'the CDK app', name: app.stackId, owner: `${env}/stack/${app.stackId}`, says: `the stack of app ${show(app.name)}${inEnv}`, path: `${pathOf(app).replace(/\.name$/, '')}.stack` });
  }

  // ExternalDNS TXT owner ids: unique in a hosted zone, where each instance (policy sync) deletes
  // the records another owner id marks as its own... and keeps those its own id marks.
  if (runsAddon(platform, 'external-dns')) {
    for (const app of platform.apps) {
      claims.push({
        kind: 'ExternalDNS TXT owner id',
        scope: `hosted zone ${platform.dns.hostedZoneId}`,
        name: app.externalDnsOwnerId,
        owner: `${env}/${app.name}`,
        says: `the owner id of app ${show(app.name)}'s ExternalDNS${inEnv}`,
        path: pathOf(app),
      });
    }
  }

  // Argo CD Applications: unique in the Argo CD that holds them (the hub's holds every environment's).
  const argocd = hub ? `the hub's Argo CD (${hub.environment})` : `the Argo CD of environment ${show(env)}`;
  for (const application of applicationsOf(located)) claims.push({ kind: 'Argo CD Application', scope: argocd, ...application });
  return claims;
}
