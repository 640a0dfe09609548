// Resolution, the secrets section: the backend, Vault, each application's secret and where it is
// read from, and whether External Secrets is installed for them.
import { EXTERNAL_SECRETS_NAMESPACE, SYNC_WAVES } from '../constants';
import type { AppSecretWithDefaults, AppWithDefaults } from '../defaults';
import { APP } from '../platform-shape';
import type { ResolvedApp, ResolvedChildApplication, ResolvedDatabase, ResolvedExternalSecrets, ResolvedManifestRepository, ResolvedSecret, ResolvedSecrets } from '../resolved';
import type { ObjectField, StringField } from '../shape';
import { SecretBackend } from '../types';
import type { SectionInput } from './environment';
import { runsDeployFeedback } from './feedback';

/** The secret backend, and Vault's settings when it is given. */
export function resolveSecrets({ spec }: SectionInput): ResolvedSecrets {
  return {
    backend: spec.secrets.backend,
    vault: spec.secrets.vault && {
      address: spec.secrets.vault.address,
      kvMount: spec.secrets.vault.kvMount,
      authMount: spec.secrets.vault.authMount,
      // Derived: the platform's name.
      role: spec.secrets.vault.role ?? spec.name,
    },
  };
}

/**
 * An application's secret, when it has one: its names, where the backend keeps it, and its reader.
 * An application with a database and no secret of its own gets one with no keys of the spec's: its
 * ExternalSecret then reads only the database's secret, with the same reader.
 */
export function resolveAppSecret(
  { spec, names, roles, identityOf }: SectionInput,
  given: AppWithDefaults,
  namespace: string,
  database?: ResolvedDatabase,
): ResolvedSecret | undefined {
  const secret = given.secret ?? (database ? databaseOnlySecret() : undefined);
  if (!secret) return undefined;
  const app = { ...given, secret };
  const backend = spec.secrets.backend;
  const remotePrefix = `${names.secretsPrefix}/${app.name}/`;
  const secretName = app.secret.name ?? `${app.name}-secrets`;
  // Without a vault section no Vault path is read; 'kv' keeps vaultPath defined as before.
  const vaultKv = spec.secrets.vault?.kvMount ?? 'kv';
  // One Vault serves every environment: each reads below its own name.
  const vaultAppPath = names.several ? `${names.environment}/${namespace}/${app.name}` : `${namespace}/${app.name}`;
  return {
    name: secretName,
    remoteKey: app.secret.remoteKey ?? (backend === SecretBackend.SECRETS_MANAGER ? `${remotePrefix}${secretName}` : vaultAppPath),
    remotePrefix: backend === SecretBackend.SECRETS_MANAGER ? remotePrefix : vaultAppPath,
    // Secrets Manager appends a 6-character suffix to every secret ARN, hence the trailing wildcard.
    remoteArnPattern: names.secretArnPattern(`${remotePrefix}*`),
    vaultPath: `${vaultKv}/data/${app.secret.remoteKey ?? vaultAppPath}`,
    keys: [...app.secret.keys],
    refreshInterval: app.secret.refreshInterval,
    storeName: `${app.name}-secret-store`,
    externalSecretName: secretName,
    applicationName: `${names.applicationName(app.name)}-secrets`,
    reader: roles.serviceAccountRole('external-secrets', namespace, `${app.name}-secrets-reader`, identityOf('externalSecrets', app), app.name),
  };
}

/** The secret of an application that has a database and no secret of its own: no keys, the default refresh interval. */
function databaseOnlySecret(): AppSecretWithDefaults {
  const fields = (APP.fields.secret as ObjectField).fields;
  return { keys: [], refreshInterval: String((fields.refreshInterval as StringField).default) };
}

/** Whether argocd-vault-plugin renders the applications' secrets (and External Secrets none of them). */
export function usesVaultPlugin({ spec }: SectionInput): boolean {
  return spec.secrets.backend === SecretBackend.VAULT_PLUGIN;
}

/** External Secrets: installed for the applications' secrets, the manifest repository's credentials or deploy feedback's GitHub App. */
export function resolveExternalSecrets(
  input: SectionInput,
  apps: readonly ResolvedApp[],
  manifestRepository: ResolvedManifestRepository,
): ResolvedExternalSecrets {
  const appSecrets = !usesVaultPlugin(input) && apps.some((app) => app.secret !== undefined);
  return {
    installed: appSecrets || manifestRepository.credentials !== undefined || runsDeployFeedback(input),
    appSecrets,
    namespace: EXTERNAL_SECRETS_NAMESPACE,
  };
}

/**
 * The Application of an app's secret resources, whichever add-on renders them (External Secrets'
 * ExternalSecrets, or the vault plugin's Secret templates): its own Application, one wave before the
 * app's, so the PreSync migration finds the Secret; it creates the app's namespace, which it reaches
 * first. `plugin` names the config management plugin that renders it, if one does.
 */
export function appSecretsApplication(app: ResolvedApp, plugin?: ResolvedChildApplication['plugin']): ResolvedChildApplication {
  if (!app.secret) throw new Error(`appSecretsApplication: ${app.name} has no secret`);
  return {
    name: app.secret.applicationName,
    namespace: app.namespace,
    wave: SYNC_WAVES.appSecrets,
    path: app.paths.secrets,
    syncOptions: ['CreateNamespace=true'],
    ...(plugin ? { plugin } : {}),
  };
}
