#pragma once
// The ecology process, first part (MODEL.md 4.4): each locality's renewable resource. R grows
// logistically toward the capacity K (Verhulst) and is harvested in proportion to the stock and to
// the effort (Schaefer 1954: H = q E R), once a tick:
//     R <- max(0, R + r R (1 - R / K) - q E R).
// With constant effort the stock settles at R* / K = 1 - q E / r when q E < r and collapses to 0
// when q E > r; the sustained yield q E R* is largest, r K / 4, at q E = r / 2. Effort follows the
// economy when it runs (MODEL.md: harvest grows with economic activity and firm presence and falls
// with regulation):
//     E_l = e (y_l / y_0)^eta (1 + f n_l) exp(-g rho),
// y_l the locality's mean income, y_0 the world's mean income in the first tick, n_l its firms,
// rho the regulation cost of the locality's nation; without the economy E_l = e. Integrity is R / K; a locality
// has collapsed while its integrity is below ecology.collapse.
// Projects (a dam, funded by an outside lender): each tick, a locality without one gets one with
// probability ecology.project_rate; it lowers the capacity by the share ecology.project_capacity,
// creates jobs for the share ecology.project_jobs of the locality's agents (the economy adds them)
// and displaces each resident with probability ecology.project_displacement (grievance, for
// movements). A movement can cancel it (movements' boomerang): capacity and jobs return, the
// displaced stay displaced. Locality l's coin in tick t: block (l, t, ecology_projects); agent i's
// displacement: block (i, t, ecology_projects, 1).
// The global commons (Barrett 1994, "Self-enforcing international environmental agreements"): N
// nations abate q_i of a global pollutant; nation i's payoff is (b/N)(a Q - Q^2/2) - (c/2) q_i^2,
// Q the total, gamma = c/b (ecology.commons_gamma). The k signatories of the agreement choose
// their common abatement as a Stackelberg leader, maximising their joint payoff given the other
// nations' best responses; with k <= 1 there is no agreement and every nation plays Nash. Each
// tick every nation, with probability ecology.commons_revision, reconsiders: a signatory leaves if
// it would be strictly better off outside, a non-signatory joins if it would be no worse off in
// (coin: block (n, t, ecology_commons)). The stock of pollutant S follows S <- (1 - d) S + a - Q.
// The stock feeds back (docs/model/ecology.md, "Damage"), in DICE-2016R's quadratic form
// (Nordhaus 2017): with x = S d / a, the stock over its level without any abatement, every
// nation's output is multiplied by 1 - delta_Y x^2 from the next tick (the economy's productivity:
// wages, subsistence, firms' profits, investment) and every resource's regrowth rate r by
// 1 - delta_R x^2.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "glocal/model/coupling.hpp"
#include "glocal/process_api.hpp"

