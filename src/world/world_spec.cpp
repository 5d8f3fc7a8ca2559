#include "glocal/world/world_spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace glocal {

const char* NetworkSpec::kind_name() const noexcept {
  switch (kind) {
    case Kind::lattice: return "lattice";
    case Kind::ring: return "ring";
    case Kind::small_world: return "small-world";
    case Kind::random: return "random";
    case Kind::complete: return "complete";
  }
  return "?";
}

std::string NetworkSpec::locality_problem(std::int64_t population) const {
  if (kind == Kind::lattice) {
    const auto side = static_cast<std::int64_t>(std::llround(std::sqrt(static_cast<double>(population))));
    if (side * side != population) return fmt::format("a lattice locality holds side^2 agents, and {} is not a square", population);
    const std::int64_t reach = lattice.neighborhood == Neighborhood::radius    ? static_cast<std::int64_t>(lattice.radius)
                               : lattice.neighborhood == Neighborhood::diamond ? 2
                                                                               : 1;
    if (lattice.boundary == Boundary::periodic && side <= 2 * reach) {
      return fmt::format("a periodic lattice with this neighbourhood needs a side greater than {} (twice its reach), got {}", 2 * reach,
                         side);
    }
    if (lattice.order == LatticeOrder::tiles && !LatticeLayout::fits(static_cast<std::uint32_t>(side), LatticeOrder::tiles)) {
      return fmt::format(
          "world.lattice.order = \"tiles\" numbers the sites in tiles of {} x {} and needs a side that is a multiple of {}, got {}",
          LatticeLayout::kTileWidth, LatticeLayout::kTileHeight, std::max(LatticeLayout::kTileWidth, LatticeLayout::kTileHeight), side);
    }
    return "";
  }
  if ((kind == Kind::ring || kind == Kind::small_world) && static_cast<std::int64_t>(degree) >= population) {
    return fmt::format("a {} network needs a degree (world.network.degree = {}) below the number of agents, {}", kind_name(), degree,
                       population);
  }
  if (population < 2) return fmt::format("a {} network needs at least 2 agents, got {}", kind_name(), population);
  if (kind == Kind::random && mean_degree > static_cast<double>(population - 1)) {
    return fmt::format("world.network.mean_degree must be at most the number of agents - 1 = {}, got {}", population - 1, mean_degree);
  }
  if (kind == Kind::complete && population > kMaxComplete) {
    return fmt::format("a complete network holds every pair in memory: expected at most {} agents, got {}", kMaxComplete, population);
  }
  return "";
}

LatticeSpec WorldSpec::lattice(AgentIndex size) const {
  LatticeSpec spec = network.lattice;
  spec.side = static_cast<std::uint32_t>(std::llround(std::sqrt(static_cast<double>(size))));
  return spec;
}

Network WorldSpec::locality_network(const Rng& rng, std::uint32_t locality, AgentIndex size) const {
  switch (network.kind) {
    case NetworkSpec::Kind::lattice: return make_lattice(lattice(size));
    case NetworkSpec::Kind::ring: return make_ring(size, network.degree);
    case NetworkSpec::Kind::small_world: return make_small_world(size, network.degree, network.rewire, rng, locality);
    case NetworkSpec::Kind::random: return make_random(size, network.mean_degree, rng, locality);
    case NetworkSpec::Kind::complete: return make_complete(size);
  }
  return make_complete(size);
}

Network WorldSpec::network_of(const Places& places, const Rng& rng) const {
  const std::uint32_t localities = places.count(Scale::locality);
  if (localities == 1) return locality_network(rng, 0, places.agents());
  const bool random = network.kind == NetworkSpec::Kind::small_world || network.kind == NetworkSpec::Kind::random;
  std::map<AgentIndex, Network> shared;  // deterministic kinds: one network per locality size
  return join_localities(localities, [&](std::uint32_t k) {
    const AgentIndex size = places.place(Scale::locality, k).size;
    if (random) return locality_network(rng, k, size);
    auto it = shared.find(size);
    if (it == shared.end()) it = shared.emplace(size, locality_network(rng, k, size)).first;
    return it->second;
  });
}

}  // namespace glocal
