/**
 * R13, seed 000 (X, 2023): "Why am I receiving messages from myself? Please take the following
 * actions: While signed in, visit the Apps tab in your settings. Revoke access for any third party
 * application that you don't recognize." (Seed 001 says the same in 2016.) Seed 003: requests on
 * behalf of a user "use a user Access Tokens associated with a user that has authorized your App".
 * An app sends for an account only with that account's grant; revoking it stops it.
 */
import { describe, expect, it } from 'vitest';
import { AppGrants } from '../../server/limits/app-grants.ts';

const [alice, bob] = [0, 1];

describe('AppGrants (R13)', () => {
  it('a send through no app needs no grant; through an app, the account must have granted it', () => {
    const grants = new AppGrants();
    expect(grants.granted(alice, null)).toBe(true);
    expect(grants.granted(alice, 'scheduler')).toBe(false);
    grants.grant(alice, 'scheduler');
    expect(grants.granted(alice, 'scheduler')).toBe(true);
  });

  it('a grant is for that app and that account only', () => {
    const grants = new AppGrants();
    grants.grant(alice, 'scheduler');
    expect(grants.granted(alice, 'crm')).toBe(false);
    expect(grants.granted(bob, 'scheduler')).toBe(false);
  });

  it('an account never seen (-1) has granted nothing, and needs nothing without an app', () => {
    const grants = new AppGrants();
    grants.grant(alice, 'scheduler');
    expect(grants.granted(-1, 'scheduler')).toBe(false);
    expect(grants.granted(-1, null)).toBe(true);
  });

  it('revoking stops the app, leaves the account\'s other grants; granting again restores it', () => {
    const grants = new AppGrants();
    grants.grant(alice, 'scheduler');
    grants.grant(alice, 'crm');
    grants.grant(bob, 'scheduler');
    grants.revoke(alice, 'scheduler');
    expect(grants.granted(alice, 'scheduler')).toBe(false);
    expect(grants.granted(alice, 'crm')).toBe(true);
    expect(grants.granted(bob, 'scheduler')).toBe(true);
    expect(grants.snapshot(alice)).toEqual(['crm']);
    grants.grant(alice, 'scheduler');
    expect(grants.granted(alice, 'scheduler')).toBe(true);
  });

  it('revoking what was never granted changes nothing; granting twice is one grant', () => {
    const grants = new AppGrants();
    grants.revoke(alice, 'scheduler');
    expect(grants.snapshot(alice)).toEqual([]);
    grants.grant(bob, 'scheduler');
    grants.grant(bob, 'scheduler');
    grants.grant(bob, 'analytics');
    expect(grants.snapshot(bob)).toEqual(['analytics', 'scheduler']);
    grants.revoke(bob, 'scheduler');
    expect(grants.granted(bob, 'scheduler')).toBe(false);
  });
});
