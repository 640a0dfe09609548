// The files generated from the spec's description (lib/model/platform-shape.ts): its JSON Schema, its
// TypeScript interfaces and the reference table of docs/spec-reference.md. `npx projen schema`
// (scripts/write-schema.ts) writes them; test/model/generated-spec-files.test.ts fails when one is stale.
import { readFileSync } from 'fs';
import { join } from 'path';
import { BUILT_IN_ADDONS } from '../lib/addons/built-in';
import * as enums from '../lib/model/enums';
import { platformJsonSchema } from '../lib/model/json-schema';
import { platformObject } from '../lib/model/platform-shape';
import { defaultInWords } from '../lib/model/shape';
import type { Field, ObjectField, Shape } from '../lib/model/shape';

/** The task that writes the generated files. */
export const SPEC_TASK = 'npx projen schema';

/** The spec as types.ts and the reference table see it: the built-in add-ons' sections included. */
function spec(): ObjectField {
  return platformObject(BUILT_IN_ADDONS);
}

/** platform.schema.json. */
export function schemaFile(): string {
  return `${JSON.stringify(platformJsonSchema(BUILT_IN_ADDONS), null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------
// lib/model/types.ts
// ---------------------------------------------------------------------------------------------

/** How wide a line of TSDoc text may be, after its ` * `. */
const DOC_WIDTH = 100;

/** `text` in lines of at most `DOC_WIDTH` characters (a longer word stays whole). */
function wrap(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > DOC_WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * `text` in lines, its first sentence ending a line: jsii takes that sentence as the summary and
 * the rest as remarks, which API.md then starts on a line of their own.
 */
function sentences(text: string): string[] {
  const summary = /^(.*?(?<!\be\.g|\bi\.e)[.?!])\s+(?=\S)/.exec(text);
  return summary ? [...wrap(summary[1]), ...wrap(text.slice(summary[0].length))] : wrap(text);
}

/** A TSDoc comment, indented: one line when it fits. `*\/` in the text is escaped so it cannot end the comment. */
function tsdoc(indent: string, paragraphs: string[]): string[] {
  const lines = paragraphs.flatMap((p, i) => (i === 0 ? sentences(p) : wrap(p))).map((l) => l.replace(/\*\//g, '*\\/'));
  if (lines.length === 1 && indent.length + lines[0].length + 7 <= DOC_WIDTH + 4) return [`${indent}/** ${lines[0]} */`];
  return [`${indent}/**`, ...lines.map((l) => `${indent} * ${l}`), `${indent} */`];
}

/** A literal default as TypeScript writes it: `'main'`, `2`, `['v*']`, `WorkloadIdentity.IRSA`. */
function literal(field: Field, value: unknown): string {
  if (field.type === 'string' && field.enumType) {
    const members = (enums as unknown as { [name: string]: { [member: string]: string } })[field.enumType];
    const member = Object.keys(members ?? {}).find((m) => members[m] === value);
    if (!member) throw new Error(`the default ${JSON.stringify(value)} is no member of ${field.enumType}`);
    return `${field.enumType}.${member}`;
  }
  if (Array.isArray(value)) return `[${value.map((v) => literal(field.type === 'array' ? field.items : field, v)).join(', ')}]`;
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** The text of a field's `@default` tag, or undefined when it has none. */
function defaultTag(field: Field): string | undefined {
  const value = 'default' in field ? field.default : undefined;
  if (value !== undefined) return `@default ${literal(field, value)}${field.defaultDoc ? ` - ${field.defaultDoc}` : ''}`;
  return field.defaultDoc ? `@default ${field.defaultDoc}` : undefined;
}

/** The TypeScript type of a field's value. */
function typeOf(field: Field, path: string): string {
  switch (field.type) {
    case 'string':
      return field.enumType ?? 'string';
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return `${typeOf(field.items, `${path}[]`)}[]`;
    case 'map':
      return '{ [name: string]: string }';
    case 'object':
      if (!field.typeName) throw new Error(`${path}: an object field needs a typeName, its interface in types.ts`);
      return field.typeName;
  }
}

/** The object fields of a field: itself, or the entries of its list. */
function objectOf(field: Field): ObjectField | undefined {
  if (field.type === 'object') return field;
  if (field.type === 'array') return objectOf(field.items);
  return undefined;
}

interface Declaration {
  readonly object: ObjectField;
  readonly path: string;
}

/**
 * Every interface the spec's objects name, in the order they are first met, each declared where it
 * is not inherited (an override position's object has no defaults). An interface met twice must have
 * the same fields both times.
 */
function declarations(root: ObjectField): Map<string, Declaration> {
  const declared = new Map<string, Declaration>();
  const referenced = new Map<string, string>();
  const signature = (object: ObjectField, path: string) => Object.entries(object.fields).map(([k, f]) => `${k}${f.required ? '' : '?'}: ${typeOf(f, `${path}.${k}`)}`).join('; ');
  const visit = (object: ObjectField, path: string) => {
    const name = object.typeName!;
    if (object.inherits) {
      referenced.set(name, path);
      return;
    }
    const earlier = declared.get(name);
    if (earlier) {
      if (signature(earlier.object, earlier.path) !== signature(object, path)) {
        throw new Error(`${path} and ${earlier.path} are both ${name}, with different fields: give one another typeName`);
      }
      return;
    }
    declared.set(name, { object, path });
    for (const [key, field] of Object.entries(object.fields)) {
      const child = objectOf(field);
      const childPath = `${path ? `${path}.` : ''}${key}${field.type === 'array' ? '[]' : ''}`;
      typeOf(field, childPath);
      if (child) visit(child, childPath);
    }
  };
  visit(root, '');
  for (const [name, path] of referenced) if (!declared.has(name)) throw new Error(`${path} inherits ${name}, which no field declares`);
  return declared;
}

/** lib/model/types.ts. */
export function typesFile(): string {
  const interfaces = declarations(spec());
  const usedEnums = new Set<string>();
  const body: string[] = [];
  for (const [name, { object, path }] of interfaces) {
    if (!object.typeDoc) throw new Error(`${path || '(spec)'}: ${name} needs a typeDoc`);
    const base = object.typeExtends ? interfaces.get(object.typeExtends) : undefined;
    if (object.typeExtends && !base) throw new Error(`${path}: ${name} extends ${object.typeExtends}, which no field declares`);
    body.push('', ...tsdoc('', [object.typeDoc]), `export interface ${name}${base ? ` extends ${object.typeExtends}` : ''} {`);
    const members: string[][] = [];
    for (const [key, field] of Object.entries(object.fields)) {
      if (base && key in base.object.fields) continue;
      const fieldPath = `${path ? `${path}.` : ''}${key}`;
      if (!field.doc) throw new Error(`${fieldPath}: the field needs a doc, its TSDoc in types.ts`);
      const type = typeOf(field, fieldPath);
      const enumType = field.type === 'string' ? field.enumType : field.type === 'array' && field.items.type === 'string' ? field.items.enumType : undefined;
      if (enumType) usedEnums.add(enumType);
      const tag = defaultTag(field);
      members.push([...tsdoc('  ', tag ? [field.doc, tag] : [field.doc]), `  readonly ${key}${field.required ? '' : '?'}: ${type};`]);
    }
    body.push(members.map((m) => m.join('\n')).join('\n\n'), '}');
  }
  const imports = [...usedEnums].sort();
  return [
    `// Generated by \`${SPEC_TASK}\` (scripts/write-schema.ts) from the spec's description,`,
    '// lib/model/platform-shape.ts: do not edit this file; edit the description and run the task.',
    '// The enums are written by hand in lib/model/enums.ts, and exported here too.',
    `import { ${imports.join(', ')} } from './enums';`,
    '',
    "export * from './enums';",
    ...body,
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// docs/spec-reference.md
// ---------------------------------------------------------------------------------------------

export const REFERENCE_FILE = join('docs', 'spec-reference.md');
export const REFERENCE_BEGIN = `<!-- reference table: generated by \`${SPEC_TASK}\` from lib/model/platform-shape.ts; do not edit -->`;
export const REFERENCE_END = '<!-- end of the reference table -->';

/** docs/spec-reference.md, with its reference table generated from the description. */
export function referenceFile(current = readFileSync(join(__dirname, '..', REFERENCE_FILE), 'utf8')): string {
  const begin = current.indexOf(REFERENCE_BEGIN);
  const end = current.indexOf(REFERENCE_END);
  if (begin < 0 || end < begin) throw new Error(`${REFERENCE_FILE}: the markers of the reference table are missing`);
  return `${current.slice(0, begin + REFERENCE_BEGIN.length)}\n${referenceTable()}\n${current.slice(end)}`;
}

/** A cell of the table: one line, no `|` that would end the cell. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}

/** What the default column says of a field: `required`, or its default in words. */
function shownDefault(field: Field): string {
  if (field.shownDefault !== undefined) return field.shownDefault;
  return field.required ? 'required' : defaultInWords(field) ?? 'none';
}

/** The values an enum field allows, when they are few enough to list. */
function allowed(field: Field): string {
  if (field.type !== 'string' || !field.enum || field.enumSays) return '';
  return ` One of ${field.enum.map((v) => `\`${v}\``).join(', ')}.`;
}

/**
 * The table's rows, one per field: an object reused from elsewhere (an override position's, or
 * the same fields at two paths) has one row that names the fields it has (`the fields of \`cluster\``),
 * and an object marked `oneRow` one row for all its fields. The environments come last: they
 * override the fields of the rest, which the table documents where they are first set.
 */
