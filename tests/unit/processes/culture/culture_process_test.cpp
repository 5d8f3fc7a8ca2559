#include "processes/culture/culture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <memory>

namespace glocal::culture {
namespace {

/// Steps the process tick by tick until it absorbs or `limit` ticks have passed; returns the ticks.
/// The column of a world metric of the culture process.
std::size_t metric_index(const std::string& name) {
  const auto& metrics = process_info().metrics;
  for (std::size_t k = 0; k < metrics.size(); ++k) {
    if (metrics[k].name == name) return k;
  }
  ADD_FAILURE() << "no metric " << name;
  return 0;
}

std::uint64_t step_to_absorption(CultureProcess& process, const Rng& rng, std::uint64_t limit = 100000) {
  std::uint64_t tick = 0;
  while (!process.absorbed() && tick < limit) {
    const TickContext context{++tick, rng};
    process.step(context);
  }
  return tick;
}

TEST(CultureProcess, InitialTraitsAreUniformBelowQ) {
  const Network net = make_lattice(LatticeSpec{30, Boundary::open, Neighborhood::von_neumann, 1});
  const Rng rng(4, 0);
  const CultureProcess process(Parameters{5, 7, InitialTraits::uniform}, net, rng);
  std::array<int, 7> counts{};
  const auto view = process.view();
  for (std::size_t k = 0; k < std::size_t{900} * 5; ++k) {
    ASSERT_LT(view.traits[k], 7);
    ++counts[view.traits[k]];
  }
  for (const int c : counts) EXPECT_NEAR(c, 4500.0 / 7, 5 * std::sqrt(4500.0 / 7));
}

TEST(CultureProcess, ActiveEdgeCountStaysExactAlongARun) {
  const Network net = make_lattice(LatticeSpec{12, Boundary::periodic, Neighborhood::moore, 1});
  const Rng rng(5, 0);
  CultureProcess process(Parameters{4, 6, InitialTraits::uniform}, net, rng);
  for (std::uint64_t tick = 1; tick <= 200 && !process.absorbed(); ++tick) {
    process.run_events(tick, 0, net.size(), rng);
    ASSERT_EQ(process.active_edge_count(), active_edges(process.view(), net)) << "tick " << tick;
  }
}

TEST(CultureProcess, StopsAtTheAbsorbingEventAndNeverMovesAgain) {
  const Network net = make_lattice(LatticeSpec{6, Boundary::open, Neighborhood::von_neumann, 1});
  const Rng rng(6, 0);
  CultureProcess process(Parameters{3, 3, InitialTraits::uniform}, net, rng);
  std::uint64_t tick = 0;
  while (!process.absorbed()) process.run_events(++tick, 0, net.size(), rng);
  EXPECT_EQ(active_edges(process.view(), net), 0U);
  const std::uint64_t events = process.events();
  EXPECT_GT(events, 0U);
  const std::vector<std::uint8_t> frozen(process.view().traits, process.view().traits + 36 * 3);
  EXPECT_EQ(process.run_events(tick + 1, 0, 1000, rng), 0U);
  EXPECT_EQ(process.events(), events);
  EXPECT_EQ(std::vector<std::uint8_t>(process.view().traits, process.view().traits + 36 * 3), frozen);
}

TEST(CultureProcess, PoissonInitialTraitsHaveMeanQ) {
  const Network net = make_lattice(LatticeSpec{100, Boundary::periodic, Neighborhood::von_neumann, 1});
  const Rng rng(7, 0);
  const CultureProcess process(Parameters{2, 3, InitialTraits::poisson}, net, rng);
  double sum = 0;
  for (std::size_t k = 0; k < 20000; ++k) sum += process.view().traits[k];
  EXPECT_NEAR(sum / 20000, 3.0, 5 * std::sqrt(3.0 / 20000));
}

// The plain loop's three builds: AVX-512 where the CPU has it (the group rule on its lanes), one
// event at a time without AVX-512, and the group rule on the portable lanes. Returns whether
// AVX-512 is on.
enum class LoopChoice : std::uint8_t { avx512, scalar, portable_groups };
constexpr std::array<LoopChoice, 3> kLoopChoices{LoopChoice::avx512, LoopChoice::scalar, LoopChoice::portable_groups};
bool choose_loop(LoopChoice choice) {
  use_avx512(choice == LoopChoice::avx512);
  run_groups_on_portable_lanes(choice == LoopChoice::portable_groups);
  return avx512_available();
}
const char* loop_name(LoopChoice choice) {
  return choice == LoopChoice::avx512 ? "AVX-512 on" : choice == LoopChoice::scalar ? "AVX-512 off" : "portable groups";
}

// The plain event loop of the model's definition, for comparison with the engine's pipelined one:
// same counters, same rule, one event at a time, neighbours read from the network. `dependent`
// (optional) counts the events whose agent's or partner's row an earlier event of the same
// sixteen (events 16 m to 16 m + 15 of a tick) changed.
std::vector<std::uint8_t> plain_run(const Network& net, const Rng& rng, std::uint32_t features, std::uint64_t ticks,
                                    std::vector<std::uint8_t> traits, std::uint64_t& events_to_absorption,
                                    std::uint64_t* dependent = nullptr) {
  events_to_absorption = 0;
  std::uint64_t performed = 0;
  std::vector<AgentIndex> changed;  // the agents changed so far in this sixteen
  for (std::uint64_t tick = 1; tick <= ticks; ++tick) {
    for (std::uint64_t e = 0; e < net.size(); ++e) {
      if (e % 16 == 0) changed.clear();
      const auto w = event_block(rng.event_key(), rng.event_lane(), tick, Purpose::culture_event, e);
      RetryWords more(rng, e, tick, w[3]);
      ++performed;
      const AgentIndex i = uniform_below32(w[0], net.size(), more);
      if (net.degree(i) == 0) continue;
      const AgentIndex j = net.neighbors(i)[uniform_below32(w[1], net.degree(i), more)];
      if (dependent != nullptr && std::any_of(changed.begin(), changed.end(), [&](AgentIndex a) { return a == i || a == j; })) ++*dependent;
      if (interact(traits.data() + std::size_t{i} * features, traits.data() + std::size_t{j} * features, features, w[2], more).outcome ==
          Outcome::copied) {
        events_to_absorption = performed;
        changed.push_back(i);
      }
    }
  }
  return traits;
}

TEST(CultureProcess, PipelinedLoopMatchesThePlainLoopExactly) {
  // A random graph with isolated agents, run past absorption: same final traits byte for byte,
  // and the engine's event count equals the index of the last change.
  const Rng rng(8, 3);
  const Network net = make_random(300, 2.0, rng);
  CultureProcess process(Parameters{3, 4, InitialTraits::uniform}, net, rng);
  const std::vector<std::uint8_t> initial(process.view().traits, process.view().traits + 300 * 3);
  constexpr std::uint64_t kTicks = 5000;
  for (std::uint64_t tick = 1; tick <= kTicks; ++tick) process.run_events(tick, 0, net.size(), rng);
  std::uint64_t last_change = 0;
  const auto expected = plain_run(net, rng, 3, kTicks, initial, last_change);
  EXPECT_EQ(std::vector<std::uint8_t>(process.view().traits, process.view().traits + 300 * 3), expected);
  ASSERT_TRUE(process.absorbed()) << "choose a longer run: the comparison of event counts needs absorption";
  EXPECT_EQ(process.events(), last_change);
}

TEST(CultureProcess, SixteenEventsThatShareRowsMatchThePlainLoop) {
  // With AVX-512 the packed rule is decided for sixteen events at once, from the rows as they were
  // before them; an event whose agent's or partner's row an earlier one of the sixteen changed is
  // redone in order. Tiny worlds, where that is frequent (lattices of 16, 25 and 64 agents, a
  // random graph of 40 with isolated agents), F = 5, 8, 10 and 16 at q = 3 (long active runs),
  // 30 runs each: every run equals the plain loop, with AVX-512 on, off, and off with the group
  // rule on the portable lanes (the same code the AVX-512 build runs: so a machine without
  // AVX-512 checks it too), and the runs hold thousands of such dependent events.
  std::uint64_t dependent = 0;
  for (const LoopChoice choice : kLoopChoices) {
    choose_loop(choice);
    for (const std::uint32_t features : {5U, 8U, 10U, 16U}) {
      for (std::uint64_t run = 0; run < 30; ++run) {
        const Rng rng(31, run);
        const std::array<Network, 4> worlds{make_lattice(LatticeSpec{4, Boundary::periodic, Neighborhood::von_neumann, 1}),
                                            make_lattice(LatticeSpec{5, Boundary::periodic, Neighborhood::von_neumann, 1}),
                                            make_lattice(LatticeSpec{8, Boundary::periodic, Neighborhood::von_neumann, 1}),
                                            make_random(40, 1.5, rng)};
        for (const Network& net : worlds) {
          CultureProcess process(Parameters{features, 3, InitialTraits::uniform}, net, rng);
          const std::vector<std::uint8_t> initial(process.view().traits, process.view().traits + std::size_t{net.size()} * features);
          constexpr std::uint64_t kTicks = 40;
          for (std::uint64_t tick = 1; tick <= kTicks; ++tick) process.run_events(tick, 0, net.size(), rng);
          std::uint64_t last_change = 0;
          const auto expected =
              plain_run(net, rng, features, kTicks, initial, last_change, choice == LoopChoice::avx512 ? &dependent : nullptr);
          ASSERT_EQ(std::vector<std::uint8_t>(process.view().traits, process.view().traits + std::size_t{net.size()} * features), expected)
              << net.size() << " agents, F = " << features << ", run " << run << ", " << loop_name(choice);
          if (choice == LoopChoice::portable_groups) {
            ASSERT_EQ(process.kernel(), CultureProcess::Kernel::plain_groups_portable);
          }
        }
      }
    }
  }
  choose_loop(LoopChoice::avx512);
  EXPECT_GT(dependent, 2000U) << "the runs must hold events that depend on an earlier one of their sixteen";
}

TEST(CultureProcess, RejectedAgentDrawsMatchThePlainLoop) {
  // An event whose agent word Lemire's method rejects (low word below 2^32 mod N) takes the
  // event's spare word instead: the AVX-512 batch draws that agent itself (packed rule), the
  // portable batch sends the event to the exact scalar path. Sizes where rejections happen:
  // lattices of 300^2 (rows) and 272^2 (tiles), about 32 and 17 rejections in 20 ticks, and a
  // random graph of 90,000. The runs must equal the reference loop, with AVX-512 on, off, and off
  // with the group rule on the portable lanes.
  const Rng rng(12, 4);
  const Network rows = make_lattice(LatticeSpec{300, Boundary::periodic, Neighborhood::von_neumann, 1});
  const Network tiles = make_lattice(LatticeSpec{272, Boundary::periodic, Neighborhood::von_neumann, 1, LatticeOrder::tiles});
  const Network random = make_random(90000, 4.0, rng);
  constexpr std::uint64_t kTicks = 20;
  for (const Network* net : {&rows, &tiles, &random}) {
    const AgentIndex n = net->size();
    const std::uint32_t threshold = static_cast<std::uint32_t>(-n) % n;
    std::uint64_t rejected = 0;
    for (std::uint64_t tick = 1; tick <= kTicks; ++tick) {
      for (std::uint64_t e = 0; e < n; ++e) {
        const std::uint64_t m = std::uint64_t{event_block(rng.event_key(), rng.event_lane(), tick, Purpose::culture_event, e)[0]} * n;
        rejected += static_cast<std::uint32_t>(m) < threshold ? 1 : 0;
      }
    }
    ASSERT_GT(rejected, 0U) << "N = " << n << ": the run must reject some agent words";
    for (const LoopChoice choice : kLoopChoices) {
      choose_loop(choice);
      CultureProcess process(Parameters{5, 10, InitialTraits::uniform}, *net, rng);
      const std::vector<std::uint8_t> initial(process.view().traits, process.view().traits + std::size_t{n} * 5);
      for (std::uint64_t tick = 1; tick <= kTicks; ++tick) process.run_events(tick, 0, n, rng);
      std::uint64_t last_change = 0;
      const auto expected = plain_run(*net, rng, 5, kTicks, initial, last_change);
      EXPECT_EQ(std::vector<std::uint8_t>(process.view().traits, process.view().traits + std::size_t{n} * 5), expected)
          << "N = " << n << ", " << loop_name(choice) << ", " << rejected << " rejected agent words";
    }
    choose_loop(LoopChoice::avx512);
  }
}

TEST(CultureProcess, BlocksCoverEveryAgentOnceAndNoLinkJoinsTwoBlocksOfOneColour) {
  // The block scheme's one requirement: blocks of one colour can run side by side because no
  // link joins two of them. Lattices of side 10 (one block), 50 (6 strips), 1000 (64 strips), 96
  // in tiles (6 strips, one row of tiles each), a world of three 20 x 20 lattices (2 strips each)
  // and a world of random-graph localities.
  const Rng rng(3, 3);
  const Network small = make_lattice(LatticeSpec{10, Boundary::periodic, Neighborhood::von_neumann, 1});
  const Network medium = make_lattice(LatticeSpec{50, Boundary::periodic, Neighborhood::von_neumann, 1});
  const Network large = make_lattice(LatticeSpec{1000, Boundary::periodic, Neighborhood::von_neumann, 1});
  const Network lattices = join_localities(3, [](std::uint32_t) {
    return make_lattice(LatticeSpec{20, Boundary::periodic, Neighborhood::von_neumann, 1});
  });
  const Network tiled =
      make_lattice(LatticeSpec{96, Boundary::periodic, Neighborhood::von_neumann, 1, LatticeOrder::tiles});  // 6 rows of tiles
  const Network graphs = join_localities(4, [&](std::uint32_t l) { return make_random(100, 3.0, Rng(3, 10 + l)); });
  const Places three(PlaceShape{1, 1, 3, 400});
  const Places four(PlaceShape{1, 2, 2, 100});
  struct Case {
    const Network* net;
    const Places* places;
    std::size_t blocks;
  };
  for (const Case& c : {Case{&small, nullptr, 1}, Case{&medium, nullptr, 6}, Case{&large, nullptr, 64}, Case{&lattices, &three, 6},
                        Case{&tiled, nullptr, 6}, Case{&graphs, &four, 4}}) {
    Parameters p{2, 2, InitialTraits::uniform};
    p.update = Update::blocks;
    const CultureProcess process(p, *c.net, rng, c.places);
    std::vector<int> block_of(c.net->size(), -1);
    std::vector<int> colour_of;
    for (int colour = 0; colour < 2; ++colour) {
      for (const AgentRange& block : process.blocks()[colour]) {
        for (AgentIndex a = block.first; a < block.first + block.size; ++a) {
          ASSERT_EQ(block_of[a], -1) << "agent " << a << " in two blocks";
          block_of[a] = static_cast<int>(colour_of.size());
        }
        colour_of.push_back(colour);
      }
    }
    EXPECT_EQ(colour_of.size(), c.blocks) << "N = " << c.net->size();
    for (AgentIndex a = 0; a < c.net->size(); ++a) {
      ASSERT_NE(block_of[a], -1) << "agent " << a << " in no block";
      for (const AgentIndex b : c.net->neighbors(a)) {
        ASSERT_TRUE(block_of[a] == block_of[b] || colour_of[block_of[a]] != colour_of[block_of[b]]) << "link " << a << " - " << b;
      }
    }
  }
}

TEST(CultureProcess, ComputedLatticeNeighboursAndPackedRowsMatchThePlainLoopExactly) {
  // A periodic von Neumann lattice (neighbours computed, rows compared 8 bytes at a time) and a
  // world of three of them, numbered in rows (side 7) and in tiles (side 32: 2 x 8 tiles): the
  // computed neighbours are the network's, and the final traits those of the plain loop reading
  // the network.
  const Rng rng(9, 1);
  for (const auto& [side, order] : {std::pair{7U, LatticeOrder::rows}, std::pair{32U, LatticeOrder::tiles}}) {
    const Network single = make_lattice(LatticeSpec{side, Boundary::periodic, Neighborhood::von_neumann, 1, order});
    const Network world = join_localities(3, [&](std::uint32_t) { return single; });
    ASSERT_EQ(world.periodic_lattice_side(), side);
    ASSERT_EQ(world.lattice_order(), order);
    const LatticeNeighbors computed(side, 0, order);
    for (AgentIndex a = 0; a < world.size(); ++a) {
      for (std::uint32_t k = 0; k < 4; ++k) {
        ASSERT_EQ(computed(a, k), world.neighbors(a)[k]) << side << ": " << a << " " << k;
        ASSERT_EQ(computed.all(a)[k], world.neighbors(a)[k]) << side << ": " << a << " " << k;
      }
    }
    const LatticeNeighbors one(side, single.size(), order);  // one lattice: no division by L^2
    for (AgentIndex a = 0; a < single.size(); ++a) {
      for (std::uint32_t k = 0; k < 4; ++k) {
        ASSERT_EQ(one(a, k), single.neighbors(a)[k]) << side << ": " << a << " " << k;
        ASSERT_EQ(one.all(a)[k], single.neighbors(a)[k]) << side << ": " << a << " " << k;
      }
    }
    for (const LoopChoice choice : kLoopChoices) {  // AVX-512 batches (where the CPU has them), the portable loop, portable groups
      choose_loop(choice);
      for (const Network* net : {&single, &world}) {
        CultureProcess process(Parameters{4, 5, InitialTraits::uniform}, *net, rng);
        const std::vector<std::uint8_t> initial(process.view().traits, process.view().traits + std::size_t{net->size()} * 4);
        const std::uint64_t ticks = side < 10 ? 300 : 20;
        for (std::uint64_t tick = 1; tick <= ticks; ++tick) process.run_events(tick, 0, net->size(), rng);
        std::uint64_t last_change = 0;
        const auto expected = plain_run(*net, rng, 4, ticks, initial, last_change);
        EXPECT_EQ(std::vector<std::uint8_t>(process.view().traits, process.view().traits + std::size_t{net->size()} * 4), expected)
            << "side " << side << ", " << loop_name(choice);
      }
    }
    choose_loop(LoopChoice::avx512);
  }
}

TEST(CultureDrift, HappensAtTheRequestedRatePerEvent) {
  // 10^6 events at r = 0.01: drifts ~ Binomial(10^6, 0.01), sd = 99.5; tolerance 5 sd.
  const Network net = make_lattice(LatticeSpec{20, Boundary::periodic, Neighborhood::von_neumann, 1});
  const Rng rng(12, 0);
  CultureProcess process(Parameters{5, 10, InitialTraits::uniform, 0.01}, net, rng);
  constexpr std::uint64_t kTicks = 2500;  // 2500 x 400 events
  for (std::uint64_t tick = 1; tick <= kTicks; ++tick) process.run_events(tick, 0, net.size(), rng);
  EXPECT_EQ(process.events(), kTicks * 400);
  EXPECT_NEAR(static_cast<double>(process.drift_count()), 1.0e4, 5 * 99.5);
  EXPECT_FALSE(process.absorbed());
}

TEST(CultureDrift, KeepsTheActiveEdgeCountExactAndLeavesFrozenStates) {
  const Network net = make_lattice(LatticeSpec{8, Boundary::open, Neighborhood::von_neumann, 1});
  const Rng rng(13, 0);
  CultureProcess process(Parameters{3, 3, InitialTraits::uniform, 0.002}, net, rng);
  std::uint64_t frozen_ticks = 0;
  std::uint64_t thawed_after_freeze = 0;
  bool was_frozen = false;
  for (std::uint64_t tick = 1; tick <= 3000; ++tick) {
    process.run_events(tick, 0, net.size(), rng);
    ASSERT_EQ(process.active_edge_count(), active_edges(process.view(), net)) << "tick " << tick;
    const bool frozen = process.active_edge_count() == 0;
    frozen_ticks += frozen ? 1 : 0;
    thawed_after_freeze += (was_frozen && !frozen) ? 1 : 0;
    was_frozen = frozen;
  }
  EXPECT_GT(frozen_ticks, 0U);         // it does reach frozen configurations...
  EXPECT_GT(thawed_after_freeze, 0U);  // ...and drift moves it out of them again
}

std::uint64_t field_active_count(const CultureView& view) {
  std::uint64_t active = 0;
  const std::vector<std::uint8_t> field(view.features, 0);
  for (AgentIndex i = 0; i < view.agents; ++i) {
    const std::uint32_t same = overlap(view.of(i), field.data(), view.features);
    active += (same > 0 && same < view.features) ? 1 : 0;
  }
  return active;
}

TEST(CultureMedia, AbsorbsOnlyWhenNoAgentCanStillMoveTowardTheField) {
  // Strong field on a small lattice: at absorption no link is active and every agent either
  // equals the field or shares nothing with it.
  const Network net = make_lattice(LatticeSpec{6, Boundary::open, Neighborhood::von_neumann, 1});
  const Rng rng(14, 0);
  CultureProcess process(Parameters{3, 4, InitialTraits::uniform, 0.0, MediaKind::fixed, 0.4}, net, rng);
  std::uint64_t tick = 0;
  while (!process.absorbed() && tick < 100000) process.run_events(++tick, 0, net.size(), rng);
  ASSERT_TRUE(process.absorbed());
  EXPECT_EQ(active_edges(process.view(), net), 0U);
  EXPECT_EQ(field_active_count(process.view()), 0U);
  EXPECT_GT(process.media_count(), 0U);
  std::vector<double> metrics(process_info().metrics.size());
  process.measure(metrics);
  EXPECT_GT(metrics[7], 0.0);  // some agents took the media culture
}

TEST(CultureMedia, MeetsTheFieldAtTheRequestedRate) {
  // 4 x 10^5 events at B = 0.05: Binomial sd = 137.8; tolerance 5 sd. Drift keeps it from absorbing.
  const Network net = make_lattice(LatticeSpec{20, Boundary::periodic, Neighborhood::von_neumann, 1});
  const Rng rng(15, 0);
  CultureProcess process(Parameters{5, 10, InitialTraits::uniform, 0.001, MediaKind::fixed, 0.05}, net, rng);
  for (std::uint64_t tick = 1; tick <= 1000; ++tick) process.run_events(tick, 0, net.size(), rng);
  EXPECT_EQ(process.events(), 400000U);
  EXPECT_NEAR(static_cast<double>(process.media_count()), 20000.0, 5 * 137.8);
}

TEST(CultureReach, LocalityReachKeepsLocalitiesApartAndAbsorbsExactly) {
  // Four localities of 16 agents, partners drawn only within the locality: at absorption no two
  // agents of one locality have 0 < o < F, cultures never cross localities' borders by contact,
  // and the event count is that of the last change.
  const Places places(PlaceShape{1, 2, 2, 16});
  const Network ring = make_ring(16, 2);
  const Network net = join_localities(4, [&](std::uint32_t) { return ring; });
  const Rng rng(16, 0);
  Parameters p{3, 3, InitialTraits::uniform};
  p.reach = {0.0, 1.0, 0.0, 0.0, 0.0};
  CultureProcess process(p, net, rng, &places);
  const std::uint64_t ticks = step_to_absorption(process, rng);
  ASSERT_TRUE(process.absorbed());
  EXPECT_LE(process.events(), ticks * net.size());
  const CultureView view = process.view();
  for (AgentIndex a = 0; a < 64; ++a) {
    for (AgentIndex b = a + 1; b < 64; ++b) {
      if (a / 16 != b / 16) continue;
      const std::uint32_t o = overlap(view.of(a), view.of(b), 3);
      EXPECT_TRUE(o == 0 || o == 3) << a << "," << b;
    }
  }
}

TEST(CultureReach, WorldReachDrawsUniformlyAmongTheOthers) {
  // World reach 1 on a world of two localities with no links at all: every partner comes from the
  // reach kernel, across localities too; the process converges, and at absorption no two agents
  // anywhere have 0 < o < F.
  const Places places(PlaceShape{1, 1, 2, 20});
  const Network empty(40, {});
  const Rng rng(17, 0);
  Parameters p{2, 2, InitialTraits::uniform};
  p.reach = {0.0, 0.0, 0.0, 0.0, 1.0};
  CultureProcess process(p, empty, rng, &places);
  step_to_absorption(process, rng);
  ASSERT_TRUE(process.absorbed());
  EXPECT_GT(process.events(), 0U);
  const CultureView view = process.view();
  for (AgentIndex a = 0; a < 40; ++a) {
    for (AgentIndex b = a + 1; b < 40; ++b) {
      const std::uint32_t o = overlap(view.of(a), view.of(b), 2);
      EXPECT_TRUE(o == 0 || o == 2);
    }
  }
}

TEST(CulturePlaces, CulturesEntropyAndDominantShareOfAPlace) {
  // Agents 0..7 of a ring; the place [2, 6) is measured. Force its cultures: A A A B.
  const Network net = make_ring(8, 2);
  const Rng rng(18, 0);
  CultureProcess process(Parameters{2, 5, InitialTraits::uniform}, net, rng);
  auto* traits = const_cast<std::uint8_t*>(process.view().traits);  // test-only: set a configuration
  const std::uint8_t cultures[4][2] = {{1, 1}, {1, 1}, {1, 1}, {2, 3}};
  for (int k = 0; k < 4; ++k) std::memcpy(traits + (2 + k) * 2, cultures[k], 2);
  std::vector<double> out(process_info().place_metrics.size());
  process.measure_place(AgentRange{2, 4}, out);
  EXPECT_EQ(out[0], 4.0);
  EXPECT_EQ(out[1], 2.0);
  EXPECT_NEAR(out[2], -(0.75 * std::log2(0.75) + 0.25 * std::log2(0.25)), 1e-12);
  EXPECT_EQ(out[3], 0.75);
  EXPECT_TRUE(std::isnan(out[4]));  // no media
}

TEST(CultureSchedule, DriftSwitchedOnMidRunHappensAtTheNewRateFromThen) {
  // No drift for 500 ticks, then r = 0.01 for 500 ticks of 400 events: drifts ~ Binomial(2 x 10^5,
  // 0.01), mean 2,000, sd 44.5; tolerance 5 sd. None before the switch.
  const Network net = make_lattice(LatticeSpec{20, Boundary::periodic, Neighborhood::von_neumann, 1});
  const Rng rng(19, 0);
  Parameters p{5, 10, InitialTraits::uniform};
  p.reach = {0.9, 0.1, 0.0, 0.0, 0.0};  // never absorbs on this run's length anyway
  CultureProcess process(p, net, rng);
  for (std::uint64_t tick = 1; tick <= 500; ++tick) process.run_events(tick, 0, net.size(), rng);
  EXPECT_EQ(process.drift_count(), 0U);
  (void)process_info();  // the declarations set_parameter writes by
  process.set_parameter("culture.drift", 0.01);
  for (std::uint64_t tick = 501; tick <= 1000; ++tick) process.run_events(tick, 0, net.size(), rng);
  EXPECT_NEAR(static_cast<double>(process.drift_count()), 2000.0, 5 * 44.5);
}

TEST(CultureHeritage, CountsStayExactAndAbsorptionLeavesNoAgentHalfwayToItsHeritage) {
  // Two localities of 25 (5 x 5 lattices) with a strong heritage pull: at absorption every agent
  // equals its locality's heritage or shares nothing with it, no link is active, and retention is
  // higher than without heritage on the same seed.
  const Places places(PlaceShape{1, 1, 2, 25});
  const Network lattice = make_lattice(LatticeSpec{5, Boundary::open, Neighborhood::von_neumann, 1});
  const Network net = join_localities(2, [&](std::uint32_t) { return lattice; });
  const Rng rng(20, 0);
  auto run = [&](double heritage) {
    Parameters p{3, 4, InitialTraits::uniform};
    p.heritage = heritage;
    auto process = std::make_unique<CultureProcess>(p, net, rng, &places);
    step_to_absorption(*process, rng);
    return process;
  };
  const auto with = run(0.3);
  ASSERT_TRUE(with->absorbed());
  EXPECT_EQ(active_edges(with->view(), net), 0U);
  std::vector<double> metrics(process_info().metrics.size());
  with->measure(metrics);
  const std::size_t column = metric_index("heritage_retention");
  const double retention = metrics[column];
  EXPECT_GT(retention, 0.0);
  const auto without = run(0.0);
  std::vector<double> plain(process_info().metrics.size());
  without->measure(plain);
  EXPECT_GT(retention, plain[column]);
}

TEST(CultureHeritage, SwitchedOnBySchedulePicksUpAnExactCount) {
  // Heritage off for 30 ticks, then h = 0.2 (as a schedule would do it): from then on the count of
  // agents halfway to their heritage matches a recount after every tick.
  const Places places(PlaceShape{1, 1, 3, 16});
  const Network ring = make_ring(16, 2);
  const Network net = join_localities(3, [&](std::uint32_t) { return ring; });
  const Rng rng(21, 0);
  CultureProcess process(Parameters{4, 5, InitialTraits::uniform}, net, rng, &places);
  auto recount = [&] {
    std::uint64_t active = 0;
    for (AgentIndex i = 0; i < net.size(); ++i) {
      const std::uint32_t o = overlap(process.view().of(i), process.heritage_of(i), 4);
      active += (o > 0 && o < 4) ? 1 : 0;
    }
    return active;
  };
  for (std::uint64_t tick = 1; tick <= 30; ++tick) process.run_events(tick, 0, net.size(), rng);
  (void)process_info();  // the declarations set_parameter writes by
  process.set_parameter("culture.heritage", 0.2);
  EXPECT_EQ(process.heritage_active_count(), recount());
  std::uint64_t checked = 0;
  for (std::uint64_t tick = 31; tick <= 300 && !process.absorbed(); ++tick, ++checked) {
    process.run_events(tick, 0, net.size(), rng);
    ASSERT_EQ(process.heritage_active_count(), recount()) << "tick " << tick;
  }
  EXPECT_GT(checked, 5U);
}

/// The modal trait of each feature over a range of agents (ties to the smallest), from scratch.
std::vector<std::uint8_t> modal_culture(const CultureView& view, AgentRange range) {
  std::vector<std::uint8_t> mode(view.features);
  for (std::uint32_t f = 0; f < view.features; ++f) {
    std::array<std::uint32_t, 256> counts{};
    for (AgentIndex i = range.first; i < range.first + range.size; ++i) ++counts[view.of(i)[f]];
    mode[f] = static_cast<std::uint8_t>(std::max_element(counts.begin(), counts.end()) - counts.begin());
  }
  return mode;
}

TEST(CulturePrototype, InitialOverlapWithinAndBetweenLocalitiesIsTheAnalyticOne) {
  // 20 localities of 400, F = 5, q = 10, s = 0.5. A trait is the prototype's with probability
  // p = s + (1 - s)/q = 0.55 and each other trait with r = (1 - s)/q = 0.05, so two agents of a
  // locality agree on a feature with probability p^2 + (q - 1) r^2 = 0.325; agents of different
  // localities (independent prototypes) with 1/q = 0.1. Tolerances (fixed in advance): 0.005
  // within (1.6 million pairs per feature), 0.01 between (dominated by the 190 prototype pairs).
  const Places places(PlaceShape{1, 1, 20, 400});
  const Network lattice = make_lattice(LatticeSpec{20, Boundary::periodic, Neighborhood::von_neumann, 1});
  const Network net = join_localities(20, [&](std::uint32_t) { return lattice; });
  const Rng rng(30, 0);
  Parameters p{5, 10, InitialTraits::uniform};
  p.prototype = Scale::locality;
  p.similarity = 0.5;
  const CultureProcess process(p, net, rng, &places);
  const PairOverlap pairs = pair_overlap(process.view(), places, AgentRange{0, places.agents()});
  EXPECT_NEAR(pairs.within, 0.325, 0.005);
  EXPECT_NEAR(pairs.between, 0.1, 0.01);
  // s = 1: every locality starts as one culture; s = 0: the same traits as without prototypes.
  p.similarity = 1.0;
  const CultureProcess uniform_places(p, net, rng, &places);
  EXPECT_DOUBLE_EQ(pair_overlap(uniform_places.view(), places, AgentRange{0, places.agents()}).within, 1.0);
  p.similarity = 0.0;
  const CultureProcess none(p, net, rng, &places);
  const CultureProcess plain(Parameters{5, 10, InitialTraits::uniform}, net, rng, &places);
  EXPECT_TRUE(std::equal(none.view().traits, none.view().traits + 5 * places.agents(), plain.view().traits));
}

TEST(CultureMedia, EndogenousFieldsStayTheModalCultureAndAbsorbExactly) {
  // World, nation and locality fields on 2 nations x 2 localities of 36: after every tick each
  // agent's field is the modal culture of its scope recomputed from scratch; at absorption no
  // link is active and every agent equals its field or shares nothing with it.
  const Places places(PlaceShape{1, 2, 2, 36});
  const Network lattice = make_lattice(LatticeSpec{6, Boundary::open, Neighborhood::von_neumann, 1});
  const Network net = join_localities(4, [&](std::uint32_t) { return lattice; });
  const Rng rng(31, 0);
  for (const auto& [kind, scale] : {std::pair{MediaKind::world, Scale::world}, std::pair{MediaKind::nation, Scale::nation},
                                    std::pair{MediaKind::locality, Scale::locality}}) {
    Parameters p{3, 5, InitialTraits::uniform, 0.0, kind, 0.2};
    CultureProcess process(p, net, rng, &places);
    std::uint64_t tick = 0;
    while (!process.absorbed() && tick < 20000) {
      process.step(TickContext{++tick, rng});
      for (const AgentIndex agent : {AgentIndex{0}, AgentIndex{50}, AgentIndex{100}, AgentIndex{143}}) {
        const auto expected = modal_culture(process.view(), places.range(agent, scale));
        ASSERT_TRUE(std::equal(expected.begin(), expected.end(), process.field_of(agent))) << "tick " << tick;
      }
    }
    ASSERT_TRUE(process.absorbed()) << static_cast<int>(kind);
    EXPECT_EQ(active_edges(process.view(), net), 0U);
    for (AgentIndex i = 0; i < net.size(); ++i) {
      const std::uint32_t same = overlap(process.view().of(i), process.field_of(i), 3);
      EXPECT_TRUE(same == 0 || same == 3) << i;
    }
    EXPECT_GT(process.media_count(), 0U);
  }
}

TEST(CultureInnovation, CopiesAcrossLocalitiesCreateTraitsNobodyHeld) {
  // Four localities of 25, 20 % of partners from the whole world, c = 0.5: innovations happen,
  // only on far copies, each a trait at or above q that was unused; with c = 0 none.
  const Places places(PlaceShape{1, 1, 4, 25});
  const Network lattice = make_lattice(LatticeSpec{5, Boundary::open, Neighborhood::von_neumann, 1});
  const Network net = join_localities(4, [&](std::uint32_t) { return lattice; });
  const Rng rng(32, 0);
  for (const double c : {0.0, 0.5}) {
    Parameters p{4, 6, InitialTraits::uniform};
    p.reach = {0.8, 0.0, 0.0, 0.0, 0.2};
    p.innovation = c;
    CultureProcess process(p, net, rng, &places);
    for (std::uint64_t tick = 1; tick <= 200 && !process.absorbed(); ++tick) process.step(TickContext{tick, rng});
    std::uint32_t beyond_q = 0;
    for (std::size_t k = 0; k < std::size_t{100} * 4; ++k) beyond_q += process.view().traits[k] >= 6 ? 1 : 0;
    if (c == 0.0) {
      EXPECT_EQ(process.innovation_count(), 0U);
      EXPECT_EQ(beyond_q, 0U);
    } else {
      EXPECT_GT(process.innovation_count(), 0U);
      EXPECT_GT(beyond_q, 0U);
    }
    EXPECT_EQ(process.active_edge_count(), active_edges(process.view(), net));
  }
}

}  // namespace
}  // namespace glocal::culture

