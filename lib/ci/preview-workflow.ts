import {
  buildSteps,
  checkTagStep,
  credentialSteps,
  findStep,
  GITHUB_ACTIONS_ISSUER,
  sh,
  signSteps,
  tagStep,
  verifyTagStep,
} from './build-workflow';
import type { ResolvedApp, ResolvedPlatform, ResolvedPreviews } from '../model/resolved';

/**
 * The preview workflows of an application repository: a gate on its pull requests, and the build it
 * dispatches. Previews are built only from branches of the application repository itself, never
 * from a fork, and only by the build workflow, whose token names a branch:
 *
 * - GitHub sends a `pull_request` run of a fork no OIDC token in a public repository (GitHub docs,
 *   "GITHUB_TOKEN reference": the most a public fork's pull request gets is `id-token: none`);
 *   a private repository may send forks write tokens (the "Send write tokens to workflows from pull
 *   requests" setting), and then the token's `sub` is `repo:<owner>/<repo>:pull_request`, the same
 *   as a pull request from a branch (docs, "OpenID Connect reference", filtering for pull_request
 *   events). So the preview build role trusts no `pull_request` subject at all, and no workflow of a
 *   pull request assumes it.
 * - The gate runs on `pull_request` with no `id-token` permission. For a pull request whose head is
 *   a branch of this repository and that carries the label, it dispatches the build on that branch
 *   (`workflow_dispatch` is the documented exception to events of the GITHUB_TOKEN creating no
 *   workflow run: docs, "GITHUB_TOKEN", when GITHUB_TOKEN triggers workflow runs). A fork's pull
 *   request gets a notice instead, and nothing is dispatched.
 * - The build runs on `workflow_dispatch` at the branch, so its token's subject is
 *   `repo:<owner>/<repo>:ref:refs/heads/<branch>`, which the preview build role trusts; a fork's
 *   workflows run as the fork, and their subjects name it.
 */

/** The ref a preview's signing certificate names, as the scripts write it: the branch the build ran on. */
const PREVIEW_REF = '$GITHUB_REF';

/** The gate workflow of an app, relative to its repository root. */
export function previewWorkflowPath(app: ResolvedApp): string {
  return `.github/workflows/preview-${app.name}.yml`;
}

/** The preview build workflow of an app, relative to its repository root. */
export function previewBuildWorkflowPath(app: ResolvedApp): string {
  return `.github/workflows/preview-build-${app.name}.yml`;
}

/**
 * The certificate identity of a preview image's keyless signature, without the ref: the preview
 * build workflow file. A preview is signed at `<identity>@refs/heads/<branch>`.
 */
export function previewSigningIdentity(app: ResolvedApp): string {
  return `https://github.com/${app.ci.repository.fullName}/${previewBuildWorkflowPath(app)}`;
}

/** The condition of the gate job: the pull request's head is a branch of this repository, not a fork's. */
export const SAME_REPOSITORY = 'github.event.pull_request.head.repo.full_name == github.repository';

/** The condition of the job that tells a fork's pull request it gets no preview. */
export const FROM_FORK = 'github.event.pull_request.head.repo.full_name != github.repository';

/** The pull request events the gate runs on. */
export const GATE_EVENTS = ['opened', 'synchronize', 'reopened', 'labeled', 'unlabeled'];

function previewsOf(app: ResolvedApp): ResolvedPreviews {
  if (!app.previews) throw new Error(`preview workflows: app ${app.name} has no previews here (apps[].previews.enabled, in the environment releases arrive in)`);
  return app.previews;
}

/**
 * The gate (`preview-<app>.yml`): on each pull request event, a pull request from a fork is told it
 * gets no preview; one from a branch of this repository that carries the label is counted with the
 * other open ones from this repository that carry it. Beyond `maxConcurrent` the label comes off
 * and a comment says why (the pull request generator then never sees it); otherwise the build is
 * dispatched on its head branch. An event that changes neither the code nor the label (another
 * label, a removed label) dispatches nothing. Runs of the gate queue one behind the other, so two
 * pull requests labelled at once are counted one after the other.
 *
 * The head branch, the title and every other value a pull request's author chooses reach the script
 * only through `env:`.
 */
