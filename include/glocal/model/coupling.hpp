#pragma once
// How processes read and act on one another (MODEL.md 4.2: firms sell where their product culture
// matches the local culture, and broadcast it as a media field; 4.4: harvest follows economic
// activity; livelihoods follow the resource). Each coupling is a narrow interface that one process
// implements and another finds by name: while it is built, among the processes built before it
// (BuildContext::built), or, for what a later process offers, in Process::connect once all are
// built. No process sees another's internals.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "glocal/model/nation_policy.hpp"
#include "glocal/world/places.hpp"
#include "glocal/world/renewal.hpp"

namespace glocal {

/// What the culture process offers the economy's firms.
class CultureMarket {
 public:
  virtual ~CultureMarket() = default;
  [[nodiscard]] virtual std::uint32_t culture_features() const noexcept = 0;
  /// For every locality, F bytes: each feature's most common trait there (ties: the smallest).
  /// O(N F + L F q).
  virtual void locality_modes(std::vector<std::uint8_t>& out) const = 0;
  /// The product culture on sale in each locality (F bytes per locality) and whether one is
  /// (`on_sale[l]` 0 or 1); agents meet it as a media field (culture.market).
  virtual void set_products(std::span<const std::uint8_t> products, std::span<const std::uint8_t> on_sale) = 0;

 protected:
  CultureMarket() = default;
  CultureMarket(const CultureMarket&) = default;
  CultureMarket& operator=(const CultureMarket&) = default;
};

/// What the economy offers ecology and movements (MODEL.md 4.4-4.5: harvest grows with economic
/// activity and firm presence and falls with regulation; grievance from poverty).
class EconomicActivity {
 public:
  virtual ~EconomicActivity() = default;
  /// Each locality's mean income per agent in the last tick (empty without production).
  [[nodiscard]] virtual std::span<const double> locality_income() const noexcept = 0;
  /// Each locality's number of firms producing there (empty without firms).
  [[nodiscard]] virtual std::span<const std::uint32_t> locality_firms() const noexcept = 0;
  /// Nation n's regulation cost per job (rho_n), in units of the host's productivity.
  [[nodiscard]] virtual double nation_regulation(std::uint32_t nation) const noexcept = 0;
  /// Each agent's income in the last tick (empty without production).
  [[nodiscard]] virtual std::span<const double> agent_income() const noexcept = 0;

 protected:
  EconomicActivity() = default;
  EconomicActivity(const EconomicActivity&) = default;
  EconomicActivity& operator=(const EconomicActivity&) = default;
};

/// What the economy offers governance (MODEL.md 4.3): the nations' policy table it provides (the
/// one table of the run; glocal/model/nation_policy.hpp), how much foreign investment each nation
/// attracts and its finances.
class NationalPolicy {
 public:
  virtual ~NationalPolicy() = default;
  /// The run's policy table, for its declared writer (PolicyAccess::writes).
  [[nodiscard]] virtual PolicyTable& policies() noexcept = 0;
  /// The same, to read.
  [[nodiscard]] virtual const PolicyTable& policies() const noexcept = 0;
  /// Jobs that firms from other nations created in the nation, per agent of the nation, last tick.
  [[nodiscard]] virtual double foreign_jobs_per_head(std::uint32_t nation) const noexcept = 0;
  /// The weight firms give a locality abroad (economy.openness: 0 closed capital, 1 open).
  [[nodiscard]] virtual double capital_openness() const noexcept = 0;
  /// What hosting a firm's jobs is worth to the nation per unit of the firm's pre-tax profit: the
  /// wage gain of a job, (1 - u) A_n, over the mean firm's profit per job there (0 without
  /// firms; infinite when no firm would profit there).
  [[nodiscard]] virtual double firm_job_value(std::uint32_t nation) const noexcept = 0;
  /// What a unit of regulation costs the mean firm per unit of its profit before regulation:
  /// A_n over the mean firm's profit per job there before the regulation cost rho_n A_n (0 without
  /// firms; infinite when no firm would profit there even unregulated).
  [[nodiscard]] virtual double regulation_cost_share(std::uint32_t nation) const noexcept = 0;
  /// The nation's external debt and its income of the last tick (economy.borrowing; 0 and its
  /// income without).
  struct Finance {
    double debt = 0.0;
    double income = 0.0;
  };
  [[nodiscard]] virtual Finance finance(std::uint32_t nation) const noexcept = 0;
  /// A lender's program: while on, the nation borrows nothing and pays its interest out of its
  /// agents' incomes (austerity); off, it borrows and rolls its interest over.
  virtual void set_program(std::uint32_t nation, bool on) noexcept = 0;

 protected:
  NationalPolicy() = default;
  NationalPolicy(const NationalPolicy&) = default;
  NationalPolicy& operator=(const NationalPolicy&) = default;
};

/// What the demography offers the engine: the births and deaths that start each tick. The engine
/// applies them to the places, the network and every process (Process::renew) before any process
/// steps.
class PopulationChange {
 public:
  virtual ~PopulationChange() = default;
  /// The renewal that starts tick `tick`, on the world as it is (`places`); nullopt: no change.
  [[nodiscard]] virtual std::optional<Renewal> plan(std::uint64_t tick, const Places& places, const Rng& rng) = 0;

 protected:
  PopulationChange() = default;
  PopulationChange(const PopulationChange&) = default;
  PopulationChange& operator=(const PopulationChange&) = default;
};

/// What ecology offers: the state of each locality's renewable resource.
class LocalEnvironment {
 public:
  virtual ~LocalEnvironment() = default;
  /// R / K of each locality's resource (1 before any harvest).
  [[nodiscard]] virtual std::span<const double> locality_integrity() const noexcept = 0;
  /// Jobs of each locality's project, as a share of its agents (0 without an active project).
  [[nodiscard]] virtual std::span<const double> locality_project_jobs() const noexcept = 0;
  /// Each locality's project: 0 none, 1 active, 2 cancelled.
  [[nodiscard]] virtual std::span<const std::uint8_t> locality_projects() const noexcept = 0;
  /// Per agent: 1 when a project displaced it.
  [[nodiscard]] virtual std::span<const std::uint8_t> displaced() const noexcept = 0;
  /// A movement won: the project is cancelled (its capacity loss and jobs undone; the displaced stay displaced).
  virtual void cancel_project(std::uint32_t locality) noexcept = 0;
  /// D: the share of every nation's output lost to the global stock of pollutant at the end of
  /// the last tick (0 without the commons or without damage).
  [[nodiscard]] virtual double output_damage() const noexcept = 0;

 protected:
  LocalEnvironment() = default;
  LocalEnvironment(const LocalEnvironment&) = default;
  LocalEnvironment& operator=(const LocalEnvironment&) = default;
};

}  // namespace glocal
