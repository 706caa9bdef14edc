// Helpers shared by the ImagesService files; not part of the folder's interface.
#pragma once

#include <boost/json/object.hpp>

#include "base/result.h"
#include "images/pipeline/pipeline.h"

namespace nubis::images {

// metadata: a JSON object of at most 1024 bytes (IMAGES.md A.2).
Status checkMetadata(const boost::json::object& meta);

// A pipeline refusal as the Images API's error (5455, 9422, 7011, 5400, 5443).
ApiError uploadError(const pipeline::Error& e);

// "jpeg" -> Format and back, as stored in ImageRow::format.
std::string_view formatName(pipeline::Format f);
pipeline::Format formatFromName(std::string_view name);

}  // namespace nubis::images
