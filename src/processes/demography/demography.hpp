#pragma once
// The demography process (docs/model/demography.md): agents are born and die, so that each nation
// of a data world holds round(P_n(t) / s) agents in year t (s: people per agent; at least 2 per
// locality), P_n the data's population while the year is in the data and the fitted demographic
// model (demographic_model.hpp) beyond it. Each tick starts with one renewal (renewal.hpp): every
// agent dies with probability demography.death_rate, then further deaths or births, to parents
// among the survivors of the same locality, meet each locality's target (a nation's target split
// equally among its localities); children inherit their parent's culture and half its wealth, and
// a dead agent's estate goes to an heir of its locality. Thread-independent and exact: the same
// seed gives the same births and deaths.
#include <optional>
#include <span>
#include <vector>

#include "glocal/model/coupling.hpp"
#include "glocal/process_api.hpp"
#include "processes/demography/demographic_model.hpp"

namespace glocal::demography {

struct Parameters {
  double death_rate = 0.01;  ///< per agent and year
};

[[nodiscard]] ProcessInfo process_info();

/// One nation's population path: the data's people by year, then the model.
struct NationPath {
  const CountrySeries* unit = nullptr;
  std::uint32_t localities = 1;
};

class DemographyProcess final : public BasicProcess<DemographyProcess, Parameters>, public PopulationChange {
 public:
  DemographyProcess(const Parameters& parameters, const CountryData& data, std::vector<NationPath> nations, double people_per_agent,
                    int start_year, DemographicModel model, const Places& places);
  void step(const TickContext& /*context*/) override {}
  /// The world metrics, one field each: process_info binds each metric to its field.
  struct WorldMetrics {
    double population = 0.0;
    double births = 0.0;
    double deaths = 0.0;
    double population_growth = 0.0;
  };
  [[nodiscard]] WorldMetrics measure_world() const;
  /// The place's people.
  [[nodiscard]] double place_people(AgentRange place) const;
  void connect(const std::function<Process*(std::string_view)>& find) override;
  [[nodiscard]] std::optional<Renewal> plan(std::uint64_t tick, const Places& places, const Rng& rng) override;

  /// Nation n's people in the year that tick `tick` brings (start_year + tick): the data's, or
  /// the model's beyond them. Advances the model's state; call once per tick, in order.
  [[nodiscard]] double people(std::uint32_t nation, int year);
  [[nodiscard]] const DemographicModel& model() const noexcept { return model_; }

 private:
  const CountryData* data_;
  std::vector<NationPath> nations_;
  double people_per_agent_;
  int start_year_;
  DemographicModel model_;
  const Places* places_;
  const EconomicActivity* economy_ = nullptr;
  std::vector<double> projected_;         ///< per nation: people in the last year planned (beyond the data: the model's)
  std::vector<double> projected_growth_;  ///< per nation: the last year's growth rate
  std::uint64_t births_ = 0;              ///< agents born in the last tick
  std::uint64_t deaths_ = 0;              ///< agents who died in the last tick
  double growth_ = 0.0;                   ///< the world's agents' growth in the last tick
};

}  // namespace glocal::demography
