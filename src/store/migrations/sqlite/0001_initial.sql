-- 0001_initial: installation meta, users, accounts, memberships, API tokens and zones.
--
-- Conventions (see src/store/rows.h): ids are TEXT (32 hex); times are INTEGER microseconds since
-- the Unix epoch (UTC); optional columns are NULL; JSON columns hold the text auth/ and the
-- services produced (the store never parses them). Tables are STRICT so a wrong type is an error.
-- This file is compiled into the binary and applied once, inside a transaction the runner opens
-- (so it holds no BEGIN/COMMIT of its own), then recorded in schema_migrations. Never edit it
-- after release: add 0002_*.sql instead.

CREATE TABLE meta (
  key   TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE users (
  id              TEXT NOT NULL PRIMARY KEY,
  email           TEXT NOT NULL,
  first_name      TEXT,
  last_name       TEXT,
  telephone       TEXT,
  country         TEXT,
  zipcode         TEXT,
  global_key_hash TEXT NOT NULL,
  password_hash   TEXT NOT NULL,
  created_on      INTEGER NOT NULL,
  modified_on     INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE accounts (
  id            TEXT NOT NULL PRIMARY KEY,
  name          TEXT NOT NULL,
  hash          TEXT NOT NULL,
  type          TEXT NOT NULL,
  settings_json TEXT NOT NULL,
  created_on    INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX accounts_hash ON accounts (hash);

CREATE TABLE memberships (
  id         TEXT NOT NULL PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users (id),
  account_id TEXT NOT NULL REFERENCES accounts (id),
  status     TEXT NOT NULL,
  roles_json TEXT NOT NULL,
  created_on INTEGER NOT NULL
) STRICT;
-- Serves listMembershipsOfUser in its order (created_on, id).
CREATE INDEX memberships_user ON memberships (user_id, created_on, id);
CREATE INDEX memberships_account ON memberships (account_id);

-- owner_id is a user id or an account id (owner_kind says which), so it has no foreign key.
CREATE TABLE tokens (
  id             TEXT NOT NULL PRIMARY KEY,
  owner_kind     TEXT NOT NULL,
  owner_id       TEXT NOT NULL,
  name           TEXT NOT NULL,
  status         TEXT NOT NULL,
  issued_on      INTEGER NOT NULL,
  modified_on    INTEGER NOT NULL,
  last_used_on   INTEGER,
  not_before     INTEGER,
  expires_on     INTEGER,
  policies_json  TEXT NOT NULL,
  condition_json TEXT NOT NULL,
  secret_hash    TEXT NOT NULL,
  created_by     TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX tokens_secret_hash ON tokens (secret_hash);
-- Serves listTokens in its order (issued_on, id).
CREATE INDEX tokens_owner ON tokens (owner_kind, owner_id, issued_on, id);

CREATE TABLE zones (
  id                TEXT NOT NULL PRIMARY KEY,
  account_id        TEXT NOT NULL REFERENCES accounts (id),
  name              TEXT NOT NULL,
  status            TEXT NOT NULL,
  type              TEXT NOT NULL,
  paused            INTEGER NOT NULL,
  development_mode  INTEGER NOT NULL,
  name_servers_json TEXT NOT NULL,
  activated_on      INTEGER,
  created_on        INTEGER NOT NULL,
  modified_on       INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX zones_name ON zones (name);
-- Serves listZones in its order (name).
CREATE INDEX zones_account ON zones (account_id, name);
