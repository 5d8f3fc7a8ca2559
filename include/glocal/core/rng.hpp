#pragma once
// Counter-based randomness (Philox4x64-10, Salmon et al. 2011, via Random123).
//
// A run owns one key (master seed, run id). Every draw is a pure function of that key and a
// counter (entity, tick, purpose, index), so a result never depends on the order in which
// entities, events or runs are processed, on the thread count, or on which other runs exist.
// Thread safety: all members are const; one Rng may be shared by any number of threads.
#include <algorithm>
#include <array>
#include <cstdint>
#include <span>

namespace glocal {

/// The counter lanes. Two uses of randomness never share a purpose.
enum class Purpose : std::uint64_t {
  network_build = 1,         ///< random graphs (entity: 0, index: sequential)
  culture_init = 2,          ///< initial traits (entity: agent, index: feature block)
  culture_event = 3,         ///< one Axelrod event (entity: event index within the tick)
  culture_drift = 4,         ///< the k-th drift of a run (entity: k): gap, agent, feature, trait
  culture_media = 5,         ///< the k-th media event of a run (entity: k): gap to the next one
  culture_reach = 6,         ///< the k-th event whose partner is drawn beyond the network (entity: k)
  culture_heritage = 7,      ///< the k-th event whose partner is the locality's heritage (entity: k)
  culture_prototype = 8,     ///< initial prototypes (entity: place, tick 1) and agents' coins (entity: agent, tick 0)
  culture_retry = 9,         ///< replacement words for an event's rejected draws (entity: event, tick, index: attempt)
  culture_pairs = 10,        ///< active-pair sampling: the k-th jump (entity: k): gap, pair, thinning, rule
  economy_init = 11,         ///< initial economic state (entity: agent): saving propensity
  economy_exchange = 12,     ///< one exchange (entity: exchange index within the tick): agent, kernel, partner, split
  economy_noise = 13,        ///< Bouchaud-Mezard: agent i's noise at step k of tick t (entity: i, index: k)
  culture_market = 14,       ///< the k-th event whose partner is a firm's product culture (entity: k)
  economy_firms = 15,        ///< firm f's choices in tick t (entity: f): relocation coin, adaptation coin and feature
  movements_init = 16,       ///< thresholds (entity: agent) and seeds (entity: k-th seed, index 1)
  governance = 17,           ///< nation n's initial policy (tick 0) and its revision and partner in tick t (entity: n)
  ecology_projects = 18,     ///< locality l's project coin in tick t (entity: l); agent i's displacement (entity: i, index 1)
  movements_boomerang = 19,  ///< locality l's ties (tick 0) and its project's cancellation coin in tick t (entity: l)
  ecology_commons = 20,      ///< nation n's revision coin in tick t for the global agreement (entity: n)
  culture_blocks = 21,       ///< the block update scheme: event e of tick t (e numbered within the tick)
  demography = 22,           ///< locality l's deaths, parents and heirs in tick t (entity: l, sequential)
  network_renewal = 23,      ///< locality l's newborns' ties in tick t (entity: l, sequential)
  demography_birth = 24,     ///< the k-th newborn of tick t (entity: k): its own draws (index: economy 0, movements 1)
  employment_renewal = 25,   ///< locality l's newborns' places in the employment order in tick t (entity: l, sequential)
  economy_growth = 26,       ///< nation n's disaster coin and size in tick t (entity: n)
  calibration = 27,          ///< a calibration's d-th parameter draw (entity: d, index: parameter), keyed by (seed, 0xCA11B)
  design = 28,               ///< a sampled design's draws (entity: row or trajectory; tick: 0 choices, 1 bootstrap), keyed by (seed, 0xDE5)
};

/// Four independent uniform 64-bit words.
using RandomBlock = std::array<std::uint64_t, 4>;

/// The stream of replicate `replicate` of the parameter point with key `point_key`
/// (Scenario::point_key): SplitMix64's finaliser of point_key + (replicate + 1) x the golden
/// ratio, a bijection of the replicate for a fixed point. A run's stream is therefore the same
/// whatever other points and replicates its experiment holds, and whatever its position there.
[[nodiscard]] constexpr std::uint64_t run_stream(std::uint64_t point_key, std::uint64_t replicate) noexcept {
  std::uint64_t z = point_key + (replicate + 1) * 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  /// `run_id`: the run's stream (run_stream(); tests and benchmarks may number streams directly).
  Rng(std::uint64_t master_seed, std::uint64_t run_id) noexcept : seed_(master_seed), run_(run_id) {}

  /// The block at counter (entity, tick, purpose, index).
  [[nodiscard]] RandomBlock block(std::uint64_t entity, std::uint64_t tick, Purpose purpose, std::uint64_t index = 0) const noexcept;
  /// The blocks of entities first, first + 1, ...: out[k] = block(first + k, tick, purpose, index),
  /// computed eight to an AVX-512 register where the CPU has one (four registers in flight), else
  /// four at a time (independent multiply chains in flight together): the same words either way.
  void entity_blocks(std::uint64_t first, std::uint64_t tick, Purpose purpose, std::uint64_t index,
                     std::span<RandomBlock> out) const noexcept;

  [[nodiscard]] std::uint64_t master_seed() const noexcept { return seed_; }
  [[nodiscard]] std::uint64_t run_id() const noexcept { return run_; }
  /// The key and the run lane of the 32-bit event generator (philox4x32_events): the master seed
  /// with the stream's high 32 bits folded in, and the stream's low 32 bits. For a fixed seed,
  /// distinct streams give distinct (key, lane) pairs; streams below 2^32 keep the seed as the key.
  [[nodiscard]] std::uint64_t event_key() const noexcept { return seed_ ^ (run_ >> 32); }
  [[nodiscard]] std::uint32_t event_lane() const noexcept { return static_cast<std::uint32_t>(run_); }

 private:
  std::uint64_t seed_;
  std::uint64_t run_;
};

/// Four 32-bit words per event for `count` consecutive events, from Philox4x32-10 (Salmon et al.
/// 2011), generated many at a time (vectorised where the CPU allows; the words do not depend on
/// it). Event e's block has counter (e mod 2^32, tick, lane, purpose + 256 * (e >> 32)) and key
/// `seed`; a run passes its Rng::event_key() and Rng::event_lane(), so no two (seed, run stream,
/// tick, event, purpose) share a block while ticks stay below 2^32 and events per tick below 2^56.
/// out[k][i] is word k of event first + i.
struct EventWords {
  static constexpr std::size_t kBatch = 64;
  alignas(64) std::array<std::array<std::uint32_t, kBatch>, 4> words;
};
/// With `offset` (a multiple of 16), event first + i goes to lane offset + i (part of a batch).
void philox4x32_events(std::uint64_t seed, std::uint64_t run_id, std::uint64_t tick, Purpose purpose, std::uint64_t first,
                       std::size_t count, EventWords& out, std::size_t offset = 0) noexcept;

/// True when this CPU runs AVX-512F (the vectorised paths; every path gives the same numbers).
[[nodiscard]] bool avx512_available() noexcept;
/// Turns the AVX-512 paths off (or back on where the CPU has them): for tests of the other paths.
void use_avx512(bool on) noexcept;

/// The words of one event, as philox4x32_events gives them (scalar: for reference loops and tests).
[[nodiscard]] std::array<std::uint32_t, 4> event_block(std::uint64_t seed, std::uint64_t run_id, std::uint64_t tick, Purpose purpose,
                                                       std::uint64_t event) noexcept;

/// Scalar Philox4x32-10 of one counter and key, for tests and for checking the batch above.
[[nodiscard]] std::array<std::uint32_t, 4> philox4x32_block(const std::array<std::uint32_t, 4>& counter,
                                                            const std::array<std::uint32_t, 2>& key) noexcept;

/// An integer exactly uniform on [0, n), 0 < n < 2^32, from 32-bit words: Lemire's (2019)
/// multiply-shift with rejection. `word` is tried first; a rejected word (probability below
/// n / 2^32) is replaced by `more()`, until one is accepted.
template <typename More>
[[nodiscard]] inline std::uint32_t uniform_below32(std::uint32_t word, std::uint32_t n, More&& more) noexcept {
  std::uint64_t m = static_cast<std::uint64_t>(word) * n;
  auto low = static_cast<std::uint32_t>(m);
  if (low < n) [[unlikely]] {
    const std::uint32_t threshold = static_cast<std::uint32_t>(-n) % n;  // 2^32 mod n
    while (low < threshold) {
      m = static_cast<std::uint64_t>(more()) * n;
      low = static_cast<std::uint32_t>(m);
    }
  }
  return static_cast<std::uint32_t>(m >> 32);
}

/// Replacement words for one event's rejected draws (uniform_below32's `more`): the event's spare
/// word first, then the words of blocks (event, tick, culture_retry, k), 32 bits at a time. The
/// draws of an event are made in a fixed order, so which replacement each gets is reproducible.
class RetryWords {
 public:
  RetryWords() = default;
  RetryWords(const Rng& rng, std::uint64_t event, std::uint64_t tick, std::uint32_t spare) noexcept
      : rng_(&rng), event_(event), tick_(tick), spare_(spare) {}
  std::uint32_t operator()() noexcept {
    const std::uint32_t attempt = used_++;
    if (attempt == 0) return spare_;
    const RandomBlock block = rng_->block(event_, tick_, Purpose::culture_retry, (attempt - 1) / 8);
    const std::uint64_t word = block[((attempt - 1) % 8) / 2];
    return static_cast<std::uint32_t>((attempt - 1) % 2 == 0 ? word : word >> 32);
  }

