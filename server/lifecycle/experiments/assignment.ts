/**
 * Deterministic arm assignment: a sender's bucket is a hash of the experiment's salt and the sender
 * id, so the same sender lands in the same arm on every instance and after every restart.
 */
import { createHash } from 'node:crypto';

/** A number in [0, 1) fixed by salt and sender. */
export function bucketOf(salt: string, senderId: string): number {
  const digest = createHash('sha256').update(`${salt}:${senderId}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** Picks among weighted arms by the sender's bucket; arms keep their order, so weights map to ranges. */
export function pickArm<A extends { weight: number }>(arms: readonly A[], bucket: number): A {
  const total = arms.reduce((sum, a) => sum + a.weight, 0);
  let edge = 0;
  for (const arm of arms) {
    edge += arm.weight / total;
    if (bucket < edge) return arm;
  }
  return arms[arms.length - 1];
}
