#pragma once
// The movements process, first part (MODEL.md 4.5): threshold models of collective action.
// Each agent has a threshold and is inactive or active (mobilised); activation is permanent. Each
// tick is one synchronous round: every inactive agent whose condition holds, given who was active
// at the start of the tick, becomes active. The condition (movements.contagion):
//   simple      at least one active network neighbour (Centola & Macy 2007's simple contagion);
//   complex     at least theta_i active network neighbours (a count: Granovetter 1978 in a crowd,
//               a complete graph; Centola & Macy's complex contagion, theta = 2, 3);
//   fractional  a share of active neighbours of at least theta_i (Watts 2002; an isolated agent
//               never activates).
// Monotone dynamics: the final set does not depend on the update order, and the rounds give the
// speed of spread. Thresholds: fixed, normal (truncated at 0) or Granovetter's sequence (the k-th
// agent of each locality has threshold k, one of them optionally raised by one). Seeds: a share of
// agents active at tick 0, each alone or with its network neighbours (a cluster). Agent i's
// threshold and seed coin read the Philox block (i, 0, movements_init); the k-th seed's cluster is
// fixed by its agent. Grievance (with the economy and ecology): G_i = min(1, w_p [income_i below
// movements.poverty_line x the world's median income] + w_r (1 - I_l)), I_l the integrity of the
// agent's locality; an agent's effective threshold is theta_i (1 - G_i), so a full grievance needs
// no one else; displacement by a project adds w_d. The boomerang (Keck & Sikkink 1998): a locality
// has ties to international NGOs when its fixed uniform u_l (block (l, 0, movements_boomerang)) is
// below movements.ngo_ties (so raising the density only adds ties); each tick, where a project is
// active and the mobilised share m reaches movements.boomerang_level, the project is cancelled with
// probability movements.boomerang x m with ties, movements.national_cancel x m without (the
// national government decides, and mostly does not). Across localities, NGO ties act as
// movements.ngo_contacts virtual neighbours of every agent of a tied locality, each counted as
// active in the share m of the other tied localities' agents who are mobilised: the condition reads
// count + w m against the threshold (fractional: (count + w m) / (degree + w)).
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "glocal/model/coupling.hpp"
#include "glocal/process_api.hpp"

namespace glocal::movements {

enum class Contagion { simple, complex, fractional };
enum class Thresholds { fixed, normal, sequence };
enum class Seeding { random, cluster };

struct Parameters {
  Contagion contagion = Contagion::fractional;
  Thresholds thresholds = Thresholds::fixed;
  double threshold = 0.18;    ///< theta (fixed), its mean (normal)
  double threshold_sd = 0.0;  ///< normal: standard deviation
  std::int64_t raise = -1;    ///< sequence: the agent with this threshold gets one more (-1: none)
  double seeds = 0.0;         ///< share of agents active at tick 0 (rounded to a count)
  Seeding seeding = Seeding::random;
  double grievance_poverty = 0.0;       ///< w_p
  double grievance_resource = 0.0;      ///< w_r
  double poverty_line = 0.5;            ///< share of the world's median income
  double grievance_displacement = 0.0;  ///< w_d
  double ngo_ties = 0.0;                ///< share of localities with ties abroad
  double boomerang_level = 0.3;         ///< mobilised share that puts pressure on the project's funder
  double boomerang = 0.2;               ///< cancellation probability per tick at full mobilisation, with ties
  double national_cancel = 0.01;        ///< the same without ties
  double ngo_contacts = 0.0;            ///< w: virtual neighbours through NGO ties
  std::string seed_locality_name;       ///< seeds only in the locality of this name (empty: anywhere)
  std::int64_t seed_locality = -1;      ///< its index, set by create (-1: anywhere)
};

[[nodiscard]] ProcessInfo process_info();

class MovementsProcess final : public BasicProcess<MovementsProcess, Parameters> {
 public:
  /// `economy`, `environment`: the sources of grievance, or nullptr.
  MovementsProcess(const Parameters& parameters, const Network& network, const Places& places, const Rng& rng,
                   const EconomicActivity* economy = nullptr, LocalEnvironment* environment = nullptr);
  void step(const TickContext& context) override;
  /// The last round activated nobody: no agent can activate any more.
  [[nodiscard]] bool absorbed() const override { return settled_; }
  /// The world metrics, one field each: process_info binds each metric to its field.
  struct WorldMetrics {
    double mobilised = 0.0;
    double newly_mobilised = 0.0;
    double rounds = 0.0;
    double grievance = 0.0;
    double cancelled_with_ties = 0.0;
    double cancelled_without_ties = 0.0;
  };
  [[nodiscard]] WorldMetrics measure_world() const;
  /// Share of the place's agents active.
  [[nodiscard]] double place_mobilised(AgentRange place) const;
  /// Demography: survivors keep their state and threshold; a newborn starts inactive with its
  /// own threshold (normal: block (k, tick, demography_birth, 1) for the k-th newborn); every
  /// inactive agent is examined again, since its neighbours changed.
  void renew(const Renewal& renewal, const TickContext& context) override;

  [[nodiscard]] std::span<const std::uint8_t> active() const noexcept { return active_; }
  [[nodiscard]] std::span<const double> thresholds() const noexcept { return threshold_; }

 private:
  [[nodiscard]] bool ready(AgentIndex agent) const noexcept;
  void activate(AgentIndex agent);
  /// Recomputes every agent's grievance from this tick's incomes and integrities.
  void update_grievance();
  [[nodiscard]] bool grievance_on() const noexcept { return !grievance_.empty(); }

  const Network* network_;
  std::vector<std::uint8_t> active_;
  std::vector<double> threshold_;
  std::vector<std::uint32_t> active_neighbours_;  ///< per agent
  std::vector<AgentIndex> candidates_;            ///< agents to examine in the next round
  std::vector<std::uint8_t> queued_;              ///< per agent: in candidates_
  std::vector<AgentIndex> joining_;               ///< scratch: the agents activating this round
  const Places* places_;
  const EconomicActivity* economy_ = nullptr;
  LocalEnvironment* environment_ = nullptr;
  std::vector<double> tie_draw_;  ///< per locality: u_l (ties when below movements.ngo_ties)
  std::uint64_t cancelled_tied_ = 0;
  std::uint64_t cancelled_untied_ = 0;
  void boomerang(std::uint64_t tick, const Rng& rng);
  /// The NGO field of each locality: the mobilised share of the other tied localities (0 untied).
  void update_ngo_field();
  std::vector<double> ngo_field_;                  ///< per locality
  std::vector<std::uint64_t> active_by_locality_;  ///< per locality: its active agents (kept by activate)
  [[nodiscard]] bool tied(std::uint32_t locality) const noexcept { return tie_draw_[locality] < params_.ngo_ties; }
  std::vector<double> grievance_;  ///< per agent (empty: no grievance sources)
  std::vector<double> scratch_;    ///< incomes, for the median
  std::uint64_t mobilised_ = 0;
  std::uint64_t newly_ = 0;   ///< activated in the last round
  std::uint64_t rounds_ = 0;  ///< rounds that activated someone
  bool settled_ = false;
};

}  // namespace glocal::movements
