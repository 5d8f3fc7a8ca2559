#pragma once
// What a scenario may say: the engine's keys (run.*, world.*, scenario.*) and the processes of a
// registry, with their keys, metrics and checks. A Scenario is read against one schema and knows
// nothing of processes beyond the one it is handed: by default the program's (every built-in
// process, then those it registered; process_registry()), or any other a test or an embedding
// program builds.
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "glocal/model/parameter.hpp"
#include "glocal/model/process.hpp"

namespace glocal {

class Schema {
 public:
  /// The engine's keys, then each process's, in the order given (the order they run within a
  /// tick). Throws std::logic_error when two declarations share a key or two processes a name.
  explicit Schema(std::vector<ProcessInfo> processes);
  Schema(const Schema&) = delete;  // its index points into its own declarations
  Schema& operator=(const Schema&) = delete;

  [[nodiscard]] const std::vector<ProcessInfo>& processes() const noexcept { return processes_; }
  /// Every key: the engine's, then each process's.
  [[nodiscard]] const std::vector<ParamSpec>& parameters() const noexcept { return parameters_; }
  /// The declaration of a key, or nullptr.
  [[nodiscard]] const ParamSpec* parameter(std::string_view key) const;
  /// The process of this name (also the table that enables it), or nullptr.
  [[nodiscard]] const ProcessInfo* process(std::string_view name) const;
  /// Every table some key lives under ("world", "world.lattice", "culture", ...).
  [[nodiscard]] const std::set<std::string, std::less<>>& tables() const noexcept { return tables_; }

 private:
  std::vector<ProcessInfo> processes_;
  std::vector<ParamSpec> parameters_;
  std::unordered_map<std::string_view, const ParamSpec*> index_;  ///< looked up for every key of every point
  std::set<std::string, std::less<>> tables_;
};

/// The program's schema: the engine's keys and process_registry() (which it closes).
[[nodiscard]] const Schema& default_schema();

}  // namespace glocal
