// The store's SQL is written once, in the SQLite dialect both engines mostly share. This turns a
// statement into PostgreSQL's where they differ, once per statement text (the result is cached):
// `?` placeholders become `$n`, index hints go, `IS`/`IS NOT` between values become `IS [NOT] DISTINCT FROM`, the
// two-argument MIN/MAX become LEAST/GREATEST, camelCase aliases keep their case, and an INSERT into a
// table with a generated key returns that key (SQLite's lastInsertRowid).

/** Tables whose INSERTs report the generated key, and the key's column. */
const GENERATED_KEYS: Record<string, string> = {
  events: 'seq',
  jobs: 'id',
  attempts: 'id',
  images: 'id',
  publications: 'id',
  provider_slots: 'id',
};

export interface TranslatedSql {
  text: string;
  /** Whether the statement returns the generated key as `inserted_key`. */
  returnsKey: boolean;
}

const cache = new Map<string, TranslatedSql>();

export function toPostgres(sql: string): TranslatedSql {
  let translated = cache.get(sql);
  if (!translated) {
    translated = translate(sql);
    cache.set(sql, translated);
  }
  return translated;
}

function translate(sql: string): TranslatedSql {
  // SQLite's index hints: PostgreSQL's planner picks the partial indexes by itself
  // SQLite's index hints (INDEXED BY, a unary + that keeps a column off its index): PostgreSQL's
  // planner chooses by itself
  let text = numberPlaceholders(sql)
    .replace(/\s+INDEXED BY \w+/gi, '')
    .replace(/(\s)\+(?=[A-Za-z_])/g, '$1');
  text = text.replace(/\bIS NOT (?!NULL\b|DISTINCT\b)/gi, 'IS DISTINCT FROM ');
  text = text.replace(/\bIS (?!NOT\b|NULL\b|DISTINCT\b)/gi, 'IS NOT DISTINCT FROM ');
  text = scalarMinMax(text);
  text = text.replace(/\bAS ([a-z][a-z0-9]*[A-Z][A-Za-z0-9]*)\b/g, 'AS "$1"');
  text = text.replace(/\bCAST\(([^()]*) AS INTEGER\)/gi, 'CAST($1 AS BIGINT)');
  const insert = /^\s*INSERT\s+INTO\s+(\w+)/i.exec(text);
  const key = insert ? GENERATED_KEYS[insert[1]!.toLowerCase()] : undefined;
  if (key && !/\bRETURNING\b/i.test(text)) return { text: `${text.trimEnd()} RETURNING ${key} AS inserted_key`, returnsKey: true };
  return { text, returnsKey: false };
}

/** `?` → `$1`, `$2`, … outside quoted strings and identifiers. */
function numberPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const char of sql) {
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === '?') {
      out += `$${++n}`;
      continue;
    }
    out += char;
  }
  return out;
}

/** SQLite's MIN(a, b) / MAX(a, b) with two or more arguments are PostgreSQL's LEAST / GREATEST. */
function scalarMinMax(sql: string): string {
  const pattern = /\b(MIN|MAX)\(/gi;
  let out = '';
  let from = 0;
  for (let match = pattern.exec(sql); match; match = pattern.exec(sql)) {
    const open = match.index + match[0].length - 1;
    if (!hasTopLevelComma(sql, open)) continue;
    out += sql.slice(from, match.index) + (match[1]!.toUpperCase() === 'MIN' ? 'LEAST(' : 'GREATEST(');
    from = open + 1;
  }
  return out + sql.slice(from);
}

function hasTopLevelComma(sql: string, open: number): boolean {
  let depth = 0;
  for (let i = open; i < sql.length; i++) {
    const char = sql[i];
    if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return false;
    else if (char === ',' && depth === 1) return true;
  }
  return false;
}
