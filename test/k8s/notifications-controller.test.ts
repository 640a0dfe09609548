import { readFileSync } from 'fs';
import { App } from 'cdk8s';
import { parse } from 'yaml';
import { BUILT_IN_ADDONS } from '../../lib/addons/built-in';
import { ArgoCdBootstrapChart } from '../../lib/k8s/argocd/bootstrap-chart';
import { feedbackAnnotations, FEEDBACK_TRIGGERS, notificationsValues } from '../../lib/k8s/argocd/notifications';
import { NOTIFICATIONS_CONTROLLER_RULES, NOTIFICATIONS_METRICS_PORT, NotificationsControllerChart } from '../../lib/k8s/argocd/notifications-controller';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../../lib/k8s/pod-security';
import { ManifestRepository } from '../../lib/manifests/manifest-repository';
import { ArgoCdMode } from '../../lib/model/argocd-mode';
import { CONTROLLER_DEFAULTS } from '../../lib/model/controllers';
import type { ResolvedPlatform } from '../../lib/model/resolved';
import { validateSpec } from '../../lib/model/validate';
import { deployFeedbackWarnings } from '../../lib/model/validate/feedback';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { UPSTREAM_URLS, UPSTREAM_VERSIONS } from '../../lib/versions';
import { repoPath, upstreamPath } from '../fixtures';
import { argoCdObjects, canonicalJson } from '../support/argocd-objects';
import { chartDefaults } from '../support/helm';
import { unknownFieldErrors } from '../support/k8s-strict';
import { kustomize, parseYaml, schemaErrors, writeTree } from '../support/manifest-checks';
import { platformStackTemplates } from '../support/platform-templates';

/*
 * Deploy feedback under the EKS managed Argo CD (examples/managed-feedback): the platform runs Argo
 * CD's upstream notifications controller itself, in the capability's namespace.
 *
 * Upstream facts relied on, at the versions pinned:
 * - EKS user guide, "Send notifications for Argo CD Applications" (read 2026-12-03): the capability's
 *   managed notifications controller "ignores a ConfigMap that does not carry an opt-in label".
 * - Argo CD v3.4.4 manifests/install.yaml (/work/shared/upstream): the Deployment
 *   argocd-notifications-controller (image quay.io/argoproj/argocd:v3.4.4, args
 *   [/usr/local/bin/argocd-notifications], liveness tcpSocket 9001, strategy Recreate, runAsNonRoot,
 *   seccomp RuntimeDefault, no capabilities, read-only root), its ServiceAccount, and its Role: get,
 *   list, watch, update, patch of applications and appprojects; list, watch of configmaps and
 *   secrets; get of argocd-notifications-cm and argocd-notifications-secret.
 * - Argo CD v3.4.4 cmd/argocd-notification/commands/argocd_notification.go (flags --namespace,
 *   --config-map-name, --secret-name, --metrics-port, --argocd-repo-server, --application-namespaces);
 *   notification_controller/controller/controller.go (informers of Applications and AppProjects in
 *   its namespace, List and Watch); util/notification/k8s/informers.go (the ConfigMap and Secret by a
 *   metadata.name field selector); util/notification/argocd/service.go (GetAppProject: a get; the
 *   repo server and argocd-cm only for GetCommitMetadata and GetAppDetails, the `repo.*` functions of
 *   util/notification/expression/repo); notifications-engine 1dbe3de pkg/controller/controller.go
 *   (processResource: a merge patch of the Application's annotations, its only write).
 * - Kubernetes RBAC: a rule with resourceNames authorizes a list or watch whose field selector is
 *   metadata.name=<that name> (the API server puts the name into the request's attributes:
 *   k8s.io/apiserver pkg/endpoints/handlers/get.go, "fieldSelector setting explicitly the
 *   metadata.name ... is propagated to requestInfo as the name parameter").
 * - Argo CD's AppProject: an empty namespaceResourceWhitelist and Blacklist permit every namespaced
 *   kind; a cluster-scoped kind needs clusterResourceWhitelist; an Application outside Argo CD's
 *   namespace needs its namespace in sourceNamespaces (the capability requires the field).
 */

