// Validation, deploy feedback (argocd.deployFeedback): where Argo CD Notifications can report a
// release's sync to GitHub, and where it cannot know the release's commit.
import { ArgoCdMode } from '../argocd-mode';
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
 * - Only the `argocd-cli` delivery puts the release's commit into the Application's source, where the
 *   sync records it (lib/k8s/argocd/notifications.ts); `pull-request` and `image-updater` cannot, and
 *   feedback on the wrong commit would be worse than none.
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
    if (app.delivery !== DeliveryMode.ARGOCD_CLI) {
      add(
        `${path}.delivery`,
        `${show(app.delivery)} cannot tell Argo CD which commit a release came from (it moves the image tag only), so deploy feedback ` +
          "would report on no commit; use 'argocd-cli', whose release workflow puts the commit into the Application's source, or turn argocd.deployFeedback off",
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
 *   argocd-notifications-cm its opt-in label.
 */
export function deployFeedbackWarnings(platforms: readonly ResolvedPlatform[]): string[] {
  const docs = 'https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/deploy-feedback.md#where-it-runs';
  const where = (on: readonly ResolvedPlatform[]) => (platforms.length > 1 ? ` (environment ${on.map((p) => p.environment).join(', ')})` : '');
  const on = platforms.filter((platform) => platform.argocd.deployFeedback);
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
  ];
}
