/**
 * A small declarative description of the spec's fields, read several ways: `checkShape` validates a
 * parsed document against it (types, required fields, unknown fields, enums, patterns, ranges),
 * `applyDefaults` fills in its defaults, `toJsonSchema` writes the JSON Schema editors use, and
 * lib/model/spec-types.ts writes the TypeScript interfaces (types.ts) and the reference table of
 * docs/spec-reference.md from it. One description, so the published schema, the public types and the
 * loader cannot disagree about which fields exist, their types or their defaults.
 */

/** One problem found in a spec. */
export interface SpecProblem {
  /** Path of the field, e.g. `apps[0].namespace`. */
  readonly path: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

interface FieldBase {
  /** A short description: the JSON Schema's, and the loader's when the field is missing. */
  readonly description: string;
  readonly required?: boolean;
  /**
   * The field's documentation in full sentences: the TSDoc of its property in types.ts (and API.md),
   * the notes of its row in docs/spec-reference.md.
   */
  readonly doc?: string;
  /**
   * What the `@default` tag says besides the value. With a `default`, the words after it
   * (`@default [] - none`); without one, the whole text as written: `- the spec's aws`, or a name
   * derived from others such as `'<app>-secrets'`.
   */
  readonly defaultDoc?: string;
  /** The default docs/spec-reference.md shows, where it is not the `@default` (each controller's own). */
  readonly shownDefault?: string;
}

export interface StringField extends FieldBase {
  readonly type: 'string';
  /** A pattern the value must match, with a human description of it. */
  readonly pattern?: { readonly regex: RegExp; readonly says: string };
  readonly enum?: readonly string[];
  /** The TypeScript enum (lib/model/enums.ts) whose values `enum` lists: the type of the field in types.ts. */
  readonly enumType?: string;
  /** How the allowed values are described when the enum is too long to list. */
  readonly enumSays?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly default?: string;
}

export interface IntegerField extends FieldBase {
  readonly type: 'integer';
  readonly minimum?: number;
  readonly maximum?: number;
  readonly default?: number;
}

export interface BooleanField extends FieldBase {
  readonly type: 'boolean';
  readonly default?: boolean;
}

export interface ArrayField extends FieldBase {
  readonly type: 'array';
  readonly items: Field;
  readonly minItems?: number;
  readonly maxItems?: number;
  /** The list an unset field stands for (lists of plain values only). */
  readonly default?: readonly string[];
}

export interface ObjectField extends FieldBase {
  readonly type: 'object';
  readonly fields: Shape;
  /** The TypeScript interface of its value in types.ts, with that interface's own TSDoc. */
  readonly typeName?: string;
  readonly typeDoc?: string;
  /** An interface whose fields it has too, which types.ts has it extend (`WebhookControllerSpec extends ControllerSpec`). */
  readonly typeExtends?: string;
  /**
   * The path whose fields its unset fields inherit: set by `inheriting`, or by hand for an object an
   * override position reuses whole (an environment's `dns`). Its interface is declared where it is
   * not inherited (with the defaults), and here reused; the reference table gives it one row.
   */
  readonly inherits?: string;
  /** Whether docs/spec-reference.md gives its fields one row (a controller's requests and limits), not one each. */
  readonly oneRow?: boolean;
}

/** A map of free keys (matching `keyPattern`) to string values, e.g. environment variables. */
export interface StringMapField extends FieldBase {
  readonly type: 'map';
  readonly keyPattern: { readonly regex: RegExp; readonly says: string };
  /** Rules for the values. */
  readonly values?: StringField;
}

export type Field = StringField | IntegerField | BooleanField | ArrayField | ObjectField | StringMapField;

export type Shape = { readonly [name: string]: Field };

/** Longest value an error message quotes in full. */
const SHOWN_LENGTH = 80;

/**
 * Renders a value for an error message: strings quoted, objects as compact JSON. Control characters
 * (a newline in a value) are shown escaped and long values are cut, so one problem stays one line.
 */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') {
    // eslint-disable-next-line no-control-regex
    const escaped = value.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
    return `'${escaped.length > SHOWN_LENGTH ? `${escaped.slice(0, SHOWN_LENGTH - 3)}...` : escaped}'`;
  }
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `the ${typeof value} ${show(value)}`;
}

