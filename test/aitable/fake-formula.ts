import { asText } from '../helpers/text.ts';
// A small evaluator for the filterByFormula subset the client (and tests) use:
// OR/AND/NOT/IF, IS_AFTER/IS_BEFORE, CREATED_TIME(), LAST_MODIFIED_TIME({f}…), RECORD_ID(),
// LOWER/UPPER/LEN, {Field} references, string/number literals, comparisons, && || &.
// Anything else is a formula error, as the real server would report for a bad parse.

export interface FormulaRecord {
  recordId: string;
  createdAt: number;
  /** Per field id: when the cell was last edited (ms). */
  fieldUpdatedAt: Map<string, number>;
  /** Field id → value as the formula engine sees it. */
  value(fieldId: string): unknown;
}

export type ResolveField = (ref: string) => string | null;

type Node =
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'bool'; v: boolean }
  | { t: 'field'; id: string }
  | { t: 'call'; name: string; args: Node[] }
  | { t: 'bin'; op: string; a: Node; b: Node }
  | { t: 'neg'; a: Node };

export class FormulaError extends Error {}

const TOKEN =
  /\s*(?:(\d+(?:\.\d+)?)|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|\{((?:[^}\\]|\\.)*)\}|([A-Za-z_][A-Za-z0-9_]*)|(>=|<=|!=|&&|\|\||[=<>&+\-*/(),]))/y;

function tokenize(source: string): string[][] {
  const tokens: string[][] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(source);
    if (!m) throw new FormulaError(`unexpected character at ${start}`);
    const unescape = (s: string) => s.replace(/\\(.)/g, '$1');
    if (m[1] !== undefined) tokens.push(['num', m[1]]);
    else if (m[2] !== undefined) tokens.push(['str', unescape(m[2])]);
    else if (m[3] !== undefined) tokens.push(['str', unescape(m[3])]);
    else if (m[4] !== undefined) tokens.push(['field', unescape(m[4])]);
    else if (m[5] !== undefined) tokens.push(['ident', m[5]]);
    else tokens.push(['op', m[6] ?? '']);
  }
  return tokens;
}

export function parseFormula(source: string, resolve: ResolveField): Node {
  const tokens = tokenize(source);
  let i = 0;
  const peek = () => tokens[i];
  const isOp = (op: string) => peek()?.[0] === 'op' && peek()?.[1] === op;
  const expect = (op: string) => {
    if (!isOp(op)) throw new FormulaError(`expected "${op}"`);
    i += 1;
  };
  const binary = (next: () => Node, ops: string[]) => (): Node => {
    let a = next();
    while (ops.some(isOp)) {
      const op = tokens[i++]?.[1] ?? '';
      a = { t: 'bin', op, a, b: next() };
    }
    return a;
  };
  const primary = (): Node => {
    const tok = tokens[i++];
    if (!tok) throw new FormulaError('unexpected end of formula');
    const [kind, text = ''] = tok;
    if (kind === 'num') return { t: 'num', v: Number(text) };
    if (kind === 'str') return { t: 'str', v: text };
    if (kind === 'field') {
      const id = resolve(text);
      if (!id) throw new FormulaError(`unknown field {${text}}`);
      return { t: 'field', id };
    }
    if (kind === 'ident') {
      const name = text.toUpperCase();
      if (!isOp('(')) {
        if (name === 'TRUE' || name === 'FALSE') return { t: 'bool', v: name === 'TRUE' };
        throw new FormulaError(`unknown name ${text}`);
      }
      expect('(');
      const args: Node[] = [];
      if (!isOp(')')) {
        args.push(or());
        while (isOp(',')) {
          i += 1;
          args.push(or());
        }
      }
      expect(')');
      return { t: 'call', name, args };
    }
    if (text === '(') {
      const inner = or();
      expect(')');
      return inner;
    }
    if (text === '-') return { t: 'neg', a: primary() };
    throw new FormulaError(`unexpected "${text}"`);
  };
  const mul = binary(primary, ['*', '/']);
  const add = binary(mul, ['+', '-']);
  const concat = binary(add, ['&']);
  const cmp = binary(concat, ['=', '!=', '>', '<', '>=', '<=']);
  const and = binary(cmp, ['&&']);
  const or: () => Node = binary(and, ['||']);
  const root = or();
  if (i !== tokens.length) throw new FormulaError('trailing tokens');
  validate(root);
  return root;
}

