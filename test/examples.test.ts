import { execFileSync } from 'child_process';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cdk8s from 'cdk8s';
import { repoPath } from './fixtures';
import { schemaErrors } from './support/manifest-checks';
import { buildChart, buildStack } from '../examples/standalone/constructs';

describe('examples/standalone', () => {
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

  test('runs as a script', () => {
    const output = execFileSync(repoPath('node_modules', '.bin', 'tsx'), ['examples/standalone/constructs.ts'], { cwd: repoPath(), encoding: 'utf8' });
    expect(output).toMatch(/^CDK stack team-shop: \d+ resources in cdk.out.example/);
    expect(output).toContain('kind: Application');
  });
});
