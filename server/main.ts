/** Entry point: configuration, database, listen. The only module with side effects at start. */
import { readConfig } from './config.ts';
import { createService } from './service.ts';
import { describeProgress, describeSummary, seedDemoIfEmpty } from './demo/populate.ts';

const config = readConfig();
const service = await createService(config);
if (config.demo) {
  const demo = await seedDemoIfEmpty(service, { accounts: config.demoAccounts ?? 2000, days: 3, seed: 42, onProgress: (p) => console.log(describeProgress(p)) });
  console.log(demo ? describeSummary(demo).join('\n') : 'DM_POLICY_DEMO: the database is not empty; no demo world added');
}
const rebuilt = service.state.lastRebuild;
console.log(`decision state rebuilt in ${rebuilt.ms} ms: ${rebuilt.accounts} accounts, ${rebuilt.graphEdges} graph rows, ${rebuilt.conversationPairs} pair-history rows, ${rebuilt.logRows} log rows`);
const { url } = await service.listen();
const active = service.policies.active();
console.log(`dm-policy listening on ${url} (database ${config.databaseUrl}, active policy ${active.name}@${active.version})`);
console.log(`API docs: ${url}/docs   OpenAPI: ${url}/openapi.json`);
if (service.ownership) {
  console.log(`instance ${service.ownership.id} on a shared database: decides ${service.ownership.shardsHeld} of the sender shards, takes forwarded decisions on ${service.ownership.peerUrl}`);
}
if (service.generatedToken) {
  console.log(`admin token (shown once, keep it): ${service.generatedToken}`);
}
if (service.generatedAdminPassword) {
  console.log(`dashboard operator "admin", password (shown once, keep it): ${service.generatedAdminPassword}`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void service.close().then(() => process.exit(0));
  });
}
