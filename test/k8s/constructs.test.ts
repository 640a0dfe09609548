import { Chart, Testing } from 'cdk8s';
import { ImageUpdater } from '../../lib/addons/image-updater/image-updater';
import { ArgoAppProject } from '../../lib/k8s/argocd/app-project';
import { ArgoApplication } from '../../lib/k8s/argocd/application';
import { UpdateStrategy, WriteBackMethod } from '../../lib/model/types';
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
