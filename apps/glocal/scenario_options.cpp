#include "scenario_options.hpp"

#include <fmt/format.h>

namespace glocal::cli {

Scenario load_with_overrides(const ScenarioOptions& options) {
  Scenario scenario = Scenario::load_file(options.path);
  scenario.set_all(options.assignments);  // together: keys valid only together (reach weights) may change at once
  if (options.seed) scenario.set("run.seed=" + *options.seed);
  if (options.replicates) scenario.set("run.replicates=" + std::to_string(*options.replicates));
  for (const auto& warning : scenario.warnings()) fmt::print(stderr, "warning: {}\n", warning);
  return scenario;
}

}  // namespace glocal::cli
