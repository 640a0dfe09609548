// The CloudFormation validation aws-cdk-lib runs at every synth, moved into a worker thread by the
// programs that synthesize (lib/app/validation-worker.ts says why): the same report, the same
// templates, the default plugin back in place afterwards.
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, CfnResource, CloudFormationValidatePlugin, Stack } from 'aws-cdk-lib';
import { synthValidatingInWorker, WorkerCloudFormationValidatePlugin } from '../../lib/app/validation-worker';
import { runMain } from '../cli/run-cli';
import { repoPath } from '../fixtures';

/** An app whose stack the validation has something to say about: a queue with a timeout that is not a number. */
function appWithFinding(): App {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'validation-worker-')) });
  const stack = new Stack(app, 'Queues', { env: { account: '123456789012', region: 'ap-northeast-1' } });
  new CfnResource(stack, 'Queue', { type: 'AWS::SQS::Queue', properties: { VisibilityTimeout: 'soon', QueueName: 'jobs' } });
  return app;
}

const read = (app: App, file: string) => readFileSync(join(app.outdir, file), 'utf8');
const defaultPlugin = () => (CloudFormationValidatePlugin as any)._instance;

describe('synthValidatingInWorker', () => {
  // test/support/setup.ts turns the validation off for the suite; here it is the subject.
  beforeEach(() => delete process.env.CDK_VALIDATION);
  afterAll(() => (process.env.CDK_VALIDATION = 'false'));

  test('writes the same validation report and template as the synth in this thread, validated in a worker', () => {
    // Both built on one line: the report records the line that created the resource.
    const [inThread, inWorker] = [0, 1].map(() => appWithFinding());
    // aws-cdk-lib prints the report of a validation with findings through console.error: captured
    // here, where it is part of what is compared, rather than printed in the test run.
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    let before: unknown;
    try {
      inThread.synth();
      before = defaultPlugin();
      const validate = jest.spyOn(WorkerCloudFormationValidatePlugin.prototype, 'validate');
      try {
        synthValidatingInWorker(() => inWorker.synth());
        expect(validate).toHaveBeenCalledTimes(1);
      } finally {
        validate.mockRestore();
      }
      // The same report on the console, each naming its own copy of validation-report.json.
      const [inThreadText, inWorkerText] = printed.mock.calls.map((call) => call.join(' '));
      expect(printed).toHaveBeenCalledTimes(2);
      expect(inThreadText).toContain("VisibilityTimeout: 'soon' is not of type 'integer'");
      expect(inWorkerText.replace(inWorker.outdir, '<outdir>')).toBe(inThreadText.replace(inThread.outdir, '<outdir>'));
    } finally {
      printed.mockRestore();
    }

    const cfnReport = (app: App) => JSON.parse(read(app, 'validation-report.json')).pluginReports.find((r: any) => r.pluginName === CloudFormationValidatePlugin.PLUGIN_NAME);
    // The finding itself, so that the comparison below compares a report with something in it.
    expect(JSON.stringify(cfnReport(inWorker).violations)).toContain('VisibilityTimeout');
    expect(read(inWorker, 'validation-report.json')).toBe(read(inThread, 'validation-report.json'));
    expect(read(inWorker, 'Queues.template.json')).toBe(read(inThread, 'Queues.template.json'));
    // aws-cdk-lib's own default plugin is back for every later synth of the process.
    expect(defaultPlugin()).toBe(before);
  });

  test('CDK_VALIDATION=false still turns the validation off', () => {
    const app = appWithFinding();
    const validate = jest.spyOn(WorkerCloudFormationValidatePlugin.prototype, 'validate');
    process.env.CDK_VALIDATION = 'false';
    try {
      synthValidatingInWorker(() => app.synth());
      expect(validate).not.toHaveBeenCalled();
    } finally {
      validate.mockRestore();
    }
  });

  test('cdk-eks-gitops synth validates its stacks that way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-worker-'));
    // The worker's answer stands in for the worker here: what is tested is that the synth asks it.
    const validate = jest.spyOn(WorkerCloudFormationValidatePlugin.prototype, 'validate').mockReturnValue({ success: true, violations: [] });
    try {
      const out = join(dir, 'cdk.out');
      const { status } = await runMain(['synth', '--spec', repoPath('examples', 'sandbox', 'platform.yaml'), '--no-nag', '--out', out, '--manifests', join(dir, 'dist'), '--workflows', join(dir, 'ci.out')]);
      expect(status).toBe(0);
      expect(validate).toHaveBeenCalledTimes(1);
      expect(validate.mock.calls[0][0].templatePaths).toEqual([join(out, 'sandbox-platform.template.json')]);
    } finally {
      validate.mockRestore();
    }
  });
});
