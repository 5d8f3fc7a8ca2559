#include "processes/governance/governance.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "glocal/model/scenario.hpp"

namespace glocal::governance {

namespace {

/// a + share (b - a), component by component.
Policy toward(const Policy& a, const Policy& b, double share) {
  return {a.chi + share * (b.chi - a.chi), a.tax + share * (b.tax - a.tax), a.regulation + share * (b.regulation - a.regulation)};
}

/// ln sum over the nations other than `nation` of exp(-beta cost(m)), from the largest term (no
/// underflow); -infinity when every other cost is infinite.
template <class Cost>
double log_sum_others(std::uint32_t nations, std::uint32_t nation, double beta, const Cost& cost) {
  double largest = -std::numeric_limits<double>::infinity();
  for (std::uint32_t m = 0; m < nations; ++m) {
    if (m != nation) largest = std::max(largest, -beta * cost(m));
  }
  if (!(largest > -std::numeric_limits<double>::infinity())) return largest;
  double sum = 0;
  for (std::uint32_t m = 0; m < nations; ++m) {
    if (m != nation) sum += std::exp(-beta * cost(m) - largest);
  }
  return largest + std::log(sum);
}

}  // namespace

double best_response_tax(double beta, double omega, double log_others) noexcept {
  if (beta <= 0.0) return 1.0;  // immobile capital: the tax moves no firm, so revenue is all there is
  if (!(omega < std::numeric_limits<double>::infinity())) return 0.0;  // the jobs are worth more than any revenue
  const auto excess = [&](double t) { return beta * (t + omega) / (1.0 + std::exp(-beta * t - log_others)) - 1.0; };
  if (excess(0.0) >= 0.0) return 0.0;
  if (excess(1.0) <= 0.0) return 1.0;
  double low = 0.0;
  double high = 1.0;
  for (;;) {  // bisection to the last representable midpoint: the same answer on every machine
    const double middle = 0.5 * (low + high);
    if (middle <= low || middle >= high) return middle;
    (excess(middle) < 0.0 ? low : high) = middle;
  }
}

double best_response_regulation(const RegulationProblem& p) noexcept {
  constexpr double infinity = std::numeric_limits<double>::infinity();
  const double top = p.regulation_max;
  if (!(p.kappa < infinity)) return top;  // no firm would profit there even unregulated: regulation moves none
  if (!(p.omega < infinity)) return 0.0;  // a firm's jobs are worth more than anything regulation protects
  const double benefit = p.environment_weight * p.regulation_effect;
  if (benefit <= 0.0 || top <= 0.0) return 0.0;
  const double stake = p.nations * p.beta * p.kappa * (p.tax + p.omega);
  if (!(stake > 0.0) || !(p.log_others > -infinity)) return top;  // capital does not respond to it
  const auto softplus = [](double x) { return x > 0.0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); };
  const auto z = [&](double r) { return p.beta * (p.tax + p.kappa * r) + p.log_others; };
  const double constant = std::log(benefit) - std::log(stake);
  // -ln s - ln(1 - s) = 2 softplus(z) - z.
  const auto h = [&](double r) { return constant - p.regulation_effect * r + 2.0 * softplus(z(r)) - z(r); };
  const auto value = [&](double r) {
    return p.nations * std::exp(-softplus(z(r))) * (p.tax + p.omega) + p.environment_weight * -std::expm1(-p.regulation_effect * r);
  };
  // h falls while beta kappa (1 - 2 s) < g, down to z_m = ln((beta kappa + g) / (beta kappa - g)).
  const double bk = p.beta * p.kappa;
  double end = top;
  if (bk > p.regulation_effect) {
    const double z_min = std::log((bk + p.regulation_effect) / (bk - p.regulation_effect));
    end = std::clamp((z_min - p.beta * p.tax - p.log_others) / bk, 0.0, top);
  }
  double first = 0.0;  // the first local maximum
  if (h(0.0) > 0.0) {
    if (h(end) >= 0.0) {
      first = end;
    } else {
      double low = 0.0;
      double high = end;
      for (;;) {  // bisection to the last representable midpoint: the same answer on every machine
        const double middle = 0.5 * (low + high);
        if (middle <= low || middle >= high) break;
        (h(middle) > 0.0 ? low : high) = middle;
      }
      first = 0.5 * (low + high);
    }
  }
  return value(top) > value(first) ? top : first;
}

