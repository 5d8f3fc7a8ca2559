// Creolization as the essay means it (the issue on the essay's claims): mixtures of local and
// global traits that spread and become shared, told apart from fragmentation. The metrics:
// hybrid_share, the agents whose culture recombines their locality's heritage and the global
// culture (every feature the one's or the other's, at least one from each), and hybrid_size,
// agents per distinct hybrid vector (shared mixtures: many agents per vector).
//
// The world of scenarios/examples/glocal-culture.toml (2 blocs x 3 nations x 2 localities of
// 15 x 15, nations' prototypes, heritage 0.002, 100 events per agent a year, 1960-2030) with world
// media (0.001) and a world reach rising to 0.1 by 2000 ("mixing"); the same with invention
// (culture.innovation 0.2: a far copy takes a trait nobody holds); the same without world media or
// world reach ("closed"; the global culture is then the world's modal one). Stated before the run,
// 4 runs each, means in 2030:
//   1. mixing: hybrid_share >= 0.10 and hybrid_size >= 5 (a tenth of agents hold mixtures, shared);
//   2. invention fragments: novel_cultures above mixing's and hybrid_size below mixing's;
//   3. closed: hybrid_share below mixing's (the mixtures need global contact).
// First run (2026-12-07): mixing 0.0872 / 10.83 / 0.9514 (hybrid_share / hybrid_size /
// novel_cultures), invention 0.0004 / NaN / 0.9997, closed 0.0000 / NaN / 0.0357. Criterion 1's
// share missed (0.087 < 0.10): KNOWN DEVIATION, kept as stated in the long tier
// (validation/long_test.cpp, Creolization.ATenthOfAgentsHoldHybrids); the rest is tested here.
// Test-design correction after that run: hybrid_size is empty (NaN) in a run without any hybrid,
// and a mean with a NaN compared false; such a run now counts 0 agents per hybrid (no shared
// mixture), which is what criterion 2 means.
#include <gtest/gtest.h>

#include <cstdio>

#include "support/creolization.hpp"

namespace glocal {
namespace {

using testing::creolization_run;
using testing::kGlobalContact;

TEST(Creolization, GlobalContactMakesSharedHybridsAndInventionFragments) {
  const auto mixing = creolization_run(kGlobalContact);
  const auto invention = creolization_run("innovation = 0.2\n" + kGlobalContact);
  const auto closed = creolization_run("");
  std::printf(
      "hybrid_share / hybrid_size / novel_cultures in 2030: mixing %.4f / %.2f / %.4f, invention %.4f / %.2f / %.4f, "
      "closed %.4f / %.2f / %.4f\n",
      mixing.hybrid_share, mixing.hybrid_size, mixing.novel_cultures, invention.hybrid_share, invention.hybrid_size,
      invention.novel_cultures, closed.hybrid_share, closed.hybrid_size, closed.novel_cultures);
  EXPECT_GE(mixing.hybrid_size, 5.0);
  EXPECT_GT(invention.novel_cultures, mixing.novel_cultures);
  EXPECT_LT(invention.hybrid_size, mixing.hybrid_size);
  EXPECT_LT(closed.hybrid_share, mixing.hybrid_share);
}

}  // namespace
}  // namespace glocal