export function previewGateWorkflow(app: ResolvedApp): Record<string, unknown> {
  const previews = previewsOf(app);
  const buildWorkflow = previewBuildWorkflowPath(app).split('/').pop()!;
  return {
    name: `Preview ${app.name}`,
    on: { pull_request: { types: [...GATE_EVENTS] } },
    // No id-token: nothing here assumes an AWS role. actions: write dispatches the build.
    permissions: { 'contents': 'read', 'pull-requests': 'write', 'actions': 'write' },
    concurrency: { 'group': `preview-${app.name}`, 'cancel-in-progress': false },
    jobs: {
      fork: {
        'name': 'No preview for a pull request from a fork',
        'if': FROM_FORK,
        'runs-on': 'ubuntu-latest',
        'permissions': {},
        'steps': [
          {
            name: 'Say why',
            env: { HEAD_REPOSITORY: '${{ github.event.pull_request.head.repo.full_name }}' },
            run: sh([
              'echo "::notice::This pull request comes from ${HEAD_REPOSITORY:-a deleted repository}, not from a branch of $GITHUB_REPOSITORY: pull requests from forks get no preview."',
            ]),
          },
        ],
      },
      gate: {
        'name': `Dispatch the preview build (at most ${previews.maxConcurrent} previews)`,
        'if': SAME_REPOSITORY,
        'runs-on': 'ubuntu-latest',
        'env': {
          GH_TOKEN: '${{ github.token }}',
          LABEL: previews.label,
          MAX_CONCURRENT: String(previews.maxConcurrent),
          BUILD_WORKFLOW: buildWorkflow,
          NUMBER: '${{ github.event.pull_request.number }}',
          HEAD_REF: '${{ github.event.pull_request.head.ref }}',
          ACTION: '${{ github.event.action }}',
          EVENT_LABEL: '${{ github.event.label.name }}',
          LABELS: '${{ toJSON(github.event.pull_request.labels.*.name) }}',
        },
        'steps': [
          {
            id: 'gate',
            name: 'Count the previews, then dispatch the build or take the label off',
            run: sh([
              'if ! jq -e --arg want "$LABEL" \'any(.[]; . == $want)\' <<< "$LABELS" > /dev/null; then',
              '  echo "Pull request #$NUMBER does not carry the label $LABEL: no preview"',
              '  exit 0',
              'fi',
              'if [ "$ACTION" = unlabeled ] || { [ "$ACTION" = labeled ] && [ "$EVENT_LABEL" != "$LABEL" ]; }; then',
              '  echo "Neither the code nor the label $LABEL changed: nothing to build"',
              '  exit 0',
              'fi',
              'open=$(gh pr list --repo "$GITHUB_REPOSITORY" --state open --label "$LABEL" --limit 1000 --json number,isCrossRepository --jq \'[.[] | select(.isCrossRepository | not)] | length\')',
              'if [ "$open" -gt "$MAX_CONCURRENT" ]; then',
              '  gh pr edit "$NUMBER" --repo "$GITHUB_REPOSITORY" --remove-label "$LABEL"',
              '  gh pr comment "$NUMBER" --repo "$GITHUB_REPOSITORY" --body "No preview: $open open pull requests carry the label $LABEL, and at most $MAX_CONCURRENT previews run at once. The label is off again; put it back once another preview has ended."',
              '  echo "::warning::$open open pull requests carry $LABEL, more than $MAX_CONCURRENT: the label is off #$NUMBER again"',
              '  exit 0',
              'fi',
              'gh workflow run "$BUILD_WORKFLOW" --repo "$GITHUB_REPOSITORY" --ref "$HEAD_REF" -f number="$NUMBER"',
              'echo "Dispatched $BUILD_WORKFLOW on $HEAD_REF for pull request #$NUMBER ($open of at most $MAX_CONCURRENT previews)"',
            ]),
          },
        ],
      },
    },
  };
}

/**
 * The preview build (`preview-build-<app>.yml`), dispatched by the gate on a pull request's head
 * branch with the pull request's number: it checks that the number names an open pull request of
 * this repository whose head is this run's branch and commit and that carries the label, then
 * builds each preview image as the release workflow builds a release (BuildKit, attestations, push
 * by digest, signed with cosign when `apps[].supplyChain.sign` is on, at identity
 * {@link previewSigningIdentity} and the branch's ref), tagged `<tagPrefix><number>-<first
 * shortShaLength characters of the head commit>`, as the preview build role, into the preview
 * repositories only.
 *
 * A newer push dispatches a newer run, which cancels this one; a run whose commit is no longer the
 * pull request's head builds nothing (the pull request generator deploys the head's tag only).
 */