ProcessInfo process_info() {
  using P = Parameters;
  return ProcessDefinition<GovernanceProcess, P>("governance")
      .summary(
          "Nations' redistribution, tax and regulation under capital competition: imitation of the nations that attract investment, "
          "or taxes set by best response to mobile capital (the race to the bottom), global floors, a lender's adjustment.")
      .reference(
          "Weibull (1995) Evolutionary Game Theory (imitation dynamics); Zodrow & Mieszkowski (1986) J. Urban Econ. 19:356 and Wilson "
          "(1986) J. Urban Econ. 19:296 (tax competition); Anderson, de Palma & Thisse (1992) Discrete Choice Theory of Product "
          "Differentiation (logit equilibrium); de Mooij & Ederveen (2003) Int. Tax Public Finance 10:673 (the elasticity); Oates & "
          "Schwab (1988) J. Public Econ. 35:333 (regulation competition); MODEL.md 4.3")
      .renews()
      .choice("rule", &P::rule, {{"imitation", Rule::imitation}, {"best_response", Rule::best_response}},
              "How a revising nation changes its policy: 'imitation' (toward a nation that attracted more foreign jobs per head; "
              "chi, tax and regulation) or 'best_response' (the tax that maximises its expected revenue plus the value of the jobs "
              "of the mobile firms it attracts, against the others' taxes; chi and regulation stay).")
      .parameter("capital_elasticity", &P::capital_elasticity, 0.0, 1.0e3, "per unit of tax",
                 "beta at economy.openness = 1: the semi-elasticity of a nation's share of mobile firms to its tax, as nations "
                 "expect it (logit; beta = this x economy.openness). 3.3: the median of de Mooij & Ederveen's (2003) meta-analysis.")
      .applies_when("governance.rule", {"best_response"})
      .parameter("job_weight", &P::job_weight, 0.0, 1.0e3, "per unit of revenue",
                 "What a nation counts the wage gain of a firm's job as, per unit of tax revenue (0: a revenue maximiser, "
                 "Leviathan; 1: residents' incomes count as revenue does).")
      .applies_when("governance.rule", {"best_response"})
      .choice("instruments", &P::instruments, {{"tax", Instruments::tax}, {"tax_and_regulation", Instruments::tax_and_regulation}},
              "What a best-responding nation chooses: 'tax' (its regulation stays) or 'tax_and_regulation' (its regulation "
              "too, trading the firms it drives away against the resources it protects; needs [ecology]; Oates & Schwab 1988).")
      .applies_when("governance.rule", {"best_response"})
      .parameter("environment_weight", &P::environment_weight, 0.0, 1.0e6, "per unit of an even share's profit",
                 "lambda: what full protection of its resources is worth to a nation (regulation removes the share "
                 "1 - exp(-g rho) of the harvest, g = ecology.regulation_effect), in units of the profit of its even share "
                 "(1/N) of the mobile firms.")
      .applies_when("governance.instruments", {"tax_and_regulation"})
      .parameter("regulation_max", &P::regulation_max, 0.0, 100.0, "host A per job",
                 "The most regulation a best-responding nation may choose (where capital does not respond, it chooses this).")
      .applies_when("governance.instruments", {"tax_and_regulation"})
      .parameter("spread", &P::spread, 0.0, 1.0, "share",
                 "s: each nation's initial chi, tax and regulation are the economy's values times 1 + s (2u - 1), u uniform.")
      .parameter("revision", &P::revision, 0.0, 1.0, "per tick",
                 "Probability a tick that a nation compares itself with another and may imitate it.")
      .schedulable()
      .parameter("imitation", &P::imitation, 0.0, 1.0, "share",
                 "Share of the gap a nation closes toward a nation that attracted more foreign jobs per head.")
      .applies_when("governance.rule", {"imitation"})
      .parameter("members", &P::members, 0.0, 1.0, "share of nations",
                 "Share of nations (the first ones, in world order) bound by the global floors.")
      .parameter("floor_chi", &P::floor_chi, 0.0, 1.0e3, "per unit time",
                 "Global floor on member nations' redistribution rate (glocal governance).")
      .schedulable()
      .parameter("floor_tax", &P::floor_tax, 0.0, 1.0, "share", "Global floor on member nations' tax on firms' profits.")
      .schedulable()
      .parameter("floor_regulation", &P::floor_regulation, 0.0, 100.0, "host A per job", "Global floor on member nations' regulation cost.")
      .schedulable()
      .parameter("adjustment", &P::adjustment, 0.0, 1.0, "0/1",
                 "A lender's structural adjustment fires in each tick where this rises above 1/2 (schedule it as a step): "
                 "the nations of group \"south\" cut redistribution and regulation by governance.adjustment_cut.")
      .schedulable()
      .parameter("adjustment_cut", &P::adjustment_cut, 0.0, 1.0, "share", "Share of redistribution and regulation cut by an adjustment.")
      .parameter("debt_threshold", &P::debt_threshold, 0.0, 100.0, "debt over income",
                 "b: adjustment triggered by stress, replacing the schedule (0: off). A nation whose external debt over its "
                 "income (economy.borrowing) exceeds b enters a lender's program: redistribution and regulation cut by "
                 "governance.adjustment_cut, no new loans, interest paid out of its agents' incomes, until the ratio falls "
                 "below governance.program_exit x b. Reinhart, Rogoff & Savastano (2003): safe external debt can be as low "
                 "as 15-20 % of GNP for debt-intolerant nations.")
      .parameter("program_exit", &P::program_exit, 0.0, 1.0, "share of the threshold",
                 "A lender's program ends when the nation's debt over income falls below this times governance.debt_threshold.")
      .metric_group(
          &GovernanceProcess::measure_policies,
          {
              {{"mean_chi", "per unit time", "Mean national redistribution rate over nations."},
               &GovernanceProcess::WorldMetrics::mean_chi},
              {{"mean_tax", "share", "Mean tax on firms' profits over nations."}, &GovernanceProcess::WorldMetrics::mean_tax},
              {{"mean_regulation", "host A per job", "Mean regulation cost over nations."},
               &GovernanceProcess::WorldMetrics::mean_regulation},
              {{"regulation_north", "host A per job", "Mean regulation of the nations of group \"north\" (NaN without)."},
               &GovernanceProcess::WorldMetrics::regulation_north},
              {{"regulation_south", "host A per job", "Mean regulation of the nations of group \"south\" (NaN without)."},
               &GovernanceProcess::WorldMetrics::regulation_south},
              {{"chi_north", "per unit time", "Mean redistribution rate of the nations of group \"north\" (NaN without)."},
               &GovernanceProcess::WorldMetrics::chi_north},
              {{"chi_south", "per unit time", "Mean redistribution rate of the nations of group \"south\" (NaN without)."},
               &GovernanceProcess::WorldMetrics::chi_south},
              {{"race_to_bottom", "share",
                "1 minus the mean, over chi, tax and regulation (those not 0 at the start), of the current mean over the "
                "initial mean: 0 at the start, positive when policy fell."},
               &GovernanceProcess::WorldMetrics::race_to_bottom},
              {{"adjustments", "events", "Adjustments imposed on nations so far."}, &GovernanceProcess::WorldMetrics::adjustments},
              {{"in_program", "share of nations", "Share of nations under a lender's program (governance.debt_threshold)."},
               &GovernanceProcess::WorldMetrics::in_program},
              {{"debt_ratio", "debt over income", "The world's external debt over the income of the nations that owe it (NaN without)."},
               &GovernanceProcess::WorldMetrics::debt_ratio},
          })
      .place_metric("regulation", "host A per job", "Mean regulation of the place's nations (weighted by agents).",
                    &GovernanceProcess::place_regulation)
      .place_metric_group(&GovernanceProcess::measure_place_debt,
                          {{{"program", "share", "Share of the place's agents in nations under a lender's program."},
                            &GovernanceProcess::PlaceDebt::program},
                           {{"debt_ratio", "debt over income", "External debt of the place's nations over their income (NaN without)."},
                            &GovernanceProcess::PlaceDebt::debt_ratio}})
      .validate([](const Scenario& scenario) {
        if (scenario.real("governance.debt_threshold") > 0.0) {
          if (scenario.is_set("governance.adjustment")) {
            throw ScenarioError(scenario.location("governance.adjustment"), "governance.adjustment",
                                "cannot be scheduled with governance.debt_threshold, whose stress trigger replaces the schedule");
          }
          if (!scenario.enables("economy") || scenario.real("economy.borrowing") <= 0.0) {
            throw ScenarioError(scenario.location("governance.debt_threshold"), "governance.debt_threshold",
                                "needs economy.borrowing > 0 (no nation owes anything without it)");
          }
        }
        if (scenario.text("governance.rule") == "best_response" && scenario.text("governance.instruments") == "tax_and_regulation" &&
            !scenario.enables("ecology")) {
          throw ScenarioError(scenario.location("governance.instruments"), "governance.instruments",
                              "\"tax_and_regulation\" needs [ecology]: regulation is worth what it protects of the localities' "
                              "resources (ecology.regulation_effect)");
        }
        if (!scenario.enables("economy") || !scenario.boolean("economy.production")) {
          throw ScenarioError(scenario.location("governance.revision"), "governance",
                              "needs [economy] with economy.production = true (nations compete for firms' investment)");
        }
      })
      .policy(PolicyAccess::writes)
      .create([](const BuildContext& context, const Parameters& parameters) {
        auto* economy = dynamic_cast<NationalPolicy*>(context.built("economy"));
        if (economy == nullptr) throw std::logic_error("governance needs the economy (checked by validate)");
        const double regulation_effect = context.scenario.enables("ecology") ? context.scenario.real("ecology.regulation_effect") : 0.0;
        return std::make_unique<GovernanceProcess>(parameters, context.places, *economy, context.rng, regulation_effect);
      })
      .info();
}

