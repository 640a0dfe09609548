// The EKS managed Argo CD's documented limits (argocd.managed: true), checked before deploy: what the
// spec can ask for and the capability cannot do is refused by `validate`, naming the page, and what
// the platform itself generates adapts. The pages (EKS user guide, read 2026-12-02; their sources are
// awsdocs/amazon-eks-user-guide, latest/ug/capabilities/<page>.adoc):
//
// "Comparing EKS Capability for Argo CD to self-managed Argo CD"
// (https://docs.aws.amazon.com/eks/latest/userguide/argocd-comparison.html), "Unsupported features":
//   "Config Management Plugins (CMPs) for custom manifest generation", "Custom Lua scripts for resource
//   health assessment", "The Notifications controller", "Direct access to `argocd-cm`, `argocd-params`,
//   and other configuration ConfigMaps", "Modifying the sync timeout (fixed at 120 seconds)";
//   "Namespace support": "The capability requires you to specify a single namespace where Argo CD
//   Application, ApplicationSet, and AppProject custom resources must be created."
// "Working with Argo CD Projects" (https://docs.aws.amazon.com/eks/latest/userguide/argocd-projects.html):
//   "When using the EKS Argo CD capability, the `spec.sourceNamespaces` field is **required** in your
//   custom AppProject definition."
// "Argo CD considerations" (https://docs.aws.amazon.com/eks/latest/userguide/argocd-considerations.html):
//   "EKS Capabilities integration with AWS Identity Center supports up to 1,000 identities per Argo CD
//   capability."
// "Configure Argo CD settings" (https://docs.aws.amazon.com/eks/latest/userguide/argocd-configure-settings.html),
//   which contradicts the comparison's list: the capability reads a subset of argocd-cm from the
//   cluster, `resource.customizations.health.<group>_<kind>` among it, and filters
//   `kustomize.buildOptions` to `--reorder`, `--enable-helm` and `--enable-managedby-label`: "The
//   capability drops any other flag, including `--load-restrictor`, `--enable-exec`, and
//   `--enable-alpha-plugins`."
// "EKS Capabilities" (https://docs.aws.amazon.com/eks/latest/userguide/capabilities.html): "These
//   capabilities run within EKS rather than in your clusters, eliminating the need to install, maintain,
//   and scale critical platform components on your worker nodes."
// "Send notifications for Argo CD Applications" (https://docs.aws.amazon.com/eks/latest/userguide/argocd-notifications.html,
//   read 2026-12-03), which contradicts the comparison's list too: "The EKS Capability for Argo CD runs a
//   managed notifications controller", configured by an `argocd-notifications-cm` in the Argo CD
//   namespace that carries an opt-in label. Deploy feedback does not rely on it: the platform runs
//   Argo CD's notifications controller itself (test/k8s/notifications-controller.test.ts), which
//   `cluster.controllers.argocdNotifications` then sizes; without deploy feedback it is refused below.
//
// The sync timeout is read as upstream's `controller.sync.timeout.seconds` ("Specifies a sync timeout
// for applications", argocd-cmd-params-cm; the proposal "Sync Operation Timeout & Termination
// Settings": "If the sync operation exceeds this timeout, it will be terminated"): it counts from the
// start of the sync operation, and terminating deletes the hooks still running.
//
// Already covered elsewhere: destinations by cluster ARN and the cluster's registration
// (test/aws/platform-stack.test.ts, "the bootstrap registers the cluster by its ARN ..."), hub and
// spokes (test/model/hub.test.ts, test/aws/hub.test.ts, test/manifests/hub-tree.test.ts).
import { execFileSync } from 'child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { BUILT_IN_ADDONS } from '../../lib/addons/built-in';
import { ManifestRepository } from '../../lib/manifests/manifest-repository';
import { validateSpec } from '../../lib/model/validate';
import {
  ARGOCD_CONTROLLER_KEYS,
  MANAGED_ARGOCD_DOCS,
  MANAGED_ARGOCD_SYNC_TIMEOUT_SECONDS,
  MANAGED_DATABASE_USER_DEADLINE_SECONDS,
  MANAGED_MIGRATION_DEADLINE_SECONDS,
} from '../../lib/model/validate/managed-argocd';
import type { GeneratedFile } from '../../lib/output/generated-file';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { UPSTREAM_URLS, UPSTREAM_VERSIONS } from '../../lib/versions';
import { repoPath, sandboxSpec, upstreamPath } from '../fixtures';
import { crdValidator } from '../support/crd-schemas';
import { kustomizationDirs, parseYaml, writeTree } from '../support/manifest-checks';

