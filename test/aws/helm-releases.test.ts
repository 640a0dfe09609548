import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BUILT_IN_ADDONS } from '../../lib/addons/built-in';
import { KARPENTER_CRD_FILES } from '../../lib/addons/karpenter/karpenter-crds';
import { ALB_CONTROLLER_CRD_FILES } from '../../lib/addons/load-balancer-controller/load-balancer-controller-crds';
import { AVP_HOME, AVP_PLUGINS, AVP_SERVICE_ACCOUNT } from '../../lib/addons/vault-plugin/argocd-vault-plugin';
import { HELM_WAIT_TIMEOUT } from '../../lib/aws/helm-release';
import { notificationsValues } from '../../lib/k8s/argocd/notifications';
import { CONTROLLER_DEFAULTS } from '../../lib/model/controllers';
import type { ResolvedPlatform } from '../../lib/model/resolved';
import { validateSpec } from '../../lib/model/validate';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { UPSTREAM_URLS, UPSTREAM_VERSIONS } from '../../lib/versions';
import { repoPath, sandboxSpec } from '../fixtures';
import { chartCrds, chartDefaults, chartFilePaths, chartFileText, chartsDir, K8sObject, renderRelease, yamlDocuments } from '../support/helm';
import { leafPaths, podSpecOf, TemplateRelease, templateReleases, valueAt, withoutPath, withPath } from '../support/helm-releases';
import { environmentContext, EvalContext, resolveIntrinsics, resolveRole, trustAdmits } from '../support/iam-eval';
import { platformStackTemplates } from '../support/platform-templates';

/*
 * Every Helm release of the stack, rendered by the helm of the kubectl layer (the binary the stack's
 * kubectl provider runs) from the packaged charts, with the values of the synthesized template's
 * Custom::AWSCDK-EKS-HelmChart resources, for the sandbox, managed Argo CD, two-environment,
 * argocd-vault-plugin, Pod Identity, deploy feedback and Karpenter platforms.
 */

const fromFile = (dir: string) => PlatformSpecLoader.fromFile(repoPath('examples', dir, 'platform.yaml'));
const resolveSpec = (spec: any) => Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec));

const PLATFORMS: { [name: string]: () => ResolvedPlatform[] } = {
  'sandbox': () => Platform.resolveEnvironments(fromFile('sandbox')),
  'managed-argocd': () => Platform.resolveEnvironments(fromFile('managed-argocd')),
  'two-environments': () => Platform.resolveEnvironments(fromFile('two-environments')),
  // The sandbox with deploy feedback on: the argo-cd release's notifications values.
  'deploy-feedback': () => Platform.resolveEnvironments(fromFile('previews')),
  'vault-plugin': () => {
    const spec = sandboxSpec();
    spec.secrets = { backend: 'vault-plugin', vault: { address: 'https://vault.example.com:8200', role: 'argocd' } };
    return resolveSpec(spec);
  },
  'pod-identity': () => {
    const spec = sandboxSpec();
    spec.workloadIdentity = 'pod-identity';
    return resolveSpec(spec);
  },
  'karpenter': () => Platform.resolveEnvironments(fromFile('karpenter')),
};

/** One environment's stack: its template, where it is deployed, and its releases. */
interface Environment {
  readonly variant: string;
  readonly platform: ResolvedPlatform;
  readonly template: any;
  readonly context: EvalContext;
  readonly releases: TemplateRelease[];
}

function environmentsOf(variant: string, platforms: ResolvedPlatform[]): Environment[] {
  // Each platform's stack as bin/app.ts builds it (the others its spokes), synthesized once per run.
  const templates = platformStackTemplates(platforms);
  return platforms.map((platform, i) => {
    const template = templates[i];
    const context = environmentContext(platform.account, platform.region, platform.cluster.name);
    return { variant, platform, template, context, releases: templateReleases(template, context) };
  });
}

const ENVIRONMENTS: Environment[] = Object.entries(PLATFORMS).flatMap(([variant, platforms]) => environmentsOf(variant, platforms()));
const RELEASES = ENVIRONMENTS.flatMap((environment) => environment.releases.map((release) => ({ environment, release })));

const rendered = new Map<TemplateRelease, K8sObject[]>();
beforeAll(async () => {
  chartsDir(); // one line saying where the charts go, when they are not there
  await Promise.all(RELEASES.map(async ({ release }) => rendered.set(release, await renderRelease(release))));
});

const objectsOf = (release: TemplateRelease) => rendered.get(release)!;
const releasesOf = (chart: string) => RELEASES.filter(({ release }) => release.chart === chart);
const workloads = (objects: K8sObject[]) => objects.filter((o) => podSpecOf(o));
const containersOf = (workload: K8sObject) => [...(podSpecOf(workload)!.initContainers ?? []), ...podSpecOf(workload)!.containers];
const find = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

