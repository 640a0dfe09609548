// The whole platform in a CDK app of your own, from a spec written in TypeScript, checked by
// cdk-nag. test/package/consumer.test.ts compiles this file against the packed package and runs it
// with plain node.
import { App, Validations } from 'aws-cdk-lib';
import { GitOpsPlatform, Platform, PlatformSpec, PlatformSpecLoader } from 'cdk-eks-gitops';
import { AwsSolutionsChecks } from 'cdk-nag';

const spec: PlatformSpec = {
  name: 'shop',
  aws: { region: 'eu-west-1', account: '123456789012' },
  // GitHub's numeric ids: OIDC tokens of repositories created since 15 July 2026 name them.
  github: { owner: 'example-org', ownerId: '100000001', manifestRepository: { name: 'shop-manifests' } },
  dns: { domain: 'shop.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
  apps: [
    {
      name: 'api',
      host: 'api.shop.example.com',
      ci: { repository: 'shop-api', repositoryId: '200000001', tagPatterns: ['v*'] },
      containers: [{ name: 'api', port: 8080 }],
    },
  ],
};

// The feature flag usually lives in cdk.json; the cluster warns without it.
const app = new App({ context: { '@aws-cdk/aws-eks:useNativeOidcProvider': true } });
const platform = Platform.resolve(PlatformSpecLoader.fromObject(spec)); // validated: every problem at once
new GitOpsPlatform(app, platform.name, { platform }); // or in a Stage of a CDK Pipeline
Validations.of(app).addPlugins(new AwsSolutionsChecks(app)); // the constructs acknowledge what they accept

const assembly = app.synth();
for (const stack of assembly.stacks) {
  console.log(`${stack.stackName}: ${Object.keys(stack.template.Resources).length} resources`);
}