/**
 * For a number or a boolean where a string belongs (`version: 1.35`, `account: 123456789012`): YAML
 * reads an unquoted 1.35 as a number, so the fix is quotes. "As written": the number may have lost
 * what the text had (a leading zero of an account, a trailing zero of 1.30).
 */
function quoteHint(value: unknown, path: string): string {
  if (typeof value !== 'number' && typeof value !== 'boolean') return '';
  const key = /([^.[\]]+)$/.exec(path)?.[1];
  const example = key && !path.endsWith(']') ? `${key}: '${String(value)}'` : `'${String(value)}'`;
  return `; put it in quotes, as written (${example}): unquoted, YAML reads it as a ${typeof value}`;
}

/** The field of `known` that `key` most likely misspells (a typo, another case), or undefined. */
function nearest(key: string, known: string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (distance <= Math.max(1, Math.floor(name.length / 4)) && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Levenshtein distance, with a swap of two neighbouring letters counted as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (__, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * Keys no spec object may have at any depth: the names of `Object.prototype`'s members. A document
 * using them as field names (or as keys of a map such as `env`) could otherwise reach inherited
 * properties of the objects the library builds from the spec.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', ...Object.getOwnPropertyNames(Object.prototype)]);

/**
 * Validates `value` against `shape`, appending every problem found to `problems`.
 *
 * @returns the value with every invalid or unknown field left out, or `undefined` when the value is not
 *   a mapping or lacks a required field: the part of the document the rules across fields can trust.
 */
export function checkShape(value: unknown, shape: Shape, path: string, problems: SpecProblem[]): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ path: path || '(document)', message: `expected a mapping of fields, got ${typeName(value)}` });
    return undefined;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (FORBIDDEN_KEYS.has(key)) {
      problems.push({ path: join(path, key), message: `${show(key)} is not allowed as a field name` });
    } else if (!Object.prototype.hasOwnProperty.call(shape, key)) {
      const near = nearest(key, Object.keys(shape));
      problems.push({
        path: join(path, key),
        message: `unknown field; allowed here: ${Object.keys(shape).join(', ')}${near ? `; did you mean '${near}'?` : ''}`,
      });
    }
  }
  const valid: Record<string, unknown> = {};
  let complete = true;
  for (const [key, field] of Object.entries(shape)) {
    const fieldPath = join(path, key);
    const fieldValue = Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
    if (fieldValue === undefined || fieldValue === null) {
      if (field.required) {
        problems.push({ path: fieldPath, message: `is required: ${field.description}` });
        complete = false;
      }
      continue;
    }
    const checked = checkField(fieldValue, field, fieldPath, problems);
    if (checked !== undefined) valid[key] = checked;
    else if (field.required) complete = false;
  }
  return complete ? valid : undefined;
}

