// `cdk-eks-gitops validate`: every problem of a spec at once, or one line saying what it describes.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { runCli, runMain, STACK_TRACE } from './run-cli';
import { CiWorkflows } from '../../lib/ci/ci-workflows';
import { ManifestRepository } from '../../lib/manifests/manifest-repository';
import { PlatformSpecLoader } from '../../lib/platform/loader';
import { Platform } from '../../lib/platform/platform';
import { repoPath, sandboxSpec, specWithTenMistakes, TEN_MISTAKE_PATHS } from '../fixtures';
import { parseYaml } from '../support/manifest-checks';

const SANDBOX = repoPath('examples', 'sandbox', 'platform.yaml');

function specFile(content: unknown, name = 'platform.yaml'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'validate-')), name);
  writeFileSync(path, typeof content === 'string' ? content : stringify(content));
  return path;
}

/** The warnings about the starter spec's placeholders, which the examples (and fixtures) use too. */
const placeholderWarnings = (owner = 'example-org', repository = 'sandbox-app') => [
  `warning: github.ownerId is '100000001', a placeholder of the starter spec init writes: replace it with your owner's id (gh api users/${owner} --jq .id)`,
  `warning: apps[0].ci.repositoryId is '200000001', a placeholder of the starter spec init writes: replace it with the repository's id (gh api repos/${owner}/${repository} --jq .id)`,
  "warning: dns.hostedZoneId is 'Z0123456789ABCDEFGHIJ', a placeholder of the starter spec init writes: replace it with the zone's id (aws route53 list-hosted-zones-by-name --dns-name example.com)",
];

/** A spec without the placeholders. */
function ownSpec() {
  const spec = sandboxSpec();
  spec.github.ownerId = '5551212';
  spec.apps[0].ci.repositoryId = '5551213';
  spec.dns.hostedZoneId = 'Z05551212ABCDEFGHIJKL';
  return spec;
}

