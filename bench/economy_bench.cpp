// Wealth exchanges per second (Dragulescu-Yakovenko, and the Affine Wealth Model with
// redistribution; every partner drawn from the whole world), single thread, at N = 10^6 and 10^8,
// with the random-access ceiling over the wealth column measured in the same run; and one tick of
// a 10^7-agent world with culture and economy (production, firms, AWM) both running. Run with
// `make bench`.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "glocal/metrics/inequality.hpp"
#include "glocal/model/scenario.hpp"
#include "glocal/run/simulation.hpp"
#include "processes/economy/economy.hpp"

namespace glocal {
namespace {

/// Ticks of a well-mixed world of state.range(0) agents under `parameters`; items are exchanges.
void run_exchanges(benchmark::State& state, economy::Parameters parameters) {
  const auto agents = static_cast<AgentIndex>(state.range(0));
  const Network network = make_ring(agents, 2);
  const Places places(PlaceShape{1, 1, 1, agents});
  parameters.reach = {0.0, 0.0, 0.0, 0.0, 1.0};
  const Rng rng(2026, 0);
  economy::EconomyProcess process(parameters, network, places, rng);
  std::uint64_t tick = 0;
  for (auto _ : state) process.step(TickContext{++tick, rng});
  state.SetItemsProcessed(static_cast<std::int64_t>(process.exchanges()));
  state.counters["wealth_bytes_per_agent"] = 8;
}

void BM_Exchanges(benchmark::State& state) { run_exchanges(state, economy::Parameters{}); }

BENCHMARK(BM_Exchanges)->Arg(1000000)->Arg(100000000)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// The Affine Wealth Model (zeta 0.05, chi 0.036, kappa 0.058): a tick is one step of dt = 0.1,
// N / 2 transactions then national redistribution (one pass over the wealth column).
void BM_AffineTransactions(benchmark::State& state) {
  economy::Parameters parameters;
  parameters.exchange = economy::Exchange::awm;
  parameters.zeta = 0.05;
  parameters.chi = 0.036;
  parameters.kappa = 0.058;
  run_exchanges(state, parameters);
}

BENCHMARK(BM_AffineTransactions)->Arg(1000000)->Arg(100000000)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// One tick of a world of 100 nations x one 316 x 316 lattice locality (9,985,600 agents): culture
// (F = 5, q = 10, one event per agent, partners also from the locality and the world), economy
// with production, 200 firms (openness 0.5, culture-weighted sales, adaptation, the product as a
// media field) and the AWM at one unit of time per tick (10 steps of dt = 0.1). Seconds per tick
// is the time per iteration; building the world is not timed.
void BM_WorldStep(benchmark::State& state) {
  const Scenario scenario = Scenario::parse(R"(
[run]
seed = 7
ticks = 1000
[world]
blocs = 4
nations_per_bloc = 25
[world.lattice]
side = 316
boundary = "periodic"
[culture]
features = 5
traits = 10
market = 0.01
reach.locality = 0.05
reach.world = 0.01
[economy]
exchange = "awm"
zeta = 0.05
chi = 0.036
dt = 0.1
rate = 10
reach.nation = 0.9
reach.world = 0.1
production = true
firms = 200
firm_jobs = 0.01
openness = 0.5
mobility = 0.1
adaptation = 0.1
measure = "income"
)",
                                            "world-step");
  Simulation simulation(scenario, 0);
  for (auto _ : state) simulation.step();
  state.counters["agents"] = 9985600;
}

BENCHMARK(BM_WorldStep)->Unit(benchmark::kSecond)->Iterations(3);

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

// The generator's own ceiling: an exchange draws one Philox4x64-10 block (Rng::block: its agent,
// partner and split), so exchanges/s can never exceed these blocks/s, whatever the memory does.
// Independent blocks (no dependency between calls) one at a time, as the exchange loop draws
// them, and four at a time (Rng::entity_blocks). Items/s is blocks/s.
void BM_ExchangeBlocks(benchmark::State& state) {
  const Rng rng(2026, 0);
  std::uint64_t e = 0;
  std::uint64_t sum = 0;
  constexpr std::size_t kBlocks = 1 << 16;
  std::vector<RandomBlock> out(kBlocks);
  for (auto _ : state) {
    if (state.range(0) == 0) {
      for (std::size_t k = 0; k < kBlocks; ++k) sum += rng.block(e++, 1, Purpose::economy_exchange)[0];
    } else {
      rng.entity_blocks(e, 1, Purpose::economy_exchange, 0, out);
      e += kBlocks;
      sum += out[kBlocks / 2][0];
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBlocks));
}

BENCHMARK(BM_ExchangeBlocks)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(1.0);

}  // namespace
}  // namespace glocal

// The sort behind every inequality metric (SortedValues: Gini, quintiles, top shares, poverty):
// 2 * 10^6 lognormal incomes (sigma 0.64, the real world's wage dispersion, times 50 nations'
// levels), sorted and their Gini taken, as one record of the real world at 10^6 agents does
// about five times (world, price systems, world place, blocs, nations).
void BM_GiniOfIncomes(benchmark::State& state) {
  const std::size_t n = 2000000;
  std::vector<double> incomes(n);
  std::mt19937_64 engine(7);
  std::lognormal_distribution<double> ability(0.0, 0.64);
  for (std::size_t i = 0; i < n; ++i) incomes[i] = ability(engine) * std::exp(0.1 * static_cast<double>(i % 50));
  for (auto _ : state) benchmark::DoNotOptimize(glocal::SortedValues(incomes).gini());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(BM_GiniOfIncomes)->Unit(benchmark::kMillisecond)->MinTime(2.0);
