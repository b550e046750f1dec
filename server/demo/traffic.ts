/**
 * A few days of send attempts by the demo population, in time order, through the decision path —
 * the same `DecisionService.enforce` that `/v1/sends` calls, at simulated times. What people do next
 * (reply, accept a request, block or report a spammer) follows from the decisions they got.
 */
import type { Store } from '../../db/client.ts';
import type { LiveState } from '../state/live-state.ts';
import type { Edge } from '../../db/stores/graph.ts';
import { changeEdge } from '../graph/graph-writes.ts';
import type { DecisionService } from '../decisions/service.ts';
import { SendRequest, type DecisionResponse } from '../decisions/request.ts';
import { dayMs, hourMs, minuteMs } from '../limits/windows.ts';
import { seededRandom, streamSeed, type DemoAccount, type Random, type World } from './world.ts';
import { bodies, openers } from './phrases.ts';

export type Outcome = DecisionResponse['decision'];

export interface TrafficOptions {
  /** The first simulated moment, in ms; the traffic runs `days` days from it. */
  start: number;
  days: number;
  seed: number;
  /**
   * Simulated minutes decided together, in time order (default 5): the writer groups their commits,
   * which is what makes a demo fast. Someone reacting to an attempt does so after its window.
   */
  windowMinutes?: number;
  onProgress?: (progress: TrafficProgress) => void;
}

export interface TrafficProgress {
  attempts: number;
  /** The simulated time reached. */
  at: number;
  elapsedMs: number;
}

export interface TrafficSummary {
  attempts: number;
  decisions: Record<Outcome, number>;
  reasons: Record<string, number>;
  /** Edges people added while the traffic ran, in answer to what they received. */
  reactions: { blocks: number; reports: number; accepted: number };
  seconds: number;
}

/** What an attempt leads to once decided. */
type Thread =
  | { kind: 'chat'; turn: number }
  | { kind: 'spam' }
  | { kind: 'group'; members: string[]; messages: number };

type Event =
  | { type: 'send'; at: number; request: SendRequest; thread?: Thread }
  | { type: 'block' | 'report' | 'accept'; at: number; edge: Edge };

/** Relative activity per UTC hour: quiet nights, a busy evening. */
const hourWeights = [0.35, 0.25, 0.15, 0.1, 0.08, 0.08, 0.12, 0.25, 0.45, 0.6, 0.7, 0.75, 0.8, 0.8, 0.75, 0.75, 0.8, 0.9, 1, 1, 0.95, 0.85, 0.7, 0.5];
const hourTotal = hourWeights.reduce((a, b) => a + b, 0);

/** A moment of the day, in ms after midnight, drawn with the day/night rhythm. */
function timeOfDay(random: Random): number {
  let draw = random.next() * hourTotal;
  let hour = 0;
  while (draw >= hourWeights[hour] && hour < 23) draw -= hourWeights[hour++];
  return hour * hourMs + random.int(hourMs);
}

const spamLines = ['You won a prize! Claim it here', 'Earn $500 a day from home', 'Your account is at risk, verify now', 'Exclusive crypto drop, only today', 'Hot singles near you'];

function chatText(random: Random): string {
  const text = `${random.pick(openers)} ${random.pick(bodies)}`;
  return random.chance(0.05) ? `${text} https://news.example/story/${random.int(100_000)}` : text;
}

const code = (random: Random) => String(random.int(1_000_000)).padStart(6, '0');

/** The population with the lookups the traffic needs. */
class Population {
  readonly byId = new Map<string, DemoAccount>();
  readonly followers = new Map<string, string[]>();
  readonly following = new Map<string, string[]>();
  readonly users: DemoAccount[];
  readonly businesses: DemoAccount[];
  readonly bots: DemoAccount[];
  /** Who each spammer targets over the days: small enough that it comes back to the same people. */
  readonly spamTargets = new Map<string, string[]>();
  /** The people each business showed its welcome message to. */
  readonly welcomed = new Map<string, string[]>();
  /** People each account talked to (someone answered): they come back to them. */
  readonly partners = new Map<string, string[]>();
  /** Blocks and reports already made, so nobody blocks or reports the same account twice. */
  readonly blocked = new Set<string>();
  readonly reported = new Set<string>();

