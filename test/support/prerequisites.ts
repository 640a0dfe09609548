import { execFileSync } from 'child_process';
import { postgresBinDir } from './postgres';
import { CACHE_NAME, HOW_TO_GET_THEM, resolveUpstream } from './upstream';
import { fetchUpstream } from '../../scripts/fetch-upstream';

/**
 * The prerequisites of the test suite, each checked in a few milliseconds, so a machine without one
 * gets one line saying what to do, not a wall of failed suites:
 *
 * - `kubectl`, which builds every generated kustomization;
 * - `shellcheck` and `jq`, which check and run the generated workflows' scripts;
 * - PostgreSQL's server programs (Debian's `postgresql`), which run the database user Job's SQL;
 * - the upstream reference files (see test/support/upstream.ts): found with their SHA-256 checked,
 *   or fetched into the cache.
 *
 * `npm test` runs this file first (`test:prereqs`, before the type-check and the linter), and jest's
 * global setup runs it again for a run of jest alone.
 *
 * @returns the directory of the upstream files
 */
export async function checkPrerequisites(): Promise<string> {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
  } catch {
    missing(
      'kubectl is required and was not found on PATH: the tests build every generated kustomization with `kubectl kustomize`. ' +
        'Install it (https://kubernetes.io/docs/tasks/tools/, or apt-get install kubectl) and run the tests again.',
    );
  }

  for (const [tool, why] of [
    ['shellcheck', 'the tests check every run script of the generated workflows with it'],
    ['jq', 'the tests run the argocd-cli delivery step, which builds its Application with jq'],
  ]) {
    try {
      execFileSync(tool, ['--version'], { stdio: 'ignore' });
    } catch {
      missing(`${tool} is required and was not found on PATH: ${why}. Install it (apt-get install ${tool}) and run the tests again.`);
    }
  }

  if (!postgresBinDir()) {
    missing(
      'PostgreSQL is required and was not found (no /usr/lib/postgresql/<version>/bin/initdb): the tests run the database user Job\'s SQL on a throwaway server. ' +
        'Install it (apt-get install postgresql) and run the tests again.',
    );
  }

  let resolution = resolveUpstream({ upstreamDir: process.env.UPSTREAM_DIR, verify: true });
  if ('problem' in resolution && !process.env.UPSTREAM_DIR) {
    const notFound = resolution.problem;
    try {
      const { fetched } = await fetchUpstream({ baseUrl: process.env.UPSTREAM_BASE_URL || undefined, timeoutMs: 15_000 });
      process.stderr.write(`\nfetched ${fetched.length} upstream reference files into ${CACHE_NAME}\n`);
      resolution = resolveUpstream({ verify: true });
    } catch (error) {
      // The first failure, as `<host>: <reason>`.
      const first = /could not be fetched: \S+ from (\S+): ([^;]*)/.exec((error as Error).message);
      const reason = first ? `${new URL(first[1]).host}: ${first[2]}` : (error as Error).message;
      missing(`${notFound}, and fetching them into ${CACHE_NAME} failed (${reason}): ${HOW_TO_GET_THEM}.`);
    }
  }
  if ('problem' in resolution) missing(`${resolution.problem}: ${HOW_TO_GET_THEM}.`);
  return resolution.dir;
}

/** Ends the run with one line saying what is missing and how to get it. */
function missing(message: string): never {
  process.stderr.write(`\n${message}\n`);
  process.exit(1);
}

// `npm run test:prereqs`: the same checks, on their own.
if (require.main === module) {
  void checkPrerequisites().then((dir) => process.stdout.write(`prerequisites: kubectl, shellcheck, jq, PostgreSQL; upstream files in ${dir}\n`));
}
