import { PROMOTE_ALL } from '../constants';
import { show } from '../shape';
import type { AddProblem, EnvironmentInput } from './input';

/**
 * The rules on what the generated workflows need of the spec: a build workflow that runs, a
 * promotion input whose options differ, and deployment globs that leave the images' sources out.
 */

/**
 * Files that are sources of an image in any repository: a deployment glob matching one of them
 * matches source changes, and a release changing only sources would re-tag the previous images.
 */
const SOURCE_PROBES = ['package.json', 'go.mod', 'main.go', 'src/main.go', 'src/index.ts', 'app/main.py', 'lib/app.rb', 'cmd/server/main.go'];

/**
 * A git pathspec with the `glob` magic as a regular expression (gitglossary, "pathspec"): `*` and
 * `?` stay within a path component, `**` spans components, and a pattern without wildcards also
 * matches the paths below the directory it names. `.` (and an empty pattern) is the whole tree.
 */
export function pathspecGlob(glob: string): RegExp {
  const pattern = glob.replace(/^\.\/+/, '').replace(/\/+$/, '');
  if (pattern === '' || pattern === '.') return /^/;
  let body = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (pattern.startsWith('**/', i)) {
      body += '(?:.*/)?';
      i += 2;
    } else if (pattern.startsWith('/**', i) && i + 3 === pattern.length) {
      body += '(?:/.*)?';
      i += 2;
    } else if (pattern.startsWith('**', i)) {
      body += '.*';
      i += 1;
    } else if (c === '*') {
      body += '[^/]*';
    } else if (c === '?') {
      body += '[^/]';
    } else {
      body += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${body}${/[*?[]/.test(pattern) ? '' : '(?:/.*)?'}$`);
}

/** The rules of one environment's apps (each at `apps[<index>]`). */
export function checkOutputs({ platform, apps }: EnvironmentInput, add: AddProblem): void {
  for (const { app, path } of apps) {
    const { ci } = app;
    // The build workflow runs on release tags only (on.push.tags); without a pattern it would have an
    // empty trigger (which actionlint refuses) and never run, while the role trusted a branch.
    if (ci.tagPatterns.length === 0 && (ci.branches.length || ci.environments.length || ci.pullRequests)) {
      add(
        `${path}.ci.tagPatterns`,
        "is empty, but the generated build workflow runs on release tags only: with none it never runs, and the role would trust workflows the platform does not generate; give a pattern such as 'v*'",
      );
    }

    if (platform.environments.length > 1 && app.name === PROMOTE_ALL) {
      add(`${path}.name`, `${show(PROMOTE_ALL)} is the option of the promotion workflow that promotes every application at once; choose another name`);
    }

    const dockerfiles = [
      ...app.containers.map((c, i) => ({ file: c.image.dockerfile, field: `containers[${i}].dockerfile` })),
      ...(app.migration ? [{ file: app.migration.image.dockerfile, field: 'migration.dockerfile' }] : []),
    ];
    ci.deployPaths.forEach((glob, j) => {
      const regex = pathspecGlob(glob);
      const at = `${path}.ci.deployPaths[${j}]`;
      const source = SOURCE_PROBES.find((file) => regex.test(file));
      const dockerfile = dockerfiles.find(({ file }) => regex.test(file.replace(/^\.\/+/, '')));
      if (source) {
        add(
          at,
          `${show(glob)} matches source files such as ${source}: a release that changes only files it matches re-tags the previous release's images instead of building them; name the deployment files only, such as 'deploy/**'`,
        );
      } else if (dockerfile) {
        add(
          at,
          `${show(glob)} matches ${dockerfile.field} ${show(dockerfile.file)}: a release changing only that Dockerfile would re-tag the previous images instead of building them; leave it out of the deployment files`,
        );
      }
    });
  }
}
