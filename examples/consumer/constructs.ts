// The constructs on their own, in a stack and a chart of your own: an IRSA role and a GitHub Actions
// role around an existing EKS cluster, checked by cdk-nag, and Argo CD objects in a cdk8s chart.
// test/package/consumer.test.ts compiles this file against the packed package and runs it with plain
// node; test/examples.test.ts checks what it builds.
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ArgoApplication, ArgoAppProject, GitHubActionsRole, ImageRepository, IrsaRole } from 'cdk-eks-gitops';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as cdk8s from 'cdk8s';

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
  const github = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(
    stack,
    'GitHub',
    'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
  );
  const repository = new ImageRepository(stack, 'OrdersImage', { repositoryName: 'shop/orders' });
  new GitHubActionsRole(stack, 'OrdersCi', {
    provider: github,
    // The immutable form of the OIDC subject, the default: repo:example-org@<owner id>/orders@<repository id>:...
    // (gh api repos/example-org/orders --jq '[.owner.id, .id]').
    subjects: { owner: 'example-org', ownerId: '100000001', repository: 'orders', repositoryId: '200000002', tagPatterns: ['v*'], environments: ['production'] },
    pushRepositories: [repository.repository],
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
  const app = new App();
  const stack = buildStack(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app)); // fails the synth on any finding
  const template = app.synth().getStackByName(stack.stackName).template;
  console.log(`CDK stack ${stack.stackName}: ${Object.keys(template.Resources).length} resources`);
  console.log(cdk8s.Yaml.stringify(...buildChart(new cdk8s.App()).toJson()));
}
