// Validation, preview environments (apps[].previews): where Argo CD can create them from pull
// requests, and what they may read.
import { ArgoCdMode } from '../argocd-mode';
import { PLACEHOLDER_ACCOUNT } from '../naming';
import { previewDatabaseKeys } from '../resolve/database';
import type { ResolvedApp, ResolvedPlatform } from '../resolved';
import { show } from '../shape';
import type { PlatformSpec } from '../types';
import { SecretBackend } from '../types';
import type { EnvironmentInput, AddProblem } from './input';
import { MANAGED_ARGOCD_DOCS, managedArgoCdDoc } from './managed-argocd';

/**
 * The rules of `apps[].previews`, in the environment releases arrive in (the first), where previews
 * run; nothing for an app without them.
 *
 * - Previews are an ApplicationSet with the pull request generator, run by Argo CD's ApplicationSet
 *   controller. The EKS managed Argo CD's ApplicationSets page documents the list, cluster, git,
 *   matrix and merge generators and no pull request (SCM) generator, and a spoke's Argo CD is its
 *   hub's capability: refused there, naming the page.
 * - The previews read their own prefix, never production's secret: a prefix that holds production's
 *   secret (or is the app's own prefix, `<platform>/<app>`) is refused, and so is one that holds or
 *   lies in Argo CD's prefix, another app's or another environment's (the previews' role reads
 *   `<prefix>/*`), or has an empty part between slashes.
 * - `previews.migrate` needs a migration to run.
 * - The generator's GitHub App is one of Argo CD's secrets: under `<platform>/argocd/`, like deploy
 *   feedback's, and one secret for every app (the tree copies it once into Argo CD's namespace).
 * - A preview's secret is read through a ClusterSecretStore of Secrets Manager: an app with a secret
 *   needs `secrets.backend: secrets-manager`.
 * - The host a pull request's number goes into, up to `PREVIEW_NUMBER_DIGITS` digits: `pr-<n>.<host>`
 *   within a DNS name (253). (The namespace `<app>-pr-<n>` needs no rule: an app's name has at most
 *   40 characters, so it has at most 51 of a namespace's 63, test/manifests/previews.test.ts.)
 */
