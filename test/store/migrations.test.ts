// Upgrading a database written by an earlier Hero Desk: image URLs (which carried the media
// server's port) become storage keys, and nothing else is lost.
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../electron/core/store/migrations.ts';
import { Store } from '../../electron/core/store/store.ts';
import { getImage, variantKeysOf } from '../../electron/core/store/images.ts';
import { tempDirs } from '../helpers/temp.ts';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

describe('migrations', () => {
  it('turns stored image URLs into keys (version 2 → 3)', () => {
    const path = join(dirs.make(), 'old.db');
    const old = new DatabaseSync(path);
    for (const [index, sql] of MIGRATIONS.slice(0, 2).entries()) {
      old.exec(sql);
      old.exec(`PRAGMA user_version = ${index + 1}`);
    }
    old.exec(`INSERT INTO articles (id, source, headline, summary, section, breaking, content_hash, status, tier, routed_tier, prompt, created_at, updated_at)
              VALUES ('rec1', 'demo', 'H', '', 'Local', 0, 'h', 'published', 'regular', 'regular', 'p', 1, 1)`);
    const variants = JSON.stringify({
      'hero.webp': 'http://127.0.0.1:41237/media/heroes/0123456789abcdef/rec1-hero.webp',
      'og.jpeg': 'https://img.example.com/heroes/fedcba9876543210/rec1-og.jpg',
    });
    old
      .prepare(
        `INSERT INTO images (article_id, content_hash, storage_key, url, thumb_url, content_type, width, height, bytes, provider, model, prompt, seed, flags, variants, created_at)
         VALUES ('rec1', 'abcdef0123456789abcdef0123456789ffff', 'originals/abcdef0123456789abcdef0123456789.png',
                 'http://127.0.0.1:41237/media/originals/abcdef0123456789abcdef0123456789.png',
                 'http://127.0.0.1:41237/media/thumbs/abcdef0123456789abcdef0123456789.webp',
                 'image/png', 1792, 1024, 10, 'title-card', 'm', 'p', 1, '[]', ?, 1)`,
      )
      .run(variants);
    old.close();

    const store = new Store(path);
    const image = getImage(store, 1)!;
    expect(image.storage_key).toBe('originals/abcdef0123456789abcdef0123456789.png');
    expect(image.thumb_key).toBe('thumbs/abcdef0123456789abcdef0123456789.webp');
    expect(variantKeysOf(image)).toEqual({
      'hero.webp': 'heroes/0123456789abcdef/rec1-hero.webp',
      'og.jpeg': 'heroes/fedcba9876543210/rec1-og.jpg',
    });
    const columns = store.db.all<{ name: string }>('PRAGMA table_info(images)').map((c) => c.name);
    expect(columns).not.toContain('url');
    expect(columns).not.toContain('thumb_url');
    expect(store.db.schemaVersion).toBe(MIGRATIONS.length);
    store.close();
  });

  it('keeps the event log and its order when it drops AUTOINCREMENT (version 9 → 10)', () => {
    const path = join(dirs.make(), 'old.db');
    const old = new DatabaseSync(path);
    for (const [index, sql] of MIGRATIONS.slice(0, 9).entries()) {
      old.exec(sql);
      old.exec(`PRAGMA user_version = ${index + 1}`);
    }
    for (let i = 0; i < 3; i++)
      old.prepare("INSERT INTO events (at, type, article_id, detail) VALUES (?, 'ingested', 'rec1', '{}')").run(i);
    old.close();

    const store = new Store(path);
    expect(store.db.all<{ seq: number; at: number }>('SELECT seq, at FROM events ORDER BY seq')).toEqual([
      { seq: 1, at: 0 },
      { seq: 2, at: 1 },
      { seq: 3, at: 2 },
    ]);
    // one page fewer per commit: no sqlite_sequence row to update
    const table = store.db.get<{ sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'events'")!;
    expect(table.sql).not.toMatch(/AUTOINCREMENT/i);
    const seq = store.transaction(() => store.logEvent('notice', null, {}));
    expect(seq).toBe(4);
    store.close();
  });

  it('keys "one open job per story" on finished_at, filling it in for jobs that ended without one (version 10 → 11)', () => {
    const path = join(dirs.make(), 'old.db');
    const old = new DatabaseSync(path);
    for (const [index, sql] of MIGRATIONS.slice(0, 10).entries()) {
      old.exec(sql);
      old.exec(`PRAGMA user_version = ${index + 1}`);
    }
    old.exec(
      "INSERT INTO articles (id, source, headline, summary, section, breaking, content_hash, status, tier, routed_tier, prompt, created_at, updated_at) VALUES ('rec1', 't', 'h', '', 'Local', 0, 'x', 'ready', 'regular', 'regular', 'p', 0, 0)",
    );
    const job =
      "INSERT INTO jobs (kind, lane, article_id, priority, status, run_after, max_attempts, created_at, updated_at, finished_at) VALUES ('generate', 'regular', 'rec1', 1, ?, 0, 3, 0, ?, ?)";
    old.prepare(job).run('cancelled', 7, null); // ended before finished_at was always written
    old.prepare(job).run('queued', 8, null);
    old.close();

    const store = new Store(path);
    expect(store.db.all('SELECT status, finished_at FROM jobs ORDER BY id')).toEqual([
      { status: 'cancelled', finished_at: 7 },
      { status: 'queued', finished_at: null },
    ]);
    expect(store.db.get<{ sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'jobs_one_open'")!.sql).toMatch(
      /WHERE finished_at IS NULL/,
    );
    expect(() => store.db.run(job, 'queued', 9, null)).toThrow(/UNIQUE/);
    store.close();
  });
});
