/** The policy document format: what validateDocument accepts, and what it refuses and where. */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { documentLimits, validateDocument } from '../../server/policy/validate.ts';

const rulesDir = fileURLToPath(new URL('../../rules/', import.meta.url));
const readJson = (file: string): any => JSON.parse(readFileSync(`${rulesDir}${file}`, 'utf8'));
const catalog = readJson('facts.json');

/** A small document that exercises every part of the format. */
function minimal(): any {
  return {
    name: 'dm',
    version: 'test-1',
    description: 'A minimal policy.',
    source: ['000'],
    parameters: {
      dailyLimit: { type: 'number', value: 500, min: 1, max: 100000, unit: 'sends', description: 'R10: sends per day.' },
      dailyWindow: { type: 'enum', value: 'calendar-day', options: ['calendar-day', 'rolling-24h'], description: 'R10: the window.' },
      requirePhone: { type: 'boolean', value: false, description: 'R9: phone verification on or off.' },
    },
    default: { type: 'allow', params: { reason: 'allowed' } },
    conditions: {
      isDirect: { all: [{ fact: 'send', path: '$.kind', operator: 'equal', value: 'direct' }] },
    },
    rules: [
      {
        name: 'block',
        family: 'R1',
        description: 'A block in either direction denies.',
        priority: 990,
        conditions: { all: [{ fact: 'relation', path: '$.blocked', operator: 'equal', value: true }] },
        event: { type: 'deny', params: { reason: 'blocked' } },
      },
      {
        name: 'daily-cap',
        family: 'R10',
        description: 'The daily cap.',
        priority: 780,
        conditions: {
          all: [
            { condition: 'isDirect' },
            { fact: 'quota', path: '$.dailyUsed', operator: 'greaterThanInclusive', value: { fact: 'params', path: '$.dailyLimit' } },
          ],
        },
        event: { type: 'limit', params: { reason: 'daily_limit', limit: 'daily' } },
      },
    ],
  };
}

/** The first rule's first comparison, for tests that change one thing in it. */
const firstComparison = (doc: any) => doc.rules[0].conditions.all[0];

function errorsOf(doc: unknown) {
  const result = validateDocument(doc);
  return result.ok ? [] : result.errors;
}
const pathsOf = (doc: unknown) => errorsOf(doc).map((e) => e.path);

/** A condition nested `levels` deep: the rule's top `all` is level 1, each `not` one more. */
function nested(levels: number): any {
  let condition: any = { fact: 'relation', path: '$.blocked', operator: 'equal', value: true };
  for (let i = 2; i < levels; i++) condition = { not: condition };
  return { all: [condition] };
}

describe('a valid document', () => {
  it('passes and comes back as the document', () => {
    const doc = minimal();
    const result = validateDocument(doc);
    expect(result).toEqual({ ok: true, document: doc });
  });

  it('may carry name and priority on its conditions, as json-rules-engine allows', () => {
    const doc = minimal();
    doc.rules[0].conditions = { all: [{ ...firstComparison(doc), name: 'blocked', priority: 2 }], name: 'r1', priority: 1 };
    expect(errorsOf(doc)).toEqual([]);
  });

  it('may nest conditions 10 levels deep', () => {
    const doc = minimal();
    doc.rules[0].conditions = nested(10);
    expect(errorsOf(doc)).toEqual([]);
  });

  it('may compare a fact with a parameter of the same type, and an enum parameter with its options', () => {
    const doc = minimal();
    doc.rules[0].conditions.all.push(
      { fact: 'params', path: '$.requirePhone', operator: 'equal', value: true },
      { fact: 'params', path: '$.dailyWindow', operator: 'in', value: ['rolling-24h'] },
    );
    expect(errorsOf(doc)).toEqual([]);
  });
});

describe('the policy documents in rules/', () => {
  const documents = readdirSync(rulesDir).filter((f) => f.endsWith('.json') && f !== 'policy.schema.json' && f !== 'facts.json');

  it.each(documents)('%s is valid', (file) => {
    expect(errorsOf(readJson(file))).toEqual([]);
  });
});