 private:
  const Rng* rng_ = nullptr;
  std::uint64_t event_ = 0;
  std::uint64_t tick_ = 0;
  std::uint32_t spare_ = 0;
  std::uint32_t used_ = 0;
};

/// An integer uniform on [0, n) from one 64-bit word (Lemire's multiply-shift, no rejection).
/// Its bias is below n / 2^64 (under 2^-40 for n < 2^24): far below any statistical resolution.
[[nodiscard]] inline std::uint64_t uniform_below(std::uint64_t word, std::uint64_t n) noexcept {
  __extension__ using u128 = unsigned __int128;  // GCC/Clang: one 64x64->128 multiply
  return static_cast<std::uint64_t>((static_cast<u128>(word) * n) >> 64);
}

/// A double uniform on [0, 1) with 53 random bits.
[[nodiscard]] inline double uniform_unit(std::uint64_t word) noexcept { return static_cast<double>(word >> 11) * 0x1.0p-53; }

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

/// The blocks of entities first, first + 1, ... at a fixed (tick, purpose, index), read in order:
/// next() is block(first + k, tick, purpose, index) at its k-th call. Computed a batch at a time by
/// Rng::entity_blocks (eight a register where the CPU has AVX-512), none past `end` while the
/// calls stay within [first, end): for hot loops that draw one block per entity in order (the
/// exchanges).
class EntityBlockStream {
 public:
  static constexpr std::size_t kBatch = 64;
  EntityBlockStream(const Rng& rng, std::uint64_t first, std::uint64_t end, std::uint64_t tick, Purpose purpose,
                    std::uint64_t index = 0) noexcept
      : rng_(&rng), next_(first), end_(end), tick_(tick), purpose_(purpose), index_(index) {}

  const RandomBlock& next() noexcept {
    if (used_ == filled_) refill();
    return buffer_[used_++];
  }

 private:
  void refill() noexcept {
    filled_ = static_cast<std::size_t>(std::min<std::uint64_t>(kBatch, end_ > next_ ? end_ - next_ : 1));
    rng_->entity_blocks(next_, tick_, purpose_, index_, std::span(buffer_).first(filled_));
    next_ += filled_;
    used_ = 0;
  }

  const Rng* rng_;
  std::uint64_t next_;
  std::uint64_t end_;
  std::uint64_t tick_;
  Purpose purpose_;
  std::uint64_t index_;
  std::size_t used_ = 0;
  std::size_t filled_ = 0;
  alignas(64) std::array<RandomBlock, kBatch> buffer_{};
};

/// A Poisson variate with the given mean, by inversion from one uniform (exact for mean <= 500,
/// where e^-mean is a normal double).
[[nodiscard]] std::uint64_t poisson_from_unit(double unit, double mean) noexcept;

/// A standard normal variate from two words (Box-Muller; the first word's uniform is taken on
/// (0, 1] so the logarithm is finite).
[[nodiscard]] double normal_from_words(std::uint64_t first, std::uint64_t second) noexcept;

}  // namespace glocal