GovernanceProcess::GovernanceProcess(const Parameters& parameters, const Places& places, NationalPolicy& economy, const Rng& rng,
                                     double regulation_effect)
    : BasicProcess(parameters),
      places_(&places),
      economy_(&economy),
      policies_(&economy.policies()),
      regulation_effect_(regulation_effect) {
  const std::uint32_t nations = places.count(Scale::nation);
  south_.resize(nations);
  program_.assign(nations, 0);
  adjusting_ = params_.adjustment > 0.5;
  for (std::uint32_t n = 0; n < nations; ++n) {
    south_[n] = places.nation_group(n) == NationGroup::south ? 1 : 0;
    const RandomBlock words = rng.block(n, 0, Purpose::governance);
    const auto jitter = [&](std::uint64_t word) { return 1.0 + params_.spread * (2.0 * uniform_unit(word) - 1.0); };
    Policy p = (*policies_)[n];
    p = {p.chi * jitter(words[0]), std::min(1.0, p.tax * jitter(words[1])), p.regulation * jitter(words[2])};
    policies_->set(n, floored(n, p));
  }
  for (std::uint32_t n = 0; n < nations; ++n) {
    const auto p = (*policies_)[n];
    initial_mean_.chi += p.chi / nations;
    initial_mean_.tax += p.tax / nations;
    initial_mean_.regulation += p.regulation / nations;
  }
}