  constructor(world: World, random: Random) {
    for (const a of world.accounts) {
      this.byId.set(a.id, a);
      this.followers.set(a.id, []);
      this.following.set(a.id, []);
    }
    for (const f of world.follows) {
      this.followers.get(f.to)!.push(f.from);
      this.following.get(f.from)!.push(f.to);
    }
    for (const e of world.welcomeShown) {
      let list = this.welcomed.get(e.to);
      if (!list) this.welcomed.set(e.to, (list = []));
      list.push(e.from);
    }
    world.blocks.forEach((e) => this.blocked.add(`${e.from}>${e.to}`));
    world.reports.forEach((e) => this.reported.add(`${e.from}>${e.to}`));
    this.users = world.accounts.filter((a) => a.kind === 'user');
    this.businesses = world.accounts.filter((a) => a.kind === 'business');
    this.bots = world.accounts.filter((a) => a.kind === 'bot');
    for (const spammer of world.accounts.filter((a) => a.kind === 'spammer')) {
      const known = [...world.blocks, ...world.reports].filter((e) => e.to === spammer.id).map((e) => e.from);
      const pool = new Set(known);
      for (let k = Math.min(this.users.length, random.between(40, 80)); pool.size < k;) pool.add(random.pick(this.users).id);
      this.spamTargets.set(spammer.id, [...pool]);
    }
  }

  rememberPartner(a: string, b: string): void {
    let list = this.partners.get(a);
    if (!list) this.partners.set(a, (list = []));
    if (!list.includes(b)) list.push(b);
  }

  /** Whom an ordinary user starts a conversation with: mostly people who follow them. */
  chatPartner(user: DemoAccount, random: Random): string {
    const followers = this.followers.get(user.id)!;
    const following = this.following.get(user.id)!;
    const partners = this.partners.get(user.id) ?? [];
    const draw = random.next();
    if (draw < 0.25 && partners.length) return random.pick(partners);
    if (draw < 0.6 && followers.length) return random.pick(followers);
    if (draw < 0.75 && following.length) return random.pick(following);
    if (draw < 0.82 && this.businesses.length) return random.pick(this.businesses).id;
    if (draw < 0.86 && this.bots.length) return random.pick(this.bots).id;
    let stranger = random.pick(this.users).id;
    while (stranger === user.id) stranger = random.pick(this.users).id;
    return stranger;
  }
}

/** Send attempts and reactions, bucketed by simulated minute so that they run in time order. */
class Timeline {
  private readonly minutes: Array<Event[] | undefined>;
  /** Everything before this is decided already: a reaction due earlier happens at the frontier. */
  private frontier: number;

  constructor(readonly start: number, readonly end: number) {
    this.minutes = new Array(Math.ceil((end - start) / minuteMs));
    this.frontier = start;
  }

  add(event: Event): void {
    // Keeps the second within the minute, so that delayed reactions don't all land on the same instant.
    if (event.at < this.frontier) event.at = this.frontier + ((event.at - this.start) % minuteMs);
    if (event.at < this.start || event.at >= this.end) return;
    const minute = Math.floor((event.at - this.start) / minuteMs);
    (this.minutes[minute] ??= []).push(event);
  }

  get length(): number {
    return this.minutes.length;
  }

  /** The events of minutes [from, to) in time order (stable: equal times keep the order they were added in). */
  take(from: number, to: number): Event[] {
    const events: Event[] = [];
    for (let minute = from; minute < Math.min(to, this.minutes.length); minute++) {
      const due = this.minutes[minute];
      if (due) events.push(...due.sort((a, b) => a.at - b.at));
      this.minutes[minute] = undefined;
    }
    this.frontier = this.start + to * minuteMs;
    return events;
  }
}

