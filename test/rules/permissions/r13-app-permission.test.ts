// Seed 000 (X help, 2023): "While signed in, visit the Apps tab in your settings.Revoke access for any third party
// application that you don't recognize."
// R13 (DESIGN §1, x-2023 and x-api-v2): an app sends on behalf of an account only with that account's DM grant;
// revoking it stops it.
import { describe, expect, it } from 'vitest';
import type { PresetName } from '../../../server/config.ts';
import { at, minutes } from '../../support/world.ts';
import { ALLOWED, deny, expectDecision, useService } from './helpers.ts';

const NOT_AUTHORIZED = deny('app_not_authorized', 'app-permission');

describe.each<PresetName>(['x-2023', 'x-api-v2'])('R13 app permission — %s', (preset) => {
  const ctx = useService(preset);
  const channel = preset === 'x-api-v2' ? 'api' : 'app';

  it('a send without an app needs no grant', async () => {
    const { w } = ctx;
    await w.follow('r13a-rcpt', 'r13a-sndr');
    expectDecision(await w.dm('r13a-sndr', 'r13a-rcpt', at(0)), ALLOWED);
  });

  it('an app without the sender\'s grant is denied; nothing is delivered', async () => {
    const { w } = ctx;
    await w.follow('r13b-rcpt', 'r13b-sndr');
    const res = await w.dm('r13b-sndr', 'r13b-rcpt', at(0), { appId: 'app7', channel });
    expectDecision(res, NOT_AUTHORIZED);
    expect(res.sendId).toBeNull();
  });

  it('granting admits the app; revoking denies it again; granting again restores', async () => {
    const { w } = ctx;
    await w.follow('r13c-rcpt', 'r13c-sndr');
    await w.grant('r13c-sndr', 'app7', at(0));
    expectDecision(await w.dm('r13c-sndr', 'r13c-rcpt', at(minutes(1)), { appId: 'app7', channel }), ALLOWED);
    await w.revoke('r13c-sndr', 'app7', at(minutes(2)));
    expectDecision(await w.dm('r13c-sndr', 'r13c-rcpt', at(minutes(3)), { appId: 'app7', channel }), NOT_AUTHORIZED);
    await w.grant('r13c-sndr', 'app7', at(minutes(4)));
    expectDecision(await w.dm('r13c-sndr', 'r13c-rcpt', at(minutes(5)), { appId: 'app7', channel }), ALLOWED);
  });

  it('a grant is per app: a grant to another app does not authorize this one', async () => {
    const { w } = ctx;
    await w.follow('r13d-rcpt', 'r13d-sndr');
    await w.grant('r13d-sndr', 'app-other');
    expectDecision(await w.dm('r13d-sndr', 'r13d-rcpt', at(0), { appId: 'app7', channel }), NOT_AUTHORIZED);
  });

  it('a grant is per account: the recipient\'s (or anyone else\'s) grant does not authorize the sender\'s app', async () => {
    const { w } = ctx;
    await w.follow('r13e-rcpt', 'r13e-sndr');
    await w.grant('r13e-rcpt', 'app7');
    await w.grant('r13e-third', 'app7');
    expectDecision(await w.dm('r13e-sndr', 'r13e-rcpt', at(0), { appId: 'app7', channel }), NOT_AUTHORIZED);
  });

  it('a grant does not bypass the recipient\'s permission rules', async () => {
    const { w } = ctx;
    await w.grant('r13f-sndr', 'app7');
    await w.block('r13f-rcpt', 'r13f-sndr');
    expectDecision(await w.dm('r13f-sndr', 'r13f-rcpt', at(0), { appId: 'app7', channel }), deny('blocked', 'block'));
  });

  it('revoking the grant for one app leaves the sender\'s plain sends untouched', async () => {
    const { w } = ctx;
    await w.follow('r13g-rcpt', 'r13g-sndr');
    await w.grant('r13g-sndr', 'app7');
    await w.revoke('r13g-sndr', 'app7', at(minutes(1)));
    expectDecision(await w.dm('r13g-sndr', 'r13g-rcpt', at(minutes(2))), ALLOWED);
  });
});
