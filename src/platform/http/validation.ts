import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { INT4_MAX, INT4_MIN } from './schemas.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

// strictNumbers: 1e400 parses to Infinity, which is no number any column takes.
const base: Options = { allErrors: true, removeAdditional: false, useDefaults: true, strict: false, strictNumbers: true };

// Query strings and path params arrive as text and are coerced; JSON bodies must carry the right
// types, so {"name": 123} is refused instead of silently becoming "123".
const strictAjv = addFormats(new Ajv({ ...base, coerceTypes: false }));
const coercingAjv = addFormats(new Ajv({ ...base, coerceTypes: 'array' }));

type Schema = Record<string, unknown>;

const isNumeric = (type: unknown) =>
  type === 'integer' || type === 'number' || (Array.isArray(type) && (type.includes('integer') || type.includes('number')));

const bounded = new WeakMap<object, unknown>();

/**
 * A copy of `schema` in which every integer or number without a bound gets the int4 range, so a value
 * beyond PostgreSQL's integer column is a 400 even where a schema forgot its maximum. Schemas should
 * still state their own bounds (schema-bounds.test.ts checks the OpenAPI document for them); this is
 * the net under that rule. The same original always maps to the same copy, so ajv sees one schema
 * per $id.
 */
export function withColumnBounds(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withColumnBounds);
  if (!schema || typeof schema !== 'object') return schema;
  const cached = bounded.get(schema);
  if (cached) return cached;
  const out: Schema = {};
  bounded.set(schema, out);
  for (const [key, value] of Object.entries(schema)) {
    // Literal data (enums, defaults, examples) is not schema and is copied as is.
    out[key] = key === 'enum' || key === 'const' || key === 'default' || key === 'examples' ? value : withColumnBounds(value);
  }
  if (isNumeric(out.type)) {
    if (out.maximum === undefined && out.exclusiveMaximum === undefined) out.maximum = INT4_MAX;
    if (out.minimum === undefined && out.exclusiveMinimum === undefined) out.minimum = INT4_MIN;
  }
  return out;
}

/** Where in coerced data a number came out as Infinity (or NaN), if anywhere. */
function nonFiniteAt(data: unknown, path: string): string | undefined {
  if (typeof data === 'number') return Number.isFinite(data) ? undefined : path;
  if (!data || typeof data !== 'object') return undefined;
  for (const [key, value] of Object.entries(data)) {
    const found = nonFiniteAt(value, `${path}/${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Ajv coerces the query text "1e309" to Infinity and then lets it pass `integer` and `maximum`
 * (strictNumbers covers JSON bodies only), so coerced data is checked once more for numbers that are no numbers.
 */
function coercingValidator(schema: object) {
  const validate = coercingAjv.compile(schema);
  const check = (data: unknown) => {
    if (!validate(data)) {
      check.errors = validate.errors;
      return false;
    }
    const at = nonFiniteAt(data, '');
    check.errors = at === undefined ? null : [{ instancePath: at, schemaPath: '#', keyword: 'type', params: { type: 'integer' }, message: 'must be a finite number' }];
    return at === undefined;
  };
  check.errors = null as typeof validate.errors;
  return check;
}

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  httpPart === 'body' ? strictAjv.compile(withColumnBounds(schema) as object) : coercingValidator(withColumnBounds(schema) as object);
