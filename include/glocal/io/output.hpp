#pragma once
// Run outputs: one folder per invocation, written atomically.
//
// Everything is written into a sibling folder "<out>.partial" and renamed to <out> only when
// complete, so a failed or interrupted invocation never leaves a folder that looks finished.
// Finished runs go to a journal (glocal/io/journal.hpp) as they finish; the tables are written
// from it at the end, in run-id order, so they are byte-identical however the batch was run
// (threads, interruptions and resumes, shards merged).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "glocal/io/journal.hpp"
#include "glocal/model/scenario.hpp"
#include "glocal/run/simulation.hpp"

namespace glocal {

/// A folder that appears at its final path only on commit().
///
/// Everything is written into the staging folder "<out>.partial" beside it. A batch that is
/// interrupted keeps its staging folder (keep()) so that `glocal run --resume <out>` can complete
/// it; a staging folder is never mistaken for results (its manifest says "complete": false).
class AtomicDirectory {
 public:
  enum class Mode {
    create,  ///< a new folder: refuses an existing staging folder that holds an interrupted run
    resume,  ///< go on with the interrupted run in the existing staging folder
  };
  /// Checks that `final_path` is absent (or an empty folder), takes the lock "<final>.lock" (one
  /// writer per folder; a lock left by a process that is gone is taken over) and creates (or,
  /// resuming, finds) the staging folder. A trailing slash is ignored. Throws OutputError.
  explicit AtomicDirectory(const std::filesystem::path& final_path, Mode mode = Mode::create);
  /// Removes the staging folder unless committed or kept.
  ~AtomicDirectory();
  AtomicDirectory(const AtomicDirectory&) = delete;
  AtomicDirectory& operator=(const AtomicDirectory&) = delete;

  [[nodiscard]] const std::filesystem::path& staging() const noexcept { return staging_; }
  [[nodiscard]] const std::filesystem::path& final_path() const noexcept { return final_; }
  /// Renames the staging folder to the final path. Throws OutputError.
  void commit();
  /// Leaves the staging folder in place (an interrupted batch, to be resumed).
  void keep() noexcept { kept_ = true; }

 private:
  void prepare_staging(const std::filesystem::path& staging, Mode mode);

  std::filesystem::path final_;
  std::filesystem::path staging_;
  std::filesystem::path lock_;  ///< "<out>.lock", holding the writer's process id
  bool committed_ = false;
  bool kept_ = false;
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

/// One of n parts of a batch: the runs whose id is `index` modulo `count` (`--shard index/count`).
struct Shard {
  std::uint64_t index = 0;
  std::uint64_t count = 1;
  [[nodiscard]] bool contains(std::uint64_t run_id) const noexcept { return run_id % count == index; }
  [[nodiscard]] bool whole() const noexcept { return count == 1; }
  /// Parses "i/n" (0 <= i < n). Throws std::invalid_argument with a message for the user.
  [[nodiscard]] static Shard parse(const std::string& text);
};

/// The runs of a batch, visited in run-id order (from memory or from run journals on disk).
class RunSource {
 public:
  virtual ~RunSource() = default;
  [[nodiscard]] virtual std::uint64_t size() const = 0;
  /// Calls `visit` on each run in run-id order; the reference lives until the next call.
  virtual void for_each(const std::function<void(const RunResult&)>& visit) const = 0;
};

/// Runs held in memory, already in run-id order.
class RunsInMemory final : public RunSource {
 public:
  explicit RunsInMemory(const std::vector<RunResult>& runs) : runs_(&runs) {}
  [[nodiscard]] std::uint64_t size() const override { return runs_->size(); }
  void for_each(const std::function<void(const RunResult&)>& visit) const override;

