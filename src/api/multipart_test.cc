// multipart/form-data: formBoundary, and the incremental parser run over a table of bodies. Every
// body is fed whole, byte by byte and in random splits, and all runs must agree.
#include "api/multipart.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace nubis::api {

bool operator==(const FormPart& a, const FormPart& b) {
  return a.name == b.name && a.filename == b.filename && a.content_type == b.content_type &&
         a.data == b.data;
}

void PrintTo(const FormPart& p, std::ostream* os) {
  *os << "{name=" << p.name << " filename=" << (p.filename ? *p.filename : "<none>")
      << " type=" << p.content_type << " data(" << p.data.size() << ")=" << p.data.substr(0, 40)
      << "}";
}

namespace {

constexpr const char* kB = "AaB03x";  // RFC 7578's example boundary

std::string cd(const std::string& params) { return "Content-Disposition: form-data; " + params; }

// One part: delimiter line, header lines, blank line, data (the CRLF before the next delimiter
// belongs to the delimiter).
std::string part(const std::vector<std::string>& headers, const std::string& data) {
  std::string out = std::string("--") + kB + "\r\n";
  for (const std::string& h : headers) out += h + "\r\n";
  return out + "\r\n" + data + "\r\n";
}
std::string field(const std::string& name, const std::string& data) {
  return part({cd("name=\"" + name + "\"")}, data);
}
std::string close() { return std::string("--") + kB + "--\r\n"; }

FormPart fp(std::string name, std::string data, std::optional<std::string> filename = {},
            std::string type = "") {
  return FormPart{std::move(name), std::move(filename), std::move(type), std::move(data)};
}

struct Outcome {
  bool ok = false;
  std::string error;
  bool file_too_large = false;
  std::vector<FormPart> parts;
};

// Feeds `body` in the pieces `split` chooses, then finishes.
template <class Split>
Outcome run(const std::string& body, const MultipartLimits& limits, Split split) {
  MultipartParser parser(kB, limits);
  Outcome out;
  Status s = Ok{};
  size_t pos = 0;
  while (s && pos < body.size()) {
    size_t n = std::min(split(body.size() - pos), body.size() - pos);
    s = parser.feed(std::string_view(body).substr(pos, n));
    pos += n;
  }
  if (s) s = parser.finish();
  out.ok = s.ok();
  if (!s) {
    out.error = s.error().message;
    EXPECT_EQ(s.error().code, 5400);
  }
  out.file_too_large = parser.fileTooLarge();
  out.parts = parser.parts();
  return out;
}

struct Case {
  const char* name;
  std::string body;
  std::vector<FormPart> parts;  // on success
  std::string error;            // expected message (after the row's prefix); "" = success
  MultipartLimits limits = {};
  bool file_too_large = false;
};

std::string manyFields(int n) {
  std::string body;
  for (int i = 0; i < n; ++i) body += field("f" + std::to_string(i), std::to_string(i));
  return body + close();
}
std::vector<FormPart> manyParts(int n) {
  std::vector<FormPart> out;
  for (int i = 0; i < n; ++i) out.push_back(fp("f" + std::to_string(i), std::to_string(i)));
  return out;
}

MultipartLimits small() {
  MultipartLimits l;
  l.max_part_header_bytes = 64;
  l.max_field_bytes = 10;
  l.max_file_bytes = 20;
  return l;
}

std::vector<Case> cases() {
  const std::string D = std::string("--") + kB;
  const std::string bin("\0\r\n\xff\r\r\n\n-", 10);
  const std::string big(200 * 1024 + 7, 'x');
  return {
      {"one field", field("id", "abc") + close(), {fp("id", "abc")}, ""},
      {"two fields", field("a", "1") + field("b", "2") + close(), {fp("a", "1"), fp("b", "2")}, ""},
      {"file with type",
       part({cd("name=\"file\"; filename=\"cat.jpg\""), "Content-Type: image/jpeg"}, "JPEG") +
           close(),
       {fp("file", "JPEG", "cat.jpg", "image/jpeg")},
       ""},
      {"preamble ignored",
       "This is a preamble.\r\n" + field("a", "1") + close(),
       {fp("a", "1")},
       ""},
      {"preamble with boundary text not after CRLF",
       "xx" + D + "\r\n" + field("a", "1") + close(),
       {fp("a", "1")},
       ""},
      {"epilogue ignored",
       field("a", "1") + close() + "epilogue " + field("b", "2") + close(),
       {fp("a", "1")},
       ""},
      {"close without final CRLF", field("a", "1") + D + "--", {fp("a", "1")}, ""},
      {"transport padding",
       D + " \t \r\n" + cd("name=a") + "\r\n\r\nv\r\n" + D + "--",
       {fp("a", "v")},
       ""},
      {"empty part data", field("a", "") + close(), {fp("a", "")}, ""},
      {"no Content-Type",
       part({cd("name=f; filename=x.png")}, "P") + close(),
       {fp("f", "P", "x.png", "")},
       ""},
      {"escaped quote in name", part({cd(R"(name="a\"b")")}, "v") + close(), {fp("a\"b", "v")}, ""},
      {"literal backslashes in filename",
       part({cd(R"(name=f; filename="C:\pics\cat.jpg")")}, "v") + close(),
       {fp("f", "v", R"(C:\pics\cat.jpg)")},
       ""},
      {"escaped backslash",
       part({cd(R"(name=f; filename="a\\b")")}, "v") + close(),
       {fp("f", "v", R"(a\b)")},
       ""},
      {"filename* wins (after)",
       part({cd("name=f; filename=\"rates.jpg\"; filename*=UTF-8''%E2%82%AC%20rates.jpg")}, "v") +
           close(),
       {fp("f", "v", "\xE2\x82\xAC rates.jpg")},
       ""},
      {"filename* wins (before)",
       part({cd("name=f; filename*=utf-8'en'a%2Fb.jpg; filename=\"x.jpg\"")}, "v") + close(),
       {fp("f", "v", "a/b.jpg")},
       ""},
      {"filename* ISO-8859-1",
       part({cd("name=f; filename*=ISO-8859-1''caf%E9.jpg")}, "v") + close(),
       {fp("f", "v", "caf\xC3\xA9.jpg")},
       ""},
      {"name* decoded",
       part({cd("name*=UTF-8''m%C3%A9ta")}, "v") + close(),
       {fp("m\xC3\xA9ta", "v")},
       ""},
      {"case-insensitive headers",
       part({"CONTENT-DISPOSITION: Form-Data; NAME=\"x\"; FileName=\"y\"",
             "content-TYPE:  text/plain  "},
            "v") +
           close(),
       {fp("x", "v", "y", "text/plain")},
       ""},
      {"empty filename kept",
       part({cd("name=file; filename=\"\"")}, "") + close(),
       {fp("file", "", "")},
       ""},
      {"duplicate names kept",
       field("a", "1") + field("a", "2") + close(),
       {fp("a", "1"), fp("a", "2")},
       ""},
      {"boundary text inside data",
       field("a", kB + std::string("--") + kB + "\r\n-" + D) + close(),
       {fp("a", std::string(kB) + "--" + kB + "\r\n-" + D)},
       ""},
      {"partial delimiter inside data",
       field("a", "x\r\n--AaB03\r\n--AaB0") + close(),
       {fp("a", "x\r\n--AaB03\r\n--AaB0")},
       ""},
      {"binary data", part({cd("name=f; filename=b")}, bin) + close(), {fp("f", bin, "b")}, ""},
      {"data ending in CRLF", field("a", "line\r\n") + close(), {fp("a", "line\r\n")}, ""},
      {"other headers ignored",
       part({"X-Custom: 1", cd("name=a"), "Content-Transfer-Encoding: binary"}, "v") + close(),
       {fp("a", "v")},
       ""},
      {"trailing semicolon", part({cd("name=a;")}, "v") + close(), {fp("a", "v")}, ""},
      {"big file over several slices",
       part({cd("name=f; filename=big")}, big) + close(),
       {fp("f", big, "big")},
       ""},
      {"64 parts", manyFields(64), manyParts(64), ""},
      {"65 parts", manyFields(65), {}, "more than 64 parts"},
      {"1000 parts", manyFields(1000), {}, "more than 64 parts"},
      {"no parts", close(), {}, "no parts"},
      {"empty body", "", {}, "no parts: the boundary never appears in the body"},
      {"wrong boundary",
       "--other\r\n" + cd("name=a") + "\r\n\r\nv\r\n--other--",
       {},
       "no parts: the boundary never appears in the body"},
      {"unterminated in data",
       field("a", "1") + D + "\r\n" + cd("name=b") + "\r\n\r\npartial",
       {},
       "unterminated body: the close delimiter --AaB03x-- never came"},
      {"unterminated after delimiter line",
       field("a", "1") + D + "\r\n",
       {},
       "unterminated body: the close delimiter --AaB03x-- never came"},
      {"unterminated in headers",
       D + "\r\n" + cd("name=a"),
       {},
       "unterminated body: the close delimiter --AaB03x-- never came"},
      {"header line without colon",
       part({cd("name=a"), "NoColonHere"}, "v") + close(),
       {},
       "part header line without ':'"},
      {"header section over limit",
       part({cd("name=a"), "X-Pad: " + std::string(60, 'p')}, "v") + close(),
       {},
       "the headers of part 1 exceed 64 bytes",
       small()},
      // 40 + 22 + the blank line's 2 = 64 bytes: exactly the limit, then one over.
      {"header section at limit",
       part({cd("name=a"), "X-P: " + std::string(15, 'p')}, "v") + close(),
       {fp("a", "v")},
       "",
       small()},
      {"header section one over",
       part({cd("name=a"), "X-P: " + std::string(16, 'p')}, "v") + close(),
       {},
       "the headers of part 1 exceed 64 bytes",
       small()},
      {"field at limit",
       field("a", std::string(10, 'v')) + close(),
       {fp("a", std::string(10, 'v'))},
       "",
       small()},
      {"field over limit",
       field("meta", std::string(11, 'v')) + close(),
       {},
       "field \"meta\" is larger than 10 bytes",
       small()},
      {"file over limit",
       part({cd("name=file; filename=a.jpg")}, std::string(21, 'v')) + close(),
       {},
       "file \"file\" is larger than 20 bytes",
       small(),
       true},
      {"file at limit",
       part({cd("name=file; filename=a.jpg")}, std::string(20, 'v')) + close(),
       {fp("file", std::string(20, 'v'), "a.jpg")},
       "",
       small()},
      {"no Content-Disposition",
       part({"Content-Type: text/plain"}, "v") + close(),
       {},
       "part 1 has no Content-Disposition"},
      {"no headers at all", part({}, "v") + close(), {}, "part 1 has no Content-Disposition"},
      {"not form-data",
       part({"Content-Disposition: attachment; name=a"}, "v") + close(),
       {},
       "Content-Disposition must be form-data"},
      {"missing name", part({cd("filename=a.jpg")}, "v") + close(), {}, "part without a name"},
      {"empty name", part({cd("name=\"\"")}, "v") + close(), {}, "part without a name"},
      {"duplicate name parameter",
       part({cd("name=a; name=b")}, "v") + close(),
       {},
       "Content-Disposition: parameter \"name\" given twice"},
      {"duplicate Content-Disposition",
       part({cd("name=a"), cd("name=b")}, "v") + close(),
       {},
       "Content-Disposition given twice in one part"},
      {"duplicate Content-Type",
       part({cd("name=a"), "Content-Type: a/b", "Content-Type: c/d"}, "v") + close(),
       {},
       "Content-Type given twice in one part"},
      {"bare LF everywhere",
       D + "\n" + cd("name=a") + "\n\nv\n" + D + "--\n",
       {},
       "line ends must be CRLF"},
      {"bare LF in a header line",
       D + "\r\n" + cd("name=a") + "\n\r\nv\r\n" + close(),
       {},
       "line ends must be CRLF"},
      {"CR without LF after delimiter", D + "\rX", {}, "line ends must be CRLF"},
      {"boundary followed by garbage",
       field("a", "1") + D + "ZZ\r\n",
       {},
       "the boundary is followed by unexpected bytes"},
      {"single dash after boundary",
       field("a", "1") + D + "-x",
       {},
       "the boundary is followed by unexpected bytes"},
      {"padding before close",
       field("a", "1") + D + "  --",
       {},
       "the boundary is followed by unexpected bytes"},
      {"folded header",
       part({cd("name=a"), " folded"}, "v") + close(),
       {},
       "folded header lines are not supported"},
      {"unterminated quote",
       part({cd("name=\"a")}, "v") + close(),
       {},
       "Content-Disposition: unterminated quoted string"},
      {"bad RFC 5987 hex",
       part({cd("name=a; filename*=UTF-8''%G1")}, "v") + close(),
       {},
       "Content-Disposition: malformed filename* (RFC 5987)"},
      {"truncated RFC 5987 escape",
       part({cd("name=a; filename*=UTF-8''ab%4")}, "v") + close(),
       {},
       "Content-Disposition: malformed filename* (RFC 5987)"},
      {"unsupported charset",
       part({cd("name=a; filename*=Shift_JIS''a")}, "v") + close(),
       {},
       "Content-Disposition: malformed filename* (RFC 5987)"},
      {"control character",
       part({cd("name=a"), std::string("X-A: b\x01")}, "v") + close(),
       {},
       "control character in a part header"},
      {"space in header name",
       part({cd("name=a"), "X A: b"}, "v") + close(),
       {},
       "malformed part header name"},
      {"malformed parameter",
       part({cd("name")}, "v") + close(),
       {},
       "Content-Disposition: malformed parameter"},
  };
}

// Split strategies: whole, byte by byte, and random pieces from a few seeds.
TEST(Multipart, TableAgreesOnEverySplit) {
  const std::vector<Case> all = cases();
  ASSERT_GE(all.size(), 40u);
  for (const Case& c : all) {
    SCOPED_TRACE(c.name);
    Outcome whole = run(c.body, c.limits, [](size_t left) { return left; });
    if (c.error.empty()) {
      EXPECT_TRUE(whole.ok) << whole.error;
      EXPECT_EQ(whole.parts, c.parts);
    } else {
      EXPECT_FALSE(whole.ok);
      EXPECT_EQ(whole.error, "Malformed multipart/form-data: " + c.error);
      EXPECT_TRUE(whole.parts.empty());
    }
    EXPECT_EQ(whole.file_too_large, c.file_too_large);

    std::vector<Outcome> others;
    others.push_back(run(c.body, c.limits, [](size_t) { return size_t{1}; }));
    for (unsigned seed = 1; seed <= 6; ++seed) {
      std::mt19937 rng(seed);
      // Small pieces find the lookbehind bugs; larger ones cross the 64 KiB slices.
      size_t max_piece = seed % 2 == 0 ? 12 : 100000;
      others.push_back(run(c.body, c.limits, [&](size_t) {
        return std::uniform_int_distribution<size_t>(0, max_piece)(rng);
      }));
    }
    for (const Outcome& o : others) {
      EXPECT_EQ(o.ok, whole.ok);
      EXPECT_EQ(o.error, whole.error);
      EXPECT_EQ(o.file_too_large, whole.file_too_large);
      EXPECT_EQ(o.parts, whole.parts);
    }
  }
}

TEST(Multipart, ErrorIsSticky) {
  MultipartParser parser(kB);
  std::string bad = std::string("--") + kB + "\r\nNoColon\r\n";
  Status first = parser.feed(bad);
  ASSERT_FALSE(first.ok());
  Status again = parser.feed(field("a", "1") + close());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, first.error().message);
  Status end = parser.finish();
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(end.error().message, first.error().message);
}

