#include "api/router.h"

#include <cassert>

namespace nubis::api {

void Router::add(Route route) {
  std::string_view p = route.pattern;
  route.segments.clear();
  size_t pos = 1;
  while (pos <= p.size()) {
    size_t next = p.find('/', pos);
    if (next == std::string_view::npos) next = p.size();
    std::string_view seg = p.substr(pos, next - pos);
    Route::Segment s;
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      seg = seg.substr(1, seg.size() - 2);
      s.kind = Route::Segment::kParam;
      if (seg.back() == '*') {
        s.kind = Route::Segment::kRest;
        seg.remove_suffix(1);
      }
    }
    s.text = std::string(seg);
    if (!s.text.empty()) route.segments.push_back(std::move(s));
    pos = next + 1;
  }
  routes_.push_back(std::move(route));
}

namespace {

// Returns a specificity score (higher = more literal, earlier), or -1 when it does not match.
long scoreMatch(const Route& r, const std::vector<std::string>& segs,
                std::vector<std::pair<std::string, std::string>>* params) {
  long score = 0;
  size_t i = 0;
  for (size_t k = 0; k < r.segments.size(); ++k) {
    const auto& s = r.segments[k];
    if (s.kind == Route::Segment::kRest) {
      if (i >= segs.size()) return -1;
      std::string rest;
      for (size_t j = i; j < segs.size(); ++j) rest += (j == i ? "" : "/") + segs[j];
      if (params) params->emplace_back(s.text, std::move(rest));
      return score * 4;
    }
    if (i >= segs.size()) return -1;
    if (s.kind == Route::Segment::kLiteral) {
      if (segs[i] != s.text) return -1;
      score = score * 4 + 2;
    } else {
      if (segs[i].empty()) return -1;
      if (params) params->emplace_back(s.text, segs[i]);
      score = score * 4 + 1;
    }
    ++i;
  }
  return i == segs.size() ? score : -1;
}

}  // namespace

Router::Match Router::match(http::bhttp::verb method, const std::vector<std::string>& segs) const {
  Match m;
  long best = -1;
  for (const auto& r : routes_) {
    long s = scoreMatch(r, segs, nullptr);
    if (s < 0) continue;
    if (r.method != method) {
      m.other_method = true;
      std::string name(http::bhttp::to_string(r.method));
      if (m.allowed_methods.find(name) == std::string::npos)
        m.allowed_methods += (m.allowed_methods.empty() ? "" : ", ") + name;
      continue;
    }
    if (s > best) {
      best = s;
      m.route = &r;
    }
  }
  // HEAD is GET without the body (RFC 9110 §9.3.2): a path served by GET answers HEAD too, and
  // the transport drops the body.
  if (!m.route && method == http::bhttp::verb::head) {
    Match get = match(http::bhttp::verb::get, segs);
    if (get.route) return get;
  }
  if (m.route) scoreMatch(*m.route, segs, &m.params);
  return m;
}

}  // namespace nubis::api
