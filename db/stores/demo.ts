/** What the demo seeding looks for before it fills a database: it only ever fills an empty one. */
import { sql } from 'drizzle-orm';
import type { Executor } from '../executor.ts';

/** The kinds of data a database in use holds; the demo refuses to mix its world into any of them. */
export const populationTables = ['accounts', 'follows', 'decision_log'] as const;
export type PopulationTable = (typeof populationTables)[number];

/** Which of the population tables hold at least one row (none: the database is empty). */
export async function nonEmptyPopulationTables(db: Executor): Promise<PopulationTable[]> {
  const row = await db.get<Record<PopulationTable, number>>(sql`select
    exists(select 1 from accounts) as accounts,
    exists(select 1 from follows) as follows,
    exists(select 1 from decision_log) as decision_log`);
  return populationTables.filter((table) => Number(row?.[table] ?? 0) === 1);
}
