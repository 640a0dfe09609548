// The Kubernetes checks of a test file, in one worker thread that lives as long as the file: the
// kubernetes-models schema validation (the package is ESM-only, and a worker imports ESM freely) and
// the TypeScript compiler's excess property checks against kubernetes-types. Starting a `node` or
// `tsc` process per check cost a module load each time; here each module loads once, and the
// compiler keeps the kubernetes-types and lib declarations it has parsed.
// Each request carries a port and a shared flag: the answer goes on the port, then the flag wakes
// the test, which waits for it synchronously (see k8s-worker-client.ts).
const { parentPort } = require('worker_threads');

const GROUPS = {
  v1: 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'batch/v1': 'kubernetes-models/batch/v1',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
  'rbac.authorization.k8s.io/v1': 'kubernetes-models/rbac.authorization.k8s.io/v1',
  'apiextensions.k8s.io/v1': 'kubernetes-models/apiextensions.k8s.io/v1',
  'admissionregistration.k8s.io/v1': 'kubernetes-models/admissionregistration.k8s.io/v1',
  'policy/v1': 'kubernetes-models/policy/v1',
  'scheduling.k8s.io/v1': 'kubernetes-models/scheduling.k8s.io/v1',
};

/** Validation errors of built-in objects against the Kubernetes OpenAPI schemas, one line each. */
async function schemaErrors(objects) {
  const errors = [];
  for (const object of objects) {
    const name = `${object.apiVersion}/${object.kind} ${object.metadata?.name}`;
    const module = GROUPS[object.apiVersion];
    if (!module) {
      errors.push(`${name}: not a built-in Kubernetes API version`);
      continue;
    }
    const models = await import(module);
    const Model = models[object.kind];
    if (!Model) {
      errors.push(`${name}: ${object.kind} is not a kind of ${object.apiVersion}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (e) {
      errors.push(`${name}: ${e.message}`);
    }
  }
  return errors;
}

/** Parsed declaration files (lib, kubernetes-types), kept across programs: they never change. */
const declarations = new Map();

/**
 * The diagnostics `tsc -p <tsconfig>` prints, one line each as tsc prints them to a pipe
 * (`file(line,col): error TSnnnn: first line of the message`).
 */
function compile(tsconfig) {
  const ts = require('typescript');
  const config = ts.readConfigFile(tsconfig, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, require('path').dirname(tsconfig), undefined, tsconfig);
  const host = ts.createCompilerHost(parsed.options);
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.endsWith('.d.ts')) return getSourceFile.call(host, fileName, languageVersion, onError, shouldCreate);
    const key = `${fileName}\0${JSON.stringify(languageVersion)}`;
    if (!declarations.has(key)) declarations.set(key, getSourceFile.call(host, fileName, languageVersion, onError, shouldCreate));
    return declarations.get(key);
  };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host, configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed) });
  const diagnostics = [...(config.error ? [config.error] : []), ...ts.getPreEmitDiagnostics(program)];
  return diagnostics.map((d) => {
    const text = `error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0]}`;
    if (!d.file || d.start === undefined) return text;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName}(${line + 1},${character + 1}): ${text}`;
  });
}

parentPort.on('message', async ({ kind, input, port, done }) => {
  let answer;
  try {
    answer = { result: kind === 'schema' ? await schemaErrors(input) : compile(input) };
  } catch (e) {
    answer = { error: { message: e.message, stack: e.stack } };
  }
  port.postMessage(answer);
  port.close();
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
});
