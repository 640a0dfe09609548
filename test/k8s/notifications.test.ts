import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { Template } from 'aws-cdk-lib/assertions';
import { App } from 'cdk8s';
import { parse } from 'yaml';
import { BUILT_IN_ADDONS } from '../../lib/addons/built-in';
import { buildWorkflow } from '../../lib/ci/build-workflow';
import { ArgoCdBootstrapChart } from '../../lib/k8s/argocd/bootstrap-chart';
import { FEEDBACK_ANNOTATIONS, FEEDBACK_TRIGGERS, feedbackAnnotations, notificationsValues, subscriptionAnnotation } from '../../lib/k8s/argocd/notifications';
import { applicationPath } from '../../lib/k8s/argocd/platform-applications-chart';
import { ManifestRepository } from '../../lib/manifests/manifest-repository';
import type { ResolvedPlatform } from '../../lib/model/resolved';
import { validateSpec } from '../../lib/model/validate';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { repoPath, sandboxSpec } from '../fixtures';
import { kustomize, schemaErrors, writeTree } from '../support/manifest-checks';
import { platformStackTemplates } from '../support/platform-templates';
import { manifestRepositoryOf, runReleasePullRequest } from '../support/release-pull-request';

/*
 * Deploy feedback (argocd.deployFeedback): the argocd-notifications-cm entries the Helm release gets,
 * rendered with the variables Argo CD Notifications gives them, turned into the GitHub API requests
 * its GitHub service makes, and those checked against GitHub's documented fields.
 *
 * Upstream facts relied on, at the versions pinned:
 * - Argo CD v3.4.4's go.mod pins github.com/argoproj/notifications-engine v0.5.1-0.20260213231747-1dbe3de712f8.
 *   Its pkg/services/github.go: `GitHubNotification` has `repoURLPath`, `revisionPath`, `status`
 *   (`state`, `label`, `targetURL`), `deployment` (`state`, `environment`, `environmentURL`, `logURL`,
 *   `requiredContexts`, `autoMerge`, `transientEnvironment`, `reference`), `pullRequestComment`,
 *   `checkRun`, `repositoryDispatch`; every field is parsed as a Go text/template with the vars
 *   `app` (the Application) and `context`; `Send` POSTs the commit status (state, description =
 *   message cut to 140, context = label, target_url) to statuses/{revision}, then lists the
 *   deployments of ref=revision and environment, reuses the newest or creates one (ref, environment,
 *   required_contexts, auto_merge, transient_environment), and POSTs its status (state, log_url,
 *   description, environment, environment_url). `autoMerge` defaults to true when not given.
 * - notifications-engine pkg/triggers/service.go: `when` and `oncePer` are expr-lang expressions over
 *   the same vars; a `when` that errors is logged and counts as not triggered; `oncePer` is evaluated
 *   only when `when` is true. pkg/api/config.go: in `service.<name>`, `$key` is replaced with that key
 *   of argocd-notifications-secret, after the YAML is parsed.
 * - Argo CD v3.4.4 controller/sync.go: a sync copies `app.spec.source` into
 *   `status.operationState.syncResult.source` when it starts (newSyncOperationResult: the sync
 *   operation's source, which controller/appcontroller.go autoSync takes from the spec, else the
 *   spec's), and renders exactly that source (SyncAppState compares with `state.SyncResult.Source`).
 * - Argo CD v3.4.4 controller/appcontroller.go: each Application is refreshed on its own
 *   (needRefreshAppStatus: an expired comparison, a refresh request, or a spec source that differs
 *   from the one compared), so nothing orders a child's sync after its app-of-apps'; a spec whose
 *   source differs from the last sync's starts a new automated sync even at the same revision
 *   (alreadyAttemptedSync compares the source too). util/kustomize/kustomize.go Build: an
 *   Application's `kustomize.images` and `commonAnnotations` are applied with `kustomize edit set
 *   image` and `kustomize edit add annotation` in the path before the build, over the kustomization's.
 * - GitHub REST (docs.github.com, commits/statuses and deployments): a commit status is created for a
 *   SHA with `state` one of error, failure, pending, success and `target_url`, `description`,
 *   `context`; a deployment with `ref` (branch, tag or SHA), `task`, `auto_merge`, `required_contexts`,
 *   `payload`, `environment`, `description`, `transient_environment`, `production_environment`; a
 *   deployment status with `state` one of error, failure, inactive, in_progress, queued, pending,
 *   success and `target_url`, `log_url`, `description` (at most 140 characters), `environment`,
 *   `environment_url`, `auto_inactive`.
 */

