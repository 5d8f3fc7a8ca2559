#include "processes/economy/production.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "glocal/model/scenario.hpp"
#include "glocal/process_api.hpp"
#include "processes/economy/economy.hpp"

namespace glocal::economy {

namespace {
constexpr std::uint32_t kIdle = std::numeric_limits<std::uint32_t>::max();  ///< a firm with nowhere to produce
}

void declare_production(ProcessDefinition<EconomyProcess, Parameters>& d) {
  using P = Parameters;
  // Every key but the switch itself (and the poverty line, which also measures wealth) applies
  // only with production: read by the schema's warnings, the process's check and the dashboard's
  // levers.
  const auto with_production = [](ProcessDefinition<EconomyProcess, Parameters>& key) -> ProcessDefinition<EconomyProcess, Parameters>& {
    return key.applies_when("economy.production", {"true"});
  };
  d.parameter("production", &P::on,
              "Production, jobs and firms: each tick every agent earns income (a full job: its nation's productivity A_n; "
              "underemployed: economy.underemployed_income x A_n; plus taxes and remitted profits of firms) and adds "
              "economy.save of it to its wealth before trading.");
  with_production(d.parameter("growth", &P::growth, -1.0, 1.0, "per tick",
                              "g: growth of ln A at the productivity frontier (the most productive nation), per tick."))
      .schedulable();
  with_production(d.parameter("catch_up", &P::catch_up, 0.0, 1.0, "per tick",
                              "c: catch-up. growth_model \"frontier\": ln A_n also grows by c (ln A* - ln A_n), A* the frontier "
                              "(Nelson-Phelps); \"absorptive\": the rate of Benhabib-Spiegel logistic absorption: d ln A_n = r^eta (g + c "
                              "(1 - omega + omega theta + lambda F_n) (1 - r)), r = A_n / A*."))
      .schedulable();
  with_production(d.choice("growth_model", &P::growth_model, {{"frontier", GrowthModel::frontier}, {"absorptive", GrowthModel::absorptive}},
                           "How output per worker y_n grows. 'frontier': y_n = A_n, ln A_n grows by economy.growth + economy.catch_up "
                           "(ln A* - ln A_n). 'absorptive' (docs/model/growth.md): y_n = A_n k_n^alpha, capital per worker from "
                           "investment, depreciation and population growth (Solow), technology A_n absorbed from the frontier as far as "
                           "the nation's capacity (its relative technology r^eta), openness and foreign firms allow (Benhabib & Spiegel "
                           "2005; Borensztein, De Gregorio & Lee 1998), and rare disasters (Barro 2006)."));
  with_production(d.parameter("investment", &P::investment, 0.001, 1.0, "share of output",
                              "s (absorptive): the share of each nation's output invested in its capital a tick."))
      .schedulable();
  with_production(
      d.parameter("depreciation", &P::depreciation, 0.0, 1.0, "per tick", "delta (absorptive): the share of capital lost a tick."));
  with_production(
      d.parameter("capital_share", &P::capital_share, 0.0, 0.9, "exponent", "alpha (absorptive): output per worker y = A k^alpha."));
  with_production(
      d.parameter("capacity", &P::capacity, 0.0, 10.0, "exponent",
                  "eta (absorptive): capacity r^eta of a nation whose technology is r = A_n / A* of the frontier's; it scales "
                  "both its own innovation (economy.growth) and its absorption (0: every nation alike; 1: nations below r* = g / "
                  "(c q) fall behind, those above converge)."));
  with_production(
      d.parameter("capacity_renewal", &P::capacity_renewal, 0.0, 1.0, "per tick",
                  "kappa (absorptive): the share of a nation's absorptive capacity renewed a tick. Capacity is H^eta, and H follows the "
                  "nation's relative technology r as H <- (1 - kappa) H + kappa r (1: H = r at once). Below 1 a disaster lowers r at once "
                  "but H, like a population's schooling, only as cohorts renew (Benhabib & Spiegel: capacity is human capital)."));
  with_production(d.parameter(
      "openness_effect", &P::openness_effect, 0.0, 1.0, "share",
      "omega (absorptive): the share of absorption that needs openness: it is scaled by 1 - omega + omega x economy.openness."));
  with_production(d.parameter("fdi_spillover", &P::fdi_spillover, 0.0, 1.0e3, "per foreign job per head",
                              "lambda (absorptive): absorption added by foreign firms, times the nation's foreign jobs per head."))
      .schedulable();
  with_production(d.parameter("disaster_rate", &P::disaster_rate, 0.0, 1.0, "per tick",
                              "p (absorptive): probability a tick that a nation suffers a disaster (war, collapse, crisis): its ln A drops "
                              "for good by a size uniform on [b/2, 3b/2]."))
      .schedulable();
  with_production(
      d.parameter("disaster_size", &P::disaster_size, 0.0, 5.0, "ln A", "b (absorptive): the mean drop of ln A in a disaster."));
  with_production(
      d.parameter("growth_shock", &P::growth_shock, 0.0, 1.0, "ln A per tick",
                  "sigma (absorptive): each nation's growth of ln A gets a shock e_t = rho e_(t-1) + sigma xi_t, xi standard normal "
                  "(growth rates persist little and shocks move them: Easterly, Kremer, Pritchett & Summers 1993)."));
  with_production(d.parameter("growth_persistence", &P::growth_persistence, 0.0, 0.99, "per tick",
                              "rho (absorptive): the persistence of the growth shock."));
  with_production(
      d.parameter("volatility_scaling", &P::volatility_scaling, 0.0, 1.0, "exponent",
                  "gamma (absorptive): a nation's growth shocks and disaster sizes scale by (Y_n / mean Y)^-gamma, Y_n its output "
                  "(agents x output per worker): larger economies are less volatile. Canning, Amaral, Lee, Meyer & Stanley (1998) "
                  "find the standard deviation of growth falling with GDP with an exponent near 0.15."));
  with_production(
      d.parameter("frontier_share", &P::frontier_share, 0.0, 1.0, "share of agents",
                  "Only nations holding at least this share of the world's agents lead: the frontier technology A* (absorptive "
                  "growth) and the reference price level y* are the leader's among them (all nations if none qualifies). In 1960 "
                  "the leader is the United States, not Qatar or Kuwait, whose oil rents are not a technology others absorb; "
                  "a nation above the frontier converges down to it."));
  with_production(d.parameter("price_elasticity", &P::price_elasticity, 0.0, 2.0, "elasticity",
                              "beta: each nation's price level is (y_n / y*)^beta (Balassa-Samuelson; y* the most productive nation's), "
                              "which converts incomes at PPP to market exchange rates (the *_xr metrics)."))
      .schedulable();
  with_production(
      d.parameter("price_elasticity_trend", &P::price_elasticity_trend, -0.1, 0.1, "per tick",
                  "beta's change a tick: after t ticks the price level is (y_n / y*)^(beta + t x this) (the Penn effect's drift over "
                  "time; Ravallion 2010 finds it has changed between ICP rounds)."));
  with_production(d.choice("jobs", &P::jobs, {{"fixed", Jobs::fixed}, {"demand", Jobs::demand}},
                           "Where a locality's jobs besides firms' and projects' come from. 'fixed': the share economy.local_jobs of its "
                           "agents. 'demand': the most its agents' spending pays for (docs/model/economy.md, \"Jobs from demand\"): each "
                           "buys its subsistence economy.subsistence first, spends economy.formal_share of the rest of its consumption on "
                           "formal goods and services and invests its saving (economy.save) at home, and a job costs the nation's output "
                           "per worker; underemployment is then an outcome (Stone-Geary demand; Gollin, Parente & Rogerson 2002; the "
                           "local multiplier of jobs paid from outside, Moretti 2010)."));
  with_production(d.parameter("local_jobs", &P::local_jobs, 0.0, 1.0, "share",
                              "s: jobs from local demand, as a share of each locality's agents (floor(s P); economy.jobs = \"fixed\")."))
      .schedulable();
  with_production(d.parameter("subsistence", &P::subsistence, 0.0, 1.0e9, "money per tick",
                              "gamma (economy.jobs = \"demand\"): the subsistence consumption each agent buys first, from the "
                              "underemployed's own sector, before it spends on formal goods (Stone-Geary). The real world uses the "
                              "World Bank's line, 1.90 dollars a day at 2011 PPP: 0.694 thousand a year."))
      .schedulable();
  with_production(
      d.parameter("borrowing", &P::borrowing, 0.0, 1.0, "share of income",
                  "psi (economy.jobs = \"demand\"): a nation outside a lender's program and not of group \"north\" (which borrows in "
                  "its own currency) borrows psi (1 - y_n / y*) of its "
                  "income a tick (y_n / y* its output per worker over the frontier's: capital flows to where it is "
                  "scarce), spends it on its formal goods and rolls its interest over: D <- (1 + r) D + L. Under a program "
                  "(governance.debt_threshold) it borrows nothing and pays r D out of its agents' incomes."))
      .schedulable();
  with_production(d.parameter("service_cap", &P::service_cap, 0.0, 1.0, "share of income",
                              "kappa: under a lender's program a nation pays at most this share of its income a tick in interest; what "
                              "it cannot pay is added to its debt (rescheduled). The debtors of the 1980s paid a few per cent of their "
                              "GNP in interest."));
  with_production(d.parameter("interest_rate", &P::interest_rate, -0.5, 1.0, "per tick",
                              "r: the world's real interest rate on external debt (schedule it: the real world uses the US real "
                              "short rate, whose jump in 1981 set off the debt crisis)."))
      .schedulable();
  with_production(d.parameter("formal_share", &P::formal_share, 0.0, 1.0, "share",
                              "beta_M (economy.jobs = \"demand\"): the share of consumption above subsistence bought from the formal "
                              "sector, whose jobs it pays for (the rest buys the informal sector's goods)."))
      .schedulable();
  with_production(d.parameter("underemployed_income", &P::underemployed_income, 0.0, 1.0, "share of A_n",
                              "u: an underemployed agent's income, in units of its nation's A_n."));
  with_production(d.parameter("save", &P::save, 0.0, 1.0, "share", "Share of each tick's income added to wealth."));
  with_production(d.parameter("wage_dispersion", &P::wage_dispersion, 0.0, 3.0, "sd of ln ability",
                              "sigma: each agent's labour income (a job's wage and the underemployed's income) is scaled by its ability "
                              "h = exp(sigma z - sigma^2 / 2), z standard normal, drawn at birth (mean 1): the lognormal law of earnings "
                              "(Gibrat 1931; Aitchison & Brown 1957), Gini 2 Phi(sigma / sqrt 2) - 1 within a group of equal jobs."));
  with_production(d.parameter(
      "livelihood", &P::livelihood, 0.0, 1.0, "share",
      "lambda: share of an underemployed agent's income that comes from the local resource: with [ecology] it is scaled "
      "by 1 - lambda + lambda x the locality's integrity R / K at the end of the previous tick, and by 1 - lambda for an agent a "
      "project displaced."));
  with_production(d.parameter("capital_return", &P::capital_return, -1.0, 1.0, "per tick",
                              "r: every agent earns r times its wealth a tick (a debt costs as much): capital income."))
      .schedulable();
  with_production(
      d.parameter("firms", &P::firms, 0, 1.0e7, "firms",
                  "Transnational firms: home nations in proportion to output at tick 0; each produces in one locality, employing "
                  "economy.firm_jobs of its agents."));
  with_production(d.parameter("firm_jobs", &P::firm_jobs, 0.0, 1.0, "share",
                              "j: jobs a firm creates, as a share of its host locality's agents (schedulable: at 0 firms employ nobody and "
                              "earn nothing, so a schedule can bring them into a world at a date)."))
      .schedulable();
  with_production(d.parameter("firm_productivity", &P::firm_productivity, 0.0, 1.0e3, "home A",
                              "phi: a firm's output per worker, in units of its home nation's A (the technology it carries abroad)."));
  with_production(
      d.parameter("absorption", &P::absorption, 0.0, 1.0, "exponent",
                  "beta: how much of a firm's technology depends on its host: output per worker phi A_home^(1 - beta) A_host^beta "
                  "(0: fully portable; with beta > 0 the best host is a middle-income nation, not the poorest)."));
  with_production(d.parameter("openness", &P::openness, 0.0, 1.0, "weight",
                              "theta: a firm weighs a return abroad by this against one at home (0: firms stay home; 1: capital "
                              "goes wherever the return is highest)."))
      .schedulable();
  with_production(d.parameter("redistribution_tax", &P::redistribution_tax, 0.0, 1.0e3, "tax per unit of chi",
                              "k: national redistribution is financed by capital: a firm's profit is taxed at economy.tax + k x the host "
                              "nation's chi (at most 1), so redistribution enters firms' choice of host."))
      .schedulable();
  with_production(d.parameter("closed_localities", &P::closed_localities, 0.0, 1.0, "share of localities",
                              "Localization: the share of localities that admit no firm from another nation (each locality's fixed "
                              "uniform draw below it; raising the share closes more). A firm already there stays until it moves."))
      .schedulable();
  with_production(d.parameter("mobility", &P::mobility, 0.0, 1.0, "per tick",
                              "Probability a tick that a firm reconsiders where it produces (firm mobility)."))
      .schedulable();
  with_production(
      d.parameter("tax", &P::tax, 0.0, 1.0, "share", "tau: tax on a firm's positive profit, shared equally by the host nation's agents."))
      .schedulable();
  with_production(d.parameter("regulation", &P::regulation, 0.0, 100.0, "host A per job",
                              "rho: regulation cost per job, in units of the host nation's A."))
      .schedulable();
  with_production(d.parameter("culture_weight", &P::culture_weight, 0.0, 1.0, "weight",
                              "mu: sales per job scale as 1 - mu + mu overlap / F, the overlap of the firm's product culture with its host "
                              "locality's modal culture (needs [culture]; without it sales do not depend on culture)."));
  with_production(
      d.choice("acceptance", &P::acceptance, {{"margin", Acceptance::margin}, {"sales", Acceptance::sales}},
               "What a product's cultural fit m = 1 - mu + mu overlap / F moves: 'margin' (the sales, so the profit, of each "
               "job: m phi A) or 'sales' (how much of the locality's market buys it, so how many it employs: floor(j P m) jobs, "
               "each selling phi A; firms rank hosts by m times the return per job). Cultural distance lowers trade and "
               "investment (Guiso, Sapienza & Zingales 2009; Felbermayr & Toubal 2010)."));
  with_production(d.parameter("adaptation", &P::adaptation, 0.0, 1.0, "per tick",
                              "alpha: probability a tick that a firm moves one feature of its product culture to its host locality's "
                              "modal trait (the glocal strategy; needs [culture])."))
      .schedulable();
  with_production(
      d.choice("measure", &P::measure, {{"wealth", Measure::wealth}, {"income", Measure::income}},
               "What the inequality metrics (gini, top1_share, quintile_ratio, country_ratio, theil*, poverty) measure: wealth, "
               "or the last tick's income (needs economy.production)."));
  d.parameter("poverty_line", &P::poverty_line, 0.0, 10.0, "share of median",
              "poverty: share of agents below this fraction of the world median.");
}

Production::Production(const ProductionParameters& parameters, const Places& places, std::vector<double> productivity,
                       CultureMarket* culture, const Rng& rng)
    : parameters_(parameters), places_(&places), culture_(culture) {
  const std::uint32_t nations = places.count(Scale::nation);
  const std::uint32_t localities = places.count(Scale::locality);
  log_productivity_.resize(nations);
  policies_ = std::make_shared<PolicyTable>(nations, Policy{0.0, parameters_.tax, parameters_.regulation});
  for (std::uint32_t n = 0; n < nations; ++n) log_productivity_[n] = std::log(productivity[n]);
  nation_of_locality_.resize(localities);
  entry_draw_.resize(localities);
  for (std::uint32_t l = 0; l < localities; ++l) entry_draw_[l] = uniform_unit(rng.block(l, 0, Purpose::economy_init, 2)[0]);
  local_jobs_.resize(localities);
  foreign_jobs_.assign(localities, 0);
  firm_count_.assign(localities, 0);
  order_.resize(places.agents());
  std::iota(order_.begin(), order_.end(), AgentIndex{0});
  for (std::uint32_t l = 0; l < localities; ++l) {
    const AgentRange place = places.place(Scale::locality, l);
    nation_of_locality_[l] = places.enclosing(Scale::locality, l, Scale::nation);
    local_jobs_[l] = demand_jobs() ? 0 : static_cast<std::uint32_t>(std::floor(parameters_.local_jobs * static_cast<double>(place.size)));
    for (AgentIndex k = place.size; k-- > 1;) {  // Fisher-Yates: the locality's fixed employment order
      const auto j = static_cast<AgentIndex>(uniform_below(rng.block(place.first + k, 0, Purpose::economy_init, 1)[0], k + 1));
      std::swap(order_[place.first + k], order_[place.first + j]);
    }
  }
  if (parameters_.wage_dispersion > 0.0) {
    ability_.resize(places.agents());
    for (AgentIndex i = 0; i < places.agents(); ++i) ability_[i] = draw_ability(rng.block(i, 0, Purpose::economy_init, 3));
  }
  if (demand_jobs()) {
    match_start_income();
    for (std::uint32_t n = 0; n < nations; ++n) productivity[n] = std::exp(log_productivity_[n]);
  }
  if (parameters_.growth_model == GrowthModel::absorptive) {
    // Each nation starts with the capital-output ratio s / (delta + 0.04) of a world whose output
    // grows about 4 % a year (2 % people, 2 % per head); its technology is what that leaves of y.
    const double ratio = parameters_.investment / (parameters_.depreciation + 0.04);
    log_tfp_.resize(nations);
    capital_.resize(nations);
    population_growth_.assign(nations, 0.0);
    shock_.assign(nations, 0.0);
    capacity_stock_.assign(nations, -1.0);  // set to r at the first tick
    for (std::uint32_t n = 0; n < nations; ++n) {
      capital_[n] = ratio * productivity[n];
      log_tfp_[n] = log_productivity_[n] - parameters_.capital_share * std::log(capital_[n]);
    }
  }
  employed_.assign(places.agents(), 0);
  if (parameters_.borrowing > 0.0) {
    debt_.assign(nations, 0.0);
    nation_income_.assign(nations, 0.0);
    spending_.assign(nations, 0.0);
    keep_.assign(nations, 1.0);
    program_.assign(nations, 0);
  }
  nation_taxes_.resize(nations);
  nation_remitted_.resize(nations);
  features_ = culture_ != nullptr ? culture_->culture_features() : 0;
  if (culture_ != nullptr) culture_->locality_modes(modes_);

  // Firms' home nations in proportion to output at tick 0 (population x A_n), largest remainders.
  std::vector<double> output(nations);
  for (std::uint32_t n = 0; n < nations; ++n) output[n] = static_cast<double>(places.place(Scale::nation, n).size) * productivity[n];
  const double total = std::accumulate(output.begin(), output.end(), 0.0);
  std::vector<std::uint32_t> quota(nations);
  std::vector<std::pair<double, std::uint32_t>> remainders;
  std::uint32_t assigned = 0;
  for (std::uint32_t n = 0; n < nations; ++n) {
    const double exact = parameters_.firms * output[n] / total;
    quota[n] = static_cast<std::uint32_t>(std::floor(exact));
    assigned += quota[n];
    remainders.emplace_back(-(exact - quota[n]), n);
  }
  std::sort(remainders.begin(), remainders.end());
  for (std::uint32_t k = 0; assigned < parameters_.firms; ++k, ++assigned) ++quota[remainders[k % nations].second];
  for (std::uint32_t n = 0; n < nations; ++n) {
    for (std::uint32_t k = 0; k < quota[n]; ++k) firms_.push_back({n, kIdle});
  }
  // Each firm starts with its home's culture (the modal culture of the home nation's first
  // locality) and produces at home where there is room (the best such locality), else idles
  // until it moves.
  products_.assign(static_cast<std::size_t>(firms_.size()) * features_, 0);
  for (std::uint32_t f = 0; f < firms_.size(); ++f) {
    const AgentRange home = places.place(Scale::nation, firms_[f].home);
    const std::uint32_t first_locality = places.place_of(home.first, Scale::locality);
    if (features_ > 0)
      std::copy_n(modes_.data() + static_cast<std::size_t>(first_locality) * features_, features_,
                  products_.data() + static_cast<std::size_t>(f) * features_);
    double best = -std::numeric_limits<double>::infinity();
    for (std::uint32_t l = first_locality; l < localities && nation_of_locality_[l] == firms_[f].home; ++l) {
      const AgentRange place = places.place(Scale::locality, l);
      if (reserved_jobs(l) + firm_jobs_at(l) * (firm_count_[l] + 1) > place.size) continue;
      if (const double s = score(f, l); s > best) {
        best = s;
        firms_[f].host = l;
      }
    }
    if (firms_[f].host != kIdle) ++firm_count_[firms_[f].host];
  }
  on_sale_.assign(localities, 0);
  sale_products_.assign(static_cast<std::size_t>(localities) * features_, 0);
}

std::uint32_t Production::firm_jobs_at(std::uint32_t locality) const noexcept {
  return static_cast<std::uint32_t>(
      std::floor(parameters_.firm_jobs * static_cast<double>(places_->place(Scale::locality, locality).size)));
}

std::uint32_t Production::jobs_of(std::uint32_t firm, std::uint32_t locality) const noexcept {
  if (!sales_acceptance()) return firm_jobs_at(locality);
  return static_cast<std::uint32_t>(std::floor(parameters_.firm_jobs * static_cast<double>(places_->place(Scale::locality, locality).size) *
                                               market_factor(firm, locality)));
}

double Production::productivity_of(std::uint32_t nation) const noexcept { return std::exp(log_productivity_[nation]) * output_factor_; }

double Production::market_factor(std::uint32_t firm, std::uint32_t locality) const noexcept {
  if (features_ == 0 || parameters_.culture_weight == 0.0) return 1.0;
  const std::uint8_t* product = products_.data() + static_cast<std::size_t>(firm) * features_;
  const std::uint8_t* local = modes_.data() + static_cast<std::size_t>(locality) * features_;
  std::uint32_t same = 0;
  for (std::uint32_t k = 0; k < features_; ++k) same += product[k] == local[k] ? 1U : 0U;
  return 1.0 - parameters_.culture_weight + parameters_.culture_weight * static_cast<double>(same) / static_cast<double>(features_);
}

double Production::profit_per_job(std::uint32_t firm, std::uint32_t locality) const noexcept {
  const double home = productivity_of(firms_[firm].home);
  const double host = productivity_of(nation_of_locality_[locality]);
  const double technology =
      parameters_.absorption == 0.0 ? home : std::pow(home, 1.0 - parameters_.absorption) * std::pow(host, parameters_.absorption);
  const double sales = sales_acceptance() ? 1.0 : market_factor(firm, locality);  // margin: m scales sales per job
  return parameters_.firm_productivity * technology * sales - (1.0 + (*policies_)[nation_of_locality_[locality]].regulation) * host;
}

double Production::score(std::uint32_t firm, std::uint32_t locality) const noexcept {
  const bool home = nation_of_locality_[locality] == firms_[firm].home;
  if (!home && entry_draw_[locality] < parameters_.closed_localities) return -std::numeric_limits<double>::infinity();  // closed to it
  const double weight = home ? 1.0 : parameters_.openness;
  const double score = weight * after_tax(profit_per_job(firm, locality), nation_of_locality_[locality]);
  // Sales acceptance: the firm sells, and hires, for the share m of the locality's market, so its
  // return per job of the room it takes is m times the return per job.
  return sales_acceptance() ? score * market_factor(firm, locality) : score;
}

void Production::update(const ProductionParameters& parameters, std::string_view key) {
  parameters_ = parameters;
  if (key == "economy.tax") policies_->fill(&Policy::tax, parameters_.tax);
  if (key == "economy.regulation") policies_->fill(&Policy::regulation, parameters_.regulation);
  if (key == "economy.local_jobs" && !demand_jobs()) {
    for (std::uint32_t l = 0; l < local_jobs_.size(); ++l) {
      local_jobs_[l] =
          static_cast<std::uint32_t>(std::floor(parameters_.local_jobs * static_cast<double>(places_->place(Scale::locality, l).size)));
    }
  }
}

void Production::grow(std::uint64_t tick, const Rng& rng) {
  if (parameters_.growth_model == GrowthModel::frontier) {
    const double frontier = *std::max_element(log_productivity_.begin(), log_productivity_.end());
    for (double& a : log_productivity_) a += parameters_.growth + parameters_.catch_up * (frontier - a);
    return;
  }
  // Absorptive growth: investment out of last tick's output, diluted by population growth; then
  // technology, absorbed from the frontier as far as capacity, openness and foreign firms allow.
  const ProductionParameters& p = parameters_;
  const double frontier = log_tfp_[leader(log_tfp_)];
  // Volatility falls with economic size (Canning et al. 1998): shocks scale by (Y_n / mean Y)^-gamma.
  std::vector<double>& volatility = volatility_;
  volatility.assign(log_tfp_.size(), 1.0);
  if (p.volatility_scaling > 0.0) {
    double mean = 0;
    for (std::uint32_t n = 0; n < log_tfp_.size(); ++n) {
      volatility[n] = static_cast<double>(places_->place(Scale::nation, n).size) * std::exp(log_productivity_[n]);
      mean += volatility[n] / static_cast<double>(log_tfp_.size());
    }
    for (double& v : volatility) v = std::pow(v / mean, -p.volatility_scaling);
  }
  for (std::uint32_t n = 0; n < log_tfp_.size(); ++n) {
    const double output = productivity_of(n);  // net of the commons' damage: investment comes out of it (DICE)
    capital_[n] = ((1.0 - p.depreciation) * capital_[n] + p.investment * output) / (1.0 + population_growth_[n]);
    // Benhabib & Spiegel (2005), logistic form: d ln A = H^eta (g + c q (1 - r)), r = A_n / A*,
    // capacity H following r with renewal kappa (H = r at kappa = 1), q the reach of the
    // frontier's technology (openness, foreign firms).
    const double relative = std::exp(log_tfp_[n] - frontier);
    double& stock = capacity_stock_[n];
    stock = stock < 0.0 ? relative : (1.0 - p.capacity_renewal) * stock + p.capacity_renewal * relative;
    const double reach = 1.0 - p.openness_effect + p.openness_effect * p.openness + p.fdi_spillover * foreign_jobs_per_head(n);
    double change = std::pow(stock, p.capacity) * (p.growth + p.catch_up * reach * (1.0 - relative));
    if (p.disaster_rate > 0.0 || p.growth_shock > 0.0) {
      const RandomBlock words = rng.block(n, tick, Purpose::economy_growth);
      if (uniform_unit(words[0]) < p.disaster_rate) {
        change -= volatility[n] * p.disaster_size * (0.5 + uniform_unit(words[1]));
        ++disasters_;
      }
      shock_[n] = p.growth_persistence * shock_[n] + volatility[n] * p.growth_shock * normal_from_words(words[2], words[3]);
      change += shock_[n];
    }
    log_tfp_[n] += change;
    log_productivity_[n] = log_tfp_[n] + p.capital_share * std::log(capital_[n]);
  }
  std::fill(population_growth_.begin(), population_growth_.end(), 0.0);
}

std::uint32_t Production::leader(std::span<const double> log_values) const noexcept {
  const double least = parameters_.frontier_share * static_cast<double>(places_->agents());
  std::uint32_t best = 0;
  bool found = false;
  for (std::uint32_t n = 0; n < log_values.size(); ++n) {
    if (static_cast<double>(places_->place(Scale::nation, n).size) < least) continue;
    if (!found || log_values[n] > log_values[best]) best = n;
    found = true;
  }
  if (found) return best;
  return static_cast<std::uint32_t>(std::max_element(log_values.begin(), log_values.end()) - log_values.begin());
}

double Production::price_level(std::uint32_t nation) const noexcept {
  const double beta = parameters_.price_elasticity + parameters_.price_elasticity_trend * static_cast<double>(ticks_);
  if (beta == 0.0) return 1.0;
  return std::exp(beta * (log_productivity_[nation] - log_productivity_[leader(log_productivity_)]));
}

void Production::move_firms(std::uint64_t tick, const Rng& rng) {
  const std::uint32_t localities = places_->count(Scale::locality);
  for (std::uint32_t f = 0; f < firms_.size(); ++f) {
    if (uniform_unit(rng.block(f, tick, Purpose::economy_firms)[0]) >= parameters_.mobility) continue;
    Firm& firm = firms_[f];
    const std::uint32_t from = firm.host;
    double best = from != kIdle ? score(f, from) : -std::numeric_limits<double>::infinity();
    std::uint32_t to = from;
    for (std::uint32_t l = 0; l < localities; ++l) {
      if (l == from) continue;
      const auto size = places_->place(Scale::locality, l).size;
      if (reserved_jobs(l) + firm_jobs_at(l) * (firm_count_[l] + 1) > size) continue;  // no room for it
      if (const double s = score(f, l); s > best) {
        best = s;
        to = l;
      }
    }
    if (to == from) continue;
    if (from != kIdle) --firm_count_[from];
    ++firm_count_[to];
    firm.host = to;
  }
}

void Production::adapt_products(std::uint64_t tick, const Rng& rng) {
  if (features_ == 0) return;
  std::fill(on_sale_.begin(), on_sale_.end(), 0);
  for (std::uint32_t f = 0; f < firms_.size(); ++f) {
    const std::uint32_t l = firms_[f].host;
    if (l == kIdle) continue;
    std::uint8_t* product = products_.data() + static_cast<std::size_t>(f) * features_;
    const std::uint8_t* local = modes_.data() + static_cast<std::size_t>(l) * features_;
    const RandomBlock words = rng.block(f, tick, Purpose::economy_firms);
    if (parameters_.adaptation > 0.0 && uniform_unit(words[1]) < parameters_.adaptation) {
      // One feature, uniform among those where the product differs from the local mode, moves to it.
      std::uint32_t differing = 0;
      for (std::uint32_t k = 0; k < features_; ++k) differing += product[k] != local[k] ? 1U : 0U;
      if (differing > 0) {
        auto pick = static_cast<std::uint32_t>(uniform_below(words[2], differing));
        for (std::uint32_t k = 0; k < features_; ++k) {
          if (product[k] == local[k]) continue;
          if (pick-- == 0) {
            product[k] = local[k];
            break;
          }
        }
      }
    }
    if (on_sale_[l] == 0) {  // the first firm producing in a locality is the one whose culture is on sale there
      on_sale_[l] = 1;
      std::copy_n(product, features_, sale_products_.data() + static_cast<std::size_t>(l) * features_);
    }
  }
  culture_->set_products(sale_products_, on_sale_);
}

void Production::employ(std::span<const double> transfers) {
  // Each firm's jobs where it produces (jobs_of: its share of the market with sales acceptance).
  foreign_jobs_.assign(foreign_jobs_.size(), 0);
  firm_jobs_here_.assign(local_jobs_.size(), 0);
  for (std::uint32_t f = 0; f < firms_.size(); ++f) {
    const std::uint32_t l = firms_[f].host;
    if (l == kIdle) continue;
    const std::uint32_t jobs = jobs_of(f, l);
    firm_jobs_here_[l] += jobs;
    if (nation_of_locality_[l] != firms_[f].home) foreign_jobs_[l] += jobs;
  }
  const std::span<const double> projects = environment_ != nullptr ? environment_->locality_project_jobs() : std::span<const double>();
  for (std::uint32_t l = 0; l < local_jobs_.size(); ++l) {
    const AgentRange place = places_->place(Scale::locality, l);
    const auto project =
        projects.empty() ? std::uint64_t{0} : static_cast<std::uint64_t>(std::floor(projects[l] * static_cast<double>(place.size)));
    if (demand_jobs()) {
      local_jobs_[l] = jobs_from_demand(l, std::min<std::uint64_t>(place.size, std::uint64_t{firm_jobs_here_[l]} + project), transfers);
    }
    const auto jobs = std::min<std::uint64_t>(place.size, std::uint64_t{local_jobs_[l]} + firm_jobs_here_[l] + project);
    for (AgentIndex k = 0; k < place.size; ++k) employed_[order_[place.first + k]] = k < jobs ? 1 : 0;
  }
}

void Production::step(std::uint64_t tick, const Rng& rng, std::span<double> income, std::span<double> wealth) {
  ++ticks_;
  output_factor_ = environment_ != nullptr ? 1.0 - environment_->output_damage() : 1.0;
  grow(tick, rng);
  if (culture_ != nullptr && !firms_.empty()) culture_->locality_modes(modes_);
  move_firms(tick, rng);
  adapt_products(tick, rng);
  if (!debt_.empty()) borrow_and_service(income);
  employ_and_pay(income, wealth);
  double total = 0;
  for (std::size_t i = 0; i < income.size(); ++i) {
    wealth[i] += parameters_.save * income[i];
    total += income[i];
  }
  outflow_share_ = total != 0.0 ? outflow_ / total : 0.0;
}

void Production::measure_start(std::span<double> income, std::span<const double> wealth) {
  employ_and_pay(income, wealth);
  const double total = std::accumulate(income.begin(), income.end(), 0.0);
  outflow_share_ = total != 0.0 ? outflow_ / total : 0.0;
}

Production::Wages Production::wages_at(std::uint32_t locality) const noexcept {
  Wages wages;
  wages.job = productivity_of(nation_of_locality_[locality]);
  const std::span<const double> integrity = environment_ != nullptr ? environment_->locality_integrity() : std::span<const double>();
  const double commons = integrity.empty() ? 1.0 : 1.0 - parameters_.livelihood + parameters_.livelihood * integrity[locality];
  wages.subsistence = parameters_.underemployed_income * wages.job * commons;
  // A displaced agent has lost its access to the commons: the livelihood share of subsistence.
  wages.uprooted = parameters_.underemployed_income * wages.job * (1.0 - parameters_.livelihood);
  if (environment_ != nullptr) wages.displaced = environment_->displaced();
  return wages;
}

void Production::pay(std::span<double> income, std::span<const double> wealth) {
  // Wages, A_n for a full job, u A_n otherwise (partly from the local resource), and the return on wealth.
  for (std::uint32_t l = 0; l < local_jobs_.size(); ++l) {
    const AgentRange place = places_->place(Scale::locality, l);
    const Wages wages = wages_at(l);
    for (AgentIndex i = place.first; i < place.first + place.size; ++i) {
      const double labour = employed_[i] != 0 ? wages.job : wages.without_job(i);
      income[i] = (ability_.empty() ? labour : labour * ability_[i]) + parameters_.capital_return * wealth[i];
    }
  }
  share_firm_income(income, wealth);
  if (!debt_.empty()) {  // interest paid out of incomes under a lender's program
    for (std::uint32_t l = 0; l < local_jobs_.size(); ++l) {
      const double keep = keep_[nation_of_locality_[l]];
      if (keep == 1.0) continue;
      const AgentRange place = places_->place(Scale::locality, l);
      for (AgentIndex i = place.first; i < place.first + place.size; ++i) income[i] *= keep;
    }
  }
}

void Production::borrow_and_service(std::span<const double> income) {
  std::fill(nation_income_.begin(), nation_income_.end(), 0.0);
  for (std::uint32_t l = 0; l < local_jobs_.size(); ++l) {
    const AgentRange place = places_->place(Scale::locality, l);
    nation_income_[nation_of_locality_[l]] += std::accumulate(income.begin() + place.first, income.begin() + place.first + place.size, 0.0);
  }
  const double frontier = productivity_of(leader(log_productivity_));
  for (std::uint32_t n = 0; n < debt_.size(); ++n) {
    const double y = nation_income_[n];
    if (program_[n] != 0) {  // austerity: no new loans; the interest comes out of incomes, at most kappa of them
      spending_[n] = 0.0;
      const double interest = parameters_.interest_rate * debt_[n];
      const double paid = std::clamp(interest, 0.0, parameters_.service_cap * std::max(0.0, y));
      debt_[n] += interest - paid;  // what cannot be paid is rescheduled (a negative rate lowers the debt)
      keep_[n] = y > 0.0 ? 1.0 - paid / y : 1.0;
      continue;
    }
    // Capital flows to where it is scarce: the further behind the frontier, the more a nation
    // borrows abroad; the North borrows in its own currency, so owes nothing abroad (Eichengreen &
    // Hausmann's original sin is the South's).
    const double scarcity = places_->nation_group(n) == NationGroup::north ? 0.0 : std::max(0.0, 1.0 - productivity_of(n) / frontier);
    spending_[n] = parameters_.borrowing * scarcity * std::max(0.0, y);
    debt_[n] = (1.0 + parameters_.interest_rate) * debt_[n] + spending_[n];
    keep_[n] = 1.0;
  }
}

void Production::employ_and_pay(std::span<double> income, std::span<const double> wealth) {
  if (demand_jobs()) {  // what agents spend besides their wages, before the jobs are known
    transfers_.resize(income.size());
    for (std::size_t i = 0; i < income.size(); ++i) transfers_[i] = parameters_.capital_return * wealth[i];
    share_firm_income(transfers_, wealth);
  }
  employ(transfers_);
  pay(income, wealth);
}

void Production::match_start_income() {
  // With demand jobs a nation's income per head is a h (e + u (1 - e)) (h its mean ability) and
  // its employment e rises with a, so the output per worker a that gives the nation's given income
  // per head y (the data's GDP per head) lies in [y / h, y / (u h)]: bisection on ln a, the jobs
  // from demand at each trial (no firms, projects or transfers yet).
  const std::vector<double> none(places_->agents(), 0.0);
  for (std::uint32_t n = 0; n < places_->count(Scale::nation); ++n) {
    const double target = std::exp(log_productivity_[n]);
    const AgentRange nation = places_->place(Scale::nation, n);
    const Places::IndexRange localities = places_->within(nation, Scale::locality);
    const auto income_at = [&](double log_a) {
      log_productivity_[n] = log_a;
      double total = 0;
      for (std::uint32_t l = localities.first; l <= localities.last; ++l) {
        const AgentRange place = places_->place(Scale::locality, l);
        const Wages wages = wages_at(l);
        const std::uint32_t jobs = jobs_from_demand(l, 0, none);
        for (AgentIndex k = 0; k < place.size; ++k) {
          const AgentIndex i = order_[place.first + k];
          total += (k < jobs ? wages.job : wages.subsistence) * ability(i);
        }
      }
      return total / static_cast<double>(nation.size);
    };
    // Income per head lies between u a h and a h, h the nation's mean ability (1 without dispersion).
    double ability_sum = 0;
    for (AgentIndex i = nation.first; i < nation.first + nation.size; ++i) ability_sum += ability(i);
    double low = std::log(target) - std::log(ability_sum / static_cast<double>(nation.size));
    double high = parameters_.underemployed_income > 0.0 ? low - std::log(parameters_.underemployed_income) : low + 50.0;
    for (int k = 0; k < 64 && high - low > 1e-15; ++k) {
      const double middle = 0.5 * (low + high);
      (income_at(middle) < target ? low : high) = middle;
    }
    log_productivity_[n] = high;
  }
}

double Production::draw_ability(const RandomBlock& words) const noexcept {
  const double sigma = parameters_.wage_dispersion;
  return std::exp(sigma * normal_from_words(words[0], words[1]) - 0.5 * sigma * sigma);
}

double Production::formal_spending(double income) const noexcept {
  const double save = parameters_.save;
  return parameters_.formal_share * std::max(0.0, (1.0 - save) * income - parameters_.subsistence) + save * std::max(0.0, income);
}

std::uint32_t Production::jobs_from_demand(std::uint32_t locality, std::uint64_t basic, std::span<const double> transfers) const {
  // D(E): the formal spending of the locality's agents when the first basic + E of its order hold
  // jobs; W(E) the wages of those E local jobs (a each, a h_i with wage dispersion). Both rise with
  // E; the local jobs are the largest E with D(E) >= W(E) (the greatest fixed point: the jobs pay
  // for themselves), found by lowering E from all the room there is.
  const AgentRange place = places_->place(Scale::locality, locality);
  const Wages wages = wages_at(locality);
  const double a = wages.job;
  const AgentIndex* order = order_.data() + place.first;
  // What the nation borrowed and spends here (by agents), and the share of income its agents keep
  // after interest; then, with everyone employed who could be (the first `basic`, firms' and
  // projects', and all the room), their own spending.
  const std::uint32_t nation = nation_of_locality_[locality];
  double demand = 0;
  double keep = 1.0;
  if (!debt_.empty()) {
    demand = spending_[nation] * static_cast<double>(place.size) / static_cast<double>(places_->place(Scale::nation, nation).size);
    keep = keep_[nation];
  }
  // Income redistribution's rule: what an agent spends from a pre-tax income x is slope x + intercept.
  const double slope = net_slope_.empty() ? 1.0 : net_slope_[locality];
  const double intercept = net_intercept_.empty() ? 0.0 : net_intercept_[locality];
  const auto spent = [&](double x) { return formal_spending(slope * (keep * x) + intercept); };
  for (AgentIndex k = 0; k < place.size; ++k) demand += spent(a * ability(order[k]) + transfers[order[k]]);
  auto room = static_cast<AgentIndex>(place.size - basic);
  double bill = 0;
  for (AgentIndex k = 0; k < room; ++k) bill += a * ability(order[basic + k]);
  while (room > 0 && demand < bill) {  // one job fewer, its wage and its spending
    const AgentIndex i = order[basic + --room];
    const double h = ability(i);
    bill -= a * h;
    demand -= spent(a * h + transfers[i]) - spent(wages.without_job(i) * h + transfers[i]);
  }
  return room;
}

void Production::share_firm_income(std::span<double> income, std::span<const double> wealth) {
  const std::uint32_t nations = places_->count(Scale::nation);
  // Firms: the tax to the host nation, the rest of the profit to the home nation's owners.
  std::vector<double>& taxes = nation_taxes_;
  std::vector<double>& remitted = nation_remitted_;
  std::fill(taxes.begin(), taxes.end(), 0.0);
  std::fill(remitted.begin(), remitted.end(), 0.0);
  double outflow = 0;
  for (std::uint32_t f = 0; f < firms_.size(); ++f) {
    const std::uint32_t l = firms_[f].host;
    if (l == kIdle) continue;
    const double profit = profit_per_job(f, l) * jobs_of(f, l);
    const double kept = after_tax(profit, nation_of_locality_[l]);
    taxes[nation_of_locality_[l]] += profit - kept;
    remitted[firms_[f].home] += kept;
    if (nation_of_locality_[l] != firms_[f].home) outflow += kept;
  }
  for (std::uint32_t n = 0; n < nations; ++n) {
    if (taxes[n] == 0.0 && remitted[n] == 0.0) continue;  // nothing to share out (no firm here, none from here)
    const AgentRange place = places_->place(Scale::nation, n);
    const double per_head = taxes[n] / static_cast<double>(place.size);
    double owned = 0;
    for (AgentIndex i = place.first; i < place.first + place.size; ++i) owned += std::max(wealth[i], 0.0);
    for (AgentIndex i = place.first; i < place.first + place.size; ++i) {
      const double share = owned > 0.0 ? std::max(wealth[i], 0.0) / owned : 1.0 / static_cast<double>(place.size);
      income[i] += per_head + remitted[n] * share;
    }
  }
  outflow_ = outflow;
}

double Production::underemployment(AgentRange place) const noexcept {
  if (place.size == 0) return std::numeric_limits<double>::quiet_NaN();
  std::uint64_t jobs = 0;
  for (AgentIndex i = place.first; i < place.first + place.size; ++i) jobs += employed_[i];
  return 1.0 - static_cast<double>(jobs) / static_cast<double>(place.size);
}

void Production::renew(const Renewal& renewal, const Rng& rng) {
  std::vector<AgentIndex> order;
  order.reserve(renewal.agents());
  std::size_t next_born = 0;
  for (std::uint32_t l = 0; l + 1 < renewal.locality_first.size(); ++l) {
    const AgentIndex first = renewal.locality_first[l];
    const AgentIndex end = renewal.locality_first[l + 1];
    [[maybe_unused]] const std::size_t start = order.size();
    std::size_t newborns = 0;
    while (next_born + newborns < renewal.born.size() && renewal.born[next_born + newborns] < end) ++newborns;
    std::vector<AgentIndex> survivors;  // in their old order
    for (AgentIndex k = renewal.locality_first_before[l]; k < renewal.locality_first_before[l + 1]; ++k) {
      const AgentIndex now = renewal.after[order_[k]];
      if (now != Renewal::kDead) survivors.push_back(now);
    }
    // Selection sampling: each of the size places is a newborn's with probability (newborns
    // left) / (places left), so the newborns' places are a uniform subset.
    RandomStream stream(rng, l, renewal.tick, Purpose::employment_renewal);
    std::size_t left = newborns;
    std::size_t taken_survivors = 0;
    std::size_t taken_born = 0;
    const std::size_t size = end - first;
    for (std::size_t place = 0; place < size; ++place) {
      const bool born = left > 0 && stream.next_below(size - place) < left;
      if (born) {
        order.push_back(renewal.born[next_born + taken_born++]);
        --left;
      } else {
        order.push_back(survivors[taken_survivors++]);
      }
    }
    GLOCAL_ASSERT(order.size() - start == size, "every agent of the locality has one place in the order");
    local_jobs_[l] = static_cast<std::uint32_t>(std::floor(parameters_.local_jobs * static_cast<double>(size)));
    next_born += newborns;
  }
  order_ = std::move(order);
  employed_.assign(renewal.agents(), 0);
  if (!ability_.empty()) {  // survivors keep theirs; each newborn draws its own: block (k, tick, demography_birth, 2)
    renewal.gather(ability_);
    for (std::size_t k = 0; k < renewal.born.size(); ++k) {
      ability_[renewal.born[k]] = draw_ability(rng.block(k, renewal.tick, Purpose::demography_birth, 2));
    }
  }
  if (!population_growth_.empty()) {  // capital per worker is diluted by the nation's growth
    std::vector<double> before(population_growth_.size(), 0.0);
    std::vector<double> after(population_growth_.size(), 0.0);
    for (std::uint32_t l = 0; l + 1 < renewal.locality_first.size(); ++l) {
      before[nation_of_locality_[l]] += renewal.locality_first_before[l + 1] - renewal.locality_first_before[l];
      after[nation_of_locality_[l]] += renewal.locality_first[l + 1] - renewal.locality_first[l];
    }
    for (std::size_t n = 0; n < before.size(); ++n) population_growth_[n] = after[n] / before[n] - 1.0;
  }
}

double Production::foreign_jobs_per_head(std::uint32_t nation) const noexcept {
  const AgentRange range = places_->place(Scale::nation, nation);
  const auto [first, last] = places_->within(range, Scale::locality);
  std::uint64_t jobs = 0;
  for (std::uint32_t l = first; l <= last; ++l) jobs += foreign_jobs_[l];
  return static_cast<double>(jobs) / static_cast<double>(range.size);
}

double Production::mean_profit_per_job(std::uint32_t nation) const noexcept {
  const std::uint32_t locality = places_->within(places_->place(Scale::nation, nation), Scale::locality).first;
  double profit = 0;
  for (std::uint32_t f = 0; f < firms_.size(); ++f) profit += profit_per_job(f, locality);
  return profit / static_cast<double>(firms_.size());
}

double Production::firm_job_value(std::uint32_t nation) const noexcept {
  if (firms_.empty()) return 0.0;
  const double profit = mean_profit_per_job(nation);
  if (profit <= 0.0) return std::numeric_limits<double>::infinity();
  return (1.0 - parameters_.underemployed_income) * productivity_of(nation) / profit;
}

double Production::regulation_cost_share(std::uint32_t nation) const noexcept {
  if (firms_.empty()) return 0.0;
  const double host = productivity_of(nation);
  const double profit = mean_profit_per_job(nation) + (*policies_)[nation].regulation * host;  // before the regulation cost
  if (profit <= 0.0) return std::numeric_limits<double>::infinity();
  return host / profit;
}

double Production::foreign_job_share() const noexcept {
  const std::uint64_t jobs = std::accumulate(employed_.begin(), employed_.end(), std::uint64_t{0});
  const std::uint64_t foreign = std::accumulate(foreign_jobs_.begin(), foreign_jobs_.end(), std::uint64_t{0});
  return jobs > 0 ? static_cast<double>(foreign) / static_cast<double>(jobs) : 0.0;
}

}  // namespace glocal::economy
