// Page-based pagination shared by every list (API-SURFACE.md §1.3): `page`, `per_page`,
// `order`, `direction`; `result_info {page, per_page, count, total_count, total_pages}`.
// A page past the end is a success with an empty result (the SDK stops only on an empty page).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/query.h"
#include "base/result.h"

namespace nubis::api {

struct PageBounds {
  int64_t min_per_page = 5;
  int64_t max_per_page = 50;
  int64_t default_per_page = 20;
};

struct PageParams {
  int64_t page = 1;
  int64_t per_page = 20;
  bool desc = false;
  std::string order;  // "" when the client did not ask
};

// Validates page/per_page/direction/order. `orders` lists the accepted `order` values (empty:
// the parameter is refused).
Result<PageParams> parsePage(const Query& q, PageBounds bounds,
                             std::initializer_list<std::string_view> orders = {},
                             bool default_desc = false);

boost::json::object resultInfo(const PageParams& p, size_t count, size_t total);

// The slice of `items` for the page (empty past the end).
template <class T>
std::span<const T> pageSlice(const std::vector<T>& items, const PageParams& p) {
  uint64_t start = 0;
  // A page whose start does not fit in 64 bits is past the end of any list.
  if (__builtin_mul_overflow(static_cast<uint64_t>(p.page - 1), static_cast<uint64_t>(p.per_page), &start) ||
      start >= items.size()) {
    return {};
  }
  size_t n = std::min<uint64_t>(static_cast<uint64_t>(p.per_page), items.size() - start);
  return std::span<const T>(items.data() + start, n);
}

}  // namespace nubis::api
