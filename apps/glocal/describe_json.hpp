#pragma once
// A scenario key as `glocal describe --json` gives it (also the dashboard's levers).
#include <nlohmann/json.hpp>

#include "glocal/model/parameter.hpp"

namespace glocal::cli {

/// {"key", "type", "default", "min", "max", "choices", "accepted", "unit", "description",
/// "schedulable", "applies_when"}; bounds and choices only where the key has them.
[[nodiscard]] nlohmann::ordered_json parameter_json(const ParamSpec& p);

}  // namespace glocal::cli
