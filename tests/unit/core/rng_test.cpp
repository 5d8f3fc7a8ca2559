#include "glocal/core/rng.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

namespace glocal {
namespace {

TEST(Rng, MatchesThePhilox4x64KnownAnswer) {
  // Random123 kat_vectors: philox4x64-10, counter 0, key 0.
  const Rng rng(0, 0);
  const RandomBlock b = rng.block(0, 0, static_cast<Purpose>(0), 0);
  EXPECT_EQ(b[0], 0x16554d9eca36314cULL);
  EXPECT_EQ(b[1], 0xdb20fe9d672d0fdcULL);
  EXPECT_EQ(b[2], 0xd7e772cee186176bULL);
  EXPECT_EQ(b[3], 0x7e68b68aec7ba23bULL);
}

TEST(Rng, MatchesThePhilox4x32KnownAnswers) {
  // Random123 kat_vectors: philox4x32-10 at counter 0 / key 0, and at the digits of pi.
  EXPECT_EQ(philox4x32_block({0, 0, 0, 0}, {0, 0}), (std::array<std::uint32_t, 4>{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
  EXPECT_EQ(philox4x32_block({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}),
            (std::array<std::uint32_t, 4>{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

TEST(Rng, BatchedEventWordsAreThePhilox4x32BlocksOfTheirCounters) {
  // The vectorised batch against the scalar reference, across the 2^32 boundary of the event.
  const std::uint64_t seed = 0x0123456789abcdefULL;
  // Whole and partial batches (the AVX-512 path works in groups of 16 lanes; a batch across the
  // boundary takes the general path).
  // Both the AVX-512 path (where the CPU has it) and the portable one.
  for (const bool vectorised : {true, false}) {
    use_avx512(vectorised);
    for (const std::uint64_t first : {std::uint64_t{0}, std::uint64_t{1000}, (std::uint64_t{1} << 32) - 10, (std::uint64_t{1} << 32) + 3}) {
      for (const std::size_t count : {EventWords::kBatch, std::size_t{1}, std::size_t{17}, std::size_t{50}}) {
        EventWords out{};
        philox4x32_events(seed, 77, 5, Purpose::culture_event, first, count, out);
        for (std::size_t i = 0; i < count; ++i) {
          const std::uint64_t e = first + i;
          const auto expected = philox4x32_block({static_cast<std::uint32_t>(e), 5, 77, static_cast<std::uint32_t>(3 + ((e >> 32) << 8))},
                                                 {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)});
          for (std::size_t k = 0; k < 4; ++k)
            ASSERT_EQ(out.words[k][i], expected[k]) << "event " << e << " word " << k << " vectorised " << vectorised;
        }
      }
    }
  }
  use_avx512(true);
}

TEST(Rng, EntityBlocksAreTheBlocksOfTheirEntities) {
  // Eight a register (AVX-512, where the CPU has it) or four at a time, with a tail of fewer:
  // every count from 0 to 17 and a long run, against Random123's scalar block, on both paths.
  for (const bool vectorised : {true, false}) {
    use_avx512(vectorised);
    for (const Rng& rng : {Rng(99, 7), Rng(0xFEDCBA9876543210ULL, 0xFFFFFFFFFFFFFFF0ULL)}) {
      for (std::size_t count = 0; count <= 18; ++count) {
        const std::size_t n = count == 18 ? 1000 : count;
        std::vector<RandomBlock> out(n);
        rng.entity_blocks(123456, 4, Purpose::culture_init, 1, out);
        for (std::size_t k = 0; k < n; ++k)
          ASSERT_EQ(out[k], rng.block(123456 + k, 4, Purpose::culture_init, 1)) << n << " " << k << " vectorised " << vectorised;
      }
      // Counters across 2^64 and 64-bit ticks and indices.
      std::vector<RandomBlock> out(24);
      const std::uint64_t first = ~std::uint64_t{0} - 11;
      rng.entity_blocks(first, ~std::uint64_t{0}, Purpose::economy_exchange, 0x8000000000000001ULL, out);
      for (std::size_t k = 0; k < out.size(); ++k)
        ASSERT_EQ(out[k], rng.block(first + k, ~std::uint64_t{0}, Purpose::economy_exchange, 0x8000000000000001ULL)) << k;
    }
  }
  use_avx512(true);
}

TEST(Rng, AnEntityBlockStreamGivesEachEntitysBlockInOrder) {
  // Batches of 64 and a partial last one (150 = 64 + 64 + 22), and a stream of one.
  const Rng rng(2026, 3);
  for (const std::uint64_t count : {std::uint64_t{150}, std::uint64_t{1}}) {
    EntityBlockStream stream(rng, 1000, 1000 + count, 9, Purpose::economy_exchange);
    for (std::uint64_t e = 1000; e < 1000 + count; ++e) ASSERT_EQ(stream.next(), rng.block(e, 9, Purpose::economy_exchange)) << e;
  }
}

TEST(Rng, UniformBelow32IsExactlyUniformWithRejection) {
  // n = 3 * 2^30: 2^32 mod n = 2^30, so a quarter of the words are rejected; the replacement
  // words make the draw exact. Over the 2^16 words w * 2^16 each value class is hit equally.
  const std::uint32_t n = 3U << 30;
  std::uint32_t replacements = 0;
  std::array<std::uint64_t, 3> thirds{};
  for (std::uint32_t k = 0; k < (1U << 16); ++k) {
    std::uint32_t next = k * 2654435761U;
    const std::uint32_t v = uniform_below32(k << 16, n, [&] {
      ++replacements;
      return next += 0x9E3779B9U;
    });
    ASSERT_LT(v, n);
    ++thirds[v / (1U << 30)];
  }
  EXPECT_GT(replacements, 0U);
  for (const auto c : thirds) EXPECT_NEAR(static_cast<double>(c), 65536.0 / 3, 65536.0 * 0.02);
  // Small n: no rejection is ever needed for words at or above the threshold.
  EXPECT_EQ(uniform_below32(0xFFFFFFFFU, 5, [] { return 0U; }), 4U);
  EXPECT_EQ(uniform_below32(0x80000000U, 4, [] { return 0U; }), 2U);
}

TEST(Rng, BlockIsAPureFunctionOfKeyAndCounter) {
  const Rng a(42, 7);
  const Rng b(42, 7);
  const auto late = a.block(1000, 3, Purpose::culture_event, 2);
  const auto early = a.block(1, 3, Purpose::culture_event, 2);
  EXPECT_EQ(b.block(1, 3, Purpose::culture_event, 2), early);  // order of calls does not matter
  EXPECT_EQ(b.block(1000, 3, Purpose::culture_event, 2), late);
}

TEST(Rng, EveryCounterFieldAndKeyFieldSelectsADifferentStream) {
  const Rng base(1, 0);
  const auto reference = base.block(5, 6, Purpose::culture_event, 0);
  EXPECT_NE(Rng(2, 0).block(5, 6, Purpose::culture_event, 0), reference);  // seed
  EXPECT_NE(Rng(1, 1).block(5, 6, Purpose::culture_event, 0), reference);  // run
  EXPECT_NE(base.block(4, 6, Purpose::culture_event, 0), reference);       // entity
  EXPECT_NE(base.block(5, 7, Purpose::culture_event, 0), reference);       // tick
  EXPECT_NE(base.block(5, 6, Purpose::culture_init, 0), reference);        // purpose
  EXPECT_NE(base.block(5, 6, Purpose::culture_event, 1), reference);       // index
}

TEST(Rng, UniformBelowIsInRangeAndUniform) {
  // Chi-square over 10 cells, 100,000 draws; critical value at alpha = 0.001 with 9 d.o.f. is 27.88.
  const Rng rng(3, 0);
  std::vector<double> counts(10, 0);
  constexpr int kDraws = 100000;
  for (int e = 0; e < kDraws; ++e) {
    const auto v = uniform_below(rng.block(static_cast<std::uint64_t>(e), 0, Purpose::culture_event)[0], 10);
    ASSERT_LT(v, 10U);
    counts[v] += 1;
  }
  double chi2 = 0;
  for (const double c : counts) chi2 += (c - kDraws / 10.0) * (c - kDraws / 10.0) / (kDraws / 10.0);
  EXPECT_LT(chi2, 27.88);
  EXPECT_EQ(uniform_below(~0ULL, 7), 6U);
  EXPECT_EQ(uniform_below(0, 7), 0U);
}

TEST(Rng, UniformUnitIsInTheHalfOpenUnitInterval) {
  EXPECT_EQ(uniform_unit(0), 0.0);
  EXPECT_LT(uniform_unit(~0ULL), 1.0);
}

TEST(Rng, PoissonByInversionHasTheRightMeanAndVariance) {
  // 50,000 draws with mean 3.1: the sample mean's standard error is sqrt(3.1/50000) = 0.0079;
  // tolerance 5 standard errors. The variance must match the mean within 5 %.
  const Rng rng(9, 0);
  RandomStream stream(rng, 0, 0, Purpose::culture_init);
  double sum = 0;
  double sum_sq = 0;
  constexpr int kDraws = 50000;
  for (int k = 0; k < kDraws; ++k) {
    const auto v = static_cast<double>(poisson_from_unit(stream.next_unit(), 3.1));
    sum += v;
    sum_sq += v * v;
  }
  const double m = sum / kDraws;
  const double var = sum_sq / kDraws - m * m;
  EXPECT_NEAR(m, 3.1, 5 * std::sqrt(3.1 / kDraws));
  EXPECT_NEAR(var / 3.1, 1.0, 0.05);
  EXPECT_EQ(poisson_from_unit(0.0, 3.1), 0U);
}

TEST(Rng, StreamIsReproducible) {
  const Rng rng(11, 2);
  RandomStream a(rng, 1, 2, Purpose::network_build);
  RandomStream b(rng, 1, 2, Purpose::network_build);
  for (int k = 0; k < 17; ++k) EXPECT_EQ(a.next(), b.next());
}

}  // namespace
}  // namespace glocal
