-- akhbar SQLite schema, version 5. Display text is stored; search text is derived (the search layer) and indexed.
PRAGMA foreign_keys = ON;

CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS articles (
    rowid         INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    url           TEXT,
    outlet        TEXT,
    attribution   TEXT,
    title         TEXT NOT NULL,
    published_at  TEXT,             -- ISO-8601 as known: with its offset, or naive when the source gave no zone
    published_day TEXT,             -- YYYY-MM-DD in the article's own zone, for per-day counts and filters
    author        TEXT,
    lang          TEXT NOT NULL,
    provenance    TEXT NOT NULL,    -- JSON
    content_hash  TEXT NOT NULL,
    summary       TEXT,             -- extractive summary (analyze.summary), NULL until analyzed
    ingested_at   TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_outlet ON articles (outlet);
CREATE INDEX IF NOT EXISTS articles_day ON articles (published_day);

CREATE TABLE IF NOT EXISTS blocks (
    article  INTEGER NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    type     TEXT NOT NULL CHECK (type IN ('heading', 'paragraph')),
    text     TEXT NOT NULL,
    PRIMARY KEY (article, position)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS tags (
    article  INTEGER NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    tag      TEXT NOT NULL,
    tag_key  TEXT NOT NULL,         -- dedup layer: one key for every spelling variant of the tag
    PRIMARY KEY (article, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tags_key ON tags (tag_key);

CREATE TABLE IF NOT EXISTS related (
    article  INTEGER NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    target   TEXT NOT NULL,         -- article id (may not be stored yet)
    title    TEXT NOT NULL,
    PRIMARY KEY (article, position)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS quarantine (
    rowid      INTEGER PRIMARY KEY,
    source     TEXT NOT NULL,
    position   TEXT NOT NULL,
    reader     TEXT NOT NULL,
    reason     TEXT NOT NULL,
    excerpt    TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    seen       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (source, position, reason)
);

-- Full-text index over search-layer text (never raw text); rowid = articles.rowid.
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5 (
    title, body, tokenize = 'unicode61 remove_diacritics 0'
);

-- Entities: every spelling of a name shares its key (arabic.normalize.entity_key); names that share a key but that
-- the transliteration dictionary knows apart (صلاح/صالح) are separate rows with their signature (one "?" per word
-- the dictionary lacks, see arabic.translit.name_signature). Spellings, counts, display name and first/last seen are
-- derived from mentions when read, so they never drift.
CREATE TABLE IF NOT EXISTS entities (
    rowid     INTEGER PRIMARY KEY,
    type      TEXT NOT NULL,
    key       TEXT NOT NULL,
    signature TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entities_key ON entities (key, type);

-- Offsets are into the article's analyzed text: title + "\n" + body blocks joined by "\n".
CREATE TABLE IF NOT EXISTS mentions (
    article  INTEGER NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
    entity   INTEGER NOT NULL REFERENCES entities (rowid),
    start    INTEGER NOT NULL,
    end      INTEGER NOT NULL,
    spelling TEXT NOT NULL,
    type     TEXT,  -- as the tagger typed the mention (NULL: stored by schema 3, before types were kept)
    PRIMARY KEY (article, start)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions (entity);

-- Running counts kept with the mentions (same transaction), so that a display name or an entity's article count
-- is one indexed row, not a scan of the 10,000 mentions of a frequent name.
CREATE TABLE IF NOT EXISTS entity_spellings (
    entity   INTEGER NOT NULL REFERENCES entities (rowid),
    spelling TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (entity, spelling)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entity_counts (
    entity   INTEGER PRIMARY KEY REFERENCES entities (rowid),
    articles INTEGER NOT NULL,
    mentions INTEGER NOT NULL
);
-- Mentions by the type the tagger gave them: an entity is typed as most of its mentions are (the tagger types one
-- name differently from article to article: a club PERS, a capital ORG), not as its first article had it.
CREATE TABLE IF NOT EXISTS entity_types (
    entity INTEGER NOT NULL REFERENCES entities (rowid),
    type   TEXT NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (entity, type)
) WITHOUT ROWID;

-- Word keys of multi-word person names: an article that only says "بوتين" is about the one person whose full name
-- has that word ("فلاديمير بوتين"), when exactly one has (resolved when read, so the order of ingest never matters).
-- word_form is the word's signature ("?" when the dictionary lacks it): صالح alone is not محمد صلاح.
CREATE TABLE IF NOT EXISTS entity_words (
    word_key  TEXT NOT NULL,
    entity    INTEGER NOT NULL REFERENCES entities (rowid),
    word_form TEXT NOT NULL,
    PRIMARY KEY (word_key, entity, word_form)
) WITHOUT ROWID;
-- The words of one name (the short forms of a name: store.sql.SQLStore.short_forms).
CREATE INDEX IF NOT EXISTS entity_words_entity ON entity_words (entity);

-- Semantic tags chosen by akhbar (analyze.tags), best first; an entity tag points at its entity, whose display
-- spelling is shown. The page's own tags stay in `tags`.
CREATE TABLE IF NOT EXISTS auto_tags (
    article  INTEGER NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind     TEXT NOT NULL,     -- entity | phrase
    text     TEXT NOT NULL,     -- the spelling in this article
    key      TEXT NOT NULL,     -- dedup layer of text: how a tag is looked up
    entity   INTEGER REFERENCES entities (rowid),
    score    REAL NOT NULL,
    PRIMARY KEY (article, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS auto_tags_entity ON auto_tags (entity);
CREATE INDEX IF NOT EXISTS auto_tags_key ON auto_tags (key);

-- Near-duplicates (link.duplicates): a MinHash fingerprint per article, its LSH band keys, and groups of articles
-- that are one report. Every member of a group points at the group's primary (its earliest article; the primary
-- points at itself).
CREATE TABLE IF NOT EXISTS fingerprints (
    article   INTEGER PRIMARY KEY REFERENCES articles (rowid) ON DELETE CASCADE,
    text_hash TEXT NOT NULL,
    signature BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS fingerprints_hash ON fingerprints (text_hash);
CREATE TABLE IF NOT EXISTS lsh_buckets (
    band    INTEGER NOT NULL,
    bucket  INTEGER NOT NULL,
    article INTEGER NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
    PRIMARY KEY (band, bucket, article)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS lsh_buckets_article ON lsh_buckets (article);
CREATE TABLE IF NOT EXISTS duplicates (
    article    INTEGER PRIMARY KEY REFERENCES articles (rowid) ON DELETE CASCADE,
    group_head INTEGER NOT NULL REFERENCES articles (rowid),
    similarity REAL NOT NULL  -- estimated Jaccard with the closest member when it joined (1 for the head)
);
CREATE INDEX IF NOT EXISTS duplicates_head ON duplicates (group_head);

-- Stories (link.stories): articles about one developing event, across outlets and days, built online as articles
-- arrive. A story keeps a compact profile to compare new articles with: its top terms and entities (JSON, weights).
CREATE TABLE IF NOT EXISTS stories (
    rowid      INTEGER PRIMARY KEY,
    first_seen TEXT,
    last_seen  TEXT,
    size       INTEGER NOT NULL,
    terms      TEXT NOT NULL,  -- {"term": weight}: running mean of members' tf-idf vectors, top terms kept
    entities   TEXT NOT NULL   -- {"entity rowid": weight}
);
CREATE INDEX IF NOT EXISTS stories_last ON stories (last_seen);
CREATE TABLE IF NOT EXISTS story_members (
    article    INTEGER PRIMARY KEY REFERENCES articles (rowid) ON DELETE CASCADE,
    story      INTEGER NOT NULL REFERENCES stories (rowid),
    similarity REAL NOT NULL  -- to the story's profile when the article joined (1 for the first)
);
CREATE INDEX IF NOT EXISTS story_members_story ON story_members (story);

-- Related articles (link.related), computed when an article arrives and kept up to date as others arrive: a new
-- article also enters the lists of the articles it is related to when it beats their last entry.
CREATE TABLE IF NOT EXISTS related_links (
    article  INTEGER NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    other    INTEGER NOT NULL REFERENCES articles (rowid) ON DELETE CASCADE,
    score    REAL NOT NULL,
    reason   TEXT NOT NULL,
    PRIMARY KEY (article, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS related_links_other ON related_links (other);
-- How many articles the archive held when each list was last ranked: a list ranked when the archive was much
-- smaller (an article ingested early in a bulk load) is ranked again when next asked for.
CREATE TABLE IF NOT EXISTS related_ranked (
    article INTEGER PRIMARY KEY REFERENCES articles (rowid) ON DELETE CASCADE,
    size    INTEGER NOT NULL
);

-- The search index's change log (store.textindex): every write of an article's text, tags or entities appends its
-- row id here in the same transaction, so the index (a separate file, committed after the archive) catches up after
-- any crash by replaying the changes numbered after the last one it applied.
CREATE TABLE IF NOT EXISTS search_log (
    seq     INTEGER PRIMARY KEY,
    article INTEGER NOT NULL
);
INSERT OR IGNORE INTO meta VALUES ('archive_id', lower(hex(randomblob(16))));
