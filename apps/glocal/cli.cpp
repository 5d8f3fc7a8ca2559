// The glocal command line (glocal/cli.hpp). See `glocal --help`.
#include <fmt/format.h>

#include "glocal/cli.hpp"

#include "commands.hpp"
#include "glocal/core/allocator.hpp"
#include "glocal/io/output.hpp"

namespace {
std::vector<glocal::cli::CommandAdder>& program_commands() {
  static std::vector<glocal::cli::CommandAdder> adders;
  return adders;
}
}  // namespace

void glocal::cli::add_program_command(CommandAdder adder) { program_commands().push_back(adder); }

int glocal::run_command_line(int argc, char** argv) {
  glocal::keep_freed_memory();
  CLI::App app{"glocal: a simulator of glocalization (global and local forces acting on culture, economy, governance and ecology)"};
  app.set_version_flag("--version", std::string("glocal ") + glocal::glocal_version() + " (" + glocal::glocal_git_commit() + ")");
  app.require_subcommand(1);
  int exit_status = glocal::cli::ok;
  glocal::cli::add_run(app, exit_status, std::vector<std::string>(argv, argv + argc));
  glocal::cli::add_merge(app, exit_status, std::vector<std::string>(argv, argv + argc));
  glocal::cli::add_design(app, exit_status);
  glocal::cli::add_analyze(app, exit_status);
  glocal::cli::add_check(app, exit_status);
  glocal::cli::add_describe(app, exit_status);
  glocal::cli::add_plot(app, exit_status, argv[0]);
  glocal::cli::add_study(app, exit_status, std::vector<std::string>(argv, argv + argc));
  glocal::cli::add_calibrate(app, exit_status, std::vector<std::string>(argv, argv + argc));
  for (const auto adder : program_commands()) adder(app, exit_status);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int status = app.exit(error);
    return status == 0 ? 0 : glocal::cli::bad_input;
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "error: out of memory\n");
    return glocal::cli::unexpected;
  } catch (const std::exception& error) {  // never an abort: a message and a defined status
    fmt::print(stderr, "error: {}\n", error.what());
    return glocal::cli::unexpected;
  }
  return exit_status;
}
