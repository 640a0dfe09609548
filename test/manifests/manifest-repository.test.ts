import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse, stringify } from 'yaml';
import { ManifestRepository } from '../../lib/manifests/manifest-repository';
import type { GeneratedFile } from '../../lib/output/generated-file';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { sandboxPlatform, sandboxSpec, specWithApps } from '../fixtures';
import { unknownFieldErrors } from '../support/k8s-strict';
import { kustomizationDirs, kustomize, parseYaml, patchPaths, schemaErrors, wholeObjects, writeTree } from '../support/manifest-checks';

const platform = sandboxPlatform();
const files = new ManifestRepository(platform).manifestFiles();
const file = (path: string): string => {
  const found = files.find((f) => f.path === path);
  if (!found) throw new Error(`no file ${path}; files: ${files.map((f) => f.path).join(', ')}`);
  return found.content;
};
const objectsOf = (path: string): any[] => parseYaml(file(path));
const find = (objects: any[], kind: string, name?: string) => {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ''}`);
  return found;
};

describe('the manifest repository layout', () => {
  test('follows the seed layout, with every value filled in', () => {
    expect(files.map((f) => f.path)).toEqual([
      'argocd_image_updater/overlays/production/config-map.yaml',
      'argocd_image_updater/overlays/production/deployment.yaml',
      'argocd_image_updater/overlays/production/ecr-login.yaml',
      'argocd_image_updater/overlays/production/image-updaters.yaml',
      'argocd_image_updater/overlays/production/kustomization.yaml',
      'argocd_image_updater/overlays/production/service-account.yaml',
      'argocd/apps/argocd-image-updater.yaml',
      'argocd/apps/main-secrets.yaml',
      'argocd/apps/main.yaml',
      'argocd/bootstrap/install/argocd-cm.yaml',
      'argocd/bootstrap/install/kustomization.yaml',
      'argocd/bootstrap/kustomization.yaml',
      'argocd/bootstrap/project.yaml',
      'argocd/bootstrap/repository-credentials.yaml',
      'argocd/bootstrap/root-application.yaml',
      'main/base/kustomization.yaml',
      'main/base/migration.yaml',
      'main/base/workload.yaml',
      'main/overlays/production/deployment-patch.yaml',
      'main/overlays/production/external-dns.yaml',
      'main/overlays/production/ingress.yaml',
      'main/overlays/production/kustomization.yaml',
      'main/overlays/production/migration-service-account.yaml',
      'main/overlays/production/secrets/external-secret.yaml',
      'main/overlays/production/secrets/kustomization.yaml',
      'README.md',
    ]);
  });

  test('no placeholder survives: no angle-bracket slots, no unresolved tokens, no latest tags', () => {
    for (const f of files.filter((x) => x.path.endsWith('.yaml'))) {
      expect({ path: f.path, placeholder: f.content.match(/<[A-Za-z_ -]+>|\$\{Token|TOKEN\[|:latest\b/)?.[0] }).toEqual({ path: f.path, placeholder: undefined });
    }
  });
});

describe('validation against upstream schemas', () => {
  const tree = writeTree(files);
  const dirs = kustomizationDirs(tree);

  test('every file validates: Argo CD, Image Updater and ESO CRDs strictly, built-in kinds against Kubernetes', () => {
    // Patches are partial objects by design; they are validated after kustomize applies them.
    expect([...patchPaths(files)].sort()).toEqual([
      'argocd/bootstrap/install/argocd-cm.yaml',
      'argocd_image_updater/overlays/production/config-map.yaml',
      'argocd_image_updater/overlays/production/deployment.yaml',
      'argocd_image_updater/overlays/production/service-account.yaml',
      'main/overlays/production/deployment-patch.yaml',
    ]);
    const plain = wholeObjects(files);
    expect(plain.length).toBeGreaterThan(15);
    expect(schemaErrors(plain)).toEqual([]);
  });

  test('built-in objects, ours and the upstream ones we patch, have no field the Kubernetes API lacks', () => {
    const builtIn = (o: any) => !o.apiVersion.includes('.') || o.apiVersion.includes('k8s.io');
    const ours = wholeObjects(files).filter(builtIn);
    const patched = [
      ...kustomize(tree, 'argocd_image_updater/overlays/production').filter((o) =>
        ['argocd-image-updater-controller', 'argocd-image-updater-config'].includes(o.metadata.name),
      ),
      find(kustomize(tree, 'main/overlays/production'), 'Deployment', 'main'),
    ];
    expect(ours.length + patched.length).toBeGreaterThanOrEqual(15);
    expect(unknownFieldErrors([...ours, ...patched])).toEqual([]);
  });

  test('the unknown-field check does fail on a misspelt field, however deep', () => {
    const deployment = find(objectsOf('main/base/workload.yaml'), 'Deployment');
    const container = { ...deployment.spec.template.spec.containers[0], imagePullPolicyy: 'Always' };
    const podSpec = { ...deployment.spec.template.spec, containers: [container] };
    const typo = { ...deployment, spec: { ...deployment.spec, template: { ...deployment.spec.template, spec: podSpec } } };
    expect(unknownFieldErrors([typo])).toEqual([expect.stringContaining("'\"imagePullPolicyy\"' does not exist in type 'Container'")]);
  });

  test('the strict CRD check does fail on an unknown field and on an unserved version', () => {
    const application = objectsOf('argocd/apps/main.yaml')[0];
    const typo = { ...application, spec: { ...application.spec, syncPolicyy: {} } };
    expect(schemaErrors([typo])).toEqual([expect.stringContaining("must NOT have additional properties 'syncPolicyy'")]);
    const secret = objectsOf('main/overlays/production/secrets/external-secret.yaml').find((o) => o.kind === 'ExternalSecret');
    expect(schemaErrors([{ ...secret, apiVersion: 'external-secrets.io/v1beta1' }])).toEqual([expect.stringMatching(/v1beta1 is not served/)]);
  });

  test('the Kubernetes check does fail on a wrong type', () => {
    const deployment = find(objectsOf('main/base/workload.yaml'), 'Deployment');
    expect(schemaErrors([{ ...deployment, spec: { ...deployment.spec, replicas: 'two' } }])).toEqual([expect.stringMatching(/replicas must be integer/)]);
  });

  test.each(dirs)('kustomization %s builds with kubectl kustomize and its output validates', (dir) => {
    const objects = kustomize(tree, dir);
    expect(objects.length).toBeGreaterThan(0);
    // The upstream Argo CD install carries its own CRDs; validate what this project adds or patches.
    const ours = dir === 'argocd/bootstrap/install' ? objects.filter((o) => o.metadata.name === 'argocd-cm') : objects;
    expect(schemaErrors(ours)).toEqual([]);
  });
});

describe('Argo CD bootstrap', () => {
  const project = objectsOf('argocd/bootstrap/project.yaml')[0];
  const root = objectsOf('argocd/bootstrap/root-application.yaml')[0];

  test('the AppProject names its repositories and namespaces instead of *', () => {
    expect(project.spec.sourceRepos).toEqual(['https://github.com/example-org/sandbox-manifests.git']);
    expect(project.spec.destinations).toEqual([
      { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
      { server: 'https://kubernetes.default.svc', namespace: 'main' },
    ]);
    // No IngressClass: the load balancer controller's chart owns IngressClass alb.
    expect(project.spec.clusterResourceWhitelist.map((gk: any) => gk.kind)).toEqual(['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding']);
    expect(JSON.stringify(project.spec)).not.toContain('"*"');
  });

  test('the root app-of-apps points at argocd/apps and ignores the Image Updater write-back', () => {
    expect(root.spec.source).toEqual({ repoURL: 'https://github.com/example-org/sandbox-manifests.git', targetRevision: 'main', path: 'argocd/apps' });
    expect(root.spec.ignoreDifferences).toEqual([{ group: 'argoproj.io', kind: 'Application', jsonPointers: ['/spec/source/kustomize/images'] }]);
    expect(root.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    expect(root.metadata.finalizers).toBeUndefined();
  });

  test('Argo CD reads the private repository with a repository Secret External Secrets copies from Secrets Manager', () => {
    const objects = objectsOf('argocd/bootstrap/repository-credentials.yaml');
    const sa = find(objects, 'ServiceAccount', 'sandbox-repository-reader');
    expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::123456789012:role/sandbox-repository-reader');
    expect(find(objects, 'SecretStore').spec.provider.aws.auth).toEqual({ jwt: { serviceAccountRef: { name: 'sandbox-repository-reader' } } });
    const es = find(objects, 'ExternalSecret');
    // Argo CD declarative setup: a Secret labelled argocd.argoproj.io/secret-type: repository with
    // type, url and, for a GitHub App, githubAppID, githubAppInstallationID and githubAppPrivateKey.
    expect(es.spec.target.template).toEqual({
      engineVersion: 'v2',
      mergePolicy: 'Merge',
      metadata: { labels: { 'argocd.argoproj.io/secret-type': 'repository' } },
      data: { type: 'git', url: 'https://github.com/example-org/sandbox-manifests.git' },
    });
    expect(es.spec.data.map((d: any) => [d.secretKey, d.remoteRef.key])).toEqual([
      ['githubAppID', 'sandbox/argocd/manifest-repository'],
      ['githubAppInstallationID', 'sandbox/argocd/manifest-repository'],
      ['githubAppPrivateKey', 'sandbox/argocd/manifest-repository'],
    ]);
    expect(schemaErrors(objects)).toEqual([]);
  });

  test('an SSH deploy key makes Argo CD read the repository over SSH, everywhere it is named', () => {
    const spec = sandboxSpec();
    spec.github.manifestRepository.credentials = { type: 'ssh' };
    const ssh = new ManifestRepository(Platform.resolve(PlatformSpecLoader.fromObject(spec))).manifestFiles();
    const url = 'ssh://git@github.com/example-org/sandbox-manifests.git';
    const es = find(parseYaml(ssh.find((f) => f.path === 'argocd/bootstrap/repository-credentials.yaml')!.content), 'ExternalSecret');
    expect(es.spec.target.template.data.url).toBe(url);
    expect(es.spec.data.map((d: any) => d.secretKey)).toEqual(['sshPrivateKey']);
    expect(parseYaml(ssh.find((f) => f.path === 'argocd/bootstrap/project.yaml')!.content)[0].spec.sourceRepos).toEqual([url]);
    for (const f of ssh.filter((x) => x.path.startsWith('argocd/apps/'))) expect(parseYaml(f.content)[0].spec.source.repoURL).toBe(url);
  });

  test('a public repository is read without credentials, and must be said so', () => {
    const spec = sandboxSpec();
    spec.github.manifestRepository = { name: 'sandbox-manifests', access: 'public' };
    const open = new ManifestRepository(Platform.resolve(PlatformSpecLoader.fromObject(spec))).manifestFiles().map((f) => f.path);
    expect(open).not.toContain('argocd/bootstrap/repository-credentials.yaml');
  });

  test('the install kustomization adds the Application health check to argocd-cm', () => {
    const cm = kustomize(writeTree(files), 'argocd/bootstrap/install').find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'argocd-cm');
    expect(cm.metadata.namespace).toBe('argocd');
    expect(cm.data['resource.customizations.health.argoproj.io_Application']).toContain('hs.status = obj.status.health.status');
  });
});

describe('child Applications', () => {
  const app = (name: string) => objectsOf(`argocd/apps/${name}.yaml`)[0];

  test('sync in waves: the Image Updater, then the secrets, then the app (External Secrets is the stack\'s)', () => {
    const waves = ['argocd-image-updater', 'main-secrets', 'main'].map((n) => app(n).metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(waves).toEqual(['-1', '0', '1']);
    expect(files.some((f) => f.path === 'argocd/apps/external-secrets.yaml')).toBe(false);
  });

  test('have the resources finalizer, the spec sync policy and a retry with backoff', () => {
    for (const name of ['argocd-image-updater', 'main-secrets', 'main']) {
      // Argo CD 3.x: resources-finalizer.argocd.argoproj.io makes deleting the Application delete its resources.
      expect(app(name).metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
      expect(app(name).spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
      // spec.syncPolicy.retry of the v3.4.4 Application CRD: limit and backoff {duration, factor, maxDuration}.
      expect(app(name).spec.syncPolicy.retry).toEqual({ limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } });
      expect(app(name).spec.project).toBe('sandbox');
    }
  });

  test('point the app at its environment overlay', () => {
    expect(app('main').spec.source.path).toBe('main/overlays/production');
    expect(app('main').spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'main' });
    expect(app('argocd-image-updater').spec.source.path).toBe('argocd_image_updater/overlays/production');
  });

  test('a manual sync policy is rendered without automated', () => {
    const spec = sandboxSpec();
    spec.argocd = { syncPolicy: { automated: false, prune: false, selfHeal: false } };
    const manual = new ManifestRepository(Platform.resolve(PlatformSpecLoader.fromObject(spec))).manifestFiles();
    const main = parseYaml(manual.find((f) => f.path === 'argocd/apps/main.yaml')!.content)[0];
    expect(main.spec.syncPolicy.automated).toBeUndefined();
    expect(main.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true']);
  });
});

describe('Image Updater overlay', () => {
  const built = kustomize(writeTree(files), 'argocd_image_updater/overlays/production');

  test('uses patches over the pinned 1.3.0 install, not patchesStrategicMerge', () => {
    const k = parse(file('argocd_image_updater/overlays/production/kustomization.yaml'));
    expect(k.resources[0]).toBe('https://raw.githubusercontent.com/argoproj-labs/argocd-image-updater/v1.3.0/config/install.yaml');
    expect(k.patchesStrategicMerge).toBeUndefined();
    expect(k.patches).toEqual([{ path: 'service-account.yaml' }, { path: 'config-map.yaml' }, { path: 'deployment.yaml' }]);
  });

  test('annotates the 1.x controller ServiceAccount with its IRSA role', () => {
    const sa = find(built, 'ServiceAccount', 'argocd-image-updater-controller');
    expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::123456789012:role/sandbox-image-updater');
    expect(sa.metadata.namespace).toBe('argocd');
  });

  test('configures the account ECR registry with script credentials renewed within 12 hours', () => {
    const conf = parse(find(built, 'ConfigMap', 'argocd-image-updater-config').data['registries.conf']);
    expect(conf.registries).toEqual([
      {
        name: 'ECR',
        api_url: 'https://123456789012.dkr.ecr.ap-northeast-1.amazonaws.com',
        prefix: '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com',
        ping: true,
        insecure: false,
        credentials: 'ext:/app/scripts/ecr-login.sh',
        credsexpire: '10h',
      },
    ]);
    const hours = Number(conf.registries[0].credsexpire.replace('h', ''));
    expect(hours).toBeLessThan(12);
  });

  test('mounts the login script executable where registries.conf runs it', () => {
    const deployment = find(built, 'Deployment', 'argocd-image-updater-controller');
    const volume = deployment.spec.template.spec.volumes.find((v: any) => v.name === 'ecr-login');
    expect(volume.configMap).toEqual({ name: 'argocd-image-updater-ecr-login', defaultMode: 0o755 });
    const container = deployment.spec.template.spec.containers.find((c: any) => c.name === 'argocd-image-updater-controller');
    expect(container.volumeMounts).toContainEqual({ name: 'ecr-login', mountPath: '/app/scripts', readOnly: true });
    // The upstream mounts survive the patch.
    expect(container.volumeMounts.map((m: any) => m.mountPath)).toEqual(expect.arrayContaining(['/app/config', '/tmp']));
    const script = find(built, 'ConfigMap', 'argocd-image-updater-ecr-login').data['ecr-login.sh'];
    expect(script).toMatch(/^#!\/bin\/sh\n/);
    expect(script).toContain('aws ecr get-authorization-token --region ap-northeast-1');
  });

  test('tracks the app images with the spec strategy in an ImageUpdater resource', () => {
    const updater = find(built, 'ImageUpdater', 'main');
    expect(updater.apiVersion).toBe('argocd-image-updater.argoproj.io/v1alpha1');
    expect(updater.metadata.namespace).toBe('argocd');
    expect(updater.spec.writeBackConfig).toEqual({ method: 'argocd' });
    const ref = updater.spec.applicationRefs[0];
    expect(ref.namePattern).toBe('main');
    expect(ref.commonUpdateSettings).toEqual({ updateStrategy: 'semver', allowTags: 'regexp:^v?[0-9]+\\.[0-9]+\\.[0-9]+$', ignoreTags: ['latest'] });
    expect(ref.images.map((i: any) => [i.alias, i.imageName, i.manifestTargets.kustomize.name])).toEqual([
      ['app', '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/sandbox/main/app', '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/sandbox/main/app'],
      ['web', '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/sandbox/main/web', '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/sandbox/main/web'],
    ]);
  });

  test('git write-back commits to the overlay kustomization on the manifest branch', () => {
    const spec = sandboxSpec();
    spec.apps[0].imageUpdate.writeBack = 'git';
    const gitFiles = new ManifestRepository(Platform.resolve(PlatformSpecLoader.fromObject(spec))).manifestFiles();
    const updater = parseYaml(gitFiles.find((f) => f.path.endsWith('image-updaters.yaml'))!.content)[0];
    expect(updater.spec.writeBackConfig).toEqual({ method: 'git', gitConfig: { branch: 'main', writeBackTarget: 'kustomization' } });
    // Nothing to ignore in the root app then: the tag lives in Git.
    const root = parseYaml(gitFiles.find((f) => f.path === 'argocd/bootstrap/root-application.yaml')!.content)[0];
    expect(root.spec.ignoreDifferences).toBeUndefined();
  });
});

describe('the application', () => {
  const tree = writeTree(files);
  const built = kustomize(tree, 'main/overlays/production');
  const deployment = find(built, 'Deployment', 'main');
  const pod = deployment.spec.template.spec;

  test('runs the app and web containers with their images, ports, resources and secret env', () => {
    // Port names are unique in a pod and at most 15 characters; the Service targets `http`.
    expect(pod.containers.map((c: any) => [c.name, c.image, c.ports[0].containerPort, c.ports[0].name])).toEqual([
      ['app', '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/sandbox/main/app:v0.0.1', 8080, 'http-8080'],
      ['web', '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/sandbox/main/web:v0.0.1', 80, 'http'],
    ]);
    const app = pod.containers[0];
    expect(app.resources).toEqual({ requests: { cpu: '200m', memory: '64Mi' }, limits: { cpu: '400m', memory: '128Mi' } });
    expect(app.env).toContainEqual({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'database-secrets', key: 'password' } } });
    expect(app.env.map((e: any) => e.name)).toEqual(['DB_HOST', 'DB_NAME', 'DB_PASSWORD', 'DB_PORT', 'DB_USER']);
    expect(deployment.spec.replicas).toBe(2);
  });

  test('pods are restricted and mount no API token; the non-root web container may bind port 80', () => {
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    // A safe sysctl since Kubernetes 1.22, allowed by the Baseline and Restricted Pod Security Standards.
    expect(pod.securityContext.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]);
    for (const c of pod.containers) {
      expect(c.securityContext).toEqual({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
    }
  });

  test('the Ingress uses the alb class, pod targets and the spec health check', () => {
    const ingress = find(built, 'Ingress', 'main');
    expect(ingress.spec.ingressClassName).toBe('alb');
    expect(ingress.metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/group.name': 'sandbox',
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
      'alb.ingress.kubernetes.io/healthcheck-path': '/health_check',
      'alb.ingress.kubernetes.io/success-codes': '200',
    });
    expect(ingress.spec.rules).toEqual([
      { host: 'sandbox.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'main', port: { name: 'http' } } } }] } },
    ]);
    const service = find(built, 'Service', 'main');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }]);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    // The load balancer controller chart 3.5.0 creates IngressClass alb (createIngressClassResource:
    // true): declared here too, it would be deleted when this app is.
    expect(built.some((o) => o.kind === 'IngressClass')).toBe(false);
  });

  test('the overlay labels the environment without touching the immutable selector', () => {
    expect(deployment.metadata.labels.env).toBe('production');
    expect(pod && deployment.spec.template.metadata.labels.env).toBe('production');
    expect(deployment.spec.selector.matchLabels.env).toBeUndefined();
  });

  test('the migration is a PreSync hook retried a few times within one deadline', () => {
    const job = find(built, 'Job', 'main-migration');
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'PreSync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      'argocd.argoproj.io/sync-wave': '0',
    });
    expect(job.spec.backoffLimit).toBe(2);
    expect(job.spec.activeDeadlineSeconds).toBe(120);
    // The Secret is referenced without `optional`: the kubelet starts no pod before External Secrets
    // has written it, whatever the order the Applications synced in.
    expect(job.spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.optional).toBeUndefined();
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.template.spec.containers[0].command).toEqual(['/bin/ash', '-c', '/app/cmd']);
    // Its ServiceAccount is a hook of an earlier wave, so it exists on the first sync.
    const sa = find(built, 'ServiceAccount', 'main-migration');
    expect(sa.metadata.annotations['argocd.argoproj.io/hook']).toBe('PreSync');
    expect(sa.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
    // No AWS role: the node pulls the image; the spec gives none.
    expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toBeUndefined();
  });

  test('the migration image follows the app tag when the Image Updater (or a pull request) moves it', () => {
    const overlay = join(tree, 'main/overlays/production/kustomization.yaml');
    const k = parse(readFileSync(overlay, 'utf8'));
    // What `kustomize edit set image` (Argo CD's override, or the pull-request workflow) does.
    k.images[0].newTag = 'v1.4.2';
    writeFileSync(overlay, stringify(k));
    const moved = kustomize(tree, 'main/overlays/production');
    expect(find(moved, 'Deployment', 'main').spec.template.spec.containers[0].image).toMatch(/\/sandbox\/main\/app:v1\.4\.2$/);
    expect(find(moved, 'Job', 'main-migration').spec.template.spec.containers[0].image).toBe(
      '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/sandbox/main/migration:v1.4.2',
    );
  });

  test('ExternalDNS runs v0.22.0 from registry.k8s.io for the app namespace and the zone, with an API token', () => {
    const dns = find(built, 'Deployment', 'main-external-dns');
    const spec = dns.spec.template.spec;
    expect(spec.containers[0].image).toBe('registry.k8s.io/external-dns/external-dns:v0.22.0');
    expect(spec.containers[0].args).toEqual([
      '--source=ingress',
      '--source=service',
      '--namespace=main',
      '--provider=aws',
      '--aws-zone-type=public',
      '--domain-filter=example.com',
      '--zone-id-filter=Z0123456789ABCDEFGHIJ',
      '--policy=sync',
      '--registry=txt',
      '--txt-owner-id=sandbox-main',
      '--interval=1m',
    ]);
    expect(spec.automountServiceAccountToken).toBe(true);
    expect(spec.serviceAccountName).toBe('main-external-dns');
    expect(spec.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    const role = find(built, 'ClusterRole', 'main-external-dns');
    expect(role.rules).toContainEqual({ apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'watch', 'list'] });
    const binding = find(built, 'ClusterRoleBinding', 'main-external-dns');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'main-external-dns', namespace: 'main' }]);
  });
});

describe('the base and the overlay', () => {
  test('the base holds the Deployment without the fields environments override; the overlay patches them in', () => {
    const base = find(objectsOf('main/base/workload.yaml'), 'Deployment', 'main');
    expect(base.spec.replicas).toBeUndefined();
    expect(base.spec.template.spec.containers.map((c: any) => [c.name, c.resources])).toEqual([['app', undefined], ['web', undefined]]);
    const patch = objectsOf('main/overlays/production/deployment-patch.yaml')[0];
    expect(patch).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'main', namespace: 'main' },
      spec: {
        replicas: 2,
        template: {
          spec: {
            containers: ['app', 'web'].map((name) => ({ name, resources: { requests: { cpu: '200m', memory: '64Mi' }, limits: { cpu: '400m', memory: '128Mi' } } })),
          },
        },
      },
    });
  });

  test('the overlay lists the base, then the environment\'s own objects, and patches the Deployment', () => {
    const k = parse(file('main/overlays/production/kustomization.yaml'));
    expect(k.resources).toEqual(['../../base', 'ingress.yaml', 'external-dns.yaml', 'migration-service-account.yaml']);
    expect(k.patches).toEqual([{ path: 'deployment-patch.yaml' }]);
    expect(parse(file('main/base/kustomization.yaml')).resources).toEqual(['workload.yaml', 'migration.yaml']);
    // Whole objects: everything in them is the environment's.
    expect(objectsOf('main/overlays/production/ingress.yaml').map((o) => o.kind)).toEqual(['Ingress']);
    expect(objectsOf('main/overlays/production/external-dns.yaml').map((o) => o.kind)).toEqual(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Deployment']);
    expect(objectsOf('main/overlays/production/migration-service-account.yaml').map((o) => o.kind)).toEqual(['ServiceAccount']);
  });
});

describe('the application secrets', () => {
  const built = kustomize(writeTree(files), 'main/overlays/production/secrets');

  test('read the app prefix of Secrets Manager through the IRSA ServiceAccount, in external-secrets.io/v1', () => {
    const store = find(built, 'SecretStore');
    expect(store.apiVersion).toBe('external-secrets.io/v1');
    expect(store.spec.provider.aws).toEqual({
      service: 'SecretsManager',
      region: 'ap-northeast-1',
      auth: { jwt: { serviceAccountRef: { name: 'main-secrets-reader' } } },
    });
    const sa = find(built, 'ServiceAccount', 'main-secrets-reader');
    expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::123456789012:role/sandbox-main-external-secrets');
  });

  test('the Secret is owned by ESO, keeps its values if the source disappears, and has every key', () => {
    const es = find(built, 'ExternalSecret');
    expect(es.apiVersion).toBe('external-secrets.io/v1');
    expect(es.spec.target).toEqual({ name: 'database-secrets', creationPolicy: 'Owner', deletionPolicy: 'Retain' });
    expect(es.spec.data).toEqual(
      ['host', 'port', 'username', 'password', 'dbname'].map((key) => ({ secretKey: key, remoteRef: { key: 'sandbox/main/database-secrets', property: key } })),
    );
  });

  test('the Vault backend uses ESO Vault provider with Kubernetes auth and no IRSA', () => {
    const spec = sandboxSpec();
    spec.secrets = { backend: 'vault', vault: { address: 'https://vault.example.com:8200' } };
    const vaultFiles = new ManifestRepository(Platform.resolve(PlatformSpecLoader.fromObject(spec))).manifestFiles();
    const objects = parseYaml(vaultFiles.find((f) => f.path === 'main/overlays/production/secrets/external-secret.yaml')!.content);
    expect(find(objects, 'SecretStore').spec.provider).toEqual({
      vault: {
        server: 'https://vault.example.com:8200',
        path: 'kv',
        version: 'v2',
        auth: { kubernetes: { mountPath: 'kubernetes', role: 'sandbox', serviceAccountRef: { name: 'main-secrets-reader' } } },
      },
    });
    expect(find(objects, 'ExternalSecret').spec.data[0].remoteRef).toEqual({ key: 'main/main', property: 'host' });
    expect(find(objects, 'ServiceAccount').metadata.annotations).toBeUndefined();
    expect(schemaErrors(objects)).toEqual([]);
  });
});

describe('several applications', () => {
  const many = new ManifestRepository(Platform.resolve(specWithApps(3))).manifestFiles();
  const all = (predicate: (f: GeneratedFile) => boolean) => many.filter(predicate).flatMap((f) => parseYaml(f.content));

  test('no application declares the IngressClass, so removing one cannot delete it', () => {
    expect(all((f) => f.path.endsWith('.yaml')).filter((o) => o.kind === 'IngressClass')).toEqual([]);
  });

  test('an internal app gets an ALB group of its own, apart from the internet-facing ones', () => {
    const spec: any = specWithApps(2);
    spec.apps[1].ingress = { ...spec.apps[1].ingress, internetFacing: false };
    const groups = new ManifestRepository(Platform.resolve(PlatformSpecLoader.fromObject(spec)))
      .manifestFiles()
      .filter((f) => f.path.endsWith('ingress.yaml'))
      .flatMap((f) => parseYaml(f.content))
      .filter((o) => o.kind === 'Ingress')
      .map((o) => [o.metadata.annotations['alb.ingress.kubernetes.io/group.name'], o.metadata.annotations['alb.ingress.kubernetes.io/scheme']]);
    expect(groups).toEqual([
      ['sandbox', 'internet-facing'],
      ['sandbox-internal', 'internal'],
    ]);
  });

  test('cluster-scoped names and DNS owner ids do not collide', () => {
    const clusterRoles = all((f) => f.path.endsWith('external-dns.yaml')).filter((o) => o.kind === 'ClusterRole').map((o) => o.metadata.name);
    expect(new Set(clusterRoles).size).toBe(3);
    const owners = all((f) => f.path.endsWith('external-dns.yaml'))
      .filter((o) => o.kind === 'Deployment')
      .map((o) => o.spec.template.spec.containers[0].args.find((a: string) => a.startsWith('--txt-owner-id=')));
    expect(owners).toEqual(['--txt-owner-id=sandbox-app1', '--txt-owner-id=sandbox-app2', '--txt-owner-id=sandbox-app3']);
  });

  test('an app delivered through the argocd CLI gets no Application in argocd/apps (its workflow creates it)', () => {
    const spec = sandboxSpec();
    spec.apps[0].delivery = 'argocd-cli';
    delete spec.apps[0].imageUpdate;
    const cliFiles = new ManifestRepository(Platform.resolve(PlatformSpecLoader.fromObject(spec))).manifestFiles().map((f) => f.path);
    expect(cliFiles).not.toContain('argocd/apps/main.yaml');
    expect(cliFiles).toContain('argocd/apps/main-secrets.yaml');
    expect(cliFiles.some((p) => p.startsWith('argocd_image_updater/'))).toBe(false);
    expect(cliFiles).toContain('main/overlays/production/kustomization.yaml');
  });
});

describe('the README of the tree', () => {
  test('lists exactly the files of the tree, directory by directory', () => {
    const readme = file('README.md');
    const rows = readme.split('\n').filter((l) => /^\| `[^`]+\/` \|/.test(l));
    const listed = rows.flatMap((row) => {
      const [, dir, names] = /^\| `([^`]+)` \| ([^|]+) \|/.exec(row)!;
      return [...names.matchAll(/`([^`]+)`/g)].map((m) => (dir === './' ? m[1] : `${dir}${m[1]}`));
    });
    expect(listed.sort()).toEqual(files.map((f) => f.path).sort());
    expect(readme).toContain('`.cdk-eks-gitops.json` records them');
    expect(readme).not.toMatch(/\bci\//);
  });

  test('holds no workflow of an application repository', () => {
    expect(files.filter((f) => f.path.includes('.github') || f.path.startsWith('ci/'))).toEqual([]);
  });
});

