// Wealth exchanges per second (Dragulescu-Yakovenko, every partner drawn from the whole world),
// single thread, at N = 10^6 and 10^8, with the random-access ceiling over the wealth column
// measured in the same run. Run with `make bench`.
#include <benchmark/benchmark.h>

#include <vector>

#include "processes/economy/economy.hpp"

namespace glocal {
namespace {

void BM_Exchanges(benchmark::State& state) {
  const auto agents = static_cast<AgentIndex>(state.range(0));
  const Network network = make_ring(agents, 2);
  const Places places(PlaceShape{1, 1, 1, agents});
  economy::Parameters parameters;
  parameters.reach = {0.0, 0.0, 0.0, 0.0, 1.0};
  const Rng rng(2026, 0);
  economy::EconomyProcess process(parameters, network, places, rng);
  std::uint64_t tick = 0;
  for (auto _ : state) process.step(TickContext{++tick, rng});
  state.SetItemsProcessed(static_cast<std::int64_t>(process.exchanges()));
  state.counters["wealth_bytes_per_agent"] = 8;
}

BENCHMARK(BM_Exchanges)->Arg(1000000)->Arg(100000000)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// Independent 8-byte loads at random positions of an N-element double array (indices drawn
// before timing): an exchange needs at least two (the agent's and the partner's wealth).
void BM_WealthGather(benchmark::State& state) {
  const auto agents = static_cast<std::uint64_t>(state.range(0));
  std::vector<double> wealth(agents, 1.0);
  constexpr std::size_t kLoads = 1 << 20;
  std::vector<std::uint64_t> index(kLoads);
  const Rng rng(7, 0);
  for (std::size_t k = 0; k < kLoads; ++k) index[k] = uniform_below(rng.block(k, 0, Purpose::economy_exchange)[0], agents);
  double sum = 0;
  for (auto _ : state) {
    for (const std::uint64_t i : index) sum += wealth[i];
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kLoads));
}

BENCHMARK(BM_WealthGather)->Arg(1000000)->Arg(100000000)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
}  // namespace glocal
