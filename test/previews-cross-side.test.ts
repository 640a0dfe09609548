// Previews, both halves from one spec, read from what synth writes: the preview build workflow (what
// it pushes, with which tag, as which role), the stacks (the repositories and the role), and the
// ApplicationSet (what each preview's Application pulls). A change to one half that the other does
// not follow fails here, not in a cluster with ImagePullBackOff.
import { spawnSync } from 'child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { cdkApp, repoPath, twoEnvironmentsSpec } from './fixtures';
import { environmentContext, identityPolicyAllows, resolveRole, templateExports } from './support/iam-eval';
import { parseYaml } from './support/manifest-checks';
import { GitOpsPlatform } from '../lib/aws/gitops-platform';
import { CiWorkflows } from '../lib/ci/ci-workflows';
import { ManifestRepository } from '../lib/manifests/manifest-repository';
import { PlatformSpecLoader } from '../lib/platform/loader';
import { Platform } from '../lib/platform/platform';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const NUMBER = '42';

/**
 * The generator's `head_short_sha`: `pull.HeadSHA[:min(len(pull.HeadSHA), 8)]` (argo-cd
 * applicationset/generators/pull_request.go, GenerateParams).
 */
const headShortSha = (sha: string) => sha.slice(0, Math.min(sha.length, 8));

/** The outputs of one spec, as `cdk-eks-gitops synth` writes them: workflows, manifest tree, every environment's stacks. */
function synthesize(spec: any) {
  const platforms = Platform.resolveEnvironments(PlatformSpecLoader.fromObject(spec));
  const workflows = new Map(CiWorkflows.forEnvironments(platforms).workflowFiles().filter((f) => f.path.endsWith('.yml')).map((f) => [f.path, parse(f.content)]));
  const tree = ManifestRepository.forEnvironments(platforms).manifestFiles();
  const app = cdkApp();
  const stacks = platforms.map((platform) => {
    const gitops = new GitOpsPlatform(app, platform.qualifiedName, { platform, spokes: platforms.filter((p) => p !== platform) });
    return { platform, stacks: [gitops.platformStack, ...gitops.appsStacks], platformStack: gitops.platformStack };
  });
  return { platforms, workflows, tree, stacks };
}

/** The ECR repositories and named IAM roles of every environment's stacks, their intrinsics resolved. */
function deployed(stacks: ReturnType<typeof synthesize>['stacks']) {
  return stacks.flatMap(({ platform, stacks: own, platformStack }) => {
    const context = environmentContext(platform.account, platform.region, platform.cluster.name);
    const exports = templateExports(Template.fromStack(platformStack).toJSON(), platformStack.stackName, context);
    return own.flatMap((stack) => {
      const json = Template.fromStack(stack).toJSON();
      return Object.entries<any>(json.Resources).map(([logicalId, r]) => ({
        account: platform.account,
        environment: platform.environment,
        logicalId,
        type: r.Type as string,
        properties: r.Type === 'AWS::IAM::Role' ? resolveRole(r.Properties, json, exports, context) : r.Properties,
        // An ECR repository's ARN, as Fn::GetAtt gives it.
        arn: r.Type === 'AWS::ECR::Repository' ? `arn:aws:ecr:${platform.region}:${platform.account}:repository/${r.Properties.RepositoryName}` : undefined,
      }));
    });
  }).filter((r) => r.type === 'AWS::ECR::Repository' || r.type === 'AWS::IAM::Role');
}

/** Runs the build's `tag` step as GitHub would for pull request `NUMBER` at `SHA`, `gh` answering with `pr`. */
function runTagStep(build: any, pr: unknown): string {
  const bin = mkdtempSync(join(tmpdir(), 'preview-gh-'));
  writeFileSync(join(bin, 'gh'), '#!/usr/bin/env bash\nprintf \'%s\' "$PR_JSON"\n');
  chmodSync(join(bin, 'gh'), 0o755);
  const step = build.jobs.tag.steps.find((s: any) => s.id === 'tag');
  const expression = (value: string) => String(value).replace(/\$\{\{\s*inputs\.number\s*\}\}/g, NUMBER).replace(/\$\{\{\s*github\.token\s*\}\}/g, 'token');
  const env = Object.fromEntries(Object.entries<string>({ ...build.env, ...step.env }).map(([k, v]) => [k, expression(v)]));
  const output = join(bin, 'output');
  writeFileSync(output, '');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
    encoding: 'utf8',
    env: { ...env, PATH: `${bin}:${process.env.PATH}`, GITHUB_OUTPUT: output, GITHUB_REPOSITORY: 'owner/repo', GITHUB_REF_NAME: 'feature/login', GITHUB_SHA: SHA, PR_JSON: JSON.stringify(pr) },
  });
  if (result.status !== 0) throw new Error(`tag step failed: ${result.stdout}${result.stderr}`);
  const tag = /^tag=(.*)$/m.exec(readFileSync(output, 'utf8'));
  if (!tag) throw new Error(`tag step named no tag: ${result.stdout}`);
  return tag[1];
}

/** `<image>=<new name>:<tag>`, Argo CD's kustomize image override, split. */
function override(image: string) {
  const [name, replacement] = image.split('=');
  const colon = replacement.lastIndexOf(':');
  return { name, newName: replacement.slice(0, colon), newTag: replacement.slice(colon + 1) };
}