export function checkPreviews({ spec, platform, apps }: EnvironmentInput, add: AddProblem): void {
  if (platform.promotedFrom !== undefined) return;
  let githubApp: { name: string; path: string } | undefined;
  for (const { spec: appSpec, app, path } of apps) {
    if (!appSpec.previews?.enabled) continue;
    if (platform.argocd.mode !== ArgoCdMode.SELF_MANAGED) {
      add(
        `${path}.previews.enabled`,
        `needs Argo CD's pull request generator, which the EKS managed Argo CD does not document (${managedArgoCdDoc(MANAGED_ARGOCD_DOCS.applicationSets)} ` +
          'lists the list, cluster, git, matrix and merge generators); turn previews off, or run the first environment with a self-managed Argo CD (argocd.managed: false)',
      );
      continue;
    }
    const previews = app.previews;
    if (!previews) continue;
    const argocdPrefix = `${platform.secretsPrefix}/argocd/`;
    const appPath = `${path}.previews.githubAppSecretName`;
    if (appSpec.previews.githubAppSecretName !== undefined && !previews.githubApp.secretName.startsWith(argocdPrefix)) {
      add(appPath, `${show(previews.githubApp.secretName)} is outside the prefix ${show(argocdPrefix)} under which the platform keeps Argo CD's secrets; name the secret ${argocdPrefix}<name>`);
    }
    if (githubApp && githubApp.name !== previews.githubApp.secretName) {
      add(
        appPath,
        `${show(previews.githubApp.secretName)} differs from ${githubApp.path} (${show(githubApp.name)}): every app's previews share one copy of the GitHub App in Argo CD's namespace; name the same secret`,
      );
    }
    githubApp ??= { name: previews.githubApp.secretName, path: appPath };
    const backend = spec.secrets?.backend ?? SecretBackend.SECRETS_MANAGER;
    if (app.secret && backend !== SecretBackend.SECRETS_MANAGER) {
      add(
        `${path}.previews.enabled`,
        `needs secrets.backend 'secrets-manager' for the app's secret (${show(backend)} is set): a preview reads its secret through a ClusterSecretStore of ` +
          'Secrets Manager that admits only the preview namespaces; use secrets-manager, or turn previews off',
      );
    }
    const longestNumber = '9'.repeat(PREVIEW_NUMBER_DIGITS);
    const host = `${previews.hostPrefix}${longestNumber}.${app.host}`;
    if (host.length > 253) {
      add(
        `${path}.host`,
        `${show(app.host)} makes preview hosts up to ${host.length} characters (${show(`${previews.hostPrefix}${longestNumber}.`)} and the host), longer than a DNS name's 253; ` +
          `with previews, the host may have at most ${253 - previews.hostPrefix.length - PREVIEW_NUMBER_DIGITS - 1} characters`,
      );
    }
    for (const other of apps) {
      const taken = other.app.namespace === previews.readerNamespace || new RegExp(`^${previews.namespacePrefix}[0-9]+$`).test(other.app.namespace);
      if (taken) {
        add(
          `${other.path}.namespace`,
          `${show(other.app.namespace)} is a namespace of the previews of ${show(app.name)} (${previews.readerNamespace}, ${previews.namespacePrefix}<number>), ` +
            'which would deploy into it and delete it with a preview; give the app another namespace',
        );
      }
    }
    if (appSpec.previews.migrate && !app.migration) {
      add(
        `${path}.previews.migrate`,
        `is true, but ${show(app.name)} has no migration (apps[].migration) for a preview to run; remove previews.migrate, or give the app a migration`,
      );
    }
    if (appSpec.previews.secretPrefix === undefined) continue;
    const productionPrefix = `${platform.secretsPrefix}/${app.name}`;
    const production = app.secret?.remoteKey;
    const prefix = previews.secretPrefix;
    const suggestion = `such as ${show(`${productionPrefix}/previews`)}`;
    const theirs = otherPrefixes(spec.name, platform, app.name, apps.map((a) => a.app.name))
      .find((other) => holds(prefix, other.prefix) || holds(other.prefix, prefix));
    if (prefix.startsWith('/') || prefix.endsWith('/') || prefix.includes('//')) {
      add(
        `${path}.previews.secretPrefix`,
        `${show(prefix)} has an empty part between slashes (or a leading or trailing '/'): the previews read ${show(`${prefix}/${app.secret?.name ?? '<secret name>'}`)}; ` +
          `give the prefix without them, ${suggestion}`,
      );
    } else if (prefix === productionPrefix || (production !== undefined && production.startsWith(`${prefix}/`))) {
      add(
        `${path}.previews.secretPrefix`,
        `${show(prefix)} would let previews read production's secret${production ? ` ${show(production)}` : ''}; ` +
          `give previews a prefix of their own, ${suggestion}`,
      );
    } else if (theirs) {
      add(
        `${path}.previews.secretPrefix`,
        `${show(prefix)} ${holds(prefix, theirs.prefix) ? 'holds' : 'is within'} ${show(`${theirs.prefix}/`)}, ${theirs.what}, ` +
          `and the previews' role reads every secret under ${show(`${prefix}/`)}; ` +
          `give previews a prefix of their own, ${suggestion}`,
      );
    }
  }
}

/** Whether `prefix` holds `name`: they are equal, or `name` is under `prefix/`. */
function holds(prefix: string, name: string): boolean {
  return name === prefix || name.startsWith(`${prefix}/`);
}

/**
 * The prefixes of the platform's secrets that are not the app's own: Argo CD's (the manifest
 * repository's credentials, deploy feedback's and the previews' GitHub App), every other app's, and
 * with several environments every other environment's. A preview prefix overlapping one would let
 * the previews' reader read them.
 */
function otherPrefixes(platformName: string, platform: EnvironmentInput['platform'], app: string, apps: string[]): { prefix: string; what: string }[] {
  return [
    { prefix: `${platform.secretsPrefix}/argocd`, what: "where the platform keeps Argo CD's secrets (the manifest repository's credentials, the GitHub Apps)" },
    ...apps.filter((other) => other !== app).map((other) => ({ prefix: `${platform.secretsPrefix}/${other}`, what: `the secrets of app ${show(other)}` })),
    ...(platform.environments.length > 1
      ? platform.environments.filter((e) => e !== platform.environment).map((e) => ({ prefix: `${platformName}/${e}`, what: `the secrets of environment ${show(e)}` }))
      : []),
  ];
}

