#pragma once
// Production, jobs and firms (MODEL.md 4.2; docs/model/economy.md, "Production"): the part of the
// economy that creates income each tick, before agents trade.
//
//   productivity  each nation's output per worker y_n. economy.growth_model = "frontier": y_n = A_n,
//                 ln A_n grows by g + c (ln A* - ln A_n) a tick, A* the largest (the frontier,
//                 which grows at g): Nelson-Phelps catch-up at rate c. "absorptive": y_n = A_n
//                 k_n^alpha (Solow), capital per worker k_n <- ((1 - delta) k_n + s y_n) / (1 + n_n)
//                 (n_n the nation's population growth), and technology absorbed from the frontier
//                 as in Benhabib & Spiegel's (2005) logistic diffusion: with r = A_n / A*,
//                 d ln A_n = r^eta (g + c (1 - omega + omega theta + lambda F_n) (1 - r)) - D_n:
//                 capacity r^eta (rising with relative technology, for the human capital the data
//                 lack) scales both own innovation g and absorption, which needs openness theta
//                 and gains from foreign jobs per head F_n (FDI spillovers that need capacity,
//                 Borensztein, De Gregorio & Lee 1998); with eta = 1 nations below r* = g / (c q)
//                 fall behind and those above converge. Rare disasters D_n: a drop in ln A with
//                 probability p a year, mean size b, permanent as Cerra & Saxena 2008 find
//                 (Barro 2006). Growth shocks e_n = rho e_n' + sigma xi added to d ln A_n: growth
//                 rates persist little and shocks move them (Easterly, Kremer, Pritchett & Summers
//                 1993). Both scale by (Y_n / mean Y)^-gamma, Y_n the nation's output: larger
//                 economies are less volatile (Canning et al. 1998). docs/model/growth.md.
//                 A* and y* are the leader's among nations holding at least economy.frontier_share
//                 of the world's people (a microstate's oil rents are not a frontier to absorb).
//   prices        each nation's price level p_n = (y_n / y*)^beta_t (Balassa-Samuelson; y* the leader's),
//                 beta_t = beta + beta' t after t ticks: incomes are at PPP, and p_n converts them to
//                 market exchange rates.
//   jobs          a locality of P agents has floor(s P) jobs from local demand (s: local_jobs) plus
//                 floor(j P) for every firm that produces there (j: firm_jobs; with
//                 economy.acceptance = "sales", floor(j P m): the firm sells to, and hires for, the
//                 share m of the market that accepts its product); the employed are the
//                 first agents of a fixed random order of the locality, everyone else is
//                 underemployed. With economy.jobs = "demand" the local jobs are not a share: they
//                 are the most that the locality's own spending pays for, E = max{E : floor(D(E) / a)
//                 >= E}, where D(E) is the spending on formal goods when the firms' and projects'
//                 workers and E more hold jobs, each agent i spending beta_M max(0, (1 - s) y_i - gamma)
//                 of its consumption (Stone-Geary: subsistence gamma first, from the underemployed's
//                 own sector) and investing its saving s y_i at home. With beta_M = 1 the share
//                 underemployed is gamma / (u a) (Gollin, Parente & Rogerson 2002), and a job paid
//                 from outside (a firm's) employs 1 / u more (the local multiplier). docs/model/economy.md.
//   income        an employed agent earns A_n a tick, an underemployed one u A_n, each times its
//                 ability h_i = exp(sigma z_i - sigma^2 / 2) with economy.wage_dispersion sigma (times
//                 1 - lambda + lambda I_l with ecology: I_l the locality's resource integrity; 1 - lambda
//                 for an agent a project displaced), and every agent
//                 r w on its wealth w (a debt costs r |w|); a firm's profit per
//                 job in locality l, pi = phi A_h^(1-beta) A_l^beta m - (1 + rho) A_l (its home
//                 nation's technology phi A_h, of which the host absorbs A_l^beta / A_h^beta, sold at
//                 market factor m = 1 - mu + mu overlap / F (1 with sales acceptance, where m scales
//                 its jobs instead, and its score is the return per job times m), less the host's wage and regulation
//                 cost), is taxed at tau where positive (the tax shared equally by the
//                 host nation's agents; with economy.redistribution_tax k the rate is tau + k chi_n,
//                 redistribution financed by capital) and the rest is remitted to the home nation's agents in
//                 proportion to their positive wealth (its owners).
//   debt          (economy.borrowing psi > 0, demand jobs) a nation outside a lender's program and
//                 not of group "north" borrows psi (1 - y_n / y*) of its last tick's income Y_n and spends it on its formal goods
//                 (spread over its localities by agents: jobs), and rolls its interest over:
//                 D <- (1 + r) D + L. Under a program (governance.debt_threshold) it borrows nothing
//                 and pays r D out of its agents' incomes, at most kappa Y_n (economy.service_cap; the
//                 rest is added to the debt), each agent keeping 1 - paid / Y_n of its income.
//   localization  a locality whose fixed uniform draw (block (l, 0, economy_init, 2)) is below
//                 economy.closed_localities admits no firm from another nation;
//   firms         each tick a firm reconsiders with probability `mobility` and moves to the
//                 locality where theta_l x (after-tax return) is highest among those with room for
//                 it (theta = 1 at home, openness abroad), if that beats where it is. With a culture
//                 it adapts its product culture toward its host's modal culture (one differing
//                 feature with probability alpha a tick) and broadcasts it there (culture.market).
// All of it is deterministic given the run's stream: firm f's coins in tick t are the block
// (f, t, economy_firms); the employment order is drawn once from (agent, 0, economy_init, 1).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "glocal/core/rng.hpp"
#include "glocal/model/coupling.hpp"
#include "glocal/model/nation_policy.hpp"
#include "glocal/world/places.hpp"
#include "glocal/model/parameter.hpp"
#include "glocal/world/renewal.hpp"

