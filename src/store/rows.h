// Row types: what the store keeps, with no Cloudflare JSON shapes and no behaviour.
//
// Times are microseconds since the Unix epoch (UTC). Optional columns are std::optional.
// Policies and conditions are stored as the JSON text auth/ produced; the store never parses them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace nubis::store {

struct UserRow {
  std::string id;  // 32 hex
  std::string email;
  std::optional<std::string> first_name, last_name, telephone, country, zipcode;
  std::string global_key_hash;  // HMAC-SHA-256 hex of the Global API Key (never the key)
  std::string password_hash;    // argon2id encoded string for the dashboard
  int64_t created_on = 0;
  int64_t modified_on = 0;
};

struct AccountRow {
  std::string id;    // 32 hex
  std::string name;  // <= 100
  std::string hash;  // Images account hash, 22 base64url chars, unique
  std::string type = "standard";
  std::string settings_json = "{}";  // {"enforce_twofactor":false,...}
  int64_t created_on = 0;
};

// A user's membership of an account. An invite is a membership that is not yet accepted; it may
// name an e-mail that has no user yet (user_id empty until a user with that e-mail is created,
// who then claims it). One membership per (account, e-mail).
struct MembershipRow {
  std::string id;       // 32 hex; also the invite's id
  std::string user_id;  // "" while the invited e-mail has no user
  std::string email;    // lower case: the invited e-mail, or the member's
  std::string account_id;
  std::string status;  // accepted | pending | rejected
  std::string roles_json = "[]";  // role names: ["Administrator"]
  std::string invited_by;         // inviter's e-mail; "" when the member created the account
  std::optional<int64_t> expires_on;  // invites: after it a pending invite reads "expired"
  int64_t created_on = 0;             // also the invite's invited_on
};

struct TokenRow {
  std::string id;          // 32 hex
  std::string owner_kind;  // "user" | "account"
  std::string owner_id;    // user id or account id
  std::string name;
  std::string status;  // active | disabled (expired is derived from expires_on)
  int64_t issued_on = 0;
  int64_t modified_on = 0;
  std::optional<int64_t> last_used_on;
  std::optional<int64_t> not_before;
  std::optional<int64_t> expires_on;
  std::string policies_json = "[]";
  std::string condition_json;  // "" = no condition
  std::string secret_hash;     // HMAC-SHA-256 hex of the secret; unique
  std::string created_by;      // user id that created it (for account tokens' creator email)
};

struct ZoneRow {
  std::string id;  // 32 hex
  std::string account_id;
  std::string name;    // lower-case FQDN, unique
  std::string status;  // initializing | pending | active | moved
  std::string type;    // full | partial | secondary
  bool paused = false;
  int64_t development_mode = 0;
  std::string name_servers_json = "[]";
  std::optional<int64_t> activated_on;
  int64_t created_on = 0;
  int64_t modified_on = 0;
};

// A zone setting a client has set (zones/zone_settings.h has the defaults of the others).
struct ZoneSettingRow {
  std::string zone_id;
  std::string id;          // "always_use_https", ...
  std::string value_json;  // the value as JSON text
  int64_t modified_on = 0;
};

// ---- DNS records (API-SURFACE.md §4.7)

// One record of a zone. Content types (A, AAAA, CNAME, MX, NS, PTR, TXT) keep their value in
// `content`; data types (SRV, CAA, ...) keep their fields in data_json and `content` is derived
// from them. `priority` is MX's and URI's, or the data's priority (SRV, HTTPS, SVCB).
struct DnsRecordRow {
  std::string id;       // 32 hex
  std::string zone_id;
  std::string type;     // upper case: "A", "MX", ...
  std::string name;     // lower-case FQDN inside the zone, without the trailing dot
  std::string content;  // canonical form (dns/record_types.h)
  std::string data_json = "{}";  // data types' fields; "{}" for content types
  std::optional<int64_t> priority;
  int64_t ttl = 1;      // 1 = automatic
  bool proxied = false;
  std::string comment;  // "" = none
  std::string tags_json = "[]";  // JSON array of "name:value" strings
  int64_t created_on = 0;
  int64_t modified_on = 0;
};

// ---- SSL/TLS certificate packs (API-SURFACE.md §4.8)

// A zone's certificate pack and its certificates. The certificates are kept as the JSON array
// the API returns (each with its PEM, which the API does not show): a pack's certificates are
// always read and written with it.
struct CertPackRow {
  std::string id;                  // UUID
  std::string zone_id;
  std::string type;                // universal | advanced
  std::string hosts_json = "[]";
  std::string status;              // pending_validation | active | ...
  int64_t validity_days = 90;
  std::string validation_method;   // txt | http | email
  std::string certificate_authority;
  bool cloudflare_branding = false;
  std::string primary_certificate;  // id of the first certificate
  std::string certificates_json = "[]";
  int64_t created_on = 0;
};

// ---- Cloudflare Images (IMAGES.md §A.1, A.3-A.5)

// One hosted image. The bytes live in the BlobStore under content_hash; several rows (of any
// account) may share one hash, so the bytes go only when countBlobRefs reaches 0.
struct ImageRow {
  std::string account_id, id;  // id: UUID or custom ID (<= 1024 bytes UTF-8, may contain '/')
  std::string filename;
  std::string content_hash;  // lowercase hex SHA-256 of the original ("" while draft)
  std::string format;        // "jpeg", "png", "gif", "webp", "svg", "avif", "heic" ("" while draft)
  int64_t size = 0;
  int width = 0, height = 0;
  int frames = 1;
  std::string meta_json = "{}";  // the metadata JSON object, as text
  std::optional<std::string> creator;
  bool require_signed = false;
  bool draft = false;         // direct creator upload not yet received
  int64_t draft_expires = 0;  // micros since epoch (draft only)
  int64_t uploaded = 0;       // micros since epoch
  int64_t seq = 0;            // assigned by the store on insert: strictly increasing per store
};

// A named variant; options_json is the variant's options object as the images module wrote it.
struct VariantRow {
  std::string account_id, name;
  std::string options_json;
  bool never_require_signed = false;
  int64_t created = 0, modified = 0;
};

// A URL-signing key. Unlike API token secrets these are kept in clear: they are HMAC keys that
// Cloudflare's API lists back with their values (GET /images/v1/keys), so a hash would not do.
struct SigningKeyRow {
  std::string account_id, name, value;
  int64_t created = 0;
};

// Account-wide Images switches (PATCH /images/v1/config); browser_ttl is in seconds.
struct ImagesConfigRow {
  std::string account_id;
  bool flexible_variants = false;
  int64_t browser_ttl = 172800;
};

}  // namespace nubis::store
