import { stringify } from 'yaml';
import { RELEASE_REPOSITORY_ANNOTATION, RELEASE_REVISION_ANNOTATION } from '../../model/constants';
import type { ResolvedApp, ResolvedDeployFeedback, ResolvedPlatform } from '../../model/resolved';
import { DeliveryMode } from '../../model/types';

// Deploy feedback on GitHub (argocd.deployFeedback): Argo CD Notifications' GitHub service, configured
// in argocd-notifications-cm through the argo-cd chart's `notifications` values (chart 10.1.1:
// `notifiers`, `templates` and `triggers` are written into the ConfigMap as they are), subscribed per
// Application by annotation.
//
// What the GitHub service does (notifications-engine 1dbe3de, the version Argo CD v3.4.4's go.mod pins,
// pkg/services/github.go): it renders `repoURLPath` and `revisionPath` as Go templates (defaults
// `{{.app.spec.source.repoURL}}` and `{{.app.status.operationState.syncResult.revision}}`), takes
// owner/name from the URL, then
// - `status`: POST /repos/{owner}/{repo}/statuses/{revision} with `state`, `context` (the `label`),
//   `target_url` and `description` (the message, cut to 140 characters);
// - `deployment`: lists the deployments of that `ref` and `environment` and reuses the newest, or
//   creates one (`ref`, `environment`, `required_contexts`, `auto_merge`, `transient_environment`),
//   then POSTs a deployment status (`state`, `log_url`, `description`, `environment`, `environment_url`).
// Both run in one send, the status first.
//
// The defaults point at the wrong repository here: every Application's source is the manifest
// repository, and its revision is a manifest commit. So the templates read the application's
// repository from an annotation the platform writes on each Application (`release-repository`), and
// the release's commit from the source of the sync itself:
// `status.operationState.syncResult.source.kustomize.commonAnnotations["cdk-eks-gitops.io/release-revision"]`.
// Argo CD copies the Application's source into `syncResult.source` when the sync starts
// (controller/sync.go, newSyncOperationResult), so the commit a notification names is the one whose
// tag that very sync deploys, never a later one the Application was changed to meanwhile.
//
// How each delivery mode lets Notifications know the commit:
// - `argocd-cli`: the release workflow upserts the Application with the new tag and, in the same
//   object, `spec.source.kustomize.commonAnnotations["cdk-eks-gitops.io/release-revision"] = $GITHUB_SHA`
//   (lib/ci/build-workflow.ts). Kustomize also puts that annotation on every object it renders, so
//   each workload says which commit it runs. The upsert merges annotations into the existing
//   Application's (server/application/application.go, updateApp with merge), so the record of what
//   Notifications sent (`notified.notifications.argoproj.io`) survives each release.
// - `pull-request`: the release's pull request writes the same two fields (`kustomize.images` at the
//   tag, the revision annotation) into the app's child Application file in the manifest repository,
//   in the commit that moves the overlay's tag; the app-of-apps applies it. The tag moves in the
//   Application too, not only in the overlay, because nothing orders the two Applications' syncs:
//   each Application is refreshed on its own (controller/appcontroller.go, needRefreshAppStatus), so
//   the child may sync the merged commit before the root has applied its new spec. With the tag in
//   the overlay only, that sync would deploy the new tag under the old commit; with both in the
//   Application, it deploys the old tag again under the old commit, and the root's update (a source
//   that differs from the last sync's starts a sync of its own: alreadyAttemptedSync) then deploys
//   the new tag under the new commit. The promotion copies both to the next environment
//   (lib/ci/promotion-workflow.ts). What Notifications records on the child
//   (`notified.notifications.argoproj.io`) survives the root's syncs: the root compares and applies
//   with a three-way merge from the last applied configuration (gitops-engine/pkg/diff, ThreeWayDiff),
//   which keeps the fields only the live object has.
// - `image-updater`: it moves the tag in the manifest repository (git write-back) or in the
//   Application's `kustomize.images` (argocd write-back) from what ECR lists, and nothing it writes
//   names the commit a tag was built from. Validation refuses deploy feedback for it
//   (lib/model/validate/feedback.ts) instead of reporting on the wrong commit.

/** Annotations the platform reads and writes for deploy feedback. */
export const FEEDBACK_ANNOTATIONS = {
  /** On each Application: the application repository's URL, which the GitHub service takes owner/name from. */
  releaseRepository: RELEASE_REPOSITORY_ANNOTATION,
  /** On each Application: the environment's URL, `https://<app host>`. */
  environmentUrl: 'cdk-eks-gitops.io/environment-url',
  /** In the Application's `spec.source.kustomize.commonAnnotations`: the commit the release was built from. */
  releaseRevision: RELEASE_REVISION_ANNOTATION,
} as const;

