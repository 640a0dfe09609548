import { buildWorkflow, GITHUB_ACTIONS_ISSUER, releaseWorkflowPath, signingIdentity, WORKFLOW_SECRETS } from './build-workflow';
import { previewBuildWorkflow, previewBuildWorkflowPath, previewGateWorkflow, previewSigningIdentity, previewWorkflowPath } from './preview-workflow';
import type { ResolvedApp, ResolvedPlatform } from '../model/resolved';
import { DeliveryMode } from '../model/types';
import type { GeneratedFile } from '../output/generated-file';
import { toYaml } from '../output/yaml';

/** The files the spec generates for one application repository. */
export interface RepositoryFiles {
  /** Repository name (`apps[].ci.repository`), the NAME of `--app-repo NAME=PATH`. */
  readonly repository: string;
  /** `owner/name`. */
  readonly fullName: string;
  /** The files, with paths relative to the repository root, sorted by path. */
  readonly files: GeneratedFile[];
}

/** The README at the root of the workflow output, beside one directory per repository. */
const OVERVIEW = 'README.md';

/**
 * The GitHub Actions workflows of the application repositories: one per application, at
 * `.github/workflows/release-<app>.yml`, so applications that share a repository (a monorepo) each
 * get their own. They belong in the application repositories, not in the manifest repository:
 * `cdk8s synth` writes them to their own output (`ci.out/<repository>/`), and the checkout writer
 * puts them into repository checkouts (`npx cdk-eks-gitops manifests --app-repo NAME=PATH`).
 *
 * A platform with several environments has one workflow per application all the same, generated
 * from the environment that follows releases (the first): it pushes the images once, into the
 * registry environment's ECR, and delivers them to that first environment only. The others move by
 * the promotion pull requests of the manifest repository, so no release workflow holds their
 * credentials. Build them with {@link CiWorkflows.forEnvironments}.
 */
export class CiWorkflows {
  /** The workflow file of an application, relative to its repository root. */
  public static workflowPath(app: ResolvedApp): string {
    return releaseWorkflowPath(app);
  }

  /**
   * The workflows of a platform given every environment, as `Platform.resolveEnvironments` returns
   * them: generated from the first, the environment that follows releases. For a spec without
   * `environments` (one environment) they are exactly those of `new CiWorkflows(platform)`.
   *
   * @param platforms every environment of one platform, in the spec's order
   * @throws Error when the list is empty, is not every environment of one platform in order, or its
   * first environment is promoted from another
   */
  public static forEnvironments(platforms: ResolvedPlatform[]): CiWorkflows {
    const [first] = platforms;
    if (!first) throw new Error('CiWorkflows.forEnvironments: no environment given; pass every environment Platform.resolveEnvironments returns');
    const given = platforms.map((p) => `${p.name}/${p.environment}`);
    const expected = first.environments.map((e) => `${first.name}/${e}`);
    if (given.join(',') !== expected.join(',')) {
      throw new Error(`CiWorkflows.forEnvironments: expected the environments ${expected.join(', ')} in this order, got ${given.join(', ')}`);
    }
    return new CiWorkflows(first);
  }

  /**
   * @param platform the resolved platform: its only environment, or the one that follows releases
   * @throws Error when `platform` is an environment promoted from another: its images come from
   * the release environment, never from a release workflow
   */
  constructor(private readonly platform: ResolvedPlatform) {
    if (platform.promotedFrom !== undefined) {
      throw new Error(
        `CiWorkflows: environment ${platform.environment} is promoted from ${platform.promotedFrom}, and release workflows deliver to ` +
          `${platform.environments[0]}, the environment that follows releases; use CiWorkflows.forEnvironments(platforms)`,
      );
    }
  }

