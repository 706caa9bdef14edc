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
  data_json   TEXT NOT NULL CHECK (json_valid(data_json)),
  priority    INTEGER,
  ttl         INTEGER NOT NULL,
  proxied     INTEGER NOT NULL,
  comment     TEXT NOT NULL,
  tags_json   TEXT NOT NULL CHECK (json_valid(tags_json)),
  created_on  INTEGER NOT NULL,
  modified_on INTEGER NOT NULL
) STRICT;
-- One index per list order (then id), so that a page is an index walk to its offset and never a
-- sort of the zone: page 1,000 of 100,000 records costs ~10 ms by any order, where a sort costs
-- 125-380 ms. dns_records_zone_name also serves the conflict lookups and name filters.
CREATE INDEX dns_records_zone_type ON dns_records (zone_id, type, id);
CREATE INDEX dns_records_zone_name ON dns_records (zone_id, name, id);
CREATE INDEX dns_records_zone_content ON dns_records (zone_id, content, id);
CREATE INDEX dns_records_zone_ttl ON dns_records (zone_id, ttl, id);
CREATE INDEX dns_records_zone_proxied ON dns_records (zone_id, proxied, id);