namespace glocal {
class Scenario;
}

namespace glocal::economy {

enum class GrowthModel { frontier, absorptive };
/// economy.jobs: where local jobs come from.
enum class Jobs { fixed, demand };
/// economy.acceptance: what a product's cultural fit moves.
enum class Acceptance { margin, sales };

struct ProductionParameters {
  bool on = false;
  GrowthModel growth_model = GrowthModel::frontier;
  double investment = 0.2;              ///< s (absorptive): share of output invested
  double depreciation = 0.05;           ///< delta (absorptive): capital lost a tick
  double capital_share = 1.0 / 3.0;     ///< alpha (absorptive): y = A k^alpha
  double capacity = 1.0;                ///< eta (absorptive): absorptive capacity r^eta, r = A_n / A*
  double capacity_renewal = 1.0;        ///< kappa (absorptive): capacity H <- (1 - kappa) H + kappa r
  double openness_effect = 0.5;         ///< omega (absorptive): share of absorption that needs openness
  double fdi_spillover = 0.0;           ///< lambda (absorptive): absorption per foreign job per head
  double disaster_rate = 0.0;           ///< p (absorptive): probability a tick that a nation's ln A drops
  double disaster_size = 0.2;           ///< b (absorptive): the mean drop (uniform on [b/2, 3b/2])
  double growth_shock = 0.0;            ///< sigma (absorptive): sd of a nation's yearly growth shock
  double growth_persistence = 0.5;      ///< rho (absorptive): e_t = rho e_{t-1} + sigma xi_t
  double frontier_share = 0.01;         ///< nations with at least this share of the agents define A* (absorptive) and y*
  double volatility_scaling = 0.0;      ///< gamma (absorptive): shocks and disasters scale by (Y_n / mean Y)^-gamma
  double price_elasticity = 0.0;        ///< beta: price level (y_n / y*)^beta
  double price_elasticity_trend = 0.0;  ///< beta grows by this a tick (from tick 0)
  double growth = 0.0;                  ///< g: growth of ln A at the frontier, per tick
  double catch_up = 0.0;                ///< c: Nelson-Phelps catch-up rate, per tick
  double local_jobs = 0.6;              ///< s: share of a locality employed by local demand (economy.jobs = "fixed")
  Jobs jobs = Jobs::fixed;              ///< Jobs::demand: local jobs are what the locality's spending pays for
  double subsistence = 0.0;             ///< gamma: the subsistence consumption each agent buys first, money a tick (demand jobs)
  double formal_share = 1.0;            ///< beta_M: the share of consumption above subsistence bought from the formal sector
  double wage_dispersion = 0.0;         ///< sigma: each agent's labour income is scaled by its ability h = exp(sigma z - sigma^2 / 2)
  double borrowing = 0.0;               ///< psi: a nation borrows psi (1 - y_n / y*) of its income a tick, spent at home (demand jobs)
  double interest_rate = 0.0;           ///< r: the world's real interest rate on external debt, per tick
  double service_cap = 0.05;            ///< kappa: the most of its income a nation in a program pays in interest a tick
  double underemployed_income = 0.3;    ///< u: an underemployed agent's income, in units of A_n
  double save = 0.1;                    ///< share of income added to wealth
  double capital_return = 0.0;          ///< r: income per tick from each unit of wealth (debt costs as much)
  std::uint32_t firms = 0;              ///< number of transnational firms
  double firm_jobs = 0.1;               ///< j: jobs a firm creates, as a share of its host locality's agents
  double firm_productivity = 1.5;       ///< phi: a firm's output per worker, in units of its home nation's A
  double absorption = 0.0;              ///< beta: output per worker phi A_home^(1 - beta) A_host^beta
  double openness = 0.0;                ///< theta: weight of a return abroad against one at home
  double mobility = 0.1;                ///< probability a tick that a firm reconsiders where it produces
  double tax = 0.2;                     ///< tau: tax on positive profits, paid to the host nation
  double regulation = 0.1;              ///< rho: regulation cost per job, in units of the host's A
  double culture_weight = 0.5;          ///< mu: weight of the product-culture overlap in sales
  Acceptance acceptance = Acceptance::margin;  ///< sales: the overlap scales a firm's sales and jobs, not its margin
  double adaptation = 0.0;                     ///< alpha: probability a tick that a firm adapts one feature
  double livelihood = 0.0;                     ///< lambda: share of an underemployed agent's income from the local resource
  double closed_localities = 0.0;              ///< share of localities that admit no firm from another nation (localization)
  double redistribution_tax = 0.0;  ///< kappa_chi: firms' profits also pay kappa_chi x chi_n (redistribution financed by capital)
};

/// One firm: where it is from, where it produces, what culture its product carries.
struct Firm {
  std::uint32_t home = 0;  ///< nation index
  std::uint32_t host = 0;  ///< locality index
};

class Production {
 public:
  Production() = default;
  /// `productivity`: A_n(0) of each nation (Places order). `culture`: the culture process, or
  /// nullptr (then the market factor is 1 and firms carry no culture).
  Production(const ProductionParameters& parameters, const Places& places, std::vector<double> productivity, CultureMarket* culture,
             const Rng& rng);

