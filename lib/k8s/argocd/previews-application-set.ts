import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ARGOCD } from './annotations';
import { DEFAULT_SYNC_RETRY } from './application';
import type { ResolvedApp, ResolvedPlatform } from '../../model/resolved';

/** Properties of a `PreviewsApplicationSet`. */
export interface PreviewsApplicationSetProps {
  /** The resolved platform. */
  readonly platform: ResolvedPlatform;
  /** The application; it must have previews. */
  readonly app: ResolvedApp;
}

/** The pull request generator's parameters a preview is made of (Argo CD v3.4, Generators-Pull-Request: "Template"). */
export const PULL_REQUEST_PARAMETERS = { number: '{{.number}}', headShortSha: '{{.head_short_sha}}' } as const;

/** The host the preview overlay's Ingress carries until the Application's patch names the pull request: pull request 0 never exists. */
export function placeholderPreviewHost(app: ResolvedApp): string {
  return `${app.previews!.hostPrefix}0.${app.host}`;
}

/**
 * An app's previews: an ApplicationSet whose pull request generator lists the application
 * repository's open pull requests carrying the previews' label, through the GitHub App whose Secret
 * (`appSecretName`) is copied into Argo CD's namespace, every `requeueAfterSeconds`. For each, an
 * Application `<app>-pr-<number>` syncs the preview overlay (`<app>/previews`) into
 * `<app>-pr-<number>` with the preview images at `pr-<number>-<head_short_sha>` and the host
 * `pr-<number>.<host>`.
 *
 * Teardown: the generator's Applications follow its pull requests ("Lifecycle": an Application "will
 * be removed when a Pull Request no longer meets the specified criteria", closed or unlabelled). No
 * `applicationsSync` is set, and neither the pinned install nor the chart sets the controller's
 * `applicationsetcontroller.policy`: its default `sync` (create, update and delete; the controller's
 * `--policy`: "Default is '' (empty), which means AppSets default to 'sync'") applies, where `create-only` or `create-update` would keep a
 * closed pull request's preview. Each Application carries the resources finalizer, so its deletion
 * deletes what it made first, the Namespace with it (docs/previews.md, "Teardown").
 *
 * goTemplate with `missingkey=error`: a parameter the generator does not give fails the
 * ApplicationSet rather than rendering `<no value>` into a name.
 */
export class PreviewsApplicationSet extends Construct {
  /** The ApplicationSet object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: PreviewsApplicationSetProps) {
    super(scope, id);
    const { platform, app } = props;
    const previews = app.previews;
    if (!previews) throw new Error(`PreviewsApplicationSet: app '${app.name}' has no previews`);
    const { argocd } = platform;
    const { number, headShortSha } = PULL_REQUEST_PARAMETERS;
    const namespace = `${previews.namespacePrefix}${number}`;
    const tag = `${previews.tagPrefix}${number}-${headShortSha}`;
    const host = `${previews.hostPrefix}${number}.${app.host}`;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: ARGOCD.apiVersion,
      kind: 'ApplicationSet',
      metadata: { name: previews.applicationSetName, namespace: argocd.namespace },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [
          {
            pullRequest: {
              github: {
                owner: app.ci.repository.owner,
                repo: app.ci.repository.name,
                appSecretName: previews.githubApp.kubernetesSecretName,
                labels: [previews.label],
              },
              requeueAfterSeconds: previews.requeueAfterSeconds,
            },
          },
        ],
        template: {
          metadata: {
            name: `${app.name}-pr-${number}`,
            namespace: argocd.namespace,
            labels: { 'app.kubernetes.io/name': app.name, 'app.kubernetes.io/part-of': previews.applicationSetName },
            finalizers: [ARGOCD.resourcesFinalizer],
          },
          spec: {
            // Their own project: the preview namespaces, and no cluster-scoped object but those.
            project: previews.project,
            source: {
              repoURL: platform.manifestRepository.argocdUrl,
              targetRevision: platform.manifestRepository.branch,
              path: previews.path,
              kustomize: {
                namespace,
                images: previewImages(app, tag),
                patches: [{ target: { kind: 'Ingress', name: app.name }, patch: JSON.stringify(hostPatch(app, host)) }],
              },
            },
            destination: { server: argocd.destinationServer, namespace },
            syncPolicy: {
              automated: { prune: true, selfHeal: true },
              retry: {
                limit: DEFAULT_SYNC_RETRY.limit,
                backoff: {
                  duration: DEFAULT_SYNC_RETRY.backoffDuration,
                  factor: DEFAULT_SYNC_RETRY.backoffFactor,
                  maxDuration: DEFAULT_SYNC_RETRY.backoffMaxDuration,
                },
              },
            },
          },
        },
      },
    });
  }
}

/**
 * Argo CD's kustomize image overrides (`<image>=<new name>:<tag>`, `kustomize edit set image`): each
 * production image of the base becomes its preview repository at the pull request's tag.
 */
export function previewImages(app: ResolvedApp, tag: string): string[] {
  const production = new Map(app.containers.map((c) => [c.name, c.image.imageUri]));
  if (app.migration) production.set('migration', app.migration.image.imageUri);
  return app.previews!.images.map(({ container, image }) => `${production.get(container)}=${image.imageUri}:${tag}`);
}

/**
 * The JSON patch that names the preview's host on its Ingress. It first tests the placeholder host, so
 * a preview overlay whose Ingress is not the expected one fails the build instead of serving
 * another host in the app's ALB group.
 */
export function hostPatch(app: ResolvedApp, host: string): { op: string; path: string; value: string }[] {
  const placeholder = placeholderPreviewHost(app);
  return [
    { op: 'test', path: '/spec/rules/0/host', value: placeholder },
    { op: 'replace', path: '/spec/rules/0/host', value: host },
    { op: 'test', path: '/spec/tls/0/hosts/0', value: placeholder },
    { op: 'replace', path: '/spec/tls/0/hosts/0', value: host },
  ];
}
