#pragma once
// The economy process (MODEL.md 4.2): kinetic wealth exchange between agents whose
// trading partners come from the trade reach kernel (economy.reach.*). One model per scenario:
//   dy   Dragulescu & Yakovenko (2000): the pair pools its wealth and splits it at random;
//   cc   Chakraborti & Chakrabarti (2000): each keeps a saving fraction lambda, the rest is pooled
//        and split at random;
//   ccm  Chatterjee, Chakrabarti & Manna (2004): as cc with lambda_i fixed per agent, uniform on [0, 1);
//   yard-sale  the yard-sale model (Chakraborti 2002; Hayes 2002; Boghosian 2014): a fair coin
//        moves a stake, a fraction of the poorer agent's wealth, from the loser to the winner;
//   bm   Bouchaud & Mezard (2000): every agent's wealth grows by multiplicative noise and relaxes
//        toward the mean wealth of its trading partners at rate J (synchronous steps of length dt);
//   awm  the Affine Wealth Model (Li, Boghosian & Li 2019), the extended yard-sale model
//        (Boghosian et al. 2017) on wealth shifted by kappa times the mean: steps of length dt in
//        which each agent trades once on average, the coin biased toward the richer by zeta.
// dy may allow debt down to -economy.debt_limit (Dragulescu & Yakovenko 2000, section 4).
// Redistribution (every model): each tick (bm, awm: each step) every agent's wealth relaxes
// toward the mean of its locality, nation and the world at rates chi_local, chi (national) and
// chi_global, exactly (w <- mean + (w - mean) exp(-chi duration)), which conserves the wealth of
// every jurisdiction; locality, then nation, then world. The national rate is per nation (the
// economy.chi value, or governance's, through NationalPolicy).
// Wealth is conserved by every exchange (bm: reported relative to the mean, which the model's
// overall growth leaves free). State: one wealth column (double) and, for ccm, one
// saving column. Exchanges are random sequential: exchange e of tick t reads the Philox block
// (e, t, economy_exchange): word 0 the agent, word 1 the kernel's scale, word 2 the partner,
// word 3 the split epsilon (awm, yard-sale: the coin). With economy.production, each tick first
// creates income (production.hpp: productivity, jobs, firms) and adds its saved share to wealth;
// the inequality metrics then measure economy.measure (wealth or income).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "glocal/model/coupling.hpp"
#include "glocal/model/process.hpp"
#include "glocal/model/reach.hpp"
#include "glocal/process_api.hpp"
#include "glocal/world/places.hpp"
#include "processes/economy/production.hpp"

