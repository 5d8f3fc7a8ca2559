#include "glocal/core/rng.hpp"

#include <Random123/philox.h>

#include <cmath>

namespace glocal {

RandomBlock Rng::block(std::uint64_t entity, std::uint64_t tick, Purpose purpose,
                       std::uint64_t index) const noexcept {
  const r123::Philox4x64::ctr_type counter = {{entity, tick, static_cast<std::uint64_t>(purpose), index}};
  const r123::Philox4x64::key_type key = {{seed_, run_}};
  const auto out = r123::Philox4x64{}(counter, key);
  return {out[0], out[1], out[2], out[3]};
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
