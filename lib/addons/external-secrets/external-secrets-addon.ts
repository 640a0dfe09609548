import { CfnOutput } from 'aws-cdk-lib';
import { App } from 'cdk8s';
import { AppSecretsChart } from './app-secrets-chart';
import { ExternalSecretsInstall } from './external-secrets-install';
import { appSecretsApplication } from '../../model/resolve/secrets';
import type { AddonContext, PlatformAddon, ResolvedCopiedSecret, ResolvedPlatform, ResolvedWorkloadRole } from '../../model/resolved';
import { SecretBackend } from '../../model/types';

/**
 * External Secrets Operator: it copies the applications' secrets (Secrets Manager or Vault) and the
 * manifest repository's credentials into Kubernetes Secrets. The stack installs it, before Argo CD
 * can read a private repository; each application's secret resources are an Application of their
 * own, one wave before the application, so its PreSync migration finds the Secret.
 */
export const EXTERNAL_SECRETS_ADDON: PlatformAddon = {
  name: 'external-secrets',
  specKey: 'externalSecrets',
  description: 'External Secrets Operator, for the applications\' secrets and the manifest repository\'s credentials',
  podIdentityUnsupported:
    "External Secrets' per-namespace SecretStores authenticate as a ServiceAccount of their namespace (auth.jwt.serviceAccountRef), " +
    'which EKS Pod Identity does not support; its roles keep IRSA',

  enabled: ({ platform }) => platform.externalSecrets.installed,

  resolve(context) {
    const { platform } = context;
    const credentials = platform.manifestRepository.credentials;
    const appSecrets = platform.externalSecrets.appSecrets ? platform.apps.filter((app) => app.secret) : [];
    const feedback = platform.argocd.deployFeedback;
    const previewsApp = previewsGitHubApp(platform);
    return {
      roles: [
        ...(credentials
          ? [
            context.role({
              purpose: 'repository-reader',
              namespace: credentials.reader.namespace,
              serviceAccountName: credentials.reader.serviceAccountName,
              // Exactly that secret: '?' matches the six characters Secrets Manager appends.
              permissions: [{ sid: 'ReadRepositoryCredentials', actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [credentials.secretArnPattern] }],
            }),
          ]
          : []),
        // Deploy feedback's GitHub App (lib/k8s/argocd/notifications-credentials.ts): exactly its secret.
        ...(feedback
          ? [
            context.role({
              purpose: 'feedback-reader',
              namespace: feedback.reader.namespace,
              serviceAccountName: feedback.reader.serviceAccountName,
              permissions: [{ sid: 'ReadDeployFeedbackApp', actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [feedback.secretArnPattern] }],
            }),
          ]
          : []),
        ...(previewsApp
          ? [
            context.role({
              purpose: 'previews-github-reader',
              namespace: previewsApp.reader.namespace,
              serviceAccountName: previewsApp.reader.serviceAccountName,
              permissions: [{ sid: 'ReadPreviewsGitHubApp', actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [previewsApp.secretArnPattern] }],
            }),
          ]
          : []),
      ],
      appRoles: Object.fromEntries(appSecrets.map((app) => [app.name, readerRoles(context, app.name)])),
      applications: appSecrets.map((app) => appSecretsApplication(app)),
      reservedNamespaces: [platform.externalSecrets.namespace],
      reservedApplicationNames: appSecrets.map((app) => app.secret!.applicationName),
    };
  },

  manifests({ platform, addFile, addKustomization }) {
    if (!platform.externalSecrets.appSecrets) return;
    for (const app of platform.apps.filter((a) => a.secret)) {
      // A cdk8s App of its own: Chart.toJson() resolves and validates every chart of its App, so in
      // the tree's shared App each app's call would walk all the apps' charts (quadratic in apps).
      addFile(`${app.paths.secrets}/external-secret.yaml`, new AppSecretsChart(new App(), `${app.name}-secrets`, { platform, app }).toJson());
      addKustomization(app.paths.secrets, { resources: ['external-secret.yaml'] });
    }
  },

  aws({ scope, platform, cluster, nodes, bootstrapAfter }) {
    const install = new ExternalSecretsInstall(scope, 'ExternalSecrets', { cluster, namespace: platform.externalSecrets.namespace, controllers: platform.cluster.controllers });
    install.chart.node.addDependency(nodes);
    // The repository credentials in the bootstrap are External Secrets resources.
    bootstrapAfter(install.chart);
    const feedback = platform.argocd.deployFeedback;
    if (feedback) {
      // Beside ManifestRepositorySecretName: the secret to create before the first release.
      new CfnOutput(scope, 'DeployFeedbackSecretName', {
        value: feedback.secretName,
        description: `Secrets Manager secret with the GitHub App Argo CD Notifications reports deploy feedback as (keys: ${feedback.keys.join(', ')})`,
      });
    }
    const previewsApp = previewsGitHubApp(platform);
    if (previewsApp) {
      // The secret to create before the first preview: the pull request generator lists pull requests with it.
      new CfnOutput(scope, 'PreviewsGitHubAppSecretName', {
        value: previewsApp.secretName,
        description: `Secrets Manager secret with the GitHub App the previews' pull request generator lists pull requests with (keys: ${previewsApp.keys.join(', ')})`,
      });
    }
  },
};

/** The role an application's SecretStore reads Secrets Manager with (the Vault backend needs none). */
function readerRoles(context: AddonContext, appName: string): ResolvedWorkloadRole[] {
  const app = context.platform.apps.find((a) => a.name === appName)!;
  if (context.platform.secrets.backend !== SecretBackend.SECRETS_MANAGER || !app.secret) return [];
  const secret = app.secret;
  return [
    context.role({
      purpose: 'external-secrets',
      namespace: secret.reader.namespace,
      serviceAccountName: secret.reader.serviceAccountName,
      app,
      permissions: [
        {
          sid: 'ReadAppSecrets',
          actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:ListSecretVersionIds', 'secretsmanager:GetResourcePolicy'],
          resources: [secret.remoteArnPattern],
        },
      ],
      acceptedWildcards: [
        {
          resource: secret.remoteArnPattern,
          reason: 'Secrets Manager appends a random suffix to every secret ARN; the wildcard covers only the application prefix <platform>/<app>/.',
        },
      ],
    }),
  ];
}

/** The previews' GitHub App, when an app has previews: one copy for every app (validation has them name one secret). */
function previewsGitHubApp(platform: ResolvedPlatform): ResolvedCopiedSecret | undefined {
  return platform.apps.find((app) => app.previews)?.previews?.githubApp;
}
