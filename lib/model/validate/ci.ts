// Validation, the CI section of each application: who may assume its CI role, and the ids the
// immutable OIDC subject form needs. (The role's trust policy size is checked in limits.ts, what the
// build workflow needs in outputs.ts.)
import { show } from '../shape';
import { SubjectFormat } from '../types';
import type { AddProblem, EnvironmentInput, LocatedApp } from './input';

/** `apps[].ci`: tag patterns with a fixed prefix, at least one trusted ref, and the repository id of the immutable form. */
export function checkCi({ spec }: EnvironmentInput, { app, path }: LocatedApp, add: AddProblem): void {
  const { ci } = app;
  ci.tagPatterns.forEach((p, i) => {
    if (/^[*/]*$/.test(p)) {
      add(`${path}.ci.tagPatterns[${i}]`, `${show(p)} matches every tag, so any tag pushed to the repository could assume the role; use a prefix such as 'v*'`);
    } else if (p.startsWith('*')) {
      add(`${path}.ci.tagPatterns[${i}]`, `${show(p)} starts with a wildcard, so tags of any name match it; start with a fixed prefix such as 'v*'`);
    }
  });
  if (!ci.tagPatterns.length && !ci.branches.length && !ci.environments.length && !ci.pullRequests) {
    add(`${path}.ci`, 'no tag pattern, branch, environment or pull request may assume the CI role; give at least one');
  }
  if (ci.subjectFormat === SubjectFormat.IMMUTABLE) {
    const repo = `${ci.repository.owner}/${ci.repository.name}`;
    if (ci.repositoryId === undefined) {
      add(
        `${path}.ci.repositoryId`,
        'is required: GitHub names repositories created since 15 July 2026 by id in OIDC tokens (repo:<owner>@<ownerId>/<name>@<repositoryId>:...); ' +
          `find it with 'gh api repos/${repo} --jq .id', or set ${path}.ci.subjectFormat: name for an older repository that sends the name form`,
      );
    }
  } else if (spec.apps.find((a) => a?.name === app.name)?.ci.repositoryId !== undefined) {
    add(`${path}.ci.repositoryId`, "applies only to the immutable subject form, but ci.subjectFormat is 'name'; remove it or use the immutable form");
  }
}
