/**
 * The demo command: fills the empty database at DATABASE_URL with a synthetic population and a few
 * days of its send attempts. `npm run demo -- --accounts 2000 --days 3 --seed 42 [--start 2026-03-01]`
 */
import { parseArgs } from 'node:util';
import { readConfig } from '../config.ts';
import { createService } from '../service.ts';
import { DatabaseNotEmpty, defaultStart, describeProgress, describeSummary, seedDemo } from './populate.ts';

const usage = 'usage: npm run demo -- [--accounts 2000] [--days 3] [--seed 42] [--start YYYY-MM-DD]';

function positiveInt(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be a whole number from 1 to ${max}, got "${value}"\n${usage}`);
  return n;
}

function readArgs() {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string', default: '2000' },
      days: { type: 'string', default: '3' },
      seed: { type: 'string', default: '42' },
      start: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const days = positiveInt('days', values.days, 60);
  let start: number | undefined;
  if (values.start !== undefined) {
    start = Date.parse(`${values.start}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.start) || Number.isNaN(start)) throw new Error(`--start must be a date YYYY-MM-DD, got "${values.start}"\n${usage}`);
  }
  return {
    accounts: positiveInt('accounts', values.accounts, 1_000_000),
    days,
    seed: positiveInt('seed', values.seed, 2 ** 32 - 1),
    start: start ?? defaultStart(days),
  };
}

async function main(): Promise<number> {
  const args = readArgs();
  const config = readConfig();
  const service = await createService(config);
  try {
    console.log(`demo: ${args.accounts} accounts, ${args.days} day(s) from ${new Date(args.start).toISOString().slice(0, 10)}, seed ${args.seed}, into ${config.databaseUrl}`);
    const summary = await seedDemo(service, {
      ...args,
      onProgress: (p) => console.log(describeProgress(p)),
    });
    for (const line of describeSummary(summary)) console.log(line);
    return 0;
  } catch (error) {
    if (error instanceof DatabaseNotEmpty) {
      console.error(`demo refused: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    // This may be the database's first start: its generated credentials are shown here or never.
    if (service.generatedToken) console.log(`admin token (shown once, keep it): ${service.generatedToken}`);
    if (service.generatedAdminPassword) console.log(`dashboard operator "admin", password (shown once, keep it): ${service.generatedAdminPassword}`);
    await service.close();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