/** The notifications subscription annotation of a trigger and service (Argo CD's subscriptions docs). */
export function subscriptionAnnotation(trigger: string, service: string): string {
  return `notifications.argoproj.io/subscribe.${trigger}.${service}`;
}

/** The three moments a release reports, each a trigger sending the template of the same name. */
export const FEEDBACK_TRIGGERS = {
  started: 'cdk-eks-gitops-deploy-started',
  succeeded: 'cdk-eks-gitops-deploy-succeeded',
  failed: 'cdk-eks-gitops-deploy-failed',
} as const;

/** The GitHub service's name in argocd-notifications-cm (`service.github`) and in subscriptions. */
export const GITHUB_SERVICE = 'github';

/**
 * The path of the release's commit in the Application, as an expr expression (triggers' `when` and
 * `oncePer`). Each step is compared with nil first: expr fails on a member of nil, and `and` stops at
 * the first false.
 */
const SYNCED_SOURCE = 'app.status.operationState.syncResult.source';
const REVISION_EXPR = `${SYNCED_SOURCE}.kustomize.commonAnnotations["${FEEDBACK_ANNOTATIONS.releaseRevision}"]`;
const HAS_REVISION = [
  'app.status.operationState != nil',
  'app.status.operationState.syncResult != nil',
  `${SYNCED_SOURCE} != nil`,
  `${SYNCED_SOURCE}.kustomize != nil`,
  `${SYNCED_SOURCE}.kustomize.commonAnnotations != nil`,
  `${REVISION_EXPR} != nil`,
].join(' and ');

/**
 * The Go templates of the GitHub service's paths. Only field access and `index` of a map by a quoted
 * key: the trigger has checked that every step exists before a template is rendered.
 */
export const FEEDBACK_PATHS = {
  repoURL: `{{index .app.metadata.annotations "${FEEDBACK_ANNOTATIONS.releaseRepository}"}}`,
  revision: `{{index .app.status.operationState.syncResult.source.kustomize.commonAnnotations "${FEEDBACK_ANNOTATIONS.releaseRevision}"}}`,
  environmentURL: `{{index .app.metadata.annotations "${FEEDBACK_ANNOTATIONS.environmentUrl}"}}`,
} as const;

/** What one template reports: the commit status's state and the deployment status's state (GitHub's values). */
interface Report {
  readonly trigger: string;
  /** GitHub commit status state: error, failure, pending or success. */
  readonly status: 'pending' | 'success' | 'failure';
  /** GitHub deployment status state: error, failure, inactive, in_progress, queued, pending or success. */
  readonly deployment: 'in_progress' | 'success' | 'failure';
  /** The description (at most 140 characters once rendered; the service cuts it there). */
  readonly message: string;
  /** The trigger's condition besides the commit being known. */
  readonly when: string;
  readonly description: string;
}

function reports(environment: string): Report[] {
  return [
    {
      trigger: FEEDBACK_TRIGGERS.started,
      status: 'pending',
      deployment: 'in_progress',
      message: `Argo CD is syncing {{.app.metadata.name}} in ${environment}`,
      when: "app.status.operationState.phase in ['Running']",
      description: 'The release\'s sync has started',
    },
    {
      trigger: FEEDBACK_TRIGGERS.succeeded,
      status: 'success',
      deployment: 'success',
      message: `{{.app.metadata.name}} is Synced and Healthy in ${environment}`,
      when: "app.status.operationState.phase in ['Succeeded'] and app.status.sync.status == 'Synced' and app.status.health.status == 'Healthy'",
      description: 'The release is synced and healthy',
    },
    {
      trigger: FEEDBACK_TRIGGERS.failed,
      status: 'failure',
      deployment: 'failure',
      // A PreSync migration that fails fails the sync operation: phase Failed.
      message: `{{.app.metadata.name}} failed in ${environment}: sync {{.app.status.operationState.phase}}, health {{.app.status.health.status}}`,
      when: "(app.status.operationState.phase in ['Error', 'Failed'] or app.status.health.status == 'Degraded')",
      description: 'The release\'s sync or PreSync migration failed, or the application degraded',
    },
  ];
}

/** One notification template (`template.<name>` of argocd-notifications-cm), as an object. */
export function feedbackTemplate(feedback: ResolvedDeployFeedback, report: Report): Record<string, unknown> {
  return {
    message: report.message,
    github: {
      repoURLPath: FEEDBACK_PATHS.repoURL,
      revisionPath: FEEDBACK_PATHS.revision,
      status: {
        state: report.status,
        // GitHub's status context: one per application and environment.
        label: `argocd/${feedback.environment}/{{.app.metadata.name}}`,
        targetURL: FEEDBACK_PATHS.environmentURL,
      },
      deployment: {
        state: report.deployment,
        environment: feedback.environment,
        environmentURL: FEEDBACK_PATHS.environmentURL,
        // Without it GitHub refuses a deployment whose commit has pending statuses (ours among them).
        requiredContexts: [],
        // The service's default is true: GitHub would merge the default branch into the release's tag.
        autoMerge: false,
        transientEnvironment: false,
      },
    },
  };
}

