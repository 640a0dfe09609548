import { App, Chart } from 'cdk8s';
import { DEPLOYMENT_PATCH_FILE, splitDeployment } from './app-overlay';
import { PreviewExternalDnsChart, PREVIEW_INGRESS_LABEL } from '../addons/external-dns/preview-external-dns-chart';
import { PreviewExternalSecret } from '../addons/external-secrets/preview-external-secret';
import { PreviewSecretStore } from '../addons/external-secrets/preview-secret-store';
import { placeholderPreviewHost, PreviewsApplicationSet } from '../k8s/argocd/previews-application-set';
import { DatabaseUserJobChart } from '../k8s/database/database-user-job-chart';
import { appLabels } from '../k8s/labels';
import { MigrationJobChart } from '../k8s/migration/migration-job-chart';
import { AppWorkloadChart } from '../k8s/workload/app-workload-chart';
import { IRSA_ROLE_ANNOTATION } from '../model/constants';
import type { ResolvedApp, ResolvedPlatform } from '../model/resolved';

/** One directory the previews add to the tree: its files of objects, and its kustomization. */
export interface PreviewDirectory {
  /** The directory. */
  readonly dir: string;
  /** Files of objects, by name; `patches` name the ones the kustomization patches with. */
  readonly files: { [file: string]: unknown[] };
  /** The kustomization, without apiVersion and kind. */
  readonly kustomization: Record<string, unknown>;
}

/** The `env` label of a preview's objects. */
export const PREVIEW_ENVIRONMENT_LABEL = 'preview';

/**
 * The preview overlay at `previews.path` (`<app>/previews`), which every preview's Application syncs
 * with its own kustomize parameters (namespace, images, host): the app's base, and
 *
 * - a Namespace object (named as the app's namespace; the Application's kustomize `namespace`, like
 *   kustomize's namespace transformer, renames it `<app>-pr-<number>`). As an object of the
 *   Application, not `CreateNamespace=true` (whose namespace Argo CD never deletes), it is deleted
 *   with the Application, and everything in it with it;
 * - the Ingress, in the app's ALB group, labelled for the preview ExternalDNS and carrying the
 *   placeholder host `pr-0.<host>`, which the Application's patch replaces (and tests first);
 * - the app's ExternalSecret, reading `<previews.secretPrefix>/<secret name>` through the previews'
 *   ClusterSecretStore;
 * - the Deployment patch: one replica, the first environment's resources;
 * - with a database, patches deleting the base's database user Job and its script (the preview
 *   secret names a user that exists; the Job would log in with master credentials a preview lacks);
 * - the migration: its PreSync Job and a ServiceAccount without the migration's role (that role
 *   trusts the app's namespace only) when `previews.migrate`, else a patch deleting the Job.
 */