bool GovernanceProcess::member(std::uint32_t nation) const noexcept {
  return static_cast<double>(nation) < params_.members * static_cast<double>(places_->count(Scale::nation));
}

Policy GovernanceProcess::floored(std::uint32_t nation, Policy policy) const noexcept {
  if (!member(nation)) return policy;
  return {std::max(policy.chi, params_.floor_chi), std::max(policy.tax, params_.floor_tax),
          std::max(policy.regulation, params_.floor_regulation)};
}

void GovernanceProcess::step(const TickContext& context) {
  const std::uint32_t nations = places_->count(Scale::nation);
  // Every nation decides on the policies and successes of the last tick, then all change at once.
  next_.resize(nations);
  if (params_.rule == Rule::best_response && params_.instruments == Instruments::tax_and_regulation) {
    // The costs to capital c_m = tau_m + kappa_m rho_m at the start of the tick, which every
    // revising nation weighs.
    kappa_.resize(nations);
    cost_.resize(nations);
    for (std::uint32_t m = 0; m < nations; ++m) {
      const Policy p = (*policies_)[m];
      kappa_[m] = economy_->regulation_cost_share(m);
      cost_[m] = p.regulation > 0.0 ? p.tax + kappa_[m] * p.regulation : p.tax;
    }
  }
  for (std::uint32_t n = 0; n < nations; ++n) {
    next_[n] = (*policies_)[n];
    if (nations < 2) continue;
    const RandomBlock words = context.rng.block(n, context.tick, Purpose::governance);
    if (uniform_unit(words[0]) >= params_.revision) continue;
    if (params_.rule == Rule::best_response) {
      if (params_.instruments == Instruments::tax_and_regulation) {
        next_[n] = best_policy(n);
      } else {
        next_[n].tax = best_tax(n);
      }
      continue;
    }
    auto other = static_cast<std::uint32_t>(uniform_below(words[1], nations - 1));
    if (other >= n) ++other;  // uniform among the others
    if (economy_->foreign_jobs_per_head(other) > economy_->foreign_jobs_per_head(n)) {
      next_[n] = toward(next_[n], (*policies_)[other], params_.imitation);
    }
  }
  const bool adjust = params_.adjustment > 0.5 && !adjusting_;
  adjusting_ = params_.adjustment > 0.5;
  for (std::uint32_t n = 0; n < nations; ++n) {
    bool cut = adjust && south_[n] != 0;
    if (params_.debt_threshold > 0.0) {  // stress: the lender's program starts past the threshold
      const NationalPolicy::Finance finance = economy_->finance(n);
      const double ratio = finance.income > 0.0 ? finance.debt / finance.income : 0.0;
      if (program_[n] == 0 && ratio > params_.debt_threshold) {
        program_[n] = 1;
        cut = true;
        economy_->set_program(n, true);
      } else if (program_[n] != 0 && ratio < params_.program_exit * params_.debt_threshold) {
        program_[n] = 0;
        economy_->set_program(n, false);
      }
    }
    if (cut) {
      next_[n].chi *= 1.0 - params_.adjustment_cut;
      next_[n].regulation *= 1.0 - params_.adjustment_cut;
      ++adjustments_;
    }
    policies_->set(n, floored(n, next_[n]));
  }
}

