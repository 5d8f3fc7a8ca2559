#include "glocal/world/places.hpp"

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

Places::Places(const PlaceShape& shape) : shape_(shape) {
  span_[0] = 1;  // the network scale has no range of its own
  span_[1] = shape.agents_per_locality;
  span_[2] = span_[1] * shape.localities_per_nation;
  span_[3] = span_[2] * shape.nations_per_bloc;
  span_[4] = span_[3] * shape.blocs;
  if (span_[4] >= (std::uint64_t{1} << 32) || span_[1] == 0) {
    throw std::invalid_argument("the world must hold between 1 and 2^32 - 1 agents");
  }
}

}  // namespace glocal