const send = (at: number, input: Record<string, unknown>, thread?: Thread): Event => ({ type: 'send', at, request: SendRequest.parse(input), thread });

/** Everything the population sets out to do, before any decision: conversations, campaigns, spam runs. */
function plan(population: Population, timeline: Timeline, days: number, random: Random): void {
  for (let day = 0; day < days; day++) {
    const midnight = timeline.start + day * dayMs;
    for (const account of population.byId.values()) {
      switch (account.kind) {
        case 'user': planUser(population, timeline, account, midnight, random); break;
        case 'business': planBusiness(population, timeline, account, midnight, random); break;
        case 'spammer': planSpam(population, timeline, account, midnight, day, random); break;
        case 'heavy': planHeavy(population, timeline, account, midnight, random); break;
        case 'bot': break; // bots only answer
      }
    }
  }
}

function planUser(population: Population, timeline: Timeline, user: DemoAccount, midnight: number, random: Random): void {
  // A suspended account still tries now and then, and is refused.
  const rate = user.suspended ? user.activity * 0.3 : user.activity;
  const starts = Math.floor(rate) + (random.chance(rate % 1) ? 1 : 0);
  for (let k = 0; k < starts; k++) {
    const at = midnight + timeOfDay(random);
    const followers = population.followers.get(user.id)!;
    if (followers.length >= 3 && random.chance(0.04)) {
      const members = new Set<string>();
      for (let m = random.between(2, 4); m > 0; m--) members.add(random.pick(followers));
      // Now and then someone adds a friend who doesn't follow them: the group is refused (R16).
      if (random.chance(0.2)) members.add(population.chatPartner(user, random));
      members.delete(user.id);
      timeline.add(send(at, { senderId: user.id, kind: 'group_create', recipientIds: [...members], text: chatText(random) },
        { kind: 'group', members: [user.id, ...members], messages: random.between(3, 8) }));
      continue;
    }
    const recipient = population.chatPartner(user, random);
    const bot = population.byId.get(recipient)!.kind === 'bot';
    const text = bot ? `${random.pick(['status', 'help', 'track', 'balance', 'hours'])} ${code(random)}` : chatText(random);
    timeline.add(send(at, { senderId: user.id, recipientIds: [recipient], text, channel: random.chance(0.6) ? 'app' : 'web' }, { kind: 'chat', turn: 0 }));
  }
}

/** Businesses follow up with people who saw their welcome message, and write to their followers. */
function planBusiness(population: Population, timeline: Timeline, business: DemoAccount, midnight: number, random: Random): void {
  const followers = population.followers.get(business.id)!;
  const shown = population.welcomed.get(business.id) ?? [];
  for (let k = 0; k < business.activity; k++) {
    const at = midnight + 8 * hourMs + random.int(12 * hourMs);
    const welcomed = shown.length > 0 && (random.chance(0.5) || !followers.length);
    const recipient = welcomed ? random.pick(shown) : followers.length ? random.pick(followers) : random.pick(population.users).id;
    const text = welcomed
      ? `Thanks for visiting ${business.id}! Here is 10% off: https://${business.id}.example/c/${code(random)}`
      : `New this week at ${business.id}, just for you: https://${business.id}.example/o/${code(random)}`;
    timeline.add(send(at, { senderId: business.id, recipientIds: [recipient], text }, { kind: 'chat', turn: 0 }));
  }
}

/** A spammer's runs: one link to many people, one attempt every minute or two, whatever it is told. */
function planSpam(population: Population, timeline: Timeline, spammer: DemoAccount, midnight: number, day: number, random: Random): void {
  const targets = population.spamTargets.get(spammer.id)!;
  const link = `https://${spammer.id}.example/deal/${day}`;
  for (let run = 0; run < spammer.activity; run++) {
    let at = midnight + timeOfDay(random);
    for (let k = random.between(12, 30); k > 0; k--) {
      timeline.add(send(at, { senderId: spammer.id, recipientIds: [random.pick(targets)], text: `${random.pick(spamLines)} ${link}` }, { kind: 'spam' }));
      at += random.between(60, 180) * 1000;
    }
  }
}

