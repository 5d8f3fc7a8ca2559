// Culture events per second (Axelrod, F = 5, q = 10, periodic von Neumann lattice), single
// thread, at N = 2,500, 10^6, 10^7 and 10^8 (10^8 in both lattice orders; from 10^7 with the
// random-access ceiling measured just before and after); one world on several threads; wall time
// to absorption; F = 10 and random graphs (BM_CultureEventsBeyond). Run with `make bench` (all)
// or `make bench-culture` (these). Items/s is events/s.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <vector>

#include "glocal/core/allocator.hpp"
#include "processes/culture/culture.hpp"

namespace glocal {
namespace {

constexpr std::uint64_t kEventsPerIteration = 1 << 20;

/// The random-access ceiling over a culture column of `agents` rows of 5 bytes: independent
/// 8-byte loads at `loads` random rows, drawn beforehand so that only the memory is measured.
/// Over a column of its own, or over a given one (read only): the events' own column, so that
/// both figures of a ratio come from the same physical memory (on this VM two arrays of the same
/// size can differ by 20 % or more in random-access speed, depending on how the host backs them).
class RowGather {
 public:
  RowGather(std::uint64_t agents, std::size_t loads) : own_(agents * 5 + 8, 1), column_(own_.data()), bytes_(own_.size()) {
    draw(agents, loads);
  }
  RowGather(const std::uint8_t* column, std::uint64_t agents, std::size_t loads) : column_(column), bytes_(agents * 5) {
    draw(agents, loads);
  }
  /// One pass over the rows; returns the loads made.
  std::size_t pass() noexcept {
    for (const std::uint64_t row : rows_) {
      std::uint64_t v = 0;
      std::memcpy(&v, column_ + row, 8);
      sum_ += v;
    }
    benchmark::DoNotOptimize(sum_);
    return rows_.size();
  }
  [[nodiscard]] std::size_t bytes() const noexcept { return bytes_; }

 private:
  void draw(std::uint64_t agents, std::size_t loads) {
    const Rng rng(7, 0);
    rows_.resize(loads);
    for (std::size_t k = 0; k < loads; ++k) rows_[k] = uniform_below(rng.block(k, 0, Purpose::culture_event)[0], agents) * 5;
  }
  std::vector<std::uint8_t> own_;
  const std::uint8_t* column_;
  std::size_t bytes_;
  std::vector<std::uint64_t> rows_;
  std::uint64_t sum_ = 0;
};

/// A culture process run in calls of kEventsPerIteration events, tick after tick, from a uniform
/// random state (run ids 0, 1, ...); restart() replaces an absorbed process by a fresh run, untimed.
class EventCalls {
 public:
  EventCalls(const Network& network, const culture::Parameters& parameters) : network_(network), parameters_(parameters) { start(); }
  [[nodiscard]] culture::CultureProcess& process() noexcept { return *process_; }
  void restart(benchmark::State& state) {
    state.PauseTiming();
    ++run_;
    start();
    state.ResumeTiming();
  }
  /// One call: the events it made.
  std::uint64_t call() {
    const std::uint64_t made = process_->run_events(tick_, first_, kEventsPerIteration, *rng_);
    first_ += kEventsPerIteration;
    if (first_ >= network_.size()) {
      first_ = 0;
      ++tick_;
    }
    return made;
  }

