#pragma once
// Counter-based randomness (Philox4x64-10, Salmon et al. 2011, via Random123).
//
// A run owns one key (master seed, run id). Every draw is a pure function of that key and a
// counter (entity, tick, purpose, index), so a result never depends on the order in which
// entities, events or runs are processed, on the thread count, or on which other runs exist.
// Thread safety: all members are const; one Rng may be shared by any number of threads.
#include <array>
#include <cstdint>

namespace glocal {

/// The counter lanes. Two uses of randomness never share a purpose.
enum class Purpose : std::uint64_t {
  network_build = 1,  ///< random graphs (entity: 0, index: sequential)
  culture_init = 2,   ///< initial traits (entity: agent, index: feature block)
  culture_event = 3,  ///< one Axelrod event (entity: event index within the tick)
  culture_drift = 4,  ///< the k-th drift of a run (entity: k): gap, agent, feature, trait
  culture_media = 5,  ///< the k-th media event of a run (entity: k): gap to the next one
  culture_reach = 6,  ///< the k-th event whose partner is drawn beyond the network (entity: k)
  culture_heritage = 7,  ///< the k-th event whose partner is the locality's heritage (entity: k)
  culture_prototype = 8,  ///< initial prototypes (entity: place, tick 1) and agents' coins (entity: agent, tick 0)
};

/// Four independent uniform 64-bit words.
using RandomBlock = std::array<std::uint64_t, 4>;

class Rng {
 public:
  Rng(std::uint64_t master_seed, std::uint64_t run_id) noexcept : seed_(master_seed), run_(run_id) {}

  /// The block at counter (entity, tick, purpose, index).
  [[nodiscard]] RandomBlock block(std::uint64_t entity, std::uint64_t tick, Purpose purpose,
                                  std::uint64_t index = 0) const noexcept;

  [[nodiscard]] std::uint64_t master_seed() const noexcept { return seed_; }
  [[nodiscard]] std::uint64_t run_id() const noexcept { return run_; }

 private:
  std::uint64_t seed_;
  std::uint64_t run_;
};

/// An integer uniform on [0, n) from one 64-bit word (Lemire's multiply-shift, no rejection).
/// Its bias is below n / 2^64 (under 2^-40 for n < 2^24): far below any statistical resolution.
[[nodiscard]] inline std::uint64_t uniform_below(std::uint64_t word, std::uint64_t n) noexcept {
  __extension__ using u128 = unsigned __int128;  // GCC/Clang: one 64x64->128 multiply
  return static_cast<std::uint64_t>((static_cast<u128>(word) * n) >> 64);
}

/// A double uniform on [0, 1) with 53 random bits.
[[nodiscard]] inline double uniform_unit(std::uint64_t word) noexcept {
  return static_cast<double>(word >> 11) * 0x1.0p-53;
}

/// A sequential stream of words at a fixed (entity, tick, purpose), for set-up work whose number
/// of draws is not known in advance (random graphs, Poisson variates). Not for hot loops.
class RandomStream {
 public:
  RandomStream(const Rng& rng, std::uint64_t entity, std::uint64_t tick, Purpose purpose) noexcept
      : rng_(&rng), entity_(entity), tick_(tick), purpose_(purpose) {}

  std::uint64_t next() noexcept {
    if (used_ == 4) {
      block_ = rng_->block(entity_, tick_, purpose_, index_++);
      used_ = 0;
    }
    return block_[used_++];
  }
  double next_unit() noexcept { return uniform_unit(next()); }
  std::uint64_t next_below(std::uint64_t n) noexcept { return uniform_below(next(), n); }

 private:
  const Rng* rng_;
  std::uint64_t entity_;
  std::uint64_t tick_;
  Purpose purpose_;
  std::uint64_t index_ = 0;
  RandomBlock block_{};
  int used_ = 4;
};

/// A Poisson variate with the given mean, by inversion from one uniform (exact for mean <= 500,
/// where e^-mean is a normal double).
[[nodiscard]] std::uint64_t poisson_from_unit(double unit, double mean) noexcept;

}  // namespace glocal
