#include "glocal/world/places.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace glocal {

std::string_view to_string(Scale scale) noexcept {
  switch (scale) {
    case Scale::network: return "network";
    case Scale::locality: return "locality";
    case Scale::nation: return "nation";
    case Scale::bloc: return "bloc";
    case Scale::world: return "world";
  }
  return "?";
}

Scale scale_from_name(std::string_view name) noexcept {
  for (std::size_t k = 0; k < kScaleCount; ++k) {
    if (to_string(static_cast<Scale>(k)) == name) return static_cast<Scale>(k);
  }
  return Scale::world;
}

WorldLayout synthetic_layout(const PlaceShape& shape) {
  WorldLayout layout;
  for (std::uint32_t b = 0; b < shape.blocs; ++b) {
    layout.blocs.push_back(fmt::format("bloc-{}", b + 1));
    for (std::uint32_t n = 0; n < shape.nations_per_bloc; ++n) {
      NationLayout nation;
      nation.name = fmt::format("nation-{}-{}", b + 1, n + 1);
      nation.bloc = b;
      nation.localities.assign(shape.localities_per_nation, shape.agents_per_locality);
      for (std::uint32_t l = 0; l < shape.localities_per_nation; ++l)
        nation.locality_names.push_back(fmt::format("locality-{}-{}-{}", b + 1, n + 1, l + 1));
      layout.nations.push_back(std::move(nation));
    }
  }
  return layout;
}

namespace {
const PlaceShape& checked(const PlaceShape& shape) {
  const std::uint64_t total = std::uint64_t{shape.blocs} * shape.nations_per_bloc * shape.localities_per_nation * shape.agents_per_locality;
  if (total == 0 || total >= (std::uint64_t{1} << 32)) throw std::invalid_argument("the world must hold between 1 and 2^32 - 1 agents");
  return shape;
}
}  // namespace

Places::Places(const PlaceShape& shape) : Places(synthetic_layout(checked(shape))) {}

Places::Places(const WorldLayout& layout) {
  const auto fail = [](const std::string& why) { throw std::invalid_argument(why); };
  if (layout.nations.empty()) fail("the world needs at least one nation");
  std::uint64_t total = 0;
  for (auto& level : first_) level.push_back(0);
  names_[3] = {"world"};
  groups_[3] = {""};
  std::uint32_t bloc = 0;
  for (std::uint32_t n = 0; n < layout.nations.size(); ++n) {
    const NationLayout& nation = layout.nations[n];
    if (nation.bloc >= layout.blocs.size())
      fail(fmt::format("nation '{}' names bloc {} of {}", nation.name, nation.bloc, layout.blocs.size()));
    if (nation.bloc < bloc) fail(fmt::format("nation '{}' is not listed with the other nations of its bloc", nation.name));
    if (nation.localities.empty()) fail(fmt::format("nation '{}' has no locality", nation.name));
    while (bloc < nation.bloc) {  // close the blocs before this nation's (each bloc needs a nation)
      if (first_[2].back() == total) fail(fmt::format("bloc '{}' has no nation", layout.blocs[bloc]));
      first_[2].push_back(static_cast<AgentIndex>(total));
      ++bloc;
    }
    for (std::size_t l = 0; l < nation.localities.size(); ++l) {
      if (nation.localities[l] == 0) fail(fmt::format("a locality of nation '{}' has no agent", nation.name));
      total += nation.localities[l];
      if (total >= (std::uint64_t{1} << 32)) fail("the world must hold fewer than 2^32 agents");
      first_[0].push_back(static_cast<AgentIndex>(total));
      parent_[0].push_back(n);
      parent_[1].push_back(nation.bloc);
      names_[0].push_back(l < nation.locality_names.size() ? nation.locality_names[l] : fmt::format("{}-{}", nation.name, l + 1));
      groups_[0].push_back(nation.group);
    }
    first_[1].push_back(static_cast<AgentIndex>(total));
    names_[1].push_back(nation.name);
    groups_[1].push_back(nation.group);
  }
  if (bloc + 1 != layout.blocs.size()) fail(fmt::format("bloc '{}' has no nation", layout.blocs.back()));
  first_[2].push_back(static_cast<AgentIndex>(total));
  first_[3].push_back(static_cast<AgentIndex>(total));
  agents_ = static_cast<AgentIndex>(total);
  names_[2] = layout.blocs;
  for (std::uint32_t b = 0; b < layout.blocs.size(); ++b) {  // a bloc's group: the one its nations share
    std::string shared;
    bool first_nation = true;
    for (std::uint32_t n = 0; n < layout.nations.size(); ++n) {
      if (layout.nations[n].bloc != b) continue;
      if (first_nation)
        shared = layout.nations[n].group;
      else if (shared != layout.nations[n].group)
        shared.clear();
      first_nation = false;
    }
    groups_[2].push_back(shared);
  }
  // Uniform when each level's places all have the same size: ranges are then arithmetic.
  for (std::size_t s = 0; s < 4 && uniform_; ++s) {
    span_[s] = first_[s][1] - first_[s][0];
    for (std::size_t k = 1; k + 1 < first_[s].size(); ++k) uniform_ = uniform_ && first_[s][k + 1] - first_[s][k] == span_[s];
  }
  if (!uniform_) {
    locality_of_.resize(agents_);
    for (std::uint32_t l = 0; l + 1 < first_[0].size(); ++l)
      std::fill(locality_of_.begin() + first_[0][l], locality_of_.begin() + first_[0][l + 1], l);
  }
}

}  // namespace glocal
