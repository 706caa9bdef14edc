// The images table's column list and its row <-> statement mapping, shared by the
// SqliteImageStore method files.
//
// Not thread-safe on their own: callers hold the store's mutex.
#pragma once

#include <string_view>

#include "store/rows.h"
#include "store/sqlite/connection.h"

namespace nubis::store::sqlite {

constexpr std::string_view kImageColumns =
    "seq, account_id, id, filename, content_hash, format, size, width, height, frames,"
    " meta_json, creator, require_signed, draft, draft_expires, uploaded";

inline ImageRow readImage(const Statement& s) {
  ImageRow r;
  r.seq = s.int64(0);
  r.account_id = s.text(1);
  r.id = s.text(2);
  r.filename = s.text(3);
  r.content_hash = s.text(4);
  r.format = s.text(5);
  r.size = s.int64(6);
  r.width = static_cast<int>(s.int64(7));
  r.height = static_cast<int>(s.int64(8));
  r.frames = static_cast<int>(s.int64(9));
  r.meta_json = s.text(10);
  r.creator = s.optText(11);
  r.require_signed = s.int64(12) != 0;
  r.draft = s.int64(13) != 0;
  r.draft_expires = s.int64(14);
  r.uploaded = s.int64(15);
  return r;
}

// Binds ?1..?16 in kImageColumns order (?1 = row.seq; insert and completeDraft rebind it).
inline void bindImage(Statement& s, const ImageRow& r) {
  s.bind(1, r.seq).bind(2, r.account_id).bind(3, r.id).bind(4, r.filename);
  s.bind(5, r.content_hash).bind(6, r.format).bind(7, r.size);
  s.bind(8, int64_t{r.width}).bind(9, int64_t{r.height}).bind(10, int64_t{r.frames});
  s.bind(11, r.meta_json).bind(12, r.creator);
  s.bind(13, int64_t{r.require_signed ? 1 : 0}).bind(14, int64_t{r.draft ? 1 : 0});
  s.bind(15, r.draft_expires).bind(16, r.uploaded);
}

}  // namespace nubis::store::sqlite
