// glocal check SCENARIO: validate a scenario and say what it would run; writes nothing.
#include <fmt/format.h>

#include "commands.hpp"
#include "glocal/run/memory.hpp"
#include "glocal/run/simulation.hpp"
#include "scenario_options.hpp"

namespace glocal::cli {

void add_check(CLI::App& app, int& exit_status) {
  auto options = std::make_shared<ScenarioOptions>();
  auto* command = app.add_subcommand("check", "Validate a scenario file (and --set overrides) without running it");
  command->add_option("scenario", options->path, "Scenario file (TOML)")->required();
  command->add_option("--set", options->assignments, "Override a key: --set culture.traits=15 (repeatable)");
  command->callback([options, &exit_status] {
    try {
      const Scenario scenario = load_with_overrides(*options);
      const unsigned threads = available_threads();
      require_memory(scenario, threads);  // a scenario that cannot fit does not pass
      std::string processes;
      for (const auto& p : scenario.processes()) processes += (processes.empty() ? "" : ", ") + p;
      std::string metrics;
      for (const auto& m : metric_columns(scenario)) metrics += (metrics.empty() ? "" : ", ") + m.name;
      fmt::print("{}: ok\n  name: {}\n  processes: {}\n  network: {}\n  replicates: {}, seed: {}, stop: {}, ticks: {}\n  metrics: {}\n",
                 scenario.source_name(), scenario.name(), processes, scenario.text("world.network.kind"),
                 scenario.integer("run.replicates"), scenario.integer("run.seed"), scenario.text("run.stop"), scenario.integer("run.ticks"),
                 metrics);
      fmt::print("  memory on {} thread{}: {}; this machine has {}\n", threads, threads == 1 ? "" : "s",
                 describe(estimate_memory(scenario, threads)), format_bytes(usable_memory_bytes()));
      exit_status = ok;
    } catch (const ScenarioError& error) {
      fmt::print(stderr, "error: {}\n", error.what());
      exit_status = bad_input;
    }
  });
}

}  // namespace glocal::cli
