#pragma once
// A world built from country data (world.data): one nation per unit present in the start year,
// agents in proportion to population, the data's regions as blocs, productivity from GDP per head
// (docs/model/real-world.md). The scenario loader checks the keys; this builds the nations.
#include <cstdint>
#include <string>
#include <vector>

#include "glocal/world/country_data.hpp"
#include "glocal/world/places.hpp"

namespace glocal {

/// Money in a data world is counted in thousands of 2011 international dollars (PPP) per year:
/// a nation's productivity A_n at the start is its GDP per head / kDataMoneyUnit.
inline constexpr double kDataMoneyUnit = 1000.0;
/// Every locality of a data world holds at least this many agents (a network needs two).
inline constexpr AgentIndex kMinLocalityAgents = 2;

struct DataWorldSpec {
  const CountryData* data = nullptr;
  int start_year = 0;
  FederationRule federations = FederationRule::as_of_year;
  /// Unit codes and region names to keep (empty: every unit).
  std::vector<std::string> select;
  std::int64_t agents = 0;        ///< agents at the start (used when people_per_agent is 0)
  double people_per_agent = 0.0;  ///< the scale; 0: from agents
  std::int64_t localities_per_nation = 1;
};

struct DataNation {
  const CountrySeries* unit = nullptr;
  std::string group;                   ///< "north" or "south" (brandt_group)
  std::vector<AgentIndex> localities;  ///< agents of each locality at the start
  double productivity = 0.0;           ///< GDP per head at the start / kDataMoneyUnit
};

struct DataWorld {
  double people_per_agent = 0.0;
  /// Region by region (CountryData::regions() order), data order within a region.
  std::vector<DataNation> nations;
  /// Selected units left out because the data have no GDP per head in the start year.
  std::vector<std::string> left_out;
};

/// "north" for the Brandt Commission's North (1980: Western Europe, the Western Offshoots, Eastern
/// Europe with the Soviet Union, Japan and Israel), "south" for the rest.
[[nodiscard]] std::string brandt_group(const CountrySeries& unit);

/// Builds the nations. A nation holds max(2, round(population / people per agent)) agents in
/// min(localities_per_nation, agents / 2) localities of as equal sizes as possible. Throws
/// std::invalid_argument when nothing is selected or the start year is outside the data (the
/// loader reports the key); selectors must name a code or region of the data.
[[nodiscard]] DataWorld build_data_world(const DataWorldSpec& spec);

}  // namespace glocal
