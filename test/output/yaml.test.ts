import { stringify } from 'yaml';
import { toYaml, toYamlDocuments } from '../../lib/output/yaml';

/** What the yaml library writes with the options the manifests are committed with. */
const library = (value: unknown) => stringify(value, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });

/** Strings the library writes plain, quoted one way or the other, or as block scalars. */
const STRINGS = [
  'plain',
  'with spaces inside',
  'app.kubernetes.io/name',
  'arn:aws:iam::123456789012:role/x',
  'https://example.com/a?b=c#d',
  '',
  ' leading space',
  'trailing space ',
  'true',
  'False',
  'no',
  'null',
  '~',
  '8080',
  '1.35',
  '0x1F',
  '0o17',
  '1e3',
  '.inf',
  '.NaN',
  '-',
  '- item',
  '? key',
  'a: b',
  'a:b',
  'ends with colon:',
  'has # comment',
  'has#hash',
  '#starts',
  '*alias',
  '&anchor',
  '!tag',
  '|literal',
  '>folded',
  '%directive',
  '---',
  '--- document',
  '...',
  '@at',
  '`backtick',
  "it's",
  'say "hi"',
  'both \' and "',
  '{braces}',
  '[brackets]',
  'a, b',
  'tab\tinside',
  'control \u0007 char',
  'ünïcödé ✓',
  'line one\nline two',
  'ends with newline\n',
  '\nstarts with newline',
  'two\n\nparagraphs\n',
  '  indented\nblock',
  'line\n--- marker\n',
  '...\nafter',
  'trailing spaces  \nnext',
  'a\n  more indented\nb\n',
  'keeps\n\n',
  'x\n ',
  'say "x"\nnext line',
  '\'quoted\'\n  and indented',
  'run: |\n  npm ci\n  npm test\n',
  '\ttab start\nx',
  'x'.repeat(2000),
  `${'long words '.repeat(30)}end`,
];

describe('toYaml', () => {
  test('writes every string as the yaml library does, as a value, a key, a list item and at any depth', () => {
    for (const s of STRINGS) {
      const documents = [{ key: s }, { [s]: 'value' }, { [s]: { nested: s } }, [s], { list: [s, { [s]: [s] }] }, { a: { b: { c: s } } }, [[s, [s]]], [{ a: [{ b: s }] }], { x: s, y: 'after' }];
      for (const document of documents) expect(toYaml(document)).toBe(library(document));
    }
  });

  test('a string is written as itself even after a string written by its place spelled like it', () => {
    // A string whose text depends on its place ('%directive' starts like a directive) is cached by
    // its depth and text; a plain string spelling that key (a NUL is a character like any other)
    // must not be taken for it.
    expect(toYaml({ a: { k: '%foo' } })).toBe(library({ a: { k: '%foo' } }));
    expect(toYaml({ k: '4\0%foo' })).toBe(library({ k: '4\0%foo' }));
  });

  test('writes numbers, booleans, null, empty and nested collections as the yaml library does', () => {
    const document = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'app', labels: { 'app.kubernetes.io/name': 'app' }, annotations: {} },
      spec: {
        replicas: 2,
        ratio: 0.25,
        negative: -3,
        zero: -0,
        big: 1e21,
        enabled: true,
        disabled: false,
        nothing: null,
        empty: [],
        template: { spec: { containers: [{ name: 'app', ports: [{ containerPort: 8080 }], args: [] }, { name: 'sidecar', env: [{ name: 'A', value: '1' }] }] } },
        matrix: [[1, 2], [], [{}], [[3]], { inner: [[]] }],
      },
    };
    expect(toYaml(document)).toBe(library(document));
    expect(toYaml([document, document])).toBe(library([document, document]));
  });

  test('leaves what the fast path does not write to the yaml library, which writes it as before', () => {
    const values: unknown[] = [{}, [], 'scalar', 3, null, { a: undefined, b: 1 }, [1, undefined], { n: NaN }, { i: -Infinity }, { d: new Date(0) }, { m: new Map([['k', 'v']]) }];
    for (const value of values) expect(toYaml(value)).toBe(library(value));
  });

  test('joins several documents with ---', () => {
    expect(toYamlDocuments([{ a: 1 }, { b: ['x'] }])).toBe('a: 1\n---\nb:\n  - x\n');
  });
});
