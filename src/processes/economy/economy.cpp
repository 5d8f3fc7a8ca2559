#include "processes/economy/economy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "glocal/metrics/inequality.hpp"
#include "glocal/model/scenario.hpp"

namespace glocal::economy {

namespace {

Parameters read_parameters(const Scenario& scenario) {
  Parameters p;
  const std::string& model = scenario.text("economy.exchange");
  p.exchange = model == "cc" ? Exchange::cc : model == "ccm" ? Exchange::ccm : Exchange::dy;
  p.saving = scenario.real("economy.saving");
  p.initial_wealth = scenario.real("economy.initial_wealth");
  p.rate = static_cast<std::uint32_t>(scenario.integer("economy.rate"));
  p.reach = read_reach(scenario, "economy");
  return p;
}

}  // namespace

ProcessInfo process_info() {
  ProcessInfo info;
  info.name = "economy";
  info.summary = "Kinetic wealth exchange through the trade reach kernel (Dragulescu-Yakovenko, Chakraborti-Chakrabarti, Chatterjee-Chakrabarti-Manna).";
  info.reference = "Dragulescu & Yakovenko (2000) Eur. Phys. J. B 17:723; Chakraborti & Chakrabarti (2000) Eur. Phys. J. B 17:167; "
                   "Chatterjee, Chakrabarti & Manna (2004) Physica A 335:155";
  info.can_absorb = false;
  info.parameters = {
      choice_parameter("economy.exchange", "dy", {"dy", "cc", "ccm"},
                       "The exchange model: 'dy' (Dragulescu-Yakovenko: the pair pools its wealth and splits it uniformly at random), "
                       "'cc' (Chakraborti-Chakrabarti: each keeps the saving fraction economy.saving, the rest is pooled and split), "
                       "'ccm' (Chatterjee-Chakrabarti-Manna: as cc with each agent's saving fraction fixed, uniform on [0, 1))."),
      real_parameter("economy.saving", 0.0, 0.0, 0.999, "fraction", "lambda: the share of its wealth each agent keeps out of an exchange (cc)."),
      real_parameter("economy.initial_wealth", 1.0, 1.0e-12, 1.0e12, "money", "Every agent's wealth at tick 0."),
      integer_parameter("economy.rate", 1, 1, 1.0e6, "exchanges per agent per tick", "Exchanges per tick, per agent: a tick is rate x N exchanges."),
  };
  const auto reach = reach_parameters("economy", "a trading partner");
  info.parameters.insert(info.parameters.end(), reach.begin(), reach.end());
  info.metrics = {
      {"gini", "index", "Gini coefficient of wealth over all agents."},
      {"top1_share", "share", "Share of all wealth held by the richest 1 % of agents."},
      {"quintile_ratio", "ratio", "Wealth share of the richest 20 % of agents over that of the poorest 20 %."},
      {"country_ratio", "ratio", "UNDP statistic on wealth per head: nations ranked by it, the mean of those holding the richest 20 % of world "
                                 "population over the mean of those holding the poorest 20 % (boundary nations split by population)."},
      {"theil", "index", "Theil's T index of wealth."},
      {"theil_between", "index", "The part of theil between nations."},
      {"theil_within", "index", "The part of theil within nations (theil_between + theil_within = theil)."},
      {"poverty", "share", "Share of agents with less than half the median wealth."},
      {"mean_wealth", "money", "Mean wealth per agent (conserved by exchange)."},
      {"exchanges", "exchanges", "Exchanges performed."},
  };
  info.place_metrics = {
      {"gini", "index", "Gini coefficient of wealth in the place."},
      {"mean_wealth", "money", "Mean wealth per agent in the place."},
  };
  info.validate = [](const Scenario& scenario) {
    validate_reach(scenario, "economy");
    if (scenario.is_set("economy.saving") && scenario.text("economy.exchange") != "cc") {
      throw ScenarioError(scenario.location("economy.saving"), "economy.saving",
                          fmt::format("applies to economy.exchange = \"cc\" (here \"{}\")", scenario.text("economy.exchange")));
    }
  };
  info.create = [](const BuildContext& context) -> std::unique_ptr<Process> {
    return std::make_unique<EconomyProcess>(read_parameters(context.scenario), context.network, context.places, context.rng);
  };
  return info;
}

EconomyProcess::EconomyProcess(const Parameters& parameters, const Network& network, const Places& places, const Rng& rng)
    : parameters_(parameters), network_(&network), places_(&places), wealth_(network.size(), parameters.initial_wealth) {
  if (parameters_.exchange == Exchange::ccm) {
    saving_.resize(network.size());
    for (AgentIndex i = 0; i < network.size(); ++i) saving_[i] = uniform_unit(rng.block(i, 0, Purpose::economy_init)[0]);
  }
}

void EconomyProcess::set_parameter(const std::string& key, double value) {
  if (key.rfind("economy.reach.", 0) == 0) {
    set_reach_weight(parameters_.reach, scale_from_name(std::string_view(key).substr(std::string_view("economy.reach.").size())), value);
  }
}

void EconomyProcess::step(const TickContext& context) {
  const AgentIndex agents = network_->size();
  const std::uint64_t count = static_cast<std::uint64_t>(agents) * parameters_.rate;
  const double network_weight = parameters_.reach[0];
  for (std::uint64_t e = 0; e < count; ++e) {
    const RandomBlock words = context.rng.block(e, context.tick, Purpose::economy_exchange);
    const auto agent = static_cast<AgentIndex>(uniform_below(words[0], agents));
    // The partner through the trade kernel: a network neighbour with the network's weight,
    // otherwise a uniform other agent of the place at a scale drawn from the other weights.
    const double unit = uniform_unit(words[1]);
    AgentIndex partner = agent;
    if (unit < network_weight) {
      const auto neighbours = network_->neighbors(agent);
      if (!neighbours.empty()) partner = neighbours[uniform_below(words[2], neighbours.size())];
    } else {
      partner = draw_beyond_network(parameters_.reach, *places_, agent, (unit - network_weight) / (1.0 - network_weight), words[2]).partner;
    }
    if (partner == agent) continue;  // nobody to trade with
    const double epsilon = uniform_unit(words[3]);
    switch (parameters_.exchange) {
      case Exchange::dy: exchange(wealth_[agent], wealth_[partner], 0.0, 0.0, epsilon); break;
      case Exchange::cc: exchange(wealth_[agent], wealth_[partner], parameters_.saving, parameters_.saving, epsilon); break;
      case Exchange::ccm: exchange(wealth_[agent], wealth_[partner], saving_[agent], saving_[partner], epsilon); break;
    }
    ++exchanges_;
  }
}

void EconomyProcess::measure(std::span<double> out) const {
  const std::span<const double> w = wealth_;
  out[0] = gini(w);
  out[1] = share_of_highest(w, 0.01);
  out[2] = quintile_ratio(w);
  const std::uint32_t nations = places_->count(Scale::nation);
  std::vector<CountryIncome> countries(nations);
  std::vector<std::uint32_t> nation_of(wealth_.size());
  for (std::uint32_t n = 0; n < nations; ++n) {
    const AgentRange range = places_->place(Scale::nation, n);
    double sum = 0;
    for (AgentIndex i = range.first; i < range.first + range.size; ++i) {
      sum += wealth_[i];
      nation_of[i] = n;
    }
    countries[n] = {static_cast<double>(range.size), range.size > 0 ? sum / range.size : 0.0};
  }
  out[3] = country_ratio(countries);
  const TheilIndex t = theil(w, nation_of, nations);
  out[4] = t.total;
  out[5] = t.between;
  out[6] = t.within;
  out[7] = poverty_rate(w, 0.5);
  out[8] = wealth_.empty() ? 0.0 : std::accumulate(wealth_.begin(), wealth_.end(), 0.0) / static_cast<double>(wealth_.size());
  out[9] = static_cast<double>(exchanges_);
}

void EconomyProcess::measure_place(AgentRange place, std::span<double> out) const {
  const std::span<const double> w(wealth_.data() + place.first, place.size);
  out[0] = gini(w);
  out[1] = place.size > 0 ? std::accumulate(w.begin(), w.end(), 0.0) / static_cast<double>(place.size) : 0.0;
}

}  // namespace glocal::economy