const fromFile = (name: string) => PlatformSpecLoader.fromFile(repoPath('examples', name, 'platform.yaml'));
const PLATFORM: ResolvedPlatform = Platform.resolveEnvironments(fromFile('managed-feedback'))[0];
const CONTROLLER = PLATFORM.argocd.deployFeedback!.controller!;
const CHART = new NotificationsControllerChart(new App(), 'notifications', { platform: PLATFORM });
const OBJECTS = [CHART.configMap, CHART.serviceAccount, CHART.role, CHART.roleBinding, CHART.deployment].map((o) => o.toJson());
const FILES = new ManifestRepository(PLATFORM).manifestFiles();
const upstreamInstall = parseYaml(readFileSync(upstreamPath(`argo-cd-${UPSTREAM_VERSIONS.argoCd}`, 'install.yaml'), 'utf8'));
const upstream = (kind: string) => upstreamInstall.find((o) => o.kind === kind && o.metadata.name === 'argocd-notifications-controller');

describe('where the platform runs its own notifications controller', () => {
  test('under the EKS managed Argo CD only: a child Application in the operators\' wave, its name reserved', () => {
    expect(PLATFORM.argocd.mode).toBe(ArgoCdMode.MANAGED);
    expect(CONTROLLER.application).toEqual({ name: 'sandbox-notifications', namespace: 'argocd', wave: -1, path: 'argocd/notifications', syncOptions: [] });
    expect(PLATFORM.applications).toContainEqual(CONTROLLER.application);
    expect(PLATFORM.reservedNames.applications).toContain('sandbox-notifications');
    // A self-managed Argo CD's Helm release runs the controller: nothing of the platform's own.
    const selfManaged = Platform.resolveEnvironments(fromFile('previews'))[0];
    expect(selfManaged.argocd.deployFeedback).toBeDefined();
    expect(selfManaged.argocd.deployFeedback!.controller).toBeUndefined();
    expect(FILES.some((f) => f.path.startsWith('argocd/notifications/'))).toBe(true);
    expect(new ManifestRepository(selfManaged).manifestFiles().some((f) => f.path.startsWith('argocd/notifications/'))).toBe(false);
    expect(() => new NotificationsControllerChart(new App(), 'n', { platform: selfManaged })).toThrow(/runs no notifications controller of its own/);
  });

  test('the example validates; its note says the platform runs the controller and its ConfigMap has no opt-in label', () => {
    expect(validateSpec(parse(readFileSync(repoPath('examples', 'managed-feedback', 'platform.yaml'), 'utf8')), BUILT_IN_ADDONS)).toEqual([]);
    expect(deployFeedbackWarnings([PLATFORM])).toEqual([
      "argocd.deployFeedback is on with the EKS managed Argo CD: the platform runs Argo CD's notifications controller itself (the Application " +
        "sandbox-notifications), and its argocd-notifications-cm carries no opt-in label of the capability's managed notifications controller; " +
        'do not add one, or both report each release (https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/deploy-feedback.md#where-it-runs)',
    ]);
  });

  test('cluster.controllers.argocdNotifications sizes it, and is still refused under the managed Argo CD without deploy feedback', () => {
    const problems = (spec: any) => validateSpec(spec, BUILT_IN_ADDONS).map((p) => `${p.path}: ${p.message}`);
    const spec: any = JSON.parse(JSON.stringify(fromFile('managed-feedback')));
    spec.cluster.controllers = { argocdNotifications: { cpuRequest: '30m', memoryLimit: '256Mi' } };
    expect(problems(spec)).toEqual([]);
    const sized = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec))[0].argocd.deployFeedback!.controller!;
    expect(sized.resources).toEqual({ requests: { cpu: '30m', memory: '64Mi' }, limits: { memory: '256Mi' } });
    spec.argocd.deployFeedback.enabled = false;
    expect(problems(spec)).toEqual([expect.stringMatching(/^cluster\.controllers\.argocdNotifications: sizes argocd-notifications-controller, a workload of the Argo CD the stack installs.*remove it \(it sizes only the notifications controller the platform runs itself with argocd\.deployFeedback on\), or use a self-managed Argo CD/)]);
  });
});

