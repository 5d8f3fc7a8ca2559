#pragma once
// Loading a scenario with the command-line overrides shared by `run` and `check`.
#include <optional>
#include <string>
#include <vector>

#include "glocal/model/scenario.hpp"

namespace glocal::cli {

struct ScenarioOptions {
  std::string path;
  std::vector<std::string> assignments;  ///< --set key=value
  std::optional<std::string> seed;       ///< as typed: the scenario checks its range (no silent clamping)
  std::optional<std::int64_t> replicates;
};

/// Loads the file, applies --set, --seed and --replicates (in that order), prints warnings.
/// Throws ScenarioError.
[[nodiscard]] Scenario load_with_overrides(const ScenarioOptions& options);

}  // namespace glocal::cli
