#include "processes/movements/movements.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "glocal/model/scenario.hpp"

namespace glocal::movements {

namespace {

/// The index of the locality named `name`, or -1 for "" (anywhere).
std::int64_t locality_named(const Places& places, const std::string& name) {
  if (name.empty()) return -1;
  for (std::uint32_t l = 0; l < places.count(Scale::locality); ++l) {
    if (places.name(Scale::locality, l) == name) return l;
  }
  return -2;
}

}  // namespace

ProcessInfo process_info() {
  using P = Parameters;
  return ProcessDefinition<MovementsProcess, P>("movements")
      .summary(
          "Threshold models of collective action: Granovetter's crowd, Watts' cascades on random graphs, Centola and Macy's simple and "
          "complex contagion.")
      .reference("Granovetter (1978) Am. J. Sociol. 83:1420; Watts (2002) PNAS 99:5766; Centola & Macy (2007) Am. J. Sociol. 113:702")
      .can_absorb()
      .renews()
      .choice("contagion", &P::contagion,
              {{"simple", Contagion::simple}, {"complex", Contagion::complex}, {"fractional", Contagion::fractional}},
              "When an inactive agent activates: 'simple' (one active network neighbour is enough), 'complex' (at least its "
              "threshold's count of active neighbours), 'fractional' (a share of active neighbours of at least its threshold).")
      .choice("thresholds", &P::thresholds,
              {{"fixed", Thresholds::fixed}, {"normal", Thresholds::normal}, {"sequence", Thresholds::sequence}},
              "How thresholds are drawn: 'fixed' (every agent movements.threshold), 'normal' (mean movements.threshold, sd "
              "movements.threshold_sd, truncated at 0), 'sequence' (Granovetter: the k-th agent of each locality has threshold "
              "k, k = 0, 1, ...).")
      .parameter("threshold", &P::threshold, 0.0, 1.0e9, "share or count",
                 "theta: a share of neighbours (fractional) or a count of them (complex); 'simple' contagion ignores it.")
      .parameter("threshold_sd", &P::threshold_sd, 0.0, 1.0e9, "share or count", "Standard deviation of normal thresholds.")
      .parameter("raise", &P::raise, -1, 4294967295.0, "threshold",
                 "sequence: the agent whose threshold is this value gets one more (Granovetter's change of one person); -1: none.")
      .parameter("seeds", &P::seeds, 0.0, 1.0, "share", "Share of agents active at tick 0 (round(share x N) agents, drawn at random).")
      .choice("seeding", &P::seeding, {{"random", Seeding::random}, {"cluster", Seeding::cluster}},
              "'random': the seeds alone; 'cluster': each seed with all its network neighbours (so that complex contagion "
              "can start).")
      .parameter("grievance_poverty", &P::grievance_poverty, 0.0, 1.0, "grievance",
                 "w_p: grievance of an agent whose income is below movements.poverty_line x the world's median income (needs "
                 "economy.production). An agent's effective threshold is theta (1 - G), G its grievance (at most 1).")
      .parameter("grievance_resource", &P::grievance_resource, 0.0, 100.0, "grievance per unit lost",
                 "w_r: grievance per unit of resource integrity lost in the agent's locality, w_r (1 - R/K), at most 1 in all "
                 "(w_r > 1: full grievance before the resource is gone; needs [ecology]).")
      .parameter("poverty_line", &P::poverty_line, 0.0, 10.0, "share of median",
                 "The poverty line for grievance, as a share of the world's median income.")
      .parameter("grievance_displacement", &P::grievance_displacement, 0.0, 1.0, "grievance",
                 "w_d: grievance of an agent a project displaced (needs [ecology] with projects).")
      .parameter("ngo_ties", &P::ngo_ties, 0.0, 1.0, "share of localities",
                 "Density of ties to international NGOs: a locality has them when its fixed uniform draw is below this.")
      .schedulable()
      .parameter("boomerang_level", &P::boomerang_level, 0.0, 1.0, "share",
                 "Mobilised share of a locality that puts pressure on its project's funder.")
      .parameter(
          "boomerang", &P::boomerang, 0.0, 1.0, "per tick",
          "With NGO ties: probability a tick, at full mobilisation, that the funder cancels the project (times the mobilised share).")
      .parameter("national_cancel", &P::national_cancel, 0.0, 1.0, "per tick",
                 "Without ties: the national government's probability a tick, at full mobilisation, of cancelling (times the share).")
      .parameter("ngo_contacts", &P::ngo_contacts, 0.0, 1.0e6, "virtual neighbours",
                 "w: activation across localities through NGO ties: each agent of a tied locality has w virtual neighbours, "
                 "counted active in the share of the other tied localities' agents who are mobilised.")
      .parameter("seed_locality", &P::seed_locality_name,
                 "Seeds only among the agents of the locality of this name (its share is "
                 "movements.seeds of that locality); empty: anywhere.")
      .metric_group(
          &MovementsProcess::measure_world,
          {
              {{"mobilised", "share", "Share of agents active (mobilised)."}, &MovementsProcess::WorldMetrics::mobilised},
              {{"newly_mobilised", "share", "Share of agents that activated in the last tick's round.", true},
               &MovementsProcess::WorldMetrics::newly_mobilised},
              {{"rounds", "ticks", "Rounds (ticks) in which at least one agent activated."}, &MovementsProcess::WorldMetrics::rounds},
              {{"grievance", "grievance", "Mean grievance G over all agents (0 without grievance sources)."},
               &MovementsProcess::WorldMetrics::grievance},
              {{"cancelled_with_ties", "projects", "Projects cancelled so far in localities with NGO ties (the boomerang)."},
               &MovementsProcess::WorldMetrics::cancelled_with_ties},
              {{"cancelled_without_ties", "projects", "Projects cancelled so far by national governments (no ties)."},
               &MovementsProcess::WorldMetrics::cancelled_without_ties},
          })
      .place_metric("mobilised", "share", "Share of the place's agents active.", &MovementsProcess::place_mobilised)
      .bytes_per_agent([](const Scenario& scenario, double /*links*/) {
        double bytes = 1.0 + 8.0 + 4.0 + 1.0 + 8.0;  // active_, threshold_, active_neighbours_, queued_; candidates_ and joining_ at most
        const auto& processes = scenario.processes();
        const bool economy = std::find(processes.begin(), processes.end(), "economy") != processes.end();
        if (economy) bytes += 8.0;  // scratch_: incomes, for the median
        if (scenario.real("movements.grievance_poverty") > 0.0 || scenario.real("movements.grievance_resource") > 0.0 ||
            scenario.real("movements.grievance_displacement") > 0.0) {
          bytes += 8.0;  // grievance_
        }
        return bytes;
      })
      .validate([](const Scenario& scenario) {
        const auto runs = [&](const char* name) { return scenario.enables(name); };
        if (runs("demography") && scenario.text("movements.thresholds") == "sequence") {
          throw ScenarioError(scenario.location("movements.thresholds"), "movements.thresholds",
                              "\"sequence\" numbers a locality's agents, which demography renumbers: use \"fixed\" or \"normal\"");
        }
        if (!scenario.text("movements.seed_locality").empty() &&
            locality_named(world_spec(scenario).places(), scenario.text("movements.seed_locality")) < 0) {
          throw ScenarioError(
              scenario.location("movements.seed_locality"), "movements.seed_locality",
              fmt::format("names no locality of this world (\"{}\"; `glocal run` with run.record_places = \"locality\" lists "
                          "them in places.csv)",
                          scenario.text("movements.seed_locality")));
        }
        if (scenario.real("movements.grievance_poverty") > 0.0 && !(runs("economy") && scenario.boolean("economy.production"))) {
          throw ScenarioError(scenario.location("movements.grievance_poverty"), "movements.grievance_poverty",
                              "needs [economy] with economy.production = true (grievance from poverty reads incomes)");
        }
        if (scenario.real("movements.grievance_displacement") > 0.0 && !runs("ecology")) {
          throw ScenarioError(scenario.location("movements.grievance_displacement"), "movements.grievance_displacement",
                              "needs [ecology] (projects displace people)");
        }
        if (scenario.real("movements.grievance_resource") > 0.0 && !runs("ecology")) {
          throw ScenarioError(scenario.location("movements.grievance_resource"), "movements.grievance_resource",
                              "needs [ecology] (grievance from resource loss reads each locality's integrity)");
        }
        const std::string& thresholds = scenario.text("movements.thresholds");
        if (scenario.is_set("movements.threshold_sd") && thresholds != "normal") {
          throw ScenarioError(scenario.location("movements.threshold_sd"), "movements.threshold_sd",
                              fmt::format("applies to movements.thresholds = \"normal\" (here \"{}\")", thresholds));
        }
        if (scenario.is_set("movements.raise") && thresholds != "sequence") {
          throw ScenarioError(scenario.location("movements.raise"), "movements.raise",
                              fmt::format("applies to movements.thresholds = \"sequence\" (here \"{}\")", thresholds));
        }
        if (scenario.text("movements.contagion") == "fractional" && thresholds != "normal" && scenario.real("movements.threshold") > 1.0) {
          throw ScenarioError(scenario.location("movements.threshold"), "movements.threshold",
                              fmt::format("is a share of neighbours with movements.contagion = \"fractional\": at most 1, got {}",
                                          scenario.real("movements.threshold")));
        }
      })
      .create([](const BuildContext& context, const Parameters& parameters) {
        Parameters p = parameters;
        p.seed_locality = locality_named(context.places, p.seed_locality_name);  // checked by validate
        const auto* economy = p.grievance_poverty > 0.0 ? dynamic_cast<const EconomicActivity*>(context.built("economy")) : nullptr;
        auto* environment = dynamic_cast<LocalEnvironment*>(context.built("ecology"));
        return std::make_unique<MovementsProcess>(p, context.network, context.places, context.rng, economy, environment);
      })
      .info();
}

MovementsProcess::MovementsProcess(const Parameters& parameters, const Network& network, const Places& places, const Rng& rng,
                                   const EconomicActivity* economy, LocalEnvironment* environment)
    : BasicProcess(parameters),
      network_(&network),
      active_(network.size(), 0),
      threshold_(network.size(), parameters.threshold),
      active_neighbours_(network.size(), 0),
      queued_(network.size(), 0),
      places_(&places),
      economy_(economy),
      environment_(environment) {
  const AgentIndex agents = network.size();
  const bool grieves = (economy_ != nullptr && params_.grievance_poverty > 0.0) ||
                       (environment_ != nullptr && (params_.grievance_resource > 0.0 || params_.grievance_displacement > 0.0));
  if (grieves) grievance_.assign(agents, 0.0);
  active_by_locality_.assign(places.count(Scale::locality), 0);
  tie_draw_.resize(places.count(Scale::locality));
  for (std::uint32_t l = 0; l < tie_draw_.size(); ++l) tie_draw_[l] = uniform_unit(rng.block(l, 0, Purpose::movements_boomerang)[0]);
  if (params_.thresholds == Thresholds::normal) {
    for (AgentIndex i = 0; i < agents; ++i) {
      const RandomBlock words = rng.block(i, 0, Purpose::movements_init);
      threshold_[i] = std::max(0.0, params_.threshold + params_.threshold_sd * normal_from_words(words[0], words[1]));
    }
  } else if (params_.thresholds == Thresholds::sequence) {
    for (std::uint32_t l = 0; l < places.count(Scale::locality); ++l) {
      const AgentRange place = places.place(Scale::locality, l);
      for (AgentIndex k = 0; k < place.size; ++k) {
        threshold_[place.first + k] = static_cast<double>(k) + (static_cast<std::int64_t>(k) == params_.raise ? 1.0 : 0.0);
      }
    }
  }
  if (params_.contagion == Contagion::simple) std::fill(threshold_.begin(), threshold_.end(), 1.0);
  // Seeds: a uniform sample of round(share x N) agents (partial Fisher-Yates on the block words).
  const AgentRange pool =
      params_.seed_locality >= 0 ? places.place(Scale::locality, static_cast<std::uint32_t>(params_.seed_locality)) : AgentRange{0, agents};
  const auto seeds = static_cast<AgentIndex>(std::llround(params_.seeds * static_cast<double>(pool.size)));
  std::vector<AgentIndex> order(pool.size);
  for (AgentIndex i = 0; i < pool.size; ++i) order[i] = pool.first + i;
  for (AgentIndex k = 0; k < seeds; ++k) {
    const auto j = k + static_cast<AgentIndex>(uniform_below(rng.block(k, 0, Purpose::movements_init, 1)[0], pool.size - k));
    std::swap(order[k], order[j]);
    const AgentIndex seed = order[k];
    activate(seed);
    if (params_.seeding == Seeding::cluster) {
      for (const AgentIndex m : network.neighbors(seed)) activate(m);
    }
  }
  // Round 1 examines everyone (a zero threshold needs no active neighbour); later rounds only the
  // neighbours of the agents that just activated.
  candidates_.clear();
  for (AgentIndex i = 0; i < agents; ++i) {
    if (active_[i] == 0) {
      candidates_.push_back(i);
      queued_[i] = 1;
    }
  }
  newly_ = 0;
}

void MovementsProcess::activate(AgentIndex agent) {
  if (active_[agent] != 0) return;
  active_[agent] = 1;
  ++mobilised_;
  ++active_by_locality_[places_->place_of(agent, Scale::locality)];
  for (const AgentIndex m : network_->neighbors(agent)) {
    ++active_neighbours_[m];
  }
}

bool MovementsProcess::ready(AgentIndex agent) const noexcept {
  double count = active_neighbours_[agent];
  double degree = static_cast<double>(network_->neighbors(agent).size());
  if (!ngo_field_.empty()) {
    const std::uint32_t l = places_->place_of(agent, Scale::locality);
    if (tied(l)) {
      count += params_.ngo_contacts * ngo_field_[l];
      degree += params_.ngo_contacts;
    }
  }
  const double threshold = grievance_on() ? threshold_[agent] * (1.0 - grievance_[agent]) : threshold_[agent];
  if (params_.contagion == Contagion::fractional) {
    return (degree > 0 || threshold <= 0.0) && count >= threshold * degree;
  }
  return count >= threshold;
}

void MovementsProcess::update_ngo_field() {
  const auto localities = static_cast<std::uint32_t>(tie_draw_.size());
  ngo_field_.assign(localities, 0.0);
  double active = 0;
  double agents = 0;
  for (std::uint32_t l = 0; l < localities; ++l) {
    if (!tied(l)) continue;
    active += static_cast<double>(active_by_locality_[l]);
    agents += places_->place(Scale::locality, l).size;
  }
  for (std::uint32_t l = 0; l < localities; ++l) {
    if (!tied(l)) continue;
    const double others = agents - places_->place(Scale::locality, l).size;
    if (others > 0) ngo_field_[l] = (active - static_cast<double>(active_by_locality_[l])) / others;
  }
}

void MovementsProcess::update_grievance() {
  std::fill(grievance_.begin(), grievance_.end(), 0.0);
  if (economy_ != nullptr && params_.grievance_poverty > 0.0 && !economy_->agent_income().empty()) {
    const std::span<const double> income = economy_->agent_income();
    scratch_.assign(income.begin(), income.end());
    const auto middle = scratch_.begin() + static_cast<std::ptrdiff_t>(scratch_.size() / 2);
    std::nth_element(scratch_.begin(), middle, scratch_.end());
    const double line = params_.poverty_line * *middle;
    for (std::size_t i = 0; i < grievance_.size(); ++i) grievance_[i] += income[i] < line ? params_.grievance_poverty : 0.0;
  }
  if (environment_ != nullptr && params_.grievance_displacement > 0.0) {
    const std::span<const std::uint8_t> displaced = environment_->displaced();
    for (std::size_t i = 0; i < grievance_.size(); ++i) grievance_[i] += displaced[i] != 0 ? params_.grievance_displacement : 0.0;
  }
  if (environment_ != nullptr && params_.grievance_resource > 0.0) {
    const std::span<const double> integrity = environment_->locality_integrity();
    for (std::uint32_t l = 0; l < integrity.size(); ++l) {
      const AgentRange place = places_->place(Scale::locality, l);
      const double loss = params_.grievance_resource * (1.0 - integrity[l]);
      for (AgentIndex i = place.first; i < place.first + place.size; ++i) grievance_[i] += loss;
    }
  }
  for (double& g : grievance_) g = std::min(1.0, g);
}

void MovementsProcess::step(const TickContext& context) {
  // With grievance or NGO ties, readiness changes with incomes, resources and other localities:
  // every inactive agent is examined.
  if (params_.ngo_contacts > 0.0) update_ngo_field();
  if (grievance_on() || params_.ngo_contacts > 0.0) {
    if (grievance_on()) update_grievance();
    for (AgentIndex i = 0; i < active_.size(); ++i) {
      if (active_[i] == 0 && queued_[i] == 0) {
        queued_[i] = 1;
        candidates_.push_back(i);
      }
    }
  }
  // Decide on the state at the start of the round, then apply.
  std::vector<AgentIndex>& joining = joining_;
  joining.clear();
  for (const AgentIndex i : candidates_) {
    queued_[i] = 0;
    if (active_[i] == 0 && ready(i)) joining.push_back(i);
  }
  candidates_.clear();
  for (const AgentIndex i : joining) activate(i);
  for (const AgentIndex i : joining) {
    for (const AgentIndex m : network_->neighbors(i)) {
      if (active_[m] == 0 && queued_[m] == 0) {
        queued_[m] = 1;
        candidates_.push_back(m);
      }
    }
  }
  newly_ = joining.size();
  if (newly_ > 0) ++rounds_;
  if (environment_ != nullptr) boomerang(context.tick, context.rng);
  settled_ = newly_ == 0 && !grievance_on() && environment_ == nullptr && params_.ngo_contacts == 0.0;  // inputs can still change
}

void MovementsProcess::boomerang(std::uint64_t tick, const Rng& rng) {
  const std::span<const std::uint8_t> projects = environment_->locality_projects();
  for (std::uint32_t l = 0; l < projects.size(); ++l) {
    if (projects[l] != 1) continue;
    const double share = static_cast<double>(active_by_locality_[l]) / static_cast<double>(places_->place(Scale::locality, l).size);
    if (share < params_.boomerang_level) continue;
    const bool with_ties = tied(l);
    const double p = (with_ties ? params_.boomerang : params_.national_cancel) * share;
    if (uniform_unit(rng.block(l, tick, Purpose::movements_boomerang)[0]) >= p) continue;
    environment_->cancel_project(l);
    ++(with_ties ? cancelled_tied_ : cancelled_untied_);
  }
}

void MovementsProcess::renew(const Renewal& renewal, const TickContext& context) {
  std::vector<std::uint8_t> was_active = std::move(active_);
  renewal.gather(threshold_);
  active_.assign(renewal.agents(), 0);
  for (AgentIndex i = 0; i < renewal.agents(); ++i) {
    if (!renewal.is_born(i)) active_[i] = was_active[renewal.source[i]];
  }
  for (std::size_t k = 0; k < renewal.born.size(); ++k) {
    const AgentIndex child = renewal.born[k];
    threshold_[child] = params_.threshold;
    if (params_.contagion == Contagion::simple) {
      threshold_[child] = 1.0;
    } else if (params_.thresholds == Thresholds::normal) {
      const RandomBlock words = context.rng.block(k, context.tick, Purpose::demography_birth, 1);
      threshold_[child] = std::max(0.0, params_.threshold + params_.threshold_sd * normal_from_words(words[0], words[1]));
    }
  }
  // The counts that follow from the states and the (new) network.
  active_neighbours_.assign(renewal.agents(), 0);
  active_by_locality_.assign(active_by_locality_.size(), 0);
  mobilised_ = 0;
  for (AgentIndex i = 0; i < renewal.agents(); ++i) {
    if (active_[i] == 0) continue;
    ++mobilised_;
    ++active_by_locality_[places_->place_of(i, Scale::locality)];
    for (const AgentIndex m : network_->neighbors(i)) ++active_neighbours_[m];
  }
  queued_.assign(renewal.agents(), 0);
  candidates_.clear();
  for (AgentIndex i = 0; i < renewal.agents(); ++i) {
    if (active_[i] == 0) {
      candidates_.push_back(i);
      queued_[i] = 1;
    }
  }
  if (!grievance_.empty()) grievance_.assign(renewal.agents(), 0.0);
  settled_ = false;
}

MovementsProcess::WorldMetrics MovementsProcess::measure_world() const {
  WorldMetrics out;
  const auto agents = static_cast<double>(active_.size());
  out.mobilised = static_cast<double>(mobilised_) / agents;
  out.newly_mobilised = static_cast<double>(newly_) / agents;
  out.rounds = static_cast<double>(rounds_);
  out.grievance = grievance_.empty() ? 0.0 : std::accumulate(grievance_.begin(), grievance_.end(), 0.0) / agents;
  out.cancelled_with_ties = static_cast<double>(cancelled_tied_);
  out.cancelled_without_ties = static_cast<double>(cancelled_untied_);
  return out;
}

double MovementsProcess::place_mobilised(AgentRange place) const {
  std::uint64_t active = 0;
  const auto [first, last] = places_->within(place, Scale::locality);
  for (std::uint32_t l = first; l <= last; ++l) active += active_by_locality_[l];
  return place.size > 0 ? static_cast<double>(active) / static_cast<double>(place.size) : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace glocal::movements
