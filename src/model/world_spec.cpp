// A scenario's world as data (glocal/world/world_spec.hpp): its places and networks, read from
// the scenario's keys and [[world.nation]] tables or data world.
#include <algorithm>

#include "glocal/model/scenario.hpp"

namespace glocal {

namespace {

WorldLayout layout_of(const Scenario& scenario) {
  if (scenario.nations().empty()) {
    PlaceShape shape;
    shape.blocs = static_cast<std::uint32_t>(scenario.integer("world.blocs"));
    shape.nations_per_bloc = static_cast<std::uint32_t>(scenario.integer("world.nations_per_bloc"));
    shape.localities_per_nation = static_cast<std::uint32_t>(scenario.integer("world.localities_per_nation"));
    shape.agents_per_locality = static_cast<AgentIndex>(scenario.synthetic_population());
    return synthetic_layout(shape);
  }
  WorldLayout layout;
  for (const auto& nation : scenario.nations()) {  // blocs in order of first mention
    if (std::find(layout.blocs.begin(), layout.blocs.end(), nation.bloc) == layout.blocs.end()) layout.blocs.push_back(nation.bloc);
  }
  for (std::uint32_t b = 0; b < layout.blocs.size(); ++b) {
    for (const auto& nation : scenario.nations()) {
      if (nation.bloc != layout.blocs[b]) continue;
      NationLayout entry;
      entry.name = nation.name;
      entry.group = nation.group;
      entry.bloc = b;
      if (!nation.locality_populations.empty()) {
        entry.localities.assign(nation.locality_populations.begin(), nation.locality_populations.end());
      } else {
        entry.localities.assign(static_cast<std::size_t>(nation.localities),
                                static_cast<AgentIndex>(nation.population > 0 ? nation.population : scenario.synthetic_population()));
      }
      entry.locality_names = nation.locality_names;
      layout.nations.push_back(std::move(entry));
    }
  }
  return layout;
}

}  // namespace

NetworkSpec network_spec(const Scenario& scenario) {
  NetworkSpec spec;
  const std::string& kind = scenario.text("world.network.kind");
  spec.kind = kind == "ring"          ? NetworkSpec::Kind::ring
              : kind == "small-world" ? NetworkSpec::Kind::small_world
              : kind == "random"      ? NetworkSpec::Kind::random
              : kind == "complete"    ? NetworkSpec::Kind::complete
                                      : NetworkSpec::Kind::lattice;
  spec.lattice.boundary = scenario.text("world.lattice.boundary") == "periodic" ? Boundary::periodic : Boundary::open;
  const std::string& hood = scenario.text("world.lattice.neighborhood");
  spec.lattice.neighborhood = hood == "moore"     ? Neighborhood::moore
                              : hood == "diamond" ? Neighborhood::diamond
                              : hood == "radius"  ? Neighborhood::radius
                                                  : Neighborhood::von_neumann;
  spec.lattice.radius = static_cast<std::uint32_t>(scenario.integer("world.lattice.radius"));
  spec.lattice.order = scenario.text("world.lattice.order") == "tiles" ? LatticeOrder::tiles : LatticeOrder::rows;
  spec.degree = static_cast<std::uint32_t>(scenario.integer("world.network.degree"));
  spec.rewire = scenario.real("world.network.rewire");
  spec.mean_degree = scenario.real("world.network.mean_degree");
  return spec;
}

WorldSpec world_spec(const Scenario& scenario) { return {layout_of(scenario), network_spec(scenario)}; }

}  // namespace glocal
