import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AVP_PLUGINS } from '../addons/vault-plugin/argocd-vault-plugin';
import { applicationImageUris, FEEDBACK_ANNOTATIONS, releaseInApplication } from '../k8s/argocd/notifications';
import { applicationFor, applicationPath } from '../k8s/argocd/platform-applications-chart';
import { GITHUB_OIDC_HOST } from '../model/github-subjects';
import type { ResolvedApp, ResolvedImage, ResolvedPlatform, ResolvedRole } from '../model/resolved';
import { DeliveryMode } from '../model/types';
import { UPSTREAM_URLS } from '../versions';

/** Actions the workflows use, pinned to their current major versions. */
export const ACTIONS = {
  checkout: 'actions/checkout@v7',
  configureAwsCredentials: 'aws-actions/configure-aws-credentials@v6',
  amazonEcrLogin: 'aws-actions/amazon-ecr-login@v2',
  setupQemu: 'docker/setup-qemu-action@v4',
  setupBuildx: 'docker/setup-buildx-action@v4',
  buildPush: 'docker/build-push-action@v7',
  cosignInstaller: 'sigstore/cosign-installer@v4',
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

/**
 * The OIDC issuer of GitHub Actions: what Fulcio writes into a keyless signing certificate made from
 * a workflow's token, and what `cosign verify --certificate-oidc-issuer` checks.
 */
export const GITHUB_ACTIONS_ISSUER = `https://${GITHUB_OIDC_HOST}`;

/**
 * The media types `aws ecr batch-get-image` may answer with: BuildKit pushes an OCI image index (the
 * image and its attestation manifests), and ECR answers with the Docker v2 schema unless told.
 */
const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

/** A `run:` script from its lines. */
export const sh = (lines: string[]) => `${lines.join('\n')}\n`;

/** One image the workflow pushes: the name of its matrix entry, and where it is built from. */
interface WorkflowImage {
  readonly name: string;
  readonly image: ResolvedImage;
}

/** The release workflow of an app, relative to its repository root. */
export function releaseWorkflowPath(app: ResolvedApp): string {
  return `.github/workflows/release-${app.name}.yml`;
}

/**
 * The certificate identity of the keyless signatures of an app's images, without the ref: the
 * release workflow file (Fulcio writes the token's `job_workflow_ref` as the certificate's URI SAN,
 * `https://github.com/<owner>/<repo>/<workflow path>@<ref>`). A release's images are signed at
 * `<identity>@refs/tags/<tag>`.
 */
export function signingIdentity(app: ResolvedApp): string {
  return `https://github.com/${app.ci.repository.fullName}/${releaseWorkflowPath(app)}`;
}

/**
 * The platform the images are built for: the architecture of the cluster's nodes, which one node
 * group keeps to one (`cluster.nodes.instanceTypes`).
 */
export function buildPlatform(platform: ResolvedPlatform): string {
  const arm = platform.cluster.instanceTypes.some((t) => new ec2.InstanceType(t).architecture === ec2.InstanceArchitecture.ARM_64);
  return arm ? 'linux/arm64' : 'linux/amd64';
}

/**
 * The GitHub Actions workflow of an application repository: on a release tag, assume the app's CI
 * role through OIDC, and push every image of the app under that tag (building it, or, when the release
 * changed only deployment files, re-tagging the previous release's images, which ECR does without a
 * build). Then deliver it the way the spec says.
 *
 * Each image is one entry of the `push` job's matrix, so the images of an app build in parallel (the
 * spec gives each its own Dockerfile and nothing orders them). An image is built with BuildKit, cached
 * in the GitHub Actions cache, with SLSA provenance and an SBOM as BuildKit attestations in its image
 * index, and pushed untagged, by digest; the digest is signed keylessly with cosign (the run's OIDC
 * token, identity {@link signingIdentity} at the tag ref), the signature checked, and only then is the
 * release tag put on the digest. So a tag in ECR always names a signed image, even after a failed run.
 * Each image's job ends by verifying the tag's signature, and the delivery job needs them all.
 * An app delivered by the Image Updater is signed a second time with the platform's signing key in
 * AWS KMS ({@link keySignStep}), which the Image Updater verifies by its public key.
 * `apps[].supplyChain.sign: false` leaves out the signing and the verification.
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

  const jobs: Record<string, unknown> = { changes: changesJob(app), push: pushJob(platform, app, images) };
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

/** Whether the release builds: anything changed since the previous release outside the deployment files. */
function changesJob(app: ResolvedApp): Record<string, unknown> {
  return {
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
  };
}

/**
 * One matrix entry per image, run side by side; a failed image does not cancel the others, so a
 * re-run has less left to do.
 */
function pushJob(platform: ResolvedPlatform, app: ResolvedApp, images: WorkflowImage[]): Record<string, unknown> {
  // `apps[].supplyChain.sign: false` (a sandbox): no signature, and nothing to verify.
  const sign = app.supplyChain.sign;
  // Delivered by the Image Updater, which verifies by public key only: signed with the platform's KMS key too.
  const signingKey = app.supplyChain.keySigned ? platform.images.signingKey : undefined;
  return {
    'name': 'Push ${{ matrix.image }} to ECR',
    'needs': 'changes',
    // The x64 runner every repository has; an arm64 image is built under QEMU (GitHub's arm64
    // runners are not offered to every private repository).
    'runs-on': 'ubuntu-latest',
    // id-token: the CI role's OIDC token, and cosign's keyless certificate from the same token.
    'permissions': { 'id-token': 'write', 'contents': 'read' },
    'strategy': {
      'fail-fast': false,
      'matrix': { include: images.map(({ name, image }) => ({ image: name, repository: image.repositoryName, dockerfile: image.dockerfile })) },
    },
    'env': {
      BUILD: '${{ needs.changes.outputs.build }}',
      PREVIOUS: '${{ needs.changes.outputs.previous }}',
      REPOSITORY: '${{ matrix.repository }}',
      ...(sign ? { SIGNER: signingIdentity(app), ISSUER: GITHUB_ACTIONS_ISSUER } : {}),
      ...(signingKey ? { SIGNING_KEY: signingKey.cosignKey } : {}),
    },
    'steps': [
      checkTagStep(),
      ...credentialSteps(platform, app),
      findStep(),
      ...buildSteps(platform),
      ...(sign ? signSteps() : []),
      ...(signingKey ? [keySignStep()] : []),
      tagStep(),
      ...(sign ? [verifyTagStep()] : []),
      ...(signingKey ? [verifyKeySignatureStep()] : []),
    ],
  };
}

/** Refuses a `$TAG` that is no image tag, before anything is built. */
export function checkTagStep(): Record<string, unknown> {
  return {
    name: 'Check the tag is an image tag',
    env: { TAG_PATTERN: IMAGE_TAG_PATTERN },
    run: sh([
      'if ! printf \'%s\' "$TAG" | grep -Eq "$TAG_PATTERN"; then',
      '  echo "::error::tag $TAG is not a valid image tag (letters, digits, _ . -; at most 128)"',
      '  exit 1',
      'fi',
    ]),
  };
}

/**
 * The checkout (of the run's ref), a role (the CI role unless given another: the preview build's) and
 * the ECR login.
 */
export function credentialSteps(
  platform: ResolvedPlatform,
  app: ResolvedApp,
  role: { readonly role: ResolvedRole; readonly label: string } = { role: app.ci.role, label: 'the CI role' },
): Record<string, unknown>[] {
  return [
    { uses: ACTIONS.checkout },
    {
      name: `Assume ${role.label}`,
      uses: ACTIONS.configureAwsCredentials,
      with: { 'role-to-assume': role.role.roleArn, 'aws-region': platform.images.region, 'role-session-name': `${app.name}-\${{ github.run_id }}` },
    },
    { id: 'ecr', name: 'Log in to ECR', uses: ACTIONS.amazonEcrLogin },
  ];
}

/**
 * What to do with the image: `skip` when ECR has the tag already (a tag is only ever put on an image
 * that is complete, and signed when signing is on), `build` it, or `retag` the previous release's
 * digest when only deployment files changed (output `digest`). `$BUILD` `true` always builds a
 * missing tag.
 */
export function findStep(): Record<string, unknown> {
  return {
    id: 'find',
    name: 'Look for the tag in ECR',
    run: sh([
      'if found=$(aws ecr describe-images --repository-name "$REPOSITORY" --image-ids imageTag="$TAG" 2>&1); then',
      '  echo "$REPOSITORY:$TAG is in ECR already (tags are immutable): skipped"',
      '  echo "action=skip" >> "$GITHUB_OUTPUT"',
      'elif ! grep -q ImageNotFoundException <<< "$found"; then',
      '  echo "$found" >&2',
      '  exit 1',
      'elif [ "$BUILD" = "true" ]; then',
      '  echo "action=build" >> "$GITHUB_OUTPUT"',
      'else',
      '  digest=$(aws ecr describe-images --repository-name "$REPOSITORY" --image-ids imageTag="$PREVIOUS" --query "imageDetails[0].imageDigest" --output text)',
      '  echo "Only deployment files changed since $PREVIOUS: $TAG is $REPOSITORY@$digest again"',
      '  { echo "action=retag"; echo "digest=$digest"; } >> "$GITHUB_OUTPUT"',
      'fi',
    ]),
  };
}

/**
 * BuildKit (docker-container driver) builds the image for the nodes' platform, with the GitHub
 * Actions cache (one scope per repository, so the images of an app keep their own caches) and
 * provenance and SBOM attestations, and pushes it untagged: `push-by-digest` writes no tag, the
 * digest (output `digest`) is what the next steps sign and tag.
 *
 * The attestations are BuildKit's rather than `actions/attest-build-provenance`/`attest-sbom`: they
 * are manifests of the image's own index in the same ECR repository (no GitHub attestation store,
 * no `attestations: write`, no SBOM tool to install), and the index digest the cosign signature
 * covers names them, so the signature vouches for the provenance and the SBOM too.
 */
export function buildSteps(platform: ResolvedPlatform): Record<string, unknown>[] {
  const build = "steps.find.outputs.action == 'build'";
  const target = buildPlatform(platform);
  return [
    ...(target === 'linux/amd64' ? [] : [{ if: build, name: 'Set up QEMU', uses: ACTIONS.setupQemu, with: { platforms: target.split('/')[1] } }]),
    { if: build, name: 'Set up BuildKit', uses: ACTIONS.setupBuildx },
    {
      if: build,
      id: 'build',
      name: 'Build and push by digest',
      uses: ACTIONS.buildPush,
      with: {
        'context': '.',
        'file': '${{ matrix.dockerfile }}',
        'platforms': target,
        'outputs': 'type=image,name=${{ env.REGISTRY }}/${{ matrix.repository }},push-by-digest=true,name-canonical=true,push=true',
        'cache-from': 'type=gha,scope=${{ matrix.repository }}',
        'cache-to': 'type=gha,mode=max,scope=${{ matrix.repository }}',
        'provenance': 'mode=max',
        'sbom': 'true',
      },
    },
  ];
}

/** The ref a release's signing certificate names, as the scripts write it: the tag's. */
const RELEASE_REF = 'refs/tags/$TAG';

/** The digest a step after the build works on: the one built, or the previous release's. */
const DIGEST = '${{ steps.build.outputs.digest || steps.find.outputs.digest }}';

/**
 * Signs the digest keylessly and checks the signature at once, with the identity and issuer every
 * verifier uses. A re-tagged digest is signed again: its first signature, made by the release that
 * built it, stays valid (cosign signs the digest, stored as a referrer of it; the new tag names the
 * same digest), and the second one carries this release's tag ref, so `<identity>@refs/tags/<tag>`
 * verifies for every tag. `signedRef` is the ref the signing certificate names, as the script writes
 * it: the release's tag ref, or `$GITHUB_REF` (a preview build's branch).
 */
export function signSteps(signedRef = RELEASE_REF): Record<string, unknown>[] {
  const work = "steps.find.outputs.action != 'skip'";
  return [
    // Every path needs cosign: the last step verifies the tag even when it was pushed by an earlier run.
    { name: 'Install cosign', uses: ACTIONS.cosignInstaller },
    {
      if: work,
      name: 'Sign the digest (keyless, with the run\'s OIDC token)',
      env: { DIGEST },
      run: sh([
        'cosign sign --yes "$REGISTRY/$REPOSITORY@$DIGEST"',
        `cosign verify --certificate-identity "$SIGNER@${signedRef}" --certificate-oidc-issuer "$ISSUER" "$REGISTRY/$REPOSITORY@$DIGEST" > /dev/null`,
        `echo "$REPOSITORY@$DIGEST is signed by $SIGNER@${signedRef}"`,
      ]),
    },
  ];
}

/**
 * Signs the digest a second time, with the platform's signing key in AWS KMS (`$SIGNING_KEY`,
 * `awskms:///<alias ARN>`), and checks that signature at once: the Argo CD Image Updater (v1.3)
 * verifies cosign signatures by public key only, never a keyless identity, and tries every signature
 * it finds, so this one beside the keyless one is what it checks. cosign's AWS KMS signer
 * (sigstore/sigstore pkg/signature/kms/aws) calls `GetPublicKey` and `DescribeKey` (the key's
 * algorithm), then `Sign` with the digest; the CI role may make exactly these calls on that key.
 * After the keyless signature, so a digest is tagged only once both verify.
 */
export function keySignStep(): Record<string, unknown> {
  return {
    if: "steps.find.outputs.action != 'skip'",
    name: 'Sign the digest with the platform\'s signing key (AWS KMS)',
    env: { DIGEST },
    run: sh([
      'cosign sign --yes --key "$SIGNING_KEY" "$REGISTRY/$REPOSITORY@$DIGEST"',
      'cosign verify --key "$SIGNING_KEY" "$REGISTRY/$REPOSITORY@$DIGEST" > /dev/null',
      'echo "$REPOSITORY@$DIGEST is signed with $SIGNING_KEY"',
    ]),
  };
}

/**
 * Verifies the release tag's signature by the platform's signing key, whichever path this run took:
 * the signature the Image Updater checks before it moves to the tag.
 */
export function verifyKeySignatureStep(): Record<string, unknown> {
  return {
    name: 'Verify the release tag\'s signing key signature',
    run: sh(['cosign verify --key "$SIGNING_KEY" "$REGISTRY/$REPOSITORY:$TAG" > /dev/null', 'echo "$REPOSITORY:$TAG: signing key signature verified"']),
  };
}

/**
 * Verifies the release tag, whichever path this run took (an image tagged by an earlier run is
 * checked too): the delivery job needs every image's job, so the pull-request and argocd-cli modes
 * move no tag to an image whose signature does not verify with the release workflow's identity at
 * this tag. ECR tags are immutable, so the tag still names the verified digest when the tag moves.
 * `signedRef` as for {@link signSteps}; `what` names the tag in the step's name.
 */
export function verifyTagStep(signedRef = RELEASE_REF, what = 'release'): Record<string, unknown> {
  return {
    name: `Verify the ${what} tag's signature`,
    run: sh([`cosign verify --certificate-identity "$SIGNER@${signedRef}" --certificate-oidc-issuer "$ISSUER" "$REGISTRY/$REPOSITORY:$TAG" > /dev/null`, 'echo "$REPOSITORY:$TAG: signature verified"']),
  };
}

/**
 * Puts the release tag on the digest: the manifest ECR holds for it, written again under the tag
 * (`put-image` with `--image-digest` refuses any other bytes), so the tag names exactly the signed digest.
 */
export function tagStep(): Record<string, unknown> {
  return {
    if: "steps.find.outputs.action != 'skip'",
    name: 'Tag the digest',
    env: { DIGEST, MEDIA_TYPES: MANIFEST_MEDIA_TYPES.join(' ') },
    run: sh([
      'read -ra accepted <<< "$MEDIA_TYPES"',
      'image=$(aws ecr batch-get-image --repository-name "$REPOSITORY" --image-ids imageDigest="$DIGEST" --accepted-media-types "${accepted[@]}" --output json)',
      'manifest=$(jq -er ".images[0].imageManifest" <<< "$image")',
      'media_type=$(jq -er ".images[0].imageManifestMediaType" <<< "$image")',
      'aws ecr put-image --repository-name "$REPOSITORY" --image-tag "$TAG" --image-digest "$DIGEST" --image-manifest "$manifest" --image-manifest-media-type "$media_type"',
      'echo "$REPOSITORY:$TAG is $DIGEST"',
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
  const release = releaseInApplication(platform, app);
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
      ...(release ? [releaseApplicationStep(platform, app)] : []),
      {
        'name': 'Open the pull request',
        'working-directory': 'manifests',
        'env': { GH_TOKEN: token, SOURCE: '${{ github.server_url }}/${{ github.repository }}/releases/tag/${{ github.ref_name }}' },
        // A re-run, on a fresh runner as on the same one, finds the branch or the pull request of the
        // first run and keeps them. The lease names the branch's remote tip, read with ls-remote: a
        // fresh checkout of the base has no remote-tracking ref for it, and a bare --force-with-lease
        // then refuses the push as "stale info". An empty tip asks that the branch not exist yet.
        'run': sh([
          'branch="release/$APP-$TAG"',
          'git config user.name "github-actions[bot]"',
          'git config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
          'git switch -q -C "$branch"',
          'if git diff --quiet; then',
          '  echo "$OVERLAY is at $TAG already on $BASE: nothing to propose"',
          '  exit 0',
          'fi',
          'git commit -qam "$APP: release $TAG"',
          'remote=$(git ls-remote origin "refs/heads/$branch" | cut -f1)',
          'if [ -n "$remote" ] && git fetch -q --depth=1 origin "refs/heads/$branch" && git diff --quiet FETCH_HEAD HEAD; then',
          '  echo "$branch is at $TAG already"',
          'else',
          '  git push -q --force-with-lease="refs/heads/$branch:$remote" origin "HEAD:refs/heads/$branch"',
          'fi',
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

/**
 * Deploy feedback with the pull-request delivery: the app's child Application file gets what the
 * argocd-cli upsert gives the Application, `kustomize.images` at the tag and the release's commit in
 * `kustomize.commonAnnotations`, so the commit that moves the overlay's tag moves them too, and Argo
 * CD never syncs the new tag under another commit (lib/k8s/argocd/notifications.ts says why the tag
 * must be in the Application as well).
 *
 * `kubectl patch --local` applies a JSON merge patch to the file without a cluster (GitHub's Ubuntu
 * runners carry kubectl, as they carry the kustomize the step before calls): `images` is replaced
 * whole, `commonAnnotations` merged, the rest of the file kept (re-marshalled with its keys sorted;
 * the checkout writer compares Application files by content, lib/output/owned-state.ts). The file is
 * left alone when the patch changes nothing, so a re-run commits nothing new.
 */
export function releaseApplicationStep(platform: ResolvedPlatform, app: ResolvedApp): Record<string, unknown> {
  const file = applicationPath(platform, app);
  return {
    name: `Record the tag and the release's commit in ${file}`,
    env: {
      APPLICATION_FILE: file,
      APPLICATION_IMAGES: JSON.stringify(applicationImageUris(app)),
      REVISION_ANNOTATION: FEEDBACK_ANNOTATIONS.releaseRevision,
      // The merge patch, as a jq program: every image at the tag, and the commit.
      RELEASE_PATCH: '{spec: {source: {kustomize: {images: [$images[] | "\\(.):\\($tag)"], commonAnnotations: {($key): $sha}}}}}',
    },
    run: sh([
      'file="manifests/$APPLICATION_FILE"',
      'if [ ! -f "$file" ]; then echo "::error::$APPLICATION_FILE is not in the manifest repository: write its manifests with cdk-eks-gitops manifests first"; exit 1; fi',
      'patch=$(jq -nc --arg tag "$TAG" --arg sha "$GITHUB_SHA" --arg key "$REVISION_ANNOTATION" --argjson images "$APPLICATION_IMAGES" "$RELEASE_PATCH")',
      'kubectl patch --local -f "$file" --type merge -p \'{}\' -o json > "$RUNNER_TEMP/application.before.json"',
      'kubectl patch --local -f "$file" --type merge -p "$patch" -o json > "$RUNNER_TEMP/application.after.json"',
      'if cmp -s "$RUNNER_TEMP/application.before.json" "$RUNNER_TEMP/application.after.json"; then',
      '  echo "$APPLICATION_FILE has $TAG and $GITHUB_SHA already"',
      '  exit 0',
      'fi',
      '# The comment lines that head the file (the generated header), then the patched Application.',
      'header=$(sed -n \'/^#/!q;p\' "$file")',
      'kubectl patch --local -f "$file" --type merge -p "$patch" -o yaml > "$RUNNER_TEMP/application.yaml"',
      '{ if [ -n "$header" ]; then printf \'%s\\n\' "$header"; fi; cat "$RUNNER_TEMP/application.yaml"; } > "$file"',
      'echo "$APPLICATION_FILE: kustomize.images at $TAG, $REVISION_ANNOTATION $GITHUB_SHA"',
    ]),
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
