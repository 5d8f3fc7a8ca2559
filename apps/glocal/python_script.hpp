#pragma once
// The Python figure scripts (python/*.py, Debian's matplotlib through /usr/bin/python3), found
// next to the source tree the binary was built from or beside an installed binary, and run on a
// results folder.
#include <filesystem>

namespace glocal::cli {

/// The script `name` (e.g. "glocal_plot.py"); `override_variable`, when set in the environment,
/// names it instead.
[[nodiscard]] std::filesystem::path python_script(const char* name, const char* override_variable, const char* argv0);
/// Runs `/usr/bin/python3 script folder`; true when it exited with status 0.
[[nodiscard]] bool run_python(const std::filesystem::path& script, const std::filesystem::path& folder);

}  // namespace glocal::cli
