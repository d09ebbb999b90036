// Versioned schema. PRAGMA user_version records how many of these have run; a migration is
// never edited once shipped — add a new one instead.
export const MIGRATIONS: readonly string[] = [
  // 1: the initial schema
  `
  CREATE TABLE articles (
    id               TEXT PRIMARY KEY,      -- the source record id
    source           TEXT NOT NULL,
    headline         TEXT NOT NULL,
    summary          TEXT NOT NULL,
    section          TEXT NOT NULL,
    story_type       TEXT,
    breaking         INTEGER NOT NULL,
    content_hash     TEXT NOT NULL,         -- of the fields that shape the image
    stale            INTEGER NOT NULL DEFAULT 0,  -- source changed after approval
    status           TEXT NOT NULL,
    tier             TEXT NOT NULL,         -- the lane its current/last job is on
    routed_tier      TEXT NOT NULL,         -- the tier the source's routing chose (regenerations start here)
    prompt           TEXT NOT NULL,         -- built from the article
    prompt_override  TEXT,                  -- the editor's (or the record's), wins when set
    policy           TEXT,                  -- story policy label in force
    current_image_id INTEGER,
    version          INTEGER NOT NULL DEFAULT 0,  -- bumped on every publication
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
  );

  CREATE TABLE jobs (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL,         -- generate | publish
    lane             TEXT NOT NULL,         -- a tier for generate jobs, 'publish' for publish jobs
    article_id       TEXT NOT NULL REFERENCES articles(id),
    publication_id   INTEGER REFERENCES publications(id),
    priority         INTEGER NOT NULL,
    status           TEXT NOT NULL,         -- queued | running | done | failed | cancelled
    run_after        INTEGER NOT NULL,
    deadline_at      INTEGER,               -- past it, the job drops to the next lane
    attempts         INTEGER NOT NULL DEFAULT 0,  -- runs in the current lane
    max_attempts     INTEGER NOT NULL,
    lease_owner      TEXT,
    lease_expires_at INTEGER,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    finished_at      INTEGER
  );
  CREATE INDEX jobs_claimable ON jobs (lane, status, priority DESC, run_after);
  -- at most one open job of a kind per article: regenerate supersedes, never doubles
  CREATE UNIQUE INDEX jobs_one_open ON jobs (article_id, kind) WHERE status IN ('queued', 'running');

  CREATE TABLE attempts (
    id           INTEGER PRIMARY KEY,
    job_id       INTEGER NOT NULL REFERENCES jobs(id),
    article_id   TEXT NOT NULL,
    lane         TEXT NOT NULL,             -- the tier the call was made for (budgets)
    step         TEXT NOT NULL,             -- generate | score | prompt
    provider     TEXT NOT NULL,
    model        TEXT,
    prompt       TEXT,
    seed         INTEGER,
    started_at   INTEGER NOT NULL,
    finished_at  INTEGER NOT NULL,
    duration_ms  INTEGER NOT NULL,
    cost_usd     REAL NOT NULL,
    outcome      TEXT NOT NULL,             -- ok | error | refused | timeout | low_score | skipped
    error        TEXT,
    score        REAL,
    image_id     INTEGER
  );
  CREATE INDEX attempts_by_article ON attempts (article_id);
  CREATE INDEX attempts_by_lane_day ON attempts (lane, started_at);

  CREATE TABLE images (
    id            INTEGER PRIMARY KEY,
    article_id    TEXT NOT NULL REFERENCES articles(id),
    content_hash  TEXT NOT NULL,
    storage_key   TEXT NOT NULL,
    url           TEXT NOT NULL,
    thumb_url     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    bytes         INTEGER NOT NULL,
    provider      TEXT NOT NULL,
    model         TEXT NOT NULL,
    prompt        TEXT NOT NULL,
    seed          INTEGER NOT NULL,
    score         REAL,
    score_reason  TEXT,
    description   TEXT,                    -- the scorer's, used for alt text
    flags         TEXT NOT NULL DEFAULT '[]',   -- JSON array of ScoreFlag
    phash         TEXT,
    synthetic     INTEGER NOT NULL DEFAULT 0,   -- title card / default image: no AI disclosure
    variants      TEXT NOT NULL DEFAULT '{}',   -- JSON name -> url, made at publication
    created_at    INTEGER NOT NULL
  );

  -- the outbox: written in the same transaction as the approval
  CREATE TABLE publications (
    id               INTEGER PRIMARY KEY,
    article_id       TEXT NOT NULL REFERENCES articles(id),
    image_id         INTEGER REFERENCES images(id),
    kind             TEXT NOT NULL DEFAULT 'publish',  -- publish | retract
    version          INTEGER NOT NULL,
    idempotency_key  TEXT NOT NULL UNIQUE,
    status           TEXT NOT NULL,         -- pending | published
    created_at       INTEGER NOT NULL,
    published_at     INTEGER
  );

  CREATE TABLE events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    type        TEXT NOT NULL,
    article_id  TEXT,
    detail      TEXT NOT NULL               -- JSON
  );

  CREATE TABLE source_cursors (
    source  TEXT PRIMARY KEY,
    cursor  TEXT
  );
  `,
  // 2: open problems (source unreachable, key rejected, disk full …), kept until they clear
  `
  CREATE TABLE problems (
    id           TEXT PRIMARY KEY,          -- stable per fault, e.g. 'source', 'key:openai'
    area         TEXT NOT NULL,
    level        TEXT NOT NULL,             -- warn | error
    message      TEXT NOT NULL,
    action       TEXT,                      -- the next step that fixes it
    opened_at    INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    occurrences  INTEGER NOT NULL DEFAULT 1
  );
  `,
  // 3: images hold storage keys, never URLs (a URL carries the media server's port, which can
  //    change between runs); URLs are made when read. Existing URLs are cut back to their keys.
  `
  ALTER TABLE images ADD COLUMN thumb_key TEXT NOT NULL DEFAULT '';
  UPDATE images SET thumb_key = CASE
    WHEN instr(thumb_url, '/thumbs/') > 0 THEN substr(thumb_url, instr(thumb_url, '/thumbs/') + 1)
    ELSE 'thumbs/' || substr(content_hash, 1, 32) || '.webp' END;
  UPDATE images SET variants = (
    SELECT COALESCE(json_group_object(key, CASE WHEN instr(value, '/heroes/') > 0 THEN substr(value, instr(value, '/heroes/') + 1) ELSE value END), '{}')
    FROM json_each(images.variants));
  ALTER TABLE images DROP COLUMN url;
  ALTER TABLE images DROP COLUMN thumb_url;

  -- small facts about this installation that must outlive a run (e.g. where media was served)
  CREATE TABLE meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
  );
  `,
  // 4: the write-back outbox: what each source record should show, written in the same
  //    transaction as the state change (latest state wins), drained with backoff until it sticks
  `
  CREATE TABLE writebacks (
    article_id        TEXT PRIMARY KEY REFERENCES articles(id),
    state             TEXT NOT NULL,          -- JSON: the fields the record should show
    state_hash        TEXT NOT NULL,
    written_hash      TEXT,                   -- state_hash last confirmed written (or given up on)
    due_at            INTEGER NOT NULL,       -- next attempt
    attempts          INTEGER NOT NULL DEFAULT 0,  -- failures since the last success
    last_error        TEXT,
    lease_owner       TEXT,
    lease_expires_at  INTEGER,
    updated_at        INTEGER NOT NULL
  );
  CREATE INDEX writebacks_due ON writebacks (due_at) WHERE written_hash IS NOT state_hash;

  -- an attachment is uploaded once per image content; retries reuse the token
  CREATE TABLE attachment_uploads (
    storage_key  TEXT PRIMARY KEY,           -- content-addressed: same key, same bytes
    token        TEXT NOT NULL,
    name         TEXT NOT NULL,
    uploaded_at  INTEGER NOT NULL
  );
  `,
  // 5: every hot query on an index that holds only the rows it looks for, so the cost of a claim,
  //    a deadline scan or the safety net does not grow with the jobs and stories done long ago
  `
  CREATE INDEX jobs_queued ON jobs (lane, priority DESC, created_at, id) WHERE status = 'queued';
  CREATE INDEX jobs_leased ON jobs (lane, lease_expires_at) WHERE status = 'running';
  CREATE INDEX jobs_deadlines ON jobs (lane, deadline_at) WHERE status = 'queued' AND deadline_at IS NOT NULL;
  DROP INDEX jobs_claimable;
  CREATE INDEX articles_by_status ON articles (status);
  `,
  // 6: every image made for a story stays a candidate the editor can pick; an editor may supply a
  //    photo instead; per-image editor overrides (alt text, credit, focal point); review notes
  `
  ALTER TABLE images ADD COLUMN source TEXT NOT NULL DEFAULT 'generated';  -- generated | editor (a photo file)
  ALTER TABLE images ADD COLUMN job_id INTEGER;                            -- the generate job that made it
  ALTER TABLE images ADD COLUMN cost_usd REAL;                             -- making + scoring it; NULL before this migration
  ALTER TABLE images ADD COLUMN revised_prompt TEXT;                       -- the scorer's suggestion
  ALTER TABLE images ADD COLUMN alt_text TEXT;                             -- the editor's, wins over description
  ALTER TABLE images ADD COLUMN credit TEXT;                               -- who the editor credited
  ALTER TABLE images ADD COLUMN focal_x REAL;                              -- the crops' centre (0..1); NULL = centred
  ALTER TABLE images ADD COLUMN focal_y REAL;
  ALTER TABLE images ADD COLUMN file_name TEXT;                            -- an editor's photo file
  ALTER TABLE images ADD COLUMN variants_made_with TEXT;                   -- the overrides the variants were made with
  CREATE INDEX images_by_article ON images (article_id, id);
  ALTER TABLE articles ADD COLUMN review_note TEXT;                        -- why it was last rejected or retracted
  `,
  // 7: embargo (approve now, publish at a set time) and staleness derived from what readers see
  `
  ALTER TABLE articles ADD COLUMN embargo_until INTEGER;         -- publish no earlier than this (ms); NULL = no embargo
  ALTER TABLE articles ADD COLUMN source_embargo_until INTEGER;  -- the source record's embargo as last read (a change there moves it)
  ALTER TABLE images ADD COLUMN made_for TEXT;                   -- material hash of the story the image was made for; NULL before this
  ALTER TABLE publications ADD COLUMN article_hash TEXT;         -- material hash of the story when the publication was written
  ALTER TABLE publications ADD COLUMN undo_until INTEGER;         -- the editor's undo window closes then (ms); NULL = none
  `,
  // 8: a late upgrade (issue 11): the higher tier's image that arrived after the story took the next
  //    tier's, kept for the editor; jobs of kind 'upgrade' need no column (kind is free text)
  `
  ALTER TABLE articles ADD COLUMN upgrade_image_id INTEGER;                -- waiting for the editor; NULL once decided
  `,
  // 9: costs and the safety gate — a provider call is recorded as begun (outcome 'running') before it is
  //    made, so one cut off by a crash is found and costed at its estimate ('interrupted'); who or
  //    what let a call past its tier's budget; an editor's reason for approving a failed check
  `
  ALTER TABLE attempts ADD COLUMN estimated_usd REAL;                      -- the forecast before the call
  ALTER TABLE attempts ADD COLUMN budget_override TEXT;                    -- e.g. 'auto policy: breaking news'
  CREATE INDEX attempts_running ON attempts (job_id) WHERE outcome = 'running';
  ALTER TABLE images ADD COLUMN safety_override TEXT;                      -- why an editor approved it despite a failed check
  `,
  // 10: the event log without AUTOINCREMENT. Every job transition writes an event, and AUTOINCREMENT
  //    made each commit write one more page (sqlite_sequence): about a fifth of a commit's cost.
  //    Events are never deleted, so a plain rowid still only grows (seq is never reused).
  `
  CREATE TABLE events_plain (
    seq         INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    type        TEXT NOT NULL,
    article_id  TEXT,
    detail      TEXT NOT NULL               -- JSON
  );
  INSERT INTO events_plain (seq, at, type, article_id, detail) SELECT seq, at, type, article_id, detail FROM events;
  DROP TABLE events;
  ALTER TABLE events_plain RENAME TO events;
  DELETE FROM sqlite_sequence WHERE name = 'events';
  `,
  // 11 (queue): "one open job per story and kind" keyed on finished_at instead of status. A claim turns
  //    queued into running; with status in the index's WHERE every claim rewrote this index too (a page
  //    more per commit). finished_at is set exactly when a job ends (done, failed, cancelled) and never
  //    cleared, so "finished_at IS NULL" is the same set of rows as "status IN ('queued', 'running')".
  `
  UPDATE jobs SET finished_at = updated_at WHERE finished_at IS NULL AND status NOT IN ('queued', 'running');
  UPDATE jobs SET finished_at = NULL WHERE finished_at IS NOT NULL AND status IN ('queued', 'running');
  DROP INDEX jobs_one_open;
  CREATE UNIQUE INDEX jobs_one_open ON jobs (article_id, kind) WHERE finished_at IS NULL;
  `,
  // 12 (issue 13, accounts): the newsroom desk's personal tokens, stored as scrypt hashes; a revoked
  //    account keeps its row (the audit names it) and its name may be given to a new account
  `
  CREATE TABLE users (
    id          TEXT PRIMARY KEY,          -- random; the token's public part (hd1.<id>.<secret>)
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,             -- viewer | editor | admin
    salt        TEXT NOT NULL,             -- hex
    token_hash  TEXT NOT NULL,             -- hex scrypt(secret, salt)
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER                    -- NULL while the token works
  );
  CREATE UNIQUE INDEX users_active_name ON users (name) WHERE revoked_at IS NULL;
  `,
  // 13 (issue 13, attribution): who ran the command that wrote each event (an account's name or
  //    'operator'); NULL for the desk's own work (polling, the queue, auto-approval)
  `
  ALTER TABLE events ADD COLUMN actor TEXT;
  CREATE INDEX events_attributed ON events (article_id, seq) WHERE actor IS NOT NULL;
  CREATE INDEX events_attributed_at ON events (at) WHERE actor IS NOT NULL;
  `,
  // 14 (issue 13, optimistic concurrency): a story's revision is the newest event that changed it,
  //    read per card and per command; only the events that change a story (store/revisions.ts) are indexed
  `
  CREATE INDEX events_story_changes ON events (article_id, seq)
    WHERE type NOT LIKE 'job\\_%' ESCAPE '\\' AND type NOT IN ('attempt', 'publication_queued', 'budget_override');
  `,
  // 15 (issue 12, idle footprint): a story's publications were found by scanning the whole table, and
  //    the minute's safety net did that once per published story; pending ones (the outbox) are few
  `
  CREATE INDEX publications_by_article ON publications (article_id, status, version);
  CREATE INDEX publications_pending ON publications (article_id, version) WHERE status = 'pending';
  `,
  // 16 (issue 15, workers beside the desk): per-provider limits counted in the file, so the desk and
  //    its workers share a provider's "concurrency" and "ratePerMinute" (store/provider-slots.ts)
  `
  CREATE TABLE provider_slots (
    id          INTEGER PRIMARY KEY,
    provider    TEXT NOT NULL,
    owner       TEXT NOT NULL,             -- host:pid:random, as a job lease's owner
    expires_at  INTEGER NOT NULL           -- a holder that never released it (a crash elsewhere)
  );
  CREATE INDEX provider_slots_by_provider ON provider_slots (provider, expires_at);
  CREATE TABLE provider_calls (
    provider    TEXT NOT NULL,
    started_at  INTEGER NOT NULL
  );
  CREATE INDEX provider_calls_by_provider ON provider_calls (provider, started_at);
  `,
  // 17 (issue 15): the processes working this file's queue (the desk, its workers) and their lanes,
  //    so a lane nothing claims is a problem, and `hero-desk queue` says who works (store/queue-processes.ts)
  `
  CREATE TABLE queue_processes (
    owner       TEXT PRIMARY KEY,          -- host:pid:random, the engine's lease owner
    role        TEXT NOT NULL,             -- desk | worker
    lanes       TEXT NOT NULL,             -- JSON array of the lanes it claims from
    started_at  INTEGER NOT NULL,
    seen_at     INTEGER NOT NULL           -- renewed every few seconds while it runs
  );
  `,
];
