import { App } from 'cdk8s';
import { AVP_PLUGINS, VaultPluginChart, vaultPluginHelmValues } from './argocd-vault-plugin';
import { AvpSecretChart } from './avp-secret-chart';
import { appSecretsApplication } from '../../model/resolve/secrets';
import type { PlatformAddon } from '../../model/resolved';
import { MANAGED_ARGOCD_DOCS, managedArgoCdDoc } from '../../model/validate/managed-argocd';
import { argoCdStrategy } from '../argocd/strategies';

/**
 * argocd-vault-plugin (secret backend `vault-plugin`): sidecar config management plugins of the Argo
 * CD repo-server fill each application's Secret template from Vault. Each application's Secret is an
 * Application of its own, rendered by the plugin, one wave before the application.
 */
export const VAULT_PLUGIN_ADDON: PlatformAddon = {
  name: 'argocd-vault-plugin',
  specKey: 'vaultPlugin',
  description: 'argocd-vault-plugin, with secrets.backend vault-plugin',

  enabled: ({ platform }) => platform.usesVaultPlugin,

  resolve({ platform }) {
    const apps = platform.apps.filter((app) => app.secret);
    return {
      // The plugin records which application repository the Secret belongs to.
      applications: apps.map((app) => appSecretsApplication(app, { name: AVP_PLUGINS.kustomize, env: { APP_REPO: `https://github.com/${app.ci.repository.fullName}` } })),
      reservedApplicationNames: apps.map((app) => app.secret!.applicationName),
    };
  },

  validate({ platform, add }) {
    if (platform.argocd.managed) {
      add(
        'secrets.backend',
        "'vault-plugin' cannot work with argocd.managed: true: the EKS managed Argo CD runs no config management plugins " +
          `(${managedArgoCdDoc(MANAGED_ARGOCD_DOCS.comparison)}); use 'vault' (External Secrets' Vault provider) instead`,
      );
    }
  },

  manifests({ platform, app: scope, addFile, addKustomization, addInstallFile }) {
    // The plugin joins Argo CD's install in the tree, where the tree carries one (a self-managed Argo CD).
    if (argoCdStrategy(platform).installInTree) {
      const avp = new VaultPluginChart(scope, 'vault-plugin', { platform });
      addInstallFile('argocd-vault-plugin.yaml', [avp.configMap.toJson()], 'resource');
      addInstallFile('argocd-repo-server.yaml', [avp.repoServerPatch.toJson()], 'patch');
    }
    for (const app of platform.apps.filter((a) => a.secret)) {
      const secret = app.secret!;
      // A cdk8s App of its own: Chart.toJson() resolves and validates every chart of its App, so in
      // the tree's shared App each app's call would walk all the apps' charts (quadratic in apps).
      const chart = new AvpSecretChart(new App(), `${app.name}-secrets`, { name: secret.name, namespace: app.namespace, vaultPath: secret.vaultPath, keys: secret.keys });
      addFile(`${app.paths.secrets}/secret.yaml`, chart.toJson());
      addKustomization(app.paths.secrets, { resources: ['secret.yaml'] });
    }
  },

  argoCdValues: (platform) => vaultPluginHelmValues(platform),
};