const FUNCTIONS = new Set([
  'OR',
  'AND',
  'NOT',
  'IF',
  'IS_AFTER',
  'IS_BEFORE',
  'CREATED_TIME',
  'LAST_MODIFIED_TIME',
  'RECORD_ID',
  'LOWER',
  'UPPER',
  'LEN',
  'BLANK',
]);

function validate(node: Node): void {
  if (node.t === 'call') {
    if (!FUNCTIONS.has(node.name)) throw new FormulaError(`unknown function ${node.name}`);
    if (node.name === 'LAST_MODIFIED_TIME' && node.args.some((a) => a.t !== 'field')) {
      throw new FormulaError('LAST_MODIFIED_TIME parameter must be a field reference');
    }
    node.args.forEach(validate);
  } else if (node.t === 'bin') {
    validate(node.a);
    validate(node.b);
  } else if (node.t === 'neg') validate(node.a);
}

function toMs(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') {
    if (/^\d+$/.test(v.trim())) return Number(v);
    const parsed = Date.parse(v);
    return Number.isNaN(parsed) ? null : parsed;
  }
  return null;
}

function truthy(v: unknown): boolean {
  return v !== null && v !== undefined && v !== false && v !== 0 && v !== '';
}

export function evaluate(node: Node, rec: FormulaRecord): unknown {
  const ev = (n: Node) => evaluate(n, rec);
  switch (node.t) {
    case 'num':
    case 'str':
    case 'bool':
      return node.v;
    case 'field':
      return rec.value(node.id);
    case 'neg':
      return -Number(ev(node.a));
    case 'bin': {
      const a = ev(node.a);
      const b = ev(node.b);
      const eq = () => (typeof a === 'number' || typeof b === 'number' ? Number(a) === Number(b) : asText(a) === asText(b));
      switch (node.op) {
        case '=':
          return eq();
        case '!=':
          return !eq();
        case '>':
          return Number(a) > Number(b);
        case '<':
          return Number(a) < Number(b);
        case '>=':
          return Number(a) >= Number(b);
        case '<=':
          return Number(a) <= Number(b);
        case '&&':
          return truthy(a) && truthy(b);
        case '||':
          return truthy(a) || truthy(b);
        case '&':
          return `${asText(a)}${asText(b)}`;
        case '+':
          return Number(a) + Number(b);
        case '-':
          return Number(a) - Number(b);
        case '*':
          return Number(a) * Number(b);
        default:
          return Number(a) / Number(b);
      }
    }
    case 'call': {
      const args = node.args;
      switch (node.name) {
        case 'OR':
          return args.some((a) => truthy(ev(a)));
        case 'AND':
          return args.every((a) => truthy(ev(a)));
        case 'NOT':
          return !truthy(args[0] ? ev(args[0]) : null);
        case 'IF':
          return truthy(args[0] ? ev(args[0]) : null) ? (args[1] ? ev(args[1]) : null) : args[2] ? ev(args[2]) : null;
        case 'IS_AFTER':
        case 'IS_BEFORE': {
          const x = toMs(args[0] ? ev(args[0]) : null);
          const y = toMs(args[1] ? ev(args[1]) : null);
          if (x === null || y === null) return false;
          return node.name === 'IS_AFTER' ? x > y : x < y;
        }
        case 'CREATED_TIME':
          return rec.createdAt;
        case 'LAST_MODIFIED_TIME': {
          const ids = args.length ? args.map((a) => (a.t === 'field' ? a.id : '')) : [...rec.fieldUpdatedAt.keys()];
          const times = ids.map((id) => rec.fieldUpdatedAt.get(id)).filter((t): t is number => t !== undefined);
          return times.length ? Math.max(...times) : null;
        }
        case 'RECORD_ID':
          return rec.recordId;
        case 'LOWER':
          return asText(args[0] ? ev(args[0]) : '').toLowerCase();
        case 'UPPER':
          return asText(args[0] ? ev(args[0]) : '').toUpperCase();
        case 'LEN':
          return asText(args[0] ? ev(args[0]) : '').length;
        default:
          return null; // BLANK()
      }
    }
  }
}