 private:
  const std::vector<RunResult>* runs_;
};

/// Runs read from one or more journals (a batch, or the shards of one), in run-id order.
class JournalRuns final : public RunSource {
 public:
  /// Adds every good record of the journal. Throws OutputError if a run id is already present.
  void add(const std::filesystem::path& journal);
  [[nodiscard]] std::uint64_t size() const override { return index_.size(); }
  void for_each(const std::function<void(const RunResult&)>& visit) const override;
  /// True when the runs are exactly ids 0 .. total-1.
  [[nodiscard]] bool covers(std::uint64_t total) const;

 private:
  struct Entry {
    std::uint64_t run_id;
    std::size_t journal;
    std::uint64_t offset;
    std::uint64_t size;
  };
  std::vector<std::unique_ptr<JournalReader>> readers_;
  std::vector<Entry> index_;  ///< sorted by run id
};

/// Final metrics of one point's ok runs (sums, so points summarize in one pass).
struct PointSummary {
  std::uint64_t ok_runs = 0;
  std::uint64_t absorbed = 0;
  std::vector<double> sum;
  std::vector<double> sum_sq;
  [[nodiscard]] double mean(std::size_t metric) const;
  [[nodiscard]] double sd(std::size_t metric) const;  ///< sample standard deviation (0 for one run)
};

/// What a results folder holds, summed in run-id order (the same whatever the thread count).
struct ResultsSummary {
  std::uint64_t runs = 0;
  std::uint64_t failed = 0;
  PointSummary all;
  std::vector<PointSummary> points;
  std::vector<std::pair<std::uint64_t, std::string>> failures;  ///< run id and error of each failed run
};

/// The manifest's record of how the folder came to be, beyond one invocation.
struct ManifestState {
  bool complete = false;
  Shard shard;
  std::uint64_t runs = 0;  ///< runs the folder holds (complete) or will hold
  std::uint64_t runs_failed = 0;
  /// Earlier invocations when the folder was resumed or merged: each a JSON object text.
  std::vector<std::string> history;
};

/// Writes a whole file atomically: `path`.tmp, then renamed over `path`, so a reader sees the
/// old file or the new one, never half of one. Throws OutputError.
void write_file_atomically(const std::filesystem::path& path, std::string_view text);

/// Writes manifest.json (atomically: a temporary file renamed). Throws OutputError.
void write_manifest(const std::filesystem::path& folder, const Scenario& scenario, const Invocation& invocation,
                    const ManifestState& state);

/// What a folder's manifest.json says, read back (to resume a batch or merge shards).
struct ManifestRecord {
  Scenario scenario;  ///< the scenario text with its overrides applied, as it was run
  bool complete = false;
  Shard shard;
  std::uint64_t runs = 0;
  std::string command_line;  ///< JSON array text
  std::string invocation;    ///< {"command_line", "started_at", "finished_at", "threads", "wall_seconds"}, JSON object text
  std::vector<std::string> history;
};
/// Reads `folder`/manifest.json. Throws OutputError (missing, malformed, not glocal's) or
/// ScenarioError (its scenario no longer loads, e.g. with a glocal that renamed a key).
[[nodiscard]] ManifestRecord read_manifest(const std::filesystem::path& folder);

/// Writes runs.csv, model.csv, outcomes.csv, places.csv (when recorded) and results.sqlite into
/// `folder`, streaming the runs once (memory does not grow with the number of rows), and returns
/// their summary. Does not write the manifest. Throws OutputError.
ResultsSummary write_tables(const std::filesystem::path& folder, const Scenario& scenario, const RunSource& runs);

/// write_tables and a complete manifest, for runs held in memory. Throws OutputError.
void write_results(const std::filesystem::path& folder, const Scenario& scenario, const std::vector<RunResult>& runs,
                   const Invocation& invocation);

/// The current UTC time as ISO 8601 ("2026-11-28T17:06:54Z").
[[nodiscard]] std::string utc_now_iso8601();
/// glocal's version and the git commit it was built from.
[[nodiscard]] const char* glocal_version() noexcept;
[[nodiscard]] const char* glocal_git_commit() noexcept;

}  // namespace glocal
