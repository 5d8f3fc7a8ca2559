// glocal run SCENARIO: run the replicates, streaming each finished run to the staging folder's
// journal; write the tables from it, commit the folder atomically, print a summary.
// glocal run --resume OUT completes an interrupted batch; --shard i/n runs one part of a batch.
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cctype>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>

#include <unistd.h>

#include "batch_summary.hpp"
#include "commands.hpp"
#include "glocal/core/hash.hpp"
#include "glocal/io/output.hpp"
#include "glocal/run/design.hpp"
#include "glocal/io/journal.hpp"
#include "glocal/run/memory.hpp"
#include "mpi_world.hpp"
#include "progress.hpp"
#include "scenario_options.hpp"

namespace glocal::cli {

namespace {

std::atomic<bool> g_interrupted{false};  // set by SIGINT/SIGTERM; the only global, owned by the CLI
/// The first signal stops the batch at the runs' next safe point (a tick, or the end of building
/// or measuring a world, which take tens of seconds for 10^8 agents); a second stops the process
/// at once. Either way the finished runs stay in the journal (a record cut off mid-write is
/// dropped when the journal is read), so the batch can be resumed.
extern "C" void on_signal(int) {
  if (g_interrupted.exchange(true)) {
    constexpr char kNow[] = "\nglocal: stopped at once; the finished runs are kept\n";
    (void)!::write(STDERR_FILENO, kNow, sizeof kNow - 1);
    ::_exit(130);
  }
  constexpr char kSoon[] = "\nglocal: stopping when the runs in flight reach a safe point (Ctrl-C again: at once)\n";
  (void)!::write(STDERR_FILENO, kSoon, sizeof kSoon - 1);
}

std::filesystem::path default_out(const Scenario& scenario) {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  // The name as one safe path component: "../../x" must not write outside runs/.
  std::string name = scenario.name();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '-';
  }
  while (!name.empty() && name.front() == '.') name.erase(name.begin());
  if (name.empty()) name = "scenario";
  std::filesystem::path base = std::filesystem::path("runs") / fmt::format("{}-{}", name, stamp);
  std::filesystem::path out = base;
  for (int k = 2; std::filesystem::exists(out) || std::filesystem::exists(out.string() + ".partial"); ++k) {
    out = base.string() + "-" + std::to_string(k);
  }
  return out;
}

struct RunRequest {
  ScenarioOptions scenario;
  std::string out;
  std::string resume;
  std::string shard;
  std::string design;
  unsigned threads = 0;
  bool quiet = false;
};

/// The scenario and shard of this invocation: from the file and options, or, resuming, from the
/// interrupted batch's manifest (its scenario text and overrides, so nothing can drift).
struct Plan {
  std::optional<Scenario> scenario;
  Shard shard;
  std::filesystem::path out;
  std::vector<std::string> history;  ///< earlier invocations, when resuming
  bool complete = false;             ///< resuming a folder that is already complete
  std::filesystem::path design;      ///< the design file (a fresh batch with --design)
};

Plan plan_of(const RunRequest& request) {
  Plan plan;
  if (request.resume.empty()) {
    plan.scenario.emplace(load_with_overrides(request.scenario));
    if (!request.design.empty()) {
      plan.design = request.design;
      plan.scenario->set_points(point_table_of(read_design_csv(request.design), request.design));
    }
    if (!request.shard.empty()) {
      try {
        plan.shard = Shard::parse(request.shard);
      } catch (const std::invalid_argument& error) {
        throw ScenarioError(SourceLocation{"command line", 0, 0}, "--shard", error.what());
      }
    }
    plan.out = request.out.empty() ? default_out(*plan.scenario) : std::filesystem::path(request.out);
    return plan;
  }
  const auto refuse = [](const char* option) {
    throw ScenarioError(SourceLocation{"command line", 0, 0}, option,
                        "--resume goes on with the interrupted batch's own scenario, overrides, seed, replicates and "
                        "shard (its manifest): give none of them");
  };
  if (!request.scenario.assignments.empty()) refuse("--set");
  if (request.scenario.seed) refuse("--seed");
  if (request.scenario.replicates) refuse("--replicates");
  if (!request.shard.empty()) refuse("--shard");
  if (!request.design.empty()) refuse("--design");
  if (!request.out.empty()) refuse("--out");
  plan.out = request.resume;
  if (std::filesystem::exists(plan.out / "manifest.json") && read_manifest(plan.out).complete) {
    plan.complete = true;
    return plan;
  }
  std::filesystem::path staging = plan.out.lexically_normal();
  if (!staging.has_filename()) staging = staging.parent_path();
  staging += ".partial";
  ManifestRecord record = [&] {
    try {
      return read_manifest(staging);
    } catch (const OutputError&) {
      throw OutputError("no interrupted run to resume at '" + plan.out.string() + "' (" + staging.string() +
                        "/manifest.json is missing or unreadable)");
    }
  }();
  if (!request.scenario.path.empty()) {  // a scenario named too must be the one that was run
    const Scenario given = Scenario::load_file(request.scenario.path);
    if (sha256_hex(given.source_text()) != sha256_hex(record.scenario.source_text())) {
      throw ScenarioError(SourceLocation{request.scenario.path, 0, 0}, "",
                          "differs from the scenario of the interrupted batch in " + staging.string() +
                              " (resume without naming the scenario to use that one)");
    }
  }
  plan.scenario.emplace(std::move(record.scenario));
  plan.shard = record.shard;
  plan.history = std::move(record.history);
  plan.history.push_back(record.invocation);
  return plan;
}

/// The runs of the batch (or shard) not yet in the journal, in id order.
std::vector<std::uint64_t> pending_runs(std::uint64_t total, const Shard& shard, const JournalScan& scan,
                                        const std::filesystem::path& journal) {
  std::vector<bool> done(total, false);
  for (const auto& e : scan.entries) {
    if (e.run_id >= total || !shard.contains(e.run_id)) {
      throw OutputError(fmt::format("'{}' holds run {}, which is not a run of this batch (shard {}/{} of {} runs)", journal.string(),
                                    e.run_id, shard.index, shard.count, total));
    }
    done[e.run_id] = true;
  }
  std::vector<std::uint64_t> pending;
  for (std::uint64_t k = shard.index; k < total; k += shard.count) {
    if (!done[k]) pending.push_back(k);
  }
  return pending;
}

/// The positions of `ids` that are this rank's share: every size-th from its rank on.
std::vector<std::uint64_t> share_of(const std::vector<std::uint64_t>& ids, const MpiWorld& world) {
  std::vector<std::uint64_t> mine;
  for (std::size_t k = static_cast<std::size_t>(world.rank()); k < ids.size(); k += static_cast<std::size_t>(world.size()))
    mine.push_back(ids[k]);
  return mine;
}

/// A rank other than 0 under mpirun: runs its share of the runs rank 0 gives out and sends each
/// finished run to rank 0, which writes the folder.
int run_share(const Scenario& scenario, unsigned threads, const MpiWorld& world) {
  std::vector<std::uint64_t> ids;
  if (!world.broadcast(ids)) return output_failed;  // rank 0 could not start, and said why
  const std::vector<std::uint64_t> mine = share_of(ids, world);
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  BatchOptions batch;
  batch.threads = threads;
  batch.cancel = &g_interrupted;
  batch.only = &mine;
  batch.on_result = [&](RunResult&& run) { world.send_run(encode_run(run)); };
  try {
    (void)run_batch(scenario, 0, batch);
  } catch (const std::exception& error) {  // rank 0 waits for this rank: end every rank
    fmt::print(stderr, "error: rank {}: {}\n", world.rank(), error.what());
    world.abort(unexpected);
  }
  world.send_done(g_interrupted.load());
  return g_interrupted.load() ? interrupted : ok;
}

int run_command(const RunRequest& request, const std::vector<std::string>& command_line) {
  const bool resuming = !request.resume.empty();
  const MpiWorld& world = MpiWorld::get();
  Plan plan = plan_of(request);
  if (plan.complete) {
    if (world.rank() == 0) fmt::print("{} is complete: nothing to resume\n", plan.out.string());
    return ok;
  }
  const Scenario& scenario = *plan.scenario;
  const unsigned threads = request.threads != 0 ? request.threads : available_threads();
  require_memory(scenario, threads);  // before anything is written (every rank: each holds its own runs)
  if (world.rank() != 0) return run_share(scenario, threads, world);
  bool started = false;  // under mpirun: whether the other ranks were given their runs
  const auto stop_the_others = [&] {
    if (world.many() && !started) {
      std::vector<std::uint64_t> none;
      (void)world.broadcast(none, false);
    }
  };
  std::optional<AtomicDirectory> staged;
  try {
    staged.emplace(plan.out, resuming ? AtomicDirectory::Mode::resume : AtomicDirectory::Mode::create);
  } catch (...) {
    stop_the_others();
    throw;
  }
  AtomicDirectory& folder = *staged;
  const std::filesystem::path journal_path = folder.staging() / "runs.journal";
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  Invocation invocation;
  invocation.command_line = command_line;
  invocation.started_at = utc_now_iso8601();
  invocation.threads = threads;
  const std::uint64_t total = static_cast<std::uint64_t>(scenario.integer("run.replicates")) * scenario.point_count();
  ManifestState state;
  state.shard = plan.shard;
  state.history = plan.history;
  state.runs = total / plan.shard.count + (plan.shard.index < total % plan.shard.count ? 1 : 0);

  std::atomic<std::uint64_t> kept{0};  // runs in the journal
  std::optional<JournalWriter> journal;
  std::vector<std::uint64_t> pending;
  try {
    if (resuming) {
      const JournalScan scan = std::filesystem::exists(journal_path) ? scan_journal(journal_path) : JournalScan{};
      if (!std::filesystem::exists(journal_path)) {
        journal.emplace(JournalWriter::create(journal_path));
      } else {
        journal.emplace(JournalWriter::open_for_append(journal_path, scan));
      }
      pending = pending_runs(total, plan.shard, scan, journal_path);
      kept = scan.entries.size();
      fmt::print(stderr, "resuming {}: {} of {} runs done, {} to run{}\n", plan.out.string(), kept, state.runs, pending.size(),
                 scan.file_bytes > scan.valid_bytes ? " (the torn record of a run cut off mid-write dropped)" : "");
    } else {
      journal.emplace(JournalWriter::create(journal_path));
      if (!plan.design.empty()) {  // the points travel with the results (resume, merge, analyze)
        std::error_code ec;
        std::filesystem::copy_file(plan.design, folder.staging() / "design.csv", ec);
        if (ec) throw OutputError("cannot copy the design into '" + folder.staging().string() + "': " + ec.message());
      }
    }
    write_manifest(folder.staging(), scenario, invocation, state);  // "complete": false until the end
  } catch (...) {
    stop_the_others();
    throw;
  }

  try {
    ProgressReporter reporter(stderr);
    BatchOptions batch;
    batch.threads = invocation.threads;
    batch.cancel = &g_interrupted;
    if (!resuming && (world.many() || !plan.shard.whole())) {  // a whole batch on one rank needs no list (10^7 runs: 80 MB)
      for (std::uint64_t k = plan.shard.index; k < total; k += plan.shard.count) pending.push_back(k);
    }
    // Under mpirun every rank takes every size-th pending run; the others' come back as records.
    std::mutex journal_lock;  // this rank's finished runs and the others' arrive on two threads
    std::atomic<std::uint64_t> received{0};
    std::atomic<bool> others_interrupted{false};
    std::exception_ptr receive_error;
    std::jthread receiver;
    if (world.many()) {
      world.broadcast(pending);
      started = true;
      receiver = std::jthread([&] {
        try {
          others_interrupted = world.receive_all([&](const std::string& record) {
            const RunResult run = decode_run(record);
            const std::lock_guard lock(journal_lock);
            journal->append(run);
            ++kept;
            ++received;
          });
        } catch (...) {
          receive_error = std::current_exception();
        }
      });
    }
    const std::vector<std::uint64_t> mine = world.many() ? share_of(pending, world) : std::vector<std::uint64_t>{};
    if (world.many()) {
      batch.only = &mine;
    } else if (resuming || !plan.shard.whole()) {
      batch.only = &pending;
    }
    batch.on_result = [&](RunResult&& run) {
      const std::lock_guard lock(journal_lock);
      journal->append(run);
      ++kept;
    };
    if (!request.quiet) {
      batch.progress = [&](const BatchProgress& p) {
        if (!world.many()) return reporter(p);
        BatchProgress all = p;  // this rank's runs and those the others have sent
        all.done += received.load();
        all.total = pending.size();
        all.ticks_total = 0;
        reporter(all);
      };
    }
    const auto start = std::chrono::steady_clock::now();
    (void)run_batch(scenario, 0, batch);
    if (receiver.joinable()) receiver.join();
    if (receive_error) std::rethrow_exception(receive_error);
    reporter.finish();
    invocation.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (g_interrupted.load() || others_interrupted.load()) {
      if (kept == 0) {
        fmt::print(stderr, "interrupted before any run finished: nothing kept\n");
      } else {
        folder.keep();
        fmt::print(stderr, "interrupted: {} of {} runs finished, kept in {}\ncomplete them with: glocal run --resume {}\n", kept.load(),
                   state.runs, folder.staging().string(), plan.out.string());
      }
      return interrupted;
    }
    journal->sync();
    invocation.finished_at = utc_now_iso8601();
    state.complete = true;
    if (!plan.shard.whole()) {  // a shard keeps its journal, for glocal merge
      state.runs = kept;
      write_manifest(folder.staging(), scenario, invocation, state);
      folder.commit();
      fmt::print(
          "{}: shard {}/{}, {} runs in {:.2f} s\nresults: {}/ (manifest.json, runs.journal); combine the shards with: "
          "glocal merge --out DIR SHARD_FOLDERS...\n",
          scenario.name(), plan.shard.index, plan.shard.count, kept.load(), invocation.wall_seconds, plan.out.string());
      return ok;
    }
    JournalRuns runs;
    runs.add(journal_path);
    if (!runs.covers(total)) throw OutputError(fmt::format("the journal holds {} runs of {}: not every run finished", runs.size(), total));
    const ResultsSummary summary = write_tables(folder.staging(), scenario, runs);
    journal.reset();
    std::filesystem::remove(journal_path);
    state.runs = summary.runs;
    state.runs_failed = summary.failed;
    write_manifest(folder.staging(), scenario, invocation, state);
    folder.commit();
    print_summary(scenario, summary, plan.out, invocation.wall_seconds);
    return summary.failed == 0 ? ok : runs_failed;
  } catch (const std::exception& error) {
    if (kept > 0) {
      folder.keep();  // finished runs are never lost: the folder can be resumed once the cause is fixed
      fmt::print(stderr, "{} finished runs kept in {}; after fixing the error below, complete them with: glocal run --resume {}\n",
                 kept.load(), folder.staging().string(), plan.out.string());
    }
    if (world.many()) {  // the other ranks may be running or waiting: end them all
      fmt::print(stderr, "error: {}\n", error.what());
      world.abort(unexpected);
    }
    throw;
  }
}

}  // namespace