  /** The files of each application repository, sorted by repository name. */
  public repositories(): RepositoryFiles[] {
    const byName = new Map<string, ResolvedApp[]>();
    for (const app of this.platform.apps) byName.set(app.ci.repository.name, [...(byName.get(app.ci.repository.name) ?? []), app]);
    return [...byName.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([repository, apps]) => ({
        repository,
        fullName: apps[0].ci.repository.fullName,
        files: apps
          .flatMap((app) => [{ path: CiWorkflows.workflowPath(app), content: workflowText(this.platform, app) }, ...previewFiles(this.platform, app)])
          .sort((a, b) => a.path.localeCompare(b.path)),
      }));
  }

  /**
   * The workflow output as one tree: `<repository>/.github/workflows/release-<app>.yml` for each
   * repository, and a README saying which repository needs which secrets. Sorted by path.
   */
  public workflowFiles(): GeneratedFile[] {
    const repositories = this.repositories();
    return [
      { path: OVERVIEW, content: overview(this.platform, repositories) },
      ...repositories.flatMap((r) => r.files.map((f) => ({ path: `${r.repository}/${f.path}`, content: f.content }))),
    ].sort((a, b) => a.path.localeCompare(b.path));
  }
}

/** The repository secrets the workflow of an app reads, each with what it must be. */
function secretsOf(platform: ResolvedPlatform, app: ResolvedApp): string[] {
  const secrets: Record<DeliveryMode, string[]> = {
    [DeliveryMode.IMAGE_UPDATER]: [],
    [DeliveryMode.PULL_REQUEST]: [`\`${WORKFLOW_SECRETS.manifestRepoToken}\`: may push branches and open pull requests on ${platform.manifestRepository.fullName}`],
    [DeliveryMode.ARGOCD_CLI]: [
      `\`${WORKFLOW_SECRETS.argocdServer}\`: the Argo CD API host`,
      `\`${WORKFLOW_SECRETS.argocdAuthToken}\`: a token of an Argo CD account that may create Applications in project ${platform.argocd.project}`,
    ],
  };
  return secrets[app.delivery];
}

function workflowText(platform: ResolvedPlatform, app: ResolvedApp): string {
  const secrets = secretsOf(platform, app).map((s) => s.replace(/`/g, ''));
  return [
    `# Generated by cdk-eks-gitops from the platform spec: the release workflow of ${app.name}.`,
    `# Repository secrets it needs: ${secrets.length ? secrets.join('; ') : 'none'}.`,
    ...(promoted(platform).length ? [`# ${releasePath(platform)}`] : []),
    toYaml(buildWorkflow(platform, app)),
  ].join('\n');
}

/** The preview workflows of an app with previews: the gate and the build it dispatches. */
function previewFiles(platform: ResolvedPlatform, app: ResolvedApp): GeneratedFile[] {
  if (!app.previews) return [];
  const header = (what: string) => [
    `# Generated by cdk-eks-gitops from the platform spec: ${what} of ${app.name}.`,
    '# Repository secrets it needs: none. Pull requests from forks never get a preview (https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/delivery-modes.md#building-a-preview).',
  ];
  return [
    { path: previewWorkflowPath(app), content: [...header('the preview gate'), toYaml(previewGateWorkflow(app))].join('\n') },
    { path: previewBuildWorkflowPath(app), content: [...header('the preview build'), toYaml(previewBuildWorkflow(platform, app))].join('\n') },
  ];
}

/** The environments after the first: they never take a release directly. */
function promoted(platform: ResolvedPlatform): string[] {
  return platform.environments.slice(1);
}

/** Where a release goes with several environments, in one sentence. */
function releasePath(platform: ResolvedPlatform): string {
  const others = promoted(platform);
  return (
    `Releases go to ${platform.environment}; ${others.join(', ')} ${others.length > 1 ? 'move' : 'moves'} only by the promotion pull requests ` +
    `of ${platform.manifestRepository.fullName} (${others.map((e) => `.github/workflows/promote-${e}.yml`).join(', ')}).`
  );
}

function previewOverview(app: ResolvedApp, previews: NonNullable<ResolvedApp['previews']>): string[] {
  return [
    `\`${previewWorkflowPath(app)}\`: a pull request from a branch of this repository that carries the label \`${previews.label}\` dispatches`,
    `\`${previewBuildWorkflowPath(app)}\` on its head branch (at most ${previews.maxConcurrent} at once; beyond that the label comes off, with a comment), which pushes`,
    `${previews.images.map(({ image }) => `\`${image.repositoryName}:${previews.tagPrefix}<number>-<sha>\``).join(', ')}`,
    `as role \`${previews.buildRole.roleName}\`, which trusts only branches of this repository and pushes only to the preview repositories.`,
    ...(app.supplyChain.sign ? [`Preview images are signed at \`${previewSigningIdentity(app)}@refs/heads/<branch>\`.`] : []),
    'Pull requests from forks never get a preview. Both workflows must be on the default branch before the first preview (`workflow_dispatch` runs only a workflow the default branch has).',
    '',
  ];
}

