// Resolution, an application's previews (apps[].previews): the names a preview takes from its pull
// request, the preview repositories and the roles (the build's, the secrets reader's, the preview
// ExternalDNS's), where previews run: the environment releases arrive in, with a self-managed Argo CD.
import { ArgoCdMode } from '../argocd-mode';
import { REPOSITORY_CREDENTIAL_KEYS, SYNC_WAVES } from '../constants';
import type { AppWithDefaults } from '../defaults';
import { roleArn, roleName } from '../naming';
import type { ResolvedApp, ResolvedHeldPreviews, ResolvedImage, ResolvedPreviews, ResolvedRole } from '../resolved';
import { RepositoryCredentialsType } from '../types';
import { resolveArgoCdMode } from './argocd';
import type { SectionInput } from './environment';

/**
 * Characters of the head commit's sha in a preview's tag: the ApplicationSet pull request
 * generator's `head_short_sha` parameter is the first 8 (Argo CD v3.4 docs, Generators-Pull-Request).
 */
export const PREVIEW_SHORT_SHA_LENGTH = 8;

/** Seconds between the pull request generator's polls of GitHub: a preview appears within about two minutes of its label, and follows a push as soon. */
export const PREVIEW_REQUEUE_SECONDS = 120;

/**
 * Whether this environment runs the app's previews: asked for, releases arrive here (the first
 * environment), and its Argo CD is the stack's own (validation refuses previews under the managed
 * Argo CD, which has no pull request generator).
 */
export function runsPreviews({ spec, names }: Pick<SectionInput, 'spec' | 'names'>, app: AppWithDefaults): boolean {
  return app.previews.enabled && names.followsReleases && resolveArgoCdMode(spec.argocd.managed, names.runsArgoCd) === ArgoCdMode.SELF_MANAGED;
}

/** The app's previews, where they run (`runsPreviews`); undefined otherwise. */
export function resolvePreviews(
  input: SectionInput,
  app: AppWithDefaults,
  images: { container: string; image: ResolvedImage }[],
  overlayPath: string,
): ResolvedPreviews | undefined {
  if (!runsPreviews(input, app)) return undefined;
  const { spec, names, roles, identityOf } = input;
  const previews = app.previews;
  // Derived: under the app's own prefix, so production's reader may read it too, never the reverse.
  const secretPrefix = previews.secretPrefix ?? `${names.secretsPrefix}/${app.name}/previews`;
  const secretArnPattern = names.secretArnPattern(`${secretPrefix}/*`);
  const githubAppSecretName = previews.githubAppSecretName ?? `${names.secretsPrefix}/argocd/previews`;
  const readerNamespace = `${app.name}-previews`;
  const reader = roles.serviceAccountRole('preview-secrets', readerNamespace, `${app.name}-preview-secrets`, identityOf('externalSecrets', app), app.name);
  const secretsReader = roles.workloadRole(
    { ...reader, purpose: 'preview-secrets' },
    [{ sid: 'ReadPreviewSecrets', actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [secretArnPattern] }],
    [{ resource: secretArnPattern, reason: `The previews of ${app.name} read every secret under their own prefix ${secretPrefix}/ (apps[].previews.secretPrefix), and nothing else.` }],
  );
  // A preview's Ingress is in a namespace of its own, which the app's ExternalDNS (--namespace=<app
  // namespace>) does not watch: one more instance, beside the reader, publishes the preview hosts only.
  const dnsAccount = roles.serviceAccountRole('preview-external-dns', readerNamespace, `${app.name}-preview-external-dns`, identityOf('externalDns', app), app.name);
  const hostedZoneArn = `arn:${names.partition}:route53:::hostedzone/${spec.dns.hostedZoneId}`;
  const externalDns = roles.workloadRole(
    { ...dnsAccount, purpose: 'preview-external-dns' },
    [
      { sid: 'ChangeZoneRecords', actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'], resources: [hostedZoneArn] },
      { sid: 'FindZones', actions: ['route53:ListHostedZones'], resources: ['*'] },
    ],
    [{ resource: '*', reason: 'route53:ListHostedZones has no resource-level permission; record changes are limited to the platform hosted zone.' }],
  );
  const previewImage = (container: string, image: ResolvedImage) => ({ container, image: names.image(`${image.repositoryName}-previews`, image.dockerfile) });
  return {
    label: previews.label,
    maxConcurrent: previews.maxConcurrent,
    migrate: previews.migrate,
    applicationSetName: names.applicationName(`${app.name}-previews`),
    path: `${app.name}/previews`,
    namespacePrefix: `${app.name}-pr-`,
    namespacePattern: `${app.name}-pr-*`,
    project: `${names.applicationName(spec.argocd.project ?? spec.name)}-previews`,
    readerNamespace,
    application: {
      name: names.applicationName(`${app.name}-previews`),
      namespace: readerNamespace,
      // Beside the app: the store and the ApplicationSet need nothing of it.
      wave: SYNC_WAVES.apps,
      path: `${overlayPath}/previews`,
      syncOptions: ['CreateNamespace=true'],
    },
    externalDns,
    externalDnsOwnerId: `${names.qualifiedName}-${app.name}-previews`,
    hostPrefix: 'pr-',
    tagPrefix: 'pr-',
    shortShaLength: PREVIEW_SHORT_SHA_LENGTH,
    secretPrefix,
    secretArnPattern,
    storeName: `${app.name}-previews`,
    secretsReader,
    images: images.map(({ container, image }) => previewImage(container, image)),
    imageExpiryDays: previews.imageExpiryDays,
    buildRole: previewBuildRole(input, app.name),
    githubApp: {
      secretName: githubAppSecretName,
      secretArnPattern: names.secretArnPattern(`${githubAppSecretName}-??????`),
      keys: REPOSITORY_CREDENTIAL_KEYS[RepositoryCredentialsType.GITHUB_APP],
      kubernetesSecretName: `${spec.name}-previews-github-app`,
      storeName: `${spec.name}-previews-github-app`,
      reader: roles.serviceAccountRole('previews-github-reader', spec.argocd.namespace, `${spec.name}-previews-github-reader`, identityOf('externalSecrets', undefined)),
    },
    requeueAfterSeconds: PREVIEW_REQUEUE_SECONDS,
  };
}

/** The preview build role: beside the images, as the CI role is. */
function previewBuildRole({ spec, names }: SectionInput, app: string): ResolvedRole {
  const name = roleName(spec.name, 'preview', app);
  return { roleName: name, roleArn: roleArn(names.images.partition, names.images.account, name) };
}

/**
 * The preview repositories and build roles of `apps` (those with previews), which run in
 * `environment`: what the environment holding the images creates for them.
 */
export function heldPreviews(environment: string, apps: readonly ResolvedApp[]): ResolvedHeldPreviews[] {
  return apps.flatMap(({ name, previews }) => {
    if (!previews) return [];
    const { images, imageExpiryDays, buildRole } = previews;
    return [{ app: name, previewEnvironment: environment, images, imageExpiryDays, buildRole }];
  });
}
