#include "auth/restrictions.h"

namespace nubis::auth {

bool cidrWithin(const Cidr& inner, const Cidr& outer) {
  return inner.network.family == outer.network.family && inner.prefix >= outer.prefix &&
         contains(outer, inner.network);
}

namespace {
bool restrictsIn(const std::optional<Condition>& c) { return c && c->in && !c->in->empty(); }
}  // namespace

bool conditionWithin(const std::optional<Condition>& requested,
                     const std::optional<Condition>& creator) {
  if (restrictsIn(creator)) {
    if (!restrictsIn(requested)) return false;
    for (const auto& r : *requested->in) {
      bool inside = false;
      for (const auto& c : *creator->in) inside = inside || cidrWithin(r, c);
      if (!inside) return false;
    }
  }
  if (creator && creator->not_in) {
    for (const auto& c : *creator->not_in) {
      bool kept = false;
      if (requested && requested->not_in)
        for (const auto& r : *requested->not_in) kept = kept || cidrWithin(c, r);
      if (!kept) return false;
    }
  }
  return true;
}

bool expiryWithin(std::optional<int64_t> requested, std::optional<int64_t> creator) {
  if (!creator) return true;
  return requested && *requested <= *creator;
}

}  // namespace nubis::auth
