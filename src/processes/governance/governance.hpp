#pragma once
// The governance process, first part (MODEL.md 4.3): nations' policies under capital competition.
// Each nation n has a policy p_n = (chi_n, tau_n, rho_n): national redistribution, the tax on
// firms' profits, the regulation cost per job (the economy uses them: redistribution, firms'
// after-tax returns, harvest). At the start, each component is the economy's value times
// 1 + s (2u - 1), u uniform (s = governance.spread), so nations differ. Each tick every nation,
// with probability governance.revision, compares itself with one other nation drawn uniformly and,
// if that nation attracted more foreign jobs per head in the last tick, moves its policy toward it
// by the share governance.imitation (imitation of the more successful; Weibull 1995's imitation
// dynamics). With mobile capital, firms favour low tax and regulation, so success goes with low
// policy and imitation ratchets policy down: the race to the bottom. Member nations of a global
// rule-maker (governance.members, the first that share of nations) never go below the floors
// governance.floor_* (glocal governance). A scheduled adjustment (governance.adjustment rising
// above 1/2) cuts the redistribution and regulation of the nations of group "south" by the share
// governance.adjustment_cut (a lender's conditionality). Nation n's coins in tick t: the block
// (n, t, governance).
// governance.debt_threshold b > 0 replaces the schedule by stress (docs/model/governance.md,
// "Adjustment triggered by stress"): a nation whose external debt over its income (economy.borrowing)
// exceeds b enters a lender's program: its redistribution and regulation are cut by
// governance.adjustment_cut and, while the program lasts, it borrows nothing and pays its interest
// out of its agents' incomes (the economy's austerity). The program ends when the ratio falls below
// governance.program_exit x b.
// governance.rule = "best_response" replaces imitation for the tax (docs/model/governance.md, "Best
// response"; Zodrow & Mieszkowski 1986, Wilson 1986): a revising nation sets the tax that maximises
// s_n (tau_n + omega_n), its expected share of the mobile firms, s_n = exp(-beta tau_n) / sum_m
// exp(-beta tau_m) (a logit in the after-tax share of profit, beta = governance.capital_elasticity x
// economy.openness), times what each brings: the tax, plus the value of its jobs per unit of
// profit, omega_n = governance.job_weight x NationalPolicy::firm_job_value(n). With N identical
// nations the equilibrium is tau* = N / (beta (N - 1)) - omega, clipped to [0, 1]: it falls with
// capital mobility and with the number of nations.
// governance.instruments = "tax_and_regulation" adds regulation to the best response
// (docs/model/governance.md, "Regulation by best response"; Oates & Schwab 1988): nations expect
// capital to weigh a unit of regulation as kappa_n of tax (kappa_n =
// NationalPolicy::regulation_cost_share(n)), so s_n = exp(-beta c_n) / sum_m exp(-beta c_m), c_n =
// tau_n + kappa_n rho_n, and a revising nation maximises N s_n (tau_n + omega_n) + lambda (1 -
// exp(-g rho_n)) on rho_n in [0, governance.regulation_max]: what its even share of the mobile
// firms brings it, plus the value lambda (governance.environment_weight) of protecting its
// resources, of which regulation removes the harvest share 1 - exp(-g rho) (g =
// ecology.regulation_effect). It sets its regulation to the others' costs and its own tax, then
// its tax to the others' costs and its new regulation.
#include <memory>
#include <span>
#include <vector>

#include "glocal/model/coupling.hpp"
#include "glocal/process_api.hpp"

