// The store's SQLite SQL as PostgreSQL reads it (postgres/dialect.ts). Pure text: the suites run the
// translated statements against a real PostgreSQL with HERO_DESK_TEST_STORE=postgres.
import { describe, expect, it } from 'vitest';
import { toPostgres } from '../../../electron/core/store/postgres/dialect.ts';

describe('SQLite SQL for PostgreSQL', () => {
  it('numbers placeholders, leaving question marks in strings alone', () => {
    expect(toPostgres("SELECT * FROM t WHERE a = ? AND b = '?' AND c IN (?, ?)").text).toBe(
      "SELECT * FROM t WHERE a = $1 AND b = '?' AND c IN ($2, $3)",
    );
  });

  it('turns IS between values into IS [NOT] DISTINCT FROM, and keeps IS NULL', () => {
    expect(toPostgres('SELECT 1 WHERE a IS NOT b AND c IS d AND e IS NULL AND f IS NOT NULL').text).toBe(
      'SELECT 1 WHERE a IS DISTINCT FROM b AND c IS NOT DISTINCT FROM d AND e IS NULL AND f IS NOT NULL',
    );
  });

  it('makes two-argument MIN/MAX LEAST/GREATEST and keeps the aggregates', () => {
    expect(toPostgres('SELECT MIN(MAX(a, COALESCE(b, 0)), c), MAX(d), MIN(e) FROM t').text).toBe(
      'SELECT LEAST(GREATEST(a, COALESCE(b, 0)), c), MAX(d), MIN(e) FROM t',
    );
  });

  it("drops SQLite's index hints and keeps arithmetic", () => {
    expect(toPostgres('SELECT id FROM jobs INDEXED BY jobs_queued WHERE +a.status = ? AND n = n + 1').text).toBe(
      'SELECT id FROM jobs WHERE a.status = $1 AND n = n + 1',
    );
  });

  it('keeps camelCase aliases as written and widens integer casts', () => {
    expect(toPostgres('SELECT article_id AS articleId, CAST(x / 2 AS INTEGER) AS n FROM t').text).toBe(
      'SELECT article_id AS "articleId", CAST(x / 2 AS BIGINT) AS n FROM t',
    );
  });

  it("returns a generated key as SQLite's lastInsertRowid, only for tables that have one", () => {
    expect(toPostgres('INSERT INTO events (at) VALUES (?)')).toEqual({
      text: 'INSERT INTO events (at) VALUES ($1) RETURNING seq AS inserted_key',
      returnsKey: true,
    });
    expect(toPostgres('INSERT INTO meta (key, value) VALUES (?, ?)').returnsKey).toBe(false);
    expect(toPostgres('INSERT INTO jobs (id) VALUES (?) RETURNING *').returnsKey).toBe(false);
  });
});
