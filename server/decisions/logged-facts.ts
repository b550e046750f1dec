/**
 * The codec of the decision_log `facts` column: the facts each subject of an enforced decision was
 * decided on, and the rules the sender was exempted from.
 *
 * Written compact, because a backtest reads every row of its window (issue 4: a million in seconds):
 *
 *   ~[2;['exempted-rule …]['subject v0 v1 …]['subject …] …]
 *
 * - a token array (db/json-tape.ts reads it): `t`, `f`, `n` for true, false and null, a number
 *   followed by `;`, a string as `'`, its length, `:` and its characters. It reads as the JSON array
 *   `[2, ["exempted-rule", …], ["subject", v0, v1, …], …]` does, at about half the characters, and
 *   a page of the log carries it as it is stored: no escapes, no commas to skip, one character a flag;
 * - the leading number names the layout (below) the member values follow, in its order;
 * - one array per subject: its id (null for a group message) and then every member's value;
 * - `params` is left out: they are those of the row's `version`, and a published version is
 *   immutable, so readers re-attach the parameters of the version they evaluate with (decodeLoggedFacts
 *   takes them).
 *
 * Rows logged from 2026-11 to 2026-12-06 hold layout 1, the same arrays in JSON
 * (`[1, ["exempted-rule", …], ["subject", v0, …], …]`); rows logged before the codec hold
 * `[{ subject, facts, exempt? }, …]` with `params` inside the facts. Both decode to the same subjects,
 * the logged `params` replaced by (or, without any, left as) the ones given.
 *
 * A layout never changes once rows are written with it: a member added to rules/facts.json needs a new
 * layout (and encodeLoggedFacts writing it); the old ones stay here to decode the rows they wrote.
 * test/lifecycle/decision-log.facts.test.ts fails while the newest layout and the catalog differ.
 */
import { tapeOf, valueToken, type TapeReader } from '../../db/json-tape.ts';
import type { FactValues } from '../policy/evaluation.ts';
import type { Params } from '../policy/document.ts';

/** Fact name → member names, in the order their values are written. */
export type FactLayout = ReadonlyArray<readonly [fact: string, members: readonly string[]]>;

/** Layout 1: rules/facts.json as of 2026-11, every fact but `params`, in catalog order. */
const layout1: FactLayout = [
  ['send', ['kind', 'channel', 'hasApp', 'recipientCount']],
  ['sender', ['id', 'verified', 'phoneVerified', 'protected', 'suspended', 'inCooldown']],
  ['recipient', ['id', 'verified', 'protected', 'suspended', 'inbox']],
  ['relation', [
    'blocked', 'recipientFollowsSender', 'senderFollowsRecipient', 'priorConversation', 'reportGate', 'welcomeShown',
    'receivedFromRecipient', 'lastReceivedAgeSeconds', 'repliesSinceReceived',
  ]],
  ['content', ['textLength', 'smsLength', 'hasLink', 'duplicateRecipients', 'unshareableMedia']],
  ['group', ['size', 'senderIsParticipant', 'senderIsCreator', 'recipientBlockedByParticipant']],
  ['app', ['id', 'granted']],
  ['quota', ['dailyUsed', 'apiUser15m', 'apiUser24h', 'apiApp24h']],
];

/** The layouts by number. Layout 2 (from 2026-12-06) is layout 1's members written as tokens, not JSON. */
const layouts: ReadonlyMap<number, FactLayout> = new Map([[1, layout1], [2, layout1]]);
const newestLayout = 2;

/** The layout encodeLoggedFacts writes (the test compares it with the catalog). */
export const currentLayout: FactLayout = layouts.get(newestLayout)!;

/** Reads one subject's member values off a tape; `params` becomes the facts' `params` member unless undefined. */
type FactsReader = (tape: TapeReader, params: Params | undefined) => FactValues;
const readers: ReadonlyMap<number, FactsReader> = new Map([...layouts].map(([id, layout]) => [id, compileReader(layout)]));
/** Reads one subject's member values off a tape into facts a reader made before (reusingFactsReader). */
type FactsFiller = (tape: TapeReader, params: Params, into: FactValues) => FactValues;
const fillers: ReadonlyMap<number, FactsFiller> = new Map([...layouts].map(([id, layout]) => [id, compileFiller(layout)]));
/** How many member values a subject has in each layout. */
const widths: ReadonlyMap<number, number> = new Map([...layouts].map(([id, layout]) => [id, layout.reduce((n, [, members]) => n + members.length, 0)]));
const writeCurrent = compileWriter(currentLayout);

/** One subject of a logged decision. */
export interface LoggedSubject {
  subject: string | null;
  facts: FactValues;
  /** The rules the sender was exempted from (the same on every subject); absent when none. */
  exempt?: string[];
}

/** The `facts` column's text for a decision's subjects; `params` is never written. */
export function encodeLoggedFacts(subjects: ReadonlyArray<{ subject: string | null; facts: FactValues }>, exemptRules: readonly string[]): string {
  let text = `~[${newestLayout};[`;
  for (const rule of exemptRules) text += valueToken(rule);
  text += ']';
  for (const { subject, facts } of subjects) text += `[${valueToken(subject)}${writeCurrent(facts)}]`;
  return `${text}]`;
}

/**
 * The subjects of a `facts` column's text, in any of its formats, with `params` (the parameters of the
 * version that evaluates them) as each one's `params` fact; without, the facts have no `params` (or
 * an old row's logged ones).
 */
