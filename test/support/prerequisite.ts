/** A suite's missing prerequisite: a warned skip on a developer's machine, a failed run under CI=true. */

/** Whether this run is CI's (`CI=true` or `CI=1`), where nothing may be skipped. */
export const underCi = /^(true|1)$/i.test(process.env.CI ?? '');

/**
 * True when `suite` should be skipped because `missing` (why its prerequisite is absent) is set.
 * Under CI it throws instead, so a suite that cannot run fails the run rather than passing unseen.
 * @example describe.skipIf(skipWithout('test/scale/sqld.test.ts', findSqld().missing))('…', () => { … })
 */
export function skipWithout(suite: string, missing: string | null): boolean {
  if (missing === null) return false;
  if (underCi) throw new Error(`${suite} cannot run under CI=true: ${missing}`);
  console.warn(`${suite} skipped: ${missing}`);
  return true;
}
