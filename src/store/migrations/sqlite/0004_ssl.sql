-- 0004_ssl: certificate packs of zones (see src/store/ssl_store.h and rows.h).
--
-- Conventions as in 0001_initial.sql. A zone's packs go with it (ON DELETE CASCADE).
CREATE TABLE certificate_packs (
  id                    TEXT NOT NULL PRIMARY KEY,
  zone_id               TEXT NOT NULL REFERENCES zones (id) ON DELETE CASCADE,
  type                  TEXT NOT NULL,
  hosts_json            TEXT NOT NULL CHECK (json_valid(hosts_json)),
  status                TEXT NOT NULL,
  validity_days         INTEGER NOT NULL,
  validation_method     TEXT NOT NULL,
  certificate_authority TEXT NOT NULL,
  cloudflare_branding   INTEGER NOT NULL,
  primary_certificate   TEXT NOT NULL,
  certificates_json     TEXT NOT NULL CHECK (json_valid(certificates_json)),
  created_on            INTEGER NOT NULL
) STRICT;
CREATE INDEX certificate_packs_zone ON certificate_packs (zone_id, created_on, id);
