import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { repoPath } from '../fixtures';
import { runInK8sWorker } from './k8s-worker-client';

/** The kubernetes-types module of each built-in API version. */
const MODULES: Record<string, string> = {
  'v1': 'core/v1',
  'apps/v1': 'apps/v1',
  'batch/v1': 'batch/v1',
  'networking.k8s.io/v1': 'networking/v1',
  'rbac.authorization.k8s.io/v1': 'rbac/v1',
  'apiextensions.k8s.io/v1': 'apiextensions/v1',
  'admissionregistration.k8s.io/v1': 'admissionregistration/v1',
  'policy/v1': 'policy/v1',
};

/**
 * Unknown (or mistyped) fields of built-in Kubernetes objects, found by the TypeScript compiler: each
 * object becomes an object literal typed with its kubernetes-types interface, and excess property
 * checks reject any field the Kubernetes API does not define, at any depth. Complements the
 * kubernetes-models validation, which checks types and required fields but ignores unknown ones.
 */
export function unknownFieldErrors(objects: any[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-strict-'));
  const lines: string[] = [];
  const names: string[] = [];
  objects.forEach((object, i) => {
    const module = MODULES[object.apiVersion];
    if (!module) throw new Error(`unknownFieldErrors: ${object.apiVersion} is not a built-in API version`);
    lines.push(`import type { ${object.kind} as T${i} } from 'kubernetes-types/${module}';`);
    names.push(`${object.apiVersion}/${object.kind} ${object.metadata?.name}`);
  });
  const firstObjectLine = lines.length + 1;
  objects.forEach((object, i) => lines.push(`export const o${i}: T${i} = ${JSON.stringify(object)};`));
  writeFileSync(join(dir, 'objects.ts'), `${lines.join('\n')}\n`);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
        // The ES5 library is all kubernetes-types needs: its 35 declaration files compile against
        // `--lib es5` with no unresolved name (with skipLibCheck off). The default library of the
        // compiler's default target is about 80 files, whose parsing was most of each check's time.
        lib: ['es5'],
        module: 'commonjs',
        moduleResolution: 'node10',
        ignoreDeprecations: '6.0',
        baseUrl: '.',
        paths: { 'kubernetes-types/*': [repoPath('node_modules', 'kubernetes-types', '*')] },
      },
      files: ['objects.ts'],
    }),
  );
  // The compiler runs in the test file's worker, which keeps the declarations it has parsed.
  return runInK8sWorker<string[]>('compile', join(dir, 'tsconfig.json'))
    .filter((l) => l.includes('error TS'))
    .map((l) => {
      const line = Number(l.match(/objects\.ts\((\d+),/)?.[1]);
      const name = names[line - firstObjectLine] ?? '(imports)';
      return `${name}: ${l.replace(/^.*error TS\d+: /, '')}`;
    });
}