const examplePlatform = (): ResolvedPlatform => Platform.resolveEnvironments(PlatformSpecLoader.fromFile(repoPath('examples', 'previews', 'platform.yaml')))[0];
const PLATFORM = examplePlatform();
const SHA = '3f2c1e0b9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b';
const TAG = 'v1.4.2';

// ---- A Go text/template renderer for the subset the templates use ----------------------------------

/**
 * Go's text/template for text and two kinds of action, `{{.a.b}}` and `{{index .a.b "key"}}`, with
 * Go's rules for map data: a missing key gives the zero value, printed `<no value>`; a field of nil
 * is an error; `index` of nil is an error. Any other action is refused, and a test below proves the
 * templates use no other, so this renders them as Go would.
 */
function renderGo(template: string, vars: Record<string, any>): string {
  return template.replace(/\{\{(.*?)\}\}/gs, (_, body: string) => {
    const action = body.trim();
    const field = /^\.([\w.]+)$/.exec(action);
    if (field) return goPrint(lookup(vars, field[1]));
    const indexed = /^index\s+\.([\w.]+)\s+"([^"\\]+)"$/.exec(action);
    if (indexed) {
      const map = lookup(vars, indexed[1]);
      if (map === undefined || map === null) throw new Error(`error calling index: index of untyped nil (${action})`);
      return goPrint(map[indexed[2]]);
    }
    throw new Error(`action outside the supported subset: {{${body}}}`);
  });
}

function lookup(vars: Record<string, any>, path: string): any {
  let value: any = vars;
  for (const key of path.split('.')) {
    if (value === undefined || value === null) throw new Error(`nil pointer evaluating interface {}.${key} (.${path})`);
    value = value[key];
  }
  return value;
}

const goPrint = (value: any) => (value === undefined || value === null ? '<no value>' : String(value));

/** The actions of a template string. */
const actionsOf = (template: string) => [...template.matchAll(/\{\{(.*?)\}\}/gs)].map((m) => m[1].trim());

// ---- An expr-lang evaluator for the subset the triggers use ----------------------------------------

/**
 * expr-lang for member access (`a.b`, `a["k"]`), `== 'x'`, `!= nil`, `in ['x', 'y']`, `and`, `or` and
 * parentheses, over map data (a missing key is nil; a member of nil is an error). Translated to
 * JavaScript token by token; anything else is refused.
 */
function evalExpr(expression: string, vars: Record<string, any>): any {
  const tokens: string[] = expression.match(/'[^']*'|"[^"]*"|\[|\]|\(|\)|==|!=|,|[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*|\s+/g) ?? [];
  if (tokens.join('') !== expression) throw new Error(`expression outside the supported subset: ${expression}`);
  const js: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === 'and') {js.push('&&');} else if (token === 'or') {js.push('||');} else if (token === 'nil') {js.push('null');} else if (token === '==') {js.push('===');} else if (token === 'in') {
      // `x in ['a', 'b']`, x a member chain: the token written last.
      while (js.length && js[js.length - 1].trim() === '') js.pop();
      const operand = js.pop() ?? '';
      if (!/^[A-Za-z_][\w.]*$/.test(operand)) throw new Error(`'in' after ${operand}, outside the supported subset`);
      const close = tokens.indexOf(']', i);
      js.push(` ${tokens.slice(i + 1, close + 1).join('').trim()}.includes(${operand})`);
      i = close;
    } else {js.push(token);}
  }
  // A member of undefined throws, as expr fails on a member of nil.
  return new Function('app', `return (${js.join('')});`)(vars.app);
}

/** What notifications-engine's trigger service does with one condition: triggered, and the oncePer key. */
function runTrigger(conditions: any[], vars: Record<string, any>): { triggered: boolean; oncePer?: string; error?: string }[] {
  return conditions.map((c) => {
    let triggered = false;
    try {
      triggered = evalExpr(c.when, vars) === true;
    } catch (error) {
      return { triggered: false, error: (error as Error).message };
    }
    return triggered ? { triggered, oncePer: String(evalExpr(c.oncePer, vars)) } : { triggered };
  });
}

