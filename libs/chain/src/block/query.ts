/**
 * CometBFT's event query language (libs/pubsub/query/syntax): conditions joined by AND, each
 * `tag OP value`, `tag CONTAINS 'str'` or `tag EXISTS`. Values: 'string', number, DATE, TIME.
 */
export type Operator = '=' | '<' | '<=' | '>' | '>=' | 'CONTAINS' | 'EXISTS';

export interface Condition {
  readonly tag: string;
  readonly op: Operator;
  readonly value?: string | number;
}

export class QueryParseError extends Error {
  override readonly name = 'QueryParseError';
}

const TOKEN = /\s*(?:(AND)\b|(CONTAINS)\b|(EXISTS)\b|(<=|>=|=|<|>)|'((?:[^'\\]|\\.)*)'|(DATE\s+\d{4}-\d{2}-\d{2})|(TIME\s+\S+)|(-?\d+(?:\.\d+)?)(?![\w.])|([A-Za-z_][\w.\-/]*))/y;

export function parseQuery(query: string): Condition[] {
  const tokens: { kind: string; text: string }[] = [];
  TOKEN.lastIndex = 0;
  const input = query.trim();
  while (TOKEN.lastIndex < input.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(input);
    if (!m) throw new QueryParseError(`unexpected input at position ${at}: ${JSON.stringify(input.slice(at, at + 20))}`);
    const kinds = ['and', 'contains', 'exists', 'op', 'string', 'date', 'time', 'number', 'tag'];
    const i = m.slice(1).findIndex((g) => g !== undefined);
    tokens.push({ kind: kinds[i]!, text: m[i + 1]! });
  }
  if (tokens.length === 0) throw new QueryParseError('empty query');
  const conditions: Condition[] = [];
  let i = 0;
  for (;;) {
    const tag = tokens[i++];
    if (tag?.kind !== 'tag') throw new QueryParseError(`expected a tag, got ${tag ? JSON.stringify(tag.text) : 'end of query'}`);
    const op = tokens[i++];
    if (op?.kind === 'exists') conditions.push({ tag: tag.text, op: 'EXISTS' });
    else if (op?.kind === 'contains') {
      const v = tokens[i++];
      if (v?.kind !== 'string') throw new QueryParseError(`CONTAINS needs a quoted string after ${tag.text}`);
      conditions.push({ tag: tag.text, op: 'CONTAINS', value: unquote(v.text) });
    } else if (op?.kind === 'op') {
      const v = tokens[i++];
      if (!v || !['string', 'number', 'date', 'time'].includes(v.kind)) throw new QueryParseError(`expected a value after ${tag.text} ${op.text}`);
      const value = v.kind === 'number' ? Number(v.text) : v.kind === 'string' ? unquote(v.text) : v.text.replace(/^(DATE|TIME)\s+/, '');
      conditions.push({ tag: tag.text, op: op.text as Operator, value });
    } else throw new QueryParseError(`expected an operator after ${tag.text}`);
    if (i >= tokens.length) return conditions;
    if (tokens[i++]!.kind !== 'and') throw new QueryParseError(`expected AND, got ${JSON.stringify(tokens[i - 1]!.text)}`);
  }
}

function unquote(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

/** A decimal number as CometBFT parses attribute values (big.Int / big.ParseFloat, base 10). */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The attribute value as a number, or NaN when it is not one ("" and "0x10" are not, unlike Number()). */
function numeric(actual: string): number {
  return DECIMAL.test(actual) ? Number(actual) : NaN;
}

/** Whether one attribute value satisfies a condition (numbers compare numerically, like CometBFT). */
export function matches(cond: Condition, actual: string): boolean {
  switch (cond.op) {
    case 'EXISTS':
      return true;
    case 'CONTAINS':
      return actual.includes(String(cond.value));
    case '=':
      return typeof cond.value === 'number' ? numeric(actual) === cond.value : actual === cond.value;
    default: {
      const [a, b] = typeof cond.value === 'number' ? [numeric(actual), cond.value] : [actual, String(cond.value)];
      if (typeof a === 'number' && Number.isNaN(a)) return false;
      return cond.op === '<' ? a < b : cond.op === '<=' ? a <= b : cond.op === '>' ? a > b : a >= b;
    }
  }
}