void add_run(CLI::App& app, int& exit_status, std::vector<std::string> command_line) {
  auto request = std::make_shared<RunRequest>();
  auto* command = app.add_subcommand("run", "Run a scenario's replicates and write a results folder");
  command->add_option("scenario", request->scenario.path, "Scenario file (TOML); optional with --resume");
  command->add_option("--out,-o", request->out, "Results folder (must not exist or be empty); default runs/<name>-<time>");
  command->add_option("--seed", request->scenario.seed, "Master seed (overrides run.seed)");
  command->add_option("--replicates,-r", request->scenario.replicates, "Number of runs (overrides run.replicates)");
  command->add_option("--threads,-j", request->threads, "Worker threads (default: all cores); results do not depend on it");
  command->add_option("--set", request->scenario.assignments, "Override a key: --set culture.traits=15 (repeatable)");
  command->add_option("--resume", request->resume,
                      "Complete the interrupted batch whose results folder was OUT (its OUT.partial), byte-identical to "
                      "an uninterrupted run");
  command->add_option("--design", request->design,
                      "Run the points of a design (glocal design, or any CSV with a header of keys): one point per row");
  command->add_option("--shard", request->shard,
                      "Run part i of n of the batch (runs whose id is i modulo n; 0 <= i < n); combine with glocal merge");
  command->add_flag("--quiet,-q", request->quiet, "No progress display");
  command->callback([=, &exit_status] {
    if (request->scenario.path.empty() && request->resume.empty()) {
      fmt::print(stderr, "error: name a scenario file (glocal run SCENARIO), or --resume OUT\n");
      exit_status = bad_input;
      return;
    }
    exit_status = exit_status_of([&] { return run_command(*request, command_line); });
  });
}

}  // namespace glocal::cli