TEST(Multipart, EmptyFeedsChangeNothing) {
  MultipartParser parser(kB);
  ASSERT_TRUE(parser.feed("").ok());
  ASSERT_TRUE(parser.feed(field("a", "1")).ok());
  ASSERT_TRUE(parser.feed("").ok());
  ASSERT_TRUE(parser.feed(close()).ok());
  ASSERT_TRUE(parser.finish().ok());
  ASSERT_EQ(parser.parts().size(), 1u);
  EXPECT_EQ(parser.parts()[0].data, "1");
}

TEST(FormBoundary, AcceptsValidContentTypes) {
  const std::string b70(70, 'b');
  struct Row {
    std::string content_type;
    std::string boundary;
  };
  const Row rows[] = {
      {"multipart/form-data; boundary=AaB03x", "AaB03x"},
      {"multipart/form-data;boundary=AaB03x", "AaB03x"},
      {"Multipart/Form-Data; BOUNDARY=x", "x"},
      {"multipart/form-data; boundary=\"a b:c=d?\"", "a b:c=d?"},
      {"multipart/form-data; charset=utf-8; boundary=xyz", "xyz"},
      {"multipart/form-data; boundary=xyz; charset=utf-8", "xyz"},
      {"multipart/form-data; boundary=------------------------d74496d66958873e",
       "------------------------d74496d66958873e"},  // curl
      {"multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
       "----WebKitFormBoundary7MA4YWxkTrZu0gW"},  // browsers
      {"multipart/form-data; boundary=formdata-undici-0123456789",
       "formdata-undici-0123456789"},  // Node fetch
      {"multipart/form-data; boundary=" + b70, b70},
  };
  for (const Row& r : rows) {
    Result<std::string> got = formBoundary(r.content_type);
    ASSERT_TRUE(got.ok()) << r.content_type << ": " << got.error().message;
    EXPECT_EQ(*got, r.boundary);
  }
}

