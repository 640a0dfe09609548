import { ApiObject, Chart, ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { restrictedContainerSecurityContext } from '../../k8s/pod-security';
import type { ResolvedPlatform, ResolvedVault } from '../../model/resolved';
import { UPSTREAM_URLS, UPSTREAM_VERSIONS } from '../../versions';

/**
 * argocd-vault-plugin (AVP) as sidecar config management plugins of the Argo CD repo-server: the only
 * way Argo CD runs plugins since 2.8. AVP renders `<key>` placeholders of objects annotated with
 * `avp.kubernetes.io/path` from Vault while Argo CD generates manifests.
 *
 * Prefer External Secrets' Vault provider (secrets backend `vault`): AVP is effectively unmaintained,
 * puts secret values into Argo CD's manifest cache, and the EKS managed Argo CD runs no plugins.
 */

/** Plugin names an Application selects with `spec.source.plugin.name`. */
export const AVP_PLUGINS = { kustomize: 'avp-kustomize', helm: 'avp-helm' } as const;

/** The ConfigMap holding the plugin definitions, mounted into the sidecars. */
export const AVP_CONFIG_MAP = 'argocd-vault-plugin-cmp';

/** The annotation naming the Vault path of an object's placeholders. */
export const AVP_PATH_ANNOTATION = 'avp.kubernetes.io/path';

/** The annotation the kustomize plugin records the application repository in (`APP_REPO`). */
export const SOURCE_REPOSITORY_ANNOTATION = 'cdk-eks-gitops.dev/source-repository';

const ARGOCD_IMAGE = UPSTREAM_URLS.argoCdImage;
const TOOLS_VOLUME = 'avp-tools';

/**
 * The sidecars' writable home. AVP caches its Vault token in `$HOME/.avp/config.json`
 * (argocd-vault-plugin pkg/utils/util.go `SetToken`: `os.UserHomeDir()`, then `os.Mkdir` of `.avp`
 * and a write of `config.json`; a failure is only logged, "will need to login to Vault on subsequent
 * runs") and reads it back before logging in again (`CheckExistingToken`). The sidecars' root
 * filesystem is read-only, so without this every manifest generation logs in to Vault. helm (the
 * avp-helm plugin, kustomize `--enable-helm`) keeps its cache and config under `$HOME` too.
 */
export const AVP_HOME = '/home/argocd/avp-home';
const HOME_VOLUME = 'avp-home';

/**
 * The ServiceAccount whose token AVP logs in to Vault with (`AVP_AUTH_TYPE: k8s`): the repo-server's,
 * in Argo CD's namespace, as both the argo-cd chart and the upstream install name it. The Vault
 * Kubernetes auth role (`secrets.vault.role`) must bind this name and namespace.
 */
export const AVP_SERVICE_ACCOUNT = 'argocd-repo-server';

/** Requests and a memory limit of each sidecar: it runs kustomize or helm, then AVP. */
const SIDECAR_RESOURCES = resources('50m', '128Mi', '512Mi');
/** Requests and a memory limit of the init container that downloads AVP. */
const DOWNLOAD_RESOURCES = resources('10m', '32Mi', '128Mi');

function resources(cpuRequest: string, memoryRequest: string, memoryLimit: string): k8s.ResourceRequirements {
  const q = (value: string) => k8s.Quantity.fromString(value);
  return { requests: { cpu: q(cpuRequest), memory: q(memoryRequest) }, limits: { memory: q(memoryLimit) } };
}

/** A container as a manifest or Helm values hold it (quantities as strings). */
const containerJson = (container: k8s.Container): Record<string, unknown> => k8s.toJson_Container(container) ?? {};

/**
 * The kustomize plugin's generate command. Plugin env reaches it prefixed `ARGOCD_ENV_`:
 * `IMAGE_NAME` (image names, space-separated) and `IMAGE_TAG` pin the images, so an image build needs
 * no manifest commit; `APP_REPO` is recorded as an annotation; `AVP_SECRET` names a Secret with AVP
 * settings that override the sidecar's environment.
 */
export const AVP_KUSTOMIZE_GENERATE = [
  'set -eu',
  'if [ -n "${ARGOCD_ENV_IMAGE_TAG:-}" ]; then',
  '  for image in ${ARGOCD_ENV_IMAGE_NAME:-}; do kustomize edit set image "$image=$image:$ARGOCD_ENV_IMAGE_TAG"; done',
  'fi',
  'if [ -n "${ARGOCD_ENV_APP_REPO:-}" ]; then',
  `  kustomize edit set annotation "${SOURCE_REPOSITORY_ANNOTATION}:$ARGOCD_ENV_APP_REPO"`,
  'fi',
  'kustomize build --enable-helm . | argocd-vault-plugin generate ${ARGOCD_ENV_AVP_SECRET:+--secret-name "$ARGOCD_ENV_AVP_SECRET"} -',
].join('\n');

/** The Helm plugin's generate command (no free-form Helm arguments: they would run code in the sidecar). */
export const AVP_HELM_GENERATE = [
  'set -eu',
  'helm template "$ARGOCD_APP_NAME" -n "$ARGOCD_APP_NAMESPACE" . | argocd-vault-plugin generate ${ARGOCD_ENV_AVP_SECRET:+--secret-name "$ARGOCD_ENV_AVP_SECRET"} -',
].join('\n');

/** The two `ConfigManagementPlugin` definitions, by file name in the ConfigMap. */
export function avpPluginDefinitions(): { [file: string]: Record<string, unknown> } {
  const plugin = (name: string, discover: string, generate: string) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ConfigManagementPlugin',
    metadata: { name },
    spec: {
      allowConcurrency: true,
      discover: { find: { command: ['sh', '-c', discover] } },
      generate: { command: ['sh', '-c', generate] },
      lockRepo: false,
    },
  });
  return {
    [`${AVP_PLUGINS.kustomize}.yaml`]: plugin(AVP_PLUGINS.kustomize, 'find . -maxdepth 1 -name kustomization.yaml', AVP_KUSTOMIZE_GENERATE),
    [`${AVP_PLUGINS.helm}.yaml`]: plugin(AVP_PLUGINS.helm, 'find . -maxdepth 1 -name Chart.yaml', AVP_HELM_GENERATE),
  };
}