describe('cdk-eks-gitops validate', () => {
  test('a valid spec: one line naming the platform, its apps and its stacks, exit 0', async () => {
    expect(await runMain(['validate', specFile(ownSpec())])).toMatchObject({
      status: 0,
      stdout: expect.stringMatching(/ is valid: platform sandbox in ap-northeast-1, account 123456789012; 1 app \(main\); 1 stack \(sandbox-platform\)\n$/),
      stderr: '',
    });
  });

  test('warns, on standard error, of what synth would warn about and of the starter spec\'s placeholders still in place', async () => {
    expect(await runMain(['validate', SANDBOX])).toEqual({
      status: 0,
      stdout: `${SANDBOX} is valid: platform sandbox in ap-northeast-1, account 123456789012; 1 app (main); 1 stack (sandbox-platform)\n`,
      stderr: `${placeholderWarnings().join('\n')}\n`,
    });
    const noAdmin = ownSpec();
    delete noAdmin.cluster.adminRoleArns;
    expect((await runMain(['validate', specFile(noAdmin)])).stderr).toBe(
      'warning: no cluster.adminRoleArns: only the CloudFormation execution role can use the Kubernetes API of sandbox, ' +
        "so nobody can run kubectl (or the teardown); synth warns too. Add your role's ARN to cluster.adminRoleArns\n",
    );
  });

  test('notes an application whose images are not signed (apps[].supplyChain.sign: false), with what is then unchecked', async () => {
    const unsigned = ownSpec();
    unsigned.apps[0].supplyChain = { sign: false };
    expect(await runMain(['validate', specFile(unsigned)])).toMatchObject({
      status: 0,
      stderr:
        'warning: apps[0].supplyChain.sign is false: the release workflow of main pushes its images unsigned, and nothing verifies what runs ' +
        '(no cosign signature to check by hand, image-updater delivery moves tags unverified: no signing key signature, and its ImageUpdater ' +
        'resource has imagesVerification off); keep it to a sandbox\n',
    });
    const signed = ownSpec();
    signed.apps[0].supplyChain = { sign: true };
    expect((await runMain(['validate', specFile(signed)])).stderr).toBe('');
    expect((await runMain(['validate', specFile({ ...ownSpec(), apps: [{ ...ownSpec().apps[0], supplyChain: { sign: 'no' } }] })])).stderr).toMatch(/apps\[0\]\.supplyChain\.sign/);
  });

  test('notes, when deploy feedback is on, that an Argo CD installed from the tree reports nothing', async () => {
    // The tree's argocd/bootstrap/install/ is the pinned upstream install and argocd-cm patch: no
    // argocd-notifications-cm service, template or trigger (lib/manifests/environment-tree.ts), so
    // the controller there has nothing to send and logs no error.
    const feedback = ownSpec();
    feedback.argocd = { ...feedback.argocd, deployFeedback: { enabled: true } };
    feedback.apps[0].delivery = 'argocd-cli';
    delete feedback.apps[0].imageUpdate;
    const note =
      'warning: argocd.deployFeedback is on: the Argo CD the stack installs reports to GitHub, but a cluster whose Argo CD is installed ' +
      'from the manifest tree (argocd/bootstrap/install/) gets no notifications configuration, so no Deployment, no commit status ' +
      'and no error (https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/deploy-feedback.md#where-it-runs)\n';
    expect(await runMain(['validate', specFile(feedback)])).toMatchObject({ status: 0, stderr: note });
    feedback.argocd.deployFeedback.enabled = false;
    expect((await runMain(['validate', specFile(feedback)])).stderr).toBe('');
    // The example that turns it on gets the note too, beside its placeholders.
    expect((await runMain(['validate', repoPath('examples', 'previews', 'platform.yaml')])).stderr).toContain(note);
  });

  test('notes, with deploy feedback and pull-request delivery, that the Application file holds the tag Argo CD deploys', async () => {
    const feedback = ownSpec();
    feedback.argocd = { ...feedback.argocd, deployFeedback: { enabled: true } };
    feedback.apps[0].delivery = 'pull-request';
    delete feedback.apps[0].imageUpdate;
    const { status, stderr } = await runMain(['validate', specFile(feedback)]);
    expect(status).toBe(0);
    expect(stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^warning: argocd\.deployFeedback is on: /),
      `warning: argocd.deployFeedback with pull-request delivery (${feedback.apps[0].name}): a release's pull request moves the tag in the overlay's kustomization and, ` +
        "with its commit, in the app's Application file (argocd/apps/), whose tag is the one Argo CD deploys; move a tag by a release or a promotion " +
        '(or edit both files), never in the overlay alone (https://github.com/cdk-eks-gitops/cdk-eks-gitops/blob/main/docs/deploy-feedback.md#how-notifications-knows-the-repository-and-the-commit)',
    ]);
  });

  test('notes preview fields set while previews are off, naming each field: they do nothing', async () => {
    const off = (previews: unknown) => ({ ...ownSpec(), apps: [{ ...ownSpec().apps[0], previews }] });
    // What the note says: the resolved app has no previews, so the tree holds none.
    const resolved = Platform.resolve(PlatformSpecLoader.fromObject(off({ label: 'x' }) as any));
    expect(resolved.apps[0].previews).toBeUndefined();
    expect(new ManifestRepository(resolved).manifestFiles().filter((f) => f.path.includes('previews'))).toEqual([]);
    expect(await runMain(['validate', specFile(off({ label: 'x' }))])).toMatchObject({
      status: 0,
      stderr:
        'warning: apps[0].previews.label is set, but apps[0].previews.enabled is not set: previews of main are off, so it does nothing; ' +
        'set apps[0].previews.enabled: true, or remove it\n',
    });
    expect((await runMain(['validate', specFile(off({ enabled: false, label: 'x', maxConcurrent: 2 }))])).stderr).toBe(
      'warning: apps[0].previews.label, apps[0].previews.maxConcurrent are set, but apps[0].previews.enabled is false: previews of main are off, ' +
        'so they do nothing; set apps[0].previews.enabled: true, or remove them\n',
    );
    expect((await runMain(['validate', specFile(off({ enabled: false }))])).stderr).toBe('');
  });

  test('notes, when previews are on, what to create before the first preview: the names the generated files use', async () => {
    const spec = JSON.parse(JSON.stringify(PlatformSpecLoader.fromFile(repoPath('examples', 'previews', 'platform.yaml'))));
    const notes = async (s: unknown) => (await runMain(['validate', specFile(s)])).stderr.split('\n').filter((line) => line.startsWith('warning: previews'));
    // The values the notes must name, read from what synth writes.
    const platform = Platform.resolve(PlatformSpecLoader.fromObject(spec));
    const tree = new ManifestRepository(platform).manifestFiles();
    const objects = (path: string) => parseYaml(tree.find((f) => f.path === path)!.content);
    const githubApp = objects('argocd/bootstrap/previews-github-app.yaml').find((o) => o.kind === 'ExternalSecret').spec.data;
    const previewSecret = objects('main/previews/external-secret.yaml')[0].spec.data;
    const ingress = objects('main/previews/ingress.yaml')[0];
    const workflows = new CiWorkflows(platform).repositories()[0].files.map((f) => f.path).filter((path) => path.includes('/preview-'));
    const [gate, build] = ['.github/workflows/preview-main.yml', '.github/workflows/preview-build-main.yml'];
    expect(workflows.sort()).toEqual([build, gate]);
    expect(ingress.spec.tls[0].hosts[0]).toBe('pr-0.sandbox.example.com');
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/certificate-arn']).toBeUndefined();
    const remote = (data: any[]) => ({ key: data[0].remoteRef.key, properties: data.map((d) => d.remoteRef.property).join(', ') });
    expect(await notes(spec)).toEqual([
      `warning: previews: before the first preview, create the Secrets Manager secret ${remote(githubApp).key} (account 123456789012, ap-northeast-1) with the keys ` +
        `${remote(githubApp).properties} of a GitHub App installed on example-org/sandbox-app with the permission Pull requests: Read ` +
        '(the pull request generator lists pull requests with it)',
      `warning: previews of main: create the Secrets Manager secret ${remote(previewSecret).key} (account 123456789012, ap-northeast-1) with the keys of ` +
        "the app's own sandbox/main/database-secrets " +
        `(${remote(previewSecret).properties}); a preview's pods wait until it exists`,
      'warning: previews of main serve pr-<number>.sandbox.example.com over HTTPS: an ACM certificate in ap-northeast-1 must cover *.sandbox.example.com ' +
        '(the load balancer controller finds it by host)',
      `warning: previews of main: ${gate} and ${build} must be on the default branch of example-org/sandbox-app before a dispatch works ` +
        '(workflow_dispatch runs only a workflow the default branch has)',
    ]);
    expect(remote(githubApp)).toEqual({ key: 'sandbox/argocd/previews', properties: 'githubAppID, githubAppInstallationID, githubAppPrivateKey' });
    expect(remote(previewSecret).key).toBe('sandbox/main/previews/database-secrets');
    // With the app's own certificate, the note names it: the preview's Ingress keeps its annotation.
    const arn = 'arn:aws:acm:ap-northeast-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555';
    spec.apps[0].ingress.certificateArn = arn;
    const withArn = new ManifestRepository(Platform.resolve(PlatformSpecLoader.fromObject(spec))).manifestFiles().find((f) => f.path === 'main/previews/ingress.yaml')!;
    expect(parseYaml(withArn.content)[0].metadata.annotations['alb.ingress.kubernetes.io/certificate-arn']).toBe(arn);
    expect(await notes(spec)).toContain(`warning: previews of main serve pr-<number>.sandbox.example.com over HTTPS: its ingress.certificateArn ${arn} must cover *.sandbox.example.com`);
    // Without previews, no note.
    spec.apps[0].previews = { enabled: false };
    expect(await notes(spec)).toEqual([]);
    // With several environments, the notes name where previews run: the first environment, its account and prefix.
    const two = JSON.parse(JSON.stringify(PlatformSpecLoader.fromFile(repoPath('examples', 'two-environments', 'platform.yaml'))));
    two.apps[0].previews = { enabled: true };
    const twoNotes = await notes(two);
    expect(twoNotes[0]).toContain('the Secrets Manager secret shop/staging/argocd/previews (account 111111111111, ap-northeast-1)');
    expect(twoNotes[1]).toContain(
      "the Secrets Manager secret shop/staging/main/previews/database-secrets (account 111111111111, ap-northeast-1) with the keys of the app's own shop/staging/main/database-secrets",
    );
  });

  test('many apps and stacks are counted, and the first five named', async () => {
    const spec = sandboxSpec();
    spec.apps = Array.from({ length: 7 }, (_, i) => ({
      ...spec.apps[0],
      name: `app${i + 1}`,
      namespace: `app${i + 1}`,
      host: `app${i + 1}.example.com`,
      ci: { ...spec.apps[0].ci, repository: `app${i + 1}` },
      ...(i >= 5 ? { stack: 'late' } : {}),
    }));
    const path = specFile(spec);
    const { status, stdout } = await runMain(['validate', path]);
    expect(status).toBe(0);
    expect(stdout).toBe(`${path} is valid: platform sandbox in ap-northeast-1, account 123456789012; 7 apps (app1, app2, app3, app4, app5 and 2 more); 2 stacks (sandbox-platform, sandbox-late)\n`);
  });

  test('several environments: one line each, with its account, how its tags move, whether it holds the images, and its stacks', async () => {
    const path = repoPath('examples', 'two-environments', 'platform.yaml');
    expect(await runMain(['validate', path])).toEqual({
      status: 0,
      stdout: [
        `${path} is valid: platform shop; 1 app (main); 2 environments:`,
        '  staging: ap-northeast-1, account 111111111111; follows releases, holds the images; 1 stack (shop-staging-platform)',
        '  production: ap-northeast-1, account 222222222222; promoted from staging; 1 stack (shop-production-platform)',
        '',
      ].join('\n'),
      stderr: `${placeholderWarnings('example-org', 'shop-app').join('\n')}\n`,
    });
  });

  test('with a hub, says which environment it is and which ones it manages', async () => {
    const { status, stdout } = await runMain(['validate', repoPath('examples', 'hub-and-spokes', 'platform.yaml')]);
    expect(status).toBe(0);
    expect(stdout.split('\n').slice(1, 3)).toEqual([
      "  staging: ap-northeast-1, account 111111111111; follows releases, holds the images, the hub: its Argo CD manages every environment's cluster; 1 stack (shop-staging-platform)",
      '  production: ap-northeast-1, account 222222222222; promoted from staging, managed by the Argo CD of staging (the hub); 1 stack (shop-production-platform)',
    ]);
  });

  test('without aws.account it needs no AWS: valid, with a note on where synth takes the account from', async () => {
    const spec = ownSpec();
    delete spec.aws.account;
    const path = specFile(spec);
    // No credentials and no account variables: validate must not ask STS.
    const { status, stdout, stderr } = await runMain(['validate', '--spec', path]);
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(stdout.split('\n')).toEqual([
      `${path} is valid: platform sandbox in ap-northeast-1; 1 app (main); 1 stack (sandbox-platform)`,
      'note: aws.account is not set; synth and deploy take the account from CDK_DEFAULT_ACCOUNT or AWS_ACCOUNT_ID, else from STS with your AWS credentials',
      '',
    ]);
  });

  test('a spec with several problems: every one, each naming its field, the rules across fields included; exit 1, no stack trace', () => {
    const spec = specWithTenMistakes();
    // A rule across fields (the host must be under dns.domain), while fields have problems of their own.
    spec.apps[0].host = 'sandbox.example.org';
    const path = specFile(spec);
    const { status, stdout, stderr } = runCli(['validate', path]);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`${path}: 11 problems`);
    const paths = lines.slice(1).map((line) => /^ {2}- ([^:]+): /.exec(line)![1]);
    expect(paths).toEqual(expect.arrayContaining([...TEN_MISTAKE_PATHS, 'apps[0].host']));
    expect(lines.find((l) => l.startsWith('  - apps[0].host: '))).toContain("'sandbox.example.org'");
    expect(stderr).not.toMatch(STACK_TRACE);
  });

  test.each([
    ['a missing file', () => '/nonexistent/platform.yaml', '/nonexistent/platform.yaml: 1 problem\n  - (file): cannot read the spec: no such file\n'],
    ['bad YAML', () => specFile('name: sandbox\naws: [unclosed\n'), /^\S+: 1 problem\n {2}- \(line \d+, column \d+\): invalid YAML: .+\n$/],
    [
      'an alias bomb',
      () => specFile(['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefg'[i]}`).join(', ')}]`), 'name: *h'].join('\n')),
      /^\S+: 1 problem\n {2}- \(document\): cannot read the document: .*alias.*\n$/i,
    ],
    ['a JSON spec that is not an object', () => specFile('[1, 2]', 'platform.json'), /^\S+platform\.json: \d+ problems?\n {2}- /],
  ])('%s: one message, exit 1', async (_, path, message) => {
    const { status, stdout, stderr } = await runMain(['validate', path()]);
    expect({ status, stdout }).toEqual({ status: 1, stdout: '' });
    if (typeof message === 'string') expect(stderr).toBe(message);
    else expect(stderr).toMatch(message);
  });

  describe('one mistake, one problem that says how to fix it', () => {
    const sandbox = readFileSync(SANDBOX, 'utf8');
    const edited = (from: string, to: string) => {
      expect(sandbox).toContain(from);
      return specFile(sandbox.replace(from, to));
    };
    test.each([
      [
        'a version YAML reads as a number',
        () => edited('version: "1.35"', 'version: 1.35'),
        "cluster.version: expected a string, got the number 1.35; put it in quotes, as written (version: '1.35'): unquoted, YAML reads it as a number",
      ],
      [
        'an account YAML reads as a number',
        () => edited('account: "123456789012"', 'account: 123456789012'),
        "aws.account: expected a string, got the number 123456789012; put it in quotes, as written (account: '123456789012'): unquoted, YAML reads it as a number",
      ],
      [
        'a misspelt field',
        () => edited('cluster:\n', 'clustr:\n'),
        'clustr: unknown field; allowed here: name, environment, environments, registry, aws, cluster, github, dns, secrets, argocd, workloadIdentity, addons, apps; ' +
          "did you mean 'cluster'?",
      ],
      [
        // The parser reports this one mistake three times ("nested mappings", "implicit keys", ...),
        // each ending in the position again and a colon.
        'a line indented too far',
        () => edited('  account: "123456789012"', '    account: "123456789012"'),
        "(line 12, column 11): invalid YAML: Nested mappings are not allowed in compact mappings (in '  region: ap-northeast-1')",
      ],
      ['an empty file', () => specFile('# nothing yet\n'), "(document): the spec is empty (nothing but comments or blank lines); 'npx cdk-eks-gitops init' writes a commented starter spec"],
      ['a directory', () => mkdtempSync(join(tmpdir(), 'validate-dir-')), 'it is a directory'],
    ])('%s', async (_, path, problem) => {
      const spec = path();
      const { status, stderr } = await runMain(['validate', spec]);
      expect(status).toBe(1);
      const expected = problem === 'it is a directory' ? `(file): cannot read the spec: it is a directory; name the spec file in it (${join(spec, 'platform.yaml')}, say)` : problem;
      expect(stderr).toBe(`${spec}: 1 problem\n  - ${expected}\n`);
    });
  });

  test('the spec is $PLATFORM_SPEC when no FILE is given', async () => {
    const { status, stdout } = await runMain(['validate'], { PLATFORM_SPEC: SANDBOX });
    expect(status).toBe(0);
    expect(stdout).toMatch(new RegExp(`^${SANDBOX} is valid: `));
  });

  test('else platform.yaml in the working directory, and a usage error saying so when there is none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-cwd-'));
    const none = runCli(['validate'], { cwd: dir });
    expect(none.status).toBe(2);
    expect(none.stderr).toBe(
      "cdk-eks-gitops: no spec: platform.yaml does not exist here; name the spec with --spec FILE (or PLATFORM_SPEC=FILE)\nRun 'cdk-eks-gitops validate --help' for usage.\n",
    );
    copyFileSync(SANDBOX, join(dir, 'platform.yaml'));
    expect(runCli(['validate'], { cwd: dir })).toMatchObject({ status: 0, stdout: expect.stringMatching(/^platform\.yaml is valid: platform sandbox /) });
  });

  test.each([
    [['validate', 'a.yaml', 'b.yaml'], 'cdk-eks-gitops: one spec at a time: got 2 files (a.yaml, b.yaml)\n'],
    [['validate', 'a.yaml', '--spec', 'b.yaml'], "cdk-eks-gitops: the spec is named twice ('a.yaml' and --spec b.yaml): give FILE or --spec FILE\n"],
    [['validate', '--strict'], "cdk-eks-gitops: Unknown option '--strict'\n"],
    [['validate', '--spec'], "cdk-eks-gitops: Option '--spec <value>' argument missing\n"],
  ])('a usage mistake (%j): exit 2, one message and a pointer to --help', async (args, message) => {
    const { status, stdout, stderr } = await runMain(args);
    expect({ status, stdout }).toEqual({ status: 2, stdout: '' });
    expect(stderr).toBe(`${message}Run 'cdk-eks-gitops validate --help' for usage.\n`);
  });

  test('--help says what it checks and how the spec is named', async () => {
    const { status, stdout } = await runMain(['validate', '--help']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Usage: cdk-eks-gitops validate \[FILE\]\n/);
    for (const text of ['without AWS credentials', 'every problem at once', '$PLATFORM_SPEC, else platform.yaml', '--spec FILE']) expect(stdout).toContain(text);
  });
});
