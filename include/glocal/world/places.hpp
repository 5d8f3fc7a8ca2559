#pragma once
// The tree of places: world -> blocs -> nations -> localities -> agents.
//
// Agents are numbered so that every locality, nation and bloc is one contiguous index range
// (MODEL.md section 2); a draw "uniformly in my nation" is then one multiply-shift. The synthetic
// world has equal counts at each level (every bloc the same number of nations, ...), so ranges
// are arithmetic. Thread safety: immutable after construction.
#include <array>
#include <cstdint>
#include <string_view>

#include "glocal/world/network.hpp"

namespace glocal {

/// The scales of the reach kernel, innermost first.
enum class Scale : std::uint8_t { network = 0, locality = 1, nation = 2, bloc = 3, world = 4 };
inline constexpr std::size_t kScaleCount = 5;
[[nodiscard]] std::string_view to_string(Scale scale) noexcept;
/// The scale named "network", "locality", ..., "world" (anything else: world).
[[nodiscard]] Scale scale_from_name(std::string_view name) noexcept;

struct PlaceShape {
  std::uint32_t blocs = 1;
  std::uint32_t nations_per_bloc = 1;
  std::uint32_t localities_per_nation = 1;
  AgentIndex agents_per_locality = 1;
};

/// A contiguous range of agents [first, first + size).
struct AgentRange {
  AgentIndex first = 0;
  AgentIndex size = 0;
};

class Places {
 public:
  /// Throws std::invalid_argument if the world holds 2^32 agents or more.
  explicit Places(const PlaceShape& shape);

  [[nodiscard]] const PlaceShape& shape() const noexcept { return shape_; }
  [[nodiscard]] AgentIndex agents() const noexcept { return static_cast<AgentIndex>(span_[4]); }
  /// Number of places at a scale above the network (1 world, blocs, nations, localities).
  [[nodiscard]] std::uint32_t count(Scale scale) const noexcept {
    return static_cast<std::uint32_t>(span_[4] / span_[static_cast<std::size_t>(scale)]);
  }
  /// Agents in each place at this scale (all places of a scale have the same size here).
  [[nodiscard]] AgentIndex place_size(Scale scale) const noexcept {
    return static_cast<AgentIndex>(span_[static_cast<std::size_t>(scale)]);
  }
  /// Index of the agent's place at this scale (locality 0.., nation 0.., ...).
  [[nodiscard]] std::uint32_t place_of(AgentIndex agent, Scale scale) const noexcept {
    return static_cast<std::uint32_t>(agent / span_[static_cast<std::size_t>(scale)]);
  }
  /// The agent's place at this scale as an index range. Scale::network has no range: it returns
  /// the locality's.
  [[nodiscard]] AgentRange range(AgentIndex agent, Scale scale) const noexcept {
    const std::uint64_t size = span_[static_cast<std::size_t>(scale == Scale::network ? Scale::locality : scale)];
    return {static_cast<AgentIndex>(agent / size * size), static_cast<AgentIndex>(size)};
  }

 private:
  PlaceShape shape_;
  std::array<std::uint64_t, kScaleCount> span_{};  ///< agents per place at each scale
};

/// The world's network: `localities` copies of a locality network side by side (block-diagonal),
/// locality k's agents at [k * n, (k + 1) * n). `part(k)` builds locality k's network.
template <typename Part>
[[nodiscard]] Network join_localities(std::uint32_t localities, Part part) {
  std::vector<std::uint32_t> offsets = {0};
  std::vector<AgentIndex> neighbors;
  AgentIndex base = 0;
  for (std::uint32_t k = 0; k < localities; ++k) {
    const Network local = part(k);
    for (AgentIndex i = 0; i < local.size(); ++i) {
      for (const AgentIndex j : local.neighbors(i)) neighbors.push_back(base + j);
      offsets.push_back(static_cast<std::uint32_t>(neighbors.size()));
    }
    base += local.size();
  }
  return Network(std::move(offsets), std::move(neighbors));
}

}  // namespace glocal