double GovernanceProcess::best_tax(std::uint32_t nation) const {
  const std::uint32_t nations = places_->count(Scale::nation);
  const double beta = params_.capital_elasticity * economy_->capital_openness();
  const double omega = params_.job_weight > 0.0 ? params_.job_weight * economy_->firm_job_value(nation) : 0.0;
  return best_response_tax(beta, omega, log_sum_others(nations, nation, beta, [&](std::uint32_t m) { return (*policies_)[m].tax; }));
}

Policy GovernanceProcess::best_policy(std::uint32_t nation) const {
  const std::uint32_t nations = places_->count(Scale::nation);
  const double beta = params_.capital_elasticity * economy_->capital_openness();
  const double omega = params_.job_weight > 0.0 ? params_.job_weight * economy_->firm_job_value(nation) : 0.0;
  const double log_others = log_sum_others(nations, nation, beta, [&](std::uint32_t m) { return cost_[m]; });
  Policy policy = (*policies_)[nation];
  const double kappa = kappa_[nation];
  policy.regulation = best_response_regulation({.beta = beta,
                                                .kappa = kappa,
                                                .tax = policy.tax,
                                                .omega = omega,
                                                .log_others = log_others,
                                                .nations = static_cast<double>(nations),
                                                .environment_weight = params_.environment_weight,
                                                .regulation_effect = regulation_effect_,
                                                .regulation_max = params_.regulation_max});
  // The tax against the others' costs, its own regulation counted as part of its cost.
  const double own = policy.regulation > 0.0 ? beta * kappa * policy.regulation : 0.0;
  policy.tax = best_response_tax(beta, omega, log_others + own);
  return policy;
}

