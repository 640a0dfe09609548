import { AVP_PLUGINS } from '../addons/vault-plugin/argocd-vault-plugin';
import { FEEDBACK_ANNOTATIONS } from '../k8s/argocd/notifications';
import { applicationFor } from '../k8s/argocd/platform-applications-chart';
import type { ResolvedApp, ResolvedImage, ResolvedPlatform } from '../model/resolved';
import { DeliveryMode } from '../model/types';
import { UPSTREAM_URLS } from '../versions';

/** Actions the workflows use, pinned to their current major versions. */
export const ACTIONS = {
  checkout: 'actions/checkout@v7',
  configureAwsCredentials: 'aws-actions/configure-aws-credentials@v6',
  amazonEcrLogin: 'aws-actions/amazon-ecr-login@v2',
} as const;

/** Secrets the generated workflows read, by delivery mode; the README of each repository lists them. */
export const WORKFLOW_SECRETS = {
  /** A token that may push branches and open pull requests on the manifest repository. */
  manifestRepoToken: 'MANIFEST_REPO_TOKEN',
  /** Argo CD API server host name. */
  argocdServer: 'ARGOCD_SERVER',
  /** Argo CD API token of an account allowed to create Applications in the project. */
  argocdAuthToken: 'ARGOCD_AUTH_TOKEN',
} as const;

/**
 * An image tag Docker and ECR accept. A release tag is checked against it before anything is built,
 * so a tag such as `v1;x` fails at once with a message instead of half-way through the images.
 */
export const IMAGE_TAG_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$';

/** A `run:` script from its lines. */
export const sh = (lines: string[]) => `${lines.join('\n')}\n`;

/** One image the workflow pushes: the name of its step, and where it is built from. */
interface WorkflowImage {
  readonly name: string;
  readonly image: ResolvedImage;
}

/**
 * The GitHub Actions workflow of an application repository: on a release tag, assume the app's CI
 * role through OIDC, and push every image of the app under that tag (building it, or, when the release
 * changed only deployment files, re-tagging the previous release's images, which ECR does without a
 * build). Then deliver it the way the spec says.
 *
 * Every value from the spec reaches a script through `env:` and is quoted there, never written into
 * the script itself; the spec's patterns also refuse newlines, quotes and `${{` in those values.
 * ECR tags are immutable, so a re-run (or the rest of a partly failed run) skips every image that
 * already has the tag.
 */
export function buildWorkflow(platform: ResolvedPlatform, app: ResolvedApp): Record<string, unknown> {
  const images: WorkflowImage[] = [
    ...(app.migration ? [{ name: 'migration', image: app.migration.image }] : []),
    ...app.containers.map((c) => ({ name: c.name, image: c.image })),
  ];

  const jobs: Record<string, unknown> = {
    changes: {
      'name': 'Find what changed since the previous release',
      'runs-on': 'ubuntu-latest',
      'outputs': { build: '${{ steps.diff.outputs.build }}', previous: '${{ steps.diff.outputs.previous }}' },
      'steps': [
        { uses: ACTIONS.checkout, with: { 'fetch-depth': 0 } },
        {
          id: 'diff',
          name: 'Compare with the previous release tag',
          env: { TAG_PATTERNS: envList(app.ci.tagPatterns), DEPLOY_PATHS: envList(app.ci.deployPaths) },
          run: sh([
            'matches=()',
            'while IFS= read -r pattern; do matches+=(--match "$pattern"); done <<< "$TAG_PATTERNS"',
            'previous=$(git describe --tags --abbrev=0 "${matches[@]}" "${GITHUB_SHA}^" 2>/dev/null || true)',
            'echo "previous=$previous" >> "$GITHUB_OUTPUT"',
            'if [ -z "$previous" ]; then echo "build=true" >> "$GITHUB_OUTPUT"; exit 0; fi',
            'excludes=()',
            'while IFS= read -r glob; do excludes+=(":(exclude,glob)$glob"); done <<< "$DEPLOY_PATHS"',
            'changed=$(git diff --name-only "$previous" "$GITHUB_SHA" -- . "${excludes[@]}")',
            'if [ -n "$changed" ]; then echo "build=true" >> "$GITHUB_OUTPUT"; else echo "build=false" >> "$GITHUB_OUTPUT"; fi',
            'echo "Changed outside deployment files since $previous:"; echo "${changed:-  (nothing)}"',
          ]),
        },
      ],
    },
    push: {
      'name': 'Push the images to ECR',
      'needs': 'changes',
      'runs-on': 'ubuntu-latest',
      'permissions': { 'id-token': 'write', 'contents': 'read' },
      'env': { BUILD: '${{ needs.changes.outputs.build }}', PREVIOUS: '${{ needs.changes.outputs.previous }}' },
      'steps': [
        {
          name: 'Check the tag is an image tag',
          env: { TAG_PATTERN: IMAGE_TAG_PATTERN },
          run: sh([
            'if ! printf \'%s\' "$TAG" | grep -Eq "$TAG_PATTERN"; then',
            '  echo "::error::tag $TAG is not a valid image tag (letters, digits, _ . -; at most 128)"',
            '  exit 1',
            'fi',
          ]),
        },
        { uses: ACTIONS.checkout },
        {
          name: 'Assume the CI role',
          uses: ACTIONS.configureAwsCredentials,
          with: { 'role-to-assume': app.ci.role.roleArn, 'aws-region': platform.images.region, 'role-session-name': `${app.name}-\${{ github.run_id }}` },
        },
        { id: 'ecr', name: 'Log in to ECR', uses: ACTIONS.amazonEcrLogin },
        ...images.map(pushStep),
      ],
    },
  };

  const deliver = deliveryJob(platform, app, images.map(({ image }) => image.imageUri));
  if (deliver) jobs.deliver = deliver;

  return {
    name: `Release ${app.name}`,
    on: { push: { tags: [...app.ci.tagPatterns] } },
    permissions: { contents: 'read' },
    concurrency: { 'group': `release-${app.name}`, 'cancel-in-progress': false },
    env: { AWS_REGION: platform.images.region, REGISTRY: platform.registry, TAG: '${{ github.ref_name }}' },
    jobs,
  };
}

