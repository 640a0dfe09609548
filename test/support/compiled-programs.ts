import { createHash } from 'crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'fs';
import { dirname, isAbsolute, join, relative, resolve } from 'path';
import { transformSync, version as esbuildVersion } from 'esbuild';
import { repoPath } from '../fixtures';

/**
 * The library and the two apps as JavaScript, for the tests that run them as processes (the CLI's
 * exit statuses and streams, `bin/app.ts` and `bin/manifests.ts` the way cdk and cdk8s start them):
 * node runs the compiled file, as it runs the package's `build/cli/main.js`.
 *
 * Until these, each such process ran the TypeScript through tsx's hook, which spent about 0.25 s of
 * CPU of every start in its own loader (`validate` of the sandbox: 0.58 s through tsx, 0.32 s
 * compiled; some forty processes a test run). Each file is compiled the way tsx compiles it
 * (esbuild, one file at a time: the tests' tsconfig has `isolatedModules`), so a process runs what
 * it ran before; the type-check is `npm test`'s own step.
 *
 * The JavaScript is kept in `.cache/test-programs/`, inside the repository so that its requires find
 * `node_modules/`, with the layout of the sources (`lib/cli/main.js` reads `../../package.json`,
 * copied beside). It is brought up to date at the first command of each test file: a file whose
 * content changed since it was compiled is compiled again, so a test never runs stale code.
 */
const OUT_DIR = repoPath('.cache', 'test-programs');
const SOURCE_DIRS = ['lib', 'bin'];
/** What a compiled file depends on besides its source and tsconfig.json's options: the compiler, and how it is called. */
const COMPILER = `esbuild ${esbuildVersion} cjs node20`;

let upToDate = false;

/**
 * The command that runs `script` (a TypeScript file of lib/ or bin/, relative to the repository or
 * absolute) compiled, with `args`.
 */
export function programCommand(script: string, args: string[] = []): [string, string[]] {
  const path = isAbsolute(script) ? script : repoPath(script);
  const source = relative(repoPath(), path);
  if (!SOURCE_DIRS.some((dir) => source.startsWith(`${dir}/`)) || !source.endsWith('.ts')) {
    throw new Error(`programCommand: ${script} is not a TypeScript file of ${SOURCE_DIRS.map((dir) => `${dir}/`).join(' or ')}`);
  }
  if (!upToDate) compilePrograms();
  upToDate = true;
  return [process.execPath, [join(OUT_DIR, source.replace(/\.ts$/, '.js')), ...args]];
}

/** The compiled path of a source file of lib/ or bin/ (for a `require` in a `node -e` script). */
export function compiledPath(script: string): string {
  const [, [path]] = programCommand(script);
  return path;
}

/**
 * Compiles every source of lib/ and bin/ whose content is not the one its JavaScript was compiled
 * from (`.cache/test-programs/sources.json` keeps a digest per file), and removes the JavaScript of
 * a source that is gone. Two test files may do it at once: each file is written whole and then
 * renamed into place.
 *
 * @param root the repository whose lib/ and bin/ are compiled (this one unless a test says)
 * @param outDir where the JavaScript goes
 * @returns the sources compiled, relative to `root`
 */
export function compilePrograms(root: string = repoPath(), outDir: string = OUT_DIR): { compiled: string[] } {
  const digestsFile = join(outDir, 'sources.json');
  const before: Record<string, string> = existsSync(digestsFile) ? JSON.parse(readFileSync(digestsFile, 'utf8')) : {};
  const after: Record<string, string> = {};
  const compiled: string[] = [];
  const tsconfigRaw = emitOptions(root);
  const compiler = `${COMPILER} ${JSON.stringify(tsconfigRaw)}`;
  for (const source of SOURCE_DIRS.flatMap((dir) => typeScriptFiles(root, dir))) {
    const text = readFileSync(join(root, source), 'utf8');
    const digest = createHash('sha256').update(compiler).update('\0').update(text).digest('hex');
    after[source] = digest;
    const out = join(outDir, source.replace(/\.ts$/, '.js'));
    if (before[source] === digest && existsSync(out)) continue;
    const { code } = transformSync(text, { loader: 'ts', format: 'cjs', target: 'node20', sourcefile: join(root, source), tsconfigRaw });
    writeWhole(out, code);
    compiled.push(source);
  }
  // A source deleted since takes its JavaScript with it: a require of it fails as it does in lib/.
  const deleted = Object.keys(before).filter((source) => !(source in after));
  for (const source of deleted) rmSync(join(outDir, source.replace(/\.ts$/, '.js')), { force: true });
  const manifest = readFileSync(join(root, 'package.json'), 'utf8');
  const manifestCopy = join(outDir, 'package.json');
  if (!existsSync(manifestCopy) || readFileSync(manifestCopy, 'utf8') !== manifest) writeWhole(manifestCopy, manifest);
  if (compiled.length || deleted.length) writeWhole(digestsFile, JSON.stringify(after, null, 1));
  return { compiled };
}

/**
 * The options of `root`'s tsconfig.json (the one the build compiles lib/ with, and tsx reads) that
 * change what esbuild emits, as esbuild takes them. They are part of each file's digest: a change
 * to one compiles every file again.
 */
function emitOptions(root: string): { compilerOptions: Record<string, unknown> } {
  const { compilerOptions = {} } = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
  const emitted = EMIT_OPTIONS.filter((option) => option in compilerOptions).map((option) => [option, compilerOptions[option]]);
  return { compilerOptions: Object.fromEntries(emitted) };
}

/**
 * The tsconfig options that change what esbuild emits for one file: the emitted syntax (`target`,
 * class fields, the experimental decorators, which esbuild compiles only with
 * `experimentalDecorators` since 0.18), the "use strict" prologue (`alwaysStrict`, or `strict`),
 * which imports are kept, and JSX (esbuild's CHANGELOG, 0.18.0, "Changes to esbuild's tsconfig.json
 * support").
 */
const EMIT_OPTIONS = [
  'target',
  'useDefineForClassFields',
  'experimentalDecorators',
  'alwaysStrict',
  'strict',
  'importsNotUsedAsValues',
  'preserveValueImports',
  'verbatimModuleSyntax',
  'jsx',
  'jsxFactory',
  'jsxFragmentFactory',
  'jsxImportSource',
];

/** The TypeScript files under `dir` of `root` (declarations aside), relative to `root`. */
function typeScriptFiles(root: string, dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(join(root, path)).isDirectory()) return typeScriptFiles(root, path);
    return entry.endsWith('.ts') && !entry.endsWith('.d.ts') ? [path] : [];
  });
}

function writeWhole(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}`;
  writeFileSync(partial, content);
  renameSync(partial, resolve(path));
}
