-- 0003_dns: DNS records of zones (see src/store/dns_store.h and rows.h).
--
-- Conventions as in 0001_initial.sql (STRICT tables, INTEGER micros, no BEGIN/COMMIT here).
-- A zone's records go with it (ON DELETE CASCADE).
CREATE TABLE dns_records (
  id          TEXT NOT NULL PRIMARY KEY,
  zone_id     TEXT NOT NULL REFERENCES zones (id) ON DELETE CASCADE,
  type        TEXT NOT NULL,
  name        TEXT NOT NULL,
  content     TEXT NOT NULL,
  priority    INTEGER,
  ttl         INTEGER NOT NULL,
  proxied     INTEGER NOT NULL,
  comment     TEXT NOT NULL,
  tags_json   TEXT NOT NULL CHECK (json_valid(tags_json)),
  created_on  INTEGER NOT NULL,
  modified_on INTEGER NOT NULL
) STRICT;
-- The default list order (type, then id) and the conflict lookups by name.
CREATE INDEX dns_records_zone_type ON dns_records (zone_id, type, id);
CREATE INDEX dns_records_zone_name ON dns_records (zone_id, name, id);
