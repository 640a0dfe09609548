/**
 * A small declarative description of the spec's fields, read two ways: `checkShape` validates a parsed
 * document against it (types, required fields, unknown fields, enums, patterns, ranges) and
 * `toJsonSchema` writes the JSON Schema editors use. One description, so the published schema and the
 * loader cannot disagree about which fields exist.
 */

/** One problem found in a spec. */
export interface SpecProblem {
  /** Path of the field, e.g. `apps[0].namespace`. */
  readonly path: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

interface FieldBase {
  readonly description: string;
  readonly required?: boolean;
}

export interface StringField extends FieldBase {
  readonly type: 'string';
  /** A pattern the value must match, with a human description of it. */
  readonly pattern?: { readonly regex: RegExp; readonly says: string };
  readonly enum?: readonly string[];
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
}

export interface ObjectField extends FieldBase {
  readonly type: 'object';
  readonly fields: Shape;
}

/** A map of free keys (matching `keyPattern`) to string values, e.g. environment variables. */
export interface StringMapField extends FieldBase {
  readonly type: 'map';
  readonly keyPattern: { readonly regex: RegExp; readonly says: string };
}

export type Field = StringField | IntegerField | BooleanField | ArrayField | ObjectField | StringMapField;

export type Shape = { readonly [name: string]: Field };

/** Renders a value for an error message: strings quoted, objects as compact JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'nothing';
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

/** Validates `value` against `shape`, appending every problem found to `problems`. */
export function checkShape(value: unknown, shape: Shape, path: string, problems: SpecProblem[]): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ path: path || '(document)', message: `expected a mapping of fields, got ${typeName(value)}` });
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(key in shape)) {
      problems.push({
        path: join(path, key),
        message: `unknown field; allowed here: ${Object.keys(shape).join(', ')}`,
      });
    }
  }
  for (const [key, field] of Object.entries(shape)) {
    const fieldPath = join(path, key);
    const fieldValue = record[key];
    if (fieldValue === undefined || fieldValue === null) {
      if (field.required) problems.push({ path: fieldPath, message: `is required: ${field.description}` });
      continue;
    }
    checkField(fieldValue, field, fieldPath, problems);
  }
}

function checkField(value: unknown, field: Field, path: string, problems: SpecProblem[]): void {
  switch (field.type) {
    case 'string':
      if (typeof value !== 'string') {
        problems.push({ path, message: `expected a string, got ${typeName(value)}` });
      } else if (field.enum && !field.enum.includes(value)) {
        problems.push({ path, message: `${show(value)} is not allowed; use one of ${field.enum.join(', ')}` });
      } else if (field.maxLength !== undefined && value.length > field.maxLength) {
        problems.push({ path, message: `${show(value)} is ${value.length} characters; at most ${field.maxLength} allowed` });
      } else if (field.pattern && !field.pattern.regex.test(value)) {
        problems.push({ path, message: `${show(value)} is not ${field.pattern.says}` });
      }
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        problems.push({ path, message: `expected a whole number, got ${typeName(value)}` });
      } else if (field.minimum !== undefined && value < field.minimum) {
        problems.push({ path, message: `${value} is below the minimum ${field.minimum}` });
      } else if (field.maximum !== undefined && value > field.maximum) {
        problems.push({ path, message: `${value} is above the maximum ${field.maximum}` });
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push({ path, message: `expected true or false, got ${typeName(value)}` });
      return;
    case 'array':
      if (!Array.isArray(value)) {
        problems.push({ path, message: `expected a list, got ${typeName(value)}` });
        return;
      }
      if (field.minItems !== undefined && value.length < field.minItems) {
        problems.push({ path, message: `needs at least ${field.minItems} entr${field.minItems === 1 ? 'y' : 'ies'}` });
      }
      value.forEach((item, index) => checkField(item, field.items, `${path}[${index}]`, problems));
      return;
    case 'object':
      checkShape(value, field.fields, path, problems);
      return;
    case 'map':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        problems.push({ path, message: `expected a mapping, got ${typeName(value)}` });
        return;
      }
      for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
        if (!field.keyPattern.regex.test(key)) {
          problems.push({ path: `${path}.${key}`, message: `key ${show(key)} is not ${field.keyPattern.says}` });
        }
        if (typeof entry !== 'string') {
          problems.push({ path: `${path}.${key}`, message: `expected a string, got ${typeName(entry)}` });
        }
      }
      return;
  }
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

function fieldSchema(field: Field): Record<string, unknown> {
  const common = { description: field.description };
  switch (field.type) {
    case 'string':
      return {
        ...common,
        type: 'string',
        ...(field.enum ? { enum: [...field.enum] } : {}),
        ...(field.pattern ? { pattern: field.pattern.regex.source } : {}),
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
      };
    case 'object':
      return { ...common, ...toJsonSchema(field.fields) };
    case 'map':
      return {
        ...common,
        type: 'object',
        propertyNames: { pattern: field.keyPattern.regex.source },
        additionalProperties: { type: 'string' },
      };
  }
}