/** One trigger (`trigger.<name>`), as its list of conditions: once per release commit. */
export function feedbackTrigger(report: Report): Record<string, unknown>[] {
  return [{ when: `${HAS_REVISION} and ${report.when}`, oncePer: REVISION_EXPR, send: [report.trigger], description: report.description }];
}

/** The templates and triggers of deploy feedback, by their argocd-notifications-cm key. */
export function feedbackConfig(feedback: ResolvedDeployFeedback): { templates: { [key: string]: string }; triggers: { [key: string]: string } } {
  const all = reports(feedback.environment);
  return {
    templates: Object.fromEntries(all.map((r) => [`template.${r.trigger}`, stringify(feedbackTemplate(feedback, r), { lineWidth: 0 })])),
    triggers: Object.fromEntries(all.map((r) => [`trigger.${r.trigger}`, stringify(feedbackTrigger(r), { lineWidth: 0 })])),
  };
}

/**
 * The GitHub service (`service.github`), with the App's keys from `argocd-notifications-secret`
 * (`$key` is replaced by that Secret's value).
 */
export function feedbackNotifiers(feedback: ResolvedDeployFeedback): { [key: string]: string } {
  const [appId, installationId, privateKey] = feedback.keys;
  return { [`service.${GITHUB_SERVICE}`]: stringify({ appID: `$${appId}`, installationID: `$${installationId}`, privateKey: `$${privateKey}` }) };
}

/**
 * Everything deploy feedback puts into `argocd-notifications-cm`, by key: the GitHub service, the
 * templates and the triggers. The chart writes its `notifiers`, `templates` and `triggers` values into
 * the ConfigMap as they are (self-managed); under the EKS managed Argo CD the platform writes the
 * ConfigMap itself (`NotificationsControllerChart`), with the same data.
 */
export function notificationsConfigData(feedback: ResolvedDeployFeedback): { [key: string]: string } {
  const { templates, triggers } = feedbackConfig(feedback);
  return { ...feedbackNotifiers(feedback), ...templates, ...triggers };
}

/**
 * The argo-cd chart values that turn deploy feedback on: the GitHub service, its templates and
 * triggers, and no chart-made Secret (External Secrets owns it: `NotificationsCredentials`). Empty when
 * feedback is off, so the release's values stay as they were.
 */
export function notificationsValues(platform: ResolvedPlatform): { [key: string]: any } {
  const feedback = platform.argocd.deployFeedback;
  if (!feedback) return {};
  const { templates, triggers } = feedbackConfig(feedback);
  return {
    notifications: {
      secret: { create: false },
      notifiers: feedbackNotifiers(feedback),
      templates,
      triggers,
    },
  };
}

/**
 * The annotations of an application's Application with deploy feedback on: a subscription of the
 * GitHub service to each trigger, the application repository and the environment's URL. None when
 * feedback is off.
 */
export function feedbackAnnotations(platform: ResolvedPlatform, app: ResolvedApp): { [key: string]: string } {
  if (!platform.argocd.deployFeedback) return {};
  return {
    ...Object.fromEntries(Object.values(FEEDBACK_TRIGGERS).map((trigger) => [subscriptionAnnotation(trigger, GITHUB_SERVICE), ''])),
    [FEEDBACK_ANNOTATIONS.releaseRepository]: app.ci.repository.url,
    [FEEDBACK_ANNOTATIONS.environmentUrl]: `https://${app.host}`,
  };
}

/**
 * Whether an app's child Application carries its release in the manifest repository: a
 * `pull-request` app with deploy feedback on, whose pull request writes the tag and the commit into
 * the Application file (`kustomize.images` and the revision annotation) as well as into the overlay.
 * The generated file has neither (until the first release, Argo CD deploys the overlay's tags, and
 * no trigger fires without a commit); the checkout writer keeps what the releases wrote there.
 */
export function releaseInApplication(platform: ResolvedPlatform, app: ResolvedApp): boolean {
  return platform.argocd.deployFeedback !== undefined && app.delivery === DeliveryMode.PULL_REQUEST;
}

/** The images of an app's Application, in the order its `kustomize.images` lists them: the containers', then the migration's. */
export function applicationImageUris(app: ResolvedApp): string[] {
  return [...app.containers.map((c) => c.image.imageUri), ...(app.migration ? [app.migration.image.imageUri] : [])];
}
