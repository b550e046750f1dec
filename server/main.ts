/** Entry point: configuration, database, listen. The only module with side effects at start. */
import { readConfig } from './config.ts';
import { createService } from './service.ts';

const config = readConfig();
const service = await createService(config);
const { url } = await service.listen();
const active = service.policies.active();
console.log(`dm-policy listening on ${url} (database ${config.databaseUrl}, active policy ${active.name}@${active.version})`);
console.log(`API docs: ${url}/docs   OpenAPI: ${url}/openapi.json`);
if (service.generatedToken) {
  console.log(`admin token (shown once, keep it): ${service.generatedToken}`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void service.close().then(() => process.exit(0));
  });
}