describe('the releases', () => {
  test('every variant installs the charts it should, each one of the packaged charts', () => {
    const byVariant = Object.fromEntries(
      Object.keys(PLATFORMS).map((variant) => [variant, RELEASES.filter((r) => r.environment.variant === variant).map((r) => `${r.release.chart}-${r.release.version}`).sort()]),
    );
    const all = ['argo-cd-10.1.1', 'aws-load-balancer-controller-3.5.0', 'external-secrets-2.9.0'];
    expect(byVariant).toEqual({
      'sandbox': all,
      // The EKS managed Argo CD is a capability, not a release.
      'managed-argocd': ['aws-load-balancer-controller-3.5.0', 'external-secrets-2.9.0'],
      'two-environments': [...all, ...all].sort(),
      'deploy-feedback': all,
      'vault-plugin': all,
      'pod-identity': all,
      'karpenter': [...all, 'karpenter-1.14.1'].sort(),
    });
    expect(RELEASES).toHaveLength(24);
  });

  test('without the packaged charts, one line says which are missing and where they go', () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-charts-'));
    expect(() => chartsDir(empty)).toThrow(
      new RegExp(`^the packaged Helm charts are not in ${empty} \\(missing argo-cd-10\\.1\\.1\\.tgz, external-secrets-2\\.9\\.0\\.tgz, aws-load-balancer-controller-3\\.5\\.0\\.tgz\\): put there`),
    );
    const message = (() => {
      try {
        chartsDir(empty);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message.split('\n')).toHaveLength(1);
  });

  test('each renders: workloads, and no object without a kind', () => {
    for (const { release } of RELEASES) {
      expect(workloads(objectsOf(release)).length).toBeGreaterThan(0);
      expect(objectsOf(release).filter((o) => !o.kind || !o.apiVersion)).toEqual([]);
    }
  });

  test('images are the pinned versions (lib/versions.ts), the rest the charts\' own defaults', () => {
    const argoDefaults = chartDefaults('argo-cd', '10.1.1');
    const chartImage = (image: any) => `${image.repository}:${image.tag}`;
    for (const { release } of RELEASES) {
      const images = new Set(workloads(objectsOf(release)).flatMap((w) => containersOf(w).map((c) => c.image)));
      if (release.chart === 'argo-cd') {
        const expected = [`quay.io/argoproj/argocd:${UPSTREAM_VERSIONS.argoCd}`, chartImage(argoDefaults.dex.image), chartImage(argoDefaults.redis.image)];
        // argocd-vault-plugin's sidecars run the Argo CD image; its download step runs curl.
        if (release.values.repoServer?.extraContainers) expected.push('curlimages/curl:8.11.1');
        expect([...images].sort()).toEqual(expected.sort());
      } else if (release.chart === 'external-secrets') {
        // The chart's image (values.yaml image.repository, tag "" = its appVersion, which is its own
        // version: Chart.yaml 2.9.0, appVersion v2.9.0).
        expect([...images]).toEqual([`${chartDefaults('external-secrets', '2.9.0').image.repository}:v${UPSTREAM_VERSIONS.externalSecretsChart}`]);
      } else if (release.chart === 'karpenter') {
        // The chart's repository (values.yaml controller.image.repository), at this version, without
        // the chart's digest (that of 1.13.0, the version its Chart.yaml at the tag still names).
        expect(chartDefaults('karpenter', UPSTREAM_VERSIONS.karpenter).controller.image.repository).toBe(UPSTREAM_URLS.karpenterImageRepository);
        expect([...images]).toEqual([`${UPSTREAM_URLS.karpenterImageRepository}:${UPSTREAM_VERSIONS.karpenter}`]);
      } else {
        expect([...images]).toEqual([`${UPSTREAM_URLS.albControllerImageRepository}:${UPSTREAM_VERSIONS.albController}`]);
      }
    }
  });

  test('every workload\'s ServiceAccount exists, and each one annotated with a role is trusted by that role', () => {
    let annotated = 0;
    for (const environment of ENVIRONMENTS) {
      const { template, context } = environment;
      // The ServiceAccounts the stack applies itself (the load balancer controller's, chart value
      // serviceAccount.create: false) and those the charts render.
      const applied = Object.values<any>(template.Resources)
        .filter((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource')
        .flatMap((r) => JSON.parse(String(resolveIntrinsics(r.Properties.Manifest, template, {}, context))))
        .filter((o: K8sObject) => o.kind === 'ServiceAccount');
      for (const release of environment.releases) {
        const objects = objectsOf(release);
        const accounts = [...objects.filter((o) => o.kind === 'ServiceAccount').map((o) => ({ ...o, metadata: { namespace: release.namespace, ...o.metadata } })), ...applied];
        for (const workload of workloads(objects)) {
          const name = podSpecOf(workload)!.serviceAccountName ?? 'default';
          const account = accounts.find((a) => a.metadata.name === name && a.metadata.namespace === release.namespace);
          // Every namespace has its `default` ServiceAccount (argo-cd's Redis runs as it).
          expect({ workload: workload.metadata.name, account: account?.metadata.name ?? (name === 'default' ? 'default' : undefined) }).toEqual({ workload: workload.metadata.name, account: name });
          const roleArn = account?.metadata.annotations?.['eks.amazonaws.com/role-arn'];
          if (!roleArn) continue;
          annotated++;
          const role = roleOf(template, context, roleArn);
          const issuer = context.issuer;
          const claims = (subject: string) => ({ [`${issuer}:sub`]: subject, [`${issuer}:aud`]: 'sts.amazonaws.com' });
          const provider = `arn:aws:iam::${context.account}:oidc-provider/${issuer}`;
          const subject = `system:serviceaccount:${release.namespace}:${name}`;
          expect({ subject, trusted: trustAdmits(role.AssumeRolePolicyDocument, provider, claims(subject)) }).toEqual({ subject, trusted: true });
          expect(trustAdmits(role.AssumeRolePolicyDocument, provider, claims(`${subject}-other`))).toBe(false);
        }
      }
    }
    // The load balancer controller's, in each of the eight environments, and Karpenter's.
    expect(annotated).toBe(ENVIRONMENTS.length + 1);
    expect(ENVIRONMENTS).toHaveLength(8);
  });
});

/** The role an annotation names: `<Logical.Arn>` (a role without a name), or the ARN of a named role. */
function roleOf(template: any, context: EvalContext, arn: string): any {
  const byRef = /^<(.+)\.Arn>$/.exec(arn);
  const entry = Object.entries<any>(template.Resources).find(([id, r]) => {
    if (r.Type !== 'AWS::IAM::Role') return false;
    if (byRef) return id === byRef[1];
    return `arn:aws:iam::${context.account}:role/${resolveIntrinsics(r.Properties.RoleName, template, {}, context)}` === arn;
  });
  if (!entry) throw new Error(`no role in the template for ${arn}`);
  return resolveRole(entry[1].Properties, template, {}, context);
}

/**
 * Where each `resources` value the stack sets must land: chart, values path, workload kind and name,
 * container. The chart keys are those of each chart's values.yaml (argo-cd 10.1.1:
 * `<component>.resources`, `dex.initImage.resources`, `repoServer.copyutil.resources`,
 * `redisSecretInit.resources`; external-secrets 2.9.0: `resources`, `certController.resources`,
 * `webhook.resources`; aws-load-balancer-controller 3.5.0: `resources`; karpenter 1.14.1: `controller.resources`).
 */
const RESOURCE_TARGETS: [string, string, string, string, string][] = [
  ['argo-cd', 'controller.resources', 'StatefulSet', 'argocd-application-controller', 'application-controller'],
  ['argo-cd', 'repoServer.resources', 'Deployment', 'argocd-repo-server', 'repo-server'],
  ['argo-cd', 'repoServer.copyutil.resources', 'Deployment', 'argocd-repo-server', 'copyutil'],
  ['argo-cd', 'server.resources', 'Deployment', 'argocd-server', 'server'],
  ['argo-cd', 'applicationSet.resources', 'Deployment', 'argocd-applicationset-controller', 'applicationset-controller'],
  ['argo-cd', 'notifications.resources', 'Deployment', 'argocd-notifications-controller', 'notifications-controller'],
  ['argo-cd', 'dex.resources', 'Deployment', 'argocd-dex-server', 'dex-server'],
  ['argo-cd', 'dex.initImage.resources', 'Deployment', 'argocd-dex-server', 'copyutil'],
  ['argo-cd', 'redis.resources', 'Deployment', 'argocd-redis', 'redis'],
  ['argo-cd', 'redisSecretInit.resources', 'Job', 'argocd-redis-secret-init', 'secret-init'],
  ['external-secrets', 'resources', 'Deployment', 'external-secrets', 'external-secrets'],
  ['external-secrets', 'certController.resources', 'Deployment', 'external-secrets-cert-controller', 'cert-controller'],
  ['external-secrets', 'webhook.resources', 'Deployment', 'external-secrets-webhook', 'webhook'],
  ['aws-load-balancer-controller', 'resources', 'Deployment', 'aws-load-balancer-controller', 'aws-load-balancer-controller'],
  ['karpenter', 'controller.resources', 'Deployment', 'karpenter', 'controller'],
];

describe('no values key is ignored', () => {
  test('each resources value is the resources of its container, exactly', () => {
    for (const { release } of RELEASES) {
      const targets = RESOURCE_TARGETS.filter(([chart]) => chart === release.chart);
      // Every resources value of the stack has its row.
      const set = leafPaths(release.values)
        .filter((path) => path.includes('resources'))
        .map((path) => path.slice(0, path.lastIndexOf('resources') + 1).join('.'));
      expect([...new Set(set)].sort()).toEqual(targets.map(([, path]) => path).sort());
      for (const [, path, kind, name, containerName] of targets) {
        const container = containersOf(find(objectsOf(release), kind, name)!).find((c) => c.name === containerName);
        expect({ path, resources: container?.resources }).toEqual({ path, resources: valueAt(release.values, path.split('.')) });
      }
    }
  });

  /*
   * For each leaf key the stack sets (lists count as leaves), removing it must change what helm
   * renders (or make the chart refuse to render); a key set to the chart's own default must change
   * the output when set otherwise. The resources values are proven by the test above (each equals
   * what its container renders, where the chart's default is none). One key is exempt, with its
   * proof below: the load balancer controller's keepTLSSecret, read only through `lookup`, which
   * `helm template` answers with nothing.
   */
  const LOOKUP_ONLY = new Set(['aws-load-balancer-controller:keepTLSSecret']);

  /*
   * Argo CD's chart writes its three CRDs from templates/crds/, about 1.9 MB of the 2 MB of a render,
   * and those templates read no value outside `crds` (the test after this one checks it in the
   * pinned chart). So removing any other key cannot change them: those checks compare renders with
   * `crds.install: false` (base and changed alike), each about a third of the CPU of a whole render.
   */
  const CRD_TEMPLATES = { chart: 'argo-cd', dir: 'templates/crds/', values: 'crds' };
  const apartFromCrds = (chart: string, path: string[]) => chart === CRD_TEMPLATES.chart && path[0] !== CRD_TEMPLATES.values;

  test('removing each key changes the rendered output', async () => {
    const seen = new Set<string>();
    const checks: Promise<string | undefined>[] = [];
    for (const { release } of RELEASES) {
      const defaults = chartDefaults(release.chart, release.version);
      for (const path of leafPaths(release.values)) {
        const name = `${release.chart}:${path.join('.')}`;
        const value = valueAt(release.values, path);
        // The same key with the same value has the same effect in another variant's values.
        const key = `${name}=${JSON.stringify(value)}`;
        if (seen.has(key) || LOOKUP_ONLY.has(name) || path.includes('resources')) continue;
        seen.add(key);
        const apart = apartFromCrds(release.chart, path);
        const render = (values: Record<string, any>) =>
          renderedOrError({ ...release, values: apart ? withPath(values, [CRD_TEMPLATES.values, 'install'], false) : values });
        checks.push(
          (async () => {
            const base = apart ? await render(release.values) : JSON.stringify(objectsOf(release));
            const without = await render(withoutPath(release.values, path));
            if (without !== base) return undefined;
            if (JSON.stringify(valueAt(defaults, path)) !== JSON.stringify(value)) return `${name}: removing it changes nothing`;
            const changed = await render(withPath(release.values, path, otherValue(value)));
            return changed === base ? `${name}: the chart's default, and another value changes nothing` : undefined;
          })(),
        );
      }
    }
    const ignored = (await Promise.all(checks)).filter((problem) => problem !== undefined);
    expect(ignored).toEqual([]);
    // What was checked: the leaves besides resources of the three charts' values, the vault plugin's among them.
    expect(seen.size).toBeGreaterThan(20);
  });

  test("Argo CD's CRD templates read only the crds values, and crds.install: false leaves out exactly them", async () => {
    const version = UPSTREAM_VERSIONS.argoCdChart;
    const templates = chartFilePaths(CRD_TEMPLATES.chart, version).filter((path) => path.startsWith(CRD_TEMPLATES.dir));
    expect(templates.length).toBe(3);
    for (const path of templates) {
      const text = chartFileText(CRD_TEMPLATES.chart, version, path);
      const actions = text.match(/\{\{.*?\}\}/gs) ?? [];
      expect(actions.length).toBeGreaterThan(0);
      // No include, template or tpl (which could read any value), no $ or root context: only .Values.crds.*.
      // A bare .Values counts as a read of all of them (`index .Values "redis-ha"`, the chart's idiom).
      const reads = actions.flatMap((action) => action.match(/\.Values\b[\w.]*|\binclude\b|\btemplate\b|\btpl\b|\$|\.Release|\.Chart|\.Capabilities|\.Files/g) ?? []);
      expect({ path, others: reads.filter((read) => !read.startsWith(`.Values.${CRD_TEMPLATES.values}.`)) }).toEqual({ path, others: [] });
    }
    // With crds.install false a render holds everything but the three CRDs, unchanged.
    for (const { release } of releasesOf(CRD_TEMPLATES.chart)) {
      const whole = objectsOf(release);
      const apart = await renderRelease({ ...release, values: withPath(release.values, [CRD_TEMPLATES.values, 'install'], false) });
      expect(JSON.stringify(apart)).toBe(JSON.stringify(whole.filter((o) => o.kind !== 'CustomResourceDefinition')));
      expect(whole.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name).sort()).toEqual([
        'applications.argoproj.io',
        'applicationsets.argoproj.io',
        'appprojects.argoproj.io',
      ]);
    }
  });

  test('keepTLSSecret is read where the chart looks up the existing certificate Secret', () => {
    // templates/_helpers.tpl of chart 3.5.0: `lookup "v1" "Secret"`, then `else if and
    // .Values.keepTLSSecret (not .Values.enableCertManager) $secret` reuses its ca.crt, tls.crt, tls.key.
    const helpers = chartFileText('aws-load-balancer-controller', '3.5.0', 'templates/_helpers.tpl');
    expect(helpers).toMatch(/\$secret := lookup "v1" "Secret" \.Release\.Namespace \$secretName/);
    expect(helpers).toMatch(/else if and \.Values\.keepTLSSecret \(not \.Values\.enableCertManager\) \$secret -}}\s*caCert: {{ index \$secret\.data "ca\.crt" }}/);
  });
});

