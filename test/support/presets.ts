/** One real service per preset for a rule-family suite. */
import { afterAll, beforeAll } from 'vitest';
import type { PresetName } from '../../server/config.ts';
import { startTestService, type TestService } from './service.ts';
import { world } from './world.ts';

export type World = ReturnType<typeof world>;

export const allPresets: PresetName[] = ['twitter-2016', 'x-2023', 'x-api-v2'];

/** Starts the real service for `preset` before the suite and closes it after; read `.s` / `.w` inside tests. */
export function useService(preset: PresetName): { s: TestService; w: World } {
  const ctx = {} as { s: TestService; w: World };
  beforeAll(async () => {
    ctx.s = await startTestService({ preset, clientClock: true });
    ctx.w = world(ctx.s);
  });
  afterAll(async () => {
    await ctx.s?.close();
  });
  return ctx;
}
