/**
 * The API definition (OGC 19-072 §7.3 /req/landing-page/api-definition-success and the oas30
 * class: an OpenAPI 3.0 document at /api, `application/vnd.oai.openapi+json;version=3.0`).
 * It is generated: the server walks its routers and gives one OperationDoc per route it has;
 * this module turns them into paths, checking on the way what OpenAPI 3.0 demands (unique
 * operationIds, every path template variable declared as a required path parameter).
 */

export type ParameterLocation = 'path' | 'query' | 'header';

export interface ParameterDoc {
  name: string;
  in: ParameterLocation;
  description: string;
  required?: boolean;
  schema: Record<string, unknown>;
  style?: 'form' | 'simple';
  explode?: boolean;
}

export interface ResponseDoc {
  description: string;
  /** Media type → schema (an empty object for "any"). */
  content?: Record<string, Record<string, unknown>>;
}

/** What a route says of itself; the path comes from the router. */
export interface OperationDoc {
  operationId: string;
  summary: string;
  description?: string;
  tags: readonly string[];
  parameters?: readonly ParameterDoc[];
  responses: Readonly<Record<string, ResponseDoc>>;
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface LiveOperation {
  method: HttpMethod;
  /** OpenAPI form: `/collections/{collectionId}`. */
  path: string;
  doc: OperationDoc;
}

/** Koa/path-to-regexp `:name` segments to OpenAPI `{name}`. */
export function openApiPath(routerPath: string): string {
  return routerPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

/** Shared parameter and response documents. */
export const PARAM = {
  f(values: readonly string[], description = 'The representation of the response; without it the Accept header decides.'): ParameterDoc {
    return { name: 'f', in: 'query', description, required: false, schema: { type: 'string', enum: [...values] } };
  },
  path(name: string, description: string, schema: Record<string, unknown> = { type: 'string' }): ParameterDoc {
    return { name, in: 'path', description, required: true, schema };
  },
  query(name: string, description: string, schema: Record<string, unknown> = { type: 'string' }): ParameterDoc {
    return { name, in: 'query', description, required: false, schema };
  },
} as const;

const PROBLEM = {
  type: 'object', required: ['type'],
  properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, code: { type: 'string' }, parameter: { type: 'string' } },
};
const LEGACY_ERROR = { type: 'object', properties: { code: { type: 'string' }, description: { type: 'string' } } };

export const RESPONSE = {
  json(description: string, schema: Record<string, unknown> = { type: 'object' }): ResponseDoc {
    return { description, content: { 'application/json': { schema } } };
  },
  jsonOrHtml(description: string, schema: Record<string, unknown> = { type: 'object' }): ResponseDoc {
    return { description, content: { 'application/json': { schema }, 'text/html': { schema: { type: 'string' } } } };
  },
  binary(description: string, mediaTypes: readonly string[]): ResponseDoc {
    return { description, content: Object.fromEntries(mediaTypes.map((m) => [m, { schema: { type: 'string', format: 'binary' } }])) };
  },
  text(description: string, mediaType: string): ResponseDoc {
    return { description, content: { [mediaType]: { schema: { type: 'string' } } } };
  },
  /** OGC API exception (RFC 7807 problem details). */
  problem(description: string): ResponseDoc {
    return { description, content: { 'application/json': { schema: PROBLEM } } };
  },
  /** `{code, description}` of the XYZ face. */
  error(description: string): ResponseDoc {
    return { description, content: { 'application/json': { schema: LEGACY_ERROR } } };
  },
  empty(description: string): ResponseDoc {
    return { description };
  },
} as const;

export interface ApiInfo {
  title: string;
  version: string;
  description: string;
}

export class ApiDefinitionError extends Error {}

/** The OpenAPI 3.0.3 document of the live operations, for a server at `serverUrl`. */
export function openApiDocument(info: ApiInfo, serverUrl: string, operations: readonly LiveOperation[]) {
  const ids = new Set<string>();
  const paths: Record<string, Record<string, unknown>> = {};
  const tags = new Set<string>();
  for (const op of operations) {
    const { doc } = op;
    if (ids.has(doc.operationId)) throw new ApiDefinitionError(`operationId ${doc.operationId} is used twice`);
    ids.add(doc.operationId);
    const params = doc.parameters ?? [];
    const vars = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    for (const v of vars) {
      if (!params.some((p) => p.in === 'path' && p.name === v && p.required)) throw new ApiDefinitionError(`${op.path}: path parameter ${v} is not declared`);
    }
    for (const p of params) {
      if (p.in === 'path' && !vars.includes(p.name)) throw new ApiDefinitionError(`${op.path}: parameter ${p.name} is not in the path`);
    }
    doc.tags.forEach((t) => tags.add(t));
    (paths[op.path] ??= {})[op.method] = {
      operationId: doc.operationId,
      summary: doc.summary,
      ...(doc.description ? { description: doc.description } : {}),
      tags: [...doc.tags],
      ...(params.length ? { parameters: params.map((p) => ({ ...p })) } : {}),
      responses: Object.fromEntries(Object.entries(doc.responses).map(([k, r]) => [k, { ...r }])),
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: info.title, version: info.version, description: info.description, license: { name: 'MIT' } },
    servers: [{ url: serverUrl }],
    tags: [...tags].map((name) => ({ name })),
    paths,
  };
}
