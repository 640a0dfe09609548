import { setFlagsFromString } from 'v8';

/**
 * The V8 flag that keeps WebAssembly on V8's baseline compiler (Liftoff).
 *
 * aws-cdk-lib validates every template at synth with a 9 MB WebAssembly engine
 * (`@aws/cloudformation-validate`), which it compiles when it first loads it, once per process. By
 * default V8 then recompiles the engine's hot functions with its optimizing compiler (TurboFan) on
 * background threads. A synth runs the engine once, for a few seconds: the recompiling costs more CPU
 * than the faster code saves (measured on the sandbox: about 1.3 s of 6 s of CPU, and 170 MB of peak
 * memory), while the validation it runs, and so what it reports, stays the same.
 */
export const BASELINE_WASM_FLAG = '--liftoff-only';

/**
 * Makes V8 compile WebAssembly with its baseline compiler only, for the rest of this process: the
 * CloudFormation validation engine then starts with less CPU. For a program that synthesizes and
 * exits (the CLI's `synth`, the CDK app `cdk synth` runs), not for a library to call: the flag holds
 * for every WebAssembly module the process compiles afterwards, and none compiled before.
 */
export function useBaselineWasmCompiler(): void {
  setFlagsFromString(BASELINE_WASM_FLAG);
}
