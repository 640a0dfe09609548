// The Kubernetes versions a cluster can run: the EKS support calendar (warnings and the refusal past
// extended support, on a fixed day), the add-ons' documented ranges (a version outside one is
// refused, naming the add-on) and the default they give.
import { readFileSync } from 'fs';
import { BUILT_IN_ADDONS } from '../../lib/addons/built-in';
import {
  ADDON_KUBERNETES_SUPPORT,
  addonSupports,
  applicableAddonSupport,
  checkKubernetesVersion,
  describeRange,
  DEFAULT_KUBERNETES_VERSION,
  KUBERNETES_VERSIONS,
  kubernetesSupportWarning,
  kubernetesSupportWarnings,
  kubernetesVersionProblem,
  SUPPORTED_KUBERNETES_VERSIONS,
  supportPhase,
  SupportPhase,
  today,
} from '../../lib/model/kubernetes-versions';
import { validateSpec } from '../../lib/model/validate';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { repoPath, sandboxSpec, twoEnvironmentsSpec } from '../fixtures';

const day = (d: string) => new Date(`${d}T00:00:00Z`);

/** The managed Argo CD example's spec as a plain, freely mutable object. */
function managedSpec(): any {
  return JSON.parse(JSON.stringify(PlatformSpecLoader.fromFile(repoPath('examples', 'managed-argocd', 'platform.yaml'))));
}

/** Runs `fn` with `CDK_EKS_GITOPS_TODAY` set to `date`, then restores it. */
function on<T>(date: string, fn: () => T): T {
  const saved = process.env.CDK_EKS_GITOPS_TODAY;
  process.env.CDK_EKS_GITOPS_TODAY = date;
  try {
    return fn();
  } finally {
    process.env.CDK_EKS_GITOPS_TODAY = saved;
  }
}

describe('the EKS calendar', () => {
  // The EKS Kubernetes versions page (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html,
  // read 2026-12-02): standard support ends on these days, and extended support 12 months later.
  test.each([
    ['1.32', '2026-03-23', '2027-03-23'],
    ['1.33', '2026-07-29', '2027-07-29'],
    ['1.34', '2026-12-02', '2027-12-02'],
    ['1.35', '2027-03-27', '2028-03-27'],
  ])('%s: standard support until %s, extended until %s', (version, standard, extended) => {
    expect(KUBERNETES_VERSIONS[version as '1.32']).toMatchObject({ endOfStandardSupport: standard, endOfExtendedSupport: extended, approximate: false });
  });

  test('1.36 has no exact dates on the page yet: they are marked approximate, and warnings say "about"', () => {
    expect(KUBERNETES_VERSIONS['1.36']).toMatchObject({ approximate: true, endOfStandardSupport: '2027-08-01', endOfExtendedSupport: '2028-08-01' });
    expect(kubernetesSupportWarning('1.36', day('2027-08-10'))).toBe(
      'Kubernetes 1.36 is in EKS extended support since about 2027-08, until about 2028-08: the control plane costs $0.60 instead of $0.10 per cluster-hour.',
    );
  });

  test('on 2026-12-02, 1.34 leaves standard support: in extended support that very day (billing starts at 00:00 UTC)', () => {
    const now = day('2026-12-02');
    expect(supportPhase('1.34', now)).toBe(SupportPhase.EXTENDED);
    expect(supportPhase('1.34', day('2026-12-01'))).toBe(SupportPhase.STANDARD_ENDING);
    expect(kubernetesSupportWarning('1.34', now)).toBe(
      'Kubernetes 1.34 is in EKS extended support since 2026-12-02, until 2027-12-02: the control plane costs $0.60 instead of $0.10 per cluster-hour. Upgrade cluster.version to 1.35 (one minor version per deploy).',
    );
    expect(kubernetesSupportWarning('1.35', now)).toBeUndefined();
    expect(kubernetesSupportWarning('1.36', now)).toBeUndefined();
  });

  test('a version leaving standard support within 90 days warns, with the days left; 91 days out it does not', () => {
    expect(kubernetesSupportWarning('1.35', day('2026-12-26'))).toBeUndefined();
    expect(kubernetesSupportWarning('1.35', day('2026-12-27'))).toBe(
      'Kubernetes 1.35 leaves EKS standard support on 2027-03-27 (in 90 days); extended support, until 2028-03-27, costs $0.60 instead of $0.10 per cluster-hour. Upgrade cluster.version to 1.36 (one minor version per deploy).',
    );
    expect(kubernetesSupportWarning('1.35', day('2027-03-26'))).toContain('(in 1 day)');
  });

  test('past extended support a version is refused, with its dates and what is left', () => {
    expect(kubernetesVersionProblem('1.32', day('2027-03-22'))).toBeUndefined();
    expect(kubernetesVersionProblem('1.32', day('2027-03-23'))).toBe(
      "Kubernetes '1.32' is past EKS extended support (it ended on 2027-03-23; standard support on 2026-03-23): EKS creates no cluster on it and upgrades existing ones on its own. Use one of 1.33, 1.34, 1.35, 1.36, one minor version per deploy",
    );
    expect(kubernetesSupportWarning('1.32', day('2027-03-23'))).toBeUndefined();
  });

  test('today comes from CDK_EKS_GITOPS_TODAY, else the clock; a value that is no date is refused by name', () => {
    expect(today({ CDK_EKS_GITOPS_TODAY: '2027-01-31' }).toISOString()).toBe('2027-01-31T00:00:00.000Z');
    const clock = new Date();
    expect(today({}).toISOString().slice(0, 10)).toBe(clock.toISOString().slice(0, 10));
    for (const bad of ['2027-02-30', '02.12.2026', 'tomorrow']) {
      expect(() => today({ CDK_EKS_GITOPS_TODAY: bad })).toThrow(`CDK_EKS_GITOPS_TODAY='${bad}' is not a date: use YYYY-MM-DD, such as 2026-12-02, or leave it unset for the machine's clock`);
    }
  });
});