namespace glocal::governance {

enum class Rule { imitation, best_response };
enum class Instruments { tax, tax_and_regulation };

struct Parameters {
  Rule rule = Rule::imitation;
  double capital_elasticity = 3.3;             ///< beta at economy.openness = 1 (de Mooij & Ederveen 2003)
  double job_weight = 1.0;                     ///< what a nation counts a job's wage gain as, per unit of tax revenue
  Instruments instruments = Instruments::tax;  ///< what a best-responding nation chooses
  double environment_weight = 1.0;             ///< lambda: the value of full protection, per unit of an even share's profit
  double regulation_max = 1.0;                 ///< the most regulation a nation may choose (host A per job)
  double spread = 0.5;
  double revision = 0.2;
  double imitation = 0.5;
  double members = 1.0;
  double floor_chi = 0.0;
  double floor_tax = 0.0;
  double floor_regulation = 0.0;
  double adjustment = 0.0;
  double adjustment_cut = 0.5;
  double debt_threshold = 0.0;  ///< a program starts where debt over income exceeds this (0: no trigger)
  double program_exit = 0.5;    ///< and ends where it falls below this share of the threshold
};

[[nodiscard]] ProcessInfo process_info();

/// The tax that maximises s(t) (t + omega) on [0, 1], s(t) = 1 / (1 + exp(beta t + log_others)) a
/// nation's share of the mobile firms (log_others = ln sum over the other nations of
/// exp(-beta tau_m)): the root of beta (t + omega) (1 - s(t)) = 1, clipped; 1 for beta = 0 (the
/// tax moves no firm), else 0 for omega infinite.
[[nodiscard]] double best_response_tax(double beta, double omega, double log_others) noexcept;

/// A nation's choice of regulation against mobile capital, given its tax (governance.instruments =
/// "tax_and_regulation"; docs/model/governance.md, "Regulation by best response").
struct RegulationProblem {
  double beta = 0.0;               ///< capital's semi-elasticity to a unit of cost
  double kappa = 0.0;              ///< the cost of a unit of regulation, per unit of profit, as a tax
  double tax = 0.0;                ///< the nation's own tax
  double omega = 0.0;              ///< the value of a firm's jobs per unit of its profit
  double log_others = 0.0;         ///< ln sum over the other nations of exp(-beta c_m)
  double nations = 1.0;            ///< N: the objective counts the capital term per even share
  double environment_weight = 0;   ///< lambda
  double regulation_effect = 0.0;  ///< g: regulation removes the share 1 - exp(-g rho) of the harvest
  double regulation_max = 1.0;     ///< the top of the range
};

/// The regulation that maximises N s(r) (tax + omega) + lambda (1 - exp(-g r)) on [0, regulation_max],
/// s(r) = 1 / (1 + exp(beta (tax + kappa r) + log_others)). The sign of the derivative is that of
/// h(r) = ln(lambda g) - g r - ln(N beta kappa (tax + omega)) - ln s - ln(1 - s), convex in r, so the
/// objective rises to the first root of h, falls to the second and may rise again: the answer is
/// the better of the first local maximum (bisection to the last representable midpoint) and the top
/// of the range (the lower on a tie). The top when nothing would move a firm (beta = 0, or no firm
/// would profit there even unregulated); 0 when regulation is worth nothing (lambda g = 0) or a
/// firm's jobs infinitely much.
[[nodiscard]] double best_response_regulation(const RegulationProblem& problem) noexcept;

class GovernanceProcess final : public BasicProcess<GovernanceProcess, Parameters> {
 public:
  /// regulation_effect: ecology's g (regulation removes the share 1 - exp(-g rho) of the harvest).
  GovernanceProcess(const Parameters& parameters, const Places& places, NationalPolicy& economy, const Rng& rng,
                    double regulation_effect = 0.0);
  void step(const TickContext& context) override;
  /// The world metrics, in one pass over the nations, one field each: process_info binds each
  /// metric to its field.
  struct WorldMetrics {
    double mean_chi = 0.0;
    double mean_tax = 0.0;
    double mean_regulation = 0.0;
    double regulation_north = 0.0;
    double regulation_south = 0.0;
    double chi_north = 0.0;
    double chi_south = 0.0;
    double race_to_bottom = 0.0;
    double adjustments = 0.0;
    double in_program = 0.0;
    double debt_ratio = 0.0;
  };
  [[nodiscard]] WorldMetrics measure_policies() const;
  /// Mean regulation of the place's nations (weighted by agents).
  [[nodiscard]] double place_regulation(AgentRange place) const;
  /// The share of the place's agents in nations under a program, and its nations' debt over their income.
  struct PlaceDebt {
    double program = 0.0;     ///< share of the place's agents in nations under a lender's program
    double debt_ratio = 0.0;  ///< external debt of the place's nations over their income
  };
  [[nodiscard]] PlaceDebt measure_place_debt(AgentRange place) const;

 private:
  /// The floors bind nation n.
  [[nodiscard]] bool member(std::uint32_t nation) const noexcept;
  [[nodiscard]] Policy floored(std::uint32_t nation, Policy policy) const noexcept;
  /// Nation n's best-response tax to the others' taxes at the start of the tick.
  [[nodiscard]] double best_tax(std::uint32_t nation) const;
  /// Nation n's best-response regulation and then tax, to the others' costs tau_m + kappa_m rho_m
  /// (cost_, kappa_: this tick's, filled by step).
  [[nodiscard]] Policy best_policy(std::uint32_t nation) const;

  const Places* places_;
  NationalPolicy* economy_;
  PolicyTable* policies_;           ///< the run's policy table, which governance writes (PolicyAccess::writes)
  double regulation_effect_ = 0.0;  ///< ecology's g
  Policy initial_mean_{};
  std::vector<std::uint8_t> south_;
  std::uint64_t adjustments_ = 0;
  bool adjusting_ = false;             ///< governance.adjustment is above 1/2 (an adjustment fires when it rises)
  std::vector<std::uint8_t> program_;  ///< per nation: under a lender's program (debt_threshold)
  std::vector<Policy> next_;           ///< scratch: this tick's new policies
  std::vector<double> kappa_;          ///< scratch (tax_and_regulation): each nation's regulation cost share this tick
  std::vector<double> cost_;           ///< scratch (tax_and_regulation): each nation's cost to capital this tick
};

}  // namespace glocal::governance
