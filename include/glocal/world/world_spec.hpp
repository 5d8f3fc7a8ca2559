#pragma once
// The world of a scenario as data: its places (a layout of blocs, nations and localities) and how
// each locality's network is built. world/ owns it and builds the world from it; the scenario
// only reads its keys into one (glocal/model/scenario.hpp: world_spec), so that a process, a tool
// or a test builds the same world as a run without the runner.
#include <cstdint>
#include <string>

#include "glocal/core/rng.hpp"
#include "glocal/world/network.hpp"
#include "glocal/world/places.hpp"

namespace glocal {

/// How a locality's network is built (world.network.*, world.lattice.*).
struct NetworkSpec {
  enum class Kind : std::uint8_t { lattice, ring, small_world, random, complete };
  Kind kind = Kind::lattice;
  LatticeSpec lattice;       ///< boundary, neighbourhood, radius, order; the side comes from each locality's size
  std::uint32_t degree = 4;  ///< ring and small world
  double rewire = 0.0;       ///< small world
  double mean_degree = 6.0;  ///< random

  /// The most agents of a complete network (it holds every pair in memory).
  static constexpr std::int64_t kMaxComplete = 4096;
  /// The kind as a scenario names it ("lattice", "small-world", ...).
  [[nodiscard]] const char* kind_name() const noexcept;
  /// Why a locality of `population` agents cannot have this network, or "" when it can: a lattice
  /// needs a square number (and a side that fits its boundary, neighbourhood and order), a ring
  /// or small world a degree below its size, a random network a mean degree below it, a complete
  /// one at most kMaxComplete agents; every kind but the lattice needs 2 agents.
  [[nodiscard]] std::string locality_problem(std::int64_t population) const;
};

struct WorldSpec {
  WorldLayout layout;
  NetworkSpec network;

  /// The tree of places.
  [[nodiscard]] Places places() const { return Places(layout); }
  /// The lattice of a locality of `size` agents (side sqrt(size)).
  [[nodiscard]] LatticeSpec lattice(AgentIndex size) const;
  /// One locality's network of `size` agents; random kinds draw from stream `locality`.
  [[nodiscard]] Network locality_network(const Rng& rng, std::uint32_t locality, AgentIndex size) const;
  /// The world's network: every locality's, side by side (deterministic kinds built once per size).
  [[nodiscard]] Network network_of(const Places& places, const Rng& rng) const;
};

}  // namespace glocal