export function referenceTable(): string {
  const rows: string[] = [];
  // Where each object's fields were first documented, by the fields themselves: an object reused
  // whole (a migration's `resources`, a container's) points there; add-on sections of one interface do not.
  const homes = new Map<Shape, string>();
  const row = (paths: string[], defaults: string, notes: string) => rows.push(`| ${paths.join(' / ')} | ${cell(defaults)} | ${cell(notes)} |`);
  const visit = (field: Field, path: string) => {
    const object = objectOf(field);
    const home = object ? homes.get(object.fields) : undefined;
    if (object && !object.oneRow && (object.inherits || (home && home !== path))) {
      const from = object.inherits ?? (field.type === 'array' ? home!.replace(/\[\]$/, '') : home!);
      row([`\`${path}\``], `the fields of \`${from}\``, field.doc ?? '');
      return;
    }
    if (field.type === 'object' && field.oneRow) {
      const keys = Object.keys(field.fields);
      row([`\`${path}.${keys[0]}\``, ...keys.slice(1).map((k) => `\`${k}\``)], Object.values(field.fields).map(shownDefault).join(' / '), field.doc ?? '');
      return;
    }
    if (path) row([`\`${path}\``], shownDefault(field), `${field.doc ?? ''}${allowed(field)}`);
    if (!object) return;
    const objectPath = field.type === 'array' ? `${path}[]` : path;
    if (!homes.has(object.fields)) homes.set(object.fields, objectPath);
    const entries = Object.entries(object.fields);
    const ordered = path ? entries : [...entries.filter(([k]) => k !== 'environments'), ...entries.filter(([k]) => k === 'environments')];
    for (const [key, child] of ordered) visit(child, objectPath ? `${objectPath}.${key}` : key);
  };
  visit(spec(), '');
  return ['| field | default | notes |', '|---|---|---|', ...rows].join('\n');
}

/** Each generated file, with the content the description gives it. */
export const GENERATED_SPEC_FILES: readonly { readonly path: string; readonly content: () => string }[] = [
  { path: 'platform.schema.json', content: schemaFile },
  { path: join('lib', 'model', 'types.ts'), content: typesFile },
  { path: REFERENCE_FILE, content: () => referenceFile() },
];
