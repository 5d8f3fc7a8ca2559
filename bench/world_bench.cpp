// The real world at scale: scenarios/world/real-1960-2010.toml at 10^6 agents, 1960-2010, with
// every process on (demography, culture, economy with absorptive growth, governance, ecology,
// movements), one run on one thread; and the same world without [demography] (fixed populations),
// so that the cost of births, deaths and renewals is its own line. Counters: agents, the process's
// peak resident memory per agent (bytes), ticks per second.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>

#include "glocal/run/simulation.hpp"

namespace glocal {
namespace {

Scenario every_process(bool demography) {
  Scenario s = Scenario::load_file(GLOCAL_SOURCE_DIR "/scenarios/world/real-1960-2010.toml");
  std::vector<std::string> keys = {
      "world.agents=1000000",      "run.record_every=10",     "run.record_places=none",  "culture.features=5", "culture.traits=10",
      "culture.reach.network=0.9", "culture.reach.world=0.1", "governance.revision=0.2", "ecology.growth=0.3", "movements.threshold=0.3"};
  if (!demography) {
    // The same world without [demography]: re-read the file without its table.
    std::string text = s.source_text();
    text.replace(text.find("[demography]"), std::string("[demography]\ndeath_rate = 0.01\n").size(), "");
    s = Scenario::parse(text, "real-1960-2010-fixed.toml");
  }
  s.set_all(keys);
  return s;
}

long peak_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

void BM_RealWorld1960To2010(benchmark::State& state) {
  const Scenario scenario = every_process(state.range(0) != 0);
  std::uint64_t ticks = 0;
  AgentIndex agents = 0;
  for (auto _ : state) {
    Simulation simulation(scenario, 0);
    for (std::int64_t t = 0; t < scenario.integer("run.ticks"); ++t) simulation.step();
    benchmark::DoNotOptimize(simulation.measure());
    ticks += static_cast<std::uint64_t>(scenario.integer("run.ticks"));
    agents = simulation.places().agents();
  }
  state.counters["agents_2010"] = agents;
  state.counters["ticks_per_s"] = benchmark::Counter(static_cast<double>(ticks), benchmark::Counter::kIsRate);
  state.counters["peak_rss_bytes_per_agent_1960"] = static_cast<double>(peak_rss_kb()) * 1024.0 / 1.0e6;
}

// Arg 1: with demography; 0: fixed populations. The peak resident size is the process's, so run
// each alone (--benchmark_filter='RealWorld1960To2010/1') for a clean memory figure.
BENCHMARK(BM_RealWorld1960To2010)->Arg(1)->Arg(0)->Unit(benchmark::kSecond)->Iterations(1);

// A whole run as `glocal run` makes it, phase by phase: Axelrod's model (F = 5, q = 10) on a
// periodic 1000 x 1000 lattice, 20 ticks (2 * 10^7 events), the metrics recorded at ticks 0 and
// 20 (record_every = 20; Arg 1: every tick, 21 records). Counters: seconds in set-up (the
// world, the initial cultures and their catalogue), in the records (every world metric) and in
// the ticks (the events), and events_share = ticks / (set-up + records + ticks), the share of the
// run spent in events (issue 14's goal: >= 0.8 with two records).
void BM_AxelrodWholeRun(benchmark::State& state) {
  Scenario scenario = Scenario::parse(R"([scenario]
name = "axelrod-1m-20"
[run]
seed = 2026
replicates = 1
stop = "ticks"
ticks = 20
record_every = 20
[world.lattice]
side = 1000
boundary = "periodic"
[culture]
features = 5
traits = 10
)",
                                      "axelrod-1m-20.toml");
  if (state.range(0) != 0) scenario.set_all({"run.record_every=1"});
  const auto ticks = scenario.integer("run.ticks");
  const auto every = scenario.integer("run.record_every");
  using Clock = std::chrono::steady_clock;
  const auto seconds = [](Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); };
  double setup = 0;
  double records = 0;
  double events = 0;
  for (auto _ : state) {
    auto t0 = Clock::now();
    Simulation simulation(scenario, 0);
    auto t1 = Clock::now();
    setup += seconds(t0, t1);
    benchmark::DoNotOptimize(simulation.measure());
    records += seconds(t1, Clock::now());
    for (std::int64_t t = 1; t <= ticks; ++t) {
      t0 = Clock::now();
      simulation.step();
      t1 = Clock::now();
      events += seconds(t0, t1);
      if (t % every == 0) {
        benchmark::DoNotOptimize(simulation.measure());
        records += seconds(t1, Clock::now());
      }
    }
  }
  const auto n = static_cast<double>(state.iterations());
  state.counters["setup_s"] = setup / n;
  state.counters["records_s"] = records / n;
  state.counters["ticks_s"] = events / n;
  state.counters["events_share"] = events / (setup + records + events);
}

BENCHMARK(BM_AxelrodWholeRun)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(5)->UseRealTime();

}  // namespace
}  // namespace glocal