namespace glocal::ecology {

struct Parameters {
  double growth = 0.2;                   ///< r, per tick
  double capacity = 1.0;                 ///< K per agent of the locality
  double catchability = 0.05;            ///< q
  double effort = 1.0;                   ///< e: effort per locality (per tick), before the economy's factors
  double activity = 1.0;                 ///< eta: elasticity of effort to the locality's income
  double firm_pressure = 0.5;            ///< f: extra effort per firm in the locality
  double regulation_effect = 1.0;        ///< g: effort falls by exp(-g rho)
  double collapse = 0.2;                 ///< integrity below which a locality counts as collapsed
  double project_rate = 0.0;             ///< per tick, per locality without a project
  double project_capacity = 0.3;         ///< share of K a project takes
  double project_jobs = 0.05;            ///< share of the locality's agents a project employs
  double project_displacement = 0.1;     ///< probability that a resident is displaced
  bool commons = false;                  ///< play Barrett's agreement game among nations
  double commons_gamma = 1.0;            ///< gamma = c / b
  double commons_revision = 0.5;         ///< per tick, per nation
  double commons_emissions = 1.0;        ///< a: potential abatement (emissions without any abatement), per tick
  double commons_decay = 0.05;           ///< d: share of the stock that decays a tick
  double commons_damage = 0.0;           ///< delta_Y: share of output lost at the stock a / d
  double commons_resource_damage = 0.0;  ///< delta_R: share of the resource's regrowth lost at the stock a / d
};

[[nodiscard]] ProcessInfo process_info();

/// Barrett's (1994) game with k signatories out of n nations, gamma = c/b, b = 1: the payoffs of a
/// signatory and of a non-signatory, and total abatement Q (potential a).
struct CommonsOutcome {
  double signatory = 0.0;
  double outsider = 0.0;
  double abatement = 0.0;
};
[[nodiscard]] CommonsOutcome commons_outcome(std::uint32_t k, std::uint32_t n, double gamma, double a) noexcept;

class EcologyProcess final : public BasicProcess<EcologyProcess, Parameters>, public LocalEnvironment {
 public:
  /// `economy`: the economy's activity, or nullptr.
  EcologyProcess(const Parameters& parameters, const Places& places, const EconomicActivity* economy);
  void step(const TickContext& context) override;
  /// The world metrics, in one pass, one field each: process_info binds each metric to its field.
  struct WorldMetrics {
    double integrity = 0.0;
    double integrity_min = 0.0;
    double collapsed = 0.0;
    double collapses = 0.0;
    double harvest = 0.0;
    double projects = 0.0;
    double projects_funded = 0.0;
    double projects_cancelled = 0.0;
    double displaced = 0.0;
    double coalition = 0.0;
    double abatement = 0.0;
    double global_stock = 0.0;
    double output_damage = 0.0;
  };
  [[nodiscard]] WorldMetrics measure_world() const;
  /// The place's resource over its capacity.
  [[nodiscard]] double place_integrity(AgentRange place) const;
  /// Demography: a newborn shares its parent's displacement (its household lost its livelihood).
  void renew(const Renewal& renewal, const TickContext& /*context*/) override { renewal.gather(displaced_); }

  [[nodiscard]] std::span<const double> locality_integrity() const noexcept override { return integrity_; }
  [[nodiscard]] std::span<const double> locality_project_jobs() const noexcept override { return project_jobs_; }
  [[nodiscard]] std::span<const std::uint8_t> locality_projects() const noexcept override { return project_; }
  [[nodiscard]] std::span<const std::uint8_t> displaced() const noexcept override { return displaced_; }
  void cancel_project(std::uint32_t locality) noexcept override;
  [[nodiscard]] double output_damage() const noexcept override { return output_damage_; }
  /// x = S d / a: the stock of pollutant over its level without any abatement (0 when a = 0).
  [[nodiscard]] double relative_stock() const noexcept;
  [[nodiscard]] std::span<const double> stock() const noexcept { return stock_; }
  /// The effort of locality l in the last tick.
  [[nodiscard]] double effort(std::uint32_t locality) const noexcept { return effort_[locality]; }

 private:
  const Places* places_;
  const EconomicActivity* economy_;
  std::vector<double> capacity_;   ///< K per locality
  std::vector<double> stock_;      ///< R per locality
  std::vector<double> integrity_;  ///< R / K per locality
  std::vector<double> effort_;     ///< E per locality, last tick
  double harvest_ = 0.0;           ///< total harvest in the last tick
  double baseline_income_ = 0.0;   ///< y_0: the world's mean income in the first tick with income
  std::uint64_t collapses_ = 0;    ///< localities that fell below the collapse threshold (events)
  std::vector<std::uint8_t> collapsed_;
  std::vector<double> base_capacity_;  ///< K per locality without a project
  std::vector<std::uint32_t> nation_of_locality_;
  std::vector<std::uint8_t> project_;    ///< per locality: 0 none, 1 active, 2 cancelled
  std::vector<double> project_jobs_;     ///< per locality: jobs share of an active project
  std::vector<std::uint8_t> displaced_;  ///< per agent
  std::uint64_t projects_funded_ = 0;
  std::uint64_t projects_cancelled_ = 0;
  void fund_projects(std::uint64_t tick, const Rng& rng);
  void play_commons(std::uint64_t tick, const Rng& rng);
  std::vector<std::uint8_t> signatory_;  ///< per nation
  std::uint32_t signatories_ = 0;
  double abatement_ = 0.0;        ///< Q in the last tick
  double global_stock_ = 0.0;     ///< S
  double output_damage_ = 0.0;    ///< delta_Y x^2 at the end of the last tick
  double resource_damage_ = 0.0;  ///< delta_R x^2, this tick
};

}  // namespace glocal::ecology