/** AVP settings of the sidecars: Vault, authenticated as the repo-server's ServiceAccount. */
function avpEnv(vault: ResolvedVault): k8s.EnvVar[] {
  return [
    { name: 'AVP_TYPE', value: 'vault' },
    { name: 'VAULT_ADDR', value: vault.address },
    { name: 'AVP_AUTH_TYPE', value: 'k8s' },
    { name: 'AVP_K8S_ROLE', value: vault.role },
    { name: 'AVP_K8S_MOUNT_PATH', value: `auth/${vault.authMount}` },
  ];
}

/** What the plugins add to the repo-server pod. */
export interface RepoServerAdditions {
  /** Downloads the plugin binary. */
  readonly initContainers: k8s.Container[];
  /** One sidecar per plugin. */
  readonly containers: k8s.Container[];
  /** The plugin definitions and the binary. */
  readonly volumes: k8s.Volume[];
}

/** The repo-server additions for a platform's Vault. */
export function repoServerAdditions(vault: ResolvedVault): RepoServerAdditions {
  const version = UPSTREAM_VERSIONS.vaultPlugin;
  const sidecar = (plugin: string): k8s.Container => ({
    name: plugin,
    image: ARGOCD_IMAGE,
    command: ['/var/run/argocd/argocd-cmp-server'],
    env: [...avpEnv(vault), { name: 'HOME', value: AVP_HOME }],
    securityContext: { ...restrictedContainerSecurityContext(), runAsUser: 999 },
    resources: SIDECAR_RESOURCES,
    volumeMounts: [
      // One directory per plugin: the two never write each other's token cache.
      { name: HOME_VOLUME, mountPath: AVP_HOME, subPath: plugin },
      { name: 'var-files', mountPath: '/var/run/argocd' },
      { name: 'plugins', mountPath: '/home/argocd/cmp-server/plugins' },
      { name: 'tmp', mountPath: '/tmp' },
      { name: AVP_CONFIG_MAP, mountPath: '/home/argocd/cmp-server/config/plugin.yaml', subPath: `${plugin}.yaml` },
      { name: TOOLS_VOLUME, mountPath: '/usr/local/bin/argocd-vault-plugin', subPath: 'argocd-vault-plugin' },
    ],
  });
  return {
    initContainers: [
      {
        name: 'download-argocd-vault-plugin',
        image: 'curlimages/curl:8.11.1',
        command: ['sh', '-c'],
        args: [
          `curl -fsSL -o /tools/argocd-vault-plugin https://github.com/argoproj-labs/argocd-vault-plugin/releases/download/v${version}/argocd-vault-plugin_${version}_linux_amd64 && chmod 0755 /tools/argocd-vault-plugin`,
        ],
        securityContext: { ...restrictedContainerSecurityContext(), runAsUser: 999 },
        resources: DOWNLOAD_RESOURCES,
        volumeMounts: [{ name: TOOLS_VOLUME, mountPath: '/tools' }],
      },
    ],
    containers: [sidecar(AVP_PLUGINS.kustomize), sidecar(AVP_PLUGINS.helm)],
    volumes: [
      { name: AVP_CONFIG_MAP, configMap: { name: AVP_CONFIG_MAP } },
      { name: TOOLS_VOLUME, emptyDir: {} },
      { name: HOME_VOLUME, emptyDir: {} },
    ],
  };
}

