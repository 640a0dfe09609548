import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { compiledPath, compilePrograms, programCommand } from './compiled-programs';

/** A repository of two sources: lib/greeting.ts and bin/hello.ts, which prints the greeting and the package's version. */
function repository(greeting: string): string {
  const root = mkdtempSync(join(tmpdir(), 'compiled-programs-'));
  mkdirSync(join(root, 'lib', 'cli'), { recursive: true });
  mkdirSync(join(root, 'bin'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'example', version: '1.2.3' }));
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', strict: true, noUnusedLocals: true } }));
  writeFileSync(join(root, 'lib', 'greeting.ts'), `export const greeting: string = ${JSON.stringify(greeting)};\n`);
  writeFileSync(
    join(root, 'lib', 'cli', 'version.ts'),
    "import { readFileSync } from 'fs';\nimport { join } from 'path';\nexport const version = (): string => JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).version;\n",
  );
  writeFileSync(join(root, 'bin', 'hello.ts'), "import { greeting } from '../lib/greeting';\nimport { version } from '../lib/cli/version';\ninterface Shown { text: string }\nconst shown: Shown = { text: `${greeting} ${version()}` };\nconsole.log(shown.text);\n");
  writeFileSync(join(root, 'lib', 'types.d.ts'), 'export declare const nothing: never;\n');
  return root;
}

describe('the programs the tests run as processes, compiled', () => {
  const root = repository('hello');
  const out = join(root, '.cache', 'test-programs');
  const hello = () => execFileSync(process.execPath, [join(out, 'bin', 'hello.js')], { encoding: 'utf8' });

  test('every source of lib/ and bin/ is compiled (declarations aside), and runs with node, the package.json where lib/cli/ reads it', () => {
    expect(compilePrograms(root, out).compiled.sort()).toEqual(['bin/hello.ts', 'lib/cli/version.ts', 'lib/greeting.ts']);
    expect(hello()).toBe('hello 1.2.3\n');
  });

  test('a second compile of the same sources compiles nothing; a changed source is compiled again, and only it', () => {
    expect(compilePrograms(root, out).compiled).toEqual([]);
    writeFileSync(join(root, 'lib', 'greeting.ts'), "export const greeting: string = 'hi';\n");
    expect(compilePrograms(root, out).compiled).toEqual(['lib/greeting.ts']);
    expect(hello()).toBe('hi 1.2.3\n');
    expect(Object.keys(JSON.parse(readFileSync(join(out, 'sources.json'), 'utf8'))).sort()).toEqual(['bin/hello.ts', 'lib/cli/version.ts', 'lib/greeting.ts']);
  });

  test('a change to an option of tsconfig.json that changes what is emitted compiles every file again; another option, none', () => {
    const tsconfig = join(root, 'tsconfig.json');
    const options = JSON.parse(readFileSync(tsconfig, 'utf8'));
    writeFileSync(tsconfig, JSON.stringify({ compilerOptions: { ...options.compilerOptions, noUnusedLocals: false } }));
    expect(compilePrograms(root, out).compiled).toEqual([]);
    writeFileSync(tsconfig, JSON.stringify({ compilerOptions: { ...options.compilerOptions, target: 'ES2020' } }));
    expect(compilePrograms(root, out).compiled.sort()).toEqual(['bin/hello.ts', 'lib/cli/version.ts', 'lib/greeting.ts']);
    expect(hello()).toBe('hi 1.2.3\n');
  });

  test('a deleted source takes its JavaScript with it, so a program that still requires it fails as the sources would', () => {
    rmSync(join(root, 'lib', 'greeting.ts'));
    expect(compilePrograms(root, out).compiled).toEqual([]);
    expect(existsSync(join(out, 'lib', 'greeting.js'))).toBe(false);
    expect(Object.keys(JSON.parse(readFileSync(join(out, 'sources.json'), 'utf8'))).sort()).toEqual(['bin/hello.ts', 'lib/cli/version.ts']);
    expect(() => execFileSync(process.execPath, [join(out, 'bin', 'hello.js')], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/Cannot find module '\.\.\/lib\/greeting'/);
  });

  test("this repository's CLI runs compiled, and a file outside lib/ and bin/ is refused", () => {
    const [command, args] = programCommand('lib/cli/main.ts', ['--version']);
    expect(execFileSync(command, args, { encoding: 'utf8' }).trim()).toBe(JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).version);
    expect(compiledPath('bin/app.ts')).toBe(join(__dirname, '..', '..', '.cache', 'test-programs', 'bin', 'app.js'));
    expect(() => programCommand('test/fixtures.ts')).toThrow('programCommand: test/fixtures.ts is not a TypeScript file of lib/ or bin/');
  });
});