/** A heavy sender's scripted day: more sends than the daily cap, paced from 07:00 to 23:00. */
function planHeavy(population: Population, timeline: Timeline, heavy: DemoAccount, midnight: number, random: Random): void {
  // Its audience: the people among its followers (spammers follow everyone, and are no audience).
  const followers = population.followers.get(heavy.id)!.filter((id) => population.byId.get(id)!.kind === 'user');
  const pace = (16 * hourMs) / heavy.activity;
  for (let k = 0; k < heavy.activity; k++) {
    const at = midnight + 7 * hourMs + Math.floor(k * pace + random.next() * pace);
    const recipient = followers.length && random.chance(0.7) ? random.pick(followers) : random.pick(population.users).id;
    timeline.add(send(at, { senderId: heavy.id, recipientIds: [recipient], text: `Reminder ${code(random)}: your appointment is confirmed`, channel: 'app' }));
  }
}

/** How long after `at` someone reacts (at least a minute). */
const later = (at: number, random: Random, minMinutes: number, maxMinutes: number) => at + random.between(minMinutes * 60, maxMinutes * 60) * 1000;

/** A reply in a conversation, in the voice of whoever answers. */
function reply(population: Population, from: DemoAccount, to: string, at: number, turn: number, random: Random): Event {
  switch (from.kind) {
    case 'bot':
      return send(at, { senderId: from.id, recipientIds: [to], channel: 'api', appId: from.appId, text: `Ticket ${code(random)}: here is what I found for you.` }, { kind: 'chat', turn });
    case 'business':
      return send(at, { senderId: from.id, recipientIds: [to], text: `Hi ${to}, thanks for your message! Order ${code(random)} is on its way.` }, { kind: 'chat', turn });
    default: {
      const text = population.byId.get(to)!.kind === 'bot' ? `thanks ${code(random)}` : chatText(random);
      return send(at, { senderId: from.id, recipientIds: [to], text, channel: random.chance(0.6) ? 'app' : 'web' }, { kind: 'chat', turn });
    }
  }
}

/** What people do about a decided attempt: answer it, accept the request, or block and report the sender. */
function react(population: Population, timeline: Timeline, event: Extract<Event, { type: 'send' }>, response: DecisionResponse, random: Random): void {
  const { thread, request, at } = event;
  const delivered = response.decision === 'allow' || response.decision === 'request';
  if (!thread || !delivered) return;
  const sender = request.senderId;
  if (thread.kind === 'group') {
    let t = at;
    for (let k = 0; k < thread.messages; k++) {
      t = later(t, random, 2, 90);
      timeline.add(send(t, { senderId: random.pick(thread.members), kind: 'group_message', conversationId: response.conversationId!, text: chatText(random) }));
    }
    return;
  }
  const recipient = population.byId.get(request.recipientIds[0])!;
  const edge = { from: recipient.id, to: sender };
  const key = `${recipient.id}>${sender}`;
  if (thread.kind === 'spam') {
    if (!population.blocked.has(key) && random.chance(0.25)) {
      population.blocked.add(key);
      timeline.add({ type: 'block', at: later(at, random, 5, 240), edge });
    } else if (!population.reported.has(key) && random.chance(0.15)) {
      population.reported.add(key);
      timeline.add({ type: 'report', at: later(at, random, 5, 240), edge });
    }
    return;
  }
  const turn = thread.turn + 1;
  switch (recipient.kind) {
    case 'bot':
      if (turn < 8 && random.chance(0.97)) timeline.add(reply(population, recipient, sender, later(at, random, 1, 2), turn, random));
      return;
    case 'business':
      if (turn < 6 && random.chance(0.9)) timeline.add(reply(population, recipient, sender, later(at, random, 2, 45), turn, random));
      return;
    case 'user':
      break;
    default:
      return;
  }
  if (response.decision === 'request') {
    // A request from someone they don't know: most are ignored, some accepted, a few blocked or reported.
    if (random.chance(0.35)) {
      const accepted = later(at, random, 5, 300);
      timeline.add({ type: 'accept', at: accepted, edge });
      timeline.add(reply(population, recipient, sender, later(accepted, random, 1, 10), turn, random));
      population.rememberPartner(recipient.id, sender);
      population.rememberPartner(sender, recipient.id);
    } else if (!population.blocked.has(key) && random.chance(0.05)) {
      population.blocked.add(key);
      timeline.add({ type: 'block', at: later(at, random, 5, 300), edge });
    } else if (!population.reported.has(key) && random.chance(0.04)) {
      population.reported.add(key);
      timeline.add({ type: 'report', at: later(at, random, 5, 300), edge });
    }
    return;
  }
  const senderKind = population.byId.get(sender)!.kind;
  const eagerness = senderKind === 'user' ? 0.7 * 0.75 ** thread.turn : 0.2;
  if (turn < 10 && random.chance(eagerness)) {
    timeline.add(reply(population, recipient, sender, later(at, random, 1, 180), turn, random));
    if (senderKind === 'user') {
      population.rememberPartner(recipient.id, sender);
      population.rememberPartner(sender, recipient.id);
    }
  }
}

