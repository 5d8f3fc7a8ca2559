#pragma once
// The culture process: Axelrod (1997) dissemination of culture over the world's networks, with
// Klemm et al.'s (2003) drift, Gonzalez-Avella et al.'s (2005) media field and the multi-scale
// reach kernel (MODEL.md section 3).
//
// State: one culture column, F traits per agent (uint8), agent-major so that an overlap reads
// one cache line. Events are random sequential with replacement: event e of tick t draws one
// Philox block at counter (e, t, culture_event): word 0 picks the active agent, word 1 its
// neighbour, words 2-3 drive the rule. Rare actions (drift, meeting the media, a partner beyond
// the network) are picked by geometric gaps on lanes of their own. Two loops run the events with
// the same draws: the plain loop (culture_plain.cpp: Axelrod's rule alone, no per-event
// bookkeeping, absorption found by a scan after each call and the count rewound to the last
// change) and the general loop (culture_events.cpp: the number of active links, 0 < o < F, kept
// exactly after every change, so absorption on the network is detected at the very event that
// causes it; beyond the network, at the end of the tick, then rewound).
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "glocal/metrics/culture_metrics.hpp"
#include "glocal/model/coupling.hpp"
#include "glocal/model/process.hpp"
#include "glocal/process_api.hpp"
#include "glocal/world/places.hpp"
#include "processes/culture/axelrod_rule.hpp"

namespace glocal::culture {

enum class InitialTraits { uniform, poisson };
/// The media field: none; a fixed vector (0, ..., 0); or endogenous, the modal culture (most
/// common trait of each feature) of the world, the agent's nation or its locality, kept exact as
/// the run goes (Gonzalez-Avella et al. 2006's global and partial coupling fields).
enum class MediaKind { none, fixed, world, nation, locality };
/// culture.sampling: events one by one, or active-pair sampling (exact for the plain model).
enum class Sampling { events, active_pairs };
/// culture.update: random sequential updating, or the block scheme.
enum class Update { sequential, blocks };

struct Parameters {
  std::uint32_t features = 5;
  std::uint32_t traits = 10;
  InitialTraits initial = InitialTraits::uniform;
  double drift = 0.0;  ///< Klemm et al. (2003) noise: probability per event of one random trait change
  MediaKind media = MediaKind::none;
  double media_strength = 0.0;  ///< B: probability that an event's partner is the media field
  /// The reach kernel: probability that the partner is drawn at each scale (network neighbour,
  /// or uniformly among the other agents of the locality, nation, bloc, world). Sums to 1.
  std::array<double, kScaleCount> reach = {1.0, 0.0, 0.0, 0.0, 0.0};
  std::uint32_t rate = 1;  ///< events per agent per tick: a tick is rate * N events
  double heritage = 0.0;   ///< h: probability that an event's partner is the locality's heritage vector
  double market = 0.0;     ///< probability that an event's partner is the product culture on sale in the locality
  /// Initial cultures around place prototypes: Scale::network means none (independent traits).
  Scale prototype = Scale::network;
  double similarity = 0.0;  ///< s: probability that an initial trait is the place prototype's
  double innovation = 0.0;  ///< c: probability that a copy from an agent of another locality yields a new trait
  /// Active-pair sampling (exact, for the plain model): jump from one event that picks an active
  /// pair to the next, with the number of events in between drawn from its geometric law. Used
  /// once few links are active (a jump costs more than an event); event by event before.
  Sampling sampling = Sampling::events;
  /// Threads for one run's events (the results do not depend on it): deterministic reservations
  /// under random sequential updating, or the blocks side by side (`blocks`).
  std::uint32_t threads = 1;
  /// The block update scheme (plain model only): agents in blocks of two colours, no link between
  /// two blocks of one colour; each tick alternates the colours 2 x block_phases times, and in a
  /// phase each block of that colour runs its share of its events, random sequential within it.
  Update update = Update::sequential;
  std::uint32_t block_phases = 4;
};

/// The directed links (i -> j, a CSR slot) whose ends have 0 < o < F, as a set with O(1)
/// insertion, removal and uniform choice (a dense list plus each slot's position in it).
class ActiveSlots {
 public:
  ActiveSlots() = default;
  explicit ActiveSlots(std::size_t slots) : position_(slots, kAbsent) {}
  void insert(std::uint32_t slot) noexcept {
    if (position_[slot] != kAbsent) return;
    position_[slot] = static_cast<std::uint32_t>(list_.size());
    list_.push_back(slot);
  }
  void erase(std::uint32_t slot) noexcept {
    const std::uint32_t at = position_[slot];
    if (at == kAbsent) return;
    list_[at] = list_.back();
    position_[list_[at]] = at;
    list_.pop_back();
    position_[slot] = kAbsent;
  }
  [[nodiscard]] std::size_t size() const noexcept { return list_.size(); }
  [[nodiscard]] bool contains(std::uint32_t slot) const noexcept { return position_[slot] != kAbsent; }
  void clear() noexcept {
    for (const std::uint32_t slot : list_) position_[slot] = kAbsent;
    list_.clear();
  }
  [[nodiscard]] std::uint32_t operator[](std::size_t k) const noexcept { return list_[k]; }

