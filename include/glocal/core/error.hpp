#pragma once
// The three tiers of failure (see docs/architecture.md):
//  1. bad user input -> a typed exception from this file, thrown at load time, before any output;
//  2. expected outcomes (a run that hits its tick limit) -> return values, recorded in results;
//  3. bugs -> GLOCAL_ASSERT, on in debug builds and in release builds with GLOCAL_ASSERTIONS.
// The library never prints, exits or aborts on user error; the CLI decides what to show.
#include <stdexcept>
#include <string>

namespace glocal {

/// Where in a scenario a value came from. line == 0 means "not from a file line" (a default, or
/// a command-line override, named by file).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  [[nodiscard]] std::string str() const;
};

/// Base of every error glocal reports to a user.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A scenario that cannot be used: unreadable file, malformed TOML, unknown key, wrong type,
/// value out of range, inconsistent settings. what() is "file:line:column: key: message".
class ScenarioError : public Error {
 public:
  ScenarioError(SourceLocation where, std::string key, std::string message);

  [[nodiscard]] const SourceLocation& where() const noexcept { return where_; }
  [[nodiscard]] const std::string& key() const noexcept { return key_; }
  [[nodiscard]] const std::string& message() const noexcept { return message_; }

 private:
  SourceLocation where_;
  std::string key_;
  std::string message_;
};

/// An output folder or file that cannot be written.
class OutputError : public Error {
 public:
  using Error::Error;
};

namespace detail {
[[noreturn]] void assert_fail(const char* condition, const char* message, const char* file, int line) noexcept;
}

}  // namespace glocal

// Off in release builds unless GLOCAL_ASSERTIONS (cmake -DGLOCAL_ASSERTIONS=ON: make check-asserts,
// and the sanitizer tier) keeps them in an optimised build.
#if defined(NDEBUG) && !defined(GLOCAL_ASSERTIONS)
#define GLOCAL_ASSERT(cond, msg) ((void)0)
#else
#define GLOCAL_ASSERT(cond, msg) ((cond) ? (void)0 : ::glocal::detail::assert_fail(#cond, (msg), __FILE__, __LINE__))
#endif
