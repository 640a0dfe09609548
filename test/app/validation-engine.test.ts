// The CloudFormation validation engine aws-cdk-lib runs at synth is WebAssembly; a synth keeps it on
// V8's baseline compiler (Liftoff) rather than recompiling its hot functions with TurboFan on
// background threads (see lib/app/validation-engine.ts for what that saves). A V8 flag holds for the
// whole process, so the first test runs a process of its own, and asks V8 itself which compiler a
// hot function's code came from: `%IsLiftoffFunction` / `%IsTurboFanFunction`, V8's test runtime
// functions (src/runtime/runtime-test-wasm.cc), with --allow-natives-syntax.
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as validationEngine from '../../lib/app/validation-engine';
import { runMain } from '../cli/run-cli';
import { repoPath } from '../fixtures';
import { compiledPath } from '../support/compiled-programs';

// (module (func (export "f") (result i32) i32.const 42)): small, and hot after a million calls.
const PROBE = `
  const bytes = new Uint8Array([0,97,115,109,1,0,0,0,1,5,1,96,0,1,127,3,2,1,0,7,5,1,1,102,0,0,10,6,1,4,0,65,42,11]);
  const { f } = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
  for (let i = 0; i < 1e6; i++) f();
  console.log(JSON.stringify({ liftoff: %IsLiftoffFunction(f), turbofan: %IsTurboFanFunction(f) }));
`;

/** Which compiler made a hot WebAssembly function's code, in a fresh process that first runs `before`. */
function hotWasmTier(before: string): { liftoff: boolean; turbofan: boolean } {
  const result = spawnSync(process.execPath, ['--allow-natives-syntax', '-e', `${before}\n${PROBE}`], { cwd: repoPath(), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`probe failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

describe('useBaselineWasmCompiler', () => {
  test('keeps a hot WebAssembly function on Liftoff, which V8 otherwise recompiles with TurboFan', () => {
    expect(hotWasmTier('')).toEqual({ liftoff: false, turbofan: true });
    const call = `require(${JSON.stringify(compiledPath('lib/app/validation-engine.ts'))}).useBaselineWasmCompiler();`;
    expect(hotWasmTier(call)).toEqual({ liftoff: true, turbofan: false });
  });

  test('cdk-eks-gitops synth turns it on before the stacks synthesize, so before the engine compiles', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-wasm-'));
    const stop = new Error('stopped where the synth turns the flag on');
    const spy = jest.spyOn(validationEngine, 'useBaselineWasmCompiler').mockImplementation(() => {
      throw stop;
    });
    try {
      const out = join(dir, 'cdk.out');
      const { status, stderr } = await runMain(['synth', '--spec', repoPath('examples', 'sandbox', 'platform.yaml'), '--no-nag', '--out', out, '--manifests', join(dir, 'dist'), '--workflows', join(dir, 'ci.out')]);
      expect(spy).toHaveBeenCalledTimes(1);
      expect({ status, stderr }).toEqual({ status: 1, stderr: `${stop.message}\n` });
      // Stopped there, nothing was synthesized yet (app.synth() writes manifest.json): the engine, which
      // app.synth() loads to validate the templates it wrote, had not compiled.
      expect(existsSync(join(out, 'manifest.json'))).toBe(false);
    } finally {
      spy.mockRestore();
    }
  });
});