namespace glocal::culture {
namespace {

/// The traits and events after `ticks` ticks, each run as run_events calls of `piece` events.
std::pair<std::vector<std::uint8_t>, std::uint64_t> run_in_pieces(const Parameters& p, const Network& net, std::uint64_t piece,
                                                                  std::uint64_t ticks) {
  const Rng rng(11, 0);
  CultureProcess process(p, net, rng);
  const std::uint64_t n = std::uint64_t{net.size()} * p.rate;
  for (std::uint64_t tick = 1; tick <= ticks; ++tick) {
    for (std::uint64_t first = 0; first < n; first += piece) process.run_events(tick, first, std::min(piece, n - first), rng);
  }
  const auto view = process.view();
  return {std::vector<std::uint8_t>(view.traits, view.traits + std::size_t{net.size()} * p.features), process.events()};
}

// A cancellable tick runs in pieces (CultureProcess::step): for every scheme it does so, the
// pieces must be exactly the whole tick, to absorption included.
TEST(CultureProcess, ATickRunInPiecesIsExactlyTheWholeTick) {
  const Network periodic = make_lattice(LatticeSpec{60, Boundary::periodic, Neighborhood::von_neumann, 1});
  const Network open = make_lattice(LatticeSpec{60, Boundary::open, Neighborhood::von_neumann, 1});
  Parameters plain{5, 10, InitialTraits::uniform};
  Parameters wide{12, 3, InitialTraits::uniform};  // rows wider than the packed kernels
  Parameters drift = plain;
  drift.drift = 0.001;  // the event loop, not the plain one
  Parameters threads = plain;
  threads.threads = 2;  // parallel events
  Parameters absorbing{3, 2, InitialTraits::uniform};
  const struct {
    const char* what;
    Parameters p;
    const Network* net;
    std::uint64_t ticks;
  } cases[] = {{"plain, periodic", plain, &periodic, 50},   {"plain, open", plain, &open, 50},
               {"plain, F = 12", wide, &periodic, 50},      {"events, drift", drift, &periodic, 50},
               {"parallel events", threads, &periodic, 50}, {"to absorption", absorbing, &periodic, 2000}};
  for (const auto& c : cases) {
    const std::uint64_t n = std::uint64_t{c.net->size()} * c.p.rate;
    EXPECT_EQ(run_in_pieces(c.p, *c.net, n, c.ticks), run_in_pieces(c.p, *c.net, n / 7 + 3, c.ticks)) << c.what;
  }
}

}  // namespace
}  // namespace glocal::culture

