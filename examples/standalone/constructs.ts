// The constructs on their own, in stacks and charts of your own: an IRSA role and a GitHub Actions
// role added to an existing EKS stack, and Argo CD objects in a cdk8s chart.
//
//   npx tsx examples/standalone/constructs.ts      # prints what it built
import { App, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cdk8s from 'cdk8s';
import { ArgoApplication, ArgoAppProject, GitHubActionsRole, GitHubOidcProvider, ImageRepository, IrsaRole } from '../../lib';

/** A CDK stack of your own that reuses an existing cluster's OIDC provider and the account's GitHub provider. */
export function buildStack(app: App): Stack {
  const stack = new Stack(app, 'team-shop', { env: { account: '123456789012', region: 'eu-west-1' } });

  // The cluster exists already: import its OIDC provider by ARN.
  const clusterOidc = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(
    stack,
    'ClusterOidc',
    'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF',
  );
  const reader = new IrsaRole(stack, 'OrdersReader', { oidcProvider: clusterOidc, namespace: 'shop', serviceAccountName: 'orders' });
  reader.role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: ['arn:aws:dynamodb:eu-west-1:123456789012:table/orders'] }),
  );

  // One GitHub provider per account: import it, then let one repository push one image on release tags.
  const github = new GitHubOidcProvider(stack, 'GitHub', {
    existingProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
  });
  const repository = new ImageRepository(stack, 'OrdersImage', { repositoryName: 'shop/orders' });
  new GitHubActionsRole(stack, 'OrdersCi', {
    provider: github.provider,
    subjects: { owner: 'example-org', repository: 'orders', tagPatterns: ['v*'], environments: ['production'] },
    pushRepositories: [repository.repository as ecr.IRepository],
  });
  return stack;
}

/** A cdk8s chart of your own with an AppProject and an Application. */
export function buildChart(app: cdk8s.App): cdk8s.Chart {
  const chart = new cdk8s.Chart(app, 'shop');
  const project = new ArgoAppProject(chart, 'Project', {
    name: 'shop',
    sourceRepos: ['https://github.com/example-org/shop-manifests.git'],
    destinations: [{ namespace: 'shop' }],
  });
  new ArgoApplication(chart, 'Orders', {
    name: 'orders',
    project: project.name,
    source: { repoUrl: 'https://github.com/example-org/shop-manifests.git', targetRevision: 'main', path: 'orders/overlays/production' },
    destinationNamespace: 'shop',
    syncPolicy: { syncOptions: ['CreateNamespace=true'] },
  });
  return chart;
}

if (require.main === module) {
  const assembly = new App({ outdir: 'cdk.out.example' });
  buildStack(assembly);
  const cloud = assembly.synth();
  console.log(`CDK stack ${cloud.stacks[0].stackName}: ${Object.keys(cloud.stacks[0].template.Resources).length} resources in ${cloud.directory}`);
  console.log(cdk8s.Yaml.stringify(...buildChart(new cdk8s.App()).toJson()));
}
