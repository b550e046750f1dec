// Seed 000 (X help, 2023): "Note: Businesses and developers will not know you saw their welcome message unless you
// respond, and the fact that you saw the welcome message does not mean the account can message you.Unless you have
// enabled the option to Receive Direct Messages from anyone, you must send them a message or follow them before they
// can message you back."
// R8 (DESIGN §1, x-2023 only): a business welcome message / quick-reply shown to a user grants no permission.
import { describe, it } from 'vitest';
import { at, minutes } from '../../support/world.ts';
import { ALLOWED, expectDecision, request, useService } from './helpers.ts';

const WELCOME_NO_PERMISSION = request('welcome_message_grants_no_permission', 'welcome-message');
const MESSAGE_REQUEST = request('message_request', 'inbox-setting');

describe('R8 welcome message — x-2023', () => {
  const ctx = useService('x-2023');

  it('a welcome message shown grants nothing: the business\'s send is a request naming why', async () => {
    const { w } = ctx;
    await w.account('r8a-user', { inbox: 'following' });
    await w.welcomeShown('r8a-user', 'r8a-biz');
    expectDecision(await w.dm('r8a-biz', 'r8a-user', at(minutes(1))), WELCOME_NO_PERMISSION);
  });

  it('without a welcome message shown, the same send is an ordinary message request', async () => {
    const { w } = ctx;
    await w.account('r8b-user', { inbox: 'following' });
    expectDecision(await w.dm('r8b-biz', 'r8b-user', at(0)), MESSAGE_REQUEST);
  });

  it('after the user sends the business a message, the business may message back', async () => {
    const { w } = ctx;
    await w.account('r8c-user', { inbox: 'following' });
    await w.account('r8c-biz', { inbox: 'everyone' });
    await w.welcomeShown('r8c-user', 'r8c-biz');
    expectDecision(await w.dm('r8c-biz', 'r8c-user', at(minutes(1))), WELCOME_NO_PERMISSION);
    expectDecision(await w.dm('r8c-user', 'r8c-biz', at(minutes(2))), ALLOWED);
    expectDecision(await w.dm('r8c-biz', 'r8c-user', at(minutes(3))), ALLOWED);
  });

  it('after the user follows the business, the business may message', async () => {
    const { w } = ctx;
    await w.account('r8d-user', { inbox: 'following' });
    await w.welcomeShown('r8d-user', 'r8d-biz');
    await w.follow('r8d-user', 'r8d-biz', at(minutes(1)));
    expectDecision(await w.dm('r8d-biz', 'r8d-user', at(minutes(2))), ALLOWED);
  });

  it('a user with inbox "everyone" admits the business anyway', async () => {
    const { w } = ctx;
    await w.account('r8e-user', { inbox: 'everyone' });
    await w.welcomeShown('r8e-user', 'r8e-biz');
    expectDecision(await w.dm('r8e-biz', 'r8e-user', at(minutes(1))), ALLOWED);
  });

  it('the welcome message is per business: it changes nothing for another account', async () => {
    const { w } = ctx;
    await w.account('r8f-user', { inbox: 'following' });
    await w.welcomeShown('r8f-user', 'r8f-biz');
    expectDecision(await w.dm('r8f-other', 'r8f-user', at(minutes(1))), MESSAGE_REQUEST);
  });

  it('the user accepting the business\'s request admits it', async () => {
    const { w } = ctx;
    await w.account('r8g-user', { inbox: 'following' });
    await w.welcomeShown('r8g-user', 'r8g-biz');
    expectDecision(await w.dm('r8g-biz', 'r8g-user', at(minutes(1))), WELCOME_NO_PERMISSION);
    await w.accept('r8g-user', 'r8g-biz', at(minutes(2)));
    expectDecision(await w.dm('r8g-biz', 'r8g-user', at(minutes(3))), ALLOWED);
  });
});