 private:
  static constexpr std::uint32_t kAbsent = 0xFFFFFFFFU;
  std::vector<std::uint32_t> position_;
  std::vector<std::uint32_t> list_;
};

/// Counts of each trait of each feature per place of one scale, with the modal trait (ties: the
/// smallest), kept exact under single-trait changes: O(1) per change, O(traits) when the modal
/// trait loses a holder.
class TraitCounts {
 public:
  TraitCounts() = default;
  TraitCounts(const CultureView& culture, const Places& places, Scale scale, std::uint32_t trait_limit);
  /// One agent of place `scope` moved from trait `from` to `to` on `feature`.
  void move(std::uint32_t scope, std::uint32_t feature, std::uint8_t from, std::uint8_t to) noexcept;
  [[nodiscard]] const std::uint8_t* mode(std::uint32_t scope) const noexcept {
    return modes_.data() + static_cast<std::size_t>(scope) * features_;
  }
  [[nodiscard]] std::uint32_t count(std::uint32_t scope, std::uint32_t feature, std::uint32_t trait) const noexcept {
    return counts_[(static_cast<std::size_t>(scope) * features_ + feature) * 256 + trait];
  }
  [[nodiscard]] bool empty() const noexcept { return counts_.empty(); }

 private:
  void find_mode(std::uint32_t scope, std::uint32_t feature) noexcept;
  std::uint32_t features_ = 0;
  std::uint32_t trait_limit_ = 256;    ///< traits at or above it never occur
  std::vector<std::uint32_t> counts_;  ///< [scope][feature][trait]
  std::vector<std::uint8_t> modes_;    ///< [scope][feature]
};

/// The registry entry (parameters, metrics, factory).
[[nodiscard]] ProcessInfo process_info();

/// The events, among a run's 0, 1, 2, ..., that carry some rare action independently with
/// probability p each, drawn as geometric gaps on their own Philox lane: the k-th gap reads the
/// block (k, 0, purpose). Same process as a coin per event, at a cost per action, not per event.
class GeometricEvents {
 public:
  /// probability 0: no event carries it (until restart()).
  GeometricEvents(double probability, Purpose purpose, const Rng& rng) noexcept;
  /// A new probability from event `from` on (a schedule moved it). By memorylessness the next
  /// carrier is drawn afresh from `from`, on a new block of the lane.
  void restart(double probability, std::uint64_t from, const Rng& rng) noexcept;
  [[nodiscard]] double probability() const noexcept { return probability_; }
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

class CultureProcess final : public BasicProcess<CultureProcess, Parameters>, public CultureMarket {
 public:
  /// `places` null: one locality holding every agent of the network.
  CultureProcess(const Parameters& parameters, const Network& network, const Rng& rng, const Places* places = nullptr);

