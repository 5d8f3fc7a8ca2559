#pragma once
// The tree of places: world -> blocs -> nations -> localities -> agents.
//
// Agents are numbered so that every locality, nation and bloc is one contiguous index range
// (MODEL.md section 2); a draw "uniformly in my nation" is then one table lookup and one
// multiply-shift. A synthetic world (every bloc the same number of nations, every nation the same
// number of localities, every locality the same population) keeps its ranges arithmetic; any other
// world, with named places and unequal populations, uses offset tables and one locality index per
// agent. The interface is the same. Thread safety: immutable after construction.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "glocal/world/network.hpp"

namespace glocal {

/// The scales of the reach kernel, innermost first.
enum class Scale : std::uint8_t { network = 0, locality = 1, nation = 2, bloc = 3, world = 4 };
inline constexpr std::size_t kScaleCount = 5;
[[nodiscard]] std::string_view to_string(Scale scale) noexcept;
/// The scale named "network", "locality", ..., "world" (anything else: world).
[[nodiscard]] Scale scale_from_name(std::string_view name) noexcept;

/// A synthetic world: equal counts at every level.
struct PlaceShape {
  std::uint32_t blocs = 1;
  std::uint32_t nations_per_bloc = 1;
  std::uint32_t localities_per_nation = 1;
  AgentIndex agents_per_locality = 1;
};

/// One nation of a described world.
struct NationLayout {
  std::string name;
  std::string group;                        ///< e.g. "north" or "south" ("" when not grouped)
  std::uint32_t bloc = 0;                   ///< index into WorldLayout::blocs
  std::vector<AgentIndex> localities;       ///< the population of each of its localities
  std::vector<std::string> locality_names;  ///< one per locality
};

/// A described world: blocs by name, nations listed bloc by bloc (each bloc's nations contiguous).
struct WorldLayout {
  std::vector<std::string> blocs;
  std::vector<NationLayout> nations;
};

/// The North/South group of a nation ([[world.nation]] `group`), as the economy and governance
/// report by group: "north", "south", anything else (or none) is other.
enum class NationGroup : std::uint8_t { other = 0, north = 1, south = 2 };

/// The layout of a synthetic world, with generated names ("bloc-1", "nation-1-2", "locality-1-2-3").
[[nodiscard]] WorldLayout synthetic_layout(const PlaceShape& shape);

/// A contiguous range of agents [first, first + size).
struct AgentRange {
  AgentIndex first = 0;
  AgentIndex size = 0;
};

class Places {
 public:
  /// Throws std::invalid_argument if the world holds no agent, 2^32 agents or more, a locality
  /// without agents, or nations that are not grouped bloc by bloc.
  explicit Places(const PlaceShape& shape);
  explicit Places(const WorldLayout& layout);