export function previewBuildWorkflow(platform: ResolvedPlatform, app: ResolvedApp): Record<string, unknown> {
  const previews = previewsOf(app);
  const sign = app.supplyChain.sign;
  const images = [...previews.images].sort((a, b) => (a.container === 'migration' ? -1 : b.container === 'migration' ? 1 : 0));
  return {
    'name': `Preview build ${app.name}`,
    'run-name': `Preview of ${app.name} for pull request #\${{ inputs.number }}`,
    'on': {
      workflow_dispatch: {
        // A string, checked to be a number before use: the type every linter of workflows accepts.
        inputs: { number: { description: 'The pull request to build a preview of (its head branch is the ref)', required: true, type: 'string' } },
      },
    },
    'permissions': { contents: 'read' },
    'concurrency': { 'group': `preview-build-${app.name}-\${{ inputs.number }}`, 'cancel-in-progress': true },
    'env': { AWS_REGION: platform.images.region, REGISTRY: platform.registry, NUMBER: '${{ inputs.number }}' },
    'jobs': {
      tag: {
        'name': 'Check the pull request and name the tag',
        'runs-on': 'ubuntu-latest',
        'permissions': { 'contents': 'read', 'pull-requests': 'read' },
        'outputs': { tag: '${{ steps.tag.outputs.tag }}' },
        'steps': [
          {
            id: 'tag',
            name: 'Check the pull request is open, from this branch, at this commit, and labelled',
            env: {
              GH_TOKEN: '${{ github.token }}',
              LABEL: previews.label,
              TAG_PREFIX: previews.tagPrefix,
              SHA_LENGTH: String(previews.shortShaLength),
            },
            run: sh([
              'if ! [[ "$NUMBER" =~ ^[1-9][0-9]{0,9}$ ]]; then echo "::error::$NUMBER is not a pull request number"; exit 1; fi',
              'pr=$(gh api "repos/$GITHUB_REPOSITORY/pulls/$NUMBER")',
              'problem=$(jq -r --arg repo "$GITHUB_REPOSITORY" --arg ref "$GITHUB_REF_NAME" --arg want "$LABEL" \'',
              '  if .state != "open" then "is not open"',
              '  elif (.head.repo.full_name // "") | ascii_downcase != ($repo | ascii_downcase) then "comes from a fork: forks get no preview"',
              '  elif .head.ref != $ref then "has head \\(.head.ref), not \\($ref)"',
              '  elif any(.labels[]; .name == $want) | not then "does not carry the label \\($want)"',
              '  else "" end\' <<< "$pr")',
              'if [ -n "$problem" ]; then echo "::error::pull request #$NUMBER $problem"; exit 1; fi',
              'head=$(jq -r .head.sha <<< "$pr")',
              'if [ "$head" != "$GITHUB_SHA" ]; then',
              '  echo "::notice::pull request #$NUMBER is at $head now, not $GITHUB_SHA: the newer push builds its own preview"',
              '  exit 0',
              'fi',
              'echo "tag=$TAG_PREFIX$NUMBER-${GITHUB_SHA:0:$SHA_LENGTH}" >> "$GITHUB_OUTPUT"',
            ]),
          },
        ],
      },
      push: {
        'name': 'Push ${{ matrix.image }} to its preview repository',
        'needs': 'tag',
        'if': "needs.tag.outputs.tag != ''",
        'runs-on': 'ubuntu-latest',
        // id-token: the preview build role's OIDC token (its subject is this branch), and cosign's certificate.
        'permissions': { 'id-token': 'write', 'contents': 'read' },
        'strategy': {
          'fail-fast': false,
          'matrix': { include: images.map(({ container, image }) => ({ image: container, repository: image.repositoryName, dockerfile: image.dockerfile })) },
        },
        'env': {
          TAG: '${{ needs.tag.outputs.tag }}',
          // A preview is always built from its commit: there is no previous release to re-tag.
          BUILD: 'true',
          PREVIOUS: '',
          REPOSITORY: '${{ matrix.repository }}',
          ...(sign ? { SIGNER: previewSigningIdentity(app), ISSUER: GITHUB_ACTIONS_ISSUER } : {}),
        },
        'steps': [
          checkTagStep(),
          ...credentialSteps(platform, app, { role: previews.buildRole, label: 'the preview build role' }),
          findStep(),
          ...buildSteps(platform),
          ...(sign ? signSteps(PREVIEW_REF) : []),
          tagStep(),
          ...(sign ? [verifyTagStep(PREVIEW_REF, 'preview')] : []),
        ],
      },
    },
  };
}