namespace glocal::economy {

enum class Exchange { dy, cc, ccm, bm, yard_sale, awm };
/// economy.measure: what the inequality metrics measure.
enum class Measure { wealth, income };
/// economy.redistribute: what the three redistribution rates act on.
enum class Redistribute { wealth, income };
/// economy.local_rule: how each locality's income tax is set.
enum class LocalRule { fixed, median_voter };

/// The economy's keys: the exchange's here, production's in its base (production.hpp).
struct Parameters : ProductionParameters {
  Exchange exchange = Exchange::dy;
  double saving = 0.0;          ///< lambda (cc)
  double stake = 0.1;           ///< beta (yard-sale): the share of the poorer agent's wealth at stake
  double initial_wealth = 1.0;  ///< every agent's wealth at tick 0
  std::uint32_t rate = 1;       ///< exchanges per agent per tick
  ReachWeights reach = {1.0, 0.0, 0.0, 0.0, 0.0};
  double coupling = 0.01;                            ///< J (bm): exchange rate toward the partners' mean wealth, per unit time
  double volatility = 0.1;                           ///< sigma (bm): the noise eta has variance 2 sigma^2 per unit time
  double dt = 0.1;                                   ///< bm, awm: time step; a tick is `rate` steps
  double debt_limit = 0.0;                           ///< dy: how far below zero an agent's wealth may go
  double zeta = 0.0;                                 ///< awm: wealth-attained advantage
  double kappa = 0.0;                                ///< awm: the shift, in units of the mean wealth (debt allowed down to -kappa W/N)
  double chi_local = 0.0;                            ///< redistribution toward the locality's mean, per unit time
  double chi = 0.0;                                  ///< toward the nation's mean (the AWM's chi)
  double chi_global = 0.0;                           ///< toward the world's mean (aid)
  Redistribute redistribute = Redistribute::wealth;  ///< what chi_local, chi and chi_global act on
  LocalRule local_rule = LocalRule::fixed;           ///< income: chi_local for all, or each locality's median voter
  double deadweight = 0.0;                           ///< delta: a tax t transfers (t - delta t^2 / 2) of the mean
  Measure measure = Measure::wealth;                 ///< what the inequality metrics measure
  double poverty_line = 0.5;                         ///< poverty: below this fraction of the world median
};

[[nodiscard]] ProcessInfo process_info();

/// One exchange between wealths `a` (the agent's) and `b` (the partner's) with saving fractions
/// `lambda_a`, `lambda_b` and split `epsilon` in [0, 1): a' = lambda_a a + epsilon ((1 - lambda_a) a
/// + (1 - lambda_b) b), b' = a + b - a'. dy: both lambdas 0; cc: both lambda; ccm: the agents'.
inline void exchange(double& a, double& b, double lambda_a, double lambda_b, double epsilon) noexcept {
  const double pool = (1.0 - lambda_a) * a + (1.0 - lambda_b) * b;
  const double total = a + b;
  a = lambda_a * a + epsilon * pool;
  b = total - a;
}

/// One extended-yard-sale transaction (Boghosian et al. 2017, eq. 1-2) between shifted wealths
/// a = w_i + Delta and b = w_j + Delta (the AWM, Li et al. 2019: Delta = kappa W / N; shifted
/// mean m = W / N + Delta): Delta w = sqrt(dt) min(a, b) eta moves to i, where eta = +1 with
/// probability (1 + E[eta]) / 2, else -1, and E[eta] = zeta sqrt(dt) (a - b) / m clamped to
/// [-1, 1] (time in units of 1 / gamma). `unit` is uniform on [0, 1).
inline void affine_transaction(double& wi, double& wj, double shift, double shifted_mean, double zeta, double sqrt_dt,
                               double unit) noexcept {
  const double a = wi + shift;
  const double b = wj + shift;
  const double bias = std::clamp(zeta * sqrt_dt * (a - b) / shifted_mean, -1.0, 1.0);
  const double amount = sqrt_dt * std::min(a, b);
  const double moved = unit < 0.5 * (1.0 + bias) ? amount : -amount;
  wi += moved;
  wj -= moved;
}

class EconomyProcess final : public BasicProcess<EconomyProcess, Parameters>, public EconomicActivity, public NationalPolicy {
 public:
  /// `productivity`: each nation's A_n(0) (empty: all 1): an agent starts with initial_wealth x A_n.
  EconomyProcess(const Parameters& parameters, const Network& network, const Places& places, const Rng& rng,
                 std::span<const double> productivity = {}, Production production = {});
  void step(const TickContext& context) override;
  /// The economy's metrics, computed together (income in both price systems reuses the measured
  /// quantity's sort and Theil decomposition), one field each: process_info binds each metric to
  /// its field.
  struct WorldMetrics {
    double gini = 0.0;
    double top1_share = 0.0;
    double quintile_ratio = 0.0;
    double country_ratio = 0.0;
    double theil = 0.0;
    double theil_between = 0.0;
    double theil_within = 0.0;
    double poverty = 0.0;
    double mean_wealth = 0.0;
    double oligarch_share = 0.0;
    double negative_share = 0.0;
    double exchanges = 0.0;
    double mean_income = 0.0;
    double underemployment = 0.0;
    double income_north = 0.0;
    double income_south = 0.0;
    double wealth_north = 0.0;
    double wealth_south = 0.0;
    double foreign_jobs = 0.0;
    double profit_outflow = 0.0;
    double gini_ppp = 0.0;
    double gini_xr = 0.0;
    double country_ratio_ppp = 0.0;
    double country_ratio_xr = 0.0;
    double theil_between_ppp = 0.0;
    double theil_within_ppp = 0.0;
    double theil_between_xr = 0.0;
    double theil_within_xr = 0.0;
    double disasters = 0.0;
    double local_tax = 0.0;
  };
  [[nodiscard]] WorldMetrics measure_all() const;
  /// The place metrics, computed together, one field each (bound by process_info).
  struct PlaceMetrics {
    double gini = 0.0;
    double mean_wealth = 0.0;
    double mean_income = 0.0;
    double underemployment = 0.0;
    double income_ppp = 0.0;
    double income_xr = 0.0;
    double local_tax = 0.0;
  };
  [[nodiscard]] PlaceMetrics measure_place_all(AgentRange place) const;
  /// Each locality's income tax rate this tick (economy.redistribute = "income"; empty otherwise).
  [[nodiscard]] std::span<const double> local_tax() const noexcept { return local_tax_; }
  /// The place's agents' mean local tax rate (0 where no local income tax was levied this tick).
  [[nodiscard]] double local_tax_in(AgentRange place) const;