export function previewOverlay(platform: ResolvedPlatform, app: ResolvedApp, base: string): PreviewDirectory {
  const previews = app.previews;
  if (!previews) throw new Error(`previewOverlay: app '${app.name}' has no previews`);
  const app8s = new App({ outdir: 'unused' });
  const scope = new Chart(app8s, `${app.name}-preview-objects`);
  const workload = new AppWorkloadChart(app8s, `${app.name}-preview`, { platform, app: { ...app, host: placeholderPreviewHost(app) } });
  const ingress = workload.ingress.toJson();
  ingress.metadata.labels = { ...ingress.metadata.labels, [PREVIEW_INGRESS_LABEL]: app.name };
  const deployment = splitDeployment(workload.deployment.toJson()).patch;
  deployment.spec.replicas = 1;
  const files: { [file: string]: unknown[] } = {
    'namespace.yaml': [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: app.namespace, labels: appLabels(platform, app, 'preview') } }],
    'ingress.yaml': [ingress],
  };
  if (app.secret) {
    const external = new PreviewExternalSecret(scope, 'Secret', { app, labels: appLabels(platform, app, 'secrets') });
    files['external-secret.yaml'] = [external.apiObject, ...(external.databaseMasterSecret ? [external.databaseMasterSecret] : [])].map((o) => o.toJson());
  }
  const patches: string[] = [DEPLOYMENT_PATCH_FILE];
  const patchFiles: { [file: string]: unknown[] } = { [DEPLOYMENT_PATCH_FILE]: [deployment] };
  if (app.database) {
    // A preview's database is the preview secret's, its user made already: the base's Job goes.
    const user = new DatabaseUserJobChart(app8s, `${app.name}-preview-database-user`, { platform, app });
    patchFiles['database-user-script-delete.yaml'] = [deletePatch(user.script.toJson())];
    patchFiles['database-user-delete.yaml'] = [deletePatch(user.job.toJson())];
    patches.push('database-user-script-delete.yaml', 'database-user-delete.yaml');
  }
  if (app.migration) {
    const migration = new MigrationJobChart(app8s, `${app.name}-preview-migration`, { platform, app });
    if (previews.migrate) {
      const account = migration.serviceAccount.toJson();
      delete account.metadata.annotations[IRSA_ROLE_ANNOTATION];
      files['migration-service-account.yaml'] = [account];
    } else {
      patchFiles['migration-delete.yaml'] = [deletePatch(migration.job.toJson())];
      patches.push('migration-delete.yaml');
    }
  }
  const errors = app8s.node.findAll().flatMap((c) => c.node.validate().map((error) => `[${c.node.path}] ${error}`));
  if (errors.length) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  return {
    dir: previews.path,
    files: { ...files, ...patchFiles },
    kustomization: {
      // From `<app>/previews` to `<app>/base`.
      resources: [`../${base.split('/').slice(1).join('/')}`, ...Object.keys(files)],
      patches: patches.map((path) => ({ path })),
      labels: [{ pairs: { env: PREVIEW_ENVIRONMENT_LABEL }, includeSelectors: false, includeTemplates: true }],
    },
  };
}

/**
 * The previews' own objects, in the child Application `<app>-previews` of the first environment
 * (`<overlay>/previews`), beside the app's own and synced by the root app like them: the
 * ApplicationSet (in Argo CD's namespace), the secrets reader's ServiceAccount and the
 * ClusterSecretStore (when the app has a secret), and the preview ExternalDNS, in `<app>-previews`.
 * Not in the bootstrap: they are the app's, and go with it; only the GitHub App's copy, which every
 * app's previews share, is in the bootstrap.
 */
export function previewsPlatform(platform: ResolvedPlatform, app: ResolvedApp): PreviewDirectory {
  const previews = app.previews;
  if (!previews) throw new Error(`previewsPlatform: app '${app.name}' has no previews`);
  const scope = new Chart(new App({ outdir: 'unused' }), `${app.name}-previews`);
  const labels = appLabels(platform, app, 'previews');
  const files: { [file: string]: unknown[] } = {
    'application-set.yaml': [new PreviewsApplicationSet(scope, 'ApplicationSet', { platform, app }).apiObject.toJson()],
  };
  if (app.secret) {
    const reader = previews.secretsReader;
    files['secret-store.yaml'] = [
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: reader.serviceAccountName, namespace: reader.namespace, labels, annotations: reader.serviceAccountAnnotations },
        // External Secrets requests tokens for this account; no pod mounts it.
        automountServiceAccountToken: false,
      },
      new PreviewSecretStore(scope, 'Store', { previews, region: platform.region, labels }).apiObject.toJson(),
    ];
  }
  files['external-dns.yaml'] = new PreviewExternalDnsChart(new App(), `${app.name}-preview-external-dns`, { platform, app }).toJson();
  return { dir: previews.application.path!, files, kustomization: { resources: Object.keys(files) } };
}

/** A strategic merge patch that deletes a base object from the preview. */
function deletePatch(object: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }) {
  return { $patch: 'delete', apiVersion: object.apiVersion, kind: object.kind, metadata: { name: object.metadata.name, namespace: object.metadata.namespace } };
}