function checkAgreement(spec: any) {
  const { platforms, workflows, tree, stacks } = synthesize(spec);
  const appSpec = spec.apps[0];
  const runs = platforms[0];
  const app = runs.apps[0];
  const repo = appSpec.ci.repository;
  const workflow = (name: string) => {
    const found = workflows.get(`${repo}/.github/workflows/${name}`);
    if (!found) throw new Error(`no ${name} among ${[...workflows.keys()].join(', ')}`);
    return found;
  };
  const gate = workflow(`preview-${app.name}.yml`);
  const build = workflow(`preview-build-${app.name}.yml`);
  const applicationSets = tree.filter((f) => f.path.endsWith('/previews/application-set.yaml')).flatMap((f) => parseYaml(f.content));
  expect(applicationSets).toHaveLength(1);
  const applicationSet = applicationSets[0];
  const generator = applicationSet.spec.generators[0].pullRequest;
  const resources = deployed(stacks);

  // The images: what the build pushes (registry and repository) is what each preview pulls.
  const pushed = build.jobs.push.strategy.matrix.include.map((m: any) => `${build.env.REGISTRY}/${m.repository}`).sort();
  const pulled = applicationSet.spec.template.spec.source.kustomize.images.map((i: string) => override(i).newName).sort();
  expect(pulled).toEqual(pushed);

  // The repositories exist, in the account of the registry the build logs in to.
  const registryAccount = build.env.REGISTRY.split('.')[0];
  const repositories = resources.filter((r) => r.type === 'AWS::ECR::Repository' && r.account === registryAccount);
  for (const uri of pushed) {
    const name = uri.slice(build.env.REGISTRY.length + 1);
    expect({ uri, created: repositories.some((r) => r.properties.RepositoryName === name) }).toEqual({ uri, created: true });
  }

  // The role the build assumes is in that account and may push to those repositories, and to nothing else there.
  const roleArn: string = build.jobs.push.steps.find((s: any) => s.uses?.startsWith('aws-actions/configure-aws-credentials')).with['role-to-assume'];
  const [, , , , roleAccount, roleResource] = roleArn.split(':');
  expect(roleAccount).toBe(registryAccount);
  const role = resources.find((r) => r.type === 'AWS::IAM::Role' && r.properties.RoleName === roleResource.replace(/^role\//, ''));
  expect(role).toBeDefined();
  const policies = role!.properties.Policies.map((p: any) => p.PolicyDocument);
  // CloudFormation's Fn::GetAtt for each repository named in the policy.
  const resolveArn = (resource: any) =>
    (typeof resource === 'string' ? resource : repositories.find((r) => r.logicalId === resource['Fn::GetAtt']?.[0])?.arn);
  const resolved = policies.map((d: any) => ({
    ...d,
    Statement: d.Statement.map((s: any) => ({ ...s, Resource: [s.Resource].flat().map(resolveArn) })),
  }));
  for (const r of repositories) {
    const preview = pushed.includes(`${build.env.REGISTRY}/${r.properties.RepositoryName}`);
    expect({ repository: r.properties.RepositoryName, push: identityPolicyAllows(resolved, 'ecr:PutImage', r.arn!) }).toEqual({ repository: r.properties.RepositoryName, push: preview });
  }

  // The tag: the build's, for pull request 42 at SHA, is the one the generator's Application pulls.
  const pullRequest = { state: 'open', head: { ref: 'feature/login', sha: SHA, repo: { full_name: 'owner/repo' } }, labels: [{ name: generator.github.labels[0] }] };
  const tag = runTagStep(build, pullRequest);
  const rendered = applicationSet.spec.template.spec.source.kustomize.images.map((i: string) =>
    override(i).newTag.replace('{{.number}}', NUMBER).replace('{{.head_short_sha}}', headShortSha(SHA)),
  );
  expect(new Set(rendered)).toEqual(new Set([tag]));
  expect(tag).toBe(`pr-${NUMBER}-${SHA.slice(0, 8)}`);

  // The label and the cap: the generator lists what the gate admits.
  const label = appSpec.previews.label ?? 'preview';
  expect(generator.github.labels).toEqual([label]);
  expect(gate.jobs.gate.env.LABEL).toBe(label);
  expect(build.jobs.tag.steps.find((s: any) => s.id === 'tag').env.LABEL).toBe(label);
  expect(gate.jobs.gate.env.MAX_CONCURRENT).toBe(String(appSpec.previews.maxConcurrent ?? 3));
  // The generator watches the repository the workflows are written for.
  expect(generator.github).toMatchObject({ owner: spec.github.owner, repo: repo });
  return { pushed, roleArn };
}

describe('the preview build and the ApplicationSet agree, from the synthesized outputs', () => {
  const example = () => JSON.parse(JSON.stringify(PlatformSpecLoader.fromFile(repoPath('examples', 'previews', 'platform.yaml'))));

  test('examples/previews: repositories, registry, tag pr-<number>-<head_short_sha>, role, label and cap', () => {
    expect(checkAgreement(example())).toEqual({
      pushed: ['123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/sandbox/main/app-previews', '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/sandbox/main/web-previews'],
      roleArn: 'arn:aws:iam::123456789012:role/sandbox-main-preview',
    });
  });

  test('with previews.migrate, another label and cap: the migration image on both sides too', () => {
    const spec = example();
    spec.apps[0].previews = { enabled: true, migrate: true, label: 'deploy preview', maxConcurrent: 5 };
    expect(checkAgreement(spec).pushed).toContain('123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/sandbox/main/migration-previews');
  });

  test('when another environment holds the images: the build pushes to its registry, which the previews pull from', () => {
    const spec = twoEnvironmentsSpec();
    spec.registry = { environment: 'production' };
    spec.apps[0].previews = { enabled: true };
    const { pushed, roleArn } = checkAgreement(spec);
    expect(pushed.every((uri: string) => uri.startsWith('222222222222.dkr.ecr.'))).toBe(true);
    expect(roleArn).toBe('arn:aws:iam::222222222222:role/shop-main-preview');
  });
});