/**
 * Plans the population's days, then decides every attempt in time order through `decisions.enforce`
 * at its simulated time, a minute's attempts at a time, and lets people react to what they got.
 * Same world and seed: same attempts, same decisions.
 * @example await runTraffic(world, service, { start, days: 3, seed: 42 })
 */
export async function runTraffic(world: World, service: { decisions: DecisionService; store: Store; state: LiveState }, options: TrafficOptions): Promise<TrafficSummary> {
  const { decisions, store, state } = service;
  const started = performance.now();
  const windowMinutes = options.windowMinutes ?? 5;
  const planning = seededRandom(streamSeed(options.seed, 2));
  const reacting = seededRandom(streamSeed(options.seed, 3));
  const population = new Population(world, planning);
  const timeline = new Timeline(options.start, options.start + options.days * dayMs);
  plan(population, timeline, options.days, planning);

  const summary: TrafficSummary = {
    attempts: 0, decisions: { allow: 0, request: 0, deny: 0, limit: 0 }, reasons: {},
    reactions: { blocks: 0, reports: 0, accepted: 0 }, seconds: 0,
  };
  const progress = (at: number) => options.onProgress?.({ attempts: summary.attempts, at, elapsedMs: performance.now() - started });
  let reported = 0;
  for (let minute = 0; minute < timeline.length; minute += windowMinutes) {
    const events = timeline.take(minute, minute + windowMinutes);
    // Every call joins the writer's queue in this order, so the attempts are decided in time order.
    const results = await Promise.all(events.map((event) => (event.type === 'send'
      ? decisions.enforce(event.request, event.at)
      : store.writer.write((tx) => changeEdge(tx, state, event.type, event.edge, event.at)).then(() => null))));
    events.forEach((event, k) => {
      if (event.type !== 'send') {
        summary.reactions[event.type === 'block' ? 'blocks' : event.type === 'report' ? 'reports' : 'accepted']++;
        return;
      }
      const response = results[k]!;
      summary.attempts++;
      summary.decisions[response.decision]++;
      summary.reasons[response.reason] = (summary.reasons[response.reason] ?? 0) + 1;
      react(population, timeline, event, response, reacting);
    });
    if (summary.attempts - reported >= 1000) {
      reported = summary.attempts;
      progress(options.start + (minute + windowMinutes) * minuteMs);
    }
  }
  summary.seconds = (performance.now() - started) / 1000;
  progress(timeline.end);
  return summary;
}
