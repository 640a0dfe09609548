// Validation, the environments section: the rules of `environments[]` themselves (names, promotion
// order, overrides of apps that exist), what several environments rule out, and where a problem
// found in one environment's view of the spec belongs.
import { environmentViews } from '../environments';
import { show } from '../shape';
import { DeliveryMode, EnvironmentSpec, PlatformSpec, SecretBackend, WriteBackMethod } from '../types';
import type { AddProblem, SpecInput } from './input';

/** The environments listed, or the fields that apply only with or only without them. */
export function checkEnvironmentList({ spec, apps, environments, allApps }: SpecInput, add: AddProblem): void {
  if (spec.environments === undefined) {
    if (spec.registry !== undefined) add('registry', 'applies only to a platform with environments; remove it, or list the environments');
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
}

/** What several environments rule out: a promotion needs the tags the first environment runs, in Git, and each environment its own names. */
export function checkSeveralEnvironments({ spec, apps, environments }: SpecInput, add: AddProblem): void {
  if (environments.length < 2) return;

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

/**
 * Where a problem found in one environment's view of the spec belongs: at the environment's override
 * when the value came from there, else at the spec's own field.
 */
export function environmentPath(spec: PlatformSpec, environment: EnvironmentSpec, index: number, path: string): string {
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
