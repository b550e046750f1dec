/**
 * Writes client/schema.d.ts from the service's /openapi.json: `npm run client:generate` after a route
 * or schema changes (test/client/typed-client.test.ts fails while the file is stale).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { createService } from '../server/service.ts';

export const schemaFile = fileURLToPath(new URL('./schema.d.ts', import.meta.url));

const header = '/** Generated from the service\'s /openapi.json by client/generate.ts (`npm run client:generate`): do not edit. */\n';

/** The service's OpenAPI document, from a service on a throwaway database. */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'dm-policy-client-'));
  const service = await createService({
    port: 0, host: '127.0.0.1', databaseUrl: `file:${join(dir, 'schema.db')}`, preset: 'x-2023', clientClock: false,
    bootstrapToken: 'client-generation', busyTimeoutMs: 10_000, adminPassword: 'client-generation-only',
  });
  try {
    return await (await service.app.request('/openapi.json')).json();
  } finally {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of client/schema.d.ts for `document`; a field with a default is optional (the server fills it in). */
export async function schemaText(document: Record<string, unknown>): Promise<string> {
  return header + astToString(await openapiTS(document as unknown as OpenAPI3, { defaultNonNullable: false }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(schemaFile, await schemaText(await openApiDocument()));
  console.log(`wrote ${schemaFile}`);
}
