// Custom image IDs (IMAGES.md A.5): what `id` may be on upload and direct upload.
#pragma once

#include <string>
#include <string_view>

namespace nubis::images {

// Empty when `id` is acceptable, else the reason Cloudflare's 5411 message ends with.
std::string customIdProblem(std::string_view id);

// Whether `id` has the shape of a UUID (8-4-4-4-12 hex): such IDs are reserved for generated ones.
bool isUuid(std::string_view id);

}  // namespace nubis::images
