// Validation, the secrets section: the backend's settings, and each application's secret: the keys
// its containers read, and where it may be read from.
import { databaseKubernetesKeys } from '../resolve/database';
import type { ResolvedApp, ResolvedPlatform } from '../resolved';
import { show } from '../shape';
import { SecretBackend } from '../types';
import type { AddProblem, EnvironmentInput, LocatedApp } from './input';

/** `secrets.vault`: given exactly when the backend is Vault's. */
export function checkVault({ spec, platform }: EnvironmentInput, add: AddProblem): void {
  const backend = platform.secrets.backend;
  if ((backend === SecretBackend.VAULT || backend === SecretBackend.VAULT_PLUGIN) && !spec.secrets?.vault) {
    add('secrets.vault', `is required when secrets.backend is '${backend}': give at least the Vault address`);
  }
  if (spec.secrets?.vault && backend === SecretBackend.SECRETS_MANAGER) {
    add('secrets.vault', "is set but secrets.backend is 'secrets-manager'; set the backend to 'vault' or 'vault-plugin', or remove it");
  }
}

/** An app's secret: every key its containers and migration read is one of its keys, each listed once, read from below its own prefix. */
export function checkAppSecret({ platform }: EnvironmentInput, { spec: appSpec, app, path }: LocatedApp, add: AddProblem): void {
  // The database's keys are in the Secret too (the resolver maps its variables to them).
  const keys = [...(app.secret?.keys ?? []), ...(app.database ? databaseKubernetesKeys(app.database) : [])];
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
    // Among the spec's keys: one that is also the database's is refused by the database's rule.
    const own = app.secret.keys;
    const duplicate = own.find((k, i) => own.indexOf(k) !== i);
    if (duplicate) add(`${path}.secret.keys`, `${show(duplicate)} is listed twice`);
    const remoteKey = appSpec.secret?.remoteKey;
    // With several environments, a remote key is refused outright (checkSeveralEnvironments, environment.ts).
    if (remoteKey !== undefined && platform.environments.length === 1) checkRemoteKey(platform, app, remoteKey, `${path}.secret.remoteKey`, add);
  }
}

/** A remote key stays below the application's own prefix: no other team's secret can be named. */
function checkRemoteKey(platform: ResolvedPlatform, app: ResolvedApp, remoteKey: string, path: string, add: AddProblem): void {
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
