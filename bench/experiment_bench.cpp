// Experiments on disk (issue 15): the cost of streaming finished runs to the journal and writing
// the tables from it, against keeping them in memory; and re-opening a journal of 10^5 finished
// runs, which is what `glocal run --resume` does before it runs anything.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include "glocal/io/output.hpp"

namespace glocal {
namespace {

namespace fs = std::filesystem;

/// A scratch folder under the temporary directory, emptied for each use.
fs::path scratch(const std::string& name) {
  const fs::path path = fs::temp_directory_path() / ("glocal-bench-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(path);
  fs::create_directories(path);
  return path;
}

/// 256 short runs of a 10x10 lattice (about a millisecond each), 11 recorded ticks per run.
Scenario small_batch() {
  return Scenario::parse("[run]\nticks = 500\nrecord_every = 50\nreplicates = 256\n[world.lattice]\nside = 10\n[culture]\n",
                         "small-batch.toml");
}

/// What glocal run does: each run to the journal as it finishes, then the tables from the journal.
void run_to_journal(const Scenario& scenario, const fs::path& folder, BatchOptions options) {
  auto writer = JournalWriter::create(folder / "runs.journal");
  options.on_result = [&](RunResult&& run) { writer.append(run); };
  (void)run_batch(scenario, 0, options);
  writer.sync();
  JournalRuns runs;
  runs.add(folder / "runs.journal");
  benchmark::DoNotOptimize(write_tables(folder, scenario, runs));
}

/// range(0) = 0: runs kept in memory, then the tables; 1: each run to the journal as it finishes,
/// then the tables from the journal (what glocal run does).
void BM_SmallBatch(benchmark::State& state) {
  const Scenario scenario = small_batch();
  const bool journal = state.range(0) != 0;
  const fs::path folder = scratch(journal ? "journal" : "memory");
  for (auto _ : state) {
    fs::remove_all(folder);
    fs::create_directories(folder);
    BatchOptions options;
    options.threads = 2;
    if (!journal) {
      const auto runs = run_batch(scenario, 0, options);
      benchmark::DoNotOptimize(write_tables(folder, scenario, RunsInMemory(runs)));
      continue;
    }
    run_to_journal(scenario, folder, options);
  }
  fs::remove_all(folder);
  state.counters["runs"] = 256;
}
BENCHMARK(BM_SmallBatch)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

/// 1,000 points x 4 replicates (range(0) = 1: the points of a design over culture.traits, as
/// `glocal run --design` runs them) against the same 4,000 runs as a plain batch (range(0) = 0:
/// one point, 4,000 replicates). Runs of fixed length on a 10x10 lattice do the same work whatever
/// the number of traits, so the ratio is the cost of the design machinery: a scenario per point,
/// its run identity and its columns in the tables. Both stream to the journal, as glocal run does.
void BM_DesignBatch(benchmark::State& state) {
  const bool design = state.range(0) != 0;
  constexpr std::size_t kPoints = 1000;
  constexpr std::size_t kReplicates = 4;
  Scenario scenario = Scenario::parse(fmt::format("[run]\nticks = 200\nrecord_every = 50\nreplicates = {}\n"
                                                  "[world.lattice]\nside = 10\n[culture]\ntraits = 10\n",
                                                  design ? kReplicates : kPoints * kReplicates),
                                      "design-batch.toml");
  if (design) {
    PointTable table{{"culture.traits"}, {}, "design.csv"};
    for (std::size_t p = 0; p < kPoints; ++p) table.rows.push_back({Value(static_cast<std::int64_t>(5 + p % 10))});
    scenario.set_points(std::move(table));
  }
  const fs::path folder = scratch(design ? "design" : "plain");
  for (auto _ : state) {
    fs::remove_all(folder);
    fs::create_directories(folder);
    BatchOptions options;
    options.threads = 2;
    run_to_journal(scenario, folder, options);
  }
  fs::remove_all(folder);
  state.counters["runs_per_s"] =
      benchmark::Counter(static_cast<double>(kPoints * kReplicates), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_DesignBatch)->Arg(0)->Arg(1)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();

/// Re-opening a journal of 10^5 finished runs (11 recorded ticks of 14 metrics each): the scan
/// that checks every record and the index of the runs in id order.
void BM_JournalReopen(benchmark::State& state) {
  const auto count = static_cast<std::uint64_t>(state.range(0));
  const fs::path folder = scratch("reopen");
  {
    auto writer = JournalWriter::create(folder / "runs.journal");
    RunResult run;
    run.stop_reason = "ticks";
    for (std::uint64_t tick = 0; tick <= 500; tick += 50) run.series.push_back({tick, std::vector<double>(14, 0.125)});
    for (std::uint64_t k = 0; k < count; ++k) {
      run.run_id = (k * 7919) % count;  // finished out of order, as in a batch
      writer.append(run);
    }
    writer.sync();
  }
  for (auto _ : state) {
    JournalRuns runs;
    runs.add(folder / "runs.journal");
    if (!runs.covers(count)) state.SkipWithError("the journal lost runs");
  }
  state.counters["journal_MB"] = static_cast<double>(fs::file_size(folder / "runs.journal")) / 1e6;
  fs::remove_all(folder);
}
BENCHMARK(BM_JournalReopen)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace glocal
