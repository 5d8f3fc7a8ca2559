// glocal merge --out OUT SHARD...: the results folder of a batch run as shards (glocal run
// --shard i/n), byte-identical to the folder of the same batch run at once.
#include <fmt/format.h>

#include <chrono>

#include "batch_summary.hpp"
#include "commands.hpp"
#include "glocal/io/output.hpp"

namespace glocal::cli {

namespace {

int merge_command(const std::vector<std::string>& shards, const std::string& out, const std::vector<std::string>& command_line) {
  const auto start = std::chrono::steady_clock::now();
  Invocation invocation;
  invocation.command_line = command_line;
  invocation.started_at = utc_now_iso8601();
  std::vector<ManifestRecord> records;
  for (const auto& folder : shards) records.push_back(read_manifest(folder));
  if (records.empty()) throw OutputError("name the shard folders to merge");
  const ManifestRecord& first = records[0];
  const std::uint64_t count = first.shard.count;
  std::vector<std::string> seen(count);
  ManifestState state;
  for (std::size_t k = 0; k < records.size(); ++k) {
    const ManifestRecord& r = records[k];
    const std::string& name = shards[k];
    if (!r.complete) throw OutputError("'" + name + "' is an interrupted shard: complete it with glocal run --resume first");
    if (r.shard.whole()) throw OutputError("'" + name + "' is not a shard (it was not run with --shard i/n)");
    if (r.shard.count != count) {
      throw OutputError(fmt::format("'{}' is shard {}/{}, but '{}' is of {} shards", name, r.shard.index, r.shard.count, shards[0], count));
    }
    if (r.scenario.source_text() != first.scenario.source_text() || r.scenario.overrides() != first.scenario.overrides() ||
        r.scenario.point_table().rows != first.scenario.point_table().rows ||
        r.scenario.point_table().keys != first.scenario.point_table().keys) {
      throw OutputError("'" + name + "' ran another scenario or other overrides than '" + shards[0] + "': not shards of one batch");
    }
    if (!seen[r.shard.index].empty()) {
      throw OutputError(fmt::format("shard {}/{} is given twice: '{}' and '{}'", r.shard.index, count, seen[r.shard.index], name));
    }
    seen[r.shard.index] = name;
    state.history.push_back(r.invocation);
  }
  for (std::uint64_t i = 0; i < count; ++i) {
    if (seen[i].empty()) throw OutputError(fmt::format("shard {}/{} is missing: give all {} shard folders", i, count, count));
  }
  const Scenario& scenario = first.scenario;
  const std::uint64_t total = static_cast<std::uint64_t>(scenario.integer("run.replicates")) * scenario.point_count();
  JournalRuns runs;
  for (const auto& folder : shards) runs.add(std::filesystem::path(folder) / "runs.journal");
  if (!runs.covers(total))
    throw OutputError(fmt::format("the shards hold {} runs of the batch's {}: a shard is damaged", runs.size(), total));
  AtomicDirectory folder(out);
  if (!scenario.point_table().rows.empty()) {
    std::error_code ec;
    std::filesystem::copy_file(std::filesystem::path(shards[0]) / "design.csv", folder.staging() / "design.csv", ec);
    if (ec) throw OutputError("cannot copy the design: " + ec.message());
  }
  const ResultsSummary summary = write_tables(folder.staging(), scenario, runs);
  invocation.finished_at = utc_now_iso8601();
  invocation.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  state.complete = true;
  state.runs = summary.runs;
  state.runs_failed = summary.failed;
  write_manifest(folder.staging(), scenario, invocation, state);
  folder.commit();
  print_summary(scenario, summary, folder.final_path(), invocation.wall_seconds);
  return summary.failed == 0 ? ok : runs_failed;
}

}  // namespace

void add_merge(CLI::App& app, int& exit_status, std::vector<std::string> command_line) {
  auto shards = std::make_shared<std::vector<std::string>>();
  auto out = std::make_shared<std::string>();
  auto* command = app.add_subcommand("merge", "Combine the shard folders of one batch (glocal run --shard i/n) into a results folder");
  command->add_option("shards", *shards, "The shard folders, every one of the batch, in any order")->required();
  command->add_option("--out,-o", *out, "Results folder to write (must not exist or be empty)")->required();
  command->callback([=, &exit_status] { exit_status = exit_status_of([&] { return merge_command(*shards, *out, command_line); }); });
}

}  // namespace glocal::cli