TEST(FormBoundary, RefusesBadContentTypes) {
  struct Row {
    std::string content_type;
    std::string error;
  };
  const Row rows[] = {
      {"application/json", "Content-Type must be multipart/form-data"},
      {"multipart/mixed; boundary=x", "Content-Type must be multipart/form-data"},
      {"", "Content-Type must be multipart/form-data"},
      {"multipart/form-data", "Content-Type has no boundary"},
      {"multipart/form-data; charset=utf-8", "Content-Type has no boundary"},
      {"multipart/form-data; boundary=\"\"", "the boundary must be 1 to 70 characters"},
      {"multipart/form-data; boundary=" + std::string(71, 'b'),
       "the boundary must be 1 to 70 characters"},
      {"multipart/form-data; boundary=\"ab \"",
       "the boundary has characters RFC 2046 does not allow"},
      {"multipart/form-data; boundary=a@b", "the boundary has characters RFC 2046 does not allow"},
      {"multipart/form-data; boundary=a; boundary=b",
       "Content-Type: parameter \"boundary\" given twice"},
      {"multipart/form-data; boundary", "Content-Type: malformed parameter"},
      {"multipart/form-data; boundary=", "Content-Type: malformed value of parameter \"boundary\""},
      {"multipart/form-data; boundary=\"abc", "Content-Type: unterminated quoted string"},
  };
  for (const Row& r : rows) {
    Result<std::string> got = formBoundary(r.content_type);
    ASSERT_FALSE(got.ok()) << r.content_type;
    EXPECT_EQ(got.error().message, "Malformed multipart/form-data: " + r.error) << r.content_type;
    EXPECT_EQ(got.error().http_status, 400);
  }
}

TEST(ParseForm, ParsesWholeBodies) {
  auto parts =
      parseForm(std::string("multipart/form-data; boundary=") + kB,
                field("url", "http://example.com/a.png") + field("metadata", "{}") + close());
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0], fp("url", "http://example.com/a.png"));
  EXPECT_EQ((*parts)[1], fp("metadata", "{}"));
}

TEST(ParseForm, ReportsContentTypeAndBodyErrors) {
  auto bad_type = parseForm("text/plain", field("a", "1") + close());
  ASSERT_FALSE(bad_type.ok());
  EXPECT_EQ(bad_type.error().message,
            "Malformed multipart/form-data: Content-Type must be multipart/form-data");
  auto unterminated =
      parseForm(std::string("multipart/form-data; boundary=") + kB, field("a", "1"));
  ASSERT_FALSE(unterminated.ok());
  EXPECT_EQ(unterminated.error().code, 5400);
}

}  // namespace
}  // namespace nubis::api
