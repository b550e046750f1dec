/**
 * The real service without HTTP on a world loaded by import, and its sends made in process, `count`
 * in flight at a time: what decide-in-process.ts and retained-state.ts measure on.
 */
import { importGraph } from '../../server/graph/import.ts';
import { SendRequest } from '../../server/decisions/request.ts';
import { startTempService, type TempService } from './common.ts';
import { importStream, sendBodies, type WorldSize } from './world.ts';

export interface InProcessWorld {
  temp: TempService;
  /** `count` sends of the bench world, decided at once (`enforce`, or `check`: the dry run). */
  batch(count: number, how?: 'enforce' | 'check'): Promise<void>;
}

/** `keyed`: every send carries an idempotency key of its own, as from a backend that keys each send. */
export async function serviceOnWorld(world: WorldSize, options: { keyed?: boolean } = {}): Promise<InProcessWorld> {
  const temp = await startTempService({ listen: false });
  const { decisions } = temp.service;
  await importGraph(temp.service, importStream(world), Date.now());
  const next = sendBodies(world, 9);
  let keys = 0;
  const body = options.keyed ? () => ({ ...JSON.parse(next()), idempotencyKey: `bench-key-${keys++}` }) : () => JSON.parse(next());
  return {
    temp,
    async batch(count, how = 'enforce') {
      const requests = Array.from({ length: count }, () => SendRequest.parse(body()));
      await Promise.all(requests.map((r) => decisions[how](r, Date.now())));
    },
  };
}