describe('the controller\'s objects', () => {
  test('validate strictly: types and required fields, and no field Kubernetes does not define', () => {
    expect(OBJECTS.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'ConfigMap argocd/argocd-notifications-cm',
      'ServiceAccount argocd/argocd-notifications-controller',
      'Role argocd/argocd-notifications-controller',
      'RoleBinding argocd/argocd-notifications-controller',
      'Deployment argocd/argocd-notifications-controller',
    ]);
    expect(schemaErrors(OBJECTS)).toEqual([]);
    expect(unknownFieldErrors(OBJECTS)).toEqual([]);
  });

  test('the Deployment runs the upstream controller of the pinned Argo CD, as its install does, under the restricted pod security', () => {
    const deployment = CHART.deployment.toJson();
    const reference = upstream('Deployment');
    const [container] = deployment.spec.template.spec.containers;
    const [upstreamContainer] = reference.spec.template.spec.containers;
    // The same image as the install.yaml and the stack's Helm release (chart 10.1.1's repository at its appVersion).
    expect(container.image).toBe(upstreamContainer.image);
    expect(container.image).toBe(`${chartDefaults('argo-cd', UPSTREAM_VERSIONS.argoCdChart).global.image.repository}:${UPSTREAM_VERSIONS.argoCd}`);
    expect(container.image).toBe(UPSTREAM_URLS.argoCdImage);
    expect(container.args[0]).toBe(upstreamContainer.args[0]);
    expect(container.args.slice(1)).toEqual([
      '--namespace=argocd',
      '--config-map-name=argocd-notifications-cm',
      '--secret-name=argocd-notifications-secret',
      `--metrics-port=${NOTIFICATIONS_METRICS_PORT}`,
    ]);
    // No --application-namespaces: the capability's Applications are all in its namespace. No
    // --argocd-repo-server: never dialled, the templates call no repo.* function (test below).
    expect(container.args.join(' ')).not.toMatch(/application-namespaces|argocd-repo-server/);
    expect(upstreamContainer.livenessProbe).toEqual({ tcpSocket: { port: NOTIFICATIONS_METRICS_PORT } });
    expect(container.livenessProbe).toEqual(upstreamContainer.livenessProbe);
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual(reference.spec.strategy);
    expect(deployment.spec.template.spec.serviceAccountName).toBe(reference.spec.template.spec.serviceAccountName);
    expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(true);
    // The repo server's TLS and argocd-tls-certs-cm are not needed: no volume at all.
    expect(deployment.spec.template.spec.volumes).toBeUndefined();
    expect(container.securityContext).toEqual(restrictedContainerSecurityContext());
    expect(deployment.spec.template.spec.securityContext).toEqual(restrictedPodSecurityContext());
    // At least what the install asks of the pod and the container.
    expect(container.securityContext).toMatchObject(upstreamContainer.securityContext);
    expect(deployment.spec.template.spec.securityContext).toMatchObject(reference.spec.template.spec.securityContext);
    const { cpuRequest, memoryRequest, memoryLimit } = CONTROLLER_DEFAULTS.argocdNotifications;
    expect(container.resources).toEqual({ requests: { cpu: cpuRequest, memory: memoryRequest }, limits: { memory: memoryLimit } });
    expect(deployment.spec.selector.matchLabels).toEqual(reference.spec.selector.matchLabels);
  });

  test('argocd-notifications-cm holds what the self-managed Helm values write, and no label of the capability', () => {
    const values = notificationsValues(PLATFORM).notifications;
    const configMap = CHART.configMap.toJson();
    expect(configMap.data).toEqual({ ...values.notifiers, ...values.templates, ...values.triggers });
    // Only the platform's own labels: the capability's opt-in label is none of them.
    expect(Object.keys(configMap.metadata.labels).every((key) => key.startsWith('app.kubernetes.io/'))).toBe(true);
    expect(configMap.metadata.annotations).toBeUndefined();
  });

  test('the templates and triggers call no repo.* function and read no context: no repo server, argocd-cm or argocd-secret is needed', () => {
    const configMap = CHART.configMap.toJson();
    const texts = Object.entries<string>(configMap.data).filter(([key]) => /^(template|trigger)\./.test(key));
    expect(texts).toHaveLength(Object.keys(FEEDBACK_TRIGGERS).length * 2);
    for (const [key, text] of texts) {
      // `repo` is the variable of the repo.* functions (expression.Spawn); `.context` reads argocd-cm's context.
      expect({ key, repo: /\brepo\.|\.context\b/.test(JSON.stringify(parse(text))) }).toEqual({ key, repo: false });
    }
  });
});