const example = (name: string): any => JSON.parse(JSON.stringify(PlatformSpecLoader.fromFile(repoPath('examples', name, 'platform.yaml'))));
const managedExample = () => example('managed-argocd');
const problems = (spec: any) => validateSpec(spec, BUILT_IN_ADDONS).map((p) => `${p.path}: ${p.message}`);
const treeOf = (spec: any): GeneratedFile[] => new ManifestRepository(Platform.resolve(PlatformSpecLoader.fromObject(spec))).manifestFiles();
const hubTree = (spec: any): GeneratedFile[] =>
  ManifestRepository.forEnvironments(Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec))).manifestFiles();
const objectsOf = (files: GeneratedFile[]) => files.filter((f) => f.path.endsWith('.yaml')).flatMap((f) => parseYaml(f.content)).filter((o) => o?.kind);
const COMPARISON = `EKS user guide, "${MANAGED_ARGOCD_DOCS.comparison.title}"`;

describe('refused: what the spec can ask for and the managed Argo CD cannot do', () => {
  test('the managed example, and the hub example, are valid', () => {
    expect(problems(managedExample())).toEqual([]);
    expect(problems(example('hub-and-spokes'))).toEqual([]);
  });

  test('config management plugins: the vault-plugin backend is refused, naming the comparison page', () => {
    const spec = managedExample();
    spec.secrets = { backend: 'vault-plugin', vault: { address: 'https://vault.example.com:8200' } };
    expect(problems(spec)).toEqual([
      `secrets.backend: 'vault-plugin' cannot work with argocd.managed: true: the EKS managed Argo CD runs no config management plugins (${COMPARISON}); use 'vault' (External Secrets' Vault provider) instead`,
    ]);
    spec.argocd = {};
    expect(problems(spec)).toEqual([]);
  });

  test(`the sync timeout (fixed at ${MANAGED_ARGOCD_SYNC_TIMEOUT_SECONDS} s): a migration allowed longer than ${MANAGED_MIGRATION_DEADLINE_SECONDS} s is refused`, () => {
    const spec = managedExample();
    spec.apps[0].migration.deadlineSeconds = MANAGED_MIGRATION_DEADLINE_SECONDS + 1;
    expect(problems(spec)).toEqual([
      'apps[0].migration.deadlineSeconds: 91 is longer than the EKS managed Argo CD lets the migration run: its sync timeout is fixed at 120 s ' +
        `from the start of the sync, retries included (${COMPARISON}), so a PreSync migration still running then is deleted and every release fails. ` +
        'Give at most 90 (the default with argocd.managed: true), or run a longer migration with a self-managed Argo CD (argocd.managed: false)',
    ]);
    // The limit itself, and any deadline with a self-managed Argo CD (no sync timeout by default), pass.
    spec.apps[0].migration.deadlineSeconds = MANAGED_MIGRATION_DEADLINE_SECONDS;
    expect(problems(spec)).toEqual([]);
    const selfManaged = sandboxSpec();
    selfManaged.apps[0].migration.deadlineSeconds = 3600;
    expect(problems(selfManaged)).toEqual([]);
  });

  test(`with a database, the Job that creates its user runs first in the same sync: the migration gets ${MANAGED_DATABASE_USER_DEADLINE_SECONDS} s less`, () => {
    const spec = managedExample();
    spec.apps[0].database = { engine: 'postgresql' };
    // The database sets the connection's variables the example maps from its own secret.
    delete spec.apps[0].secret;
    delete spec.apps[0].containers[0].secretEnv;
    delete spec.apps[0].migration.secretEnv;
    delete spec.apps[0].migration.deadlineSeconds;
    expect(problems(spec)).toEqual([]);
    const [app] = Platform.resolve(PlatformSpecLoader.fromObject(spec)).apps;
    expect(app.database!.userJob.deadlineSeconds).toBe(MANAGED_DATABASE_USER_DEADLINE_SECONDS);
    // Both Jobs together keep the 30 s the rest of the sync needs.
    expect(app.migration!.deadlineSeconds).toBe(MANAGED_MIGRATION_DEADLINE_SECONDS - MANAGED_DATABASE_USER_DEADLINE_SECONDS);
    expect(app.database!.userJob.deadlineSeconds + app.migration!.deadlineSeconds).toBe(MANAGED_ARGOCD_SYNC_TIMEOUT_SECONDS - 30);
    spec.apps[0].migration.deadlineSeconds = MANAGED_MIGRATION_DEADLINE_SECONDS;
    expect(problems(spec)).toEqual([
      'apps[0].migration.deadlineSeconds: 90 is longer than the EKS managed Argo CD lets the migration run: its sync timeout is fixed at 120 s ' +
        `from the start of the sync, retries included (${COMPARISON}), after the 30 s of the PreSync Job that creates the database's user, so a PreSync migration still running then is deleted and every release fails. ` +
        'Give at most 60 (the default with argocd.managed: true), or run a longer migration with a self-managed Argo CD (argocd.managed: false)',
    ]);
  });

  test('the sync timeout with a hub: refused there too', () => {
    const spec = example('hub-and-spokes');
    spec.apps[0].migration.deadlineSeconds = 600;
    expect(problems(spec)).toEqual([expect.stringMatching(/^apps\[0\]\.migration\.deadlineSeconds: 600 is longer than the EKS managed Argo CD lets the migration run/)]);
  });

  test('Argo CD\'s workloads run in EKS, not on the nodes: sizing one in cluster.controllers is refused, naming the "EKS Capabilities" page', () => {
    // Exactly the workloads of the stack's Helm install (ArgoCdInstall's values), the notifications controller among them.
    expect(ARGOCD_CONTROLLER_KEYS).toEqual([
      'argocdApplicationController',
      'argocdRepoServer',
      'argocdServer',
      'argocdApplicationSet',
      'argocdNotifications',
      'argocdDex',
      'argocdRedis',
    ]);
    const spec = managedExample();
    spec.cluster.controllers = { argocdNotifications: { memoryLimit: '256Mi' }, argocdRepoServer: {}, externalSecrets: { cpuRequest: '100m' } };
    expect(problems(spec)).toEqual([
      'cluster.controllers.argocdNotifications: sizes argocd-notifications-controller, a workload of the Argo CD the stack installs, but with ' +
        'argocd.managed: true no Argo CD runs on the cluster: the EKS managed Argo CD runs in EKS, not on the nodes, and AWS sizes it ' +
        `(EKS user guide, "${MANAGED_ARGOCD_DOCS.capabilities.title}"); remove it (it sizes only the notifications controller the platform runs ` +
        'itself with argocd.deployFeedback on), or use a self-managed Argo CD (argocd.managed: false)',
    ]);
    // With deploy feedback on, the platform runs that controller, and the entry sizes it (test/k8s/notifications-controller.test.ts).
    expect(problems({ ...spec, argocd: { ...spec.argocd, deployFeedback: { enabled: true } }, apps: [{ ...spec.apps[0], delivery: 'argocd-cli', imageUpdate: undefined }] })).toEqual([]);
    // An empty entry asks nothing; the controllers of what does run on the cluster (External Secrets) stay; self-managed, all pass.
    delete spec.cluster.controllers.argocdNotifications;
    expect(problems(spec)).toEqual([]);
    const selfManaged = sandboxSpec();
    selfManaged.cluster.controllers = Object.fromEntries(ARGOCD_CONTROLLER_KEYS.map((key) => [key, { memoryLimit: '512Mi' }]));
    expect(problems(selfManaged)).toEqual([]);
  });

  test('Argo CD\'s workloads with a hub: refused in every environment, the spoke\'s included', () => {
    const spec = example('hub-and-spokes');
    spec.cluster.controllers = { argocdServer: { cpuRequest: '100m' } };
    expect(problems(spec)).toEqual([expect.stringMatching(/^cluster\.controllers\.argocdServer: sizes argocd-server, a workload of the Argo CD the stack installs/)]);
    // The spoke's own override: nothing of Argo CD runs there at all.
    delete spec.cluster.controllers;
    spec.environments[1].cluster.controllers = { argocdRedis: { memoryLimit: '512Mi' } };
    expect(problems(spec)).toEqual([expect.stringMatching(/^environments\[1\]\.cluster\.controllers\.argocdRedis: sizes argocd-redis, /)]);
  });

  test('Identity Center: more than 1,000 admin groups are refused, naming the considerations page', () => {
    const spec = managedExample();
    const group = (i: number) => `9067d4d8-1091-70a3-2c8e-${String(i).padStart(12, '0')}`;
    spec.argocd.identityCenter.adminGroupIds = Array.from({ length: 1000 }, (_, i) => group(i));
    expect(problems(spec)).toEqual([]);
    spec.argocd.identityCenter.adminGroupIds.push(group(1000));
    expect(problems(spec)).toEqual([
      `argocd.identityCenter.adminGroupIds: lists 1001 groups, but the EKS managed Argo CD maps at most 1000 Identity Center identities (EKS user guide, "${MANAGED_ARGOCD_DOCS.considerations.title}"); map fewer groups`,
    ]);
  });
});