  [[nodiscard]] AgentIndex agents() const noexcept { return agents_; }
  /// Number of places at a scale above the network (1 world, blocs, nations, localities).
  [[nodiscard]] std::uint32_t count(Scale scale) const noexcept { return static_cast<std::uint32_t>(first_[level(scale)].size() - 1); }
  /// Index of the agent's place at this scale (locality 0.., nation 0.., ...).
  /// The places at `scale` that make up `range` (a place at this or a coarser scale): indices
  /// [first, last], contiguous since every place is a contiguous range of agents.
  struct IndexRange {
    std::uint32_t first = 0;
    std::uint32_t last = 0;
  };
  /// The place at the coarser scale `outer` that holds place `index` of scale `scale`.
  [[nodiscard]] std::uint32_t enclosing(Scale scale, std::uint32_t index, Scale outer) const noexcept {
    return place_of(place(scale, index).first, outer);
  }
  [[nodiscard]] IndexRange within(AgentRange range, Scale scale) const noexcept {
    return {place_of(range.first, scale), place_of(range.first + range.size - 1, scale)};
  }
  [[nodiscard]] std::uint32_t place_of(AgentIndex agent, Scale scale) const noexcept {
    const std::size_t s = level(scale);
    if (uniform_) return static_cast<std::uint32_t>(agent / span_[s]);
    const std::uint32_t locality = locality_of_[agent];
    return s == 0 ? locality : s == 3 ? 0U : parent_[s - 1][locality];
  }
  /// The agent's place at this scale as an index range. Scale::network has no range: it returns
  /// the locality's.
  [[nodiscard]] AgentRange range(AgentIndex agent, Scale scale) const noexcept {
    if (uniform_) {
      const std::uint64_t size = span_[level(scale)];
      return {static_cast<AgentIndex>(agent / size * size), static_cast<AgentIndex>(size)};
    }
    return place(scale, place_of(agent, scale));
  }
  /// Place `index` of a scale (0 <= index < count(scale)) as an index range.
  [[nodiscard]] AgentRange place(Scale scale, std::uint32_t index) const noexcept {
    const auto& first = first_[level(scale)];
    return {first[index], first[index + 1] - first[index]};
  }
  /// True when every place of each scale has the same size (a synthetic world).
  [[nodiscard]] bool uniform() const noexcept { return uniform_; }
  [[nodiscard]] const std::string& name(Scale scale, std::uint32_t index) const noexcept { return names_[level(scale)][index]; }
  /// The group of a place: its nation's for a locality or a nation; for a bloc, the group its
  /// nations share ("" if they differ); "" for the world.
  [[nodiscard]] const std::string& group(Scale scale, std::uint32_t index) const noexcept { return groups_[level(scale)][index]; }
  /// Nation n's North/South group.
  [[nodiscard]] NationGroup nation_group(std::uint32_t nation) const noexcept {
    const std::string& g = group(Scale::nation, nation);
    return g == "north" ? NationGroup::north : g == "south" ? NationGroup::south : NationGroup::other;
  }

 private:
  /// locality 0, nation 1, bloc 2, world 3 (network maps to locality).
  [[nodiscard]] static std::size_t level(Scale scale) noexcept { return scale == Scale::network ? 0 : static_cast<std::size_t>(scale) - 1; }
  AgentIndex agents_ = 0;
  bool uniform_ = true;
  std::array<std::uint64_t, 4> span_{};               ///< uniform worlds: agents per place at each level
  std::array<std::vector<AgentIndex>, 4> first_;      ///< first agent of each place, then the total
  std::array<std::vector<std::uint32_t>, 2> parent_;  ///< a locality's nation, a locality's bloc
  std::vector<std::uint32_t> locality_of_;            ///< non-uniform worlds: each agent's locality
  std::array<std::vector<std::string>, 4> names_;
  std::array<std::vector<std::string>, 4> groups_;
};

/// The world's network: one network per locality side by side (block-diagonal), locality k's
/// agents at places.place(Scale::locality, k). `part(k)` builds locality k's network, of that size.
template <typename Part>
[[nodiscard]] Network join_localities(std::uint32_t localities, Part part) {
  if (localities == 1) return part(0);  // one locality is the world: no copy
  HugeVector<std::uint32_t> offsets = {0};
  HugeVector<AgentIndex> neighbors;
  AgentIndex base = 0;
  std::uint32_t side = 0;  // stays set only if every part is the same periodic von Neumann lattice
  LatticeOrder order = LatticeOrder::rows;
  for (std::uint32_t k = 0; k < localities; ++k) {
    const Network local = part(k);
    const bool same = k == 0 || (local.periodic_lattice_side() == side && local.lattice_order() == order);
    side = same ? local.periodic_lattice_side() : 0;
    order = local.lattice_order();
    for (AgentIndex i = 0; i < local.size(); ++i) {
      for (const AgentIndex j : local.neighbors(i)) neighbors.push_back(base + j);
      offsets.push_back(static_cast<std::uint32_t>(neighbors.size()));
    }
    base += local.size();
  }
  Network world(std::move(offsets), std::move(neighbors));
  world.set_periodic_lattice(side, order);
  return world;
}

}  // namespace glocal