describe('the controller\'s RBAC: exactly what it does', () => {
  const role = CHART.role.toJson();

  /** Kubernetes RBAC's decision for one request against a Role's rules (resourceNames match a named get, or a list or watch by metadata.name). */
  const allows = (rules: any[], request: { group: string; resource: string; verb: string; name?: string }) =>
    rules.some(
      (r) =>
        r.apiGroups.includes(request.group) &&
        r.resources.includes(request.resource) &&
        r.verbs.includes(request.verb) &&
        (!r.resourceNames?.length || (request.name !== undefined && r.resourceNames.includes(request.name))),
    );

  // What the controller asks of the API server (the upstream source named at the top).
  const NEEDED = [
    { group: 'argoproj.io', resource: 'applications', verb: 'list' },
    { group: 'argoproj.io', resource: 'applications', verb: 'watch' },
    { group: 'argoproj.io', resource: 'applications', verb: 'patch', name: 'main' },
    { group: 'argoproj.io', resource: 'appprojects', verb: 'list' },
    { group: 'argoproj.io', resource: 'appprojects', verb: 'watch' },
    { group: 'argoproj.io', resource: 'appprojects', verb: 'get', name: 'sandbox' },
    { group: '', resource: 'configmaps', verb: 'list', name: 'argocd-notifications-cm' },
    { group: '', resource: 'configmaps', verb: 'watch', name: 'argocd-notifications-cm' },
    { group: '', resource: 'secrets', verb: 'list', name: 'argocd-notifications-secret' },
    { group: '', resource: 'secrets', verb: 'watch', name: 'argocd-notifications-secret' },
  ];

  test('the Role is the rules with their reasons, each within the upstream install\'s Role', () => {
    expect(role.rules).toEqual(NOTIFICATIONS_CONTROLLER_RULES.map((r) => r.rule));
    for (const { rule, reason } of NOTIFICATIONS_CONTROLLER_RULES) {
      expect(reason.length).toBeGreaterThan(40);
      for (const group of rule.apiGroups!) {
        for (const resource of rule.resources!) {
          for (const verb of rule.verbs) {
            for (const name of rule.resourceNames ?? [undefined]) {
              const request = { group, resource, verb, name };
              expect({ request, upstream: allows(upstream('Role').rules, request) }).toEqual({ request, upstream: true });
            }
          }
        }
      }
    }
  });

  test('grants every request the controller makes, and none of the others the upstream Role allows', () => {
    for (const request of NEEDED) expect({ request, allowed: allows(role.rules, request) }).toEqual({ request, allowed: true });
    // Allowed by the upstream Role, never made by the controller: refused here.
    const dropped = [
      { group: 'argoproj.io', resource: 'applications', verb: 'update', name: 'main' },
      { group: 'argoproj.io', resource: 'applications', verb: 'get', name: 'main' },
      { group: 'argoproj.io', resource: 'appprojects', verb: 'patch', name: 'sandbox' },
      { group: 'argoproj.io', resource: 'appprojects', verb: 'update', name: 'sandbox' },
      // Every Secret of the namespace: the repository credentials, the cluster Secret.
      { group: '', resource: 'secrets', verb: 'list' },
      { group: '', resource: 'secrets', verb: 'watch' },
      { group: '', resource: 'secrets', verb: 'list', name: 'sandbox-manifest-repository' },
      { group: '', resource: 'secrets', verb: 'get', name: 'argocd-notifications-secret' },
      { group: '', resource: 'configmaps', verb: 'list' },
      { group: '', resource: 'configmaps', verb: 'watch', name: 'argocd-cm' },
      { group: '', resource: 'configmaps', verb: 'get', name: 'argocd-notifications-cm' },
    ];
    for (const request of dropped) {
      expect({ request, here: allows(role.rules, request), upstream: allows(upstream('Role').rules, request) }).toEqual({ request, here: false, upstream: true });
    }
    // Refused by both.
    for (const request of [
      { group: 'argoproj.io', resource: 'applications', verb: 'delete', name: 'main' },
      { group: '', resource: 'configmaps', verb: 'get', name: 'argocd-cm' },
      { group: '', resource: 'secrets', verb: 'get', name: 'argocd-secret' },
    ]) {
      expect({ request, here: allows(role.rules, request), upstream: allows(upstream('Role').rules, request) }).toEqual({ request, here: false, upstream: false });
    }
  });

  test('the RoleBinding gives the Role to the Deployment\'s ServiceAccount, in Argo CD\'s namespace only (no cluster-wide grant)', () => {
    const binding = CHART.roleBinding.toJson();
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: CHART.deployment.toJson().spec.template.spec.serviceAccountName, namespace: 'argocd' }]);
    expect(OBJECTS.map((o) => o.kind)).not.toContain('ClusterRole');
  });
});