  [[nodiscard]] bool on() const noexcept { return parameters_.on; }
  [[nodiscard]] bool demand_jobs() const noexcept { return parameters_.jobs == Jobs::demand; }
  [[nodiscard]] bool sales_acceptance() const noexcept { return parameters_.acceptance == Acceptance::sales; }
  /// One tick: productivity, firms' moves and adaptation, then every agent's income (written to
  /// `income`) and its saved share added to `wealth`.
  void step(std::uint64_t tick, const Rng& rng, std::span<double> income, std::span<double> wealth);
  /// Demography: survivors keep their places in their locality's employment order, each newborn
  /// takes a uniformly random place in it (a random interleaving: one coin per place, Knuth's
  /// selection sampling on the stream (l, tick, employment_renewal)); jobs from local demand follow
  /// the locality's new size.
  void renew(const Renewal& renewal, const Rng& rng);
  /// A scheduled key moved: `parameters` holds its new value (and every other key as before).
  /// economy.tax and economy.regulation reset every nation's policy to the new value, and
  /// economy.local_jobs every locality's fixed jobs.
  void update(const ProductionParameters& parameters, std::string_view key);

  [[nodiscard]] std::span<const double> productivity() const noexcept { return log_productivity_; }
  /// y_n: output per full-time worker a tick, net of the global commons' damage (1 - D).
  [[nodiscard]] double productivity_of(std::uint32_t nation) const noexcept;
  /// Nation n's price level relative to the most productive nation's, (y_n / y*)^beta: an income
  /// at PPP times this is the income at market exchange rates.
  [[nodiscard]] double price_level(std::uint32_t nation) const noexcept;
  /// Nation n's capital per worker (absorptive growth; 0 otherwise).
  [[nodiscard]] double capital_of(std::uint32_t nation) const noexcept { return capital_.empty() ? 0.0 : capital_[nation]; }
  /// Disasters so far (absorptive growth).
  [[nodiscard]] std::uint64_t disasters() const noexcept { return disasters_; }
  /// Employment and income now, without growth, moves or saving (the state recorded at tick 0).
  void measure_start(std::span<double> income, std::span<const double> wealth);
  [[nodiscard]] std::span<const Firm> firms() const noexcept { return firms_; }
  /// Agents of the place without a full job, over its agents.
  [[nodiscard]] double underemployment(AgentRange place) const noexcept;
  /// Share of all jobs that firms from another nation created.
  [[nodiscard]] double foreign_job_share() const noexcept;
  /// Profit remitted across borders in the last tick, over all income.
  [[nodiscard]] double outflow_share() const noexcept { return outflow_share_; }
  /// Firms producing in each locality (empty without firms).
  [[nodiscard]] std::span<const std::uint32_t> firms_by_locality() const noexcept {
    return firms_.empty() ? std::span<const std::uint32_t>() : std::span<const std::uint32_t>(firm_count_);
  }
  [[nodiscard]] double regulation(std::uint32_t nation) const noexcept { return (*policies_)[nation].regulation; }
  [[nodiscard]] double tax(std::uint32_t nation) const noexcept { return (*policies_)[nation].tax; }
  /// The nations' policies it reads (taxes, regulation, and chi for the levy on capital), built
  /// from economy.tax and economy.regulation with chi 0 (no levy): the economy makes it the run's
  /// table by setting chi (EconomyProcess shares it).
  [[nodiscard]] const SharedPolicies& policies() const noexcept { return policies_; }
  /// Jobs created in the nation by firms from other nations, per agent of the nation, last tick.
  [[nodiscard]] double foreign_jobs_per_head(std::uint32_t nation) const noexcept;
  /// economy.openness: the weight firms give a locality abroad.
  [[nodiscard]] double openness() const noexcept { return parameters_.openness; }
  /// (1 - u) A_n over the mean, over firms, of the pre-tax profit per job at the nation's first
  /// locality (NationalPolicy::firm_job_value).
  [[nodiscard]] double firm_job_value(std::uint32_t nation) const noexcept;
  /// A_n over the mean firm's profit per job at the nation's first locality before its regulation
  /// cost (NationalPolicy::regulation_cost_share).
  [[nodiscard]] double regulation_cost_share(std::uint32_t nation) const noexcept;
  /// The livelihood of the underemployed: locality l's resource integrity scales a share
  /// `livelihood` of their income (ecology; nullptr or empty: 1).
  void set_environment(const LocalEnvironment* environment) noexcept { environment_ = environment; }
  /// Nation n's external debt and its income of the last tick.
  [[nodiscard]] NationalPolicy::Finance finance(std::uint32_t nation) const noexcept {
    return {debt_.empty() ? 0.0 : debt_[nation], nation_income_.empty() ? 0.0 : nation_income_[nation]};
  }
  /// Income redistribution (economy.redistribute = "income") as a locality's agents expect it when
  /// they spend: after the flat taxes and equal transfers of its locality, nation and world, an
  /// income y becomes slope_l y + intercept_l (the rule of the last tick). Jobs from demand are paid
  /// from incomes after it. Empty: no redistribution (the identity).
  void expect_transfers(std::span<const double> slope, std::span<const double> intercept) {
    net_slope_.assign(slope.begin(), slope.end());
    net_intercept_.assign(intercept.begin(), intercept.end());
  }
  /// A lender's program for nation n (governance): no borrowing, interest paid from incomes.
  void set_program(std::uint32_t nation, bool on) noexcept {
    if (!program_.empty()) program_[nation] = on ? 1 : 0;
  }
  /// The employment state of every agent (1: a full job) after the last tick.
  [[nodiscard]] std::span<const std::uint8_t> employed() const noexcept { return employed_; }