export function decodeLoggedFacts(text: string, params?: Params): LoggedSubject[] {
  return subjectsOn(tapeOf(text), params, null);
}

/** Reads a row's subjects off a tape into the facts it read the row before into (reusingFactsReader). */
export type ReusingFactsReader = (tape: TapeReader, params: Params) => LoggedSubject[];

/**
 * decodeLoggedFacts of the column on a tape (db/json-tape.ts), from its cursor, for a reader that is
 * done with a row's facts before it reads the next (a replay):
 * each subject's facts are the same objects from row to row, their members written over, so that a
 * million replayed rows don't make a million facts for the collector (~0.6 KB each, a quarter of what
 * a replayed attempt allocated; bench/RESULTS.md, session 24). What one call returns is valid until
 * the next; the subjects' array and their records are new each time.
 */
export function reusingFactsReader(): ReusingFactsReader {
  const pools = new Map<number, FactValues[]>([...layouts.keys()].map((id) => [id, []]));
  return (tape, params) => subjectsOn(tape, params, pools);
}

/**
 * A row's subjects off a tape, from its cursor, with no object built but the facts and their records.
 * `pools`: by layout, the facts to fill by subject, for reusingFactsReader; null to make new ones.
 */
function subjectsOn(tape: TapeReader, params: Params | undefined, pools: Map<number, FactValues[]> | null): LoggedSubject[] {
  const at = tape.at;
  if (tape.peek() !== 'array') throw new Error('decision_log.facts: not an array');
  const length = tape.array();
  if (!length || tape.peek() !== 'number') { // logged before layout 1
    tape.at = at;
    return withParams(tape.value() as LoggedSubject[], params);
  }
  const layout = tape.number();
  const read = readers.get(layout);
  if (!read) throw new Error(`decision_log.facts: unknown layout ${layout}`);
  const pool = pools?.get(layout);
  const fill = fillers.get(layout)!;
  const width = widths.get(layout)! + 1;
  let exempt: string[] | null = null; // made only when there are any
  for (let n = tape.array(); n > 0; n--) (exempt ??= []).push(tape.string()!);
  const subjects = new Array<LoggedSubject>(length - 2); // made to its length: most rows have one subject
  for (let i = 0; i < subjects.length; i++) {
    if (tape.array() !== width) throw new Error(`decision_log.facts: a subject without the ${width - 1} values of layout ${layout}`);
    const subject = tape.string();
    const facts = pool === undefined ? read(tape, params) : i < pool.length ? fill(tape, params!, pool[i]) : (pool[i] = read(tape, params));
    subjects[i] = exempt ? { subject, facts, exempt } : { subject, facts };
  }
  return subjects;
}

function withParams(subjects: LoggedSubject[], params: Params | undefined): LoggedSubject[] {
  if (params) for (const s of subjects) s.facts = { ...s.facts, params };
  return subjects;
}

/**
 * A layout's reader, compiled to object literals (`{ params: p, send: { kind: t.primitive(), … }, … }`,
 * their members read off the tape in the order written): a backtest decodes every row it replays,
 * and literals of one shape are several times cheaper to build than objects filled key by key.
 * `params` comes first, as buildFacts makes the facts: a copy that replaces it (`{ ...facts, params }`)
 * then keeps the same shape, where adding a member is slow. The source holds only JSON.stringify'd names.
 */
function compileReader(layout: FactLayout): FactsReader {
  const facts = layout.map(([fact, members]) =>
    `${JSON.stringify(fact)}: { ${members.map((member) => `${JSON.stringify(member)}: t.primitive()`).join(', ')} }`).join(', ');
  const readWith = new Function('t', 'p', `"use strict"; return { params: p, ${facts} };`) as FactsReader;
  const readWithout = new Function('t', `"use strict"; return { ${facts} };`) as FactsReader;
  return (tape, params) => (params === undefined ? readWithout(tape, params) : readWith(tape, params));
}

/**
 * A layout's filler, compiled to assignments (`into.params = p; const f0 = into["send"]; f0["kind"] =
 * t.primitive(); …`) over facts its reader made, which have every fact of the layout. Every member
 * is written, so nothing of the row before is left. The source holds only JSON.stringify'd names.
 */
function compileFiller(layout: FactLayout): FactsFiller {
  const facts = layout.map(([fact, members], i) =>
    `const f${i} = into[${JSON.stringify(fact)}]; ${members.map((member) => `f${i}[${JSON.stringify(member)}] = t.primitive();`).join(' ')}`).join(' ');
  return new Function('t', 'p', 'into', `"use strict"; into.params = p; ${facts} return into;`) as FactsFiller;
}

/**
 * A layout's writer, compiled to one concatenation of its members' tokens (`t(f0?.["kind"]) + …`): it
 * runs for every enforced decision, where walking the layout looked each member up by a name not
 * known in advance. A member the facts lack is written as null. The source holds only JSON.stringify'd names.
 */
function compileWriter(layout: FactLayout): (facts: FactValues) => string {
  const facts = layout.map(([fact], i) => `const f${i} = facts[${JSON.stringify(fact)}];`).join(' ');
  const tokens = layout.flatMap(([, members], i) => members.map((member) => `t(f${i}?.[${JSON.stringify(member)}])`)).join(' + ');
  return new Function('t', `"use strict"; return (facts) => { ${facts} return ${tokens}; };`)(valueToken);
}
