/**
 * Upstream versions the library renders and is tested against. The CRDs and install manifests of
 * these exact versions are what the manifest tests validate against.
 */
export const UPSTREAM_VERSIONS = {
  /**
   * Argo CD, everywhere: the `appVersion` of `argoCdChart` (the image the stack's install runs and the
   * CRDs it installs), the bootstrap install manifest, and the CLI the argocd-cli delivery installs.
   */
  argoCd: 'v3.4.4',
  /** argo-cd Helm chart (argoproj/argo-helm) installed by the stack; its `appVersion` is `argoCd`. */
  argoCdChart: '10.1.1',
  /** Argo CD Image Updater; its `config/install.yaml` at this tag is the overlay's base. */
  imageUpdater: 'v1.3.0',
  /** External Secrets Operator Helm chart, installed by the stack. */
  externalSecretsChart: '2.9.0',
  /** ExternalDNS image tag. */
  externalDns: 'v0.22.0',
  /** AWS Load Balancer Controller, image and Helm chart. */
  albController: 'v3.5.0',
  /** Karpenter: the controller image and its Helm chart (with `cluster.compute.mode: karpenter`). */
  karpenter: '1.14.1',
  /** argocd-vault-plugin release binary. */
  vaultPlugin: '1.18.1',
} as const;

/**
 * The `appVersion` of argo-cd Helm charts, from `charts/argo-cd/Chart.yaml` in argoproj/argo-helm:
 * charts 9.5.22 to 10.1.1 ship Argo CD v3.4.4 (and 9.5.1 ships v3.3.6). A chart installs the CRDs of
 * its `appVersion` and, by default, runs that image: the stack pins a chart listed here, so the
 * controller, its CRDs and the bootstrap install are one version.
 */
export const ARGO_CD_CHART_APP_VERSIONS: { readonly [chart: string]: string } = {
  '9.5.22': 'v3.4.4',
  '9.6.0': 'v3.4.4',
  '9.7.0': 'v3.4.4',
  '9.7.1': 'v3.4.4',
  '10.0.0': 'v3.4.4',
  '10.0.1': 'v3.4.4',
  '10.1.0': 'v3.4.4',
  '10.1.1': 'v3.4.4',
};

/** Helm repositories, images and remote bases the platform references. */
export const UPSTREAM_URLS = {
  argoCdChartRepository: 'https://argoproj.github.io/argo-helm',
  externalSecretsChartRepository: 'https://charts.external-secrets.io',
  imageUpdaterInstall: `https://raw.githubusercontent.com/argoproj-labs/argocd-image-updater/${UPSTREAM_VERSIONS.imageUpdater}/config/install.yaml`,
  argoCdInstall: `https://raw.githubusercontent.com/argoproj/argo-cd/${UPSTREAM_VERSIONS.argoCd}/manifests/install.yaml`,
  argoCdCli: `https://github.com/argoproj/argo-cd/releases/download/${UPSTREAM_VERSIONS.argoCd}/argocd-linux-amd64`,
  /**
   * Argo CD's image, the one the stack's install runs: chart 10.1.1's `global.image.repository`
   * (`quay.io/argoproj/argocd`) at its `appVersion`, as Argo CD's own install.yaml names it.
   */
  argoCdImage: `quay.io/argoproj/argocd:${UPSTREAM_VERSIONS.argoCd}`,
  externalDnsImage: `registry.k8s.io/external-dns/external-dns:${UPSTREAM_VERSIONS.externalDns}`,
  /** The AWS Load Balancer Controller chart's default image repository (chart 3.5.0 `values.yaml`). */
  albControllerImageRepository: 'public.ecr.aws/eks/aws-load-balancer-controller',
  /** Karpenter's Helm chart, an OCI artifact on ECR Public (releases publish it there with the release's version). */
  karpenterChart: 'oci://public.ecr.aws/karpenter/karpenter',
  /** The Karpenter chart's controller image repository (chart 1.14.1 `values.yaml`). */
  karpenterImageRepository: 'public.ecr.aws/karpenter/controller',
} as const;

/**
 * The images of the migration's wait for its database (`wait-for-database`), by engine: the engine's
 * own client (`pg_isready`, `mysqladmin ping`), from the Docker official images ECR Public mirrors.
 */
export const DATABASE_CLIENT_IMAGES = {
  postgresql: 'public.ecr.aws/docker/library/postgres:16.6-alpine',
  mysql: 'public.ecr.aws/docker/library/mysql:8.0.40',
} as const;