 private:
  /// The mean, over firms, of the pre-tax profit per job at the nation's first locality (firms exist).
  [[nodiscard]] double mean_profit_per_job(std::uint32_t nation) const noexcept;
  /// floor(j P_l): the jobs of a firm in locality l at full acceptance (the room it needs there).
  [[nodiscard]] std::uint32_t firm_jobs_at(std::uint32_t locality) const noexcept;
  /// The jobs firm f has in locality l: floor(j P_l m_f(l)) with sales acceptance, else floor(j P_l).
  [[nodiscard]] std::uint32_t jobs_of(std::uint32_t firm, std::uint32_t locality) const noexcept;
  [[nodiscard]] double market_factor(std::uint32_t firm, std::uint32_t locality) const noexcept;
  [[nodiscard]] double profit_per_job(std::uint32_t firm, std::uint32_t locality) const noexcept;
  /// The profit left after nation n's tax (a loss is not taxed).
  /// The profit left after nation n's tax and its redistribution's levy on capital (a loss is not taxed).
  [[nodiscard]] double after_tax(double profit, std::uint32_t nation) const noexcept {
    const Policy& policy = (*policies_)[nation];
    const double levy = parameters_.redistribution_tax * policy.chi;
    return profit > 0.0 ? profit * (1.0 - std::min(1.0, policy.tax + levy)) : profit;
  }
  /// theta x after-tax return per job of firm f producing in locality l.
  [[nodiscard]] double score(std::uint32_t firm, std::uint32_t locality) const noexcept;
  void grow(std::uint64_t tick, const Rng& rng);
  /// The nation whose `log_values` entry is the largest among those holding at least
  /// frontier_share of the world's agents (among all nations if none does).
  [[nodiscard]] std::uint32_t leader(std::span<const double> log_values) const noexcept;
  /// Wages, the return on wealth and firms' profits into `income`.
  void pay(std::span<double> income, std::span<const double> wealth);
  void move_firms(std::uint64_t tick, const Rng& rng);
  void adapt_products(std::uint64_t tick, const Rng& rng);
  /// Who holds a job this tick. `transfers`: each agent's income other than its wage (demand jobs
  /// only: what it spends besides its wage).
  void employ(std::span<const double> transfers);
  /// With demand jobs, the local jobs of locality l: the most the spending of its agents pays for,
  /// `basic` of them already employed by firms and projects (the first of its order).
  [[nodiscard]] std::uint32_t jobs_from_demand(std::uint32_t locality, std::uint64_t basic, std::span<const double> transfers) const;
  /// Firms' taxes (to the host nation's agents, equally) and remitted profits (to the home nation's
  /// owners) added to `income`.
  void share_firm_income(std::span<double> income, std::span<const double> wealth);
  /// employ() then pay(); with demand jobs, the transfers each agent spends are computed first.
  void employ_and_pay(std::span<double> income, std::span<const double> wealth);
  /// Debt: each nation's income of the last tick (from `income`), its borrowing and spending, its
  /// interest rolled over or paid (the share of income its agents keep).
  void borrow_and_service(std::span<const double> income);
  /// Jobs a locality keeps from firms (fixed local jobs; none with demand jobs, which take what firms leave).
  [[nodiscard]] std::uint32_t reserved_jobs(std::uint32_t locality) const noexcept { return demand_jobs() ? 0 : local_jobs_[locality]; }
  /// What an agent of a locality earns with a job and without one.
  struct Wages {
    double job = 0;          ///< a: the nation's output per worker
    double subsistence = 0;  ///< u a, the share `livelihood` of it scaled by the locality's resource integrity
    double uprooted = 0;     ///< u a (1 - livelihood): a displaced agent's, who lost the commons
    std::span<const std::uint8_t> displaced;
    [[nodiscard]] double without_job(AgentIndex agent) const noexcept {
      return !displaced.empty() && displaced[agent] != 0 ? uprooted : subsistence;
    }
  };
  [[nodiscard]] Wages wages_at(std::uint32_t locality) const noexcept;
  /// Demand jobs: each nation's output per worker set so that its income per head at the start is
  /// the given productivity (the data's GDP per head).
  void match_start_income();
  /// Agent i's ability h_i (1 without wage dispersion).
  [[nodiscard]] double ability(AgentIndex agent) const noexcept { return ability_.empty() ? 1.0 : ability_[agent]; }
  /// exp(sigma z - sigma^2 / 2), z standard normal from the block's first two words.
  [[nodiscard]] double draw_ability(const RandomBlock& words) const noexcept;
  /// What agent income y spends on formal goods and invests: beta_M max(0, (1 - s) y - gamma) + s max(0, y).
  [[nodiscard]] double formal_spending(double income) const noexcept;

