#include "glocal/core/error.hpp"

#include <cstdio>
#include <cstdlib>

namespace glocal {

std::string SourceLocation::str() const {
  if (file.empty()) return "<scenario>";
  if (line <= 0) return file;
  if (column <= 0) return file + ":" + std::to_string(line);  // the line is known, the column not
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

static std::string compose(const SourceLocation& where, const std::string& key, const std::string& message) {
  std::string text = where.str() + ": ";
  if (!key.empty()) text += "'" + key + "': ";
  return text + message;
}

ScenarioError::ScenarioError(SourceLocation where, std::string key, std::string message)
    : Error(compose(where, key, message)), where_(std::move(where)), key_(std::move(key)), message_(std::move(message)) {}

namespace detail {
void assert_fail(const char* condition, const char* message, const char* file, int line) noexcept {
  // A bug, not a user error: the only place the library writes to stderr.
  std::fprintf(stderr, "glocal: internal error at %s:%d: %s (%s)\n", file, line, message, condition);
  std::abort();
}
}  // namespace detail

}  // namespace glocal