describe('the JSON Schema in rules/policy.schema.json', () => {
  const schema = readJson('policy.schema.json');

  it('is a draft 2020-12 schema', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('lists the facts, operators, outcomes and limits of the catalog', () => {
    expect(schema.$defs.fact.enum).toEqual(Object.keys(catalog.facts));
    expect(schema.$defs.comparison.properties.operator.enum).toEqual(catalog.operators);
    expect(schema.$defs.event.properties.type.enum).toEqual(catalog.events.outcomes);
    expect(schema.$defs.event.properties.params.properties.limit.enum).toEqual(Object.keys(catalog.events.limits));
  });

  it('has the member path pattern the validator enforces', () => {
    const pattern = new RegExp(schema.$defs.memberPath.pattern);
    for (const path of ['$.a', '$.a.b_c', '$._x1']) expect(pattern.test(path)).toBe(true);
    for (const path of ['$', '$.a[?(@.x)]', '$..x', '$.*', '$.a[0]', "$['a']", '$.a.', 'a', '$.1a']) expect(pattern.test(path)).toBe(false);
  });
});

describe('facts and paths', () => {
  it('refuses an unknown fact', () => {
    const doc = minimal();
    firstComparison(doc).fact = 'weather';
    expect(errorsOf(doc)).toEqual([{ path: 'rules[0].conditions.all[0].fact', message: expect.stringContaining('unknown fact "weather"') }]);
  });

  it('refuses a member the fact does not have', () => {
    const doc = minimal();
    firstComparison(doc).path = '$.muted';
    expect(errorsOf(doc)).toEqual([{ path: 'rules[0].conditions.all[0].path', message: expect.stringContaining('"muted" is not a member of fact "relation"') }]);
  });

  it('refuses a path below a member, as every member holds one value', () => {
    const doc = minimal();
    firstComparison(doc).path = '$.blocked.by';
    expect(pathsOf(doc)).toEqual(['rules[0].conditions.all[0].path']);
  });

  it('refuses a parameter the document does not declare', () => {
    const doc = minimal();
    doc.rules[1].conditions.all[1].value.path = '$.weeklyLimit';
    expect(errorsOf(doc)).toEqual([{ path: 'rules[1].conditions.all[1].value.path', message: expect.stringContaining('"weeklyLimit" is not a parameter') }]);
  });

  it('refuses a comparison without a path', () => {
    const doc = minimal();
    delete firstComparison(doc).path;
    expect(errorsOf(doc)).toEqual([{ path: 'rules[0].conditions.all[0].path', message: 'is required' }]);
  });

  it.each([
    ['a jsonpath filter', '$.a[?(@.x)]'],
    ['a script expression', '$[(@.length-1)]'],
    ['recursive descent', '$..x'],
    ['a wildcard', '$.*'],
    ['brackets', "$['blocked']"],
    ['an index', '$.blocked[0]'],
  ])('refuses %s in a path', (_, path) => {
    const doc = minimal();
    firstComparison(doc).path = path;
    expect(errorsOf(doc)).toEqual([{ path: 'rules[0].conditions.all[0].path', message: expect.stringContaining('is not a plain member path') }]);
  });

  it('refuses a jsonpath filter in a fact reference', () => {
    const doc = minimal();
    doc.rules[1].conditions.all[1].value.path = '$[?(@.dailyLimit)]';
    expect(pathsOf(doc)).toEqual(['rules[1].conditions.all[1].value.path']);
  });

  it('refuses a fact reference with other keys', () => {
    const doc = minimal();
    doc.rules[1].conditions.all[1].value.params = { x: 1 };
    expect(pathsOf(doc)).toEqual(['rules[1].conditions.all[1].value.params']);
  });
});

describe('operators and values', () => {
  it('refuses an unknown operator', () => {
    const doc = minimal();
    firstComparison(doc).operator = 'regex';
    expect(errorsOf(doc)).toEqual([{ path: 'rules[0].conditions.all[0].operator', message: expect.stringContaining('unknown operator "regex"') }]);
  });

  it('refuses lessThan on a boolean', () => {
    const doc = minimal();
    firstComparison(doc).operator = 'lessThan';
    expect(errorsOf(doc)).toEqual([{ path: 'rules[0].conditions.all[0].operator', message: 'lessThan compares numbers, but relation.blocked is a boolean' }]);
  });

  it('refuses a value of another type than the member', () => {
    const doc = minimal();
    firstComparison(doc).value = 'true';
    expect(errorsOf(doc)).toEqual([{ path: 'rules[0].conditions.all[0].value', message: 'must be a boolean, as relation.blocked is' }]);
  });

  it('refuses a value that is not in the member enum', () => {
    const doc = minimal();
    doc.conditions.isDirect.all[0].value = 'telegram';
    expect(errorsOf(doc)).toEqual([{ path: 'conditions.isDirect.all[0].value', message: expect.stringContaining('"telegram" is not a value of send.kind') }]);
  });

  it('refuses a list item that is not in the member enum', () => {
    const doc = minimal();
    Object.assign(doc.conditions.isDirect.all[0], { operator: 'in', value: ['direct', 'broadcast'] });
    expect(pathsOf(doc)).toEqual(['conditions.isDirect.all[0].value[1]']);
  });

  it('refuses in without a list', () => {
    const doc = minimal();
    doc.conditions.isDirect.all[0].operator = 'in';
    expect(pathsOf(doc)).toEqual(['conditions.isDirect.all[0].value']);
  });

  it('refuses comparing a number with a boolean parameter', () => {
    const doc = minimal();
    doc.rules[1].conditions.all[1].value.path = '$.requirePhone';
    expect(errorsOf(doc)).toEqual([{ path: 'rules[1].conditions.all[1].value', message: 'params.requirePhone is a boolean; greaterThanInclusive compares numbers' }]);
  });

  it('refuses contains, as no fact member holds a list', () => {
    const doc = minimal();
    Object.assign(doc.conditions.isDirect.all[0], { operator: 'contains' });
    expect(pathsOf(doc)).toEqual(['conditions.isDirect.all[0].operator']);
  });

  it('refuses a list value longer than 100', () => {
    const doc = minimal();
    Object.assign(doc.conditions.isDirect.all[0], { operator: 'in', value: Array(101).fill('direct') });
    expect(errorsOf(doc)).toEqual([{ path: 'conditions.isDirect.all[0].value', message: 'must have at most 100 items' }]);
  });

  it('refuses an object value that is not a fact reference', () => {
    const doc = minimal();
    firstComparison(doc).value = { $gt: 1 };
    expect(pathsOf(doc)).toEqual(['rules[0].conditions.all[0].value.fact', 'rules[0].conditions.all[0].value.path', 'rules[0].conditions.all[0].value.$gt']);
  });
});

describe('parameters', () => {
  it('refuses a value outside min and max', () => {
    const doc = minimal();
    doc.parameters.dailyLimit.value = 0;
    expect(errorsOf(doc)).toEqual([{ path: 'parameters.dailyLimit.value', message: 'must be between min and max (1..100000)' }]);
  });

  it('refuses min above max', () => {
    const doc = minimal();
    doc.parameters.dailyLimit.min = 200000;
    expect(pathsOf(doc)).toEqual(['parameters.dailyLimit.max']);
  });

  it('refuses a number parameter without a unit', () => {
    const doc = minimal();
    delete doc.parameters.dailyLimit.unit;
    expect(errorsOf(doc)).toEqual([{ path: 'parameters.dailyLimit.unit', message: 'is required' }]);
  });

  it('refuses an enum value that is not one of its options', () => {
    const doc = minimal();
    doc.parameters.dailyWindow.value = 'weekly';
    expect(pathsOf(doc)).toEqual(['parameters.dailyWindow.value']);
  });

  it('refuses repeated enum options', () => {
    const doc = minimal();
    doc.parameters.dailyWindow.options.push('calendar-day');
    expect(pathsOf(doc)).toEqual(['parameters.dailyWindow.options[2]']);
  });

  it('refuses an unknown parameter type', () => {
    const doc = minimal();
    doc.parameters.requirePhone.type = 'flag';
    expect(pathsOf(doc)).toEqual(['parameters.requirePhone.type']);
  });

  it('refuses a parameter name that is not letters and digits', () => {
    const doc = minimal();
    doc.parameters['daily-limit'] = doc.parameters.dailyLimit;
    expect(pathsOf(doc)).toEqual(['parameters["daily-limit"]']);
  });

  it('refuses __proto__ as a parameter name, which zod records would drop silently', () => {
    const doc = minimal();
    doc.parameters = JSON.parse(`{"__proto__": {"type": "boolean", "value": true, "description": "x"}, ${JSON.stringify(doc.parameters).slice(1)}`);
    expect(pathsOf(doc)).toEqual(['parameters.__proto__']);
  });

  it('refuses more than 100 parameters', () => {
    const doc = minimal();
    for (let i = 0; i < 98; i++) doc.parameters[`p${i}`] = { type: 'boolean', value: true, description: 'filler' };
    expect(errorsOf(doc)).toEqual([{ path: 'parameters', message: 'must declare at most 100 parameters' }]);
  });
});

describe('events', () => {
  it('refuses a limit event without a limit', () => {
    const doc = minimal();
    delete doc.rules[1].event.params.limit;
    expect(errorsOf(doc)).toEqual([{ path: 'rules[1].event.params.limit', message: expect.stringContaining('is required on a limit event') }]);
  });

  it('refuses a limit on an event that is not a limit', () => {
    const doc = minimal();
    doc.rules[0].event.params.limit = 'daily';
    expect(errorsOf(doc)).toEqual([{ path: 'rules[0].event.params.limit', message: 'is only allowed on a limit event, this one is deny' }]);
  });

  it('refuses an unknown limit', () => {
    const doc = minimal();
    doc.rules[1].event.params.limit = 'weekly';
    expect(pathsOf(doc)).toEqual(['rules[1].event.params.limit']);
  });

  it('refuses an unknown outcome', () => {
    const doc = minimal();
    doc.rules[0].event.type = 'shadowban';
    expect(errorsOf(doc)).toEqual([{ path: 'rules[0].event.type', message: 'must be one of "allow", "request", "deny", "limit"' }]);
  });

  it('refuses a reason that is not snake_case', () => {
    const doc = minimal();
    doc.rules[0].event.params.reason = 'Blocked!';
    expect(pathsOf(doc)).toEqual(['rules[0].event.params.reason']);
  });

  it('refuses a limit default', () => {
    const doc = minimal();
    doc.default = { type: 'limit', params: { reason: 'daily_limit', limit: 'daily' } };
    expect(pathsOf(doc)).toEqual(['default.type']);
  });
});

describe('rules', () => {
  it('refuses duplicate rule names', () => {
    const doc = minimal();
    doc.rules[1].name = 'block';
    expect(errorsOf(doc)).toEqual([{ path: 'rules[1].name', message: '"block" is already the name of rules[0]; rule names are unique' }]);
  });

  it('refuses a family that is not a rule family', () => {
    const doc = minimal();
    doc.rules[0].family = 'block';
    expect(pathsOf(doc)).toEqual(['rules[0].family']);
  });

  it('refuses a priority outside 1..10000', () => {
    const doc = minimal();
    doc.rules[0].priority = 0;
    doc.rules[1].priority = 1.5;
    expect(errorsOf(doc)).toEqual([
      { path: 'rules[0].priority', message: 'must be at least 1' },
      { path: 'rules[1].priority', message: 'must be an integer' },
    ]);
  });

  it('refuses an unknown rule key', () => {
    const doc = minimal();
    doc.rules[0].enabled = true;
    expect(pathsOf(doc)).toEqual(['rules[0].enabled']);
  });

  it('refuses a document without rules', () => {
    const doc = minimal();
    doc.rules = [];
    expect(errorsOf(doc)).toEqual([{ path: 'rules', message: 'must have at least 1 item' }]);
  });

  it('refuses a comparison at the top of a rule, which json-rules-engine rejects', () => {
    const doc = minimal();
    doc.rules[0].conditions = firstComparison(doc);
    expect(pathsOf(doc)).toEqual(['rules[0].conditions']);
  });
});

describe('condition structure', () => {
  it('refuses a condition with both all and any', () => {
    const doc = minimal();
    doc.rules[0].conditions.any = [firstComparison(doc)];
    expect(errorsOf(doc)).toEqual([{ path: 'rules[0].conditions', message: expect.stringContaining('has all and any') }]);
  });

  it('refuses an empty all', () => {
    const doc = minimal();
    doc.rules[0].conditions.all = [];
    expect(pathsOf(doc)).toEqual(['rules[0].conditions.all']);
  });

  it('refuses more than 50 branches in one all', () => {
    const doc = minimal();
    doc.rules[0].conditions.all = Array(51).fill(firstComparison(doc));
    expect(errorsOf(doc)).toEqual([{ path: 'rules[0].conditions.all', message: 'must have at most 50 items' }]);
  });

  it('refuses a reference to a named condition that does not exist', () => {
    const doc = minimal();
    doc.rules[1].conditions.all[0].condition = 'isGroup';
    expect(errorsOf(doc)).toEqual([{ path: 'rules[1].conditions.all[0].condition', message: expect.stringContaining('"isGroup" is not a named condition') }]);
  });

  it('refuses a cycle of named conditions', () => {
    const doc = minimal();
    doc.conditions = { a: { all: [{ condition: 'b' }] }, b: { any: [firstComparison(doc), { condition: 'a' }] } };
    doc.rules[1].conditions.all[0].condition = 'a';
    expect(errorsOf(doc)).toEqual([{ path: 'conditions.b.any[1].condition', message: expect.stringContaining('(a → b → a)') }]);
  });

  it('refuses a named condition that refers to itself', () => {
    const doc = minimal();
    doc.conditions.isDirect = { not: { condition: 'isDirect' } };
    expect(pathsOf(doc)).toEqual(['conditions.isDirect.not.condition']);
  });

  it('refuses conditions nested more than 10 levels deep', () => {
    const doc = minimal();
    doc.rules[0].conditions = nested(11);
    expect(errorsOf(doc)).toEqual([{ path: `rules[0].conditions.all[0]${'.not'.repeat(9)}`, message: expect.stringContaining('is nested 11 levels deep') }]);
  });

  it('refuses more than 2000 conditions in a document', () => {
    const doc = minimal();
    delete doc.conditions;
    const comparison = firstComparison(doc);
    // 41 rules of 1 + 48 conditions: the 2001st is the 40th comparison of the 41st rule.
    doc.rules = Array.from({ length: 41 }, (_, i) => ({ ...doc.rules[0], name: `rule-${i}`, conditions: { all: Array(48).fill(comparison) } }));
    expect(errorsOf(doc)).toEqual([{ path: 'rules[40].conditions.all[39]', message: expect.stringContaining('at most 2000') }]);
  });

  it('refuses named conditions that multiply the work of one evaluation', () => {
    const doc = minimal();
    doc.conditions = { c0: { all: [firstComparison(doc)] } };
    for (let i = 1; i <= 14; i++) doc.conditions[`c${i}`] = { all: [{ condition: `c${i - 1}` }, { condition: `c${i - 1}` }] };
    doc.rules[1].conditions.all[0].condition = 'c14';
    expect(errorsOf(doc)).toEqual([{ path: 'rules[1].conditions', message: expect.stringContaining(`past ${documentLimits.evaluatedConditions}`) }]);
  });
});

describe('the document as a whole', () => {
  it('refuses an unknown top-level key', () => {
    const doc = minimal();
    doc.owner = 'trust-and-safety';
    expect(errorsOf(doc)).toEqual([{ path: 'owner', message: 'is not a known key here; check its spelling or remove it' }]);
  });

  it('refuses a version that is not a slug', () => {
    const doc = minimal();
    doc.version = 'X 2023';
    expect(pathsOf(doc)).toEqual(['version']);
  });

  it('refuses a document over 256 KiB', () => {
    const doc = minimal();
    doc.source = Array(300).fill('x'.repeat(1000));
    expect(errorsOf(doc)).toEqual([{ path: '', message: expect.stringContaining(`at most ${256 * 1024} bytes`) }]);
  });

  it('refuses a string longer than 1000 characters', () => {
    const doc = minimal();
    doc.rules[0].description = 'x'.repeat(1001);
    expect(errorsOf(doc)).toEqual([{ path: 'rules[0].description', message: 'must be at most 1000 characters' }]);
  });

  it('refuses what is not an object', () => {
    expect(errorsOf([])).toEqual([{ path: '', message: 'must be an object' }]);
  });

  it('refuses what is not JSON data', () => {
    const cyclic = minimal();
    cyclic.rules[0].conditions.all[0] = cyclic.rules[0].conditions;
    for (const input of [undefined, cyclic]) {
      expect(errorsOf(input)).toEqual([{ path: '', message: expect.stringContaining('must be JSON data') }]);
    }
  });

  it('reports every problem, not only the first', () => {
    const doc = minimal();
    doc.name = 'DM';
    firstComparison(doc).fact = 'weather';
    doc.rules[1].conditions.all[1].operator = 'like';
    expect(pathsOf(doc)).toEqual(['name', 'rules[0].conditions.all[0].fact', 'rules[1].conditions.all[1].operator']);
  });

  it('reports at most 50 problems', () => {
    const doc = minimal();
    doc.rules[0].conditions.all = Array(50).fill({ fact: 'weather', path: '$.rain', operator: 'equal', value: true });
    doc.rules[0].description = '';
    expect(errorsOf(doc)).toHaveLength(documentLimits.errors);
  });
});
