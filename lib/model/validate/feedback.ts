// Validation, deploy feedback (argocd.deployFeedback): where Argo CD Notifications can report a
// release's sync to GitHub, and where it cannot know the release's commit.
import { ArgoCdMode } from '../argocd-mode';
import { ARGOCD_APPS_DIR } from '../constants';
import type { ResolvedPlatform } from '../resolved';
import { show } from '../shape';
import { DeliveryMode, SecretBackend } from '../types';
import type { EnvironmentInput, AddProblem } from './input';

/**
 * The rules of `argocd.deployFeedback`, on one environment's resolved platform; nothing when it is off.
 *
 * - The EKS managed Argo CD is served by the upstream notifications controller the platform runs in
 *   its namespace (lib/k8s/argocd/notifications-controller.ts): the capability's own controller reads
 *   argocd-notifications-cm only with an opt-in label, which the platform's ConfigMap does not carry.
 *   A spoke's Applications are the hub's, in the hub's namespace, whose one ConfigMap holds the hub
 *   environment's templates only: refused there.
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
  if (platform.argocd.mode === ArgoCdMode.SPOKE) {
    add(
      'argocd.deployFeedback.enabled',
      `cannot report from environment ${show(platform.environment)}, a spoke: its Applications are the hub's (argocd.hub), in the hub's ` +
        "Argo CD namespace, whose notifications configuration serves the hub's environment only; turn argocd.deployFeedback off, or give each environment an Argo CD of its own (no argocd.hub)",
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
 * The notes of `validate` about deploy feedback, when it is on, one line each without the `warning: `
 * prefix `validate` gives every warning it prints:
 * - with the stack's own Argo CD: the notifications configuration (the GitHub service, the
 *   templates, the triggers) is in its Helm release only, so a cluster whose Argo CD is installed
 *   from the tree's `argocd/bootstrap/install/` instead (the pinned upstream install, which carries
 *   none) reports nothing, and nothing says so;
 * - with the EKS managed Argo CD: the platform runs its own notifications controller there, and the
 *   capability's managed controller would report each release a second time if someone gave
 *   argocd-notifications-cm its opt-in label;
 * - with `pull-request` apps: their Application file holds the tag Argo CD deploys, beside the overlay's.
 */
export function deployFeedbackWarnings(platforms: readonly ResolvedPlatform[]): string[] {
  const docs = 'https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/deploy-feedback.md#where-it-runs';
  const where = (on: readonly ResolvedPlatform[]) => (platforms.length > 1 ? ` (environment ${on.map((p) => p.environment).join(', ')})` : '');
  const on = platforms.filter((platform) => platform.argocd.deployFeedback);
  const pullRequest = [...new Set(on.flatMap((p) => p.apps.filter((a) => a.delivery === DeliveryMode.PULL_REQUEST).map((a) => a.name)))];
  const selfManaged = on.filter((platform) => !platform.argocd.deployFeedback!.controller);
  const managed = on.filter((platform) => platform.argocd.deployFeedback!.controller);
  return [
    ...(selfManaged.length
      ? [
        `argocd.deployFeedback is on${where(selfManaged)}: the Argo CD the stack installs reports to GitHub, but a cluster whose Argo CD is installed ` +
          'from the manifest tree (argocd/bootstrap/install/) gets no notifications configuration, so no Deployment, no commit status ' +
          `and no error (${docs})`,
      ]
      : []),
    ...(managed.length
      ? [
        `argocd.deployFeedback is on${where(managed)} with the EKS managed Argo CD: the platform runs Argo CD's notifications controller itself ` +
          `(the Application ${managed.map((p) => p.argocd.deployFeedback!.controller!.application.name).join(', ')}), and its argocd-notifications-cm ` +
          "carries no opt-in label of the capability's managed notifications controller; do not add one, or both report each release (" +
          `${docs})`,
      ]
      : []),
    ...(pullRequest.length
      ? [
        `argocd.deployFeedback with pull-request delivery (${pullRequest.join(', ')}): a release's pull request moves the tag in the overlay's kustomization and, ` +
            `with its commit, in the app's Application file (${ARGOCD_APPS_DIR}/), whose tag is the one Argo CD deploys; move a tag by a release or a promotion ` +
            '(or edit both files), never in the overlay alone (https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/deploy-feedback.md#how-notifications-knows-the-repository-and-the-commit)',
      ]
      : []),
  ];
}