/** The rendered objects as JSON, or helm's error when the chart refuses the values. */
async function renderedOrError(request: TemplateRelease): Promise<string> {
  try {
    return JSON.stringify(await renderRelease(request));
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

/** A different value of the same type. */
function otherValue(value: any): any {
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'string') return /^\d/.test(value) ? `1${value}` : `${value}x`;
  if (Array.isArray(value)) return value.length ? [] : [{}];
  return { other: true };
}

describe('first deploy and upgrades', () => {
  test('the load balancer controller\'s Service mutator is off: no Service write waits for its pods', async () => {
    // Chart 3.5.0 values.yaml: enableServiceMutatorWebhook: true, serviceMutatorWebhookConfig
    // failurePolicy: Fail, operations [CREATE] on every Service (kubernetes-sigs/
    // aws-load-balancer-controller#4140: "no endpoints available for service
    // aws-load-balancer-webhook-service" while its pods start).
    const servicesHook = (objects: K8sObject[]) =>
      objects
        .filter((o) => o.kind === 'MutatingWebhookConfiguration')
        .flatMap((o) => o.webhooks)
        .filter((w: any) => w.rules.some((rule: any) => rule.resources.includes('services')));
    for (const { release } of releasesOf('aws-load-balancer-controller')) {
      expect(release.values.enableServiceMutatorWebhook).toBe(false);
      expect(servicesHook(objectsOf(release))).toEqual([]);
      // The chart's default, for contrast: the webhook every Service CREATE would go through.
      const chartDefault = await renderRelease({ ...release, values: withoutPath(release.values, ['enableServiceMutatorWebhook']) });
      expect(servicesHook(chartDefault)).toEqual([expect.objectContaining({ name: 'mservice.elbv2.k8s.aws', failurePolicy: 'Fail' })]);
    }
    // The mutator only acts on Services of type LoadBalancer, and the platform renders none.
    expect(RELEASES.flatMap(({ release }) => objectsOf(release)).filter((o) => o.kind === 'Service' && o.spec?.type === 'LoadBalancer')).toEqual([]);
  });

  test('every helm wait ends well before the kubectl provider\'s Lambda does', () => {
    for (const { environment, release } of RELEASES) {
      // The handler that runs helm (aws-cdk-lib aws-eks-v2 KubectlProvider: timeout 15 minutes).
      const handlers = Object.values<any>(environment.template.Resources).filter(
        (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Description === 'onEvent handler for EKS kubectl resource provider',
      );
      expect(handlers.map((h) => h.Properties.Timeout)).toEqual([900]);
      expect(release.wait).toBe(true);
      expect(release.timeoutSeconds).toBe(HELM_WAIT_TIMEOUT.toSeconds());
      // Five minutes for logging in, fetching the chart and a pre-install hook's start.
      expect(release.timeoutSeconds! + 300).toBeLessThanOrEqual(handlers[0].Properties.Timeout);
    }
  });

  test('the controller charts\' CRDs (the load balancer controller\'s, Karpenter\'s) are applied before their release, exactly as the chart of that version ships them', () => {
    const CHARTS: [string, string, { readonly [path: string]: string }][] = [
      ['aws-load-balancer-controller', '3.5.0', ALB_CONTROLLER_CRD_FILES],
      ['karpenter', UPSTREAM_VERSIONS.karpenter, KARPENTER_CRD_FILES],
    ];
    expect(chartCrds('aws-load-balancer-controller', '3.5.0').map((crd) => crd.metadata.name)).toContain('targetgroupbindings.elbv2.k8s.aws');
    expect(chartCrds('karpenter', UPSTREAM_VERSIONS.karpenter).map((crd) => crd.metadata.name)).toContain('nodepools.karpenter.sh');
    // The library's copy is the chart's crds/ folder, file by file and object for object (carried as
    // JSON, scripts/chart-crds.ts: parsing the YAML took about 0.4 s of every synth).
    for (const [chart, version, files] of CHARTS) {
      const packaged = chartFilePaths(chart, version).filter((path) => path.startsWith('crds/'));
      expect({ chart, files: Object.keys(files) }).toEqual({ chart, files: packaged });
      for (const [path, json] of Object.entries(files)) {
        expect({ path, crds: JSON.parse(json) }).toEqual({ path, crds: yamlDocuments(chartFileText(chart, version, path)) });
      }
    }
    let checked = 0;
    for (const environment of ENVIRONMENTS) {
      const { template, context } = environment;
      const manifests = Object.entries<any>(template.Resources).filter(
        ([, r]) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource' && JSON.parse(String(resolveIntrinsics(r.Properties.Manifest, template, {}, context)))[0]?.kind === 'CustomResourceDefinition',
      );
      const installed = CHARTS.filter(([chart]) => environment.releases.some((r) => r.chart === chart));
      expect(manifests).toHaveLength(installed.length);
      for (const [chart, version] of installed) {
        const fromChart = chartCrds(chart, version);
        const found = manifests.filter(([, r]) => JSON.stringify(JSON.parse(r.Properties.Manifest)) === JSON.stringify(fromChart));
        expect({ chart, found: found.length }).toEqual({ chart, found: 1 });
        const [id, crds] = found[0];
        checked++;
        // Applied unchanged: no prune label, and with `kubectl apply` on create (the chart may have made them).
        expect(crds.Properties).toEqual(expect.objectContaining({ Overwrite: true }));
        expect(crds.Properties.PruneLabel).toBeUndefined();
        // Removing the resource never deletes them (and every object of their kinds with them).
        expect(crds.DeletionPolicy).toBe('Retain');
        const controller = environment.releases.find((r) => r.chart === chart)!;
        expect(controller.dependsOn).toContain(id);
        // CloudFormation invokes the custom resource's function asynchronously, and an update event
        // carries the new and the old properties: both must fit the 1 MB payload of an asynchronous
        // invocation (Lambda API reference, Invoke: "For asynchronous invocations, the maximum payload
        // size is 1 MB"), with room for the event's other fields. A chart bump that grows the CRDs past
        // this must split them over several resources.
        expect(2 * JSON.stringify(crds.Properties).length).toBeLessThan(900 * 1024);
        // kubectl apply keeps each object in its last-applied annotation, at most 256 KiB (262144 bytes).
        for (const crd of fromChart) expect(JSON.stringify(crd).length).toBeLessThan(262_144);
      }
    }
    expect(checked).toBe(ENVIRONMENTS.length + 1);
  });

  test('the controller keeps its webhook certificate across upgrades', () => {
    for (const { release } of releasesOf('aws-load-balancer-controller')) expect(release.values.keepTLSSecret).toBe(true);
  });
});

describe('resources and disruption budgets', () => {
  test('every container of every workload of the four charts has requests and a memory limit', () => {
    for (const { release } of RELEASES) {
      for (const workload of workloads(objectsOf(release))) {
        for (const container of containersOf(workload)) {
          const where = `${release.chart} ${workload.metadata.name}/${container.name}`;
          const { requests, limits } = container.resources ?? {};
          expect({ where, requests: Object.keys(requests ?? {}).sort(), limits: Object.keys(limits ?? {}) }).toEqual({
            where,
            requests: ['cpu', 'memory'],
            limits: ['memory'],
          });
        }
      }
    }
  });

  test('Argo CD\'s seven workloads, External Secrets\' three and the controller run with the defaults of cluster.controllers', () => {
    const sandbox = ENVIRONMENTS.find((e) => e.variant === 'sandbox')!;
    const main = (chart: string, kind: string, name: string) => {
      const workload = find(objectsOf(sandbox.releases.find((r) => r.chart === chart)!), kind, name)!;
      return podSpecOf(workload)!.containers[0].resources;
    };
    const expected = (key: keyof typeof CONTROLLER_DEFAULTS) => ({
      requests: { cpu: CONTROLLER_DEFAULTS[key].cpuRequest, memory: CONTROLLER_DEFAULTS[key].memoryRequest },
      limits: { memory: CONTROLLER_DEFAULTS[key].memoryLimit },
    });
    expect(main('argo-cd', 'StatefulSet', 'argocd-application-controller')).toEqual(expected('argocdApplicationController'));
    for (const [name, key] of [
      ['argocd-repo-server', 'argocdRepoServer'],
      ['argocd-server', 'argocdServer'],
      ['argocd-applicationset-controller', 'argocdApplicationSet'],
      ['argocd-notifications-controller', 'argocdNotifications'],
      ['argocd-dex-server', 'argocdDex'],
      ['argocd-redis', 'argocdRedis'],
    ] as const) {
      expect(main('argo-cd', 'Deployment', name)).toEqual(expected(key));
    }
    expect(main('external-secrets', 'Deployment', 'external-secrets')).toEqual(expected('externalSecrets'));
    expect(main('external-secrets', 'Deployment', 'external-secrets-cert-controller')).toEqual(expected('externalSecretsCertController'));
    expect(main('external-secrets', 'Deployment', 'external-secrets-webhook')).toEqual(expected('externalSecretsWebhook'));
    expect(main('aws-load-balancer-controller', 'Deployment', 'aws-load-balancer-controller')).toEqual(expected('loadBalancerController'));
  });

  test('each webhook runs two replicas with a PodDisruptionBudget that lets one go at a time', () => {
    const webhooks = [
      { chart: 'external-secrets', name: 'external-secrets-webhook' },
      { chart: 'aws-load-balancer-controller', name: 'aws-load-balancer-controller' },
    ];
    for (const { chart, name } of webhooks) {
      for (const { release } of releasesOf(chart)) {
        const objects = objectsOf(release);
        const deployment = find(objects, 'Deployment', name)!;
        expect(deployment.spec.replicas).toBe(2);
        const budgets = objects.filter(
          (o) => o.kind === 'PodDisruptionBudget' && Object.entries(o.spec.selector.matchLabels).every(([k, v]) => deployment.spec.template.metadata.labels[k] === v),
        );
        expect(budgets.map((b) => b.spec)).toEqual([{ maxUnavailable: 1, selector: expect.anything() }]);
      }
    }
  });

  test('cluster.controllers overrides reach the rendered workloads', async () => {
    const spec = sandboxSpec();
    spec.cluster = { ...spec.cluster, controllers: { argocdRepoServer: { memoryLimit: '2Gi', cpuLimit: '2' }, externalSecretsWebhook: { replicas: 3 }, loadBalancerController: { replicas: 3, cpuRequest: '100m' } } };
    const [environment] = environmentsOf('override', resolveSpec(spec));
    const objectsFor = async (chart: string) => renderRelease(environment.releases.find((r) => r.chart === chart)!);
    const repoServer = find(await objectsFor('argo-cd'), 'Deployment', 'argocd-repo-server')!;
    expect(podSpecOf(repoServer)!.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '2', memory: '2Gi' } });
    expect(find(await objectsFor('external-secrets'), 'Deployment', 'external-secrets-webhook')!.spec.replicas).toBe(3);
    const controller = find(await objectsFor('aws-load-balancer-controller'), 'Deployment', 'aws-load-balancer-controller')!;
    expect(controller.spec.replicas).toBe(3);
    expect(podSpecOf(controller)!.containers[0].resources.requests).toEqual({ cpu: '100m', memory: '128Mi' });
  });

  test('docs/spec-reference.md gives each workload\'s defaults as lib/model/controllers.ts has them', () => {
    const reference = readFileSync(repoPath('docs', 'spec-reference.md'), 'utf8').split('\n');
    for (const [key, d] of Object.entries(CONTROLLER_DEFAULTS)) {
      const row = reference.find((line) => line.startsWith(`| \`cluster.controllers.${key}.cpuRequest\``));
      const defaults = `${d.cpuRequest} / none / ${d.memoryRequest} / ${d.memoryLimit}${d.replicas === undefined ? '' : ` / ${d.replicas}`} |`;
      expect({ key, row }).toEqual({ key, row: expect.stringMatching(new RegExp(`\\| ${defaults.replace(/[|/]/g, '\\$&')} .*\`${d.workload}\``)) });
    }
  });

  test('an environment\'s cluster.controllers merges over the top-level one, workload by workload', () => {
    const spec = PlatformSpecLoader.fromFile(repoPath('examples', 'two-environments', 'platform.yaml')) as any;
    const copy = JSON.parse(JSON.stringify(spec));
    copy.cluster.controllers = { argocdServer: { cpuRequest: '75m' }, argocdRepoServer: { memoryLimit: '2Gi' } };
    const production = { argocdRepoServer: { memoryRequest: '512Mi' }, loadBalancerController: { replicas: 3 } };
    copy.environments[1].cluster = { ...copy.environments[1].cluster, controllers: production };
    const [staging, prod] = resolveSpec(copy);
    expect(staging.cluster.controllers.argocdServer.resources.requests.cpu).toBe('75m');
    expect(prod.cluster.controllers.argocdServer.resources.requests.cpu).toBe('75m');
    expect(staging.cluster.controllers.argocdRepoServer.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '2Gi' } });
    // The environment's entry for a workload replaces the top-level one's (as a node group's fields do).
    expect(prod.cluster.controllers.argocdRepoServer.resources).toEqual({ requests: { cpu: '100m', memory: '512Mi' }, limits: { memory: '1Gi' } });
    expect([staging.cluster.controllers.loadBalancerController.replicas, prod.cluster.controllers.loadBalancerController.replicas]).toEqual([2, 3]);
  });

  test('cluster.controllers: a webhook below two replicas, replicas of a controller without a webhook, a bad quantity', () => {
    const spec = sandboxSpec();
    spec.cluster = { ...spec.cluster, controllers: { externalSecretsWebhook: { replicas: 1 }, argocdServer: { replicas: 2, memoryLimit: 'lots' } } };
    const problems = validateSpec(spec, BUILT_IN_ADDONS).map((p) => `${p.path}: ${p.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        'cluster.controllers.externalSecretsWebhook.replicas: 1 is below the minimum 2',
        expect.stringMatching(/^cluster\.controllers\.argocdServer\.replicas: unknown field; allowed here: cpuRequest, cpuLimit, memoryRequest, memoryLimit$/),
        "cluster.controllers.argocdServer.memoryLimit: 'lots' is not a memory quantity such as 128Mi",
      ]),
    );
  });
});

describe('argocd-vault-plugin', () => {
  const release = () => releasesOf('argo-cd').find(({ environment }) => environment.variant === 'vault-plugin')!.release;

  test('each sidecar has a writable HOME of its own, where AVP caches its Vault token', () => {
    const spec = podSpecOf(find(objectsOf(release()), 'Deployment', 'argocd-repo-server')!)!;
    for (const name of Object.values(AVP_PLUGINS)) {
      const sidecar = spec.containers.find((c: any) => c.name === name);
      // The root filesystem stays read-only; HOME is an emptyDir mount (AVP writes $HOME/.avp/config.json).
      expect(sidecar.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(sidecar.env).toContainEqual({ name: 'HOME', value: AVP_HOME });
      const mount = sidecar.volumeMounts.find((m: any) => m.mountPath === AVP_HOME);
      expect(mount).toEqual({ name: 'avp-home', mountPath: AVP_HOME, subPath: name });
      expect(spec.volumes.find((v: any) => v.name === mount.name)).toEqual({ name: 'avp-home', emptyDir: {} });
    }
  });

  test('AVP logs in to Vault as the repo-server\'s ServiceAccount, the one the docs name', () => {
    const spec = podSpecOf(find(objectsOf(release()), 'Deployment', 'argocd-repo-server')!)!;
    expect(spec.serviceAccountName).toBe(AVP_SERVICE_ACCOUNT);
    expect(spec.automountServiceAccountToken).toBe(true);
    const docs = readFileSync(repoPath('docs', 'delivery-modes.md'), 'utf8');
    expect({ docsNameIt: docs.includes(`**\`${AVP_SERVICE_ACCOUNT}\` in Argo CD's namespace**`) }).toEqual({ docsNameIt: true });
  });
});

