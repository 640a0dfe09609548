import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';
import { AVP_KUSTOMIZE_GENERATE } from '../../lib/addons/vault-plugin/argocd-vault-plugin';
import { ManifestRepository } from '../../lib/manifests/manifest-repository';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { repoPath, sandboxSpec } from '../fixtures';
import { unknownFieldErrors } from '../support/k8s-strict';
import { kustomize, parseYaml, schemaErrors, writeTree } from '../support/manifest-checks';
import { platformStackTemplates } from '../support/platform-templates';

/** The sandbox with argocd-vault-plugin as its secret backend. */
function vaultPluginPlatform() {
  const spec = sandboxSpec();
  spec.secrets = { backend: 'vault-plugin', vault: { address: 'https://vault.example.com:8200', role: 'argocd' } };
  return Platform.resolve(PlatformSpecLoader.fromObject(spec));
}

const platform = vaultPluginPlatform();
const files = new ManifestRepository(platform).manifestFiles();
const tree = writeTree(files);
const file = (path: string) => files.find((f) => f.path === path)!.content;

describe('argocd-vault-plugin install (kustomize path)', () => {
  const built = kustomize(tree, 'argocd/bootstrap/install');
  const repoServer = built.find((o) => o.kind === 'Deployment' && o.metadata.name === 'argocd-repo-server');
  const plugins = built.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'argocd-vault-plugin-cmp');

  test('adds the avp-kustomize and avp-helm sidecars to the upstream repo-server, keeping its own container', () => {
    const names = repoServer.spec.template.spec.containers.map((c: any) => c.name);
    expect(names).toEqual(expect.arrayContaining(['argocd-repo-server', 'avp-kustomize', 'avp-helm']));
    const sidecar = repoServer.spec.template.spec.containers.find((c: any) => c.name === 'avp-kustomize');
    expect(sidecar.image).toBe('quay.io/argoproj/argocd:v3.4.4');
    expect(sidecar.command).toEqual(['/var/run/argocd/argocd-cmp-server']);
    expect(sidecar.env).toEqual([
      { name: 'AVP_TYPE', value: 'vault' },
      { name: 'VAULT_ADDR', value: 'https://vault.example.com:8200' },
      { name: 'AVP_AUTH_TYPE', value: 'k8s' },
      { name: 'AVP_K8S_ROLE', value: 'argocd' },
      { name: 'AVP_K8S_MOUNT_PATH', value: 'auth/kubernetes' },
      // A writable HOME (read-only root filesystem): AVP caches its Vault token in $HOME/.avp/config.json.
      { name: 'HOME', value: '/home/argocd/avp-home' },
    ]);
    expect(sidecar.volumeMounts).toContainEqual({ name: 'avp-home', mountPath: '/home/argocd/avp-home', subPath: 'avp-kustomize' });
    expect(repoServer.spec.template.spec.volumes).toContainEqual({ name: 'avp-home', emptyDir: {} });
    expect(sidecar.resources).toEqual({ requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '512Mi' } });
    expect(sidecar.volumeMounts).toContainEqual({ name: 'argocd-vault-plugin-cmp', mountPath: '/home/argocd/cmp-server/config/plugin.yaml', subPath: 'avp-kustomize.yaml' });
    expect(sidecar.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, allowPrivilegeEscalation: false });
    expect(repoServer.spec.template.spec.initContainers.map((c: any) => c.name)).toContain('download-argocd-vault-plugin');
    expect(repoServer.spec.template.spec.initContainers.find((c: any) => c.name === 'download-argocd-vault-plugin').args[0]).toContain('/v1.18.1/argocd-vault-plugin_1.18.1_linux_amd64');
    expect(repoServer.spec.template.spec.automountServiceAccountToken).toBe(true);
  });

  test('defines the plugins as ConfigManagementPlugins, and everything validates', () => {
    const kustomizePlugin = parse(plugins.data['avp-kustomize.yaml']);
    expect(kustomizePlugin).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ConfigManagementPlugin', metadata: { name: 'avp-kustomize' } });
    expect(kustomizePlugin.spec.generate.command).toEqual(['sh', '-c', AVP_KUSTOMIZE_GENERATE]);
    expect(kustomizePlugin.spec.generate.command[2]).toContain('kustomize build --enable-helm . | argocd-vault-plugin generate');
    expect(parse(plugins.data['avp-helm.yaml']).spec.generate.command[2]).toContain('helm template');
    expect(schemaErrors([repoServer, plugins])).toEqual([]);
    expect(unknownFieldErrors([repoServer, plugins])).toEqual([]);
  });

  test('the secrets Application selects the plugin, and no External Secrets Operator is installed', () => {
    const app = parseYaml(file('argocd/apps/main-secrets.yaml'))[0];
    expect(app.spec.source).toMatchObject({
      path: 'main/overlays/production/secrets',
      plugin: { name: 'avp-kustomize', env: [{ name: 'APP_REPO', value: 'https://github.com/example-org/sandbox-app' }] },
    });
    expect(schemaErrors([app])).toEqual([]);
    expect(files.map((f) => f.path)).not.toContain('argocd/apps/external-secrets.yaml');
  });

  test('the Secret template names its Vault path and has a placeholder per key', () => {
    const secret = kustomize(tree, 'main/overlays/production/secrets')[0];
    expect(secret.metadata.annotations).toEqual({ 'avp.kubernetes.io/path': 'kv/data/main/main' });
    expect(secret.stringData).toEqual({ host: '<host>', port: '<port>', username: '<username>', password: '<password>', dbname: '<dbname>' });
    expect(schemaErrors([secret])).toEqual([]);
  });
});