/** Checks one value; returns it (pruned, for objects and lists) when it may be trusted, else `undefined`. */
function checkField(value: unknown, field: Field, path: string, problems: SpecProblem[]): unknown {
  const problem = (message: string) => {
    problems.push({ path, message });
    return undefined;
  };
  switch (field.type) {
    case 'string':
      if (typeof value !== 'string') return problem(`expected a string, got ${typeName(value)}${quoteHint(value, path)}`);
      if (field.enum && !field.enum.includes(value)) return problem(`${show(value)} is not allowed; use ${field.enumSays ?? `one of ${field.enum.join(', ')}`}`);
      if (field.minLength !== undefined && value.length < field.minLength) {
        return problem(value.length === 0 ? 'is empty; give a value' : `${show(value)} is ${value.length} characters; at least ${field.minLength} needed`);
      }
      if (field.maxLength !== undefined && value.length > field.maxLength) {
        return problem(`${show(value)} is ${value.length} characters; at most ${field.maxLength} allowed`);
      }
      if (field.pattern && !field.pattern.regex.test(value)) return problem(`${show(value)} is not ${field.pattern.says}`);
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return problem(`expected a whole number, got ${typeName(value)}`);
      if (field.minimum !== undefined && value < field.minimum) return problem(`${value} is below the minimum ${field.minimum}`);
      if (field.maximum !== undefined && value > field.maximum) return problem(`${value} is above the maximum ${field.maximum}`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') return problem(`expected true or false, got ${typeName(value)}`);
      return value;
    case 'array': {
      if (!Array.isArray(value)) return problem(`expected a list, got ${typeName(value)}`);
      const before = problems.length;
      if (field.minItems !== undefined && value.length < field.minItems) {
        problem(`needs at least ${field.minItems} entr${field.minItems === 1 ? 'y' : 'ies'}`);
      }
      if (field.maxItems !== undefined && value.length > field.maxItems) problem(`has ${value.length} entries; at most ${field.maxItems} allowed`);
      const items = value.map((item, index) => checkField(item, field.items, `${path}[${index}]`, problems));
      // A list of mappings keeps its length, with undefined for a bad entry, so indexes keep naming
      // the document's entries; a list of plain values with a bad entry is left out whole.
      if (field.items.type === 'object') return items;
      return problems.length === before ? items : undefined;
    }
    case 'object':
      return checkShape(value, field.fields, path, problems);
    case 'map': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return problem(`expected a mapping, got ${typeName(value)}`);
      const valid: Record<string, string> = {};
      for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
        const entryPath = `${path}.${key}`;
        if (FORBIDDEN_KEYS.has(key)) {
          problems.push({ path: entryPath, message: `${show(key)} is not allowed as a key` });
        } else if (!field.keyPattern.regex.test(key)) {
          problems.push({ path: entryPath, message: `key ${show(key)} is not ${field.keyPattern.says}` });
        } else if (typeof entry !== 'string') {
          problems.push({ path: entryPath, message: `expected a string, got ${typeName(entry)}` });
        } else if (field.values && checkField(entry, field.values, entryPath, problems) === undefined) {
          // reported by checkField
        } else {
          valid[key] = entry;
        }
      }
      return valid;
    }
  }
}

/**
 * A field as it appears in an override position (`environments[]`): without the defaults of `field`
 * and of every field under it, since an unset field there keeps the value of the field it overrides
 * (at `from`), not the default. Each field that had a default (in the schema, or stated at the end
 * of its description) says where its value comes from instead, so the published schema offers no default an editor would write in, wrongly.
 *
 * @param field the field of the top level that the override reuses
 * @param from the path of that field, e.g. `cluster` or `apps[].containers[].resources`
 */
export function inheriting<F extends Field>(field: F, from: string): F {
  switch (field.type) {
    case 'object': {
      // Its own `@default` text is the top level's, not what an override position's unset object means.
      const { defaultDoc: _defaultDoc, ...rest } = field;
      const fields = Object.fromEntries(Object.entries(field.fields).map(([key, f]) => [key, inheriting(f, join(from, key))]));
      return { ...rest, inherits: from, fields } as F;
    }
    case 'map':
      return field;
    default: {
      const own: StringField | IntegerField | BooleanField | ArrayField = field.type === 'array' ? { ...field, items: inheriting(field.items, `${from}[]`) } : field;
      // Whatever the top level's `@default` says, an unset field here is the top level's value.
      const { defaultDoc: _defaultDoc, ...plain } = own;
      // A default the description states, where the schema cannot hold it (`maxSize`: 4, or minSize when larger), is inherited too.
      const stated = / \(default: [^)]*\)$/;
      if (own.default === undefined && !stated.test(own.description)) return plain as F;
      const { default: _default, ...rest } = plain;
      return { ...rest, description: `${own.description.replace(stated, '')} (default: inherits ${from})`, defaultDoc: `- inherits ${from}` } as F;
    }
  }
}

/**
 * `value` with the default of every unset field of `shape` filled in, and the same for the objects
 * under it and the objects of its lists. An object left out is filled in too when a field under it
 * has a default, unless it has a required field: such an object (`secrets.vault`, an application's
 * `migration` or `secret`) cannot be made of defaults, and its absence means the feature is off, so
 * it stays absent. The value is not changed; lists are copied.
 *
 * @param value a validated object of the spec, or undefined for one left out
 */