function overview(platform: ResolvedPlatform, repositories: RepositoryFiles[]): string {
  const apps = (repository: string) => platform.apps.filter((a) => a.ci.repository.name === repository);
  const lines = [
    `# ${platform.name}: release workflows of the application repositories`,
    '',
    'Generated by cdk-eks-gitops from the platform spec; rebuilt by every `cdk8s synth`. Each directory is',
    'one application repository. Put the workflows into a checkout of it with',
    '`npx cdk-eks-gitops manifests --app-repo NAME=PATH` (it keeps every file it did not generate).',
    '',
    ...(promoted(platform).length
      ? [
        `The platform has the environments ${platform.environments.join(', ')}. ${releasePath(platform)}`,
        `Each image is pushed once, into ${platform.images.environment}'s registry ${platform.registry}, with the CI roles of its account: no workflow assumes a role of another environment.`,
        '',
      ]
      : []),
  ];
  for (const r of repositories) {
    lines.push(`## ${r.fullName}`, '');
    for (const app of apps(r.repository)) {
      const secrets = secretsOf(platform, app);
      lines.push(
        `\`${CiWorkflows.workflowPath(app)}\`: pushing a tag matching ${app.ci.tagPatterns.map((p) => `\`${p}\``).join(', ')} builds and pushes`,
        `${[...app.containers.map((c) => c.image.repositoryName), ...(app.migration ? [app.migration.image.repositoryName] : [])].map((n) => `\`${n}\``).join(', ')}`,
        `to ${platform.registry} as role \`${app.ci.role.roleName}\` (no stored AWS keys), then delivers ${app.name} (\`${app.delivery}\`).`,
        ...(app.supplyChain.sign
          ? [
            'Each image is built with BuildKit, with provenance and SBOM attestations, pushed by digest and signed keylessly with cosign before it is tagged: verify it with',
            `\`cosign verify --certificate-identity ${signingIdentity(app)}@refs/tags/<tag> --certificate-oidc-issuer ${GITHUB_ACTIONS_ISSUER} <image>:<tag>\`.`,
            ...(app.supplyChain.keySigned && platform.images.signingKey
              ? [
                'It is signed a second time with the platform\'s signing key in AWS KMS, which the Image Updater verifies before it moves to the tag:',
                `\`cosign verify --key ${platform.images.signingKey.cosignKey} <image>:<tag>\`.`,
              ]
              : []),
          ]
          : ['Each image is built with BuildKit, with provenance and SBOM attestations, and pushed by digest; it is not signed (`supplyChain.sign: false`), so nothing verifies it.']),
        ...(secrets.length ? ['Repository secrets it needs:', '', ...secrets.map((s) => `- ${s}`)] : ['It needs no repository secrets.']),
        '',
        ...(app.previews ? previewOverview(app, app.previews) : []),
      );
    }
  }
  return lines.join('\n');
}
