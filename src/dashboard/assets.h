// The dashboard's files (src/dashboard/assets/), compiled into the binary by embed_assets.cmake:
// plain HTML, CSS and ES modules, no build tool, nothing fetched from outside the machine.
#pragma once

#include <span>
#include <string_view>

namespace nubis::dashboard {

struct Asset {
  std::string_view name;          // "app.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view body;
};

std::span<const Asset> embeddedAssets();
const Asset* findAsset(std::string_view name);

}  // namespace nubis::dashboard
