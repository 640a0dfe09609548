import { join } from 'path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'worker_threads';

/** Far beyond the seconds a check takes, short of forever if the worker dies. */
const TIMEOUT_MS = 5 * 60 * 1000;

/**
 * The worker, kept on the worker_threads module itself: jest gives each test file its own module
 * registry but the same built-in modules, so the test files a jest process runs share one worker,
 * and load kubernetes-models and the compiler once. It does not keep the process alive.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const holder: { cdkEksGitopsK8sWorker?: Worker } = require('worker_threads');

/**
 * Runs a check of k8s-worker.js and waits for its answer synchronously, so the checks stay plain
 * functions the tests call inline.
 */
export function runInK8sWorker<T>(kind: 'schema' | 'compile', input: unknown): T {
  let worker = holder.cdkEksGitopsK8sWorker;
  if (!worker) {
    worker = new Worker(join(__dirname, 'k8s-worker.js'));
    worker.unref();
    // A worker that stopped (it should not) is replaced at the next check.
    worker.on('exit', () => {
      if (holder.cdkEksGitopsK8sWorker === worker) holder.cdkEksGitopsK8sWorker = undefined;
    });
    holder.cdkEksGitopsK8sWorker = worker;
  }
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  worker.postMessage({ kind, input, port: port2, done }, [port2]);
  try {
    if (Atomics.wait(done, 0, 0, TIMEOUT_MS) === 'timed-out') throw new Error(`the Kubernetes check worker did not answer in ${TIMEOUT_MS / 60000} minutes`);
    const answer = receiveMessageOnPort(port1)?.message as { result?: T; error?: { message: string; stack?: string } } | undefined;
    if (!answer) throw new Error('the Kubernetes check worker stopped without an answer');
    if (answer.error) throw Object.assign(new Error(answer.error.message), { stack: answer.error.stack });
    return answer.result as T;
  } finally {
    port1.close();
  }
}
