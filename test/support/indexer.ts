/**
 * Makes a stopped service's database look as if its log indexer had not folded the pair history yet
 * (a crash before its round): the next start then folds every direct message from the decision log.
 */
import { createClient } from '@libsql/client';

export async function unfoldPairHistory(databaseUrl: string): Promise<void> {
  const client = createClient({ url: databaseUrl });
  try {
    await client.batch(['delete from conversation_pairs', "update log_index set seq = 0 where name = 'pairs'"], 'write');
  } finally {
    client.close();
  }
}
