-- 0002_images: Cloudflare Images records (see src/store/image_store.h and rows.h): images,
-- named variants, URL-signing keys and per-account config. The bytes are not here: they live in
-- the file store (src/store/fs) under images.content_hash.
--
-- Conventions as in 0001_initial.sql (STRICT tables, INTEGER micros, no BEGIN/COMMIT here).

-- The one counter behind images.seq: bumped inside the writing transaction, so seq is strictly
-- increasing over the whole store and never reused, even after the highest row is deleted.
CREATE TABLE image_seq (
  id    INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  value INTEGER NOT NULL
) STRICT;
INSERT INTO image_seq (id, value) VALUES (1, 0);

-- seq is the rowid, so an index on (account_id, seq) holds everything a page needs to find its
-- rows, and fetching them is a rowid lookup. Drafts (draft = 1) carry content_hash = '' and
-- format = '' until completeDraft.
CREATE TABLE images (
  seq            INTEGER NOT NULL PRIMARY KEY,
  account_id     TEXT NOT NULL REFERENCES accounts (id),
  id             TEXT NOT NULL,
  filename       TEXT NOT NULL,
  content_hash   TEXT NOT NULL,
  format         TEXT NOT NULL,
  size           INTEGER NOT NULL,
  width          INTEGER NOT NULL,
  height         INTEGER NOT NULL,
  frames         INTEGER NOT NULL,
  meta_json      TEXT NOT NULL CHECK (json_valid(meta_json)),
  creator        TEXT,
  require_signed INTEGER NOT NULL,
  draft          INTEGER NOT NULL,
  draft_expires  INTEGER NOT NULL,
  uploaded       INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX images_id ON images (account_id, id);
-- Partial indexes on draft = 0: lists and counts never see drafts, and the queries spell the
-- same literal so the planner can use them. images_list serves listImages in seq order (keyset
-- and offset pages) and countImages; images_creator the same with a creator (or IS NULL).
CREATE INDEX images_list ON images (account_id, seq) WHERE draft = 0;
CREATE INDEX images_creator ON images (account_id, creator, seq) WHERE draft = 0;
-- Serves deleteExpiredDrafts.
CREATE INDEX images_drafts ON images (draft_expires) WHERE draft = 1;
-- Serves countBlobRefs (bytes shared across rows and accounts).
CREATE INDEX images_content ON images (content_hash) WHERE draft = 0;

CREATE TABLE image_variants (
  account_id           TEXT NOT NULL REFERENCES accounts (id),
  name                 TEXT NOT NULL,
  options_json         TEXT NOT NULL,
  never_require_signed INTEGER NOT NULL,
  created              INTEGER NOT NULL,
  modified             INTEGER NOT NULL,
  PRIMARY KEY (account_id, name)
) STRICT, WITHOUT ROWID;

-- value is in clear on purpose: these are HMAC keys the API lists back (GET /images/v1/keys).
CREATE TABLE image_signing_keys (
  account_id TEXT NOT NULL REFERENCES accounts (id),
  name       TEXT NOT NULL,
  value      TEXT NOT NULL,
  created    INTEGER NOT NULL,
  PRIMARY KEY (account_id, name)
) STRICT, WITHOUT ROWID;

CREATE TABLE images_config (
  account_id        TEXT NOT NULL PRIMARY KEY REFERENCES accounts (id),
  flexible_variants INTEGER NOT NULL,
  browser_ttl       INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
