// The culture process's metrics (declared with process_info in culture.cpp): the world's and each
// place's, and the measures they share (hybrids, the global culture's share, heritage retained).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>

#include "glocal/metrics/culture_metrics.hpp"
#include "processes/culture/culture.hpp"  // IWYU pragma: associated

namespace glocal::culture {

CultureProcess::PlaceMetrics CultureProcess::measure_place_all(AgentRange place) const {
  PlaceMetrics out;
  const CultureView culture = view();
  const CultureCensus census = culture_census(culture, place, initial_cultures_);
  const PairOverlap pairs = pair_overlap(culture, places_, place);
  const double n = static_cast<double>(place.size);
  out.agents = n;
  out.cultures = static_cast<double>(census.distinct);
  out.entropy = census.entropy_bits;
  out.dominant_share = place.size > 0 ? static_cast<double>(census.largest) / n : 0.0;
  out.global_share = global_share(place);
  out.heritage_retention = heritage_retention(place);
  out.novel_share = place.size > 0 ? static_cast<double>(census.novel_agents) / n : 0.0;
  out.novel_cultures = census.distinct > 0 ? static_cast<double>(census.novel_distinct) / static_cast<double>(census.distinct) : 0.0;
  out.overlap_within = pairs.within;
  out.overlap_between = pairs.between;
  return out;
}

CultureProcess::Hybrids CultureProcess::hybrids(AgentRange place) const {
  const std::uint32_t features = params_.features;
  // The global culture: the media field an agent meets; without media, the world's modal culture.
  std::vector<std::uint8_t> world_mode;
  if (!media_on()) {
    std::vector<std::uint32_t> counts(static_cast<std::size_t>(features) * 256);
    world_mode.resize(features);
    modal_culture(AgentRange{0, network_->size()}, counts, world_mode.data());
  }
  std::vector<const std::uint8_t*> rows;  // the hybrids' vectors, compared byte by byte (exact)
  const CultureView culture = view();
  for (AgentIndex i = place.first; i < place.first + place.size; ++i) {
    const std::uint8_t* x = culture.of(i);
    const std::uint8_t* local = heritage_of(i);
    const std::uint8_t* global = media_on() ? field_of(i) : world_mode.data();
    std::uint32_t from_local = 0;
    std::uint32_t from_global = 0;
    bool mixed = true;
    for (std::uint32_t f = 0; f < features && mixed; ++f) {
      if (x[f] == local[f] && x[f] != global[f]) {
        ++from_local;
      } else if (x[f] == global[f] && x[f] != local[f]) {
        ++from_global;
      } else if (x[f] != local[f]) {
        mixed = false;  // a trait of neither: invention or an old third culture, not a mixture
      }
    }
    if (mixed && from_local > 0 && from_global > 0) rows.push_back(x);
  }
  Hybrids out;
  out.agents = rows.size();
  std::sort(rows.begin(), rows.end(), [&](const std::uint8_t* a, const std::uint8_t* b) { return std::memcmp(a, b, features) < 0; });
  out.distinct = static_cast<std::uint64_t>(
      std::unique(rows.begin(), rows.end(),
                  [&](const std::uint8_t* a, const std::uint8_t* b) { return std::memcmp(a, b, features) == 0; }) -
      rows.begin());
  return out;
}

double CultureProcess::global_share(AgentRange place) const noexcept {
  if (!media_on()) return std::numeric_limits<double>::quiet_NaN();
  if (place.size == 0) return 0.0;
  std::uint64_t same = 0;
  const CultureView culture = view();
  for (AgentIndex i = place.first; i < place.first + place.size; ++i)
    same += overlap(culture.of(i), field_of(i), params_.features) == params_.features ? 1 : 0;
  return static_cast<double>(same) / static_cast<double>(place.size);
}

CultureProcess::WorldMetrics CultureProcess::measure_all() const {
  WorldMetrics out;
  const CultureView culture = view();
  const AgentRange everyone{0, culture.agents};
  const LinkCensus links = link_census(culture, *network_);
  const Components& regions = links.regions;
  const Components& zones = links.zones;
  const CultureCensus census = culture_census(culture, everyone, initial_cultures_);
  const PairOverlap pairs = pair_overlap(culture, places_, everyone);
  const double agents = static_cast<double>(culture.agents);
  out.regions = static_cast<double>(regions.count);
  out.zones = static_cast<double>(zones.count);
  out.smax = agents > 0 ? static_cast<double>(regions.largest) / agents : 0.0;
  out.cultures = static_cast<double>(census.distinct);
  out.novel_share = agents > 0 ? static_cast<double>(census.novel_agents) / agents : 0.0;
  out.events = static_cast<double>(events_);
  out.absorbed = frozen() ? 1.0 : 0.0;
  out.global_share = global_share(everyone);
  out.heritage_retention = heritage_retention(everyone);
  out.novel_cultures = census.distinct > 0 ? static_cast<double>(census.novel_distinct) / static_cast<double>(census.distinct) : 0.0;
  out.overlap_within = pairs.within;
  out.overlap_between = pairs.between;
  out.overlap_ratio = pairs.between > 0 ? pairs.within / pairs.between : std::numeric_limits<double>::quiet_NaN();
  out.innovations = static_cast<double>(innovations_);
  const Hybrids mixed = hybrids(everyone);
  out.hybrid_share = agents > 0 ? static_cast<double>(mixed.agents) / agents : 0.0;
  out.hybrid_size = mixed.distinct > 0 ? static_cast<double>(mixed.agents) / static_cast<double>(mixed.distinct)
                                       : std::numeric_limits<double>::quiet_NaN();
  return out;
}

double CultureProcess::heritage_retention(AgentRange place) const noexcept {
  if (place.size == 0) return 0.0;
  std::uint64_t kept = 0;
  const CultureView culture = view();
  for (AgentIndex i = place.first; i < place.first + place.size; ++i) kept += overlap(culture.of(i), heritage_of(i), params_.features);
  return static_cast<double>(kept) / (static_cast<double>(place.size) * params_.features);
}

}  // namespace glocal::culture