describe('the plugin generate command, with stubs for kustomize and argocd-vault-plugin', () => {
  /** Runs the generated command in `dir` of a copy of the repository, as the sidecar does, with plugin env. */
  function generate(dir: string, env: Record<string, string>) {
    const work = mkdtempSync(join(tmpdir(), 'avp-'));
    execFileSync('cp', ['-r', `${tree}/.`, work]);
    const vaultData = join(work, 'vault.json');
    writeFileSync(vaultData, JSON.stringify({ 'kv/data/main/main': { host: 'db.internal', port: '5432', username: 'app', password: 's3cret', dbname: 'main' } }));
    const log = `${vaultData}.log`;
    const stdout = execFileSync('sh', ['-c', AVP_KUSTOMIZE_GENERATE], {
      cwd: join(work, dir),
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${repoPath('test', 'support', 'avp-stubs')}:${process.env.PATH}`,
        NODE_PATH: repoPath('node_modules'),
        AVP_STUB_VAULT: vaultData,
        AVP_STUB_LOG: log,
        ...env,
      },
    });
    return { objects: parseYaml(stdout), log: (() => { try { return readFileSync(log, 'utf8'); } catch { return ''; } })() };
  }

  test('fills the Secret from Vault', () => {
    const { objects } = generate('main/overlays/production/secrets', {});
    expect(objects).toHaveLength(1);
    expect(objects[0].stringData).toEqual({ host: 'db.internal', port: '5432', username: 'app', password: 's3cret', dbname: 'main' });
  });

  test('IMAGE_NAME and IMAGE_TAG pin the images, the migration follows, APP_REPO is recorded, AVP_SECRET is passed', () => {
    const images = platform.apps[0].containers.map((c) => c.image.imageUri).concat(platform.apps[0].migration!.image.imageUri);
    const { objects, log } = generate('main/overlays/production', {
      ARGOCD_ENV_IMAGE_NAME: images.join(' '),
      ARGOCD_ENV_IMAGE_TAG: 'v2.3.4',
      ARGOCD_ENV_APP_REPO: 'https://github.com/example-org/sandbox-app',
      ARGOCD_ENV_AVP_SECRET: 'argocd:avp-settings',
    });
    const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'main');
    expect(deployment.spec.template.spec.containers.map((c: any) => c.image.split(':').pop())).toEqual(['v2.3.4', 'v2.3.4']);
    expect(objects.find((o) => o.kind === 'Job').spec.template.spec.containers[0].image).toMatch(/\/migration:v2\.3\.4$/);
    expect(deployment.metadata.annotations['cdk-eks-gitops.dev/source-repository']).toBe('https://github.com/example-org/sandbox-app');
    expect(log).toBe('secret-name=argocd:avp-settings\n');
  });

  test('without plugin env the overlay renders as committed', () => {
    const { objects, log } = generate('main/overlays/production', {});
    expect(objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'main').spec.template.spec.containers[0].image).toMatch(/:v0\.0\.1$/);
    expect(log).toBe('secret-name=\n');
  });
});

describe('argocd-vault-plugin install (CDK path)', () => {
  test('the argo-cd chart values add the same sidecars and plugin ConfigMap', () => {
    const chart = Object.values<any>(platformStackTemplates([platform])[0].Resources).find(
      (r) => r.Type === 'Custom::AWSCDK-EKS-HelmChart' && r.Properties.Chart === 'argo-cd',
    );
    const values = JSON.parse(chart.Properties.Values);
    expect(values.repoServer.extraContainers.map((c: any) => c.name)).toEqual(['avp-kustomize', 'avp-helm']);
    expect(values.repoServer.initContainers.map((c: any) => c.name)).toEqual(['download-argocd-vault-plugin']);
    expect(values.extraObjects.map((o: any) => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/argocd-vault-plugin-cmp']);
    expect(values.configs.cm['resource.customizations.health.argoproj.io_Application']).toBeDefined();
  });
});
