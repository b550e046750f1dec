/** Error paths in words, for people: `body.parameters.dailyLimit.value` → "Daily limit"; the machine path stays secondary. */

/** `dailyLimit` → "Daily limit", `apiUserPer15Min` → "Api user per 15 min". */
export function humanize(identifier: string): string {
  const words = identifier.replace(/([a-z])([A-Z0-9])/g, '$1 $2').replace(/([0-9])([A-Za-z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const named: Record<string, string> = {
  reason: 'Reason', username: 'Username', password: 'Password', role: 'Role', scopes: 'Scopes', name: 'Name', version: 'Version name',
  description: 'Description', from: 'Copied from', to: 'Compared version', senderId: 'Sender', recipientIds: 'Recipients', text: 'Message text',
  kind: 'Kind of send', channel: 'Channel', conversationId: 'Conversation', requireApproval: 'Approval setting', default: 'Default decision',
  rules: 'Rules', tests: 'Policy tests', parameters: 'Thresholds', arms: 'Arms', disabled: 'Disabled',
};

const testParts: Record<string, string> = { name: 'name', description: 'description', expect: 'expected decision', request: 'kind of send', facts: 'facts' };

/** What a list element is called, with its name when the caller knows it. */
function element(label: string, index: number, items?: ReadonlyArray<{ name: string }>): string {
  const name = items?.[index]?.name;
  return `${label} ${index + 1}${name ? ` (${name})` : ''}`;
}

export interface FieldContext {
  tests?: ReadonlyArray<{ name: string }>;
  rules?: ReadonlyArray<{ name: string }>;
  /**
   * The form's own labels by API path, without `body.`/`query.` (e.g. `{ 'send.senderId': 'Sender' }`):
   * they win, and a prefix covers what is under it.
   */
  labels?: Readonly<Record<string, string>>;
}

/** The label of the longest prefix of `inner` the form names, if any. */
function labelOf(inner: string, labels: Readonly<Record<string, string>>): string | null {
  const key = Object.keys(labels)
    .filter((k) => inner === k || inner.startsWith(`${k}.`) || inner.startsWith(`${k}[`))
    .sort((a, b) => b.length - a.length)[0];
  return key === undefined ? null : labels[key];
}

/**
 * The field an error path points at, in words; null when it names nothing a person filled in.
 * @example
 * fieldName('body.parameters.dailyLimit.value')           // "Daily limit"
 * fieldName('body.tests[2].facts.quota.dailyUsed.param')   // "Policy test 3: quota.dailyUsed"
 */
export function fieldName(path: string | null | undefined, context: FieldContext = {}): string | null {
  if (!path) return null;
  const whole = path.replace(/^(body|query|params)\.?/, '');
  if (!whole || path.startsWith('headers')) return null;
  const label = context.labels ? labelOf(whole, context.labels) : null;
  if (label !== null) return label;
  // A simulation's body wraps the send: its fields read as a send's.
  const inner = whole.replace(/^send\./, '');
  let m = /^parameters\.([A-Za-z][A-Za-z0-9]*)/.exec(inner);
  if (m) return humanize(m[1]);
  m = /^tests\[(\d+)\](?:\.(\w+))?(?:\.(\w+)\.(\w+))?/.exec(inner);
  if (m) {
    const test = element('Policy test', Number(m[1]), context.tests);
    if (m[2] === 'facts' && m[3]) return `${test}: ${m[3]}.${m[4]}`;
    return m[2] ? `${test}: ${testParts[m[2]] ?? m[2]}` : test;
  }
  m = /^rules\[(\d+)\](?:\.(\w+))?/.exec(inner);
  if (m) return `${element('Rule', Number(m[1]), context.rules)}${m[2] ? `: ${m[2]}` : ''}`;
  m = /^conditions\.(\w+)/.exec(inner);
  if (m) return `Named condition ${m[1]}`;
  m = /^facts\.(\w+)\.(\w+)/.exec(inner);
  if (m) return `Fact ${m[1]}.${m[2]}`;
  m = /^recipientIds\[(\d+)\]/.exec(inner);
  if (m) return `Recipient ${Number(m[1]) + 1}`;
  const top = /^[A-Za-z]\w*/.exec(inner)?.[0];
  return top ? (named[top] ?? humanize(top)) : null;
}

/** A problem as a person reads it: "Daily limit: must be a whole number (sends)". */
export function inWords(path: string | null | undefined, message: string, context: FieldContext = {}): string {
  const field = fieldName(path, context);
  return field ? `${field}: ${message}` : message;
}
