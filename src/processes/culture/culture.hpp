#pragma once
// The culture process: Axelrod (1997) dissemination of culture on one locality's network.
//
// State: one culture column, F traits per agent (uint8), agent-major so that an overlap reads
// one cache line. Events are random sequential with replacement: event e of tick t draws one
// Philox block at counter (e, t, culture_event): word 0 picks the active agent, word 1 its
// neighbour, words 2-3 drive the rule. The number of active edges (0 < o < F) is kept exactly
// after every copy, so absorption is detected at the very event that causes it.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "glocal/metrics/culture_metrics.hpp"
#include "glocal/model/process.hpp"
#include "processes/culture/axelrod_rule.hpp"

namespace glocal::culture {

enum class InitialTraits { uniform, poisson };
enum class MediaKind { none, fixed };

struct Parameters {
  std::uint32_t features = 5;
  std::uint32_t traits = 10;
  InitialTraits initial = InitialTraits::uniform;
  double drift = 0.0;  ///< Klemm et al. (2003) noise: probability per event of one random trait change
  MediaKind media = MediaKind::none;
  double media_strength = 0.0;  ///< B: probability that an event's partner is the media field
};

/// The registry entry (parameters, metrics, factory).
[[nodiscard]] ProcessInfo process_info();

/// The events, among a run's 0, 1, 2, ..., that carry some rare action independently with
/// probability p each, drawn as geometric gaps on their own Philox lane: the k-th gap reads the
/// block (k, 0, purpose). Same process as a coin per event, at a cost per action, not per event.
class GeometricEvents {
 public:
  GeometricEvents(double probability, Purpose purpose, const Rng& rng) noexcept;
  /// The global index of the next event that carries the action.
  [[nodiscard]] std::uint64_t next() const noexcept { return next_; }
  /// Moves past the current one; returns its ordinal k (to draw its own words from block k).
  std::uint64_t advance(const Rng& rng) noexcept;
  /// How many have been passed.
  [[nodiscard]] std::uint64_t count() const noexcept { return ordinal_; }

 private:
  [[nodiscard]] std::uint64_t gap(std::uint64_t ordinal, const Rng& rng) const noexcept;
  double probability_;
  Purpose purpose_;
  std::uint64_t ordinal_ = 0;
  std::uint64_t next_ = ~std::uint64_t{0};
};

class CultureProcess final : public Process {
 public:
  CultureProcess(const Parameters& parameters, const Network& network, const Rng& rng);

  void step(const TickContext& context) override;
  /// With drift the frozen state can always be left again, so the process never absorbs. With a
  /// media field an agent that differs from it in some but not all features can still move.
  [[nodiscard]] bool absorbed() const override {
    return drift_events_ == nullptr && active_edges_ == 0 && (media_events_ == nullptr || field_active_ == 0);
  }
  void measure(std::span<double> out) const override;

  /// Runs events [first, first + count) of `tick`, stopping early at absorption.
  /// Returns the number of events performed.
  std::uint64_t run_events(std::uint64_t tick, std::uint64_t first, std::uint64_t count, const Rng& rng) noexcept;

  [[nodiscard]] CultureView view() const noexcept {
    return {traits_.data(), parameters_.features, network_->size()};
  }
  [[nodiscard]] std::uint64_t events() const noexcept { return events_; }
  [[nodiscard]] std::uint64_t active_edge_count() const noexcept { return active_edges_; }
  [[nodiscard]] std::uint64_t drift_count() const noexcept { return drift_events_ ? drift_events_->count() : 0; }
  [[nodiscard]] std::uint64_t media_count() const noexcept { return media_events_ ? media_events_->count() : 0; }
  /// Bytes of agent state (the culture column), excluding the network and the initial catalog.
  [[nodiscard]] std::size_t state_bytes() const noexcept { return traits_.size(); }
  /// Bytes of the catalog of initial cultures (for novel_share): F per distinct initial vector.
  [[nodiscard]] std::size_t catalog_bytes() const noexcept { return initial_cultures_.memory_bytes(); }

 private:
  /// Keeps the active-link and field-active counts exact after `agent` changed one trait.
  void after_copy(AgentIndex agent, const Interaction& change) noexcept;
  /// Applies the drift due now (one feature of a random agent takes a random trait).
  void apply_drift(const Rng& rng) noexcept;
  [[nodiscard]] bool field_active(const std::uint8_t* culture) const noexcept;

  Parameters parameters_;
  const Network* network_;
  std::vector<std::uint8_t> traits_;
  CultureCatalog initial_cultures_;
  std::uint64_t events_ = 0;
  std::uint64_t active_edges_ = 0;
  std::unique_ptr<GeometricEvents> drift_events_;      ///< which events are followed by a drift, or null
  std::vector<std::uint8_t> field_;                    ///< the media vector (fixed: all zeros)
  std::unique_ptr<GeometricEvents> media_events_;      ///< which events meet the field, or null
  std::uint64_t field_active_ = 0;                     ///< agents with 0 < overlap(agent, field) < F
};

}  // namespace glocal::culture
