import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { repoPath } from '../fixtures';

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
        module: 'commonjs',
        moduleResolution: 'node10',
        ignoreDeprecations: '6.0',
        baseUrl: '.',
        paths: { 'kubernetes-types/*': [repoPath('node_modules', 'kubernetes-types', '*')] },
      },
      files: ['objects.ts'],
    }),
  );
  const result = spawnSync(repoPath('node_modules', '.bin', 'tsc'), ['-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
  return result.stdout
    .split('\n')
    .filter((l) => l.includes('error TS'))
    .map((l) => {
      const line = Number(l.match(/objects\.ts\((\d+),/)?.[1]);
      const name = names[line - firstObjectLine] ?? '(imports)';
      return `${name}: ${l.replace(/^.*error TS\d+: /, '')}`;
    });
}