  [[nodiscard]] std::span<const double> wealth() const noexcept { return wealth_; }
  [[nodiscard]] std::span<const double> income() const noexcept { return income_; }
  [[nodiscard]] std::uint64_t exchanges() const noexcept { return exchanges_; }
  [[nodiscard]] const Production& production() const noexcept { return production_; }
  [[nodiscard]] std::span<const double> locality_income() const noexcept override { return locality_income_; }
  [[nodiscard]] std::span<const std::uint32_t> locality_firms() const noexcept override { return production_.firms_by_locality(); }
  /// rho_n from the policy table (0 without production: nothing pays it).
  [[nodiscard]] double nation_regulation(std::uint32_t nation) const noexcept override {
    return production_.on() ? (*policies_)[nation].regulation : 0.0;
  }
  [[nodiscard]] PolicyTable& policies() noexcept override { return *policies_; }
  [[nodiscard]] const PolicyTable& policies() const noexcept override { return *policies_; }
  [[nodiscard]] double foreign_jobs_per_head(std::uint32_t nation) const noexcept override {
    return production_.on() ? production_.foreign_jobs_per_head(nation) : 0.0;
  }
  [[nodiscard]] double capital_openness() const noexcept override { return production_.on() ? production_.openness() : 0.0; }
  [[nodiscard]] Finance finance(std::uint32_t nation) const noexcept override {
    return production_.on() ? production_.finance(nation) : Finance{};
  }
  void set_program(std::uint32_t nation, bool on) noexcept override {
    if (production_.on()) production_.set_program(nation, on);
  }
  [[nodiscard]] double firm_job_value(std::uint32_t nation) const noexcept override {
    return production_.on() ? production_.firm_job_value(nation) : 0.0;
  }
  [[nodiscard]] double regulation_cost_share(std::uint32_t nation) const noexcept override {
    return production_.on() ? production_.regulation_cost_share(nation) : 0.0;
  }
  [[nodiscard]] std::span<const double> agent_income() const noexcept override {
    return production_.on() ? std::span<const double>(income_) : std::span<const double>();
  }
  /// Finds ecology's integrity (the underemployed's livelihood, economy.livelihood).
  void connect(const std::function<Process*(std::string_view)>& find) override;
  /// Demography: a newborn takes half of its parent's wealth (the parent keeps the other half; a
  /// child of a parent who died starts with nothing), a dead agent's wealth goes to its heir, so
  /// wealth is conserved; ccm: a newborn draws its own saving propensity.
  void renew(const Renewal& renewal, const TickContext& context) override;

