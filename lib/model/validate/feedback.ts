// Validation, deploy feedback (argocd.deployFeedback): where Argo CD Notifications can report a
// release's sync to GitHub, and where it cannot know the release's commit.
import { ARGOCD_APPS_DIR } from '../constants';
import type { ResolvedPlatform } from '../resolved';
import { show } from '../shape';
import { DeliveryMode, SecretBackend } from '../types';
import type { EnvironmentInput, AddProblem } from './input';
import { MANAGED_ARGOCD_DOCS, managedArgoCdDoc } from './managed-argocd';

/**
 * The rules of `argocd.deployFeedback`, on one environment's resolved platform; nothing when it is off.
 *
 * - The EKS managed Argo CD: its comparison page lists "The Notifications controller" among the
 *   unsupported features, while its newer page "Send notifications for Argo CD Applications"
 *   describes a managed controller that reads argocd-notifications-cm only when the ConfigMap carries
 *   an opt-in label. Until the platform writes that ConfigMap for the capability (with the label the
 *   page names), refused, naming both pages. (Running the upstream controller on the cluster beside the capability,
 *   against its Applications, is not offered: nothing the capability documents says it tolerates
 *   another controller patching its Applications.)
 * - The delivery that moves the tag must put the release's commit into the Application's source,
 *   where the sync records it (lib/k8s/argocd/notifications.ts): `argocd-cli` does in its upsert,
 *   `pull-request` in the Application file its pull request edits (and the promotion copies it to
 *   the next environment). `image-updater` cannot: Argo CD Image Updater (v1.3.0) chooses tags from
 *   the registry's list and writes only image references (`kustomize.images` of the Application, the
 *   overlay's kustomization, or `.argocd-source-<app>.yaml`); the one place it can name more, its git
 *   write-back commit message (`.AppChanges[].Labels`, the image's labels, read only by the
 *   newest-build and digest strategies), is a manifest commit's message, which no sync records as the
 *   Application's source. Feedback on the wrong commit would be worse than none.
 * - The plugin of `vault-plugin` renders the source instead of Kustomize, so no commonAnnotations.
 * - The reader role may read only `<platform>/argocd/` secrets, like the repository credentials'.
 */
export function checkDeployFeedback({ spec, platform, apps }: EnvironmentInput, add: AddProblem): void {
  if (!spec.argocd?.deployFeedback?.enabled) return;
  if (platform.argocd.managed) {
    add(
      'argocd.deployFeedback.enabled',
      `needs Argo CD Notifications configured by the platform, which it does not yet do for the EKS managed Argo CD (${managedArgoCdDoc(MANAGED_ARGOCD_DOCS.comparison)} ` +
        `lists "The Notifications controller" as unsupported; ${managedArgoCdDoc(MANAGED_ARGOCD_DOCS.notifications)} describes a managed controller ` +
        'that reads argocd-notifications-cm only with an opt-in label); turn it off, or use a self-managed Argo CD (argocd.managed: false)',
    );
    return;
  }
  if (spec.secrets?.backend === SecretBackend.VAULT_PLUGIN) {
    add(
      'argocd.deployFeedback.enabled',
      "cannot be combined with secrets.backend 'vault-plugin': the plugin renders the Application's source, so the release's commit " +
        "has no kustomize.commonAnnotations to travel in; use 'vault' or 'secrets-manager'",
    );
  }
  for (const { app, path } of apps) {
    if (app.delivery === DeliveryMode.IMAGE_UPDATER) {
      add(
        `${path}.delivery`,
        "'image-updater' cannot tell Argo CD which commit a release came from: Argo CD Image Updater picks a tag from what ECR lists and writes " +
          "only the image reference (the Application's kustomize.images, or the overlay in Git), never the commit it was built from, so deploy feedback " +
          "would report on no commit; use 'pull-request' (its pull request writes the commit into the app's Application file beside the tag) or " +
          "'argocd-cli' (its upsert does), or turn argocd.deployFeedback off",
      );
    }
  }
  const feedback = platform.argocd.deployFeedback;
  const prefix = `${platform.secretsPrefix}/argocd/`;
  if (feedback && spec.argocd.deployFeedback.secretName !== undefined && !feedback.secretName.startsWith(prefix)) {
    add(
      'argocd.deployFeedback.secretName',
      `${show(feedback.secretName)} is outside the prefix ${show(prefix)} under which the platform keeps Argo CD's secrets; name the secret ${prefix}<name>`,
    );
  }
}

/**
 * The notes of `validate` about deploy feedback, when it is on: the notifications configuration (the
 * GitHub service, the templates, the triggers) is in the stack's Helm release of Argo CD only, so a
 * cluster whose Argo CD is installed from the tree's `argocd/bootstrap/install/` instead (the pinned
 * upstream install, which carries none) reports nothing, and nothing says so; and, with `pull-request`
 * apps, that their Application file holds the tag Argo CD deploys, beside the overlay's. One line
 * each, without the `warning: ` prefix `validate` gives every warning it prints.
 */
export function deployFeedbackWarnings(platforms: readonly ResolvedPlatform[]): string[] {
  const on = platforms.filter((platform) => platform.argocd.deployFeedback);
  if (!on.length) return [];
  const where = platforms.length > 1 ? ` (environment ${on.map((p) => p.environment).join(', ')})` : '';
  const pullRequest = [...new Set(on.flatMap((p) => p.apps.filter((a) => a.delivery === DeliveryMode.PULL_REQUEST).map((a) => a.name)))];
  return [
    `argocd.deployFeedback is on${where}: the Argo CD the stack installs reports to GitHub, but a cluster whose Argo CD is installed ` +
      'from the manifest tree (argocd/bootstrap/install/) gets no notifications configuration, so no Deployment, no commit status ' +
      'and no error (https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/deploy-feedback.md#where-it-runs)',
    ...(pullRequest.length
      ? [
        `argocd.deployFeedback with pull-request delivery (${pullRequest.join(', ')}): a release's pull request moves the tag in the overlay's kustomization and, ` +
            `with its commit, in the app's Application file (${ARGOCD_APPS_DIR}/), whose tag is the one Argo CD deploys; move a tag by a release or a promotion ` +
            '(or edit both files), never in the overlay alone (https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/deploy-feedback.md#how-notifications-knows-the-repository-and-the-commit)',
      ]
      : []),
  ];
}