  void step(const TickContext& context) override;
  /// With drift the frozen state can always be left again, so the process never absorbs. With a
  /// media field an agent that differs from it in some but not all features can still move.
  [[nodiscard]] bool absorbed() const override {
    return drift_events_.probability() == 0.0 && market_events_.probability() == 0.0 && frozen();
  }
  /// No event can change anything now: no active link, no agent that can still move toward the
  /// media field, and, with a reach beyond the network, no active pair within the outermost scope.
  [[nodiscard]] bool frozen() const noexcept {
    return active_edges_ == 0 && (!media_on() || media_events_.probability() == 0.0 || endogenous_media() || field_active_ == 0) &&
           (heritage_events_.probability() == 0.0 || heritage_active_ == 0) && (!needs_scan() || frozen_far_);
  }
  /// The world metrics, computed together (one census), one field each: process_info binds each
  /// metric to its field.
  struct WorldMetrics {
    double regions = 0.0;
    double zones = 0.0;
    double smax = 0.0;
    double cultures = 0.0;
    double novel_share = 0.0;
    double events = 0.0;
    double absorbed = 0.0;
    double global_share = 0.0;
    double heritage_retention = 0.0;
    double novel_cultures = 0.0;
    double overlap_within = 0.0;
    double overlap_between = 0.0;
    double overlap_ratio = 0.0;
    double innovations = 0.0;
    double hybrid_share = 0.0;
    double hybrid_size = 0.0;
  };
  [[nodiscard]] WorldMetrics measure_all() const;
  /// The place metrics, computed together, one field each (bound by process_info).
  struct PlaceMetrics {
    double agents = 0.0;
    double cultures = 0.0;
    double entropy = 0.0;
    double dominant_share = 0.0;
    double global_share = 0.0;
    double heritage_retention = 0.0;
    double novel_share = 0.0;
    double novel_cultures = 0.0;
    double overlap_within = 0.0;
    double overlap_between = 0.0;
  };
  [[nodiscard]] PlaceMetrics measure_place_all(AgentRange place) const;

  /// The loops that run events: the general loop (any rule written in axelrod_rule.hpp), with
  /// rows read as one word (F <= 8) or byte by byte, or on threads by reservations; and, for the
  /// plain model under the canonical rule only (canonical_rule()), the plain loop (byte by byte,
  /// packed, or sixteen events decided at once: plain_groups on AVX-512 lanes, and
  /// plain_groups_portable, the same code on portable lanes, which only the tests choose), the
  /// block scheme and active-pair sampling.
  enum class Kernel : std::uint8_t {
    none,
    general,
    general_packed,
    parallel,
    plain,
    plain_packed,
    plain_groups,
    plain_groups_portable,
    blocks,
    active_pairs
  };
  /// The loop that ran the last events (none before any).
  [[nodiscard]] Kernel kernel() const noexcept { return kernel_; }

  /// Runs events [first, first + count) of `tick`, stopping early at absorption.
  /// Returns the number of events performed.
  std::uint64_t run_events(std::uint64_t tick, std::uint64_t first, std::uint64_t count, const Rng& rng) noexcept;

  bool agent_states(AgentRange place, std::span<std::uint64_t> out) const override;
  [[nodiscard]] CultureView view() const noexcept { return {traits_.data(), params_.features, network_->size(), trait_limit(), true}; }
  [[nodiscard]] std::uint64_t events() const noexcept { return events_; }
  /// The block scheme's blocks of colour 0 and 1 (empty unless Parameters::blocks).
  [[nodiscard]] const std::array<std::vector<AgentRange>, 2>& blocks() const noexcept { return blocks_; }
  /// Links with 0 < o < F (counted afresh when the plain loop, which does not keep the count, ran last).
  [[nodiscard]] std::uint64_t active_edge_count() const noexcept {
    return links_counted_ ? active_edges_ : active_edges(view(), *network_);
  }
  [[nodiscard]] std::uint64_t drift_count() const noexcept { return drift_events_.count(); }
  /// Agents with 0 < o(agent, heritage) < F (kept while heritage acts).
  [[nodiscard]] std::uint64_t heritage_active_count() const noexcept { return heritage_active_; }
  /// The heritage vector of the agent's locality (its initial modal culture).
  [[nodiscard]] const std::uint8_t* heritage_of(AgentIndex agent) const noexcept {
    return heritage_.data() + static_cast<std::size_t>(places_.place_of(agent, Scale::locality)) * params_.features;
  }
  [[nodiscard]] std::uint64_t media_count() const noexcept { return media_events_.count(); }
  /// The media field the agent meets (fixed, or its scope's modal culture).
  [[nodiscard]] const std::uint8_t* field_of(AgentIndex agent) const noexcept {
    return params_.media == MediaKind::fixed ? field_.data() : field_counts_.mode(places_.place_of(agent, media_scale_));
  }
  [[nodiscard]] std::uint32_t culture_features() const noexcept override { return params_.features; }
  void locality_modes(std::vector<std::uint8_t>& out) const override;
  void set_products(std::span<const std::uint8_t> products, std::span<const std::uint8_t> on_sale) override;
  /// The product culture on sale in the agent's locality, or nullptr.
  [[nodiscard]] const std::uint8_t* product_of(AgentIndex agent) const noexcept {
    const std::uint32_t l = places_.place_of(agent, Scale::locality);
    return l < on_sale_.size() && on_sale_[l] != 0 ? products_.data() + static_cast<std::size_t>(l) * params_.features : nullptr;
  }
  [[nodiscard]] std::uint64_t market_count() const noexcept { return market_events_.count(); }
  /// Copies from agents of another locality that produced a new trait (creolization).
  [[nodiscard]] std::uint64_t innovation_count() const noexcept { return innovations_; }
  /// Demography: a newborn carries its parent's culture (vertical transmission); the counts
  /// derived from the traits (active links, field and heritage counts, trait counts) are rebuilt.
  void renew(const Renewal& renewal, const TickContext& context) override;
  /// Bytes of agent state (the culture column), excluding the network and the initial catalog.
  [[nodiscard]] std::size_t state_bytes() const noexcept { return traits_.size() - kPackedFeatures; }
  /// Bytes of the catalog of initial cultures (for novel_share): F per distinct initial vector.
  [[nodiscard]] std::size_t catalog_bytes() const noexcept { return initial_cultures_.memory_bytes(); }