 private:
  void start() {
    rng_ = std::make_unique<Rng>(2026, run_);
    process_ = std::make_unique<culture::CultureProcess>(parameters_, network_, *rng_);
    tick_ = 1;
    first_ = 0;
  }
  const Network& network_;
  culture::Parameters parameters_;
  std::uint64_t run_ = 0;
  std::unique_ptr<Rng> rng_;
  std::unique_ptr<culture::CultureProcess> process_;
  std::uint64_t tick_ = 1;
  std::uint64_t first_ = 0;
};

void BM_CultureEvents(benchmark::State& state) {
  const auto side = static_cast<std::uint32_t>(state.range(0));
  const LatticeOrder order = state.range(1) == 1 ? LatticeOrder::tiles : LatticeOrder::rows;
  const Network network = make_lattice(LatticeSpec{side, Boundary::periodic, Neighborhood::von_neumann, 1, order});
  EventCalls calls(network, culture::Parameters{5, 10, culture::InitialTraits::uniform});
  // The random-access ceiling, measured just before and just after the events (same process,
  // adjacent in time, so the ratio holds when the machine's load drifts): independent 8-byte
  // loads at random rows of the process's own culture column (read only: same size, same
  // physical memory), indices drawn beforehand. Not between
  // batches: a gather there evicts the culture column's page-table entries and slows the events
  // that follow. Only where the column is beyond the caches (over 32 MiB); below, BM_RandomGather
  // gives the ceiling.
  const bool bracket = std::size_t{network.size()} * 5 > (std::size_t{32} << 20);
  RowGather ceiling(calls.process().view().traits, bracket ? network.size() : 1, bracket ? std::size_t{1} << 22 : 0);
  double gather_seconds = 0;
  std::size_t loads = 0;
  const auto gather = [&] {
    const auto start = std::chrono::steady_clock::now();
    loads += ceiling.pass();
    gather_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  if (bracket) gather();
  double event_seconds = 0;
  std::uint64_t events = 0;
  for (auto _ : state) {
    if (calls.process().absorbed()) {  // a small lattice can absorb: start a fresh run, untimed
      if (bracket) {                   // the gather reads this process's column; a lattice this large never absorbs here
        state.SkipWithError("a bracketed lattice absorbed");
        break;
      }
      calls.restart(state);
    }
    const auto start = std::chrono::steady_clock::now();
    events += calls.call();
    event_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  if (bracket) gather();
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["agents"] = static_cast<double>(network.size());
  state.counters["state_bytes_per_agent"] = static_cast<double>(calls.process().state_bytes()) / network.size();
  state.counters["catalog_bytes_per_agent"] = static_cast<double>(calls.process().catalog_bytes()) / network.size();
  state.counters["network_bytes_per_agent"] = static_cast<double>(network.memory_bytes()) / network.size();
  if (bracket) {
    const double loads_per_second = static_cast<double>(loads) / gather_seconds;
    state.counters["gather_loads_per_second"] = loads_per_second;
    // An event reads at least two rows: events/s over (loads/s / 2) is the share of the ceiling.
    state.counters["ceiling_ratio"] = static_cast<double>(events) / event_seconds / (loads_per_second / 2);
  }
}

// tiles 1: the lattice numbered in tiles (world.lattice.order = "tiles"), at N = 10^8.
BENCHMARK(BM_CultureEvents)
    ->ArgNames({"L", "tiles"})
    ->Args({50, 0})
    ->Args({1000, 0})
    ->Args({3163, 0})
    ->Args({10000, 0})
    ->Args({10000, 1})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);

// Culture events per second beyond the F = 5 lattice: F features (q = 10) on a periodic lattice
// of side L (network 0), or on a random graph of L^2 nodes with mean degree 4 (network 1: the CSR
// path, neighbours read from the network), single thread, from a uniform random initial state
// (a small world that absorbs is restarted, untimed).
void BM_CultureEventsBeyond(benchmark::State& state) {
  const auto side = static_cast<std::uint32_t>(state.range(0));
  const auto features = static_cast<std::uint32_t>(state.range(1));
  const bool graph = state.range(2) == 1;
  const Network network =
      graph ? make_random(side * side, 4.0, Rng(5, 5)) : make_lattice(LatticeSpec{side, Boundary::periodic, Neighborhood::von_neumann, 1});
  EventCalls calls(network, culture::Parameters{features, 10, culture::InitialTraits::uniform});
  std::uint64_t events = 0;
  for (auto _ : state) {
    if (calls.process().absorbed()) calls.restart(state);
    events += calls.call();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
}

BENCHMARK(BM_CultureEventsBeyond)
    ->ArgNames({"L", "F", "graph"})
    ->Args({1000, 10, 0})
    ->Args({1000, 5, 1})
    ->Args({1000, 10, 1})
    ->Args({3163, 5, 1})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);

// One world on several threads against one thread, F = 5, q = 10, periodic lattice of side L,
// events/s by wall time over whole ticks. scheme 0: random sequential updating (1 thread: the
// plain loop; more: deterministic reservations); scheme 1: the block scheme (culture.update =
// "blocks"). For each scheme the results are identical on any thread count (tests/parallel).
void BM_CultureEventsThreads(benchmark::State& state) {
  const auto side = static_cast<std::uint32_t>(state.range(0));
  const Network network = make_lattice(LatticeSpec{side, Boundary::periodic, Neighborhood::von_neumann, 1});
  culture::Parameters parameters{5, 10, culture::InitialTraits::uniform};
  parameters.threads = static_cast<std::uint32_t>(state.range(1));
  parameters.update = state.range(2) == 1 ? culture::Update::blocks : culture::Update::sequential;
  const Rng rng(2026, 0);
  culture::CultureProcess process(parameters, network, rng);
  std::uint64_t tick = 0;
  for (auto _ : state) process.step(TickContext{++tick, rng});
  state.SetItemsProcessed(static_cast<std::int64_t>(tick * network.size()));
}

BENCHMARK(BM_CultureEventsThreads)
    ->ArgNames({"L", "threads", "blocks"})
    ->Args({1000, 1, 0})
    ->Args({1000, 2, 0})
    ->Args({1000, 1, 1})
    ->Args({1000, 2, 1})
    ->Args({3163, 1, 0})
    ->Args({3163, 1, 1})
    ->Args({3163, 2, 1})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);

// Wall time to absorption, event by event (mode 0) or with active-pair sampling (mode 1), for
// Axelrod's model (q = 10) on a periodic L x L lattice: each iteration is one whole run from a
// uniform random state to absorption, with run ids 0, 1, 2, ... in both modes, so the two modes
// see runs drawn from the same distribution (not the same trajectories: each mode uses its own
// random numbers). Time per iteration is the mean wall time to absorption; the ratio of the two
// modes' times is the speed-up. Counters: mean events to absorption (the same in distribution).
void BM_TimeToAbsorption(benchmark::State& state) {
  const auto side = static_cast<std::uint32_t>(state.range(0));
  const auto features = static_cast<std::uint32_t>(state.range(1));
  const bool pairs = state.range(2) == 1;
  const Network network = make_lattice(LatticeSpec{side, Boundary::periodic, Neighborhood::von_neumann, 1});
  culture::Parameters parameters{features, 10, culture::InitialTraits::uniform};
  parameters.sampling = pairs ? culture::Sampling::active_pairs : culture::Sampling::events;
  std::uint64_t run = 0;
  double events = 0;
  for (auto _ : state) {
    const Rng rng(2027, run++);
    culture::CultureProcess process(parameters, network, rng);
    for (std::uint64_t tick = 1; !process.absorbed(); ++tick) process.step(TickContext{tick, rng});
    events += static_cast<double>(process.events());
  }
  state.counters["events_to_absorption"] = events / static_cast<double>(run);
  state.counters["simulated_events_per_second"] = benchmark::Counter(events, benchmark::Counter::kIsRate);
}

BENCHMARK(BM_TimeToAbsorption)
    ->ArgNames({"L", "F", "pairs"})
    ->Args({50, 5, 0})
    ->Args({50, 5, 1})
    ->Args({50, 10, 0})
    ->Args({50, 10, 1})
    ->Iterations(6)
    ->Unit(benchmark::kSecond);
BENCHMARK(BM_TimeToAbsorption)
    ->ArgNames({"L", "F", "pairs"})
    ->Args({100, 5, 0})
    ->Args({100, 5, 1})
    ->Args({100, 10, 0})
    ->Args({100, 10, 1})
    ->Iterations(2)
    ->Unit(benchmark::kSecond);

// The machine's random-access ceiling at the same sizes: independent 8-byte loads at uniformly
// random agent rows of an array of N * F bytes (the culture column). The row indices are drawn
// before timing (one array of 2^20), so only the memory system is measured. Items/s is loads/s.
// An Axelrod event needs at least two such loads (the agent's and the partner's rows), so
// events/s over (loads/s / 2) is the fraction of the ceiling the event loop reaches.
void BM_RandomGather(benchmark::State& state) {
  const auto side = static_cast<std::uint64_t>(state.range(0));
  RowGather gather(side * side, std::size_t{1} << 20);
  std::size_t loads = 0;
  for (auto _ : state) loads += gather.pass();
  state.SetItemsProcessed(static_cast<std::int64_t>(loads));
  state.counters["bytes"] = static_cast<double>(gather.bytes());
}

BENCHMARK(BM_RandomGather)->Arg(50)->Arg(1000)->Arg(3163)->Arg(10000)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
}  // namespace glocal

// One main for every bench/*.cpp: BENCHMARK_MAIN's, after the allocator set as `glocal` sets it.
int main(int argc, char** argv) {
  glocal::keep_freed_memory();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
