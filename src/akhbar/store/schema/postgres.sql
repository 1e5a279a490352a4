-- akhbar PostgreSQL schema, version 5: the tables of schema/sqlite.sql, one for one, so that both stores answer alike.
-- Every text column that is compared or sorted is COLLATE "C" (byte order, as SQLite compares), whatever the
-- database's own collation: ISO dates, ids and id prefixes, spellings must sort the same on both backends.
-- Row numbers are bigserial columns named rowid, as SQLite's.

CREATE TABLE IF NOT EXISTS meta (
    key   text COLLATE "C" PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE IF NOT EXISTS articles (
    rowid         bigserial PRIMARY KEY,
    id            text COLLATE "C" NOT NULL UNIQUE,
    url           text,
    outlet        text COLLATE "C",
    attribution   text,
    title         text NOT NULL,
    published_at  text COLLATE "C",  -- ISO-8601 as known: with its offset, or naive when the source gave no zone
    published_day text COLLATE "C",  -- YYYY-MM-DD in the article's own zone, for per-day counts and filters
    author        text,
    lang          text NOT NULL,
    provenance    text NOT NULL,     -- JSON
    content_hash  text NOT NULL,
    summary       text,
    ingested_at   text NOT NULL,
    updated_at    text NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_outlet ON articles (outlet);
CREATE INDEX IF NOT EXISTS articles_day ON articles (published_day);

CREATE TABLE IF NOT EXISTS blocks (
    article  bigint NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
    position integer NOT NULL,
    type     text NOT NULL CHECK (type IN ('heading', 'paragraph')),
    text     text NOT NULL,
    PRIMARY KEY (article, position)
);

CREATE TABLE IF NOT EXISTS tags (
    article  bigint NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
    position integer NOT NULL,
    tag      text NOT NULL,
    tag_key  text COLLATE "C" NOT NULL,
    PRIMARY KEY (article, position)
);
CREATE INDEX IF NOT EXISTS tags_key ON tags (tag_key);

CREATE TABLE IF NOT EXISTS related (
    article  bigint NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
    position integer NOT NULL,
    target   text NOT NULL,
    title    text NOT NULL,
    PRIMARY KEY (article, position)
);

CREATE TABLE IF NOT EXISTS quarantine (
    rowid      bigserial PRIMARY KEY,
    source     text COLLATE "C" NOT NULL,
    position   text COLLATE "C" NOT NULL,
    reader     text NOT NULL,
    reason     text COLLATE "C" NOT NULL,
    excerpt    text NOT NULL,
    first_seen text COLLATE "C" NOT NULL,
    last_seen  text COLLATE "C" NOT NULL,
    seen       integer NOT NULL DEFAULT 1,
    UNIQUE (source, position, reason)
);

-- Full-text index over search-layer text (never raw text), as SQLite's FTS5 table: title and body hold the
-- space-separated terms of akhbar.arabic.normalize.search_text; tsv holds the same terms with their positions
-- (title weight A at 1.., body weight B after a gap, so that no phrase spans the two), built by the store, never by
-- a text search configuration. Lengths are kept for bm25 (see PostgresStore.search).
CREATE TABLE IF NOT EXISTS search (
    rowid     bigint PRIMARY KEY REFERENCES articles (rowid) ON DELETE CASCADE,
    title     text NOT NULL,
    body      text NOT NULL,
    title_len integer NOT NULL,
    body_len  integer NOT NULL,
    tsv       tsvector NOT NULL
);
CREATE INDEX IF NOT EXISTS search_tsv ON search USING gin (tsv);
-- Rows and tokens of the index (bm25's N and average length), kept by every write of the search table.
CREATE TABLE IF NOT EXISTS search_stats (
    id     integer PRIMARY KEY CHECK (id = 1),
    docs   bigint NOT NULL,
    tokens bigint NOT NULL
);
INSERT INTO search_stats VALUES (1, 0, 0) ON CONFLICT (id) DO NOTHING;

CREATE TABLE IF NOT EXISTS entities (
    rowid     bigserial PRIMARY KEY,
    type      text COLLATE "C" NOT NULL,
    key       text COLLATE "C" NOT NULL,
    signature text COLLATE "C" NOT NULL
);
CREATE INDEX IF NOT EXISTS entities_key ON entities (key, type);

CREATE TABLE IF NOT EXISTS mentions (
    article  bigint NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
    entity   bigint NOT NULL REFERENCES entities (rowid),
    start    integer NOT NULL,
    "end"    integer NOT NULL,
    spelling text COLLATE "C" NOT NULL,
    type     text,  -- as the tagger typed the mention (NULL: stored by schema 3, before types were kept)
    PRIMARY KEY (article, start)
);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions (entity);

CREATE TABLE IF NOT EXISTS entity_spellings (
    entity   bigint NOT NULL REFERENCES entities (rowid),
    spelling text COLLATE "C" NOT NULL,
    n        bigint NOT NULL,
    PRIMARY KEY (entity, spelling)
);
CREATE TABLE IF NOT EXISTS entity_counts (
    entity   bigint PRIMARY KEY REFERENCES entities (rowid),
    articles bigint NOT NULL,
    mentions bigint NOT NULL
);
-- Mentions by the type the tagger gave them: an entity is typed as most of its mentions are.
CREATE TABLE IF NOT EXISTS entity_types (
    entity bigint NOT NULL REFERENCES entities (rowid),
    type   text NOT NULL,
    n      bigint NOT NULL,
    PRIMARY KEY (entity, type)
);

CREATE TABLE IF NOT EXISTS entity_words (
    word_key  text COLLATE "C" NOT NULL,
    entity    bigint NOT NULL REFERENCES entities (rowid),
    word_form text COLLATE "C" NOT NULL,
    PRIMARY KEY (word_key, entity, word_form)
);
-- The words of one name (the short forms of a name: store.sql.SQLStore.short_forms).
CREATE INDEX IF NOT EXISTS entity_words_entity ON entity_words (entity);

CREATE TABLE IF NOT EXISTS auto_tags (
    article  bigint NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
    position integer NOT NULL,
    kind     text NOT NULL,
    text     text COLLATE "C" NOT NULL,
    key      text COLLATE "C" NOT NULL,
    entity   bigint REFERENCES entities (rowid),
    score    double precision NOT NULL,
    PRIMARY KEY (article, position)
);
CREATE INDEX IF NOT EXISTS auto_tags_entity ON auto_tags (entity);
CREATE INDEX IF NOT EXISTS auto_tags_key ON auto_tags (key);

CREATE TABLE IF NOT EXISTS fingerprints (
    article   bigint PRIMARY KEY REFERENCES articles (rowid) ON DELETE CASCADE,
    text_hash text COLLATE "C" NOT NULL,
    signature bytea NOT NULL
);
CREATE INDEX IF NOT EXISTS fingerprints_hash ON fingerprints (text_hash);
CREATE TABLE IF NOT EXISTS lsh_buckets (
    band    integer NOT NULL,
    bucket  bigint NOT NULL,
    article bigint NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
    PRIMARY KEY (band, bucket, article)
);
CREATE INDEX IF NOT EXISTS lsh_buckets_article ON lsh_buckets (article);
CREATE TABLE IF NOT EXISTS duplicates (
    article    bigint PRIMARY KEY REFERENCES articles (rowid) ON DELETE CASCADE,
    group_head bigint NOT NULL REFERENCES articles (rowid),
    similarity double precision NOT NULL
);
CREATE INDEX IF NOT EXISTS duplicates_head ON duplicates (group_head);

CREATE TABLE IF NOT EXISTS stories (
    rowid      bigserial PRIMARY KEY,
    first_seen text COLLATE "C",
    last_seen  text COLLATE "C",
    size       integer NOT NULL,
    terms      text NOT NULL,
    entities   text NOT NULL
);
CREATE INDEX IF NOT EXISTS stories_last ON stories (last_seen);
CREATE TABLE IF NOT EXISTS story_members (
    article    bigint PRIMARY KEY REFERENCES articles (rowid) ON DELETE CASCADE,
    story      bigint NOT NULL REFERENCES stories (rowid),
    similarity double precision NOT NULL
);
CREATE INDEX IF NOT EXISTS story_members_story ON story_members (story);

CREATE TABLE IF NOT EXISTS related_links (
    article  bigint NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
    position integer NOT NULL,
    other    bigint NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
    score    double precision NOT NULL,
    reason   text NOT NULL,
    PRIMARY KEY (article, position)
);
CREATE INDEX IF NOT EXISTS related_links_other ON related_links (other);
CREATE TABLE IF NOT EXISTS related_ranked (
    article bigint PRIMARY KEY REFERENCES articles (rowid) ON DELETE CASCADE,
    size    bigint NOT NULL
);

-- Term frequencies per article (the postings of the search index), for bm25: one row per distinct term of an article,
-- with its occurrences in the title and in the body and the article's length in terms (title + body). Exact counts
-- (a tsvector keeps at most 256 positions per word), and ranking by single terms is a join, not a scan of vectors.
-- Kept by the store with the article's search row (no foreign key: a check per posting would double the cost of
-- a write, and articles are only ever replaced, through the store).
CREATE TABLE IF NOT EXISTS postings (
    term     text COLLATE "C" NOT NULL,
    article  bigint NOT NULL,
    title_tf integer NOT NULL,
    body_tf  integer NOT NULL,
    doclen   integer NOT NULL,
    PRIMARY KEY (term, article) INCLUDE (title_tf, body_tf, doclen)  -- a term's postings by index-only scans
);
CREATE INDEX IF NOT EXISTS postings_article ON postings (article);

-- The weighted frequency of a phrase of several terms in an article, as FTS5's bm25 counts it: every occurrence
-- (overlapping ones too) counts wt in the title and wb in the body; only title occurrences when title_only. Counted
-- in the indexed text (space-separated terms: a zero-width look-ahead at every start), so it is exact whatever the
-- article's length, where tsvector positions stop at 16,383. Single terms are read from postings. (regexp_count:
-- PostgreSQL 15 or later.)
CREATE OR REPLACE FUNCTION akhbar_occurrences(terms text, phrase text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN strpos(' ' || terms || ' ', ' ' || phrase || ' ') = 0 THEN 0  -- the usual case, cheaply
        ELSE regexp_count(' ' || terms || ' ', '(?= ' || phrase || ' )') END
$$;
CREATE OR REPLACE FUNCTION akhbar_phrase_freq(
    title text, body text, phrase text, title_only boolean, wt double precision, wb double precision
) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT wt * akhbar_occurrences(title, phrase) + CASE WHEN title_only THEN 0 ELSE wb * akhbar_occurrences(body, phrase) END
$$;

-- The search index's change log (see schema/sqlite.sql). Writers take turns under one advisory lock held to commit,
-- so numbers are handed out in commit order: a reader never sees a number before a smaller one is committed.
CREATE TABLE IF NOT EXISTS search_log (
    seq     bigserial PRIMARY KEY,
    article bigint NOT NULL
);
INSERT INTO meta VALUES ('archive_id', md5(random()::text || clock_timestamp()::text)) ON CONFLICT (key) DO NOTHING;