 private:
  [[nodiscard]] bool blocks_scheme() const noexcept { return params_.update == Update::blocks; }
  [[nodiscard]] bool active_pair_sampling() const noexcept { return params_.sampling == Sampling::active_pairs; }
  /// A scheduled key moved (its field holds the new value): restart its event stream.
  void parameter_changed(const std::string& key) override;
  bool heritage_tracked_ = false;  ///< whether heritage_active_ is kept (heritage acted since the last switch on)
  /// Events [first, first + count) of `tick` on Parameters::threads threads by deterministic
  /// reservations: the same result as executing them one by one (plain model only).
  std::uint64_t run_parallel(std::uint64_t tick, std::uint64_t first, std::uint64_t count, const Rng& rng) noexcept;
  /// Events [first, first + count) of `tick` by active-pair sampling (Parameters::active_pairs).
  std::uint64_t run_active_pairs(std::uint64_t tick, std::uint64_t first, std::uint64_t count, const Rng& rng) noexcept;
  /// Counts the active links afresh (the general loop needs the exact count; the plain loop keeps none).
  void count_links() noexcept;
  /// Sets the status of both directions of link i - j (slot i -> j) after o(i, j) changed.
  void mark_link(AgentIndex i, std::uint32_t slot, bool active) noexcept;
  /// True when nothing but Axelrod's canonical rule (canonical_rule()) on the network acts (no
  /// field, heritage, market, reach beyond the network, drift): run_plain, run_blocks or
  /// active-pair sampling applies.
  [[nodiscard]] bool plain_rule() const noexcept;
  /// The plain loop's variant on this machine for this F.
  [[nodiscard]] Kernel plain_kernel() const noexcept;
  /// The general loop may read rows as one word: F <= 8 and the rule is canonical (interact<true>
  /// is the packed copy of the rule; an edited rule runs byte by byte, through interact<false>).
  [[nodiscard]] bool packed_rule() const noexcept { return params_.features <= kPackedFeatures && canonical_rule(); }
  /// plain_rule, event by event (no active-pair sampling).
  [[nodiscard]] bool plain_model() const noexcept { return plain_rule() && !active_pair_sampling(); }
  /// Events [first, first + count) of `tick` for the plain model: the general loop's trajectory,
  /// without per-event bookkeeping (absorption found by first_active_link after the call).
  std::uint64_t run_plain(std::uint64_t tick, std::uint64_t first, std::uint64_t count, const Rng& rng) noexcept;
  /// A whole tick of the plain model by the block scheme (Parameters::blocks), on Parameters::threads.
  std::uint64_t run_blocks(std::uint64_t tick, std::uint64_t first, std::uint64_t count, const Rng& rng) noexcept;
  /// Where a plain event draws its agent (uniformly in `agents`) and which counter lane it reads.
  struct EventSource {
    AgentRange agents;
    Purpose purpose;
  };
  struct PlainOutcome {
    std::uint64_t last = 0;    ///< 1 + the tick's index of the last event that changed a trait, 0 if none did
    std::uint64_t copies = 0;  ///< events that changed a trait
  };
  /// Events [first, first + count) of `tick` (numbers in the source's lane). Writes only the rows
  /// of the source's agents, so calls on disjoint, unlinked ranges may run side by side.
  PlainOutcome run_plain_range(std::uint64_t tick, std::uint64_t first, std::uint64_t count, const EventSource& source,
                               const Rng& rng) noexcept;
  /// Packed: rows of F <= 8 read as one 8-byte word. Loop: plain_groups or plain_groups_portable
  /// (the rule decided sixteen events at a time, F <= 16, on AVX-512 or portable lanes), or any
  /// other value for one event at a time.
  template <bool Lattice, bool Packed, Kernel Loop>
  PlainOutcome run_plain_as(std::uint64_t tick, std::uint64_t first, std::uint64_t count, const EventSource& source,
                            const Rng& rng) noexcept;
  /// After plain events that began at events_ = start: absorption (a scan, when something changed;
  /// `last_change` is 1 + the run's index of the last change) and the count. Returns the events done.
  std::uint64_t after_plain(std::uint64_t start, std::uint64_t last_change) noexcept;
  /// The blocks of each colour (Parameters::blocks), from the places and the network.
  void build_blocks();
  /// An agent with an active link to a neighbour (searching from search_from_), or N if none.
  [[nodiscard]] std::uint64_t first_active_link() const noexcept;
  template <bool Lattice, bool Packed>
  std::uint64_t run_events_as(std::uint64_t tick, std::uint64_t first, std::uint64_t count, const Rng& rng) noexcept;
  /// Keeps the active-link and field-active counts exact after `agent` changed one trait.
  void after_copy(AgentIndex agent, const Interaction& change) noexcept;
  template <bool Lattice, bool Packed>
  void after_copy_as(AgentIndex agent, const Interaction& change) noexcept;
  /// Applies the drift due now (one feature of a random agent takes a random trait).
  void apply_drift(const Rng& rng) noexcept;
  [[nodiscard]] bool field_active(const std::uint8_t* culture) const noexcept;
  [[nodiscard]] bool media_on() const noexcept { return params_.media != MediaKind::none; }
  /// Absorption needs an end-of-tick scan: a reach beyond the network, or an endogenous field.
  [[nodiscard]] bool needs_scan() const noexcept {
    return outer_ != Scale::network || (endogenous_media() && media_events_.probability() > 0.0);
  }
  [[nodiscard]] bool endogenous_media() const noexcept { return media_on() && params_.media != MediaKind::fixed; }
  /// Traits at or above this never occur (Poisson initial traits or innovation: 256, else q).
  [[nodiscard]] std::uint32_t trait_limit() const noexcept;
  /// Draws the initial traits (independent, or around place prototypes).
  void draw_initial_cultures(const Rng& rng);
  /// True when no agent has 0 < o(agent, its field) < F (endogenous fields, checked by a scan).
  [[nodiscard]] bool fields_frozen() const noexcept;
  /// The smallest trait no agent holds on `feature` (256 if every value is held).
  [[nodiscard]] std::uint32_t unused_trait(std::uint32_t feature) const noexcept;
  /// Recounts the agents with 0 < o(agent, heritage) < F (when heritage starts to act).
  void count_heritage_active() noexcept;
  /// Share of the place's agents identical to the media field (NaN without media).
  [[nodiscard]] double global_share(AgentRange place) const noexcept;
  /// Mean share of features on which the place's agents hold their locality's heritage.
  [[nodiscard]] double heritage_retention(AgentRange place) const noexcept;
  /// Creolization as recombination: the agents whose culture mixes their locality's heritage and
  /// the global culture (every feature the one's or the other's, at least one feature from each
  /// that the other lacks), and the distinct such vectors.
  struct Hybrids {
    std::uint64_t agents = 0;
    std::uint64_t distinct = 0;
  };
  [[nodiscard]] Hybrids hybrids(AgentRange place) const;
  /// The place's modal trait of each feature (ties to the smallest) into `out` (F bytes);
  /// `counts` is scratch of F x 256.
  void modal_culture(AgentRange place, std::span<std::uint32_t> counts, std::uint8_t* out) const;

