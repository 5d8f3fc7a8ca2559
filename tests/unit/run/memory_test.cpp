// The memory estimate against the bytes a run really allocates: every operator new of this test
// binary is counted, and the peak while a run is built, steps and measures is compared with
// estimate_memory's bytes for one run.
#include <gtest/gtest.h>
#include <malloc.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>

#include "glocal/run/memory.hpp"
#include "glocal/run/simulation.hpp"
#include "support/command.hpp"

namespace {

std::atomic<std::int64_t> g_live{0};
std::atomic<std::int64_t> g_peak{0};

void* counted(void* p) {
  if (p == nullptr) throw std::bad_alloc();
  const auto now = g_live.fetch_add(static_cast<std::int64_t>(malloc_usable_size(p))) + static_cast<std::int64_t>(malloc_usable_size(p));
  auto peak = g_peak.load();
  while (now > peak && !g_peak.compare_exchange_weak(peak, now)) {
  }
  return p;
}
void release(void* p) noexcept {
  if (p == nullptr) return;
  g_live.fetch_sub(static_cast<std::int64_t>(malloc_usable_size(p)));
  std::free(p);
}
void* aligned(std::size_t size, std::align_val_t align) {
  const auto a = static_cast<std::size_t>(align);
  return counted(std::aligned_alloc(a, (size + a - 1) / a * a));
}

}  // namespace

void* operator new(std::size_t size) { return counted(std::malloc(size == 0 ? 1 : size)); }
void* operator new[](std::size_t size) { return counted(std::malloc(size == 0 ? 1 : size)); }
void* operator new(std::size_t size, std::align_val_t align) { return aligned(size, align); }
void* operator new[](std::size_t size, std::align_val_t align) { return aligned(size, align); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  void* p = std::malloc(size == 0 ? 1 : size);
  return p == nullptr ? nullptr : counted(p);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return operator new(size, tag); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { release(p); }

namespace glocal {
namespace {

/// The peak bytes allocated while one run of the scenario is built, takes `ticks` steps and is
/// measured after each (the metrics' scratch included), beyond what was live before.
std::int64_t peak_of_one_run(const Scenario& scenario, int ticks) {
  const std::int64_t before = g_live.load();
  g_peak.store(before);
  {
    Simulation simulation(scenario, 0);
    for (int t = 0; t < ticks; ++t) {
      simulation.step();
      (void)simulation.measure();
    }
  }
  return g_peak.load() - before;
}

// Stated before the run: for each world below (10^5 to 1.6 x 10^6 agents, so that per-agent
// arrays dominate as they do in any world too large to fit), the estimate of one run is within
// [0.8, 1.25] of the peak the run allocates. The estimate exists to refuse what cannot fit, so
// an error of a quarter either way is enough; a larger one means a column is not declared.
void expect_close(const Scenario& scenario, const char* what) {
  const MemoryEstimate estimate = estimate_memory(scenario, 1);
  const auto peak = static_cast<double>(peak_of_one_run(scenario, 2));
  const double ratio = static_cast<double>(estimate.run_bytes) / peak;
  EXPECT_GE(ratio, 0.8) << what << ": estimate " << estimate.run_bytes << " B, measured peak " << peak << " B";
  EXPECT_LE(ratio, 1.25) << what << ": estimate " << estimate.run_bytes << " B, measured peak " << peak << " B";
  ::testing::Test::RecordProperty(what, std::to_string(ratio));
  std::printf("%s: estimate / measured peak = %.2f\n", what, ratio);
}

TEST(MemoryEstimate, FollowsTheBytesARunAllocates) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "the sizes counted are glibc malloc's; AddressSanitizer's allocator rounds otherwise";
#endif
  expect_close(Scenario::parse("[run]\nticks = 2\n[world.lattice]\nside = 700\n[culture]\nfeatures = 5\n", "lattice.toml"),
               "culture on a 700x700 lattice");
  expect_close(Scenario::parse("[run]\nticks = 2\n[world.lattice]\nside = 400\n[culture]\nfeatures = 20\ntraits = 3\n"
                               "sampling = \"active-pairs\"\n",
                               "active.toml"),
               "culture, active-pair sampling");
  expect_close(Scenario::parse("[run]\nticks = 2\n[world.network]\nkind = \"small-world\"\nsize = 200000\ndegree = 6\n"
                               "[economy]\nexchange = \"ccm\"\n",
                               "ccm.toml"),
               "economy (ccm) on a small world");
  // The glocalization world with localities of 100 x 100 agents (800,000 in all): every process.
  std::string text = testing::read_text(GLOCAL_SOURCE_DIR "/scenarios/world/glocalization.toml");
  for (std::size_t at = text.find("population = 400\n"); at != std::string::npos; at = text.find("population = 400\n", at)) {
    text.replace(at, 16, "population = 10000");
  }
  Scenario world = Scenario::parse(text, "glocalization.toml");
  world.set("run.record_places=none");
  expect_close(world, "the glocalization world, 800,000 agents");
}

TEST(MemoryEstimate, CountsRunsInFlightAndTheLargestPoint) {
  const Scenario sweep = Scenario::parse(
      "[run]\nreplicates = 3\n[world.lattice]\nside = 100\n[culture]\n[[sweep]]\nkey = \"world.lattice.side\"\nvalues = [100, 300]\n",
      "sweep.toml");
  const MemoryEstimate two = estimate_memory(sweep, 2);
  const MemoryEstimate many = estimate_memory(sweep, 64);
  EXPECT_EQ(two.agents, 90000u);  // the largest point
  EXPECT_EQ(two.runs_at_once, 2u);
  EXPECT_EQ(many.runs_at_once, 6u);  // never more than the batch's runs
  EXPECT_GT(many.total_bytes, two.total_bytes);
  // 2.1 x 10^9 agents: far beyond any machine this runs on.
  const Scenario huge = Scenario::parse("[world.lattice]\nside = 46340\n[culture]\n", "huge.toml");
  EXPECT_GT(estimate_memory(huge, 1).total_bytes, 40'000'000'000ULL);
}

}  // namespace
}  // namespace glocal
