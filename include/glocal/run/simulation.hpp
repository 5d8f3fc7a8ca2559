#pragma once
// One run of a scenario, and a batch of runs (replicates) spread over threads.
//
// A run is a pure function of (parameter point, master seed, replicate): its network, initial
// state and every event draw from the Philox stream keyed by the seed and
// run_stream(point key, replicate). Runs share nothing mutable, so a run's results do not depend
// on the thread count, on how many runs or points its batch holds, or on its place in the batch.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "glocal/model/coupling.hpp"
#include "glocal/model/process.hpp"
#include "glocal/model/scenario.hpp"
#include "glocal/world/network.hpp"

namespace glocal {

/// The key that, with a replicate, names a run's random stream: the point's key
/// (Scenario::point_key), or 0 with run.streams = "shared".
[[nodiscard]] std::uint64_t stream_key(const Scenario& scenario);
/// The metric columns of a scenario: every enabled process's metrics, in registry order.
[[nodiscard]] std::vector<MetricSpec> metric_columns(const Scenario& scenario);
/// The per-place metric columns (places.csv): every enabled process's place metrics.
[[nodiscard]] std::vector<MetricSpec> place_metric_columns(const Scenario& scenario);
/// The position among metric_columns(scenario) of the first metric with this name. Throws
/// std::out_of_range.
[[nodiscard]] std::size_t metric_index(const Scenario& scenario, std::string_view name);

/// A run that can be advanced tick by tick (the engine behind run_once; also for embedding).
class Simulation {
 public:
  /// Replicate `replicate` of the scenario's parameter point (a scenario without a sweep).
  Simulation(const Scenario& scenario, std::uint64_t replicate);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  /// Runs one tick of every process, in registry order.
  /// One tick. `cancel` (optional): when it turns true the tick may stop part-way, and the
  /// run's state is no longer meaningful (run_once then reports the run as cancelled).
  void step(const std::atomic<bool>* cancel = nullptr);
  [[nodiscard]] std::uint64_t tick() const noexcept { return tick_; }
  /// True when every process is in its absorbing state.
  [[nodiscard]] bool absorbed() const;
  /// Current metrics, in the order of metric_columns().
  [[nodiscard]] std::vector<double> measure() const;
  /// The position in measure() of the first metric with this name. Throws std::out_of_range.
  [[nodiscard]] std::size_t metric_index(std::string_view name) const;
  /// Current metrics of one place at a scale above the network, in the order of place_metric_columns().
  [[nodiscard]] std::vector<double> measure_place(Scale scale, std::uint32_t place) const;
  [[nodiscard]] const Network& network() const noexcept { return network_; }
  [[nodiscard]] const Places& places() const noexcept { return places_; }
  /// The enabled process of that name (the scenario table), or nullptr: for embedding and tests
  /// that read a process's state directly.
  [[nodiscard]] const Process* process(std::string_view name) const noexcept;

 private:
  /// Applies a renewal (demography): new places and network, then every process renews.
  void renew(const Renewal& renewal, const TickContext& context);