// ---- The GitHub service's requests, as github.go builds them ----------------------------------------

interface Request {
  readonly method: string;
  readonly path: string;
  readonly body?: Record<string, unknown>;
  readonly query?: Record<string, string>;
}

const trunc = (message: string, n: number) => ([...message].length > n ? [...message].slice(0, n - 3).join('') + '...' : message);

/** The requests `gitHubService.Send` makes for one rendered template (a new deployment: none listed). */
function githubRequests(template: any, vars: Record<string, any>): Request[] {
  const github = template.github;
  const repoURL = renderGo(github.repoURLPath, vars);
  const revision = renderGo(github.revisionPath, vars);
  const message = renderGo(template.message, vars);
  const [owner, repo] = new URL(repoURL).pathname.replace(/\.git$/, '').split('/').filter(Boolean);
  const description = trunc(message, 140);
  const requests: Request[] = [];
  if (github.status) {
    requests.push({
      method: 'POST',
      path: `/repos/${owner}/${repo}/statuses/${revision}`,
      body: {
        state: renderGo(github.status.state, vars),
        description,
        context: renderGo(github.status.label, vars),
        target_url: renderGo(github.status.targetURL, vars),
      },
    });
  }
  if (github.deployment) {
    const d = github.deployment;
    const environment = renderGo(d.environment, vars);
    const reference = d.reference ? renderGo(d.reference, vars) : '';
    requests.push({ method: 'GET', path: `/repos/${owner}/${repo}/deployments`, query: { ref: revision, environment } });
    requests.push({
      method: 'POST',
      path: `/repos/${owner}/${repo}/deployments`,
      body: {
        ref: reference || revision,
        environment,
        required_contexts: d.requiredContexts ?? null,
        auto_merge: d.autoMerge ?? true,
        transient_environment: d.transientEnvironment ?? false,
      },
    });
    requests.push({
      method: 'POST',
      path: `/repos/${owner}/${repo}/deployments/1/statuses`,
      body: {
        state: renderGo(d.state, vars),
        log_url: renderGo(d.logURL ?? '', vars),
        description,
        environment,
        environment_url: renderGo(d.environmentURL, vars),
      },
    });
  }
  return requests;
}

/** GitHub's documented request fields and states (REST API, commits/statuses and deployments). */
const GITHUB = {
  status: { fields: ['state', 'target_url', 'description', 'context'], states: ['error', 'failure', 'pending', 'success'] },
  deployment: { fields: ['ref', 'task', 'auto_merge', 'required_contexts', 'payload', 'environment', 'description', 'transient_environment', 'production_environment'] },
  deploymentStatus: {
    fields: ['state', 'target_url', 'log_url', 'description', 'environment', 'environment_url', 'auto_inactive'],
    states: ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'],
  },
};

function githubProblems(requests: Request[]): string[] {
  const problems: string[] = [];
  const unknown = (body: Record<string, unknown>, allowed: string[]) => Object.keys(body).filter((k) => !allowed.includes(k));
  for (const r of requests) {
    if (r.method !== 'POST') continue;
    const body = r.body!;
    if (/\/statuses\/[^/]+$/.test(r.path) && !r.path.includes('/deployments/')) {
      if (!/\/statuses\/[0-9a-f]{40}$/.test(r.path)) problems.push(`${r.path}: a commit status is created for a SHA`);
      if (!GITHUB.status.states.includes(body.state as string)) problems.push(`status state ${body.state}`);
      problems.push(...unknown(body, GITHUB.status.fields).map((k) => `status field ${k}`));
    } else if (r.path.endsWith('/deployments')) {
      if (typeof body.ref !== 'string' || !body.ref) problems.push('deployment without ref');
      if (!Array.isArray(body.required_contexts)) problems.push('required_contexts is not a list: GitHub would require every context, our pending status among them');
      problems.push(...unknown(body, GITHUB.deployment.fields).map((k) => `deployment field ${k}`));
    } else {
      if (!GITHUB.deploymentStatus.states.includes(body.state as string)) problems.push(`deployment state ${body.state}`);
      if ((body.description as string).length > 140) problems.push('deployment status description over 140 characters');
      problems.push(...unknown(body, GITHUB.deploymentStatus.fields).map((k) => `deployment status field ${k}`));
    }
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string' && v.includes('<no value>')) problems.push(`${r.path} ${k}: <no value>`);
  }
  return problems;
}

