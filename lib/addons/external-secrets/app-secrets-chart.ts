import { ApiObject, Chart, ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { EXTERNAL_SECRETS_API_VERSION, ownedExternalSecret, SecretsManagerStore } from './secrets-manager-store';
import { appLabels } from '../../k8s/labels';
import { DATABASE_KEYS } from '../../model/resolve/database';
import type { ResolvedApp, ResolvedPlatform, ResolvedSecret } from '../../model/resolved';
import { SecretBackend } from '../../model/types';

/** Properties of an `AppSecretsChart`. */
export interface AppSecretsChartProps extends ChartProps {
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;
  /** The application; it must have a secret. */
  readonly app: ResolvedApp;
}

/**
 * The application's Secret, kept in step with its source by External Secrets Operator: the
 * ServiceAccount ESO authenticates as, the SecretStore (Secrets Manager through IRSA, or Vault through
 * Kubernetes auth) and the ExternalSecret. The Secret is owned by the ExternalSecret, so ESO, not
 * Argo CD, decides its life: Argo CD does not track it and never prunes it.
 */
export class AppSecretsChart extends Chart {
  /** The ServiceAccount ESO authenticates as. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The SecretStore. */
  public readonly secretStore: ApiObject;
  /** The ExternalSecret. */
  public readonly externalSecret: ApiObject;
  /** With a database: the ExternalSecret of its master's credentials, `<app>-database-master`, which only the PreSync Jobs read. */
  public readonly databaseMasterSecret?: ApiObject;

  constructor(scope: Construct, id: string, props: AppSecretsChartProps) {
    super(scope, id, props);
    const { platform, app } = props;
    const secret: ResolvedSecret | undefined = app.secret;
    if (!secret) throw new Error(`AppSecretsChart: app '${app.name}' has no secret`);
    const backend = platform.secrets.backend;
    if (platform.usesVaultPlugin) {
      throw new Error(`AppSecretsChart: app '${app.name}' uses the vault-plugin backend, which renders secrets without External Secrets`);
    }
    const labels = appLabels(platform, app, 'secrets');
    const namespace = app.namespace;

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: {
        name: secret.reader.serviceAccountName,
        namespace,
        labels,
        // Vault authenticates the ServiceAccount itself (Kubernetes auth): no AWS role then.
        annotations: backend === SecretBackend.SECRETS_MANAGER ? secret.reader.serviceAccountAnnotations : undefined,
      },
      // ESO requests tokens for this account through the TokenRequest API; no pod mounts it.
      automountServiceAccountToken: false,
    });

    this.secretStore =
      backend === SecretBackend.SECRETS_MANAGER
        ? new SecretsManagerStore(this, 'SecretStore', {
          name: secret.storeName,
          namespace,
          region: platform.region,
          serviceAccountName: secret.reader.serviceAccountName,
          labels,
        }).apiObject
        : new ApiObject(this, 'SecretStore', {
          apiVersion: EXTERNAL_SECRETS_API_VERSION,
          kind: 'SecretStore',
          metadata: { name: secret.storeName, namespace, labels },
          spec: { provider: vaultProvider(platform, secret) },
        });

    const store = { name: secret.storeName, kind: 'SecretStore' } as const;
    this.externalSecret = ownedExternalSecret(this, 'ExternalSecret', {
      name: secret.externalSecretName,
      secretName: secret.name,
      namespace,
      labels,
      refreshInterval: secret.refreshInterval,
      store,
      data: [
        ...secret.keys.map((key) => ({ secretKey: key, remoteRef: { key: secret.remoteKey, property: key } })),
        // The database's application user, under the same prefix: its credentials and the
        // connection its SecretTargetAttachment wrote (keys `database-<property>`).
        ...databaseData(app),
      ],
    });

    const database = app.database;
    if (database) {
      // The master's name and password in a Secret of their own: no container can read them, and a
      // rotation of the master reaches the PreSync Jobs within its refresh interval.
      const master = database.masterSecret;
      this.databaseMasterSecret = ownedExternalSecret(this, 'DatabaseMasterSecret', {
        name: master.name,
        secretName: master.name,
        namespace,
        labels,
        refreshInterval: master.refreshInterval,
        store,
        data: [
          { secretKey: master.usernameKey, remoteRef: { key: database.secretName, property: 'username' } },
          { secretKey: master.passwordKey, remoteRef: { key: database.secretName, property: 'password' } },
        ],
      });
    }
  }
}

/** The ExternalSecret's entries of the application's database: the connection, as the application's user. */
function databaseData(app: ResolvedApp) {
  const database = app.database;
  if (!database) return [];
  return DATABASE_KEYS.map((key) => ({ secretKey: database.secretKeys[key], remoteRef: { key: database.appSecretName, property: key } }));
}

function vaultProvider(platform: ResolvedPlatform, secret: ResolvedSecret) {
  const vault = platform.secrets.vault!;
  return {
    vault: {
      server: vault.address,
      path: vault.kvMount,
      version: 'v2',
      auth: {
        kubernetes: {
          mountPath: vault.authMount,
          role: vault.role,
          serviceAccountRef: { name: secret.reader.serviceAccountName },
        },
      },
    },
  };
}