namespace glocal::culture {
namespace {

// The rule is stated once (axelrod_rule.hpp); the fast kernels run only while it is the rule they
// hard-code (KernelContract), and the test below says which loop ran.
TEST(CultureRule, TheShippedRuleFollowsTheKernelContract) { EXPECT_TRUE(canonical_rule()); }

TEST(CultureRule, AnEditedRuleOrActiveTestBreaksTheContract) {
  const auto more = [] { return 0x9E3779B9U; };
  const auto active = [](std::uint32_t o, std::uint32_t f) { return active_pair(o, f); };
  const auto axelrod = [&](std::uint8_t* a, const std::uint8_t* b, std::uint32_t f, std::uint32_t w) {
    return interact<false>(a, b, f, w, more);
  };
  EXPECT_TRUE(follows_kernel_contract(axelrod, active, 32));
  // The example: interact only when the overlap is at least half of F.
  const auto half = [&](std::uint8_t* a, const std::uint8_t* b, std::uint32_t f, std::uint32_t w) {
    if (2 * overlap(a, b, f) < f) return Interaction{Outcome::declined};
    return interact<false>(a, b, f, w, more);
  };
  EXPECT_FALSE(follows_kernel_contract(half, active, 32));
  const auto half_active = [](std::uint32_t o, std::uint32_t f) { return 2 * o >= f && o < f; };
  EXPECT_FALSE(follows_kernel_contract(axelrod, half_active, 32));
  // Copying the first differing feature instead of a uniform one.
  const auto first = [&](std::uint8_t* a, const std::uint8_t* b, std::uint32_t f, std::uint32_t w) {
    Interaction result = interact<false>(a, b, f, w, more);
    if (result.outcome != Outcome::copied) return result;
    a[result.feature] = result.old_trait;  // undo, then copy the first differing feature
    std::uint32_t k = 0;
    while (a[k] == b[k]) ++k;
    result = {Outcome::copied, k, a[k]};
    a[k] = b[k];
    return result;
  };
  EXPECT_FALSE(follows_kernel_contract(first, active, 32));
}

TEST(CultureRule, TheFastLoopsRunOnlyThePlainModelOfTheCanonicalRule) {
  const Network lattice = make_lattice(LatticeSpec{16, Boundary::periodic, Neighborhood::von_neumann, 1});
  const Rng rng(5, 0);
  const auto kernel_of = [&](Parameters p) {
    CultureProcess process(p, lattice, rng);
    process.run_events(1, 0, lattice.size(), rng);
    return process.kernel();
  };
  const bool groups = avx512_available() && kernel_of(Parameters{12, 10}) == CultureProcess::Kernel::plain_groups;
  using K = CultureProcess::Kernel;
  EXPECT_EQ(kernel_of(Parameters{5, 10}), groups ? K::plain_groups : K::plain_packed);
  EXPECT_EQ(kernel_of(Parameters{12, 10}), groups ? K::plain_groups : K::plain);
  EXPECT_EQ(kernel_of(Parameters{20, 10}), K::plain);
  Parameters drift{5, 10};
  drift.drift = 1e-3;
  EXPECT_EQ(kernel_of(drift), K::general_packed);
  drift.features = 12;
  EXPECT_EQ(kernel_of(drift), K::general);
  Parameters blocks{5, 10};
  blocks.update = Update::blocks;
  EXPECT_EQ(kernel_of(blocks), K::blocks);
  use_avx512(false);
  EXPECT_EQ(kernel_of(Parameters{5, 10}), K::plain_packed);
  EXPECT_EQ(kernel_of(Parameters{12, 10}), K::plain);
  run_groups_on_portable_lanes(true);  // the tests' choice: the group rule's code without AVX-512
  EXPECT_EQ(kernel_of(Parameters{5, 10}), K::plain_groups_portable);
  EXPECT_EQ(kernel_of(Parameters{16, 10}), K::plain_groups_portable);
  EXPECT_EQ(kernel_of(Parameters{17, 10}), K::plain);
  EXPECT_EQ(kernel_of(drift), K::general);  // never for a model beyond the plain one
  run_groups_on_portable_lanes(false);
  use_avx512(true);
}

}  // namespace
}  // namespace glocal::culture