/**
 * Pushes one image under the release tag, unless ECR has it already: built from its Dockerfile, or
 * the previous release's image re-tagged when only deployment files changed.
 */
function pushStep({ name, image }: WorkflowImage): Record<string, unknown> {
  return {
    name: `Push ${name}`,
    env: { REPOSITORY: image.repositoryName, DOCKERFILE: image.dockerfile },
    run: sh([
      'if found=$(aws ecr describe-images --repository-name "$REPOSITORY" --image-ids imageTag="$TAG" 2>&1); then',
      '  echo "$REPOSITORY:$TAG is in ECR already (tags are immutable): skipped"',
      '  exit 0',
      'elif ! grep -q ImageNotFoundException <<< "$found"; then',
      '  echo "$found" >&2',
      '  exit 1',
      'fi',
      'if [ "$BUILD" = "true" ]; then',
      '  docker build -t "$REGISTRY/$REPOSITORY:$TAG" -f "$DOCKERFILE" .',
      '  docker push "$REGISTRY/$REPOSITORY:$TAG"',
      'else',
      '  manifest=$(aws ecr batch-get-image --repository-name "$REPOSITORY" --image-ids imageTag="$PREVIOUS" --query "images[0].imageManifest" --output text)',
      '  aws ecr put-image --repository-name "$REPOSITORY" --image-tag "$TAG" --image-manifest "$manifest"',
      'fi',
    ]),
  };
}

function deliveryJob(platform: ResolvedPlatform, app: ResolvedApp, imageUris: string[]): Record<string, unknown> | undefined {
  switch (app.delivery) {
    case DeliveryMode.IMAGE_UPDATER:
      // The Image Updater notices the new tag in ECR; nothing to do here.
      return undefined;
    case DeliveryMode.PULL_REQUEST:
      return pullRequestJob(platform, app, imageUris);
    case DeliveryMode.ARGOCD_CLI:
      return argocdCliJob(platform, app, imageUris);
  }
}

