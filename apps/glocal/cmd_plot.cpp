// glocal plot DIR: figures of a results folder, drawn by python/glocal_plot.py with Debian's
// matplotlib (/usr/bin/python3). Writes DIR/plots/*.png.
#include <fmt/format.h>

#include <filesystem>

#include "commands.hpp"
#include "python_script.hpp"

namespace glocal::cli {

void add_plot(CLI::App& app, int& exit_status, const char* argv0) {
  auto folder = std::make_shared<std::string>();
  auto* command = app.add_subcommand("plot", "Draw PNG figures of a results folder (time series and outcome distributions)");
  command->add_option("results", *folder, "A folder written by `glocal run`")->required();
  command->callback([=, &exit_status] {
    if (!std::filesystem::exists(std::filesystem::path(*folder) / "model.csv")) {
      fmt::print(stderr, "error: '{}' is not a results folder (no model.csv)\n", *folder);
      exit_status = bad_input;
      return;
    }
    const auto script = python_script("glocal_plot.py", "GLOCAL_PLOT_SCRIPT", argv0);
    if (!std::filesystem::exists(script)) {
      fmt::print(stderr, "error: plotting script not found at '{}' (set GLOCAL_PLOT_SCRIPT)\n", script.string());
      exit_status = output_failed;
      return;
    }
    const bool ok_exit = run_python(script, *folder);
    if (!ok_exit) fmt::print(stderr, "error: no figures drawn (the plotting script said why, above)\n");
    exit_status = ok_exit ? ok : output_failed;
  });
}

}  // namespace glocal::cli