/**
 * Digits of the largest pull request number the names are checked for: 9,999,999 pull requests in one
 * repository, far beyond any repository's.
 */
export const PREVIEW_NUMBER_DIGITS = 7;

/**
 * The notes of `validate` about previews. One line each, without the `warning: ` prefix `validate`
 * gives every warning it prints:
 *
 * - an app whose `previews` sets fields without `enabled: true`: previews are off, and those fields
 *   do nothing (a `label` or a `secretPrefix` that seems to ask for previews would otherwise pass
 *   without a word);
 * - where previews are on (the environment releases arrive in), what must exist before the first
 *   preview works, by the spec's values: the GitHub App's secret (its keys, and the App's one
 *   permission, Pull requests: Read, on each repository), each app's preview secret (the keys of
 *   the app's own secret there), the ACM certificate for `*.<host>` (every Ingress serves HTTPS: with
 *   `ingress.certificateArn` that certificate, else the one the load balancer controller discovers
 *   by host, and its discovery takes a wildcard: "attaches a cert for dev.example.com or
 *   *.example.com", AWS Load Balancer Controller, Certificate Discovery), and both workflows on the
 *   default branch (GitHub docs, "Manually running a workflow": "To trigger the workflow_dispatch
 *   event, your workflow must be in the default branch").
 *
 * @param workflowsOf the preview workflow files of an app (the gate's and the build's), which the
 *   workflows' layer names
 */
export function previewsWarnings(spec: PlatformSpec, platforms: readonly ResolvedPlatform[], workflowsOf: (app: ResolvedApp) => string[]): string[] {
  const found: string[] = [];
  spec.apps.forEach((app, i) => {
    const given = Object.keys(app.previews ?? {}).filter((key) => key !== 'enabled');
    if (app.previews?.enabled || !given.length) return;
    const fields = given.map((key) => `apps[${i}].previews.${key}`);
    found.push(
      `${fields.join(', ')} ${fields.length === 1 ? 'is' : 'are'} set, but apps[${i}].previews.enabled is ${app.previews?.enabled === false ? 'false' : 'not set'}: ` +
        `previews of ${app.name} are off, so ${fields.length === 1 ? 'it does' : 'they do'} nothing; set apps[${i}].previews.enabled: true, or remove ${fields.length === 1 ? 'it' : 'them'}`,
    );
  });
  const platform = platforms.find((p) => p.apps.some((app) => app.previews));
  if (!platform) return found;
  const apps = platform.apps.filter((app) => app.previews);
  const githubApp = apps[0].previews!.githubApp;
  const where = platform.account === PLACEHOLDER_ACCOUNT ? platform.region : `account ${platform.account}, ${platform.region}`;
  const repositories = [...new Set(apps.map((app) => app.ci.repository.fullName))];
  found.push(
    `previews: before the first preview, create the Secrets Manager secret ${githubApp.secretName} (${where}) with the keys ${githubApp.keys.join(', ')} ` +
      `of a GitHub App installed on ${repositories.join(', ')} with the permission Pull requests: Read (the pull request generator lists pull requests with it)`,
  );
  for (const app of apps) {
    const previews = app.previews!;
    if (app.secret) {
      const keys = [...app.secret.keys, ...previewDatabaseKeys(app.database, previews.migrate)];
      found.push(
        `previews of ${app.name}: create the Secrets Manager secret ${previews.secretPrefix}/${app.secret.name} (${where}) with the keys of the app's own ${app.secret.remoteKey} ` +
          `(${keys.join(', ')}); a preview's pods wait until it exists`,
      );
    }
    const certificate = app.ingress.certificateArn
      ? `its ingress.certificateArn ${app.ingress.certificateArn} must cover *.${app.host}`
      : `an ACM certificate in ${platform.region} must cover *.${app.host} (the load balancer controller finds it by host)`;
    found.push(`previews of ${app.name} serve ${previews.hostPrefix}<number>.${app.host} over HTTPS: ${certificate}`);
    found.push(
      `previews of ${app.name}: ${workflowsOf(app).join(' and ')} must be on the default branch of ${app.ci.repository.fullName} before a dispatch works ` +
        '(workflow_dispatch runs only a workflow the default branch has)',
    );
  }
  return found;
}
