// glocal plot DIR: figures of a results folder, drawn by python/glocal_plot.py with Debian's
// matplotlib (/usr/bin/python3). Writes DIR/plots/*.png.
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "commands.hpp"

namespace glocal::cli {

namespace {

std::filesystem::path plot_script(const char* argv0) {
  if (const char* over = std::getenv("GLOCAL_PLOT_SCRIPT")) return over;
  // Next to the source tree the binary was built from, else next to an installed binary.
  const std::filesystem::path source = std::filesystem::path(GLOCAL_SOURCE_DIR) / "python" / "glocal_plot.py";
  if (std::filesystem::exists(source)) return source;
  std::error_code ec;
  const auto exe = std::filesystem::canonical("/proc/self/exe", ec);
  const auto beside = (ec ? std::filesystem::path(argv0) : exe).parent_path() / "../share/glocal/glocal_plot.py";
  return beside;
}

}  // namespace

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
    const std::string script = plot_script(argv0).string();
    if (!std::filesystem::exists(script)) {
      fmt::print(stderr, "error: plotting script not found at '{}' (set GLOCAL_PLOT_SCRIPT)\n", script);
      exit_status = output_failed;
      return;
    }
    const pid_t child = ::fork();
    if (child == 0) {
      ::execl("/usr/bin/python3", "python3", script.c_str(), folder->c_str(), static_cast<char*>(nullptr));
      std::_Exit(127);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    const bool ok_exit = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok_exit) fmt::print(stderr, "error: plotting failed (is python3-matplotlib installed? `make deps`)\n");
    exit_status = ok_exit ? ok : output_failed;
  });
}

}  // namespace glocal::cli
