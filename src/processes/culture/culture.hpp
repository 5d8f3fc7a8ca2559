#pragma once
// The culture process: Axelrod (1997) dissemination of culture on one locality's network.
//
// State: one culture column, F traits per agent (uint8), agent-major so that an overlap reads
// one cache line. Events are random sequential with replacement: event e of tick t draws one
// Philox block at counter (e, t, culture_event): word 0 picks the active agent, word 1 its
// neighbour, words 2-3 drive the rule. The number of active edges (0 < o < F) is kept exactly
// after every copy, so absorption is detected at the very event that causes it.
#include <cstdint>
#include <span>
#include <vector>

#include "glocal/metrics/culture_metrics.hpp"
#include "glocal/model/process.hpp"
#include "processes/culture/axelrod_rule.hpp"

namespace glocal::culture {

enum class InitialTraits { uniform, poisson };

struct Parameters {
  std::uint32_t features = 5;
  std::uint32_t traits = 10;
  InitialTraits initial = InitialTraits::uniform;
  double drift = 0.0;  ///< Klemm et al. (2003) noise: probability per event of one random trait change
};

/// The registry entry (parameters, metrics, factory).
[[nodiscard]] ProcessInfo process_info();

class CultureProcess final : public Process {
 public:
  CultureProcess(const Parameters& parameters, const Network& network, const Rng& rng);

  void step(const TickContext& context) override;
  /// With drift the frozen state can always be left again, so the process never absorbs.
  [[nodiscard]] bool absorbed() const override { return parameters_.drift == 0.0 && active_edges_ == 0; }
  void measure(std::span<double> out) const override;

  /// Runs events [first, first + count) of `tick`, stopping early at absorption.
  /// Returns the number of events performed.
  std::uint64_t run_events(std::uint64_t tick, std::uint64_t first, std::uint64_t count, const Rng& rng) noexcept;

  [[nodiscard]] CultureView view() const noexcept {
    return {traits_.data(), parameters_.features, network_->size()};
  }
  [[nodiscard]] std::uint64_t events() const noexcept { return events_; }
  [[nodiscard]] std::uint64_t active_edge_count() const noexcept { return active_edges_; }
  [[nodiscard]] std::uint64_t drift_count() const noexcept { return drifts_; }
  /// Bytes of agent state (the culture column), excluding the network and the initial catalog.
  [[nodiscard]] std::size_t state_bytes() const noexcept { return traits_.size(); }
  /// Bytes of the catalog of initial cultures (for novel_share): F per distinct initial vector.
  [[nodiscard]] std::size_t catalog_bytes() const noexcept { return initial_cultures_.memory_bytes(); }

 private:
  void after_copy(AgentIndex agent, const Interaction& change) noexcept;
  /// Applies the drift due at global event `event`, then schedules the next one.
  void apply_drift(const Rng& rng) noexcept;
  /// Draws the global event index of drift number `drifts_` (geometric gaps: each event drifts
  /// independently with probability `drift`).
  [[nodiscard]] std::uint64_t next_drift_after(std::uint64_t event, const Rng& rng) const noexcept;

  Parameters parameters_;
  const Network* network_;
  std::vector<std::uint8_t> traits_;
  CultureCatalog initial_cultures_;
  std::uint64_t events_ = 0;
  std::uint64_t active_edges_ = 0;
  std::uint64_t drifts_ = 0;                           ///< drifts applied so far
  std::uint64_t next_drift_ = ~std::uint64_t{0};       ///< global event index of the next drift
};

}  // namespace glocal::culture
