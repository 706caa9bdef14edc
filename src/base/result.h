// Result<T>: a value or an ApiError, the way errors travel between modules.
//
// Services return Result<T>; only api/ turns the ApiError into wire bytes. There are no
// exceptions across module boundaries: throwing libraries are caught at their adapter.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "base/api_error.h"

namespace nubis {

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design
  Result(ApiError error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const ApiError& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  ApiError&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, ApiError> v_;
};

// Result<void> spelled as a type: success carries nothing.
struct Ok {};
using Status = Result<Ok>;

}  // namespace nubis
