#include "processes/ecology/ecology.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "glocal/model/scenario.hpp"

namespace glocal::ecology {

CommonsOutcome commons_outcome(std::uint32_t k, std::uint32_t n, double gamma, double a) noexcept {
  const double nations = n;
  const auto payoff = [&](double total, double own) { return (a * total - total * total / 2.0) / nations - gamma * own * own / 2.0; };
  if (k <= 1) {  // no agreement: the Nash equilibrium, (1/N)(a - Q) = gamma q
    const double q = a / (nations * (1.0 + gamma));
    const double total = nations * q;
    return {payoff(total, q), payoff(total, q), total};
  }
  // Non-signatories best-respond, q_f = (a - Q) / (gamma N); the signatories lead:
  // q_s = k (a - Q) / (gamma N + N - k). Solve for the gap a - Q.
  const double signatories = k;
  const double leader = gamma * nations + nations - signatories;
  const double gap = a / (1.0 + signatories * signatories / leader + (nations - signatories) / (gamma * nations));
  const double total = a - gap;
  return {payoff(total, signatories * gap / leader), payoff(total, gap / (gamma * nations)), total};
}

ProcessInfo process_info() {
  using P = Parameters;
  return ProcessDefinition<EcologyProcess, P>("ecology")
      .summary(
          "Each locality's renewable resource: logistic regrowth and Schaefer harvest, with effort driven by economic activity, "
          "firms and regulation.")
      .reference("Verhulst (1838); Schaefer (1954) Bull. Inter-Am. Trop. Tuna Comm. 1:27; Gordon (1954) J. Polit. Econ. 62:124")
      .renews()
      .parameter("growth", &P::growth, 0.0, 2.0, "per tick", "r: logistic regrowth rate of each locality's resource.")
      .parameter("capacity", &P::capacity, 1.0e-12, 1.0e12, "resource per agent",
                 "K per agent: a locality's carrying capacity is this times its agents.")
      .parameter("catchability", &P::catchability, 0.0, 1.0e3, "per effort", "q: harvest is q x effort x stock (Schaefer).")
      .parameter("effort", &P::effort, 0.0, 1.0e6, "effort per tick",
                 "e: each locality's harvesting effort before the economy's factors (the whole effort without [economy]).")
      .schedulable()
      .parameter("activity", &P::activity, 0.0, 10.0, "elasticity",
                 "eta: effort scales as (locality mean income / world mean income in the first tick)^eta (with economy.production).")
      .parameter("firm_pressure", &P::firm_pressure, 0.0, 1.0e3, "per firm",
                 "f: effort is multiplied by 1 + f x (firms producing in the locality).")
      .parameter("regulation_effect", &P::regulation_effect, 0.0, 1.0e3, "per unit of rho",
                 "g: effort is multiplied by exp(-g x economy.regulation): regulation protects the resource.")
      .parameter("collapse", &P::collapse, 0.0, 1.0, "integrity", "A locality has collapsed while R / K is below this.")
      .parameter("project_rate", &P::project_rate, 0.0, 1.0, "per tick",
                 "Probability a tick that a locality without a project gets one (a dam funded by an outside lender).")
      .schedulable()
      .parameter("project_capacity", &P::project_capacity, 0.0, 1.0, "share of K", "Share of the locality's capacity a project takes.")
      .parameter("project_jobs", &P::project_jobs, 0.0, 1.0, "share of agents",
                 "Jobs a project creates, as a share of the locality's agents (with economy.production).")
      .parameter("project_displacement", &P::project_displacement, 0.0, 1.0, "probability",
                 "Probability that a project displaces each resident of its locality.")
      .parameter("commons", &P::commons,
                 "The global commons: nations play Barrett's (1994) agreement game on abating a global pollutant each tick.")
      .parameter("commons_gamma", &P::commons_gamma, 1.0e-6, 1.0e6, "c / b",
                 "gamma: the cost of abatement relative to its benefit (small: ozone-like, cheap; large: climate-like, costly).")
      .schedulable()
      .applies_when("ecology.commons", {"true"})
      .parameter("commons_revision", &P::commons_revision, 0.0, 1.0, "per tick",
                 "Probability a tick that a nation reconsiders joining the agreement.")
      .applies_when("ecology.commons", {"true"})
      .parameter("commons_emissions", &P::commons_emissions, 0.0, 1.0e12, "pollutant per tick",
                 "a: the world's emissions without abatement (the most that can be abated).")
      .applies_when("ecology.commons", {"true"})
      .parameter("commons_decay", &P::commons_decay, 0.0, 1.0, "per tick", "d: share of the global stock of pollutant that decays a tick.")
      .applies_when("ecology.commons", {"true"})
      .parameter("commons_damage", &P::commons_damage, 0.0, 0.99, "share of output",
                 "delta_Y: the stock feeds back on incomes: every nation's output is multiplied by 1 - delta_Y x^2 in the next tick, "
                 "x = S d / a the stock over its level without abatement (DICE-2016R's quadratic damage; 0.021 is DICE at 3 C).")
      .schedulable()
      .applies_when("ecology.commons", {"true"})
      .parameter("commons_resource_damage", &P::commons_resource_damage, 0.0, 0.99, "share of regrowth",
                 "delta_R: the stock feeds back on every locality's resource: its regrowth rate r is multiplied by 1 - delta_R x^2.")
      .schedulable()
      .applies_when("ecology.commons", {"true"})
      .metric_group(
          &EcologyProcess::measure_world,
          {
              {{"integrity", "share", "The world's resource over its capacity (sum R / sum K)."}, &EcologyProcess::WorldMetrics::integrity},
              {{"integrity_min", "share", "The lowest integrity R / K of any locality."}, &EcologyProcess::WorldMetrics::integrity_min},
              {{"collapsed", "share", "Share of localities whose integrity is below ecology.collapse."},
               &EcologyProcess::WorldMetrics::collapsed},
              {{"collapses", "events", "Times a locality fell below ecology.collapse so far."}, &EcologyProcess::WorldMetrics::collapses},
              {{"harvest", "resource", "Total harvest in the last tick.", true}, &EcologyProcess::WorldMetrics::harvest},
              {{"projects", "projects", "Projects active now."}, &EcologyProcess::WorldMetrics::projects},
              {{"projects_funded", "projects", "Projects funded so far."}, &EcologyProcess::WorldMetrics::projects_funded},
              {{"projects_cancelled", "projects", "Projects cancelled so far (movements' boomerang or the national government)."},
               &EcologyProcess::WorldMetrics::projects_cancelled},
              {{"displaced", "share", "Share of agents displaced by projects."}, &EcologyProcess::WorldMetrics::displaced},
              {{"coalition", "nations", "Signatories of the global agreement (ecology.commons)."},
               &EcologyProcess::WorldMetrics::coalition},
              {{"abatement", "share", "Global abatement Q over potential a in the last tick.", true},
               &EcologyProcess::WorldMetrics::abatement},
              {{"global_stock", "pollutant", "The global stock of pollutant S."}, &EcologyProcess::WorldMetrics::global_stock},
              {{"output_damage", "share",
                "D = delta_Y x^2: the share of output the stock costs in the next tick (ecology.commons_damage)."},
               &EcologyProcess::WorldMetrics::output_damage},
          })
      .place_metric("integrity", "share", "The place's resource over its capacity.", &EcologyProcess::place_integrity)
      .bytes_per_agent([](const Scenario& /*scenario*/, double /*links*/) { return 1.0; })  // displaced_
      .validate([](const Scenario& scenario) {
        if (scenario.boolean("ecology.commons")) {
          for (const char* key : {"ecology.commons_damage", "ecology.commons_resource_damage"}) {
            if (scenario.real(key) > 0.0 && scenario.real("ecology.commons_decay") == 0.0) {
              throw ScenarioError(scenario.location(key), key,
                                  "measures the stock against its level without abatement, a / d: needs ecology.commons_decay > 0");
            }
          }
          return;
        }
        // The commons' keys are those declared to apply with ecology.commons (.applies_when above):
        // without it, setting one is an error, not only the schema's warning.
        for (const ParamSpec& spec : scenario.schema().parameters()) {
          const bool commons_key = std::any_of(spec.applies_when.begin(), spec.applies_when.end(),
                                               [](const Condition& condition) { return condition.key == "ecology.commons"; });
          if (commons_key && scenario.is_set(spec.key)) {
            throw ScenarioError(scenario.location(spec.key), spec.key, "applies with ecology.commons = true");
          }
        }
      })
      .policy(PolicyAccess::reads)  // regulation protects the resource (through the economy, 0 without production)
      .create([](const BuildContext& context, const Parameters& parameters) {
        const auto* economy = dynamic_cast<const EconomicActivity*>(context.built("economy"));
        return std::make_unique<EcologyProcess>(parameters, context.places, economy);
      })
      .info();
}

EcologyProcess::EcologyProcess(const Parameters& parameters, const Places& places, const EconomicActivity* economy)
    : BasicProcess(parameters), places_(&places), economy_(economy) {
  const std::uint32_t localities = places.count(Scale::locality);
  capacity_.resize(localities);
  for (std::uint32_t l = 0; l < localities; ++l)
    capacity_[l] = params_.capacity * static_cast<double>(places.place(Scale::locality, l).size);
  stock_ = capacity_;
  integrity_.assign(localities, 1.0);
  effort_.assign(localities, params_.effort);
  collapsed_.assign(localities, 0);
  base_capacity_ = capacity_;
  nation_of_locality_.resize(localities);
  for (std::uint32_t l = 0; l < localities; ++l) nation_of_locality_[l] = places.enclosing(Scale::locality, l, Scale::nation);
  project_.assign(localities, 0);
  project_jobs_.assign(localities, 0.0);
  displaced_.assign(places.agents(), 0);
  signatory_.assign(places.count(Scale::nation), 0);
}

void EcologyProcess::play_commons(std::uint64_t tick, const Rng& rng) {
  const auto nations = static_cast<std::uint32_t>(signatory_.size());
  const double gamma = params_.commons_gamma;
  const double a = params_.commons_emissions;
  for (std::uint32_t n = 0; n < nations; ++n) {
    if (uniform_unit(rng.block(n, tick, Purpose::ecology_commons)[0]) >= params_.commons_revision) continue;
    if (signatory_[n] != 0) {
      if (commons_outcome(signatories_ - 1, nations, gamma, a).outsider > commons_outcome(signatories_, nations, gamma, a).signatory) {
        signatory_[n] = 0;
        --signatories_;
      }
    } else if (commons_outcome(signatories_ + 1, nations, gamma, a).signatory >=
               commons_outcome(signatories_, nations, gamma, a).outsider) {
      signatory_[n] = 1;
      ++signatories_;
    }
  }
  abatement_ = commons_outcome(signatories_, nations, gamma, a).abatement;
  global_stock_ = (1.0 - params_.commons_decay) * global_stock_ + a - abatement_;
  const double x = relative_stock();
  output_damage_ = params_.commons_damage * x * x;
  resource_damage_ = params_.commons_resource_damage * x * x;
}

double EcologyProcess::relative_stock() const noexcept {
  return params_.commons_emissions > 0.0 ? global_stock_ * params_.commons_decay / params_.commons_emissions : 0.0;
}

void EcologyProcess::fund_projects(std::uint64_t tick, const Rng& rng) {
  for (std::uint32_t l = 0; l < project_.size(); ++l) {
    if (project_[l] != 0 || uniform_unit(rng.block(l, tick, Purpose::ecology_projects)[0]) >= params_.project_rate) continue;
    project_[l] = 1;
    ++projects_funded_;
    capacity_[l] = base_capacity_[l] * (1.0 - params_.project_capacity);
    stock_[l] = std::min(stock_[l], capacity_[l]);  // the flooded part of the resource is gone
    project_jobs_[l] = params_.project_jobs;
    const AgentRange place = places_->place(Scale::locality, l);
    for (AgentIndex i = place.first; i < place.first + place.size; ++i) {
      if (uniform_unit(rng.block(i, tick, Purpose::ecology_projects, 1)[0]) < params_.project_displacement) displaced_[i] = 1;
    }
  }
}

void EcologyProcess::cancel_project(std::uint32_t locality) noexcept {
  if (project_[locality] != 1) return;
  project_[locality] = 2;
  ++projects_cancelled_;
  capacity_[locality] = base_capacity_[locality];
  project_jobs_[locality] = 0.0;
}

void EcologyProcess::step(const TickContext& context) {
  const auto localities = static_cast<std::uint32_t>(stock_.size());
  if (params_.project_rate > 0.0) fund_projects(context.tick, context.rng);
  if (params_.commons) play_commons(context.tick, context.rng);
  std::span<const double> income;
  std::span<const std::uint32_t> firms;
  if (economy_ != nullptr) {
    income = economy_->locality_income();
    firms = economy_->locality_firms();
    if (!income.empty() && baseline_income_ <= 0.0) {
      double total = 0;
      double agents = 0;
      for (std::uint32_t l = 0; l < localities; ++l) {
        const double n = places_->place(Scale::locality, l).size;
        total += income[l] * n;
        agents += n;
      }
      baseline_income_ = total / agents;
    }
  }
  harvest_ = 0.0;
  const double growth = params_.growth * (1.0 - resource_damage_);
  for (std::uint32_t l = 0; l < localities; ++l) {
    const double regulation = economy_ != nullptr ? economy_->nation_regulation(nation_of_locality_[l]) : 0.0;
    double effort = params_.effort * std::exp(-params_.regulation_effect * regulation);
    if (!income.empty() && baseline_income_ > 0.0) effort *= std::pow(std::max(income[l], 0.0) / baseline_income_, params_.activity);
    if (!firms.empty()) effort *= 1.0 + params_.firm_pressure * firms[l];
    effort_[l] = effort;
    const double r = stock_[l];
    const double take = std::min(r, params_.catchability * effort * r);
    stock_[l] = std::max(0.0, r + growth * r * (1.0 - r / capacity_[l]) - take);
    harvest_ += take;
    integrity_[l] = stock_[l] / capacity_[l];
    const bool below = integrity_[l] < params_.collapse;
    if (below && collapsed_[l] == 0) ++collapses_;
    collapsed_[l] = below ? 1 : 0;
  }
}

EcologyProcess::WorldMetrics EcologyProcess::measure_world() const {
  WorldMetrics out;
  const double stock = std::accumulate(stock_.begin(), stock_.end(), 0.0);
  const double capacity = std::accumulate(capacity_.begin(), capacity_.end(), 0.0);
  out.integrity = stock / capacity;
  out.integrity_min = integrity_.empty() ? 1.0 : *std::min_element(integrity_.begin(), integrity_.end());
  out.collapsed = collapsed_.empty() ? 0.0
                                     : static_cast<double>(std::accumulate(collapsed_.begin(), collapsed_.end(), std::uint64_t{0})) /
                                           static_cast<double>(collapsed_.size());
  out.collapses = static_cast<double>(collapses_);
  out.harvest = harvest_;
  out.projects = static_cast<double>(std::count(project_.begin(), project_.end(), std::uint8_t{1}));
  out.projects_funded = static_cast<double>(projects_funded_);
  out.projects_cancelled = static_cast<double>(projects_cancelled_);
  out.displaced = displaced_.empty() ? 0.0
                                     : static_cast<double>(std::accumulate(displaced_.begin(), displaced_.end(), std::uint64_t{0})) /
                                           static_cast<double>(displaced_.size());
  out.coalition = static_cast<double>(signatories_);
  out.abatement = params_.commons_emissions > 0.0 ? abatement_ / params_.commons_emissions : 0.0;
  out.global_stock = global_stock_;
  out.output_damage = output_damage_;
  return out;
}

double EcologyProcess::place_integrity(AgentRange place) const {
  const auto [first, last] = places_->within(place, Scale::locality);
  double stock = 0;
  double capacity = 0;
  for (std::uint32_t l = first; l <= last; ++l) {
    stock += stock_[l];
    capacity += capacity_[l];
  }
  return stock / capacity;
}

}  // namespace glocal::ecology
