import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { parse } from 'yaml';
import { CiWorkflows } from '../../lib/ci/ci-workflows';
import type { ResolvedPlatform } from '../../lib/model/resolved';
import type { GeneratedFile } from '../../lib/output/generated-file';
import { repoPath } from '../fixtures';
import { ghStub, runJob } from './workflow-run';

/** Runs git in `dir` and returns its trimmed output. */
const git = (dir: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' }).trim();

/**
 * A manifest repository as `cdk-eks-gitops manifests` leaves it: `files` committed on `main` of a
 * real Git repository, which the release workflow's checkout clones and pushes its branch to.
 */
export function manifestRepositoryOf(files: GeneratedFile[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'manifest-repository-'));
  git(dir, 'init', '-q', '-b', 'main');
  for (const file of files) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.content);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'Platform manifests');
  return dir;
}

/** The release workflow of the platform's first app, as the application repository gets it. */
export function releaseWorkflowOf(platform: ResolvedPlatform): any {
  const file = new CiWorkflows(platform).workflowFiles().find((f) => f.path.endsWith(`.github/workflows/release-${platform.apps[0].name}.yml`))!;
  return parse(file.content);
}

/**
 * The release workflow's `deliver` job of a pull-request app, run for the release `tag` of commit
 * `sha` against `origin` (a non-bare repository: the job pushes a branch of its own, never `main`),
 * with the stand-ins of test/support: `kustomize` (avp-stubs: `edit set image` as kustomize v5
 * writes it) and `gh`; kubectl, jq and git are the real ones.
 */
export function runReleasePullRequest(platform: ResolvedPlatform, origin: string, tag: string, sha: string) {
  const gh = ghStub();
  const context = {
    github: { ref_name: tag, server_url: 'https://github.com', repository: platform.apps[0].ci.repository.fullName },
    secrets: { MANIFEST_REPO_TOKEN: 'ghs_test' },
  };
  const path = `${gh.bin}:${repoPath('test', 'support', 'avp-stubs')}:${process.env.PATH}`;
  const result = runJob(releaseWorkflowOf(platform), 'deliver', { origin, context, path, env: { GITHUB_SHA: sha } });
  return { ...result, gh, branch: `release/${platform.apps[0].name}-${tag}` };
}
