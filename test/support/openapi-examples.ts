/**
 * A valid-looking request body per write route, built from the app's own OpenAPI document
 * (the DTOs' `example`s), so the fuzzer can start from a body that passes validation and
 * mutate a field or two: that reaches the services, not just the validation pipe.
 */
type Schema = {
  $ref?: string;
  type?: string;
  example?: unknown;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
};
export type OpenApiDoc = {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
};

function exampleOf(doc: OpenApiDoc, s: Schema | undefined, depth = 0): unknown {
  if (!s || depth > 6) return null;
  if (s.$ref) return exampleOf(doc, doc.components.schemas[s.$ref.split('/').pop()!], depth + 1);
  if (s.example !== undefined) return s.example;
  if (s.enum?.length) return s.enum[0];
  if (s.allOf?.length) return Object.assign({}, ...s.allOf.map((x) => exampleOf(doc, x, depth + 1)));
  if (s.properties) {
    const out: Record<string, unknown> = {};
    for (const [k, p] of Object.entries(s.properties)) {
      const v = exampleOf(doc, p, depth + 1);
      if (v !== undefined && v !== null) out[k] = v;
    }
    return out;
  }
  if (s.type === 'array') return [exampleOf(doc, s.items, depth + 1)];
  if (s.type === 'number' || s.type === 'integer') return 1;
  if (s.type === 'boolean') return true;
  if (s.type === 'string') return 'example';
  return null;
}

/** The example JSON body of `method url` (Fastify-style `:param` path), or undefined when it takes none. */
export function exampleBody(doc: OpenApiDoc, method: string, url: string): unknown {
  const op = doc.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
  const schema = op?.requestBody?.content?.['application/json']?.schema;
  return schema ? exampleOf(doc, schema) : undefined;
}

/** Every path to a value inside `v` (object keys and array indexes), the root excluded. */
export function pathsOf(
  v: unknown,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  if (prefix.length > 4) return out;
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      out.push([...prefix, i]);
      pathsOf(x, [...prefix, i], out);
    });
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push([...prefix, k]);
      pathsOf(x, [...prefix, k], out);
    }
  }
  return out;
}

/** A deep copy of `v` with the value at `path` replaced (or removed when `remove`). */
export function withPath(v: unknown, path: (string | number)[], replacement: unknown, remove = false): unknown {
  const copy = JSON.parse(JSON.stringify(v ?? null));
  if (!path.length) return replacement;
  let at = copy;
  for (const k of path.slice(0, -1)) {
    if (at === null || typeof at !== 'object') return copy;
    at = at[k];
  }
  if (at === null || typeof at !== 'object') return copy;
  const last = path[path.length - 1];
  if (remove) {
    if (Array.isArray(at) && typeof last === 'number') at.splice(last, 1);
    else delete at[last];
  } else at[last] = replacement;
  return copy;
}
