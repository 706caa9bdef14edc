// Fuzz target dns_record_body (issue 5): a JSON record body's values through the type table
// the DNS service validates with (record_types.h): content canonicalisation for content types,
// data objects for data types, and record names through qualifiedName. Traps when a value is
// accepted but its canonical form is not accepted again unchanged (canonical forms must be
// fixed points), or a name is qualified outside the zone.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "dns/dns_service.h"
#include "dns/record_types.h"

namespace {

void checkType(const nubis::dns::RecordType& t, const boost::json::object& body) {
  std::string why;
  if (t.data.empty()) {
    const boost::json::value* c = body.if_contains("content");
    if (c == nullptr || !c->is_string()) return;
    auto once = t.canonical(c->as_string(), why);
    if (!once) return;
    auto twice = t.canonical(*once, why);
    if (!twice || *twice != *once) __builtin_trap();
    return;
  }
  const boost::json::value* d = body.if_contains("data");
  if (d == nullptr || !d->is_object()) return;
  boost::json::object canonical;
  auto once = nubis::dns::dataContent(t, d->as_object(), canonical, why);
  if (!once) return;
  boost::json::object again;
  auto twice = nubis::dns::dataContent(t, canonical, again, why);
  if (!twice || *twice != *once || boost::json::serialize(again) != boost::json::serialize(canonical)) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  boost::system::error_code ec;
  boost::json::value v =
      boost::json::parse(std::string_view(reinterpret_cast<const char*>(data), size), ec);
  if (ec || !v.is_object()) return 0;
  const boost::json::object& body = v.as_object();
  if (const boost::json::value* n = body.if_contains("name"); n && n->is_string()) {
    if (auto q = nubis::dns::qualifiedName(n->as_string(), "example.com")) {
      if (*q != "example.com" && !q->ends_with(".example.com")) __builtin_trap();
    }
  }
  for (const char* type : {"A", "AAAA", "CNAME", "MX", "NS", "PTR", "TXT", "OPENPGPKEY", "SRV",
                           "CAA", "URI", "TLSA", "SSHFP", "DS", "DNSKEY", "CERT", "HTTPS", "NAPTR",
                           "LOC"}) {
    checkType(*nubis::dns::recordType(type), body);
  }
  return 0;
}