// ---- The Application as Argo CD holds it ------------------------------------------------------------

/** The Application the argocd-cli release workflow upserts: its jq run for real, with the workflow's env. */
function releasedApplication(platform: ResolvedPlatform): any {
  const workflow: any = buildWorkflow(platform, platform.apps[0]);
  const step = Object.values<any>(workflow.jobs).flatMap((job) => job.steps ?? []).find((s: any) => String(s.name).startsWith('Upsert'));
  const jq = step.run.split('\n').find((line: string) => line.startsWith('printf'));
  const script = jq.replace(' > application.json', '');
  return JSON.parse(
    execFileSync('bash', ['-c', script], { env: { ...process.env, ...step.env, TAG, GITHUB_SHA: SHA }, encoding: 'utf8' }),
  );
}

/** The Application with the status Argo CD writes: the sync's source is the spec's source at its start. */
function withStatus(application: any, phase: string, sync: string, health: string): Record<string, any> {
  return {
    app: {
      ...application,
      status: {
        sync: { status: sync, revision: '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d' },
        health: { status: health },
        operationState: {
          phase,
          startedAt: '2026-12-03T09:00:00Z',
          syncResult: { revision: '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d', source: structuredClone(application.spec.source) },
        },
      },
    },
    context: { argocdUrl: 'https://argocd.example.com' },
  };
}

const VALUES = notificationsValues(PLATFORM).notifications;
const templateOf = (trigger: string) => parse(VALUES.templates[`template.${trigger}`]);
const triggerOf = (trigger: string) => parse(VALUES.triggers[`trigger.${trigger}`]);