  const Scenario* scenario_;
  Rng rng_;
  WorldSpec world_;
  Places places_;
  Network network_;
  std::vector<std::unique_ptr<Process>> processes_;
  PopulationChange* population_ = nullptr;  ///< the demography, when enabled
  std::vector<std::size_t> metric_offsets_;
  std::size_t metric_count_ = 0;
  struct ScheduledKey {
    const Schedule* schedule;
    Process* owner;
    double value;  ///< the value last applied
  };
  std::vector<ScheduledKey> scheduled_;
  std::vector<std::size_t> place_metric_offsets_;
  std::size_t place_metric_count_ = 0;
  std::uint64_t tick_ = 0;
};

enum class RunStatus { ok, failed, cancelled };
[[nodiscard]] const char* to_string(RunStatus status) noexcept;

struct TickRecord {
  std::uint64_t tick = 0;
  std::vector<double> metrics;
};

/// The metrics of one place at one recorded tick.
struct PlaceRecord {
  std::uint64_t tick = 0;
  Scale scale = Scale::world;
  std::uint32_t place = 0;
  std::vector<double> metrics;
};

struct RunResult {
  std::uint64_t run_id = 0;     ///< position in the batch: point * replicates + replicate
  std::uint64_t point = 0;      ///< index of the parameter point (Scenario::point)
  std::uint64_t replicate = 0;  ///< replicate within the point; with point_key, keys the run's random stream
  std::uint64_t point_key = 0;  ///< Scenario::point_key() of the point (its stream's key unless run.streams = "shared")
  RunStatus status = RunStatus::ok;
  std::string stop_reason;          ///< "absorbed", "ticks" (the tick limit), or "" when failed
  std::string error;                ///< the failure, when status is failed
  std::uint64_t ticks = 0;          ///< ticks run (the last one may be partial when absorbed)
  std::vector<TickRecord> series;   ///< tick 0, every run.record_every ticks, and the final state
  std::vector<PlaceRecord> places;  ///< at the same ticks, every place from run.record_places up to the world
  double wall_seconds = 0.0;
};

/// Runs replicate `replicate` of the scenario's point to its stop condition (result.run_id is
/// the replicate; run_batch numbers runs in its batch). Never throws: a failure is recorded in the result.
/// `cancel`, when given, is polled once per tick; `ticks_done`, when given, is incremented after
/// every tick (for progress reports).
[[nodiscard]] RunResult run_once(const Scenario& scenario, std::uint64_t replicate, const std::atomic<bool>* cancel = nullptr,
                                 std::atomic<std::uint64_t>* ticks_done = nullptr);

/// What a watcher of one run may see and do (`glocal serve` streams a run as it goes): every
/// member is optional. None of them changes the run's results.
struct RunObserver {
  const std::atomic<bool>* cancel = nullptr;         ///< as run_once's
  std::atomic<std::uint64_t>* ticks_done = nullptr;  ///< as run_once's
  /// After each record (tick 0, every run.record_every ticks, the final state), with the run so
  /// far (its series' and places' last entries are the new ones) and the simulation, to read
  /// and not to change. Called from the run's thread.
  std::function<void(const RunResult&, const Simulation&)> on_record;
  /// Before each tick, from the run's thread; it may block (a paused run), and should return
  /// when `cancel` turns true.
  std::function<void()> before_tick;
};
/// run_once with an observer.
[[nodiscard]] RunResult run_once(const Scenario& scenario, std::uint64_t replicate, const RunObserver& observer);

struct BatchProgress {
  std::uint64_t done = 0;
  std::uint64_t failed = 0;
  std::uint64_t total = 0;
  std::uint64_t ticks_done = 0;   ///< ticks completed over all runs
  std::uint64_t ticks_total = 0;  ///< total ticks when known in advance (run.stop = "ticks"), else 0
  double elapsed_seconds = 0.0;

  /// Fraction of the work done: by ticks when the total is known, else by runs.
  [[nodiscard]] double fraction() const noexcept {
    if (ticks_total > 0) return static_cast<double>(ticks_done) / static_cast<double>(ticks_total);
    return total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  }
};

/// The CPUs this process may run on (its affinity mask: taskset, Slurm, cgroups), at least 1.
[[nodiscard]] unsigned available_threads() noexcept;

struct BatchOptions {
  unsigned threads = 0;  ///< 0: available_threads()
  const std::atomic<bool>* cancel = nullptr;
  /// Called from the calling thread about every `progress_interval`, and once at the end.
  std::function<void(const BatchProgress&)> progress;
  std::chrono::milliseconds progress_interval{250};
  /// When set, only these runs (ids in the batch, increasing), e.g. the runs of a shard not yet done.
  const std::vector<std::uint64_t>* only = nullptr;
  /// When set, each finished run is handed here as it finishes (one call at a time, in finishing
  /// order, from a worker thread) instead of being kept: run_batch then returns no results and
  /// holds only the runs in flight. An exception thrown here cancels the batch and is rethrown.
  std::function<void(RunResult&&)> on_result;
};

/// Runs every point of the scenario's sweep `replicates` times (run.replicates when 0), in
/// parallel; run r is point r / replicates, replicate r % replicates. Results are in run-id order
/// whatever the thread count; each run's results depend only on its point and replicate.
/// Cancelled runs are returned as such, but not handed to options.on_result.
[[nodiscard]] std::vector<RunResult> run_batch(const Scenario& scenario, std::uint64_t replicates, const BatchOptions& options);

}  // namespace glocal