  ProductionParameters parameters_;
  const Places* places_ = nullptr;
  CultureMarket* culture_ = nullptr;
  const LocalEnvironment* environment_ = nullptr;
  double output_factor_ = 1.0;  ///< 1 - D: what the global stock leaves of output this tick (ecology.commons_damage)
  std::uint32_t features_ = 0;
  std::vector<double> log_productivity_;   ///< ln y_n per nation (output per worker)
  std::vector<double> log_tfp_;            ///< absorptive: ln A_n per nation
  std::vector<double> capital_;            ///< absorptive: k_n per nation
  std::vector<double> population_growth_;  ///< absorptive: each nation's growth in agents at the last renewal
  std::vector<double> shock_;              ///< absorptive: each nation's growth shock e_n
  std::vector<double> capacity_stock_;     ///< absorptive: each nation's capacity H_n (negative before the first tick)
  std::vector<double> volatility_;         ///< scratch: each nation's shock scale this tick
  std::uint64_t disasters_ = 0;
  SharedPolicies policies_;  ///< tau_n, rho_n (and chi_n for the levy on capital) per nation
  std::vector<std::uint32_t> nation_of_locality_;
  std::vector<double> entry_draw_;             ///< per locality: closed to foreign firms when below closed_localities
  std::vector<AgentIndex> order_;              ///< per locality, its agents in their fixed employment order
  std::vector<std::uint32_t> local_jobs_;      ///< per locality
  std::vector<std::uint32_t> foreign_jobs_;    ///< per locality: jobs of firms from other nations
  std::vector<std::uint32_t> firm_count_;      ///< per locality: firms producing there
  std::vector<std::uint32_t> firm_jobs_here_;  ///< per locality: firms' jobs there
  std::vector<Firm> firms_;
  std::vector<std::uint8_t> products_;       ///< per firm, F bytes: its product culture
  std::vector<std::uint8_t> modes_;          ///< per locality, F bytes: the modal culture (this tick)
  std::vector<std::uint8_t> on_sale_;        ///< per locality: a firm sells there
  std::vector<std::uint8_t> sale_products_;  ///< per locality, F bytes: the culture on sale
  std::vector<std::uint8_t> employed_;       ///< per agent
  std::vector<double> ability_;              ///< per agent (wage dispersion): h_i, mean 1
  std::vector<double> transfers_;            ///< scratch (demand jobs): per agent, income other than wages
  std::vector<double> net_slope_;            ///< per locality (income redistribution): y after it = slope y + intercept
  std::vector<double> net_intercept_;        ///< per locality (income redistribution)
  std::vector<double> debt_;                 ///< per nation (borrowing): external debt
  std::vector<double> nation_income_;        ///< per nation (borrowing): income of the last tick
  std::vector<double> spending_;             ///< per nation (borrowing): borrowed and spent this tick
  std::vector<double> keep_;                 ///< per nation (borrowing): share of income its agents keep after interest
  std::vector<std::uint8_t> program_;        ///< per nation (borrowing): under a lender's program
  std::vector<double> nation_taxes_;         ///< scratch: per nation, firms' taxes this tick
  std::vector<double> nation_remitted_;      ///< scratch: per nation, profits remitted to it this tick
  double outflow_share_ = 0.0;
  double outflow_ = 0.0;     ///< profit remitted across borders by the last pay()
  std::uint64_t ticks_ = 0;  ///< ticks stepped (the price elasticity's trend)
};

}  // namespace glocal::economy
