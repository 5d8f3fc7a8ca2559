#include "glocal/core/rng.hpp"

#include <Random123/philox.h>

#include <cmath>

#include "glocal/core/error.hpp"

namespace glocal {

RandomBlock Rng::block(std::uint64_t entity, std::uint64_t tick, Purpose purpose,
                       std::uint64_t index) const noexcept {
  const r123::Philox4x64::ctr_type counter = {{entity, tick, static_cast<std::uint64_t>(purpose), index}};
  const r123::Philox4x64::key_type key = {{seed_, run_}};
  const auto out = r123::Philox4x64{}(counter, key);
  return {out[0], out[1], out[2], out[3]};
}

namespace {
constexpr std::uint32_t kM0 = 0xD2511F53U;
constexpr std::uint32_t kM1 = 0xCD9E8D57U;
constexpr std::uint32_t kW0 = 0x9E3779B9U;
constexpr std::uint32_t kW1 = 0xBB67AE85U;

// The rounds over structure-of-arrays lanes: written so that the compiler vectorises the inner
// loops (32x32->64 products), and cloned for AVX-512, AVX2 and plain x86-64 with dispatch at load
// time. Integer arithmetic only: every clone gives the same words.
__attribute__((target_clones("avx512f", "avx2", "default"))) void philox_lanes(std::uint32_t* __restrict x0, std::uint32_t* __restrict x1,
                                                                                   std::uint32_t* __restrict x2, std::uint32_t* __restrict x3,
                                                                                   std::uint32_t k0, std::uint32_t k1, std::size_t n) noexcept {
  for (int round = 0; round < 10; ++round) {
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t p0 = static_cast<std::uint64_t>(kM0) * x0[i];
      const std::uint64_t p1 = static_cast<std::uint64_t>(kM1) * x2[i];
      const auto y0 = static_cast<std::uint32_t>(p1 >> 32) ^ x1[i] ^ k0;
      const auto y1 = static_cast<std::uint32_t>(p1);
      const auto y2 = static_cast<std::uint32_t>(p0 >> 32) ^ x3[i] ^ k1;
      const auto y3 = static_cast<std::uint32_t>(p0);
      x0[i] = y0;
      x1[i] = y1;
      x2[i] = y2;
      x3[i] = y3;
    }
    k0 += kW0;
    k1 += kW1;
  }
}
}  // namespace

std::array<std::uint32_t, 4> philox4x32_block(const std::array<std::uint32_t, 4>& counter, const std::array<std::uint32_t, 2>& key) noexcept {
  const r123::Philox4x32::ctr_type c = {{counter[0], counter[1], counter[2], counter[3]}};
  const r123::Philox4x32::key_type k = {{key[0], key[1]}};
  const auto out = r123::Philox4x32{}(c, k);
  return {out[0], out[1], out[2], out[3]};
}

std::array<std::uint32_t, 4> event_block(std::uint64_t seed, std::uint64_t run_id, std::uint64_t tick, Purpose purpose,
                                         std::uint64_t event) noexcept {
  return philox4x32_block({static_cast<std::uint32_t>(event), static_cast<std::uint32_t>(tick), static_cast<std::uint32_t>(run_id),
                           static_cast<std::uint32_t>(static_cast<std::uint64_t>(purpose) + ((event >> 32) << 8))},
                          {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)});
}

void philox4x32_events(std::uint64_t seed, std::uint64_t run_id, std::uint64_t tick, Purpose purpose, std::uint64_t first,
                       std::size_t count, EventWords& out) noexcept {
  GLOCAL_ASSERT(count <= EventWords::kBatch, "a batch holds at most kBatch events");
  GLOCAL_ASSERT(run_id < (std::uint64_t{1} << 32) && tick < (std::uint64_t{1} << 32) && first + count < (std::uint64_t{1} << 56),
                "Philox4x32 counters: run ids and ticks below 2^32, events per tick below 2^56");
  auto& w = out.words;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint64_t event = first + i;
    w[0][i] = static_cast<std::uint32_t>(event);
    w[1][i] = static_cast<std::uint32_t>(tick);
    w[2][i] = static_cast<std::uint32_t>(run_id);
    w[3][i] = static_cast<std::uint32_t>(static_cast<std::uint64_t>(purpose) + ((event >> 32) << 8));
  }
  philox_lanes(w[0].data(), w[1].data(), w[2].data(), w[3].data(), static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32), count);
}

double normal_from_words(std::uint64_t first, std::uint64_t second) noexcept {
  const double radius = std::sqrt(-2.0 * std::log(1.0 - uniform_unit(first)));
  return radius * std::cos(6.283185307179586 * uniform_unit(second));
}

std::uint64_t poisson_from_unit(double unit, double mean) noexcept {
  // Sequential search on the cumulative distribution (Devroye 1986, X.3.3).
  double p = std::exp(-mean);
  double cumulative = p;
  std::uint64_t k = 0;
  while (unit >= cumulative && p > 0.0) {
    ++k;
    p *= mean / static_cast<double>(k);
    cumulative += p;
  }
  return k;
}

}  // namespace glocal
