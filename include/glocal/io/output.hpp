#pragma once
// Run outputs: one folder per invocation, written atomically.
//
// Everything is written into a sibling folder "<out>.partial-<pid>" and renamed to <out> only
// when complete, so a failed or interrupted invocation never leaves a folder that looks finished.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "glocal/model/scenario.hpp"
#include "glocal/run/simulation.hpp"

namespace glocal {

/// A folder that appears at its final path only on commit().
class AtomicDirectory {
 public:
  /// Checks that `final_path` is absent (or an empty folder), takes the lock "<final>.lock" (one
  /// writer per folder; a lock left by a process that is gone is taken over) and creates the
  /// staging folder. A trailing slash is ignored. Throws OutputError.
  explicit AtomicDirectory(std::filesystem::path final_path);
  /// Removes the staging folder unless committed.
  ~AtomicDirectory();
  AtomicDirectory(const AtomicDirectory&) = delete;
  AtomicDirectory& operator=(const AtomicDirectory&) = delete;

  [[nodiscard]] const std::filesystem::path& staging() const noexcept { return staging_; }
  [[nodiscard]] const std::filesystem::path& final_path() const noexcept { return final_; }
  /// Renames the staging folder to the final path. Throws OutputError.
  void commit();

 private:
  std::filesystem::path final_;
  std::filesystem::path staging_;
  std::filesystem::path lock_;  ///< "<out>.lock", holding the writer's process id
  bool committed_ = false;
  bool locked_ = false;
};

/// Facts about one invocation, for manifest.json.
struct Invocation {
  std::vector<std::string> command_line;
  std::string started_at;   ///< ISO 8601, UTC
  std::string finished_at;  ///< ISO 8601, UTC
  unsigned threads = 1;
  double wall_seconds = 0.0;
};

/// Writes manifest.json, runs.csv, model.csv, outcomes.csv and results.sqlite into `folder`.
/// Throws OutputError.
void write_results(const std::filesystem::path& folder, const Scenario& scenario,
                   const std::vector<RunResult>& runs, const Invocation& invocation);

/// The current UTC time as ISO 8601 ("2026-11-28T17:06:54Z").
[[nodiscard]] std::string utc_now_iso8601();
/// glocal's version and the git commit it was built from.
[[nodiscard]] const char* glocal_version() noexcept;
[[nodiscard]] const char* glocal_git_commit() noexcept;

}  // namespace glocal
