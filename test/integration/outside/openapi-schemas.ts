import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { load } from 'js-yaml';

/** The published excerpt (Swagger 2.0), kept in the fixtures so a fresh clone has it. */
export const DOCUMENT_PATH = join(
  import.meta.dirname,
  '../../fixtures/update-service.openapi.yaml',
);

interface Operation {
  responses: Record<string, { schema?: { $ref?: string } }>;
}
interface SwaggerDoc {
  paths: Record<string, Record<string, Operation>>;
  definitions: Record<string, unknown>;
}

/** Places where the seed (the service's own guide) overrides the excerpt's schemas. */
export type SchemaPatch = (definitions: Record<string, Record<string, unknown>>) => void;

type Node = Record<string, unknown>;

/**
 * Swagger 2.0 schema → JSON Schema draft-07 for ajv: `x-nullable` becomes a null alternative,
 * and the annotations ajv's strict mode does not know (`example`, `x-*`) are dropped.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const out: Node = {};
  for (const [k, v] of Object.entries(node as Node)) {
    if (k === 'example' || k.startsWith('x-')) continue;
    // Names of properties are data, not keywords: keep them all, convert their schemas.
    if (k === 'properties' || k === 'definitions') {
      out[k] = Object.fromEntries(
        Object.entries(v as Node).map(([name, s]) => [name, toJsonSchema(s)]),
      );
    } else out[k] = toJsonSchema(v);
  }
  if ((node as Node)['x-nullable'] !== true) return out;
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'] };
  return { anyOf: [out, { type: 'null' }] };
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export interface ResponseSchemas {
  /** The documented statuses of one operation, e.g. ('get', '/v3/firmware-images/'). */
  statuses(method: string, path: string): string[];
  /** The validator of a documented response body, or null when the document gives no schema. */
  validator(method: string, path: string, status: number): ValidateFunction | null;
  /** The validator of a named definition (e.g. ErrorResponse). */
  definition(name: string): ValidateFunction;
  operations(): Array<{ method: string; path: string }>;
}

export function loadResponseSchemas(patch: SchemaPatch): ResponseSchemas {
  const doc = load(readFileSync(DOCUMENT_PATH, 'utf8')) as SwaggerDoc;
  const definitions = toJsonSchema(doc.definitions) as Record<string, Node>;
  patch(definitions);
  // Unknown keywords stay errors (strictSchema); the excerpt's patterns are not Unicode-mode
  // regexes (`\@`), and some of its object schemas omit `type: object` (strictTypes).
  const ajv = new Ajv({
    allErrors: true,
    strictSchema: true,
    strictTypes: false,
    unicodeRegExp: false,
  });
  ajv.addFormat('date-time', RFC3339);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Math.abs(n) < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addSchema({ $id: 'doc', definitions });
  const op = (method: string, path: string): Operation => {
    const o = doc.paths[path]?.[method.toLowerCase()];
    if (!o) throw new Error(`the document has no operation ${method} ${path}`);
    return o;
  };
  return {
    statuses: (method, path) => Object.keys(op(method, path).responses),
    validator(method, path, status) {
      const ref = op(method, path).responses[String(status)]?.schema?.$ref;
      return ref ? ajv.getSchema(`doc${ref}`)! : null;
    },
    definition: (name) => ajv.getSchema(`doc#/definitions/${name}`)!,
    operations: () =>
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })),
      ),
  };
}