describe('dist/ is a disposable build output', () => {
  test('write empties the directory first: files of removed apps and moved tags do not survive there', () => {
    const out = mkdtempSync(join(tmpdir(), 'dist-'));
    new ManifestRepository(platform).write(out);
    const overlay = join(out, 'main/overlays/production/kustomization.yaml');
    writeFileSync(overlay, readFileSync(overlay, 'utf8').replace(/v0\.0\.1/g, 'v9.0.0'));
    writeFileSync(join(out, 'stale.yaml'), 'kind: Stale\n');
    new ManifestRepository(platform).write(out);
    expect(readFileSync(overlay, 'utf8')).not.toContain('v9.0.0');
    expect(existsSync(join(out, 'stale.yaml'))).toBe(false);
  });

  test.each([
    ['a Git checkout', (dir: string) => mkdirSync(join(dir, '.git'))],
    ['a checkout the writer wrote', (dir: string) => writeFileSync(join(dir, '.cdk-eks-gitops.json'), '{}')],
  ])('write refuses to empty %s, and points at the writer', (_what, make) => {
    const out = mkdtempSync(join(tmpdir(), 'checkout-'));
    make(out);
    writeFileSync(join(out, 'notes.md'), 'mine\n');
    expect(() => new ManifestRepository(platform).write(out)).toThrow(`${out} is a checkout, not a build output: it would be emptied. Write into checkouts with the writer (npx cdk-eks-gitops manifests --into ${out}`);
    expect(readFileSync(join(out, 'notes.md'), 'utf8')).toBe('mine\n');
  });

  test('write refuses to empty the working directory or a parent of it', () => {
    const cwd = process.cwd();
    const parent = mkdtempSync(join(tmpdir(), 'parent-'));
    mkdirSync(join(parent, 'here'));
    process.chdir(join(parent, 'here'));
    try {
      expect(() => new ManifestRepository(platform).write('.')).toThrow('. is the working directory or one of its parents, not a build output');
      expect(() => new ManifestRepository(platform).write('..')).toThrow('.. is the working directory or one of its parents');
      expect(existsSync(join(parent, 'here'))).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  });
});
