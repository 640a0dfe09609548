import { join } from 'path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'worker_threads';

/** Far beyond the seconds a check takes, short of forever if the worker dies. */
const TIMEOUT_MS = 5 * 60 * 1000;

let worker: Worker | undefined;

// One worker per test file: jest gives each file its own module registry, so its own worker, and
// stops it when the file's tests are done.
if (typeof afterAll === 'function') {
  afterAll(async () => {
    await worker?.terminate();
    worker = undefined;
  });
}

/**
 * Runs a check of k8s-worker.js and waits for its answer synchronously, so the checks stay plain
 * functions the tests call inline.
 */
export function runInK8sWorker<T>(kind: 'schema' | 'compile', input: unknown): T {
  if (!worker) {
    worker = new Worker(join(__dirname, 'k8s-worker.js'));
    worker.unref();
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