 private:
  const Network* network_;
  const Places* places_;
  std::vector<double> wealth_;
  std::vector<double> saving_;  ///< ccm: each agent's lambda_i
  std::vector<double> income_;  ///< production: each agent's income in the last tick
  Production production_;
  std::vector<std::uint8_t> group_;      ///< per nation: 1 north, 2 south, 0 other
  std::vector<double> locality_income_;  ///< production: each locality's mean income, last tick
  SharedPolicies policies_;              ///< the nations' policies, shared with production and governance (it provides them)
  std::uint64_t exchanges_ = 0;
  /// The trading partner of `agent` through the kernel, from the event's words 1 and 2
  /// (`agent` itself when it has nobody to trade with).
  [[nodiscard]] AgentIndex partner_of(AgentIndex agent, const RandomBlock& words) const noexcept;
  /// The CSR slot of the neighbour of `agent` that `word` picks, uniformly; kNoSlot when it has none.
  static constexpr std::uint32_t kNoSlot = ~std::uint32_t{0};
  [[nodiscard]] std::uint32_t neighbour_slot(AgentIndex agent, std::uint64_t word) const noexcept;
  /// `count` exchanges of the pairwise models, numbered from `first` within tick `tick`.
  void exchange_events(std::uint64_t first, std::uint64_t count, std::uint64_t tick, const Rng& rng);
  template <Exchange Model>
  void exchange_events_as(std::uint64_t first, std::uint64_t count, std::uint64_t tick, const Rng& rng);
  /// The same when partners may be network neighbours: drawn in stages that prefetch the CSR.
  template <Exchange Model>
  void exchange_staged_as(std::uint64_t first, std::uint64_t count, std::uint64_t tick, const Rng& rng);
  /// One exchange of `Model` between agent and partner (none when they are the same agent).
  struct TradeTerms {
    double mean = 0;   ///< awm: the world's mean wealth
    double shift = 0;  ///< awm: kappa times the mean
    double sqrt_dt = 0;
  };
  template <Exchange Model>
  void trade(AgentIndex agent, AgentIndex partner, double unit, const TradeTerms& terms) noexcept;
  template <Exchange Model>
  [[nodiscard]] TradeTerms trade_terms() const;
  /// Each locality's mean income (locality_income_) from income_.
  void update_locality_income();
  /// Relaxation toward every jurisdiction's mean over `duration` time units: of wealth, or (the
  /// tax-transfer of economy.redistribute = "income") of this tick's income, the saved share of
  /// each agent's transfer joining its wealth.
  void redistribute(double duration);
  void redistribute_income();
  /// relax(place, chi) at each locality (economy.chi_local, when positive), each nation (its rate)
  /// and the world (economy.chi_global), in that order.
  template <typename Relax>
  void at_each_scale(Relax&& relax, bool localities = true) const;
  /// economy.local_rule = "median_voter": each locality's tax, chosen by its median voter on this
  /// tick's incomes before any tax (local_tax_).
  void vote_local_taxes();
  std::vector<double> local_tax_;       ///< income redistribution: each locality's tax rate this tick
  std::vector<double> ballot_;          ///< scratch: a locality's incomes, for its median
  std::vector<double> rule_slope_;      ///< scratch: each locality's composed rule y -> slope y + intercept
  std::vector<double> rule_intercept_;  ///< scratch
  /// One Bouchaud-Mezard step (the k-th of tick `tick`) for every agent.
  void bouchaud_mezard_step(std::uint64_t tick, std::uint64_t k, const Rng& rng);
  std::vector<double> target_;  ///< bm: each agent's kernel-weighted mean of its partners' wealth
  [[nodiscard]] bool measures_income() const noexcept { return params_.measure == Measure::income; }
  /// A scheduled key moved: national redistribution resets to economy.chi; production follows.
  void parameter_changed(const std::string& key) override;
};

/// Production's keys (economy.production and those that apply with it), declared by
/// production.cpp on the economy's definition.
void declare_production(ProcessDefinition<EconomyProcess, Parameters>& definition);

}  // namespace glocal::economy
