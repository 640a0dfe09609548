import { mkdtempSync, writeFileSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { BUILT_IN_ADDONS } from '../../lib/addons/built-in';
import { platformJsonSchema } from '../../lib/model/json-schema';
import type { PlatformSpec } from '../../lib/model/types';
import { PlatformSpecError, PlatformSpecLoader } from '../../lib/platform/loader';
import { repoPath, sandboxSpec } from '../fixtures';

const dir = mkdtempSync(join(tmpdir(), 'spec-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

function errorOf(fn: () => unknown): PlatformSpecError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PlatformSpecError);
    return e as PlatformSpecError;
  }
  throw new Error('expected a PlatformSpecError');
}

describe('PlatformSpecLoader', () => {
  test('reads YAML and JSON into the same spec', () => {
    const spec = sandboxSpec();
    const fromJson = PlatformSpecLoader.fromFile(write('platform.json', JSON.stringify(spec)));
    expect(fromJson).toEqual(spec);
    expect(fromJson.apps[0].containers.map((c) => c.name)).toEqual(['app', 'web']);
  });

  test('a missing file is a clear error, not a stack trace', () => {
    const error = errorOf(() => PlatformSpecLoader.fromFile(join(dir, 'missing.yaml')));
    expect(error.message).toBe(`${join(dir, 'missing.yaml')}: 1 problem\n  - (file): cannot read the spec: no such file`);
  });

  test('a YAML syntax error names the line', () => {
    const error = errorOf(() => PlatformSpecLoader.fromFile(write('broken.yaml', 'name: sandbox\naws: [region\n')));
    expect(error.problems[0].path).toMatch(/^\(line \d+, column \d+\)$/);
    expect(error.problems[0].message).toMatch(/^invalid YAML: /);
  });

  test('a duplicate key is an error rather than a silent overwrite', () => {
    const error = errorOf(() => PlatformSpecLoader.fromText('name: a\nname: b\n', 'dup.yaml'));
    expect(error.problems[0].message).toMatch(/invalid YAML: .*unique/i);
  });

  test('a YAML alias bomb is refused with a message naming the file, before it is expanded', () => {
    const levels = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h'].entries()) {
      const previous = String.fromCharCode('a'.charCodeAt(0) + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    const path = write('bomb.yaml', `${levels.join('\n')}\n`);
    const error = errorOf(() => PlatformSpecLoader.fromFile(path));
    expect(error.message.split('\n')[0]).toBe(`${path}: 1 problem`);
    expect(error.problems[0]).toEqual({ path: '(document)', message: expect.stringMatching(/^cannot read the document: Excessive alias count/) });
  });

  test('a JSON syntax error says JSON', () => {
    const error = errorOf(() => PlatformSpecLoader.fromFile(write('broken.json', '{"name": "sandbox",')));
    expect(error.problems[0].message).toMatch(/^invalid JSON: /);
  });

  test('fromObject takes a typed spec: the compiler refuses a misspelt field, and validation still runs', () => {
    const spec: PlatformSpec = PlatformSpecLoader.fromFile(repoPath('examples', 'sandbox', 'platform.yaml'));
    expect(PlatformSpecLoader.fromObject({ ...spec, name: 'other' }).name).toBe('other');
    const error = errorOf(() =>
      // npm test type-checks this file: the directive fails the type-check if fromObject stops checking its argument.
      // @ts-expect-error `replica` is not a field of AppSpec
      PlatformSpecLoader.fromObject({ ...spec, apps: [{ ...spec.apps[0], replica: 2 }] }),
    );
    expect(error.problems.map((p) => p.path)).toEqual(['apps[0].replica']);
  });

  test('fromDocument validates a parsed document of unknown shape, every problem at once', () => {
    const document: unknown = JSON.parse(JSON.stringify({ ...sandboxSpec(), name: 'Sandbox', dns: 'example.com' }));
    const error = errorOf(() => PlatformSpecLoader.fromDocument(document));
    expect(error.source).toBe('(document)');
    expect(error.problems.map((p) => p.path)).toEqual(['name', 'dns']);
    expect(PlatformSpecLoader.fromDocument(JSON.parse(JSON.stringify(sandboxSpec()))).name).toBe('sandbox');
  });
});

describe('platform.schema.json', () => {
  const committed = JSON.parse(readFileSync(repoPath('platform.schema.json'), 'utf8'));

  test('is current with the spec description (run `npx projen schema` after changing it)', () => {
    expect(committed).toEqual(platformJsonSchema(BUILT_IN_ADDONS));
  });

  test('accepts the sandbox spec and rejects a typo and a wrong type, as the loader does', () => {
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(committed);
    expect(validate(parse(readFileSync(repoPath('examples', 'sandbox', 'platform.yaml'), 'utf8')))).toBe(true);

    const typo = sandboxSpec();
    typo.apps[0].replica = 2;
    expect(validate(typo)).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: '/apps/0', keyword: 'additionalProperties', params: { additionalProperty: 'replica' } });

    const wrongType = sandboxSpec();
    wrongType.apps[0].replicas = 'two';
    expect(validate(wrongType)).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: '/apps/0/replicas', keyword: 'type' });
  });
});

describe('the spec reference (docs/spec-reference.md)', () => {
  test('its example spec is valid', () => {
    const reference = readFileSync(repoPath('docs', 'spec-reference.md'), 'utf8');
    const example = reference.slice(reference.indexOf('## The platform spec')).match(/```yaml\n([\s\S]*?)```/)![1];
    expect(PlatformSpecLoader.fromText(example, 'docs/spec-reference.md').apps[0].name).toBe('main');
  });
});