/** Properties of a `VaultPluginChart`. */
export interface VaultPluginChartProps extends ChartProps {
  /** The resolved platform; its secret backend must be `vault-plugin`. */
  readonly platform: ResolvedPlatform;
}

/**
 * The plugin install for a kustomize-managed Argo CD: the ConfigMap of plugin definitions and a
 * strategic-merge patch of the upstream `argocd-repo-server` Deployment adding the sidecars.
 */
export class VaultPluginChart extends Chart {
  /** The ConfigMap of plugin definitions. */
  public readonly configMap: ApiObject;
  /** The repo-server patch. */
  public readonly repoServerPatch: ApiObject;

  constructor(scope: Construct, id: string, props: VaultPluginChartProps) {
    super(scope, id, props);
    const vault = props.platform.secrets.vault;
    if (!vault) throw new Error('VaultPluginChart: the platform has no Vault settings (secrets.vault)');
    const { apiVersion, kind, ...rest } = avpConfigMapObject(props.platform.argocd.namespace);
    this.configMap = new ApiObject(this, 'Plugins', { apiVersion, kind, ...rest });
    const additions = repoServerAdditions(vault);
    this.repoServerPatch = new ApiObject(this, 'RepoServerPatch', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'argocd-repo-server' },
      spec: {
        template: {
          spec: {
            // AVP authenticates to Vault with the repo-server's ServiceAccount token.
            automountServiceAccountToken: true,
            initContainers: additions.initContainers.map(containerJson),
            containers: additions.containers.map(containerJson),
            volumes: additions.volumes,
          },
        },
      },
    });
  }
}

/** The ConfigMap of plugin definitions, as a plain object. */
export function avpConfigMapObject(namespace: string): Record<string, any> {
  const data = Object.fromEntries(Object.entries(avpPluginDefinitions()).map(([file, definition]) => [file, JSON.stringify(definition, null, 2)]));
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: AVP_CONFIG_MAP, namespace }, data };
}

/**
 * Helm values of the argo-cd chart that install the same plugins, for the CDK-installed Argo CD.
 */
export function vaultPluginHelmValues(platform: ResolvedPlatform): { [key: string]: any } {
  const vault = platform.secrets.vault;
  if (!vault) throw new Error('vaultPluginHelmValues: the platform has no Vault settings (secrets.vault)');
  const additions = repoServerAdditions(vault);
  return {
    repoServer: {
      serviceAccount: { automountServiceAccountToken: true },
      initContainers: additions.initContainers.map(containerJson),
      extraContainers: additions.containers.map(containerJson),
      volumes: additions.volumes,
    },
    extraObjects: [avpConfigMapObject(platform.argocd.namespace)],
  };
}
