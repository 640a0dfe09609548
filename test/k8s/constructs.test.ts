import { readFileSync } from 'fs';
import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { ImageUpdater } from '../../lib/addons/image-updater/image-updater';
import { ImageUpdaterOverlayChart } from '../../lib/addons/image-updater/image-updater-overlay-chart';
import { ArgoAppProject } from '../../lib/k8s/argocd/app-project';
import { ArgoApplication } from '../../lib/k8s/argocd/application';
import { UpdateStrategy, WriteBackMethod } from '../../lib/model/types';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { sandboxSpec, upstreamPath } from '../fixtures';
import { schemaErrors } from '../support/manifest-checks';

const chart = () => new Chart(Testing.app(), 'test');

describe('ArgoAppProject on its own', () => {
  test('renders the listed repositories and destinations, valid against the AppProject CRD', () => {
    const c = chart();
    new ArgoAppProject(c, 'Project', {
      name: 'team',
      sourceRepos: ['https://github.com/o/r.git'],
      destinations: [{ namespace: 'team' }, { namespace: 'other', server: 'https://10.0.0.1' }],
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
    });
    const [project] = Testing.synth(c);
    expect(project.metadata).toEqual({ name: 'team', namespace: 'argocd' });
    expect(project.spec.destinations).toEqual([
      { server: 'https://kubernetes.default.svc', namespace: 'team' },
      { server: 'https://10.0.0.1', namespace: 'other' },
    ]);
    expect(schemaErrors([project])).toEqual([]);
  });

  test.each([
    [{ sourceRepos: ['*'], destinations: [{ namespace: 'a' }] }, "sourceRepos entry '*' has a wildcard"],
    [{ sourceRepos: ['https://github.com/o/*'], destinations: [{ namespace: 'a' }] }, 'has a wildcard; list each repository URL'],
    [{ sourceRepos: ['https://x'], destinations: [{ namespace: '*' }] }, "destination 'https://kubernetes.default.svc/*' has a wildcard"],
  ])('refuses wildcards: %j', (props, message) => {
    expect(() => new ArgoAppProject(chart(), 'P', { name: 'p', ...props })).toThrow(message);
  });
});

describe('ArgoApplication on its own', () => {
  test('renders a Helm source with values, a plugin env and no finalizer when asked', () => {
    const c = chart();
    new ArgoApplication(c, 'App', {
      name: 'cm',
      project: 'p',
      source: { repoUrl: 'https://charts.example.com', chart: 'thing', targetRevision: '1.0.0', helmValues: { a: 1 } },
      destinationNamespace: 'thing',
      cascadeDelete: false,
      syncWave: 3,
    });
    const [app] = Testing.synth(c);
    expect(app.metadata.finalizers).toBeUndefined();
    expect(app.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '3' });
    expect(app.spec.source.helm).toEqual({ valuesObject: { a: 1 } });
    expect(schemaErrors([app])).toEqual([]);
  });

  test.each([
    [{ repoUrl: 'x', targetRevision: 'main' }, 'give exactly one of source.path'],
    [{ repoUrl: 'x', targetRevision: 'main', path: 'a', chart: 'b' }, 'give exactly one of source.path'],
    [{ repoUrl: 'x', targetRevision: 'main', path: 'a', helmValues: {} }, 'source.helmValues needs source.chart'],
  ])('refuses an ambiguous source %j', (source, message) => {
    expect(() => new ArgoApplication(chart(), 'A', { name: 'a', project: 'p', source, destinationNamespace: 'a' })).toThrow(message);
  });

  test('refuses prune without automated sync', () => {
    expect(
      () =>
        new ArgoApplication(chart(), 'A', {
          name: 'a',
          project: 'p',
          source: { repoUrl: 'x', targetRevision: 'main', path: '.' },
          destinationNamespace: 'a',
          syncPolicy: { automated: false, prune: true },
        }),
    ).toThrow('syncPolicy.prune and selfHeal need automated: true');
  });
});