  /// Recomputes the far lane and the outermost scale after the reach weights changed.
  void reach_changed(const Rng& rng);
  /// True when, in every place of the outermost reach scale, no two agents have 0 < o < F.
  [[nodiscard]] bool scopes_frozen() const;
  /// The partner of the k-th far event of `agent` (traits nullptr when its place holds nobody
  /// else), whether it lives in another locality, and a spare word (the innovation coin).
  struct FarPartner {
    const std::uint8_t* traits = nullptr;
    bool other_locality = false;
    std::uint64_t spare_word = 0;
  };
  [[nodiscard]] FarPartner far_partner(AgentIndex agent, std::uint64_t ordinal, const Rng& rng) const noexcept;

  const Network* network_;
  LatticeNeighbors lattice_;          ///< computed neighbours on periodic von Neumann lattices
  std::vector<std::uint8_t> traits_;  ///< N x F, agent-major, padded with kPackedFeatures bytes
  CultureCatalog initial_cultures_;
  std::uint64_t events_ = 0;
  /// Events per piece of a tick when the run can be cancelled (about 50 ms of events).
  static constexpr std::uint64_t kCancelPiece = std::uint64_t{1} << 22;
  const std::atomic<bool>* cancel_ = nullptr;  ///< the block scheme: set during a cancellable tick
  /// Links with 0 < o < F: exact while links_counted_; after the plain loop, 0 when there are
  /// none and 1 (a lower bound) when there are some.
  std::uint64_t active_edges_ = 0;
  bool links_counted_ = true;
  AgentIndex search_from_ = 0;                     ///< plain loop: where the last active link was found
  std::uint64_t plain_copies_ = 0;                 ///< plain loop: copies in its last call (active-pair sampling decides on it)
  std::array<std::vector<AgentRange>, 2> blocks_;  ///< block scheme: the blocks of colour 0 and of colour 1
  const Rng* rng_;                                 ///< the run's stream (for schedule restarts)
  GeometricEvents drift_events_;                   ///< which events are followed by a drift
  std::vector<std::uint8_t> field_;                ///< the fixed media vector (all zeros)
  Scale media_scale_ = Scale::world;               ///< endogenous media: the scope of each field
  TraitCounts field_counts_;                       ///< endogenous media: trait counts per scope
  TraitCounts world_counts_;                       ///< innovation: trait counts over the world
  std::uint64_t innovations_ = 0;
  ActiveSlots active_slots_;                              ///< active-pair sampling: the active directed links
  std::vector<std::uint32_t> reverse_slot_;               ///< active-pair sampling: slot of j -> i for slot i -> j
  std::uint32_t min_degree_ = 0;                          ///< active-pair sampling: smallest positive degree
  std::vector<std::uint64_t> active_by_degree_;           ///< active-pair sampling: active directed links by their source's degree
  std::vector<std::uint32_t> degrees_;                    ///< active-pair sampling: the distinct positive degrees
  std::uint64_t jumps_ = 0;                               ///< active-pair sampling: jumps drawn so far
  std::vector<std::atomic<std::uint64_t>> reservations_;  ///< parallel events: per agent, (round, smallest pending event touching it)
  std::uint64_t round_ = 0;                               ///< parallel events: rounds so far (stamps the reservations)
  bool jumping_ = false;                                  ///< active-pair sampling: the set is current and jumps are used
  /// Rebuilds the set of active directed links from the traits.
  void collect_active_slots() noexcept;
  GeometricEvents media_events_;    ///< which events meet the field
  std::uint64_t field_active_ = 0;  ///< agents with 0 < overlap(agent, field) < F
  Places places_;
  const Places* world_places_ = nullptr;  ///< the world's places when given (copied into places_ after a renewal)
  GeometricEvents reach_events_;          ///< which events draw their partner beyond the network
  GeometricEvents heritage_events_;       ///< which events meet the locality's heritage
  GeometricEvents market_events_;         ///< which events meet the product culture on sale
  std::vector<std::uint8_t> products_;    ///< per locality, the product culture on sale (F bytes, padded)
  std::vector<std::uint8_t> on_sale_;     ///< per locality, 1 when a product culture is on sale
  std::vector<std::uint8_t> heritage_;    ///< per locality, the modal initial trait of each feature
  std::uint64_t heritage_active_ = 0;     ///< agents with 0 < overlap(agent, heritage) < F
  Scale outer_ = Scale::network;          ///< the outermost scale with positive reach
  bool frozen_far_ = false;               ///< the scans (scopes_frozen, fields_frozen) held at the last check, nothing moved since
  std::uint64_t current_event_ = 0;       ///< global index of the event being executed
  Kernel kernel_ = Kernel::none;          ///< the loop that ran the last events
  std::uint64_t last_change_ = 0;         ///< 1 + global index of the last event that changed a trait
};

}  // namespace glocal::culture
