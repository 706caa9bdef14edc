// multipart/form-data (RFC 7578 over RFC 2046): the body of an image upload and of a direct
// creator upload. An incremental parser whose memory is bounded by its limits, plus a one-call
// helper for bodies already in memory.
//
// Strictness, decided once here:
//  - Line ends are CRLF only. RFC 2046 and 7578 require them and every client we serve sends
//    them (curl, browsers, Node's undici FormData and the form-data package, Go, Python
//    requests). A bare LF is not accepted as a line end: in a binary part a "\n--boundary"
//    would be ambiguous with a CRLF whose CR belongs to the data, so the delimiter is always
//    "\r\n--boundary", and a header line or delimiter line ending in a bare LF is refused with
//    "line ends must be CRLF".
//  - The first delimiter may open the body or follow a preamble ("...\r\n--boundary"); whatever
//    follows the close delimiter (the epilogue) is ignored. The boundary text inside data is
//    only data unless it is preceded by CRLF "--"; "\r\n--boundary" followed by anything but
//    "--" or optional spaces/tabs and CRLF is refused (RFC 2046 forbids it inside a part).
//  - Each part needs `Content-Disposition: form-data; name=...`. Parameters are tokens or
//    quoted strings, in which only \" and \\ are escapes (browsers send "C:\x" unescaped, so a
//    backslash before anything else is kept). `filename*=UTF-8''...` / `ISO-8859-1'...'`
//    (RFC 5987) wins over `filename=`; `name*=` likewise. A parameter given twice is refused:
//    two parsers picking different copies is how upload filters get bypassed.
//  - Other part headers are ignored except Content-Type, kept verbatim (trimmed); it is empty
//    when the part sent none (RFC 7578 would default it to text/plain; the caller sniffs).
//  - Obsolete folded header lines (leading space/tab) and header lines without ':' are refused.
//  - Duplicate field names are all kept, in order: the caller decides.
//
// Thread-safety: a MultipartParser is used by one thread at a time; formBoundary and parseForm
// are pure.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace nubis::api {

struct MultipartLimits {
  size_t max_parts = 64;
  // A part's header section, CRLFs included.
  size_t max_part_header_bytes = 8 * 1024;
  // A part without filename (a plain field such as `metadata` or `url`).
  size_t max_field_bytes = 64 * 1024;
  // A part with filename; the caller maps overflow (fileTooLarge()) to 413/7011.
  size_t max_file_bytes = 10 * 1024 * 1024;
};

struct FormPart {
  std::string name;
  std::optional<std::string> filename;  // present (maybe empty) when the part had one
  std::string content_type;             // empty when the part sent none
  std::string data;
};

// The boundary of a `multipart/form-data; boundary=...` Content-Type (quoted or not; RFC 2046:
// 1..70 bchars, not ending in a space). Error when the type is not multipart/form-data, the
// boundary is missing, given twice, or malformed.
Result<std::string> formBoundary(std::string_view content_type);

// Incremental parser: feed() any split of the body, then finish(). Memory stays bounded by the
// limits: the parts so far, plus at most one feed slice and a delimiter-length lookbehind of
// the part being read. After the first error every call returns that error again.
class MultipartParser {
 public:
  explicit MultipartParser(std::string boundary, MultipartLimits limits = {});

  // Error: malformed body, too many parts, header section or part too large (the message
  // names the field). An error drops the parts read so far.
  Status feed(std::string_view bytes);
  // Error when the close delimiter never came, or the body had no parts.
  Status finish();
  // The body's length when the caller knows it (Content-Length): a file part reserves up to
  // that much (within max_file_bytes) when it starts, instead of growing by doubling, which
  // copies a 5 MB upload about twice more.
  void expectBodyBytes(size_t n) { body_bytes_ = n; }

  // The parts read so far; empty after an error.
  std::vector<FormPart>& parts() { return parts_; }
  // The failure was a file (a part with filename) over max_file_bytes: the caller answers 413.
  bool fileTooLarge() const { return file_too_large_; }

 private:
  enum class State { kPreamble, kAfterDelimiter, kHeaders, kBody, kEpilogue, kFailed };

  Status drain();
  Status fail(std::string what);
  Status emitData(size_t n);
  Status afterDelimiter(bool& progress);
  Status headerLine(bool& progress);
  Status endOfHeaders();

  std::string delimiter_;  // "\r\n--" + boundary
  MultipartLimits limits_;
  State state_ = State::kPreamble;
  // Bytes received but not yet consumed: in kPreamble/kBody at most one feed slice plus the
  // lookbehind, in kHeaders at most the header limit.
  std::string pending_;
  size_t header_bytes_ = 0;  // of the current part's header section
  size_t padding_ = 0;       // spaces/tabs seen after the current delimiter
  bool saw_disposition_ = false;
  bool saw_type_ = false;
  std::vector<FormPart> parts_;
  size_t body_bytes_ = 0;
  std::optional<ApiError> error_;
  bool file_too_large_ = false;
};

// formBoundary + MultipartParser over a whole body.
Result<std::vector<FormPart>> parseForm(std::string_view content_type, std::string_view body,
                                        const MultipartLimits& limits = {});

}  // namespace nubis::api
