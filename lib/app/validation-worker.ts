import { MessageChannel, receiveMessageOnPort, Worker } from 'worker_threads';
import { CloudFormationValidatePlugin, IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';

/** How long a synth waits for the validation: far beyond the seconds it takes, short of forever if the worker dies. */
const WORKER_TIMEOUT_MS = 10 * 60 * 1000;

/** What the worker answers: the plugin's report and version, or the error it threw. */
interface WorkerAnswer {
  readonly report?: PolicyValidationPluginReport;
  readonly version?: string;
  readonly error?: { readonly name: string; readonly message: string; readonly stack?: string };
}

// Plain JavaScript, evaluated in the worker: it loads aws-cdk-lib itself (by the path this process
// resolved), validates the templates with a plugin of its own, answers on the port and wakes the
// waiting synth.
const WORKER_SOURCE = `
const { workerData } = require('worker_threads');
let answer;
try {
  const { CloudFormationValidatePlugin } = require(workerData.library);
  const plugin = new CloudFormationValidatePlugin();
  answer = { report: plugin.validate(workerData.context), version: plugin.version };
} catch (e) {
  answer = { error: { name: e.name, message: e.message, stack: e.stack } };
}
workerData.port.postMessage(answer);
Atomics.store(workerData.done, 0, 1);
Atomics.notify(workerData.done, 0);
`;

/**
 * aws-cdk-lib's CloudFormation validation (the plugin every app runs at synth unless
 * `CDK_VALIDATION=false`), run in a worker thread: the same plugin, the same templates, the same
 * report, so the same validation report in the cloud assembly.
 *
 * Why a worker: the validation engine is WebAssembly whose memory grows to about 170 MB while it
 * starts, and V8 answers every growth with a full garbage collection of the JavaScript heap. In the
 * synth's thread that heap holds the whole construct tree (about 60 MB for the sandbox), and the
 * fifty or so collections cost about 1.5 s of CPU; in a worker the heap is nearly empty and they
 * cost milliseconds.
 *
 * `validate` blocks until the worker answers, as the synth expects of a plugin.
 */
export class WorkerCloudFormationValidatePlugin extends CloudFormationValidatePlugin {
  private workerVersion?: string;

  public get version(): string | undefined {
    return this.workerVersion ?? super.version;
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const done = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    // Only what the plugin reads crosses over: the construct tree stays here.
    const { templatePaths, stackTemplates } = context;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { library: require.resolve('aws-cdk-lib'), context: { templatePaths, stackTemplates }, port: port2, done },
      transferList: [port2],
    });
    try {
      if (Atomics.wait(done, 0, 0, WORKER_TIMEOUT_MS) === 'timed-out') throw new Error(`the CloudFormation validation worker did not answer in ${WORKER_TIMEOUT_MS / 60000} minutes`);
      const answer = receiveMessageOnPort(port1)?.message as WorkerAnswer | undefined;
      if (!answer) throw new Error('the CloudFormation validation worker stopped without an answer');
      if (answer.error) throw Object.assign(new Error(answer.error.message), { name: answer.error.name, stack: answer.error.stack });
      this.workerVersion = answer.version;
      return answer.report!;
    } finally {
      port1.close();
      void worker.terminate();
    }
  }
}

/** aws-cdk-lib's internal hold on the plugin it runs by default, one per process. */
interface DefaultPluginHolder {
  _instance?: CloudFormationValidatePlugin;
  _singletonInstance?: () => CloudFormationValidatePlugin;
}

/**
 * Runs `synth` with aws-cdk-lib's default CloudFormation validation in a worker thread
 * (`WorkerCloudFormationValidatePlugin`): the same checks and report, where and when the default
 * one runs (after the app's own plugins; not with `CDK_VALIDATION=false`).
 *
 * The default plugin is the process's single instance aws-cdk-lib keeps in
 * `CloudFormationValidatePlugin._instance` (`_singletonInstance()`), an internal of aws-cdk-lib; it is
 * replaced for the duration of `synth` only, and put back after. Registering a plugin of our own
 * instead (`Validations.of(app).addPlugins`) would run the same checks, but every registered plugin is
 * named in the templates' `AWS::CDK::Metadata`, which would change them. Where the internal is not
 * there (another aws-cdk-lib), `synth` runs unchanged, the validation in this thread.
 */
export function synthValidatingInWorker<T>(synth: () => T): T {
  const holder = CloudFormationValidatePlugin as unknown as DefaultPluginHolder;
  if (typeof holder._singletonInstance !== 'function' || !('_instance' in holder)) return synth();
  const previous = holder._instance;
  holder._instance = new WorkerCloudFormationValidatePlugin();
  try {
    return synth();
  } finally {
    holder._instance = previous;
  }
}