function pullRequestJob(platform: ResolvedPlatform, app: ResolvedApp, imageUris: string[]): Record<string, unknown> {
  const repo = platform.manifestRepository;
  const token = `\${{ secrets.${WORKFLOW_SECRETS.manifestRepoToken} }}`;
  return {
    'name': 'Open a pull request on the manifest repository',
    'needs': 'push',
    'runs-on': 'ubuntu-latest',
    'env': { APP: app.name, BASE: repo.branch, OVERLAY: app.paths.overlay, IMAGES: envList(imageUris) },
    'steps': [
      { uses: ACTIONS.checkout, with: { repository: repo.fullName, ref: repo.branch, token, path: 'manifests' } },
      {
        name: `Set ${app.name} to the new tag in ${app.paths.overlay}`,
        run: sh([
          'cd "manifests/$OVERLAY" || exit 1',
          'while IFS= read -r image; do kustomize edit set image "$image=$image:$TAG"; done <<< "$IMAGES"',
        ]),
      },
      {
        'name': 'Open the pull request',
        'working-directory': 'manifests',
        'env': { GH_TOKEN: token, SOURCE: '${{ github.server_url }}/${{ github.repository }}/releases/tag/${{ github.ref_name }}' },
        // A re-run finds the branch, the commit or the pull request of the first run, and keeps them.
        'run': sh([
          'branch="release/$APP-$TAG"',
          'git config user.name "github-actions[bot]"',
          'git config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
          'git switch -C "$branch"',
          'if git diff --quiet; then echo "$OVERLAY is at $TAG already"; else git commit -am "$APP: release $TAG"; fi',
          'git push --force-with-lease origin "$branch"',
          'if [ -n "$(gh pr list --head "$branch" --state open --json number --jq ".[].number")" ]; then',
          '  echo "The pull request for $branch is open already"',
          'else',
          '  gh pr create --base "$BASE" --head "$branch" --title "$APP: release $TAG" --body "Images of $APP built from $SOURCE."',
          'fi',
        ]),
      },
    ],
  };
}

function argocdCliJob(platform: ResolvedPlatform, app: ResolvedApp, imageUris: string[]): Record<string, unknown> {
  const vaultPlugin = platform.usesVaultPlugin;
  // The Application the chart would write, with the image tag added at release time: the same source,
  // destination and sync policy as every other Application of the platform.
  const application = applicationFor(platform, app);
  if (vaultPlugin) {
    application.spec.source.plugin = { name: AVP_PLUGINS.kustomize, env: [{ name: 'APP_REPO', value: `https://github.com/${app.ci.repository.fullName}` }] };
  }
  const moveTag = vaultPlugin
    ? // With the plugin, the tag travels as plugin env; the plugin pins every image to it.
    '.spec.source.plugin.env += [{name: "IMAGE_NAME", value: ($images | join(" "))}, {name: "IMAGE_TAG", value: $tag}]'
    : '.spec.source.kustomize.images = [$images[] | "\\(.):\\($tag)"]';
  // Deploy feedback: the release's commit in the same source that moves the tag, so the sync that
  // deploys this tag records it (lib/k8s/argocd/notifications.ts). Never with the plugin (refused).
  const feedback = platform.argocd.deployFeedback !== undefined;
  const setTag = feedback ? `${moveTag} | .spec.source.kustomize.commonAnnotations[${JSON.stringify(FEEDBACK_ANNOTATIONS.releaseRevision)}] = $sha` : moveTag;
  const jq = feedback
    ? 'printf \'%s\' "$APPLICATION" | jq --arg tag "$TAG" --arg sha "$GITHUB_SHA" --argjson images "$IMAGES" "$SET_TAG" > application.json'
    : 'printf \'%s\' "$APPLICATION" | jq --arg tag "$TAG" --argjson images "$IMAGES" "$SET_TAG" > application.json';
  return {
    'name': 'Create or update the Argo CD Application',
    'needs': 'push',
    'runs-on': 'ubuntu-latest',
    'env': {
      ARGOCD_SERVER: `\${{ secrets.${WORKFLOW_SECRETS.argocdServer} }}`,
      ARGOCD_AUTH_TOKEN: `\${{ secrets.${WORKFLOW_SECRETS.argocdAuthToken} }}`,
      ARGOCD_CLI_URL: UPSTREAM_URLS.argoCdCli,
    },
    'steps': [
      {
        name: 'Install the Argo CD CLI (checked against the release checksums)',
        run: sh([
          'mkdir -p "$HOME/.local/bin"',
          'cd "$HOME/.local/bin" || exit 1',
          'curl -fsSL -o argocd-linux-amd64 "$ARGOCD_CLI_URL"',
          'curl -fsSL -o cli_checksums.txt "${ARGOCD_CLI_URL%/*}/cli_checksums.txt"',
          'sha256sum --check --ignore-missing cli_checksums.txt',
          'mv argocd-linux-amd64 argocd && chmod +x argocd',
          'echo "$HOME/.local/bin" >> "$GITHUB_PATH"',
        ]),
      },
      {
        name: `Upsert ${app.name} at the new tag`,
        env: { APPLICATION: JSON.stringify(application), IMAGES: JSON.stringify(imageUris), SET_TAG: setTag },
        run: sh([
          jq,
          'argocd app create --upsert --grpc-web --file application.json',
        ]),
      },
    ],
  };
}

/** A list as a newline-separated env value, read back with `while IFS= read -r`. */
export function envList(values: string[]): string {
  return values.join('\n');
}
