#include "processes/demography/demography.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "glocal/model/scenario.hpp"
#include "glocal/world/data_world.hpp"

namespace glocal::demography {

ProcessInfo process_info() {
  using P = Parameters;
  return ProcessDefinition<DemographyProcess, P>("demography")
      .summary(
          "Births and deaths: each nation of a data world follows its population in the data, then a demographic model fitted "
          "on them; children inherit their parent's culture and half its wealth.")
      .reference(
          "Bolt & van Zanden (2024) J. Econ. Surveys (Maddison Project Database 2023) for the paths; the model beyond them is "
          "fitted here (docs/model/demography.md)")
      .renews()
      .parameter("death_rate", &P::death_rate, 0.0, 0.5, "per year",
                 "Each agent dies with this probability a year (its own coin); births and further deaths then bring every "
                 "locality to its target. Sets the turnover of generations (how fast culture and wealth pass to children), "
                 "not the population, which follows the data and the model.")
      .schedulable()
      .metric_group(
          &DemographyProcess::measure_world,
          {
              {{"population", "people", "People in the world: agents x world.people_per_agent (the scale of the data world)."},
               &DemographyProcess::WorldMetrics::population},
              {{"births", "agents", "Agents born at the start of the last tick.", true}, &DemographyProcess::WorldMetrics::births},
              {{"deaths", "agents", "Agents who died at the start of the last tick.", true}, &DemographyProcess::WorldMetrics::deaths},
              {{"population_growth", "share per year", "Growth of the number of agents in the last tick.", true},
               &DemographyProcess::WorldMetrics::population_growth},
          })
      .place_metric("population", "people", "People in the place: its agents x world.people_per_agent.", &DemographyProcess::place_people)
      .validate([](const Scenario& scenario) {
        if (scenario.country_data() == nullptr) {
          throw ScenarioError(scenario.location("demography.death_rate"), "demography",
                              "follows the populations of a data world: set world.data = \"maddison\" and run.start_year");
        }
        for (const auto& name : scenario.processes()) {
          if (!scenario.schema().process(name)->renews) {
            throw ScenarioError(scenario.location("demography.death_rate"), "demography",
                                fmt::format("process '{}' cannot follow a changing population", name));
          }
        }
      })
      .create([](const BuildContext& context, const Parameters& parameters) {
        const Scenario& scenario = context.scenario;
        const CountryData& data = *scenario.country_data();
        std::vector<NationPath> nations;
        for (std::uint32_t n = 0; n < context.places.count(Scale::nation); ++n) {
          const auto& name = context.places.name(Scale::nation, n);
          const auto spec =
              std::find_if(scenario.nations().begin(), scenario.nations().end(), [&](const NationSpec& s) { return s.name == name; });
          const Places::IndexRange localities = context.places.within(context.places.place(Scale::nation, n), Scale::locality);
          nations.push_back({spec->data_unit, localities.last - localities.first + 1});
        }
        return std::make_unique<DemographyProcess>(parameters, data, std::move(nations), scenario.people_per_agent(),
                                                   static_cast<int>(scenario.integer("run.start_year")),
                                                   fit_demographic_model(data, data.first_year(), data.last_year()), context.places);
      })
      .info();
}

DemographyProcess::DemographyProcess(const Parameters& parameters, const CountryData& data, std::vector<NationPath> nations,
                                     double people_per_agent, int start_year, DemographicModel model, const Places& places)
    : BasicProcess(parameters),
      data_(&data),
      nations_(std::move(nations)),
      people_per_agent_(people_per_agent),
      start_year_(start_year),
      model_(model),
      places_(&places) {
  projected_.assign(nations_.size(), 0.0);
  projected_growth_.assign(nations_.size(), 0.0);
  for (std::size_t n = 0; n < nations_.size(); ++n) {
    const int year = std::min(start_year_, data_->last_year());
    projected_[n] = data_->population(*nations_[n].unit, year);
    const double before = data_->population(*nations_[n].unit, year - 1);
    projected_growth_[n] = std::isnan(before) ? 0.0 : projected_[n] / before - 1.0;
  }
}

void DemographyProcess::connect(const std::function<Process*(std::string_view)>& find) {
  economy_ = dynamic_cast<const EconomicActivity*>(find("economy"));
}

double DemographyProcess::people(std::uint32_t nation, int year) {
  const CountrySeries& unit = *nations_[nation].unit;
  if (year <= data_->last_year()) {
    const double before = projected_[nation];
    projected_[nation] = data_->population(unit, year);
    projected_growth_[nation] = projected_[nation] / before - 1.0;
    return projected_[nation];
  }
  // Beyond the data: income per head from the economy's last tick (money in thousands of 2011
  // int$, PPP), else the last GDP per head in the data.
  double income = NAN;
  if (economy_ != nullptr && !economy_->agent_income().empty()) {
    const AgentRange range = places_->place(Scale::nation, nation);
    const auto income_of = economy_->agent_income().subspan(range.first, range.size);
    income = std::accumulate(income_of.begin(), income_of.end(), 0.0) / static_cast<double>(range.size) * kDataMoneyUnit;
  }
  if (!(income > 0.0)) income = data_->gdppc(unit, data_->last_year());
  projected_growth_[nation] = model_.growth(projected_growth_[nation], income, year);
  projected_[nation] *= 1.0 + projected_growth_[nation];
  return projected_[nation];
}

std::optional<Renewal> DemographyProcess::plan(std::uint64_t tick, const Places& places, const Rng& rng) {
  const int year = start_year_ + static_cast<int>(tick);
  std::vector<AgentIndex> targets;
  targets.reserve(places.count(Scale::locality));
  for (std::uint32_t n = 0; n < nations_.size(); ++n) {
    const std::uint32_t localities = nations_[n].localities;
    const double scaled = std::round(people(n, year) / people_per_agent_);
    const auto total = static_cast<AgentIndex>(std::max(scaled, static_cast<double>(kMinLocalityAgents * localities)));
    for (std::uint32_t k = 0; k < localities; ++k) targets.push_back(total / localities + (k < total % localities ? 1 : 0));
  }
  Renewal renewal = plan_renewal(places, targets, params_.death_rate, rng, tick);
  births_ = renewal.born.size();
  deaths_ = renewal.estates.size();
  growth_ = static_cast<double>(renewal.agents()) / static_cast<double>(renewal.before) - 1.0;
  return renewal;
}

DemographyProcess::WorldMetrics DemographyProcess::measure_world() const {
  WorldMetrics out;
  out.population = static_cast<double>(places_->agents()) * people_per_agent_;
  out.births = static_cast<double>(births_);
  out.deaths = static_cast<double>(deaths_);
  out.population_growth = growth_;
  return out;
}

double DemographyProcess::place_people(AgentRange place) const { return static_cast<double>(place.size) * people_per_agent_; }

}  // namespace glocal::demography