describe('how the objects reach the cluster', () => {
  const argocd = argoCdObjects(FILES);

  test('the root app syncs the child Application, whose directory builds with kubectl kustomize into exactly the controller\'s objects', () => {
    const application = argocd.applications['sandbox-notifications'];
    expect(application.spec.source.path).toBe('argocd/notifications');
    expect(application.spec.destination).toEqual({ namespace: 'argocd', server: PLATFORM.argocd.destinationServer });
    expect(application.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
    expect(schemaErrors([application])).toEqual([]);
    const built = argocd.sources['sandbox-notifications'].objects!;
    const sorted = (objects: any[]) => objects.map(canonicalJson).sort();
    expect(sorted(built)).toEqual(sorted(OBJECTS));
    expect(schemaErrors(built)).toEqual([]);
  });

  test('the platform\'s AppProject admits every one of them, and the Application lives where the project allows', () => {
    const project = argocd.bootstrap.objects!.find((o) => o.kind === 'AppProject' && o.metadata.name === PLATFORM.argocd.project);
    const application = argocd.applications['sandbox-notifications'];
    expect(project.spec.sourceRepos).toContain(application.spec.source.repoURL);
    expect(project.spec.sourceNamespaces).toContain(application.metadata.namespace);
    expect(project.spec.destinations).toContainEqual(application.spec.destination);
    // Namespaced kinds are all admitted without a namespaced whitelist or blacklist; none is cluster-scoped.
    expect(project.spec.namespaceResourceWhitelist).toBeUndefined();
    expect(project.spec.namespaceResourceBlacklist).toBeUndefined();
    for (const o of argocd.sources['sandbox-notifications'].objects!) expect({ kind: o.kind, namespace: o.metadata.namespace }).toEqual({ kind: o.kind, namespace: 'argocd' });
  });

  test('the capability may create them: its access policy covers Argo CD\'s namespace (ManagedArgoCd deployNamespaces with its own)', () => {
    const [template] = platformStackTemplates([PLATFORM]);
    const association = Object.values<any>(template.Resources).find((r) => r.Type === 'Custom::AWS' && JSON.stringify(r.Properties.Create ?? '').includes('AssociateAccessPolicy'));
    expect(JSON.stringify(association.Properties.Create)).toMatch(/\\"namespaces\\":\[\\"argocd\\",\\"main\\"\]/);
  });
});

describe('the GitHub App\'s secret, as with a self-managed Argo CD', () => {
  test('the bootstrap copies it into argocd-notifications-secret, each key named: a missing one is the ExternalSecret\'s Ready=False', () => {
    const bootstrap = new ArgoCdBootstrapChart(new App(), 'bootstrap', { platform: PLATFORM });
    const objects = bootstrap.notificationsCredentials!.map((o) => o.toJson());
    expect(schemaErrors(objects)).toEqual([]);
    const externalSecret = objects.find((o) => o.kind === 'ExternalSecret');
    expect(externalSecret.metadata).toEqual({ name: 'sandbox-deploy-feedback', namespace: 'argocd' });
    expect(externalSecret.spec.target).toEqual({ name: 'argocd-notifications-secret', creationPolicy: 'Owner' });
    expect(externalSecret.spec.data.map((d: any) => d.remoteRef)).toEqual(
      ['githubAppID', 'githubAppInstallationID', 'githubAppPrivateKey'].map((property) => ({ key: 'sandbox/argocd/deploy-feedback', property })),
    );
    // The Secret the controller reads, and the keys its service names.
    expect(externalSecret.spec.target.name).toBe(NOTIFICATIONS_CONTROLLER_RULES.find((r) => r.rule.resources!.includes('secrets'))!.rule.resourceNames![0]);
    const service = parse(CHART.configMap.toJson().data['service.github']);
    expect(Object.values(service)).toEqual(externalSecret.spec.data.map((d: any) => `$${d.secretKey}`));
    // The tree's bootstrap holds them too, and builds.
    const tree = writeTree(FILES);
    const built = kustomize(tree, PLATFORM.argocd.bootstrapPath);
    for (const object of objects) expect(built).toContainEqual(object);
  });

  test('the stack applies that bootstrap with the capability, names the secret to create and its reader role, and installs no Argo CD', () => {
    const [template] = platformStackTemplates([PLATFORM]);
    expect(template.Outputs.DeployFeedbackSecretName.Value).toBe('sandbox/argocd/deploy-feedback');
    expect(template.Outputs.FeedbackReaderRoleArn).toBeDefined();
    const resources = Object.values<any>(template.Resources);
    expect(resources.filter((r) => r.Type === 'AWS::EKS::Capability')).toHaveLength(1);
    expect(resources.filter((r) => r.Type === 'Custom::AWSCDK-EKS-HelmChart' && r.Properties.Chart === 'argo-cd')).toEqual([]);
    const applied = JSON.stringify(resources.filter((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource').map((r) => r.Properties.Manifest));
    expect(applied).toContain('argocd-notifications-secret');
    // The controller itself is the tree's (its child Application), not the stack's.
    expect(applied).not.toContain('argocd-notifications-controller');
  });

  test('the argocd-cli Application subscribes to the three triggers and names its repository, as with a self-managed Argo CD', () => {
    const annotations = feedbackAnnotations(PLATFORM, PLATFORM.apps[0]);
    expect(Object.keys(annotations).filter((k) => k.startsWith('notifications.argoproj.io/subscribe.'))).toHaveLength(3);
    expect(annotations['cdk-eks-gitops.io/release-repository']).toBe('https://github.com/example-org/sandbox-app.git');
  });
});
