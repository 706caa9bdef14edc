#include "api/pagination.h"

#include <charconv>

#include "api/errors.h"

namespace nubis::api {
namespace {

bool parseInt(std::string_view s, int64_t& out) {
  if (s.empty() || s.size() > 18) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

Result<PageParams> parsePage(const Query& q, PageBounds b,
                             std::initializer_list<std::string_view> orders, bool default_desc) {
  PageParams p;
  p.per_page = b.default_per_page;
  p.desc = default_desc;
  if (auto v = q.get("page")) {
    if (!parseInt(*v, p.page) || p.page < 1)
      return invalid("page must be an integer of at least 1");
  }
  if (auto v = q.get("per_page")) {
    if (!parseInt(*v, p.per_page) || p.per_page < b.min_per_page || p.per_page > b.max_per_page)
      return invalid("per_page must be an integer between " + std::to_string(b.min_per_page) +
                     " and " + std::to_string(b.max_per_page));
  }
  if (auto v = q.get("direction")) {
    std::string d(*v);
    for (auto& c : d) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (d == "asc") {
      p.desc = false;
    } else if (d == "desc") {
      p.desc = true;
    } else {
      return invalid("direction must be asc or desc");
    }
  }
  if (auto v = q.get("order")) {
    bool ok = false;
    for (auto o : orders)
      if (*v == o) ok = true;
    if (!ok) {
      std::string allowed;
      for (auto o : orders) allowed += (allowed.empty() ? "" : ", ") + std::string(o);
      return invalid(allowed.empty() ? "order is not supported on this list"
                                     : "order must be one of: " + allowed);
    }
    p.order = std::string(*v);
  }
  return p;
}

boost::json::object resultInfo(const PageParams& p, size_t count, size_t total) {
  int64_t pages = static_cast<int64_t>((total + static_cast<size_t>(p.per_page) - 1) /
                                       static_cast<size_t>(p.per_page));
  return boost::json::object{{"page", p.page},
                             {"per_page", p.per_page},
                             {"count", count},
                             {"total_count", total},
                             {"total_pages", pages}};
}

}  // namespace nubis::api
