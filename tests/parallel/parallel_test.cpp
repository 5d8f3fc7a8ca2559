// Deterministic reservations (culture.threads > 1) give exactly the one-by-one result. These
// tests start OpenMP teams; they run alone (RUN_SERIAL), since threads that wait at a barrier
// behind another test's work on a 2-core machine make them slow, not wrong.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "glocal/run/simulation.hpp"
#include "support/same_runs.hpp"
#include "processes/culture/culture.hpp"

namespace glocal::culture {
namespace {

TEST(CultureParallel, DeterministicReservationsGiveTheOneByOneResultOnAnyThreadCount) {
  // A periodic lattice, and a random graph with isolated agents run to absorption: 2 and 3
  // threads give the same traits, active-link count and events as one thread, tick by tick.
  const Rng rng(10, 2);
  const Network lattice = make_lattice(LatticeSpec{16, Boundary::periodic, Neighborhood::von_neumann, 1});
  const Network random = make_random(400, 0.8, rng);  // small components: absorbs within the run
  int absorbed = 0;                                   // the rewind of the event count at absorption must be exercised too
  for (const Network* net : {&lattice, &random}) {
    for (const std::uint32_t features : {3U, 12U}) {  // packed rows and byte loops
      Parameters serial_p{features, 3, InitialTraits::uniform};
      CultureProcess serial(serial_p, *net, rng);
      std::vector<std::unique_ptr<CultureProcess>> parallel;
      for (const std::uint32_t threads : {2U, 3U}) {
        Parameters p = serial_p;
        p.threads = threads;
        parallel.push_back(std::make_unique<CultureProcess>(p, *net, rng));
      }
      for (std::uint64_t tick = 1; tick <= 150 && !serial.absorbed(); ++tick) {
        serial.step(TickContext{tick, rng});
        for (const auto& process : parallel) {
          process->step(TickContext{tick, rng});
          ASSERT_TRUE(std::equal(serial.view().traits, serial.view().traits + std::size_t{net->size()} * features, process->view().traits))
              << "tick " << tick;
          ASSERT_EQ(process->active_edge_count(), serial.active_edge_count()) << "tick " << tick;
          ASSERT_EQ(process->events(), serial.events()) << "tick " << tick;
        }
      }
      absorbed += serial.absorbed() ? 1 : 0;
    }
  }
  EXPECT_GE(absorbed, 1);
}

TEST(CultureParallel, BlockSchemeGivesTheSameRunOnAnyThreadCount) {
  // culture.update = blocks: a periodic lattice cut into strips (32 x 32: 4 strips), and a world
  // of 12 random-graph localities (each a block): 1, 2 and 3 threads, the same traits and event
  // counts tick by tick, run to absorption.
  const Rng rng(11, 5);
  const Network lattice = make_lattice(LatticeSpec{32, Boundary::periodic, Neighborhood::von_neumann, 1});
  const Network world = join_localities(12, [&](std::uint32_t l) { return make_random(150, 3.0, Rng(11, 100 + l)); });
  const Places places(PlaceShape{1, 3, 4, 150});
  for (const bool on_lattice : {true, false}) {
    const Network& net = on_lattice ? lattice : world;
    const Places* where = on_lattice ? nullptr : &places;
    std::vector<std::unique_ptr<CultureProcess>> runs;
    for (const std::uint32_t threads : {1U, 2U, 3U}) {
      Parameters p{3, on_lattice ? 20U : 8U, InitialTraits::uniform};
      p.update = Update::blocks;
      p.threads = threads;
      runs.push_back(std::make_unique<CultureProcess>(p, net, rng, where));
    }
    for (std::uint64_t tick = 1; tick <= 3000 && !runs[0]->absorbed(); ++tick) {
      for (const auto& process : runs) process->step(TickContext{tick, rng});
      for (std::size_t k = 1; k < runs.size(); ++k) {
        ASSERT_TRUE(std::equal(runs[0]->view().traits, runs[0]->view().traits + std::size_t{net.size()} * 3, runs[k]->view().traits))
            << "tick " << tick << " threads " << k + 1;
        ASSERT_EQ(runs[k]->events(), runs[0]->events()) << "tick " << tick;
        ASSERT_EQ(runs[k]->absorbed(), runs[0]->absorbed()) << "tick " << tick;
      }
    }
    EXPECT_TRUE(runs[0]->absorbed()) << (on_lattice ? "lattice" : "world") << ": choose a longer run, absorption must be exercised";
  }
}

/// The scenario run with culture.threads = 1 and = 2 (replicates one at a time): the same
/// recorded values, bit for bit.
void expect_threads_change_nothing(const char* text) {
  const Scenario one = Scenario::parse(text, "one.toml");
  Scenario two = Scenario::parse(text, "two.toml");
  two.set("culture.threads=2");
  BatchOptions serial;
  serial.threads = 1;
  testing::expect_same(run_batch(one, 3, serial), run_batch(two, 3, serial), 3);
}

TEST(CultureParallel, BlockSchemeThreadsDoNotChangeAnyRecordedValue) {
  expect_threads_change_nothing(
      "[run]\nseed = 78\nstop = \"absorbing\"\nticks = 100000\nrecord_every = 50\n"
      "[world.lattice]\nside = 48\nboundary = \"periodic\"\n[culture]\nfeatures = 5\ntraits = 12\nupdate = \"blocks\"\n");
}

TEST(CultureParallel, ThreadsInsideOneRunDoNotChangeAnyRecordedValue) {
  // culture.threads = 1 (one by one) and 2 (deterministic reservations): the same runs, bit for bit.
  expect_threads_change_nothing(
      "[run]\nseed = 77\nstop = \"absorbing\"\nticks = 100000\nrecord_every = 50\n"
      "[world.lattice]\nside = 12\nboundary = \"periodic\"\n[culture]\nfeatures = 5\ntraits = 12\n");
}

}  // namespace
}  // namespace glocal::culture