GovernanceProcess::WorldMetrics GovernanceProcess::measure_policies() const {
  WorldMetrics out;
  const std::uint32_t nations = places_->count(Scale::nation);
  Policy mean{};
  double north = 0, south = 0, norths = 0, souths = 0, chi_north = 0, chi_south = 0;
  for (std::uint32_t n = 0; n < nations; ++n) {
    const auto p = (*policies_)[n];
    mean.chi += p.chi / nations;
    mean.tax += p.tax / nations;
    mean.regulation += p.regulation / nations;
    const NationGroup group = places_->nation_group(n);
    if (group == NationGroup::north) {
      north += p.regulation;
      chi_north += p.chi;
      ++norths;
    } else if (group == NationGroup::south) {
      south += p.regulation;
      chi_south += p.chi;
      ++souths;
    }
  }
  out.mean_chi = mean.chi;
  out.mean_tax = mean.tax;
  out.mean_regulation = mean.regulation;
  out.regulation_north = norths > 0 ? north / norths : std::nan("");
  out.regulation_south = souths > 0 ? south / souths : std::nan("");
  out.chi_north = norths > 0 ? chi_north / norths : std::nan("");
  out.chi_south = souths > 0 ? chi_south / souths : std::nan("");
  double ratio = 0;
  int parts = 0;
  for (const auto& [now, then] : {std::pair{mean.chi, initial_mean_.chi}, std::pair{mean.tax, initial_mean_.tax},
                                  std::pair{mean.regulation, initial_mean_.regulation}}) {
    if (then <= 0.0) continue;
    ratio += now / then;
    ++parts;
  }
  out.race_to_bottom = parts > 0 ? 1.0 - ratio / parts : 0.0;
  out.adjustments = static_cast<double>(adjustments_);
  double programs = 0, debt = 0, income = 0;
  for (std::uint32_t n = 0; n < nations; ++n) {
    programs += program_[n];
    const NationalPolicy::Finance finance = economy_->finance(n);
    if (finance.debt > 0.0) {
      debt += finance.debt;
      income += finance.income;
    }
  }
  out.in_program = programs / nations;
  out.debt_ratio = income > 0.0 ? debt / income : std::nan("");
  return out;
}

GovernanceProcess::PlaceDebt GovernanceProcess::measure_place_debt(AgentRange place) const {
  const auto [first, last] = places_->within(place, Scale::nation);
  double in_program = 0, agents = 0, debt = 0, income = 0;
  for (std::uint32_t n = first; n <= last; ++n) {
    const double size = places_->place(Scale::nation, n).size;
    in_program += program_[n] * size;
    agents += size;
    const NationalPolicy::Finance finance = economy_->finance(n);
    debt += finance.debt;
    income += finance.income;
  }
  return {in_program / agents, debt > 0.0 && income > 0.0 ? debt / income : std::nan("")};
}

double GovernanceProcess::place_regulation(AgentRange place) const {
  const auto [first, last] = places_->within(place, Scale::nation);
  double sum = 0;
  double agents = 0;
  for (std::uint32_t n = first; n <= last; ++n) {
    const double size = places_->place(Scale::nation, n).size;
    sum += (*policies_)[n].regulation * size;
    agents += size;
  }
  return sum / agents;
}

}  // namespace glocal::governance