describe('deploy feedback (argocd.deployFeedback)', () => {
  const releaseOf = (variant: string) => releasesOf('argo-cd').find(({ environment }) => environment.variant === variant)!.release;

  test('argocd-notifications-cm holds the GitHub service, the templates and the triggers; the chart makes no Secret for External Secrets to fight over', () => {
    const objects = objectsOf(releaseOf('deploy-feedback'));
    const configMap = find(objects, 'ConfigMap', 'argocd-notifications-cm')!;
    const { notifications } = notificationsValues(ENVIRONMENTS.find((e) => e.variant === 'deploy-feedback')!.platform);
    // Chart 10.1.1 templates/argocd-configs/argocd-notifications-cm.yaml writes notifiers, templates
    // and triggers as they are, beside the context it always writes.
    const { notifiers, templates, triggers } = notifications;
    expect(configMap.data).toEqual({ context: expect.any(String), ...notifiers, ...templates, ...triggers });
    expect(Object.keys(configMap.data).filter((key) => key.startsWith('trigger.'))).toHaveLength(3);
    // ExternalSecret target (creationPolicy Owner) argocd-notifications-secret: the chart's is off.
    expect(find(objects, 'Secret', 'argocd-notifications-secret')).toBeUndefined();
    expect(find(objects, 'Deployment', 'argocd-notifications-controller')).toBeDefined();
  });

  test('without it the chart\'s notifications are as they were: an empty ConfigMap and the chart\'s Secret', () => {
    const objects = objectsOf(releaseOf('sandbox'));
    expect(Object.keys(find(objects, 'ConfigMap', 'argocd-notifications-cm')!.data)).toEqual(['context']);
    expect(find(objects, 'Secret', 'argocd-notifications-secret')).toBeDefined();
  });
});
