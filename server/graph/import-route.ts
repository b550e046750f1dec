/** POST /v1/import: the NDJSON bulk load, received and checked first, then applied all or nothing in one writer job. */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.ts';
import { ApiError } from '../http/errors.ts';
import { bearerSecurity, errorResponses, ErrorSchema, newRouter } from '../http/router.ts';
import { defaultImportLimits, importGraph, type ImportLimits } from './import.ts';

export const ndjson = 'application/x-ndjson';

const isNdjson = (contentType: string | undefined) => contentType?.split(';')[0].trim().toLowerCase() === ndjson;

const kib = (bytes: number) => `${bytes / 1024} KiB`;

const description = (limits: ImportLimits) => `Loads accounts and edges from newline-delimited JSON, one object per line:

| type | fields | meaning |
|---|---|---|
| \`account\` | \`id\`, any of \`verified\`, \`phoneVerified\`, \`protected\`, \`suspended\`, \`inbox\` | like PUT /v1/accounts/{id}: fields left out keep their value |
| \`follow\` | \`from\`, \`to\` | \`from\` follows \`to\` |
| \`block\` | \`from\`, \`to\` | \`from\` blocks \`to\` |
| \`report\` | \`from\`, \`to\` | \`from\` reports \`to\` |
| \`accepted\` | \`from\`, \`to\` | \`from\` accepts \`to\`'s message request |
| \`welcome_shown\` | \`from\`, \`to\` | \`from\` was shown business \`to\`'s welcome message (grants nothing) |
| \`app_grant\` | \`account\`, \`app\` | \`account\` lets \`app\` send DMs for it |

Blank lines are ignored. The import is all or nothing: the first invalid line (line numbers are
1-based) refuses the whole body with a 400 whose path names it, e.g. \`line 17.to\`, and nothing is
applied. Bodies up to ${limits.maxBodyBytes / 1024 ** 3} GiB, lines up to ${kib(limits.maxLineChars)} characters. The
body is streamed, never held whole: it is received and checked first, staged on the server's disk
while decisions and other writes go on, and only then applied, in one write transaction that other
writes wait for. A body that stalls for ${limits.readIdleMs / 1000} s is abandoned (408) and nothing is applied.`;

const ImportResultSchema = z.object({
  imported: z.object({
    accounts: z.number().int(), follows: z.number().int(), blocks: z.number().int(), reports: z.number().int(),
    accepted: z.number().int(), welcomeShown: z.number().int(), appGrants: z.number().int(),
  }).openapi({ description: 'Lines imported, by type' }),
  lines: z.number().int().openapi({ description: 'Lines read, blank ones included' }),
}).openapi('ImportResult');

const errorContent = { 'application/json': { schema: ErrorSchema } };

/**
 * The import route, mounted under /v1 by the app (which exempts it from the JSON body limit).
 * @example curl -X POST -H 'content-type: application/x-ndjson' --data-binary @graph.ndjson …/v1/import
 */
export function importRoutes(deps: AppDeps) {
  const limits: ImportLimits = { ...defaultImportLimits, readIdleMs: deps.config.importIdleMs ?? defaultImportLimits.readIdleMs };
  const router = newRouter();
  router.openapi(createRoute({
    method: 'post', path: '/import', tags: ['graph'], security: bearerSecurity,
    summary: 'Bulk-load accounts and edges (NDJSON)',
    description: description(limits),
    request: {
      body: {
        required: true,
        content: {
          [ndjson]: {
            schema: z.string().openapi({
              description: 'One JSON object per line',
              example: '{"type":"account","id":"u1","verified":true,"inbox":"everyone"}\n{"type":"follow","from":"u2","to":"u1"}\n',
            }),
          },
        },
      },
    },
    responses: {
      200: { description: 'Every line was applied', content: { 'application/json': { schema: ImportResultSchema } } },
      ...errorResponses,
      408: { description: 'The body stalled', content: errorContent },
      413: { description: `Body larger than ${limits.maxBodyBytes} bytes`, content: errorContent },
      415: { description: `Content type other than ${ndjson}`, content: errorContent },
    },
  }), async (c) => {
    if (!isNdjson(c.req.header('content-type'))) {
      throw new ApiError(415, 'unsupported_media_type', `an import is sent as ${ndjson}`, 'headers.Content-Type');
    }
    return c.json(await importGraph(deps, c.req.raw.body, c.get('now'), limits), 200);
  });
  return router;
}
