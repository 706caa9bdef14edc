// Certificates made at test time with OpenSSL for the https fetch tests: a CA and a server
// certificate it signs, for the names and addresses asked. Nothing on disk, nothing fixed in
// the repository (fixtures would expire).
#pragma once

#include <string>
#include <vector>

namespace nubis::images {

struct TestPki {
  std::string ca_pem;          // what the client trusts (FetchPolicy::extra_ca_pem)
  std::string server_cert_pem;
  std::string server_key_pem;
};

// `alt_names` as in subjectAltName: "DNS:origin.test", "IP:127.0.0.1". Throws on failure.
TestPki makeTestPki(const std::vector<std::string>& alt_names);

}  // namespace nubis::images
