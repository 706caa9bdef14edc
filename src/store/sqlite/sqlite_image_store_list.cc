// SqliteImageStore: listImages (the SQL is built in image_list_query.cc).
#include <type_traits>
#include <utility>
#include <variant>

#include "store/sqlite/connection.h"
#include "store/sqlite/image_columns.h"
#include "store/sqlite/image_list_query.h"
#include "store/sqlite/sqlite_image_store.h"

namespace nubis::store::sqlite {

Result<std::vector<ImageRow>> SqliteImageStore::listImages(const ImageQuery& q) {
  if (q.limit <= 0) return std::vector<ImageRow>{};
  auto built = buildImageListSql(q, kImageColumns);
  if (!built) return std::move(built).error();
  std::lock_guard lock(mu_);
  // Without meta filters the SQL has a handful of shapes, worth caching; with them the shapes
  // multiply (ops x types x count), so those statements are prepared for this call only.
  auto stmt = q.meta.empty() ? conn_.prepare(built->sql, "listImages")
                             : conn_.prepareUncached(built->sql, "listImages");
  if (!stmt) return std::move(stmt).error();
  for (size_t i = 0; i < built->params.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    std::visit(
        [&](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::monostate>) {
            stmt->bindNull(index);
          } else {
            stmt->bind(index, v);
          }
        },
        built->params[i]);
  }
  std::vector<ImageRow> rows;
  for (;;) {
    int rc = stmt->step();
    if (rc == SQLITE_DONE) return rows;
    if (rc != SQLITE_ROW) return conn_.error("listImages", rc);
    rows.push_back(readImage(*stmt));
  }
}

}  // namespace nubis::store::sqlite
