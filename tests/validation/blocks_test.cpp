// The block update scheme (culture.update = "blocks") against random sequential updating. It is a
// different update scheme (the order of events near block edges is constrained; MODEL.md 5), so
// whether it changes the outcomes is an empirical question: these tests check that, at these
// parameters, its distributions of outcomes at absorption cannot be told apart from random
// sequential updating's.
//
// Decided before the runs (seeds 2027, run ids 0..R-1, both schemes): a 32 x 32 periodic lattice
// (4 strips of 8 rows), two-sample Kolmogorov-Smirnov on the number of regions and on the sweeps
// to absorption, reject at p < 0.001, and the mean largest region within 3 standard errors of the
// difference. Fast tier: F = 3, q = 20 (disordered; 300 runs each) and F = 5, q = 30 (100 runs
// each); long tier (long_test.cpp): F = 3, q = 10 (ordered; 300 runs each).
#include <gtest/gtest.h>

#include "support/block_scheme.hpp"

namespace glocal {
namespace {

TEST(BlockScheme, SameOutcomesAsRandomSequentialUpdatingDisordered) { testing::same_outcomes(3, 20, 300); }
TEST(BlockScheme, SameOutcomesAsRandomSequentialUpdatingF5Q30) { testing::same_outcomes(5, 30, 100); }

}  // namespace
}  // namespace glocal
