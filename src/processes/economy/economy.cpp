#include "processes/economy/economy.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

#include "glocal/metrics/inequality.hpp"
#include "glocal/model/scenario.hpp"

namespace glocal::economy {

namespace {

/// Each nation's A_n(0) in Places order: the `productivity` of its [[world.nation]] table, else 1.
std::vector<double> initial_productivity(const Scenario& scenario, const Places& places) {
  std::vector<double> a(places.count(Scale::nation), 1.0);
  for (std::uint32_t n = 0; n < a.size(); ++n) {
    for (const auto& nation : scenario.nations()) {
      if (nation.name == places.name(Scale::nation, n)) a[n] = nation.productivity;
    }
  }
  return a;
}

}  // namespace

ProcessInfo process_info() {
  using P = Parameters;
  ProcessDefinition<EconomyProcess, P> definition("economy");
  definition
      .summary(
          "Kinetic wealth exchange through the trade reach kernel (Dragulescu-Yakovenko, Chakraborti-Chakrabarti, "
          "Chatterjee-Chakrabarti-Manna, Bouchaud-Mezard, yard-sale, Affine Wealth Model) with redistribution at three scales.")
      .reference(
          "Dragulescu & Yakovenko (2000) Eur. Phys. J. B 17:723; Chakraborti & Chakrabarti (2000) Eur. Phys. J. B 17:167; "
          "Chatterjee, Chakrabarti & Manna (2004) Physica A 335:155; Bouchaud & Mezard (2000) Physica A 282:536; "
          "Boghosian, Devitt-Lee, Johnson, Li, Marcq & Wang (2017) Physica A 476:15; Li, Boghosian & Li (2019) Physica A 516:423")
      .renews()
      .choice("exchange", &P::exchange,
              {{"dy", Exchange::dy},
               {"cc", Exchange::cc},
               {"ccm", Exchange::ccm},
               {"bm", Exchange::bm},
               {"yard-sale", Exchange::yard_sale},
               {"awm", Exchange::awm}},
              "The exchange model: 'dy' (Dragulescu-Yakovenko: the pair pools its wealth and splits it uniformly at random), "
              "'cc' (Chakraborti-Chakrabarti: each keeps the saving fraction economy.saving, the rest is pooled and split), "
              "'ccm' (Chatterjee-Chakrabarti-Manna: as cc with each agent's saving fraction fixed, uniform on [0, 1)), "
              "'bm' (Bouchaud-Mezard: multiplicative noise plus exchange at rate economy.coupling toward the partners' mean), "
              "'yard-sale' (a fair coin moves economy.stake times the poorer agent's wealth from the loser to the winner), "
              "'awm' (Affine Wealth Model: steps of economy.dt in which each agent trades once on average; sqrt(dt) times the poorer "
              "agent's shifted wealth moves on a coin biased toward the richer by economy.zeta).")
      .parameter("debt_limit", &P::debt_limit, 0.0, 1.0e12, "money",
                 "dy: agents may go into debt down to minus this (Dragulescu-Yakovenko's debt limit b): the pair splits its wealth "
                 "shifted by it, and the stationary law is exponential from -b, with temperature mean + b.")
      .parameter("zeta", &P::zeta, 0.0, 100.0, "per unit time",
                 "awm: wealth-attained advantage: the coin's mean is zeta sqrt(dt) (a - b) / m, a and b the pair's "
                 "shifted wealths and m their mean over all agents (clamped to [-1, 1]).")
      .schedulable()
      .parameter("kappa", &P::kappa, 0.0, 100.0, "mean wealth",
                 "awm: wealth is shifted by kappa times the mean wealth before a transaction, so agents may owe down to "
                 "-kappa W / N.")
      .parameter("chi", &P::chi, 0.0, 1.0e3, "per unit time",
                 "National redistribution (the AWM's chi): each agent's wealth relaxes toward its nation's mean at this "
                 "rate (a tick is one unit of time; bm and awm: each step of economy.dt).")
      .schedulable()
      .parameter("chi_local", &P::chi_local, 0.0, 1.0e3, "per unit time",
                 "Local redistribution: each agent's wealth relaxes toward its locality's mean at this rate.")
      .schedulable()
      .applies_when("economy.local_rule", {"fixed"})
      .parameter("chi_global", &P::chi_global, 0.0, 1.0e3, "per unit time",
                 "Global redistribution (aid): each agent's wealth relaxes toward the world's mean at this rate.")
      .schedulable()
      .choice("redistribute", &P::redistribute, {{"wealth", Redistribute::wealth}, {"income", Redistribute::income}},
              "What economy.chi_local, economy.chi and economy.chi_global act on: 'wealth' (each agent's wealth relaxes toward "
              "its place's mean, after the exchanges: the AWM's redistribution) or 'income' (needs economy.production): each "
              "tick's income, as a flat tax with an equal transfer within the place (Meltzer & Richard 1981), y <- m + (y - m) "
              "e^-chi, so a tax rate of 1 - e^-chi, at the locality, the nation and the world in that order, after production "
              "and before the metrics; the saved share (economy.save) of each agent's transfer joins its wealth. With "
              "economy.jobs = 'demand' agents spend their incomes after taxes and transfers, expecting last tick's rule "
              "(in each locality the composed y <- slope y + intercept), so redistribution moves the demand for jobs: "
              "toward the poor, whose spending above subsistence is smaller, it lowers it.")
      .choice("local_rule", &P::local_rule, {{"fixed", LocalRule::fixed}, {"median_voter", LocalRule::median_voter}},
              "How each locality's income tax is set: 'fixed' (the rate 1 - e^-chi_local everywhere) or 'median_voter' (each "
              "tick, each locality's median voter chooses it on the tick's incomes before any tax: t = (1 - median / mean) / "
              "economy.deadweight, clipped to [0, 1]; Meltzer & Richard 1981).")
      .applies_when("economy.redistribute", {"income"})
      .parameter("deadweight", &P::deadweight, 0.0, 100.0, "per unit of tax squared",
                 "delta: the efficiency cost of taxing income. A flat tax t at any scale transfers (t - delta t^2 / 2) times the "
                 "place's mean instead of t times it; the rest is lost (the marginal cost of public funds is 1 / (1 - delta t)).")
      .applies_when("economy.redistribute", {"income"})
      .parameter("stake", &P::stake, 0.0, 1.0, "fraction",
                 "beta (yard-sale): the share of the poorer agent's wealth at stake in an exchange.")
      .parameter("coupling", &P::coupling, 0.0, 1.0e6, "per unit time",
                 "J (bm): each agent's wealth relaxes toward the mean wealth of its trading partners (the trade kernel's weights over "
                 "its network neighbours and its places) at this rate.")
      .parameter("volatility", &P::volatility, 0.0, 1.0e3, "per sqrt(unit time)",
                 "sigma (bm): the multiplicative noise has variance 2 sigma^2 per unit time (Stratonovich); in the mean field the "
                 "stationary law of w = W / mean has a Pareto tail of exponent mu = 1 + J / sigma^2.")
      .parameter("dt", &P::dt, 1.0e-9, 1.0, "unit time", "Time step of bm and awm; a tick is economy.rate steps.")
      .parameter("saving", &P::saving, 0.0, 0.999, "fraction", "lambda: the share of its wealth each agent keeps out of an exchange (cc).")
      .parameter("initial_wealth", &P::initial_wealth, 1.0e-12, 1.0e12, "money",
                 "Every agent's wealth at tick 0, times its nation's `productivity` ([[world.nation]]; 1 by default).")
      .parameter("rate", &P::rate, 1, 1.0e6, "exchanges per agent per tick",
                 "Exchanges per tick, per agent: a tick is rate x N exchanges.");
  declare_production(definition);
  definition.reach(&P::reach, "a trading partner")
      .metric_group(
          &EconomyProcess::measure_all,
          {
              {{"gini", "index", "Gini coefficient of the measured quantity (economy.measure: wealth or income) over all agents."},
               &EconomyProcess::WorldMetrics::gini},
              {{"top1_share", "share", "Share of the measured quantity held by the richest 1 % of agents."},
               &EconomyProcess::WorldMetrics::top1_share},
              {{"quintile_ratio", "ratio",
                "Share of the richest 20 % of agents over that of the poorest 20 % (NaN when the poorest share is not positive)."},
               &EconomyProcess::WorldMetrics::quintile_ratio},
              {{"country_ratio", "ratio",
                "UNDP statistic on the measured quantity per head: nations ranked by it, the mean of those holding the richest 20 % "
                "of world population over the mean of those holding the poorest 20 % (boundary nations split by population)."},
               &EconomyProcess::WorldMetrics::country_ratio},
              {{"theil", "index", "Theil's T index of the measured quantity (NaN with negative values)."},
               &EconomyProcess::WorldMetrics::theil},
              {{"theil_between", "index", "The part of theil between nations."}, &EconomyProcess::WorldMetrics::theil_between},
              {{"theil_within", "index", "The part of theil within nations (theil_between + theil_within = theil)."},
               &EconomyProcess::WorldMetrics::theil_within},
              {{"poverty", "share", "Share of agents below economy.poverty_line times the world median of the measured quantity."},
               &EconomyProcess::WorldMetrics::poverty},
              {{"mean_wealth", "money", "Mean wealth per agent (conserved by exchange)."}, &EconomyProcess::WorldMetrics::mean_wealth},
              {{"oligarch_share", "share", "Share of all wealth held by the richest agent (the oligarch of a condensed economy)."},
               &EconomyProcess::WorldMetrics::oligarch_share},
              {{"negative_share", "share", "Share of agents with negative wealth (debt)."}, &EconomyProcess::WorldMetrics::negative_share},
              {{"exchanges", "exchanges", "Exchanges performed (bm: agent steps)."}, &EconomyProcess::WorldMetrics::exchanges},
              {{"mean_income", "money", "Mean income per agent in the last tick (0 without economy.production)."},
               &EconomyProcess::WorldMetrics::mean_income},
              {{"underemployment", "share", "Share of agents without a full job (NaN without economy.production)."},
               &EconomyProcess::WorldMetrics::underemployment},
              {{"income_north", "money", "Mean income per agent of the nations of group \"north\" (NaN when there are none)."},
               &EconomyProcess::WorldMetrics::income_north},
              {{"income_south", "money", "Mean income per agent of the nations of group \"south\" (NaN when there are none)."},
               &EconomyProcess::WorldMetrics::income_south},
              {{"wealth_north", "money", "Mean wealth per agent of the nations of group \"north\"."},
               &EconomyProcess::WorldMetrics::wealth_north},
              {{"wealth_south", "money", "Mean wealth per agent of the nations of group \"south\"."},
               &EconomyProcess::WorldMetrics::wealth_south},
              {{"foreign_jobs", "share", "Share of all jobs created by firms from another nation."},
               &EconomyProcess::WorldMetrics::foreign_jobs},
              {{"profit_outflow", "share", "Profit remitted by firms from their host nation to another in the last tick, over all income.",
                true},
               &EconomyProcess::WorldMetrics::profit_outflow},
              {{"gini_ppp", "index",
                "Gini coefficient of income over all agents, at purchasing-power parity (NaN without economy.production)."},
               &EconomyProcess::WorldMetrics::gini_ppp},
              {{"gini_xr", "index",
                "Gini coefficient of income at market exchange rates: each agent's income times its nation's price level."},
               &EconomyProcess::WorldMetrics::gini_xr},
              {{"country_ratio_ppp", "ratio", "The UNDP 20:20 country ratio of income per head at PPP (as country_ratio, on income)."},
               &EconomyProcess::WorldMetrics::country_ratio_ppp},
              {{"country_ratio_xr", "ratio", "The UNDP 20:20 country ratio of income per head at market exchange rates (UNDP's own unit)."},
               &EconomyProcess::WorldMetrics::country_ratio_xr},
              {{"theil_between_ppp", "index", "Theil T of income at PPP between nations."},
               &EconomyProcess::WorldMetrics::theil_between_ppp},
              {{"theil_within_ppp", "index", "Theil T of income at PPP within nations."}, &EconomyProcess::WorldMetrics::theil_within_ppp},
              {{"theil_between_xr", "index", "Theil T of income at market exchange rates between nations."},
               &EconomyProcess::WorldMetrics::theil_between_xr},
              {{"theil_within_xr", "index", "Theil T of income at market exchange rates within nations."},
               &EconomyProcess::WorldMetrics::theil_within_xr},
              {{"disasters", "events", "Disasters so far (economy.growth_model = \"absorptive\")."},
               &EconomyProcess::WorldMetrics::disasters},
              {{"local_tax", "share",
                "Mean over agents of their locality's income tax rate this tick (0 where none was levied: without "
                "economy.redistribute = \"income\", and at tick 0, whose incomes are untaxed)."},
               &EconomyProcess::WorldMetrics::local_tax},
          })
      .place_metric_group(
          &EconomyProcess::measure_place_all,
          {
              {{"gini", "index", "Gini coefficient of the measured quantity (economy.measure) in the place."},
               &EconomyProcess::PlaceMetrics::gini},
              {{"mean_wealth", "money", "Mean wealth per agent in the place."}, &EconomyProcess::PlaceMetrics::mean_wealth},
              {{"mean_income", "money", "Mean income per agent in the place in the last tick."},
               &EconomyProcess::PlaceMetrics::mean_income},
              {{"underemployment", "share", "Share of the place's agents without a full job."},
               &EconomyProcess::PlaceMetrics::underemployment},
              {{"income_ppp", "money",
                "Mean income per head in the last tick at PPP (a data world: thousands of 2011 international dollars a year)."},
               &EconomyProcess::PlaceMetrics::income_ppp},
              {{"income_xr", "money",
                "Mean income per head in the last tick at market exchange rates (PPP income times the nation's price level)."},
               &EconomyProcess::PlaceMetrics::income_xr},
              {{"local_tax", "share",
                "Mean over the place's agents of their locality's income tax rate this tick (0 where none was levied)."},
               &EconomyProcess::PlaceMetrics::local_tax},
          })
      .bytes_per_agent([](const Scenario& scenario, double /*links*/) {
        double bytes = 16.0 + 16.0;  // wealth_, income_; the metrics' sorted copy and its radix buffer
        const std::string& exchange = scenario.text("economy.exchange");
        if (exchange == "ccm" || exchange == "bm") bytes += 8.0;   // saving_ or target_
        if (scenario.boolean("economy.production")) bytes += 5.0;  // order_, employed_
        return bytes;
      })
      .validate([](const Scenario& scenario) {
        validate_reach(scenario, "economy");
        if (scenario.text("economy.exchange") == "bm" && scenario.real("economy.coupling") * scenario.real("economy.dt") >= 1.0) {
          throw ScenarioError(scenario.location("economy.dt"), "economy.dt",
                              fmt::format("economy.coupling x economy.dt must stay below 1 for a stable step, got {}",
                                          scenario.real("economy.coupling") * scenario.real("economy.dt")));
        }
        const std::string& model = scenario.text("economy.exchange");
        if (scenario.text("economy.local_rule") == "median_voter" && scenario.text("economy.redistribute") != "income") {
          throw ScenarioError(scenario.location("economy.local_rule"), "economy.local_rule",
                              "\"median_voter\" needs economy.redistribute = \"income\" (the voters choose a tax on income)");
        }
        if (scenario.text("economy.redistribute") == "income" && !scenario.boolean("economy.production")) {
          throw ScenarioError(scenario.location("economy.redistribute"), "economy.redistribute",
                              "\"income\" needs economy.production = true (the incomes it taxes and transfers)");
        }
        if (!scenario.boolean("economy.production")) {
          for (const ParamSpec& spec : scenario.schema().parameters()) {  // without production, setting one of its keys is an error
            const bool production_key = spec.key.rfind("economy.", 0) == 0 &&
                                        std::any_of(spec.applies_when.begin(), spec.applies_when.end(),
                                                    [](const Condition& condition) { return condition.key == "economy.production"; });
            if (production_key && scenario.is_set(spec.key)) {
              throw ScenarioError(scenario.location(spec.key), spec.key, "applies with economy.production = true");
            }
          }
        } else if (model == "bm") {
          throw ScenarioError(scenario.location("economy.production"), "economy.production",
                              "cannot run with economy.exchange = \"bm\", which reports wealth relative to its mean");
        }
        if (scenario.text("economy.growth_model") != "absorptive") {
          for (const char* key : {"economy.investment", "economy.depreciation", "economy.capital_share", "economy.capacity",
                                  "economy.openness_effect", "economy.fdi_spillover", "economy.disaster_rate", "economy.disaster_size",
                                  "economy.growth_shock", "economy.growth_persistence", "economy.volatility_scaling"}) {
            if (scenario.is_set(key)) throw ScenarioError(scenario.location(key), key, "applies to economy.growth_model = \"absorptive\"");
          }
        }
        const bool demand = scenario.text("economy.jobs") == "demand";
        for (const char* key : {"economy.subsistence", "economy.formal_share", "economy.local_jobs"}) {
          const bool fits = (std::string_view(key) == "economy.local_jobs") != demand;
          if (scenario.is_set(key) && !fits)
            throw ScenarioError(scenario.location(key), key, fmt::format("applies to economy.jobs = \"{}\"", demand ? "fixed" : "demand"));
        }
        if (scenario.real("economy.borrowing") > 0.0 && !demand) {
          throw ScenarioError(scenario.location("economy.borrowing"), "economy.borrowing",
                              "applies to economy.jobs = \"demand\" (what is borrowed is spent on the nation's formal goods)");
        }
        const std::pair<const char*, std::vector<std::string>> specific[] = {
            {"economy.stake", {"yard-sale"}}, {"economy.saving", {"cc"}},   {"economy.debt_limit", {"dy"}}, {"economy.zeta", {"awm"}},
            {"economy.kappa", {"awm"}},       {"economy.coupling", {"bm"}}, {"economy.volatility", {"bm"}}, {"economy.dt", {"bm", "awm"}}};
        for (const auto& [key, models] : specific) {
          if (!scenario.is_set(key) || std::find(models.begin(), models.end(), model) != models.end()) continue;
          throw ScenarioError(scenario.location(key), key,
                              fmt::format("applies to economy.exchange = \"{}\" (here \"{}\")", fmt::join(models, "\" or \""), model));
        }
      })
      .policy(PolicyAccess::provides)
      .create([](const BuildContext& context, const Parameters& parameters) {
        std::vector<double> productivity = initial_productivity(context.scenario, context.places);
        Production producer;
        if (parameters.on)
          producer =
              Production(parameters, context.places, productivity, dynamic_cast<CultureMarket*>(context.built("culture")), context.rng);
        return std::make_unique<EconomyProcess>(parameters, context.network, context.places, context.rng, productivity,
                                                std::move(producer));
      });
  return definition.info();
}

EconomyProcess::EconomyProcess(const Parameters& parameters, const Network& network, const Places& places, const Rng& rng,
                               std::span<const double> productivity, Production production)
    : BasicProcess(parameters),
      network_(&network),
      places_(&places),
      wealth_(network.size(), parameters.initial_wealth),
      income_(network.size(), 0.0),
      production_(std::move(production)) {
  group_.resize(places.count(Scale::nation));
  // The run's policy table: chi from economy.chi; tax and regulation as production set them.
  policies_ = production_.on() ? production_.policies() : std::make_shared<PolicyTable>(places.count(Scale::nation), Policy{});
  policies_->fill(&Policy::chi, parameters.chi);
  for (std::uint32_t n = 0; n < group_.size(); ++n) {
    group_[n] = static_cast<std::uint8_t>(places.nation_group(n));
    if (productivity.empty()) continue;
    const AgentRange nation = places.place(Scale::nation, n);  // richer nations start richer
    std::fill_n(wealth_.begin() + nation.first, nation.size, parameters.initial_wealth * productivity[n]);
  }
  if (params_.exchange == Exchange::ccm) {
    saving_.resize(network.size());
    for (AgentIndex i = 0; i < network.size(); ++i) saving_[i] = uniform_unit(rng.block(i, 0, Purpose::economy_init)[0]);
  }
  if (production_.on()) {  // tick 0 records a computed state: the jobs and incomes of the start
    production_.measure_start(income_, wealth_);
    update_locality_income();
  }
}

void EconomyProcess::update_locality_income() {
  locality_income_.resize(places_->count(Scale::locality));
  for (std::uint32_t l = 0; l < locality_income_.size(); ++l) {
    const AgentRange place = places_->place(Scale::locality, l);
    locality_income_[l] = std::accumulate(income_.begin() + place.first, income_.begin() + place.first + place.size, 0.0) / place.size;
  }
}

void EconomyProcess::parameter_changed(const std::string& key) {
  if (key == "economy.chi") policies_->fill(&Policy::chi, params_.chi);
  production_.update(params_, key);
}

void EconomyProcess::connect(const std::function<Process*(std::string_view)>& find) {
  production_.set_environment(dynamic_cast<const LocalEnvironment*>(find("ecology")));
}

void EconomyProcess::renew(const Renewal& renewal, const TickContext& context) {
  std::vector<double> wealth(renewal.agents(), 0.0);
  for (AgentIndex i = 0; i < renewal.agents(); ++i) {
    if (!renewal.is_born(i)) wealth[i] = wealth_[renewal.source[i]];
  }
  for (const AgentIndex child : renewal.born) {  // in order of birth: a second child halves what the first left
    const AgentIndex parent = renewal.after[renewal.source[child]];
    if (parent == Renewal::kDead) continue;
    wealth[child] = 0.5 * wealth[parent];
    wealth[parent] -= wealth[child];
  }
  for (const auto& [dead, heir] : renewal.estates) wealth[heir] += wealth_[dead];
  wealth_ = std::move(wealth);
  renewal.gather(income_);
  if (!saving_.empty()) {
    renewal.gather(saving_);
    for (std::size_t k = 0; k < renewal.born.size(); ++k) {
      saving_[renewal.born[k]] = uniform_unit(context.rng.block(k, context.tick, Purpose::demography_birth, 0)[0]);
    }
  }
  if (production_.on()) production_.renew(renewal, context.rng);
}

void EconomyProcess::step(const TickContext& context) {
  const AgentIndex agents = network_->size();
  if (production_.on()) {
    production_.step(context.tick, context.rng, income_, wealth_);
    if (params_.redistribute == Redistribute::income) redistribute_income();
    update_locality_income();
  }
  switch (params_.exchange) {
    case Exchange::bm:
      for (std::uint32_t k = 0; k < params_.rate; ++k) {
        bouchaud_mezard_step(context.tick, k, context.rng);
        redistribute(params_.dt);
      }
      exchanges_ += static_cast<std::uint64_t>(agents) * params_.rate;
      break;
    case Exchange::awm: {
      // Each step of dt: N / 2 transactions (each agent in one on average), then redistribution.
      const std::uint64_t per_step = std::max<std::uint64_t>(1, agents / 2);
      for (std::uint32_t k = 0; k < params_.rate; ++k) {
        exchange_events(k * per_step, per_step, context.tick, context.rng);
        redistribute(params_.dt);
      }
      break;
    }
    default: exchange_events(0, static_cast<std::uint64_t>(agents) * params_.rate, context.tick, context.rng); redistribute(1.0);
  }
}

}  // namespace glocal::economy
