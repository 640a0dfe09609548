// The cluster's kubectl layer follows its Kubernetes version, and synth warns about (or refuses) a
// version by the EKS support calendar, on a fixed day.
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import { dirname, join } from 'path';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { GitOpsCluster } from '../../lib/aws/gitops-cluster';
import { GitOpsPlatform } from '../../lib/aws/gitops-platform';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { cdkApp, repoPath } from '../fixtures';

/**
 * The S3 key of a kubectl layer package's asset: the package gives its layer the SHA-256 of its
 * layer/Dockerfile (which names the kubectl and helm versions; lib/_asset.js) as a custom asset
 * hash, which aws-cdk-lib hashes once more.
 */
function layerAssetHash(packageName: string): string {
  const dockerfile = join(dirname(require.resolve(`${packageName}/package.json`)), 'layer', 'Dockerfile');
  const custom = createHash('sha256').update(readFileSync(dockerfile)).digest('hex');
  return createHash('sha256').update(custom).digest('hex');
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

function cluster(version: string): { stack: Stack; template: Template } {
  const stack = new Stack(cdkApp(), `Cluster-${version.replace('.', '-')}`, { env: { account: '123456789012', region: 'ap-northeast-1' } });
  new GitOpsCluster(stack, 'Cluster', { clusterName: 'demo', version, adminRoleArns: ['arn:aws:iam::123456789012:role/admin'] });
  return { stack, template: Template.fromStack(stack) };
}

describe('a spec with cluster.version "1.36"', () => {
  // GIVEN the managed Argo CD example on 1.36 (the Argo CD the stack installs, v3.4.4, is tested
  // up to 1.35; AWS chooses the managed one's)
  const spec = JSON.parse(JSON.stringify(PlatformSpecLoader.fromFile(repoPath('examples', 'managed-argocd', 'platform.yaml'))));
  spec.cluster.version = '1.36';
  const platform = Platform.resolve(PlatformSpecLoader.fromObject(spec));
  // WHEN it is synthesized
  const gitops = new GitOpsPlatform(cdkApp(), 'managed', { platform });
  const template = Template.fromStack(gitops.platformStack);

  test('THEN the cluster runs 1.36 and its kubectl provider the v36 layer: kubectl 1.36.3, helm 4.2.3', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', { Version: '1.36' });
    // One kubectl layer (the other is aws-cdk-lib's AWS CLI layer, /opt/awscli/aws).
    const layers = template.findResources('AWS::Lambda::LayerVersion', { Properties: { Description: Match.stringLikeRegexp('^/opt/kubectl/') } });
    expect(Object.values<any>(layers).map((l) => l.Properties.Description)).toEqual(['/opt/kubectl/kubectl 1.36.3; /opt/helm/helm 4.2.3']);
    const [layerId] = Object.keys(layers);
    expect(layers[layerId].Properties.Content.S3Key).toBe(`${layerAssetHash('@aws-cdk/lambda-layer-kubectl-v36')}.zip`);
    template.hasResourceProperties('AWS::Lambda::Function', { Layers: Match.arrayWith([{ Ref: layerId }]) });
  });

  test('THEN no support warning: on 2026-12-02, 1.36 is in standard support until about 2027-08', () => {
    expect(Annotations.fromStack(gitops.platformStack).findWarning('*', Match.stringLikeRegexp('EKS (standard|extended) support'))).toEqual([]);
  });
});

describe("each version's layer", () => {
  test.each([
    // The layers' descriptions as their packages set them (v33's lags its binary, kubectl 1.33.9).
    ['1.32', '@aws-cdk/lambda-layer-kubectl-v33', '/opt/kubectl/kubectl 1.33.0; /opt/helm/helm 4.1.3'],
    ['1.33', '@aws-cdk/lambda-layer-kubectl-v33', '/opt/kubectl/kubectl 1.33.0; /opt/helm/helm 4.1.3'],
    ['1.34', '@aws-cdk/lambda-layer-kubectl-v34', '/opt/kubectl/kubectl 1.34.5; /opt/helm/helm 4.1.3'],
    ['1.35', '@aws-cdk/lambda-layer-kubectl-v35', '/opt/kubectl/kubectl 1.35.2; /opt/helm/helm 4.1.3'],
  ])('%s runs %s', (version, packageName, description) => {
    const { template } = on('2026-12-02', () => cluster(version));
    template.hasResourceProperties('AWS::EKS::Cluster', { Version: version });
    const kubectlLayers = template.findResources('AWS::Lambda::LayerVersion', { Properties: { Description: Match.stringLikeRegexp('^/opt/kubectl/') } });
    expect(Object.values<any>(kubectlLayers).map((l) => [l.Properties.Description, l.Properties.Content.S3Key])).toEqual([[description, `${layerAssetHash(packageName)}.zip`]]);
  });
});

describe('the support calendar at synth', () => {
  test('1.34 on 2026-12-02: a warning on the cluster with the dates and the cost', () => {
    const { stack } = on('2026-12-02', () => cluster('1.34'));
    Annotations.fromStack(stack).hasWarning(
      '/Cluster-1-34/Cluster',
      'Cluster demo: Kubernetes 1.34 is in EKS extended support since 2026-12-02, until 2027-12-02: the control plane costs $0.60 instead of $0.10 per cluster-hour. Upgrade cluster.version to 1.35 (one minor version per deploy). [ack: cdk-eks-gitops:kubernetesSupport]',
    );
  });

  test('1.35 on 2026-12-27: a warning 90 days before standard support ends; none on 2026-12-02', () => {
    const soon = on('2026-12-27', () => cluster('1.35'));
    Annotations.fromStack(soon.stack).hasWarning('/Cluster-1-35/Cluster', Match.stringLikeRegexp('^Cluster demo: Kubernetes 1.35 leaves EKS standard support on 2027-03-27 \\(in 90 days\\)'));
    const now = on('2026-12-02', () => cluster('1.35'));
    expect(Annotations.fromStack(now.stack).findWarning('*', Match.stringLikeRegexp('Kubernetes 1.35'))).toEqual([]);
  });

  test('1.32 on 2027-03-23, past extended support: refused', () => {
    expect(() => on('2027-03-23', () => cluster('1.32'))).toThrow(
      "GitOpsCluster demo: Kubernetes '1.32' is past EKS extended support (it ended on 2027-03-23; standard support on 2026-03-23)",
    );
  });

  test('a version without a kubectl layer here: refused, naming those there are', () => {
    expect(() => cluster('1.37')).toThrow("GitOpsCluster demo: Kubernetes '1.37' is not supported; use one of 1.32, 1.33, 1.34, 1.35, 1.36");
  });
});
