#include "processes/culture/culture.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>

namespace glocal::culture {
namespace {

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

}  // namespace
}  // namespace glocal::culture
