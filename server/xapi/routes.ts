/**
 * The X API v2 Direct Message surface, mounted at /2: an unmodified twitter-api-v2 client sends
 * through it, decided by the active policy, and learns why a message was refused.
 * @example app.route('/2', xapiRoutes(deps))  // POST /2/dm_conversations/with/{participant_id}/messages
 */
import type { AppDeps } from '../deps.ts';
import { newRouter } from '../http/router.ts';
import type { RuleDescriber } from './answer.ts';
import { mountEvents } from './events.ts';
import { mountSends } from './sends.ts';

export function xapiRoutes(deps: AppDeps) {
  const router = newRouter();
  const describe: RuleDescriber = async (version, rule) =>
    (await deps.policies.version(version))?.document.rules.find((r) => r.name === rule)?.description ?? null;
  mountSends(router, deps, describe);
  mountEvents(router, deps);
  return router;
}
