#pragma once
// The subcommands of the glocal tool, one file each. Each registers its options on the CLI11 app
// and returns the exit status through the callback's result.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <string>
#include <vector>

#include "glocal/core/error.hpp"

namespace glocal::cli {

/// Exit statuses: 0 success, 1 some runs failed (outputs written), 2 bad input,
/// 3 output could not be written, 4 an unexpected error (a message, never an abort), 130 interrupted.
enum Exit : int { ok = 0, runs_failed = 1, bad_input = 2, output_failed = 3, unexpected = 4, interrupted = 130 };

/// Runs a subcommand's body and turns the user's errors into a message and an exit status: a bad
/// scenario, key or file is bad_input, an output that cannot be written is output_failed.
/// Anything else reaches main(), which prints it and exits with `unexpected`.
template <typename Body>
int exit_status_of(Body&& body) {
  try {
    return body();
  } catch (const ScenarioError& error) {
    fmt::print(stderr, "error: {}\n", error.what());
    return bad_input;
  } catch (const OutputError& error) {
    fmt::print(stderr, "error: {}\n", error.what());
    return output_failed;
  }
}

/// `command_line` is the invocation as typed, recorded in manifest.json.
void add_run(CLI::App& app, int& exit_status, std::vector<std::string> command_line);
void add_check(CLI::App& app, int& exit_status);
void add_describe(CLI::App& app, int& exit_status);
void add_plot(CLI::App& app, int& exit_status, const char* argv0);
void add_study(CLI::App& app, int& exit_status, std::vector<std::string> command_line);
void add_merge(CLI::App& app, int& exit_status, std::vector<std::string> command_line);
void add_design(CLI::App& app, int& exit_status);
void add_analyze(CLI::App& app, int& exit_status);
void add_calibrate(CLI::App& app, int& exit_status, std::vector<std::string> command_line);
/// `glocal serve` (serve/cmd_serve.cpp): in the glocal program only, which adds it with
/// add_program_command (it links the web server and the dashboard's files).
void add_serve(CLI::App& app, int& exit_status);

using CommandAdder = void (*)(CLI::App& app, int& exit_status);
/// A command that run_command_line offers besides the library's own; call before it.
void add_program_command(CommandAdder adder);

}  // namespace glocal::cli