describe('ImageUpdater on its own', () => {
  test('renders strategy, tag filter and git write-back, valid against the 1.3.0 CRD', () => {
    const c = chart();
    new ImageUpdater(c, 'U', {
      name: 'shop',
      applicationNamePattern: 'shop-*',
      images: [{ alias: 'api', imageName: 'ghcr.io/o/api' }],
      strategy: UpdateStrategy.NEWEST_BUILD,
      allowTags: '^main-[0-9a-f]{7}$',
      writeBack: WriteBackMethod.GIT,
    });
    const [updater] = Testing.synth(c);
    expect(updater.spec.applicationRefs[0].commonUpdateSettings).toEqual({
      updateStrategy: 'newest-build',
      allowTags: 'regexp:^main-[0-9a-f]{7}$',
      ignoreTags: ['latest'],
    });
    expect(updater.spec.writeBackConfig).toEqual({ method: 'git', gitConfig: { writeBackTarget: 'kustomization' } });
    expect(schemaErrors([updater])).toEqual([]);
  });

  test.each([
    [[], 'images needs at least one image'],
    [[{ alias: 'a', imageName: 'x/a' }, { alias: 'a', imageName: 'x/b' }], "image alias 'a' is used twice"],
    [[{ alias: 'a', imageName: 'x/a:v1' }], "imageName 'x/a:v1' has a tag or digest"],
  ])('refuses bad images %j', (images, message) => {
    expect(() => new ImageUpdater(chart(), 'U', { name: 'u', applicationNamePattern: 'u', images })).toThrow(message);
  });
});

/**
 * The ImageUpdater CRD of v1.3.0 checks `imagesVerification` with a CEL rule the OpenAPI schema
 * cannot express (`self.enabled == false || has(self.cosignKey)`); the schema validator of the
 * tests does not evaluate CEL, so this reads the rule from the CRD, checks it is still that one,
 * and evaluates it on the block.
 */
function verificationRuleErrors(updater: any): string[] {
  const crd = parse(readFileSync(upstreamPath('argocd-image-updater-v1.3.0', 'imageupdaters-crd.yaml'), 'utf8'));
  const block = crd.spec.versions.find((v: any) => v.name === 'v1alpha1').schema.openAPIV3Schema.properties.spec.properties.imagesVerification;
  const rules = block['x-kubernetes-validations'].map((v: any) => v.rule);
  expect(rules).toEqual(['self.enabled == false || has(self.cosignKey)']);
  const verification = updater.spec.imagesVerification;
  if (verification === undefined) return [];
  // `enabled` defaults to true in the CRD.
  const enabled = verification.enabled ?? block.properties.enabled.default;
  return enabled === false || verification.cosignKey !== undefined ? [] : ['imagesVerification: at least one verification method (cosignKey) is required when verification is enabled'];
}

describe('ImageUpdater verification', () => {
  test('with a key Secret: imagesVerification on at the spec level, valid against the 1.3.0 CRD and its CEL rule', () => {
    const c = chart();
    new ImageUpdater(c, 'U', {
      name: 'shop',
      applicationNamePattern: 'shop',
      images: [{ alias: 'api', imageName: 'ghcr.io/o/api' }],
      verification: { secretName: 'signing-key', key: 'cosign.pub' },
    });
    const [updater] = Testing.synth(c);
    expect(updater.spec.imagesVerification).toEqual({ enabled: true, cosignKey: { secretName: 'signing-key', key: 'cosign.pub' } });
    expect(schemaErrors([updater])).toEqual([]);
    expect(verificationRuleErrors(updater)).toEqual([]);
    // The check is real: the block without its key is refused by the rule, a misspelt field by the schema.
    expect(verificationRuleErrors({ spec: { imagesVerification: { enabled: true } } })).toHaveLength(1);
    expect(schemaErrors([{ ...updater, spec: { ...updater.spec, imagesVerification: { enabled: true, cosignKey: { secret: 'x', key: 'y' } } } }])).not.toEqual([]);
  });

  test('the sandbox\'s resource names the Secret the stack writes, derived from the spec; with sign: false it verifies nothing', () => {
    const updaterOf = (spec: any) => {
      const platform = Platform.resolve(PlatformSpecLoader.fromObject(spec));
      const overlay = new ImageUpdaterOverlayChart(Testing.app(), 'o', { platform });
      return { platform, updater: overlay.resourceFiles['image-updaters.yaml'][0].toJson() };
    };
    const { platform, updater } = updaterOf(sandboxSpec());
    expect(updater.metadata.namespace).toBe(platform.argocd.namespace);
    expect(updater.spec.imagesVerification).toEqual({
      enabled: true,
      cosignKey: { secretName: platform.images.signingKey!.secretName, key: platform.images.signingKey!.secretKey },
    });
    expect(schemaErrors([updater])).toEqual([]);
    expect(verificationRuleErrors(updater)).toEqual([]);

    const unsigned = sandboxSpec();
    unsigned.apps[0].supplyChain = { sign: false };
    expect(updaterOf(unsigned).updater.spec.imagesVerification).toBeUndefined();
  });
});
