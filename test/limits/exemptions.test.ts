/**
 * Exemptions: no seed sentence asks for them. They are the operators' control (README, "accounts":
 * `POST/DELETE …/exemptions`, audited): an account exempted from one rule until a time — the rule may
 * still match but never decides — for the live state, and, over time, for a replay of the past.
 * An exemption is in force from its grant up to, not including, its expiry or its revocation.
 */
import { describe, expect, it } from 'vitest';
import { Exemptions, ExemptionsOverTime } from '../../server/limits/exemptions.ts';
import { hours, t0 } from '../support/world.ts';

const [alice, bob] = [0, 1];
const rules = (set: ReadonlySet<string>) => [...set].sort();

describe('Exemptions (live)', () => {
  it('in force until it expires: one millisecond before its expiry, exempt; at its expiry, not', () => {
    const exemptions = new Exemptions();
    exemptions.grant(alice, { id: 'e1', rule: 'daily-cap', expiresAt: t0 + hours(2) });
    expect(rules(exemptions.rulesAt(alice, t0))).toEqual(['daily-cap']);
    expect(rules(exemptions.rulesAt(alice, t0 + hours(2) - 1))).toEqual(['daily-cap']);
    expect(rules(exemptions.rulesAt(alice, t0 + hours(2)))).toEqual([]);
  });

  it('per account and per rule; an account never seen has none', () => {
    const exemptions = new Exemptions();
    exemptions.grant(alice, { id: 'e1', rule: 'daily-cap', expiresAt: t0 + hours(2) });
    exemptions.grant(alice, { id: 'e2', rule: 'duplicate-spam', expiresAt: t0 + hours(1) });
    expect(rules(exemptions.rulesAt(alice, t0))).toEqual(['daily-cap', 'duplicate-spam']);
    expect(rules(exemptions.rulesAt(alice, t0 + hours(1)))).toEqual(['daily-cap']);
    expect(rules(exemptions.rulesAt(bob, t0))).toEqual([]);
    expect(rules(exemptions.rulesAt(-1, t0))).toEqual([]);
  });

  it('revoking ends it at once; another exemption from the same rule still holds', () => {
    const exemptions = new Exemptions();
    exemptions.grant(alice, { id: 'e1', rule: 'daily-cap', expiresAt: t0 + hours(2) });
    exemptions.grant(alice, { id: 'e2', rule: 'daily-cap', expiresAt: t0 + hours(1) });
    exemptions.revoke(alice, 'e1');
    expect(rules(exemptions.rulesAt(alice, t0))).toEqual(['daily-cap']);
    expect(rules(exemptions.rulesAt(alice, t0 + hours(1)))).toEqual([]);
    exemptions.revoke(alice, 'e2');
    expect(rules(exemptions.rulesAt(alice, t0))).toEqual([]);
    expect(exemptions.snapshot(alice)).toEqual([]);
  });

  it('snapshot: the unrevoked ones by id, expired or not', () => {
    const exemptions = new Exemptions();
    exemptions.grant(alice, { id: 'e2', rule: 'report-gate', expiresAt: t0 });
    exemptions.grant(alice, { id: 'e1', rule: 'daily-cap', expiresAt: t0 + 1 });
    exemptions.revoke(alice, 'nope');
    expect(exemptions.snapshot(alice)).toEqual([
      { id: 'e1', rule: 'daily-cap', expiresAt: t0 + 1 }, { id: 'e2', rule: 'report-gate', expiresAt: t0 },
    ]);
  });
});

describe('ExemptionsOverTime (a replay)', () => {
  it('in force from its grant (inclusive) to its end (exclusive: expiry or revocation)', () => {
    const past = new ExemptionsOverTime([
      { accountId: 'alice', rule: 'daily-cap', from: t0, until: t0 + hours(2) },
      { accountId: 'alice', rule: 'duplicate-spam', from: t0 + hours(1), until: t0 + hours(3) },
    ]);
    expect(rules(past.at('alice', t0 - 1))).toEqual([]);
    expect(rules(past.at('alice', t0))).toEqual(['daily-cap']);
    expect(rules(past.at('alice', t0 + hours(1)))).toEqual(['daily-cap', 'duplicate-spam']);
    expect(rules(past.at('alice', t0 + hours(2) - 1))).toEqual(['daily-cap', 'duplicate-spam']);
    expect(rules(past.at('alice', t0 + hours(2)))).toEqual(['duplicate-spam']);
    expect(rules(past.at('alice', t0 + hours(3)))).toEqual([]);
  });

  it('per account; none at all answers nothing', () => {
    const past = new ExemptionsOverTime([{ accountId: 'alice', rule: 'daily-cap', from: t0, until: t0 + hours(2) }]);
    expect(rules(past.at('bob', t0))).toEqual([]);
    expect(rules(new ExemptionsOverTime([]).at('alice', t0))).toEqual([]);
  });
});