export function applyDefaults(value: Record<string, unknown> | undefined, shape: Shape): Record<string, unknown> {
  const filled: Record<string, unknown> = { ...value };
  for (const [key, field] of Object.entries(shape)) {
    const given = filled[key];
    if (field.type === 'object') {
      const optional = !Object.values(field.fields).some((f) => f.required);
      if (given !== undefined || (optional && hasDefaults(field.fields))) {
        filled[key] = applyDefaults(given as Record<string, unknown> | undefined, field.fields);
      }
    } else if (field.type === 'array' && field.items.type === 'object' && Array.isArray(given)) {
      const items = field.items;
      filled[key] = given.map((item) => applyDefaults(item as Record<string, unknown>, items.fields));
    } else if (given === undefined && 'default' in field && field.default !== undefined) {
      filled[key] = Array.isArray(field.default) ? [...field.default] : field.default;
    }
  }
  return filled;
}

/** Whether a field of `shape`, or of an object under it, has a default. */
function hasDefaults(shape: Shape): boolean {
  return Object.values(shape).some((field) => (field.type === 'object' ? hasDefaults(field.fields) : 'default' in field && field.default !== undefined));
}

/** JSON Schema (draft 2020-12) of a shape, for editors. */
export function toJsonSchema(shape: Shape): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [key, field] of Object.entries(shape)) {
    properties[key] = fieldSchema(field);
    if (field.required) required.push(key);
  }
  return {
    type: 'object',
    additionalProperties: false,
    properties,
    ...(required.length ? { required } : {}),
  };
}

/**
 * A field's default in words, for a reader: the literal default (`` `main` ``, `` `[v*]` ``, 2), with
 * the words `defaultDoc` adds, or `defaultDoc` alone without the dash of `@default - ...`; undefined
 * when the description gives none.
 */
export function defaultInWords(field: Field): string | undefined {
  const value = 'default' in field ? field.default : undefined;
  if (value !== undefined) {
    const shown = Array.isArray(value) ? `\`[${value.join(', ')}]\`` : typeof value === 'string' ? `\`${value}\`` : String(value);
    return field.defaultDoc ? `${shown}: ${field.defaultDoc}` : shown;
  }
  if (!field.defaultDoc) return undefined;
  // A derived name (`'<app>-secrets'`) is shown as code.
  const derived = /^'([^']*)'$/.exec(field.defaultDoc);
  return derived ? `\`${derived[1]}\`` : field.defaultDoc.replace(/^- /, '');
}

/**
 * The hover text editors show (VS Code and yaml-language-server prefer `markdownDescription` to
 * `description`): the field's full documentation and its default.
 */
function markdownDescription(field: Field): { markdownDescription?: string } {
  if (!field.doc) return {};
  const shown = defaultInWords(field);
  return { markdownDescription: shown ? `${field.doc}\n\nDefault: ${shown}` : field.doc };
}

function fieldSchema(field: Field): Record<string, unknown> {
  const common = { description: field.description, ...markdownDescription(field) };
  switch (field.type) {
    case 'string':
      return {
        ...common,
        type: 'string',
        ...(field.enum ? { enum: [...field.enum] } : {}),
        ...(field.pattern ? { pattern: field.pattern.regex.source } : {}),
        ...(field.minLength !== undefined ? { minLength: field.minLength } : {}),
        ...(field.maxLength !== undefined ? { maxLength: field.maxLength } : {}),
        ...(field.default !== undefined ? { default: field.default } : {}),
      };
    case 'integer':
      return {
        ...common,
        type: 'integer',
        ...(field.minimum !== undefined ? { minimum: field.minimum } : {}),
        ...(field.maximum !== undefined ? { maximum: field.maximum } : {}),
        ...(field.default !== undefined ? { default: field.default } : {}),
      };
    case 'boolean':
      return { ...common, type: 'boolean', ...(field.default !== undefined ? { default: field.default } : {}) };
    case 'array':
      return {
        ...common,
        type: 'array',
        items: fieldSchema(field.items),
        ...(field.minItems !== undefined ? { minItems: field.minItems } : {}),
        ...(field.maxItems !== undefined ? { maxItems: field.maxItems } : {}),
        ...(field.default !== undefined ? { default: [...field.default] } : {}),
      };
    case 'object':
      return { ...common, ...toJsonSchema(field.fields) };
    case 'map':
      return {
        ...common,
        type: 'object',
        propertyNames: { pattern: field.keyPattern.regex.source, not: { enum: [...FORBIDDEN_KEYS] } },
        additionalProperties: field.values ? fieldSchema(field.values) : { type: 'string' },
      };
  }
}
