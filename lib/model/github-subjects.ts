/**
 * The `sub` claims of GitHub Actions OIDC tokens that a role trusts, derived from typed filters.
 * Shared by the role construct (aws/github-actions-role.ts), the validation that measures the CI
 * roles' trust policies (validate/limits.ts) and the tests that evaluate them: in the model, so the
 * validation reads it without loading the AWS layer.
 */
import { SubjectFormat } from './types';

/** The GitHub Actions OIDC issuer (without scheme, as IAM condition keys name it). */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** The audience `aws-actions/configure-aws-credentials` requests. */
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

/**
 * The GitHub OIDC provider that CI roles trust: the one the spec names (`github.oidcProviderArn`),
 * else the one the platform stack creates in `account`, whose ARN IAM derives from the issuer host.
 */
export function githubOidcProviderArnFor(github: { readonly oidcProviderArn?: string }, partition: string, account: string): string {
  return github.oidcProviderArn ?? `arn:${partition}:iam::${account}:oidc-provider/${GITHUB_OIDC_HOST}`;
}

/** Which workflow runs of one repository may assume a role. */
export interface GitHubSubjectFilter {
  /** Repository owner. */
  readonly owner: string;
  /** Repository name. */
  readonly repository: string;
  /**
   * Which form of the `sub` claim GitHub sends for the repository, and so the role trusts: the
   * immutable form `repo:<owner>@<ownerId>/<repository>@<repositoryId>:...` that repositories created
   * since 15 July 2026 send (older ones once they opt in), or the name form `repo:<owner>/<repository>:...`
   * of older repositories. The platform spec's `ci.subjectFormat` has the same default.
   * `gh api repos/<owner>/<repository>/actions/oidc/customization/sub` shows what a repository sends.
   * @default SubjectFormat.IMMUTABLE
   */
  readonly subjectFormat?: SubjectFormat;
  /**
   * Numeric owner id (`gh api repos/<owner>/<repository> --jq .owner.id`), for the immutable form.
   * @default - none; required with the immutable form
   */
  readonly ownerId?: string;
  /**
   * Numeric repository id (`gh api repos/<owner>/<repository> --jq .id`), for the immutable form.
   * @default - none; required with the immutable form
   */
  readonly repositoryId?: string;
  /**
   * Tag patterns (`*` wildcards), e.g. `v*`.
   * @default - none
   */
  readonly tagPatterns?: string[];
  /**
   * Branches (exact names).
   * @default - none
   */
  readonly branches?: string[];
  /**
   * Every branch of the repository (`ref:refs/heads/*`): what the preview build role trusts, since a
   * preview builds whichever branch a pull request comes from. Never a fork's branch: a fork's
   * workflows run as the fork's repository, so their subject names the fork.
   * @default false
   */
  readonly allBranches?: boolean;
  /**
   * Deployment environments (exact names).
   * @default - none
   */
  readonly environments?: string[];
  /**
   * Pull-request workflows.
   * @default false
   */
  readonly pullRequests?: boolean;
}

/** Trusted subjects, split by whether they need `StringLike`. */
export interface GitHubSubjects {
  /** Subjects without wildcards, for `StringEquals`. */
  readonly exact: string[];
  /** Subjects with `*`, for `StringLike`. */
  readonly patterns: string[];
}

/**
 * The subjects a filter trusts.
 *
 * @throws when the filter would trust any repository or any ref, or trusts nothing
 */
export function githubSubjects(filter: GitHubSubjectFilter): GitHubSubjects {
  const where = `GitHub subject filter for ${filter.owner}/${filter.repository}`;
  for (const [field, value] of [['owner', filter.owner], ['repository', filter.repository]] as const) {
    if (!value || /[*?]/.test(value)) throw new Error(`${where}: ${field} '${value}' must name one ${field}, without wildcards`);
  }
  const immutable = (filter.subjectFormat ?? SubjectFormat.IMMUTABLE) === SubjectFormat.IMMUTABLE;
  if (immutable) {
    const missing = (['ownerId', 'repositoryId'] as const).filter((field) => filter[field] === undefined);
    if (missing.length) {
      throw new Error(
        `${where}: the immutable subject form (the default: what repositories created since 15 July 2026 send) needs ${missing.join(' and ')} ` +
          `('gh api repos/${filter.owner}/${filter.repository} --jq "[.owner.id, .id]"'); or set subjectFormat: SubjectFormat.NAME for a repository that sends the name form`,
      );
    }
    for (const field of ['ownerId', 'repositoryId'] as const) {
      if (!/^[0-9]+$/.test(filter[field]!)) throw new Error(`${where}: ${field} '${filter[field]}' is not a numeric GitHub id`);
    }
  } else {
    const given = (['ownerId', 'repositoryId'] as const).filter((field) => filter[field] !== undefined);
    if (given.length) throw new Error(`${where}: ${given.join(' and ')} ${given.length === 1 ? 'applies' : 'apply'} only to the immutable subject form, but subjectFormat is SubjectFormat.NAME; remove them or use the immutable form`);
  }
  for (const pattern of filter.tagPatterns ?? []) {
    if (/^[*/]*$/.test(pattern)) throw new Error(`${where}: tag pattern '${pattern}' matches every tag; use a prefix such as 'v*'`);
    if (pattern.includes('?')) throw new Error(`${where}: tag pattern '${pattern}' has '?'; only '*' wildcards are supported`);
  }
  if (filter.allBranches && filter.branches?.length) throw new Error(`${where}: allBranches trusts every branch already; remove branches (${filter.branches.join(', ')})`);
  for (const name of [...(filter.branches ?? []), ...(filter.environments ?? [])]) {
    if (/[*?]/.test(name)) throw new Error(`${where}: '${name}' has a wildcard; branches and environments must be exact names`);
  }
  const repo =
    immutable
      ? `repo:${filter.owner}@${filter.ownerId}/${filter.repository}@${filter.repositoryId}`
      : `repo:${filter.owner}/${filter.repository}`;
  const all = [
    ...(filter.tagPatterns ?? []).map((p) => `${repo}:ref:refs/tags/${p}`),
    ...(filter.allBranches ? [`${repo}:ref:refs/heads/*`] : (filter.branches ?? []).map((b) => `${repo}:ref:refs/heads/${b}`)),
    ...(filter.environments ?? []).map((e) => `${repo}:environment:${e}`),
    ...(filter.pullRequests ? [`${repo}:pull_request`] : []),
  ];
  if (all.length === 0) throw new Error(`${where}: no tag pattern, branch, environment or pull request: nothing could assume the role`);
  return { exact: all.filter((s) => !s.includes('*')), patterns: all.filter((s) => s.includes('*')) };
}