describe('the notifications configuration', () => {
  test('the GitHub service reads the App from argocd-notifications-secret, which the chart does not create', () => {
    expect(VALUES.secret).toEqual({ create: false });
    expect(parse(VALUES.notifiers['service.github'])).toEqual({ appID: '$githubAppID', installationID: '$githubAppInstallationID', privateKey: '$githubAppPrivateKey' });
    // notifications-engine config.go: `[$][\w-]+` names a key of the Secret.
    for (const key of PLATFORM.argocd.deployFeedback!.keys) expect(`$${key}`).toMatch(/^[$][\w-]+$/);
  });

  test('templates and triggers use only the fields notifications-engine reads', () => {
    const githubFields = ['repoURLPath', 'revisionPath', 'status', 'deployment', 'pullRequestComment', 'checkRun', 'repositoryDispatch'];
    for (const trigger of Object.values(FEEDBACK_TRIGGERS)) {
      const template = templateOf(trigger);
      expect(Object.keys(template).sort()).toEqual(['github', 'message']);
      expect(Object.keys(template.github).filter((k) => !githubFields.includes(k))).toEqual([]);
      expect(Object.keys(template.github.status).sort()).toEqual(['label', 'state', 'targetURL']);
      expect(Object.keys(template.github.deployment).filter((k) => !['state', 'environment', 'environmentURL', 'logURL', 'requiredContexts', 'autoMerge', 'transientEnvironment', 'reference'].includes(k))).toEqual([]);
      // GitHub would merge the default branch into the release's commit (autoMerge defaults to true)
      // and refuse while our own status is pending (required_contexts defaults to every context).
      expect(template.github.deployment).toMatchObject({ requiredContexts: [], autoMerge: false, environment: 'production' });
      for (const condition of triggerOf(trigger)) {
        expect(Object.keys(condition).sort()).toEqual(['description', 'oncePer', 'send', 'when']);
        expect(condition.send).toEqual([trigger]);
      }
    }
    expect(Object.keys(VALUES.templates).sort()).toEqual(Object.values(FEEDBACK_TRIGGERS).map((t) => `template.${t}`).sort());
  });

  test('every template action is one the renderer here renders as Go does', () => {
    const strings = Object.values<string>(VALUES.templates).flatMap((text) => JSON.stringify(parse(text)).match(/"[^"]*\{\{[^"]*"/g) ?? []);
    expect(strings.length).toBeGreaterThan(10);
    for (const text of Object.values<string>(VALUES.templates)) {
      for (const action of actionsOf(text)) expect(action).toMatch(/^(\.[\w.]+|index \.[\w.]+ "[^"]+")$/);
    }
  });
});

describe('a release, from the sync\'s start to its end', () => {
  const application = releasedApplication(PLATFORM);

  test('the workflow\'s Application carries the subscriptions, the repository, the URL and the commit', () => {
    expect(application.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '1',
      [subscriptionAnnotation(FEEDBACK_TRIGGERS.started, 'github')]: '',
      [subscriptionAnnotation(FEEDBACK_TRIGGERS.succeeded, 'github')]: '',
      [subscriptionAnnotation(FEEDBACK_TRIGGERS.failed, 'github')]: '',
      [FEEDBACK_ANNOTATIONS.releaseRepository]: 'https://github.com/example-org/sandbox-app.git',
      [FEEDBACK_ANNOTATIONS.environmentUrl]: 'https://sandbox.example.com',
    });
    expect(application.spec.source.kustomize.commonAnnotations).toEqual({ [FEEDBACK_ANNOTATIONS.releaseRevision]: SHA });
    expect(application.spec.source.kustomize.images.every((image: string) => image.endsWith(`:${TAG}`))).toBe(true);
    expect(schemaErrors([application])).toEqual([]);
  });

  const cases: [string, string, string, string, string, string, string][] = [
    // moment, phase, sync, health, trigger that fires, commit status, deployment status
    ['sync started', 'Running', 'OutOfSync', 'Progressing', FEEDBACK_TRIGGERS.started, 'pending', 'in_progress'],
    ['synced and healthy', 'Succeeded', 'Synced', 'Healthy', FEEDBACK_TRIGGERS.succeeded, 'success', 'success'],
    ['PreSync migration failed', 'Failed', 'OutOfSync', 'Healthy', FEEDBACK_TRIGGERS.failed, 'failure', 'failure'],
    ['sync error', 'Error', 'OutOfSync', 'Progressing', FEEDBACK_TRIGGERS.failed, 'failure', 'failure'],
    ['degraded after the sync', 'Succeeded', 'Synced', 'Degraded', FEEDBACK_TRIGGERS.failed, 'failure', 'failure'],
  ];

  test.each(cases)('%s: one trigger fires, once per commit, and its requests are GitHub\'s', (_, phase, sync, health, fires, status, deployment) => {
    const vars = withStatus(application, phase, sync, health);
    const fired = Object.values(FEEDBACK_TRIGGERS).filter((trigger) => {
      const [result] = runTrigger(triggerOf(trigger), vars);
      expect(result.error).toBeUndefined();
      if (result.triggered) expect(result.oncePer).toBe(SHA);
      return result.triggered;
    });
    expect(fired).toEqual([fires]);

    const requests = githubRequests(templateOf(fires), vars);
    expect(githubProblems(requests)).toEqual([]);
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /repos/example-org/sandbox-app/statuses/${SHA}`,
      'GET /repos/example-org/sandbox-app/deployments',
      'POST /repos/example-org/sandbox-app/deployments',
      'POST /repos/example-org/sandbox-app/deployments/1/statuses',
    ]);
    expect(requests[0].body).toMatchObject({ state: status, context: 'argocd/production/main', target_url: 'https://sandbox.example.com' });
    expect(requests[1].query).toEqual({ ref: SHA, environment: 'production' });
    expect(requests[2].body).toEqual({ ref: SHA, environment: 'production', required_contexts: [], auto_merge: false, transient_environment: false });
    expect(requests[3].body).toMatchObject({ state: deployment, environment: 'production', environment_url: 'https://sandbox.example.com' });
    expect(requests[3].body!.description).toMatch(/^(Argo CD is syncing main|main is Synced and Healthy|main failed) in production/);
  });

  test('an Application whose sync carried no commit (synced before any release) reports nothing, without an error', () => {
    const before = structuredClone(application);
    delete before.spec.source.kustomize;
    for (const [phase, sync, health] of [['Running', 'OutOfSync', 'Progressing'], ['Succeeded', 'Synced', 'Healthy'], ['Failed', 'OutOfSync', 'Degraded']]) {
      const vars = withStatus(before, phase, sync, health);
      for (const trigger of Object.values(FEEDBACK_TRIGGERS)) expect(runTrigger(triggerOf(trigger), vars)).toEqual([{ triggered: false }]);
    }
    // No operation at all yet (a new Application).
    const fresh = { app: { ...before, status: { sync: { status: 'Unknown' }, health: { status: 'Missing' } } } };
    for (const trigger of Object.values(FEEDBACK_TRIGGERS)) expect(runTrigger(triggerOf(trigger), fresh)).toEqual([{ triggered: false }]);
  });

  test('the commit reported is the one the sync deploys, not one the Application was changed to since', () => {
    const vars = withStatus(application, 'Running', 'OutOfSync', 'Progressing');
    const later = '0000000000000000000000000000000000000001';
    vars.app.spec.source.kustomize.commonAnnotations[FEEDBACK_ANNOTATIONS.releaseRevision] = later;
    const [request] = githubRequests(templateOf(FEEDBACK_TRIGGERS.started), vars);
    expect(request.path).toBe(`/repos/example-org/sandbox-app/statuses/${SHA}`);
  });
});

describe('a pull-request release: the Application its pull request leaves in the manifest repository', () => {
  // The example with the app delivered by pull request: the release workflow's job run for real
  // against the generated tree (test/support/release-pull-request.ts), its branch taken as merged.
  const spec = parse(readFileSync(repoPath('examples', 'previews', 'platform.yaml'), 'utf8'));
  spec.apps[0].delivery = 'pull-request';
  const platform = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec))[0];
  const origin = manifestRepositoryOf(new ManifestRepository(platform).manifestFiles());
  const run = runReleasePullRequest(platform, origin, TAG, SHA);
  const file = applicationPath(platform, platform.apps[0]);
  const at = (rev: string) => parse(execFileSync('git', ['show', `${rev}:${file}`], { cwd: origin, encoding: 'utf8' }));

  test('the app-of-apps applies it as it is: the subscriptions, the repository, the URL, the tag and the commit', () => {
    expect(run.status).toBe(0);
    const application = at(run.branch);
    expect(schemaErrors([application])).toEqual([]);
    expect(application.metadata.annotations).toMatchObject({
      [subscriptionAnnotation(FEEDBACK_TRIGGERS.started, 'github')]: '',
      [FEEDBACK_ANNOTATIONS.releaseRepository]: 'https://github.com/example-org/sandbox-app.git',
      [FEEDBACK_ANNOTATIONS.environmentUrl]: 'https://sandbox.example.com',
    });
    expect(application.spec.source.kustomize.commonAnnotations).toEqual({ [FEEDBACK_ANNOTATIONS.releaseRevision]: SHA });
  });

  test.each([
    ['Running', 'OutOfSync', 'Progressing', FEEDBACK_TRIGGERS.started, 'pending'],
    ['Succeeded', 'Synced', 'Healthy', FEEDBACK_TRIGGERS.succeeded, 'success'],
    ['Failed', 'OutOfSync', 'Healthy', FEEDBACK_TRIGGERS.failed, 'failure'],
  ])('its sync (%s): the trigger fires once for the release\'s commit, and the status goes to that commit of the application repository', (phase, sync, health, fires, status) => {
    const vars = withStatus(at(run.branch), phase, sync, health);
    const fired = Object.values(FEEDBACK_TRIGGERS).filter((trigger) => runTrigger(triggerOf(trigger), vars)[0].triggered);
    expect(fired).toEqual([fires]);
    expect(runTrigger(triggerOf(fires), vars)).toEqual([{ triggered: true, oncePer: SHA }]);
    const requests = githubRequests(templateOf(fires), vars);
    expect(githubProblems(requests)).toEqual([]);
    expect(requests[0]).toMatchObject({ path: `/repos/example-org/sandbox-app/statuses/${SHA}`, body: { state: status } });
    expect(requests[2].body).toMatchObject({ ref: SHA, environment: 'production' });
  });

  test('a sync of the merged commit before the root applies the new Application carries no commit: nothing is reported', () => {
    const vars = withStatus(at('main'), 'Failed', 'OutOfSync', 'Degraded');
    for (const trigger of Object.values(FEEDBACK_TRIGGERS)) expect(runTrigger(triggerOf(trigger), vars)).toEqual([{ triggered: false }]);
  });
});

describe('the GitHub App\'s secret', () => {
  test('External Secrets owns argocd-notifications-secret, each key named; the objects validate against the pinned CRDs', () => {
    const bootstrap = new ArgoCdBootstrapChart(new App(), 'bootstrap', { platform: PLATFORM });
    const objects = bootstrap.notificationsCredentials!.map((o) => o.toJson());
    expect(schemaErrors(objects)).toEqual([]);
    const externalSecret = objects[2];
    expect(externalSecret.spec.target).toEqual({ name: 'argocd-notifications-secret', creationPolicy: 'Owner' });
    expect(externalSecret.spec.data).toEqual(
      ['githubAppID', 'githubAppInstallationID', 'githubAppPrivateKey'].map((key) => ({ secretKey: key, remoteRef: { key: 'sandbox/argocd/deploy-feedback', property: key } })),
    );
    expect(objects[0].metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/sandbox-feedback-reader' });
    expect(objects[1].spec.provider.aws.auth.jwt.serviceAccountRef.name).toBe('sandbox-feedback-reader');
  });

  test('the tree\'s bootstrap holds the same objects, and builds with kubectl kustomize into objects valid against the CRDs', () => {
    const files = new ManifestRepository(PLATFORM).manifestFiles();
    const root = writeTree(files);
    const built = kustomize(root, PLATFORM.argocd.bootstrapPath);
    const objects = new ArgoCdBootstrapChart(new App(), 'bootstrap', { platform: PLATFORM }).notificationsCredentials!.map((o) => o.toJson());
    for (const object of objects) expect(built).toContainEqual(object);
    expect(schemaErrors(built)).toEqual([]);
  });

  test('the stack names the secret to create, and the reader role\'s policy names exactly it', () => {
    // Read only: the run's one synthesis of this platform's stack (test/support/platform-templates.ts).
    const template = Template.fromJSON(platformStackTemplates([PLATFORM])[0]);
    template.hasOutput('DeployFeedbackSecretName', { Value: 'sandbox/argocd/deploy-feedback' });
    template.hasOutput('FeedbackReaderRoleArn', {});
    // The reader's statement, wherever the role construct puts it (inline or attached).
    const statements = JSON.stringify(template.toJSON().Resources).match(/\{"Action":[^{}]*"Sid":"ReadDeployFeedbackApp"\}/g);
    expect(statements?.map((text) => JSON.parse(text))).toEqual([
      {
        // CDK sorts a statement's actions.
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        Effect: 'Allow',
        Resource: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:sandbox/argocd/deploy-feedback-??????',
        Sid: 'ReadDeployFeedbackApp',
      },
    ]);
  });

  test('its reader role may read exactly that secret', () => {
    const role = PLATFORM.workloadRoles.find((r) => r.purpose === 'feedback-reader')!;
    expect(role.subject).toBe('system:serviceaccount:argocd:sandbox-feedback-reader');
    expect(role.permissions).toEqual([
      {
        sid: 'ReadDeployFeedbackApp',
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: ['arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:sandbox/argocd/deploy-feedback-??????'],
      },
    ]);
  });
});

describe('off by default, and refused where it cannot work', () => {
  const problems = (spec: any) => validateSpec(spec, BUILT_IN_ADDONS).map((p) => `${p.path}: ${p.message}`);
  const withFeedback = (change: (spec: any) => void = () => {}) => {
    const spec = sandboxSpec();
    spec.argocd = { ...spec.argocd, deployFeedback: { enabled: true } };
    spec.apps[0].delivery = 'argocd-cli';
    delete spec.apps[0].imageUpdate;
    change(spec);
    return spec;
  };

  test('the sandbox has none: no values, no annotations, no secret', () => {
    const sandbox = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(sandboxSpec()))[0];
    expect(sandbox.argocd.deployFeedback).toBeUndefined();
    expect(notificationsValues(sandbox)).toEqual({});
    expect(feedbackAnnotations(sandbox, sandbox.apps[0])).toEqual({});
    expect(new ArgoCdBootstrapChart(new App(), 'b', { platform: sandbox }).notificationsCredentials).toBeUndefined();
    expect(sandbox.workloadRoles.map((r) => r.purpose)).not.toContain('feedback-reader');
  });

  test('the example validates', () => {
    expect(problems(parse(readFileSync(repoPath('examples', 'previews', 'platform.yaml'), 'utf8')))).toEqual([]);
    expect(problems(withFeedback())).toEqual([]);
  });

  test('the managed Argo CD is served by the notifications controller the platform runs itself (test/k8s/notifications-controller.test.ts)', () => {
    const spec = withFeedback((s) => {
      s.argocd.managed = true;
      s.argocd.identityCenter = { instanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef' };
      s.apps[0].migration.deadlineSeconds = 60;
    });
    expect(problems(spec)).toEqual([]);
    const managed = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec))[0];
    expect(managed.argocd.deployFeedback!.controller!.application.name).toBe('sandbox-notifications');
    // The same configuration and subscriptions as with the stack's Argo CD; the stack's Helm values are not used there.
    expect(feedbackAnnotations(managed, managed.apps[0])).toEqual(feedbackAnnotations(PLATFORM, PLATFORM.apps[0]));
  });

  test('a spoke, whose Applications are the hub\'s, is refused', () => {
    const spec = parse(readFileSync(repoPath('examples', 'hub-and-spokes', 'platform.yaml'), 'utf8'));
    spec.argocd.deployFeedback = { enabled: true };
    expect(problems(spec)).toContain(
      "argocd.deployFeedback.enabled: cannot report from environment 'production', a spoke: its Applications are the hub's (argocd.hub), in the hub's " +
        "Argo CD namespace, whose notifications configuration serves the hub's environment only; turn argocd.deployFeedback off, or give each " +
        "environment an Argo CD of its own (no argocd.hub) (in environment 'production')",
    );
  });

  test('image-updater, which never sees the commit, is refused, naming the field and what to use instead', () => {
    const spec = withFeedback((s) => {
      s.apps[0].delivery = 'image-updater';
    });
    expect(problems(spec)).toEqual([
      "apps[0].delivery: 'image-updater' cannot tell Argo CD which commit a release came from: Argo CD Image Updater picks a tag from what ECR lists and writes " +
        "only the image reference (the Application's kustomize.images, or the overlay in Git), never the commit it was built from, so deploy feedback " +
        "would report on no commit; use 'pull-request' (its pull request writes the commit into the app's Application file beside the tag) or " +
        "'argocd-cli' (its upsert does), or turn argocd.deployFeedback off",
    ]);
  });

  test('pull-request, whose pull request carries the commit, validates; so do two environments with it', () => {
    expect(problems(withFeedback((s) => (s.apps[0].delivery = 'pull-request')))).toEqual([]);
    const two = parse(readFileSync(repoPath('examples', 'two-environments', 'platform.yaml'), 'utf8'));
    two.argocd = { ...two.argocd, deployFeedback: { enabled: true } };
    two.apps[0].delivery = 'pull-request';
    delete two.apps[0].imageUpdate;
    expect(problems(two)).toEqual([]);
  });

  test('the vault plugin, which renders the source itself, is refused with pull-request too', () => {
    const spec = withFeedback((s) => {
      s.apps[0].delivery = 'pull-request';
      s.secrets = { backend: 'vault-plugin', vault: { address: 'https://vault.example.com:8200' } };
    });
    expect(problems(spec)).toContainEqual(expect.stringMatching(/^argocd\.deployFeedback\.enabled: cannot be combined with secrets\.backend 'vault-plugin'/));
  });

  test('a secret outside <platform>/argocd/ is refused', () => {
    const spec = withFeedback((s) => {
      s.argocd.deployFeedback.secretName = 'elsewhere/github-app';
    });
    expect(problems(spec)).toEqual([
      "argocd.deployFeedback.secretName: 'elsewhere/github-app' is outside the prefix 'sandbox/argocd/' under which the platform keeps Argo CD's secrets; name the secret sandbox/argocd/<name>",
    ]);
  });
});