describe('the kubectl layer of each version', () => {
  // kubectl is supported within one minor version of the API server
  // (https://kubernetes.io/releases/version-skew-policy/#kubectl).
  test.each(SUPPORTED_KUBERNETES_VERSIONS.map((v) => [v]))('%s runs a kubectl within one minor version, and helm 4', (version) => {
    const { kubectl, helm, packageName } = KUBERNETES_VERSIONS[version].kubectlLayer;
    const skew = Number(kubectl.split('.')[1]) - Number(version.split('.')[1]);
    expect(Math.abs(skew)).toBeLessThanOrEqual(1);
    expect(helm).toMatch(/^4\./);
    expect(packageName).toBe(`@aws-cdk/lambda-layer-kubectl-v${kubectl.split('.')[1]}`);
  });

  test('each version runs its own layer, except 1.32 (its layer holds helm 3.17), which runs v33', () => {
    const layers = SUPPORTED_KUBERNETES_VERSIONS.map((v) => [v, KUBERNETES_VERSIONS[v].kubectlLayer.packageName.replace('@aws-cdk/lambda-layer-kubectl-', '')]);
    expect(layers).toEqual([['1.32', 'v33'], ['1.33', 'v33'], ['1.34', 'v34'], ['1.35', 'v35'], ['1.36', 'v36']]);
  });
});

describe("the add-ons' Kubernetes ranges", () => {
  test('the default is the newest version every pinned add-on supports: 1.35, as Argo CD v3.4.4 is tested up to 1.35', () => {
    expect(DEFAULT_KUBERNETES_VERSION).toBe('1.35');
    const argo = ADDON_KUBERNETES_SUPPORT.find((e) => e.appliesTo === 'argocd')!;
    expect(addonSupports(argo, '1.36')).toBe(false);
    expect(ADDON_KUBERNETES_SUPPORT.filter((e) => !addonSupports(e, '1.36')).map((e) => e.addon)).toEqual(['Argo CD v3.4.4']);
    expect(Platform.resolve(PlatformSpecLoader.fromObject({ ...sandboxSpec(), cluster: {} })).cluster.version).toBe('1.35');
  });

  test('every entry names its source at the pinned version', () => {
    expect(ADDON_KUBERNETES_SUPPORT.map((e) => [e.addon, e.min ?? null, e.max ?? null])).toEqual([
      ['Argo CD v3.4.4', '1.32', '1.35'],
      ['AWS Load Balancer Controller v3.5.0', '1.22', null],
      ['External Secrets Operator 2.9.0', '1.33', '1.36'],
      ['ExternalDNS v0.22.0', '1.21', null],
      ['Argo CD Image Updater v1.3.0', null, null],
      ['Karpenter v1.14.1', '1.26', '1.36'],
    ]);
    for (const entry of ADDON_KUBERNETES_SUPPORT) expect(entry.source).toMatch(/\/.+ (v?\d|docs)/);
  });

  // The compatibility table as a test: each version of the sandbox (Argo CD installed by the stack,
  // External Secrets, ExternalDNS, the Image Updater, the load balancer controller) and of the
  // managed Argo CD example, accepted or refused with the add-on named.
  test.each([
    ['1.32', "Kubernetes '1.32' is outside what External Secrets Operator 2.9.0 supports (1.33 to 1.36): use one of 1.33, 1.34, 1.35"],
    ['1.33', undefined],
    ['1.34', undefined],
    ['1.35', undefined],
    ['1.36', "Kubernetes '1.36' is outside what Argo CD v3.4.4 supports (1.32 to 1.35): use one of 1.33, 1.34, 1.35, or the EKS managed Argo CD (argocd.managed: true)"],
  ])('the sandbox on %s', (version, refusal) => {
    const spec = sandboxSpec();
    spec.cluster.version = version;
    expect(on('2026-12-02', () => validateSpec(spec, BUILT_IN_ADDONS))).toEqual(refusal ? [{ path: 'cluster.version', message: refusal }] : []);
  });

  test.each([
    ['1.32', "Kubernetes '1.32' is outside what External Secrets Operator 2.9.0 supports (1.33 to 1.36): use one of 1.33, 1.34, 1.35, 1.36"],
    ['1.33', undefined],
    ['1.36', undefined],
  ])('the managed Argo CD example on %s: AWS chooses its Argo CD, so 1.36 is open', (version, refusal) => {
    const spec = managedSpec();
    spec.cluster.version = version;
    expect(on('2026-12-02', () => validateSpec(spec, BUILT_IN_ADDONS))).toEqual(refusal ? [{ path: 'cluster.version', message: refusal }] : []);
  });

  test('an add-on applies only where the platform installs it (Karpenter, with its range, when it is one)', () => {
    const platform = Platform.resolve(PlatformSpecLoader.fromObject(sandboxSpec()));
    expect(applicableAddonSupport(platform).map((e) => e.appliesTo)).toEqual(['argocd', 'aws-load-balancer-controller', 'external-secrets', 'external-dns', 'argocd-image-updater']);
    const withKarpenter = { ...platform, addons: [...platform.addons, { addon: { name: 'karpenter', specKey: 'karpenter', description: 'Karpenter', enabled: () => true, resolve: () => ({}) }, settings: {} }], cluster: { ...platform.cluster, version: '1.37' } };
    const problems: string[] = [];
    checkKubernetesVersion(withKarpenter, (path, message) => problems.push(`${path}: ${message}`), day('2026-12-02'));
    expect(problems).toContain("cluster.version: Kubernetes '1.37' is outside what Karpenter v1.14.1 supports (1.26 to 1.36): use one of 1.33, 1.34, 1.35");
  });
});

