import { AVP_PLUGINS } from '../k8s/vault-plugin/argocd-vault-plugin';
import type { ResolvedApp, ResolvedPlatform } from '../spec/resolved';
import { DeliveryMode, SecretBackend } from '../spec/types';

/** Actions the workflows use, pinned to their current major versions. */
export const ACTIONS = {
  checkout: 'actions/checkout@v7',
  configureAwsCredentials: 'aws-actions/configure-aws-credentials@v6',
  amazonEcrLogin: 'aws-actions/amazon-ecr-login@v2',
} as const;

/** Argo CD CLI release the argocd-cli delivery installs (the server's version). */
const ARGOCD_CLI_VERSION = 'v3.5.1';

/** Secrets the generated workflows read, by delivery mode; the README of each repository lists them. */
export const WORKFLOW_SECRETS = {
  /** A token that may push branches and open pull requests on the manifest repository. */
  manifestRepoToken: 'MANIFEST_REPO_TOKEN',
  /** Argo CD API server host name. */
  argocdServer: 'ARGOCD_SERVER',
  /** Argo CD API token of an account allowed to create Applications in the project. */
  argocdAuthToken: 'ARGOCD_AUTH_TOKEN',
} as const;

const sh = (lines: string[]) => `${lines.join('\n')}\n`;

/**
 * The GitHub Actions workflow of an application repository: on a release tag, assume the app's CI
 * role through OIDC, and push every image of the app under that tag (building it, or, when the release
 * changed only deployment files, re-tagging the previous release's images, which ECR does without a
 * build). Then deliver it the way the spec says.
 */
export function buildWorkflow(platform: ResolvedPlatform, app: ResolvedApp): Record<string, unknown> {
  const images = [...(app.migration ? [{ name: 'migration', image: app.migration.image }] : []), ...app.containers.map((c) => ({ name: c.name, image: c.image }))];
  const excludes = app.ci.deployPaths.map((glob) => `':(exclude,glob)${glob}'`).join(' ');

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
          run: sh([
            'previous=$(git describe --tags --abbrev=0 "${GITHUB_SHA}^" 2>/dev/null || true)',
            'echo "previous=$previous" >> "$GITHUB_OUTPUT"',
            'if [ -z "$previous" ]; then echo "build=true" >> "$GITHUB_OUTPUT"; exit 0; fi',
            `changed=$(git diff --name-only "$previous" "$GITHUB_SHA" -- . ${excludes})`,
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
      'steps': [
        { uses: ACTIONS.checkout },
        {
          name: 'Assume the CI role',
          uses: ACTIONS.configureAwsCredentials,
          with: { 'role-to-assume': app.ci.role.roleArn, 'aws-region': platform.region, 'role-session-name': `${app.name}-\${{ github.run_id }}` },
        },
        { id: 'ecr', name: 'Log in to ECR', uses: ACTIONS.amazonEcrLogin },
        {
          name: 'Build and push',
          if: "needs.changes.outputs.build == 'true'",
          run: sh(
            images.flatMap(({ image }) => [
              `docker build -t "$REGISTRY/${image.repositoryName}:$TAG" -f ${image.dockerfile} .`,
              `docker push "$REGISTRY/${image.repositoryName}:$TAG"`,
            ]),
          ),
        },
        {
          name: 'Re-tag the previous release (only deployment files changed)',
          if: "needs.changes.outputs.build != 'true'",
          env: { PREVIOUS: '${{ needs.changes.outputs.previous }}' },
          run: sh([
            `for repository in ${images.map(({ image }) => image.repositoryName).join(' ')}; do`,
            '  manifest=$(aws ecr batch-get-image --repository-name "$repository" --image-ids imageTag="$PREVIOUS" --query "images[0].imageManifest" --output text)',
            '  aws ecr put-image --repository-name "$repository" --image-tag "$TAG" --image-manifest "$manifest"',
            'done',
          ]),
        },
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
    env: { AWS_REGION: platform.region, REGISTRY: platform.registry, TAG: '${{ github.ref_name }}' },
    jobs,
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
    'steps': [
      { uses: ACTIONS.checkout, with: { repository: repo.fullName, ref: repo.branch, token, path: 'manifests' } },
      {
        'name': `Set ${app.name} to the new tag in ${app.paths.overlay}`,
        'working-directory': `manifests/${app.paths.overlay}`,
        'run': sh([`kustomize edit set image ${imageUris.map((uri) => `"${uri}=${uri}:$TAG"`).join(' ')}`]),
      },
      {
        'name': 'Open the pull request',
        'working-directory': 'manifests',
        'env': { GH_TOKEN: token },
        'run': sh([
          `branch="release/${app.name}-$TAG"`,
          'git config user.name "github-actions[bot]"',
          'git config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
          'git switch -c "$branch"',
          `git commit -am "${app.name}: release $TAG"`,
          'git push origin "$branch"',
          `gh pr create --base ${repo.branch} --head "$branch" --title "${app.name}: release $TAG" --body "Images of ${app.name} built from \${{ github.server_url }}/\${{ github.repository }}/releases/tag/$TAG."`,
        ]),
      },
    ],
  };
}

function argocdCliJob(platform: ResolvedPlatform, app: ResolvedApp, imageUris: string[]): Record<string, unknown> {
  const repo = platform.manifestRepository;
  const vaultPlugin = platform.secrets.backend === SecretBackend.VAULT_PLUGIN;
  const common = [
    `argocd app create ${app.name} \\`,
    '  --upsert \\',
    `  --project ${platform.argocd.project} \\`,
    `  --repo ${repo.url} \\`,
    `  --revision ${repo.branch} \\`,
    `  --path ${app.paths.overlay} \\`,
    '  --dest-server https://kubernetes.default.svc \\',
    `  --dest-namespace ${app.namespace} \\`,
    '  --sync-policy automated --auto-prune --self-heal \\',
    '  --sync-option CreateNamespace=true \\',
  ];
  // With the plugin, the tag travels as plugin env; otherwise as Argo CD's own kustomize override.
  const images = vaultPlugin
    ? [
      `  --config-management-plugin ${AVP_PLUGINS.kustomize} \\`,
      `  --plugin-env IMAGE_NAME="${imageUris.join(' ')}" \\`,
      '  --plugin-env IMAGE_TAG="$TAG" \\',
      '  --plugin-env APP_REPO="${{ github.server_url }}/${{ github.repository }}"',
    ]
    : imageUris.map((uri, i) => `  --kustomize-image "${uri}:$TAG"${i < imageUris.length - 1 ? ' \\' : ''}`);
  return {
    'name': 'Create or update the Argo CD Application',
    'needs': 'push',
    'runs-on': 'ubuntu-latest',
    'env': {
      ARGOCD_SERVER: `\${{ secrets.${WORKFLOW_SECRETS.argocdServer} }}`,
      ARGOCD_AUTH_TOKEN: `\${{ secrets.${WORKFLOW_SECRETS.argocdAuthToken} }}`,
    },
    'steps': [
      {
        name: 'Install the Argo CD CLI',
        run: sh([
          'mkdir -p "$HOME/.local/bin"',
          `curl -fsSL -o "$HOME/.local/bin/argocd" https://github.com/argoproj/argo-cd/releases/download/${ARGOCD_CLI_VERSION}/argocd-linux-amd64`,
          'chmod +x "$HOME/.local/bin/argocd"',
          'echo "$HOME/.local/bin" >> "$GITHUB_PATH"',
        ]),
      },
      { name: `Upsert ${app.name} at the new tag`, run: sh([...common, ...images]) },
    ],
  };
}
