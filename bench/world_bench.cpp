// The real world at scale: scenarios/world/real-1960-2010.toml at 10^6 agents, 1960-2010, with
// every process on (demography, culture, economy with absorptive growth, governance, ecology,
// movements), one run on one thread; and the same world without [demography] (fixed populations),
// so that the cost of births, deaths and renewals is its own line. Counters: agents, the process's
// peak resident memory per agent (bytes), ticks per second.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

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

}  // namespace
}  // namespace glocal