describe('validate', () => {
  test('past extended support the spec is refused at cluster.version, on the fixed day', () => {
    const spec = managedSpec();
    spec.cluster.version = '1.33';
    expect(on('2027-07-28', () => validateSpec(spec, BUILT_IN_ADDONS))).toEqual([]);
    expect(on('2027-07-29', () => validateSpec(spec, BUILT_IN_ADDONS))).toEqual([
      {
        path: 'cluster.version',
        message:
          "Kubernetes '1.33' is past EKS extended support (it ended on 2027-07-29; standard support on 2026-07-29): EKS creates no cluster on it and upgrades existing ones on its own. Use one of 1.34, 1.35, 1.36, one minor version per deploy",
      },
    ]);
  });

  test("an environment's own version is checked at its override", () => {
    const spec = twoEnvironmentsSpec();
    spec.environments[1].cluster = { ...spec.environments[1].cluster, version: '1.36' };
    const problems = on('2026-12-02', () => validateSpec(spec, BUILT_IN_ADDONS));
    expect(problems).toEqual([
      {
        path: 'environments[1].cluster.version',
        message: "Kubernetes '1.36' is outside what Argo CD v3.4.4 supports (1.32 to 1.35): use one of 1.33, 1.34, 1.35, or the EKS managed Argo CD (argocd.managed: true)",
      },
    ]);
  });

  test('the warnings name the version, the environments it is in, the dates and the cost', () => {
    const spec = twoEnvironmentsSpec();
    spec.cluster = { ...spec.cluster, version: '1.34' };
    const platforms = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec), { account: '123456789012' });
    expect(kubernetesSupportWarnings(platforms, day('2026-12-02'))).toEqual([
      'cluster.version 1.34 (environments staging, production): Kubernetes 1.34 is in EKS extended support since 2026-12-02, until 2027-12-02: the control plane costs $0.60 instead of $0.10 per cluster-hour. Upgrade cluster.version to 1.35 (one minor version per deploy).',
    ]);
    expect(kubernetesSupportWarnings(platforms, day('2026-09-01'))).toEqual([]);
  });
});

describe('docs/versions.md', () => {
  const rows = readFileSync(repoPath('docs', 'versions.md'), 'utf8').split('\n');

  test.each(SUPPORTED_KUBERNETES_VERSIONS.map((v) => [v]))('names %s with its dates and layer, as the table holds them', (version) => {
    const info = KUBERNETES_VERSIONS[version];
    const date = (d: string) => (info.approximate ? `about ${d.slice(0, 7)}` : d);
    const { packageName, kubectl, helm } = info.kubectlLayer;
    expect(rows.find((row) => row.startsWith(`| ${version} |`))).toBe(
      `| ${version} | ${date(info.endOfStandardSupport)} | ${date(info.endOfExtendedSupport)} | \`${packageName}\` (${kubectl}, ${helm}) |`,
    );
  });

  test.each(ADDON_KUBERNETES_SUPPORT.map((e) => [e.addon, e]))("names %s's range", (addon, entry) => {
    expect(rows.find((row) => row.startsWith(`| ${addon}`))).toContain(`| ${describeRange(entry)} |`);
  });
});