describe('adapted: what the platform generates for the managed Argo CD', () => {
  test(`a migration without a deadline gets ${MANAGED_MIGRATION_DEADLINE_SECONDS} s under the managed Argo CD, 600 s otherwise`, () => {
    const jobDeadline = (files: GeneratedFile[]) => objectsOf(files).find((o) => o.kind === 'Job').spec.activeDeadlineSeconds;
    const managed = managedExample();
    delete managed.apps[0].migration.deadlineSeconds;
    expect(jobDeadline(treeOf(managed))).toBe(MANAGED_MIGRATION_DEADLINE_SECONDS);
    // The hub example gives no deadline: the Job, in the base every environment shares, fits the hub's sync timeout.
    const hubJobs = objectsOf(hubTree(example('hub-and-spokes'))).filter((o) => o.kind === 'Job');
    expect(hubJobs.map((j) => j.spec.activeDeadlineSeconds)).toEqual([MANAGED_MIGRATION_DEADLINE_SECONDS]);
    const selfManaged = sandboxSpec();
    delete selfManaged.apps[0].migration.deadlineSeconds;
    expect(jobDeadline(treeOf(selfManaged))).toBe(600);
  });

  test('one namespace: every Application and AppProject is in Argo CD\'s namespace, the capability\'s, and the project lists it in sourceNamespaces', () => {
    const spec = managedExample();
    spec.argocd.namespace = 'gitops';
    const objects = objectsOf(treeOf(spec));
    const argo = objects.filter((o) => o.apiVersion === 'argoproj.io/v1alpha1');
    expect(new Set(argo.map((o) => o.kind))).toEqual(new Set(['AppProject', 'Application']));
    expect(argo.filter((o) => o.metadata.namespace !== 'gitops')).toEqual([]);
    const [project] = argo.filter((o) => o.kind === 'AppProject');
    expect(project.spec.sourceNamespaces).toEqual(['gitops']);
    // The field is the AppProject CRD's (Argo CD v3.5.1).
    expect(crdValidator().validate(project)).toEqual([]);
    expect(objectsOf(treeOf(sandboxSpec())).find((o) => o.kind === 'AppProject').spec.sourceNamespaces).toBeUndefined();
  });

  test('with a hub, every environment\'s project, all in the hub\'s Argo CD namespace, lists that namespace', () => {
    const projects = objectsOf(hubTree(example('hub-and-spokes'))).filter((o) => o.kind === 'AppProject');
    expect(projects.map((p) => [p.metadata.namespace, p.spec.sourceNamespaces])).toEqual([
      ['argocd', ['argocd']],
      ['argocd', ['argocd']],
    ]);
  });

  test('no argocd-cm, no Notifications: the tree configures nothing the capability owns', () => {
    const managed = objectsOf(treeOf(managedExample()));
    expect(managed.filter((o) => o.kind === 'ConfigMap' && /^argocd-(cm|cmd-params-cm|notifications-cm)$/.test(o.metadata.name))).toEqual([]);
    // With deploy feedback, argocd-notifications-cm is the platform's own controller's, without a label of the capability.
    const feedback = objectsOf(treeOf(example('managed-feedback'))).filter((o) => o.kind === 'ConfigMap' && /^argocd-/.test(o.metadata.name));
    expect(feedback.map((o) => [o.metadata.name, Object.keys(o.metadata.labels).every((key) => key.startsWith('app.kubernetes.io/'))])).toEqual([['argocd-notifications-cm', true]]);
    // The self-managed install carries the Application health check the waves wait on.
    const selfManaged = objectsOf(treeOf(sandboxSpec())).find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'argocd-cm');
    expect(Object.keys(selfManaged.data)).toEqual(['resource.customizations.health.argoproj.io_Application']);
  });

  test('without the Application health check, the migration still waits for its Secret: its pod reads it by secretKeyRef', () => {
    const objects = objectsOf(treeOf(managedExample()));
    const job = objects.find((o) => o.kind === 'Job');
    const secret = objects.find((o) => o.kind === 'ExternalSecret' && o.metadata.namespace === job.metadata.namespace).spec.target.name;
    expect(secret).toBe('database-secrets');
    const refs = job.spec.template.spec.containers.flatMap((c: any) => (c.env ?? []).map((e: any) => e.valueFrom?.secretKeyRef));
    expect(refs.length).toBeGreaterThan(0);
    // Not optional: the kubelet does not start the container until External Secrets has written the Secret.
    expect(refs.every((r: any) => r?.name === secret && r.optional !== true)).toBe(true);
  });

  test.each(['managed-argocd', 'managed-feedback'])('kustomize.buildOptions: every kustomization of the managed tree of examples/%s builds with no flags (the capability drops --load-restrictor and the rest)', (name) => {
    const files = treeOf(example(name));
    // The deploy feedback example's notifications controller (argocd/notifications/) among them.
    if (name === 'managed-feedback') expect(files.map((f) => f.path)).toContain('argocd/notifications/kustomization.yaml');
    const root = writeTree(files);
    const local: { [url: string]: string } = {
      [UPSTREAM_URLS.imageUpdaterInstall]: upstreamPath(`argocd-image-updater-${UPSTREAM_VERSIONS.imageUpdater}`, 'install.yaml'),
    };
    const dirs = kustomizationDirs(root);
    expect(dirs.length).toBeGreaterThan(3);
    for (const dir of dirs) {
      // A pinned remote base becomes a copy inside the kustomization's own directory (nothing is reachable here).
      const path = join(root, dir, 'kustomization.yaml');
      let text = readFileSync(path, 'utf8');
      for (const [url, file] of Object.entries(local)) {
        if (!text.includes(url)) continue;
        copyFileSync(file, join(root, dir, 'upstream-install.yaml'));
        text = text.split(url).join('upstream-install.yaml');
      }
      expect(text).not.toMatch(/https?:\/\//);
      writeFileSync(path, text);
      const built = execFileSync('kubectl', ['kustomize', join(root, dir)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      expect({ dir, objects: parseYaml(built).length > 0 }).toEqual({ dir, objects: true });
    }
  });
});
