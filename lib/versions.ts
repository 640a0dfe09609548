/**
 * Upstream versions the library renders and is tested against. The CRDs and install manifests of
 * these exact versions are what the manifest tests validate against.
 */
export const UPSTREAM_VERSIONS = {
  /** Argo CD application version (the Helm chart is told to run this image tag). */
  argoCd: 'v3.5.1',
  /** argo-cd Helm chart (argoproj/argo-helm) installed by the stack. */
  argoCdChart: '9.5.1',
  /** Argo CD Image Updater; its `config/install.yaml` at this tag is the overlay's base. */
  imageUpdater: 'v1.3.0',
  /** External Secrets Operator Helm chart. */
  externalSecretsChart: '2.9.0',
  /** ExternalDNS image tag. */
  externalDns: 'v0.22.0',
  /** argocd-vault-plugin release binary. */
  vaultPlugin: '1.18.1',
} as const;

/** Helm repositories and remote bases the generated manifests reference. */
export const UPSTREAM_URLS = {
  argoCdChartRepository: 'https://argoproj.github.io/argo-helm',
  externalSecretsChartRepository: 'https://charts.external-secrets.io',
  imageUpdaterInstall: `https://raw.githubusercontent.com/argoproj-labs/argocd-image-updater/${UPSTREAM_VERSIONS.imageUpdater}/config/install.yaml`,
  argoCdInstall: `https://raw.githubusercontent.com/argoproj/argo-cd/${UPSTREAM_VERSIONS.argoCd}/manifests/install.yaml`,
  externalDnsImage: `registry.k8s.io/external-dns/external-dns:${UPSTREAM_VERSIONS.externalDns}`,
} as const;
