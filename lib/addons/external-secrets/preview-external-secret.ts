import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ownedExternalSecret } from './secrets-manager-store';
import { PREVIEW_DATABASE_MASTER_PROPERTIES, previewDatabaseKeys } from '../../model/resolve/database';
import type { ResolvedApp } from '../../model/resolved';

/** Properties of a `PreviewExternalSecret`. */
export interface PreviewExternalSecretProps {
  /** The application; it must have previews and a secret. */
  readonly app: ResolvedApp;
  /**
   * Labels.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * The app's Secret in a preview: the same name and keys as production's, read from
 * `<previews.secretPrefix>/<secret name>` through the previews' ClusterSecretStore, never from
 * production's secret or its database's. An app with a database reads the database keys
 * (`database-<property>`) from that same preview secret, so a preview runs against whatever database
 * the preview secret names. With `previews.migrate` the migration reads the master's name and
 * password from the preview's own master Secret (`<app>-database-master`), which the second
 * ExternalSecret fills from the same preview secret's `database-master-username` and
 * `database-master-password`. The namespace is left to the preview's Application (its kustomize
 * `namespace`), which sets `<app>-pr-<number>`.
 */
export class PreviewExternalSecret extends Construct {
  /** The ExternalSecret object. */
  public readonly apiObject: ApiObject;
  /** With a database and `previews.migrate`: the ExternalSecret of the preview's master Secret. */
  public readonly databaseMasterSecret?: ApiObject;

  constructor(scope: Construct, id: string, props: PreviewExternalSecretProps) {
    super(scope, id);
    const { app } = props;
    const previews = app.previews;
    const secret = app.secret;
    if (!previews || !secret) throw new Error(`PreviewExternalSecret: app '${app.name}' needs previews and a secret`);
    const remoteKey = `${previews.secretPrefix}/${secret.name}`;
    const databaseKeys = previewDatabaseKeys(app.database, false);
    // A preview's Secrets go with its namespace: the Owner policy deletes them with their ExternalSecrets.
    const common = { namespace: app.namespace, labels: props.labels, refreshInterval: secret.refreshInterval, store: { name: previews.storeName, kind: 'ClusterSecretStore' } } as const;
    this.apiObject = ownedExternalSecret(this, 'Resource', {
      ...common,
      name: secret.externalSecretName,
      secretName: secret.name,
      data: [...secret.keys, ...databaseKeys].map((key) => ({ secretKey: key, remoteRef: { key: remoteKey, property: key } })),
    });
    const database = app.database;
    if (database && previews.migrate) {
      const master = database.masterSecret;
      this.databaseMasterSecret = ownedExternalSecret(this, 'DatabaseMaster', {
        ...common,
        name: master.name,
        secretName: master.name,
        data: [
          { secretKey: master.usernameKey, remoteRef: { key: remoteKey, property: PREVIEW_DATABASE_MASTER_PROPERTIES.username } },
          { secretKey: master.passwordKey, remoteRef: { key: remoteKey, property: PREVIEW_DATABASE_MASTER_PROPERTIES.password } },
        ],
      });
    }
  }
}
