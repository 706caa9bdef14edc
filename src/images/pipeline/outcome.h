// Outcome<T>: what the pipeline returns, a value or an Error saying which limit or defect refused
// the image. The pipeline knows no HTTP and no Cloudflare codes: the Images layer maps Failure to
// its 5xxx/9xxx errors (src/images/upload.cc, delivery.cc).
//
// Plain values: safe to move between threads.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace nubis::images::pipeline {

enum class Failure {
  kUnsupportedFormat,  // not JPEG/PNG/GIF/WebP/SVG/AVIF/HEIC by its magic bytes, or undecodable
                       // type
  kCorrupt,            // the type is known but the bytes do not decode (truncated, damaged)
  kTooLarge,           // probe: over Limits::max_bytes; render: output enlarged past 5000 px
  kTooManyPixels,      // a side over Limits::max_side, the area over Limits::max_area, or a
                       // decode larger than the whole decode budget
  kAnimationTooLarge,  // frames x area over Limits::max_animation_area, or too many frames
  kNotRenderable,      // SVG (served sanitised, never rasterised)
  kBusy,               // the decode budget (memory_budget.h) stayed taken for its wait; retry
  kInternal,           // libvips or an encoder failed on an image that had passed probe()
};

std::string_view failureName(Failure f);

// `message` is for people: it names the limit or value ("height 14000 px is over the 12000 px
// limit"). Callers may show it; it never carries file paths or memory addresses.
struct Error {
  Failure kind = Failure::kInternal;
  std::string message;
};

template <class T>
class [[nodiscard]] Outcome {
 public:
  Outcome(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Outcome(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

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
  T&& operator*() && { return std::move(*this).value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

inline Error fail(Failure kind, std::string message) { return Error{kind, std::move(message)}; }

}  // namespace nubis::images::pipeline
