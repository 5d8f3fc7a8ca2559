#include "glocal/world/data_world.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace glocal {

std::string brandt_group(const CountrySeries& unit) {
  const bool north = unit.region == "Western Europe" || unit.region == "Western Offshoots" || unit.region == "Eastern Europe" ||
                     unit.code == "JPN" || unit.code == "ISR";
  return north ? "north" : "south";
}

DataWorld build_data_world(const DataWorldSpec& spec) {
  const CountryData& data = *spec.data;
  if (spec.start_year < data.first_year() || spec.start_year > data.last_year()) {
    throw std::invalid_argument(fmt::format("the data cover {} to {}; a data world starts in one of those years, got {}", data.first_year(),
                                            data.last_year(), spec.start_year));
  }
  const auto selected = [&](const CountrySeries& unit) {
    return spec.select.empty() || std::find(spec.select.begin(), spec.select.end(), unit.code) != spec.select.end() ||
           std::find(spec.select.begin(), spec.select.end(), unit.region) != spec.select.end();
  };
  DataWorld world;
  std::vector<const CountrySeries*> units;
  double people = 0;
  for (const auto* unit : world_units(data, spec.start_year, spec.federations)) {
    if (!selected(*unit)) continue;
    if (std::isnan(data.gdppc(*unit, spec.start_year))) {
      world.left_out.push_back(unit->code);
      continue;
    }
    units.push_back(unit);
    people += data.population(*unit, spec.start_year);
  }
  if (units.empty()) throw std::invalid_argument(fmt::format("no unit of the data with GDP per head in {} is selected", spec.start_year));
  world.people_per_agent = spec.people_per_agent > 0.0 ? spec.people_per_agent : people / static_cast<double>(spec.agents);
  for (const auto& region : data.regions()) {
    for (const auto* unit : units) {
      if (unit->region != region) continue;
      DataNation nation;
      nation.unit = unit;
      nation.group = brandt_group(*unit);
      nation.productivity = data.gdppc(*unit, spec.start_year) / kDataMoneyUnit;
      const double scaled = std::round(data.population(*unit, spec.start_year) / world.people_per_agent);
      const auto agents = static_cast<std::int64_t>(std::max(scaled, static_cast<double>(kMinLocalityAgents)));
      const std::int64_t localities = std::clamp<std::int64_t>(agents / kMinLocalityAgents, 1, spec.localities_per_nation);
      for (std::int64_t k = 0; k < localities; ++k) {
        nation.localities.push_back(static_cast<AgentIndex>(agents / localities + (k < agents % localities ? 1 : 0)));
      }
      world.nations.push_back(std::move(nation));
    }
  }
  return world;
}

}  // namespace glocal
