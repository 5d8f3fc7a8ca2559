#include "python_script.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <system_error>

namespace glocal::cli {

std::filesystem::path python_script(const char* name, const char* override_variable, const char* argv0) {
  if (const char* over = std::getenv(override_variable)) return over;
  std::filesystem::path source = std::filesystem::path(GLOCAL_SOURCE_DIR) / "python" / name;
  if (std::filesystem::exists(source)) return source;
  std::error_code ec;
  const auto exe = std::filesystem::canonical("/proc/self/exe", ec);
  return (ec ? std::filesystem::path(argv0) : exe).parent_path() / "../share/glocal" / name;
}

bool run_python(const std::filesystem::path& script, const std::filesystem::path& folder) {
  if (!std::filesystem::exists(script)) return false;
  const pid_t child = ::fork();
  if (child == 0) {
    ::execl("/usr/bin/python3", "python3", script.c_str(), folder.c_str(), static_cast<char*>(nullptr));
    std::_Exit(127);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace glocal::cli
