import { readFileSync } from 'fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cdk8s from 'cdk8s';
import { repoPath } from './fixtures';
import { schemaErrors } from './support/manifest-checks';
import { buildChart, buildStack } from '../examples/consumer/constructs';

describe('examples/consumer/constructs.ts (run from the packed package by test/package/consumer.test.ts)', () => {
  test('the stack reuses imported providers and creates only the roles and the repository', () => {
    const template = Template.fromStack(buildStack(new App()));
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    template.resourceCountIs('AWS::ECR::Repository', 1);
    template.resourceCountIs('AWS::IAM::Role', 2);
  });

  test('the chart renders a valid AppProject and Application', () => {
    const objects = buildChart(new cdk8s.App()).toJson();
    expect(objects.map((o: any) => o.kind)).toEqual(['AppProject', 'Application']);
    expect(schemaErrors(objects)).toEqual([]);
  });
});

describe('the library guide (docs/library.md)', () => {
  test.each(['platform.ts', 'constructs.ts'])('shows examples/consumer/%s as it is, the code the package test runs', (file) => {
    const code = readFileSync(repoPath('examples', 'consumer', file), 'utf8');
    const blocks = [...readFileSync(repoPath('docs', 'library.md'), 'utf8').matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
    expect(blocks).toContain(code);
  });
});
