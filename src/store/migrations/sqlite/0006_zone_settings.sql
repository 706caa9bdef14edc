-- 0006_zone_settings: the zone settings a client has set (ZoneSettingRow in src/store/rows.h).
-- Settings never set are not stored: their defaults live in src/zones/zone_settings.cc.
CREATE TABLE zone_settings (
  zone_id     TEXT NOT NULL REFERENCES zones (id) ON DELETE CASCADE,
  id          TEXT NOT NULL,
  value_json  TEXT NOT NULL CHECK (json_valid(value_json)),
  modified_on INTEGER NOT NULL,
  PRIMARY KEY (zone_id, id)
) STRICT, WITHOUT ROWID;
