#include "processes/culture/culture.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>

#include "glocal/model/reach.hpp"
#include "glocal/model/scenario.hpp"

namespace glocal::culture {

namespace {

constexpr std::int64_t kMaxPoissonMean = 100;  // P(trait > 255) < 1e-40: the uint8 column holds every draw

/// The first key that takes the model beyond plain Axelrod (a rare action: drift, media,
/// heritage, a reach beyond the network), set or scheduled; "" if none.
std::string beyond_plain_model(const Scenario& scenario) {
  for (const char* key : {"culture.drift", "culture.media.strength", "culture.heritage", "culture.market", "culture.reach.locality",
                          "culture.reach.nation", "culture.reach.bloc", "culture.reach.world"}) {
    bool used = scenario.real(key) > 0.0;
    for (const auto& schedule : scenario.schedules()) used = used || schedule.key == key;
    if (used) return key;
  }
  return "";
}

}  // namespace

ProcessInfo process_info() {
  using P = Parameters;
  return ProcessDefinition<CultureProcess, P>("culture")
      .summary("Axelrod's dissemination of culture: agents copy traits from similar neighbours.")
      .reference("Axelrod (1997) J. Conflict Resolut. 41:203; Castellano, Marsili & Vespignani (2000) PRL 85:3536")
      .can_absorb()
      .renews()
      .parameter("features", &P::features, 1, 64, "features", "Number of cultural features F per agent.")
      .parameter("traits", &P::traits, 1, 255, "traits",
                 "Number of traits q per feature (uniform initial traits are 0..q-1; with Poisson, q is the mean).")
      .choice("initial", &P::initial, {{"uniform", InitialTraits::uniform}, {"poisson", InitialTraits::poisson}},
              "Initial traits: uniform on 0..q-1 (Axelrod 1997), or Poisson with mean q (Castellano et al. 2000; q <= 100).")
      .parameter("rate", &P::rate, 1, 1.0e6, "events per agent per tick",
                 "Culture events per tick, per agent: a tick is rate x N events (1 for Axelrod's time unit; more when a tick is "
                 "a year of a world scenario).")
      .parameter("drift", &P::drift, 0.0, 1.0, "per event",
                 "Cultural drift (Klemm et al. 2003): after each event, with this probability one feature of a random agent takes a "
                 "trait drawn uniformly from 0..q-1 (possibly its own). With drift > 0 there is no absorbing state.")
      .schedulable()
      .parameter("heritage", &P::heritage, 0.0, 1.0, "per event",
                 "h: probability that an event's partner is the locality's heritage vector (its initial modal culture, feature "
                 "by feature): local knowledge. Same homophily rule.")
      .schedulable()
      .parameter("market", &P::market, 0.0, 1.0, "per event",
                 "Probability that an event's partner is the product culture of the firm selling in the agent's locality "
                 "(economy.firms with a culture: the firm's culture is a media field there); nothing happens where no firm "
                 "sells. Same homophily rule. With market > 0 the process never absorbs.")
      .schedulable()
      .choice("sampling", &P::sampling, {{"events", Sampling::events}, {"active-pairs", Sampling::active_pairs}},
              "How events are simulated: one by one ('events'), or by jumping from one event that picks an active link "
              "(0 < overlap < F) to the next, with the events in between counted exactly (a geometric gap): same "
              "distribution of outcomes and of events to absorption, far faster near absorption. 'active-pairs' needs the "
              "plain model: no drift, media, heritage, or reach beyond the network.")
      .parameter("threads", &P::threads, 1, 256, "threads",
                 "Threads that share one run's events; the results never depend on it. For one large world (replicates already "
                 "run in parallel with --threads). With culture.update = 'blocks' the blocks of a phase run side by side (the "
                 "fast way). With 'sequential', deterministic reservations: each tick's events are executed in rounds, an event "
                 "when no earlier pending event touches its agent or the agent's neighbours, so the result is exactly one-by-one "
                 "random sequential updating, but the rounds cost several events' work (slower than one thread on the 2-core "
                 "development machine; see bench/README.md). Needs the plain model: no drift, media, heritage, market, reach "
                 "beyond the network or active-pair sampling.")
      .bookkeeping()
      .choice("update", &P::update, {{"sequential", Update::sequential}, {"blocks", Update::blocks}},
              "The update scheme. 'sequential': random sequential updating, each event an agent drawn from all N (Axelrod "
              "1997). 'blocks': the agents are split into blocks (each locality; a periodic lattice into an even number of "
              "strips of at least 8 whole rows, at most 64), coloured so that no link joins two blocks of one colour; a tick "
              "alternates the colours 2 x culture.block_phases times, and in each phase every block of that colour runs its "
              "share of its events (agents drawn within the block, partners any neighbour), the blocks side by side on "
              "culture.threads threads, with the same result on any number. A different update scheme from Axelrod's, "
              "validated against it (docs/model/culture.md): each agent still acts rate times per tick on average, but the "
              "order of events near block edges is constrained. Needs the plain model.")
      .parameter("block_phases", &P::block_phases, 1, 1024, "phases per colour per tick",
                 "With culture.update = 'blocks': how many times per tick each colour takes its turn (more: a finer "
                 "interleaving of the colours, one more barrier each).")
      .choice("prototype", &P::prototype,
              {{"none", Scale::network}, {"locality", Scale::locality}, {"nation", Scale::nation}, {"bloc", Scale::bloc}},
              "Initial cultures around place prototypes: each place of this scale draws a prototype culture (from the same "
              "distribution as the traits), and each initial trait of its agents is the prototype's with probability "
              "culture.similarity, else an independent draw. 'none': every trait independent (Axelrod 1997).")
      .parameter("similarity", &P::similarity, 0.0, 1.0, "probability",
                 "s: probability that an initial trait is the place prototype's (0: independent traits, 1: every agent of a place "
                 "starts with its prototype). Needs culture.prototype.")
      .choice("media.kind", &P::media,
              {{"none", MediaKind::none},
               {"fixed", MediaKind::fixed},
               {"world", MediaKind::world},
               {"nation", MediaKind::nation},
               {"locality", MediaKind::locality}},
              "Mass media, met with probability culture.media.strength per event: a fixed field vector (0, ..., 0) "
              "(Gonzalez-Avella et al. 2005), or an endogenous field, the modal culture (most common trait of each feature, "
              "ties to the smallest) of the whole world, of the agent's nation or of its locality, kept exact after every "
              "change (Gonzalez-Avella et al. 2006).")
      .parameter("media.strength", &P::media_strength, 0.0, 1.0, "per event",
                 "B: probability that an event's partner is the media field instead of a neighbour; same homophily rule.")
      .schedulable()
      .parameter("innovation", &P::innovation, 0.0, 1.0, "per copy",
                 "c (creolization): when an agent copies a trait from a partner of another locality (a reach beyond the "
                 "locality), with this probability it takes instead a trait that no agent in the world holds on that feature "
                 "(the smallest unused value of 0..255; a plain copy if all are held).")
      .reach(&P::reach, "a partner")
      .metric_group(
          &CultureProcess::measure_all,
          {
              {{"regions", "regions", "Connected sets of agents with identical culture over the network."},
               &CultureProcess::WorldMetrics::regions},
              {{"zones", "zones", "Connected sets in which linked agents share at least one trait."}, &CultureProcess::WorldMetrics::zones},
              {{"smax", "share", "Size of the largest region divided by N."}, &CultureProcess::WorldMetrics::smax},
              {{"cultures", "cultures", "Number of distinct culture vectors."}, &CultureProcess::WorldMetrics::cultures},
              {{"novel_share", "share", "Share of agents whose culture vector existed nowhere at tick 0."},
               &CultureProcess::WorldMetrics::novel_share},
              {{"events", "events",
                "Culture events performed (random sequential, with replacement); frozen at absorption, so at the end of an absorbed run it "
                "is the "
                "number of events to absorption (with culture.update = 'blocks', counted to the end of the phase in which the last change "
                "happened)."},
               &CultureProcess::WorldMetrics::events},
              {{"absorbed", "0/1",
                "1 when no event can change anything: no pair that can meet (linked, or in one place of the outermost reach scale), and no "
                "agent "
                "and the media field or its heritage, with 0 < overlap < F."},
               &CultureProcess::WorldMetrics::absorbed},
              {{"global_share", "share",
                "Share of agents identical to the media field they meet (the fixed vector, or their scope's modal culture; empty without "
                "media)."},
               &CultureProcess::WorldMetrics::global_share},
              {{"heritage_retention", "share",
                "Mean share of features on which an agent still holds its locality's heritage (the initial modal trait)."},
               &CultureProcess::WorldMetrics::heritage_retention},
              {{"novel_cultures", "share",
                "Share of the distinct culture vectors present that existed nowhere at tick 0 (creolization: new combinations)."},
               &CultureProcess::WorldMetrics::novel_cultures},
              {{"overlap_within", "share",
                "Mean overlap (share of features in common) over pairs of agents in the same locality: local cohesion."},
               &CultureProcess::WorldMetrics::overlap_within},
              {{"overlap_between", "share",
                "Mean overlap over pairs of agents in different localities: global homogeneity (empty with one locality)."},
               &CultureProcess::WorldMetrics::overlap_between},
              {{"overlap_ratio", "ratio",
                "overlap_within / overlap_between: above 1, places are culturally distinct; near 1, the world is homogeneous or uniformly "
                "mixed."},
               &CultureProcess::WorldMetrics::overlap_ratio},
              {{"innovations", "events", "Copies from an agent of another locality that produced a new trait (culture.innovation)."},
               &CultureProcess::WorldMetrics::innovations},
              {{"hybrid_share", "share",
                "Creolization as recombination: share of agents whose culture mixes their locality's heritage and the global culture "
                "(the media field they meet; without media the world's modal culture): every feature the heritage's or the global "
                "trait, at least one from each where the other differs."},
               &CultureProcess::WorldMetrics::hybrid_share},
              {{"hybrid_size", "agents",
                "Agents per distinct hybrid vector (hybrid_share x N / distinct hybrids): large when mixtures are shared, 1 when each "
                "agent's is its own (empty without hybrids)."},
               &CultureProcess::WorldMetrics::hybrid_size},
          })
      .place_metric_group(
          &CultureProcess::measure_place_all,
          {
              {{"agents", "agents", "Agents in the place."}, &CultureProcess::PlaceMetrics::agents},
              {{"cultures", "cultures", "Distinct culture vectors in the place."}, &CultureProcess::PlaceMetrics::cultures},
              {{"entropy", "bits", "Shannon entropy of the distribution of culture vectors in the place."},
               &CultureProcess::PlaceMetrics::entropy},
              {{"dominant_share", "share", "Share of the place's agents holding its most common culture vector."},
               &CultureProcess::PlaceMetrics::dominant_share},
              {{"global_share", "share", "Share of the place's agents identical to the media field vector (empty without media)."},
               &CultureProcess::PlaceMetrics::global_share},
              {{"heritage_retention", "share", "Mean share of features on which the place's agents hold their locality's heritage."},
               &CultureProcess::PlaceMetrics::heritage_retention},
              {{"novel_share", "share", "Share of the place's agents whose culture vector existed nowhere in the world at tick 0."},
               &CultureProcess::PlaceMetrics::novel_share},
              {{"novel_cultures", "share", "Share of the place's distinct culture vectors that existed nowhere in the world at tick 0."},
               &CultureProcess::PlaceMetrics::novel_cultures},
              {{"overlap_within", "share", "Mean overlap over pairs of the place's agents in the same locality."},
               &CultureProcess::PlaceMetrics::overlap_within},
              {{"overlap_between", "share",
                "Mean overlap over pairs of the place's agents in different localities (empty for a locality)."},
               &CultureProcess::PlaceMetrics::overlap_between},
          })
      .bytes_per_agent([](const Scenario& scenario, double links) {
        double bytes = static_cast<double>(scenario.integer("culture.features"));  // traits_
        bytes += 16.0;  // the metrics' scratch: each agent's culture key and the radix sort's buffer
        const bool sequential = scenario.text("culture.update") == "sequential";
        if (sequential && scenario.integer("culture.threads") > 1) bytes += 8.0;         // parallel events: reservations_
        if (scenario.text("culture.sampling") == "active-pairs") bytes += 12.0 * links;  // reverse_slot_, active_slots_
        return bytes;
      })
      .validate([](const Scenario& scenario) {
        validate_reach(scenario, "culture");
        bool drifts = scenario.real("culture.drift") > 0.0;
        for (const auto& schedule : scenario.schedules()) {
          for (const auto& point : schedule.points) drifts = drifts || (schedule.key == "culture.drift" && point.second > 0.0);
        }
        if (drifts && scenario.text("run.stop") == "absorbing") {
          throw ScenarioError(scenario.location("run.stop"), "run.stop",
                              "culture.drift > 0 leaves no absorbing state; use run.stop = \"ticks\"");
        }
        if (scenario.text("culture.update") == "blocks") {
          if (const std::string key = beyond_plain_model(scenario); !key.empty()) {
            throw ScenarioError(scenario.location("culture.update"), "culture.update",
                                fmt::format("\"blocks\" needs the plain model, but {} is set or scheduled", key));
          }
          if (scenario.text("culture.sampling") == "active-pairs") {
            throw ScenarioError(scenario.location("culture.update"), "culture.update",
                                "\"blocks\" does not combine with culture.sampling = \"active-pairs\"");
          }
        }
        if (scenario.integer("culture.threads") > 1) {
          if (const std::string key = beyond_plain_model(scenario); !key.empty()) {
            throw ScenarioError(scenario.location("culture.threads"), "culture.threads",
                                fmt::format("more than one thread per run needs the plain model, but {} is set or scheduled", key));
          }
          if (scenario.text("culture.sampling") == "active-pairs") {
            throw ScenarioError(scenario.location("culture.threads"), "culture.threads",
                                "more than one thread per run does not combine with culture.sampling = \"active-pairs\"");
          }
        }
        if (scenario.text("culture.sampling") == "active-pairs") {
          if (const std::string key = beyond_plain_model(scenario); !key.empty()) {
            throw ScenarioError(scenario.location("culture.sampling"), "culture.sampling",
                                fmt::format("\"active-pairs\" is exact only for the plain model, but {} is set or scheduled", key));
          }
        }
        if (scenario.enables("demography") &&
            (scenario.text("culture.update") == "blocks" || scenario.text("culture.sampling") == "active-pairs")) {
          const std::string key = scenario.text("culture.update") == "blocks" ? "culture.update" : "culture.sampling";
          throw ScenarioError(scenario.location(key), key,
                              "cannot follow a changing population ([demography]): use the default update and sampling");
        }
        if (scenario.real("culture.similarity") > 0.0 && scenario.text("culture.prototype") == "none") {
          throw ScenarioError(
              scenario.location("culture.similarity"), "culture.similarity",
              "needs culture.prototype (\"locality\", \"nation\" or \"bloc\"): the places whose prototypes agents resemble");
        }
        if (scenario.text("culture.initial") == "poisson" && scenario.integer("culture.traits") > kMaxPoissonMean) {
          throw ScenarioError(scenario.location("culture.traits"), "culture.traits",
                              fmt::format("with culture.initial = \"poisson\" the mean q must be at most {}, got {}", kMaxPoissonMean,
                                          scenario.integer("culture.traits")));
        }
      })
      .create([](const BuildContext& context, const Parameters& parameters) {
        return std::make_unique<CultureProcess>(parameters, context.network, context.rng, &context.places);
      })
      .info();
}

CultureProcess::CultureProcess(const Parameters& parameters, const Network& network, const Rng& rng, const Places* places)
    : BasicProcess(parameters),
      network_(&network),
      lattice_(network.periodic_lattice_side() != 0
                   ? LatticeNeighbors(network.periodic_lattice_side(), network.size(), network.lattice_order())
                   : LatticeNeighbors{}),
      rng_(&rng),
      drift_events_(parameters.drift, Purpose::culture_drift, rng),
      media_events_(parameters.media != MediaKind::none ? parameters.media_strength : 0.0, Purpose::culture_media, rng),
      places_(places != nullptr ? *places : Places(PlaceShape{1, 1, 1, network.size()})),
      world_places_(places),
      reach_events_(1.0 - parameters.reach[0] > 1e-12 ? 1.0 - parameters.reach[0] : 0.0, Purpose::culture_reach, rng),
      heritage_events_(parameters.heritage, Purpose::culture_heritage, rng),
      market_events_(parameters.market, Purpose::culture_market, rng) {
  const std::uint32_t features = params_.features;
  const AgentIndex agents = network.size();
  draw_initial_cultures(rng);
  initial_cultures_ = CultureCatalog(view());
  active_edges_ = active_edges(view(), network);
  const std::uint32_t trait_limit = this->trait_limit();
  if (params_.media == MediaKind::fixed) {
    field_.assign(features + kPackedFeatures, 0);  // the fixed field (0, ..., 0): with uniform initial traits any vector is equivalent
    for (AgentIndex i = 0; i < agents; ++i) field_active_ += field_active(traits_.data() + static_cast<std::size_t>(i) * features) ? 1 : 0;
  } else if (endogenous_media()) {
    media_scale_ = params_.media == MediaKind::world ? Scale::world : params_.media == MediaKind::nation ? Scale::nation : Scale::locality;
    field_counts_ = TraitCounts(view(), places_, media_scale_, trait_limit);
  }
  if (params_.innovation > 0.0) world_counts_ = TraitCounts(view(), places_, Scale::world, trait_limit);
  if (active_pair_sampling()) {
    // Each directed link i -> j (a CSR slot) knows its reverse j -> i; the active ones form a set.
    const auto& offsets = network.offsets();
    const auto& neighbors = network.neighbor_array();
    reverse_slot_.resize(neighbors.size());
    active_slots_ = ActiveSlots(neighbors.size());
    std::uint32_t max_degree = 0;
    for (AgentIndex i = 0; i < agents; ++i) max_degree = std::max(max_degree, network.degree(i));
    active_by_degree_.assign(max_degree + 1, 0);
    std::vector<bool> seen(max_degree + 1, false);
    for (AgentIndex i = 0; i < agents; ++i) {
      if (network.degree(i) > 0 && !seen[network.degree(i)]) {
        seen[network.degree(i)] = true;
        degrees_.push_back(network.degree(i));
      }
      for (std::uint32_t slot = offsets[i]; slot < offsets[i + 1]; ++slot) {
        const AgentIndex j = neighbors[slot];
        const auto back = std::find(neighbors.begin() + offsets[j], neighbors.begin() + offsets[j + 1], i);
        reverse_slot_[slot] = static_cast<std::uint32_t>(back - neighbors.begin());
      }
    }
    min_degree_ = degrees_.empty() ? 0 : *std::min_element(degrees_.begin(), degrees_.end());
  }
  outer_ = outermost(params_.reach);
  if (blocks_scheme()) build_blocks();
  // Heritage (local knowledge): each locality keeps its initial modal culture, feature by
  // feature (ties to the smallest trait).
  const TraitCounts local(view(), places_, Scale::locality, trait_limit);
  heritage_tracked_ = params_.heritage > 0.0;
  heritage_.resize(static_cast<std::size_t>(places_.count(Scale::locality)) * features + kPackedFeatures);
  for (std::uint32_t l = 0; l < places_.count(Scale::locality); ++l)
    std::memcpy(heritage_.data() + static_cast<std::size_t>(l) * features, local.mode(l), features);
  if (heritage_tracked_) count_heritage_active();  // otherwise counted when heritage is switched on
}

bool CultureProcess::agent_states(AgentRange place, std::span<std::uint64_t> out) const {
  const std::uint32_t features = params_.features;
  for (AgentIndex k = 0; k < place.size && k < out.size(); ++k) {
    const std::uint8_t* traits = traits_.data() + static_cast<std::size_t>(place.first + k) * features;
    std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a over the trait bytes: distinct vectors, distinct labels
    for (std::uint32_t f = 0; f < features; ++f) hash = (hash ^ traits[f]) * 1099511628211ULL;
    out[k] = hash;
  }
  return true;
}

void CultureProcess::draw_initial_cultures(const Rng& rng) {
  const std::uint32_t features = params_.features;
  const AgentIndex agents = network_->size();
  const auto trait_of = [&](std::uint64_t word) {
    return static_cast<std::uint8_t>(params_.initial == InitialTraits::uniform
                                         ? uniform_below(word, params_.traits)
                                         : std::min<std::uint64_t>(poisson_from_unit(uniform_unit(word), params_.traits), 255));
  };
  // Word f % 4 of block (entity, tick, purpose, f / 4) for feature f.
  const auto words_of = [&](std::uint64_t entity, std::uint64_t tick, Purpose purpose, std::vector<std::uint64_t>& out) {
    RandomBlock block{};
    for (std::uint32_t f = 0; f < features; ++f) {
      if (f % 4 == 0) block = rng.block(entity, tick, purpose, f / 4);
      out[f] = block[f % 4];
    }
  };
  std::vector<std::uint8_t> prototypes;
  const bool around_prototypes = params_.prototype != Scale::network && params_.similarity > 0.0;
  std::vector<std::uint64_t> words(features);
  if (around_prototypes) {
    const std::uint32_t places = places_.count(params_.prototype);
    prototypes.resize(static_cast<std::size_t>(places) * features);
    for (std::uint32_t p = 0; p < places; ++p) {
      words_of(p, 1, Purpose::culture_prototype, words);
      for (std::uint32_t f = 0; f < features; ++f) prototypes[static_cast<std::size_t>(p) * features + f] = trait_of(words[f]);
    }
  }
  traits_.resize(static_cast<std::size_t>(agents) * features + kPackedFeatures);  // padded: packed reads of the last agent
  std::vector<std::uint64_t> coins(features);
  // The agents' blocks come a chunk at a time (Rng::entity_blocks): block f / 4 of agent i is
  // blocks[(f / 4) * kChunk + i - first], the same words as words_of(i, 0, culture_init, ...).
  constexpr AgentIndex kChunk = 256;
  const std::uint32_t per_agent = (features + 3) / 4;
  std::vector<RandomBlock> blocks(static_cast<std::size_t>(per_agent) * kChunk);
  for (AgentIndex first = 0; first < agents; first += kChunk) {
    const AgentIndex chunk = std::min(kChunk, agents - first);
    for (std::uint32_t b = 0; b < per_agent; ++b) {
      rng.entity_blocks(first, 0, Purpose::culture_init, b, std::span(blocks).subspan(static_cast<std::size_t>(b) * kChunk, chunk));
    }
    for (AgentIndex k = 0; k < chunk; ++k) {
      std::uint8_t* mine = traits_.data() + (static_cast<std::size_t>(first) + k) * features;
      for (std::uint32_t f = 0; f < features; ++f) mine[f] = trait_of(blocks[static_cast<std::size_t>(f / 4) * kChunk + k][f % 4]);
    }
  }
  for (AgentIndex i = 0; i < agents && around_prototypes; ++i) {
    std::uint8_t* mine = traits_.data() + static_cast<std::size_t>(i) * features;
    words_of(i, 0, Purpose::culture_prototype, coins);
    const std::uint8_t* prototype = prototypes.data() + static_cast<std::size_t>(places_.place_of(i, params_.prototype)) * features;
    for (std::uint32_t f = 0; f < features; ++f) {
      if (uniform_unit(coins[f]) < params_.similarity) mine[f] = prototype[f];
    }
  }
}

TraitCounts::TraitCounts(const CultureView& culture, const Places& places, Scale scale, std::uint32_t trait_limit)
    : features_(culture.features), trait_limit_(trait_limit) {
  const std::uint32_t scopes = places.count(scale);
  counts_.assign(static_cast<std::size_t>(scopes) * features_ * 256, 0);
  modes_.assign(static_cast<std::size_t>(scopes) * features_ + kPackedFeatures, 0);  // padded for packed reads
  for (std::uint32_t scope = 0; scope < scopes; ++scope) {
    const AgentRange place = places.place(scale, scope);
    for (AgentIndex i = place.first; i < place.first + place.size; ++i) {
      for (std::uint32_t f = 0; f < features_; ++f) ++counts_[(static_cast<std::size_t>(scope) * features_ + f) * 256 + culture.of(i)[f]];
    }
    for (std::uint32_t f = 0; f < features_; ++f) find_mode(scope, f);
  }
}

void TraitCounts::find_mode(std::uint32_t scope, std::uint32_t feature) noexcept {
  const std::uint32_t* counts = counts_.data() + (static_cast<std::size_t>(scope) * features_ + feature) * 256;
  std::uint32_t best = 0;
  for (std::uint32_t t = 1; t < trait_limit_; ++t) best = counts[t] > counts[best] ? t : best;
  modes_[static_cast<std::size_t>(scope) * features_ + feature] = static_cast<std::uint8_t>(best);
}

void TraitCounts::move(std::uint32_t scope, std::uint32_t feature, std::uint8_t from, std::uint8_t to) noexcept {
  std::uint32_t* counts = counts_.data() + (static_cast<std::size_t>(scope) * features_ + feature) * 256;
  std::uint8_t& mode = modes_[static_cast<std::size_t>(scope) * features_ + feature];
  --counts[from];
  ++counts[to];
  if (from == mode) {
    find_mode(scope, feature);  // the mode lost a holder: another trait may now lead
  } else if (counts[to] > counts[mode] || (counts[to] == counts[mode] && to < mode)) {
    mode = to;
  }
}

std::uint32_t CultureProcess::trait_limit() const noexcept {
  // Traits beyond q occur only with Poisson initial traits or innovation.
  return params_.initial == InitialTraits::poisson || params_.innovation > 0.0 ? 256 : params_.traits;
}

void CultureProcess::renew(const Renewal& renewal, const TickContext& context) {
  const std::uint32_t features = params_.features;
  // Where the renewal kept the survivors' ties, the active links are counted incrementally: those
  // at the dead (on the network and cultures before) go, those at the newborns come; the ties
  // between survivors and their cultures are unchanged. Otherwise they are counted afresh.
  const bool incremental = context.previous_network != nullptr && links_counted_;
  std::uint64_t lost = 0;
  if (incremental) {
    const auto is_dead = [&](AgentIndex i) { return renewal.after[i] == Renewal::kDead; };
    std::vector<AgentIndex> dead;
    for (AgentIndex i = 0; i < renewal.before; ++i) {
      if (is_dead(i)) dead.push_back(i);
    }
    lost = active_edges_at(view(), *context.previous_network, dead, is_dead);
  }
  renewal.gather_rows(traits_, features, kPackedFeatures);
  places_ = *world_places_;
  if (incremental) {
    active_edges_ =
        active_edges_ - lost + active_edges_at(view(), *network_, renewal.born, [&](AgentIndex i) { return renewal.is_born(i); });
  } else {
    active_edges_ = active_edges(view(), *network_);
  }
  links_counted_ = true;
  search_from_ = 0;
  frozen_far_ = false;
  if (params_.media == MediaKind::fixed) {
    field_active_ = 0;
    for (AgentIndex i = 0; i < network_->size(); ++i)
      field_active_ += field_active(traits_.data() + static_cast<std::size_t>(i) * features) ? 1 : 0;
  } else if (endogenous_media()) {
    field_counts_ = TraitCounts(view(), places_, media_scale_, trait_limit());
  }
  if (params_.innovation > 0.0) world_counts_ = TraitCounts(view(), places_, Scale::world, trait_limit());
  if (params_.heritage > 0.0) count_heritage_active();
}

void CultureProcess::count_heritage_active() noexcept {
  heritage_active_ = 0;
  const std::uint32_t features = params_.features;
  for (AgentIndex i = 0; i < network_->size(); ++i) {
    const std::uint32_t same = overlap(traits_.data() + static_cast<std::size_t>(i) * features, heritage_of(i), features);
    heritage_active_ += active_pair(same, features) ? 1 : 0;
  }
}

void CultureProcess::parameter_changed(const std::string& key) {
  if (key == "culture.drift") {
    drift_events_.restart(params_.drift, events_, *rng_);
  } else if (key == "culture.heritage") {
    const bool was_tracked = heritage_tracked_;
    heritage_tracked_ = params_.heritage > 0.0;
    heritage_events_.restart(params_.heritage, events_, *rng_);
    if (!was_tracked && heritage_tracked_) count_heritage_active();  // the count is kept only while heritage acts
  } else if (key == "culture.market") {
    market_events_.restart(params_.market, events_, *rng_);
  } else if (key == "culture.media.strength") {
    media_events_.restart(media_on() ? params_.media_strength : 0.0, events_, *rng_);
    frozen_far_ = false;  // an endogenous field's scan depends on whether the field acts
  } else if (key.rfind("culture.reach.", 0) == 0) {
    reach_changed(*rng_);
  }
}

void CultureProcess::locality_modes(std::vector<std::uint8_t>& out) const {
  const std::uint32_t features = params_.features;
  const std::uint32_t localities = places_.count(Scale::locality);
  out.assign(static_cast<std::size_t>(localities) * features, 0);
  std::vector<std::uint32_t> counts(static_cast<std::size_t>(features) * 256);
  for (std::uint32_t l = 0; l < localities; ++l)
    modal_culture(places_.place(Scale::locality, l), counts, out.data() + static_cast<std::size_t>(l) * features);
}

void CultureProcess::modal_culture(AgentRange place, std::span<std::uint32_t> counts, std::uint8_t* out) const {
  const std::uint32_t features = params_.features;
  std::fill(counts.begin(), counts.end(), 0U);
  for (AgentIndex i = place.first; i < place.first + place.size; ++i) {
    const std::uint8_t* culture = traits_.data() + static_cast<std::size_t>(i) * features;
    for (std::uint32_t f = 0; f < features; ++f) ++counts[f * 256 + culture[f]];
  }
  for (std::uint32_t f = 0; f < features; ++f) {
    const auto* row = counts.data() + static_cast<std::size_t>(f) * 256;
    out[f] = static_cast<std::uint8_t>(std::max_element(row, row + 256) - row);
  }
}

void CultureProcess::set_products(std::span<const std::uint8_t> products, std::span<const std::uint8_t> on_sale) {
  products_.assign(products.begin(), products.end());
  products_.resize(products.size() + kPackedFeatures, 0);  // the packed rule reads whole words
  on_sale_.assign(on_sale.begin(), on_sale.end());
  frozen_far_ = false;
}

void CultureProcess::reach_changed(const Rng& rng) {
  const double far = 1.0 - params_.reach[0];
  reach_events_.restart(far > 1e-12 ? far : 0.0, events_, rng);
  outer_ = outermost(params_.reach);
  if (blocks_scheme()) build_blocks();
  frozen_far_ = false;  // the scope to check changed
}

CultureProcess::FarPartner CultureProcess::far_partner(AgentIndex agent, std::uint64_t ordinal, const Rng& rng) const noexcept {
  const RandomBlock words = rng.block(ordinal, 0, Purpose::culture_reach);
  const FarDraw draw = draw_beyond_network(params_.reach, places_, agent, uniform_unit(words[1]), words[2]);
  if (draw.partner == agent) return {};
  const bool foreign =
      draw.scale != Scale::locality && places_.place_of(draw.partner, Scale::locality) != places_.place_of(agent, Scale::locality);
  return {traits_.data() + static_cast<std::size_t>(draw.partner) * params_.features, foreign, words[3]};
}

bool CultureProcess::fields_frozen() const noexcept {
  const std::uint32_t features = params_.features;
  for (AgentIndex i = 0; i < network_->size(); ++i) {
    const std::uint32_t same = overlap(view().of(i), field_of(i), features);
    if (active_pair(same, features)) return false;
  }
  return true;
}

std::uint32_t CultureProcess::unused_trait(std::uint32_t feature) const noexcept {
  std::uint32_t t = 0;
  while (t < 256 && world_counts_.count(0, feature, t) > 0) ++t;
  return t;
}

bool CultureProcess::scopes_frozen() const {
  const std::uint32_t features = params_.features;
  const CultureView culture = view();
  std::vector<AgentIndex> order;
  std::vector<const std::uint8_t*> distinct;
  for (std::uint32_t scope = 0; scope < places_.count(outer_); ++scope) {
    const AgentRange place = places_.place(outer_, scope);
    order.resize(place.size);
    for (AgentIndex k = 0; k < place.size; ++k) order[k] = place.first + k;
    std::sort(order.begin(), order.end(),
              [&](AgentIndex a, AgentIndex b) { return std::memcmp(culture.of(a), culture.of(b), features) < 0; });
    distinct.clear();
    for (const AgentIndex a : order) {
      if (distinct.empty() || std::memcmp(distinct.back(), culture.of(a), features) != 0) distinct.push_back(culture.of(a));
    }
    for (std::size_t x = 0; x < distinct.size(); ++x) {
      for (std::size_t y = x + 1; y < distinct.size(); ++y) {
        if (overlap(distinct[x], distinct[y], features) > 0) return false;  // distinct, so o < F
      }
    }
  }
  return true;
}

GeometricEvents::GeometricEvents(double probability, Purpose purpose, const Rng& rng) noexcept
    : probability_(probability), purpose_(purpose) {
  if (probability_ > 0.0) next_ = gap(0, rng) - 1;  // the first carrier is event gap - 1 (events count from 0)
}

void GeometricEvents::restart(double probability, std::uint64_t from, const Rng& rng) noexcept {
  probability_ = probability;
  ++ordinal_;  // a fresh block: no number is used twice
  next_ = probability_ > 0.0 ? from + gap(ordinal_, rng) - 1 : ~std::uint64_t{0};
}

std::uint64_t GeometricEvents::gap(std::uint64_t ordinal, const Rng& rng) const noexcept {
  // G >= 1 with P(G = k) = (1 - p)^(k - 1) p, by inversion of one uniform on (0, 1].
  if (probability_ >= 1.0) return 1;
  const double unit = 1.0 - uniform_unit(rng.block(ordinal, 0, purpose_)[0]);
  const double g = 1.0 + std::floor(std::log(unit) / std::log1p(-probability_));
  return g < 1.0e18 ? static_cast<std::uint64_t>(g) : (std::uint64_t{1} << 62);
}

std::uint64_t GeometricEvents::advance(const Rng& rng) noexcept {
  const std::uint64_t current = ordinal_++;
  next_ = probability_ > 0.0 ? next_ + gap(ordinal_, rng) : ~std::uint64_t{0};
  return current;
}

bool CultureProcess::field_active(const std::uint8_t* culture) const noexcept {
  const std::uint32_t same = overlap(culture, field_.data(), params_.features);
  return active_pair(same, params_.features);
}

void CultureProcess::step(const TickContext& context) {
  const std::uint64_t count = static_cast<std::uint64_t>(network_->size()) * params_.rate;
  if (context.cancel == nullptr || count <= kCancelPiece || active_pair_sampling()) {
    run_events(context.tick, 0, count, context.rng);
  } else if (blocks_scheme()) {  // whole ticks only: the blocks look at the flag themselves
    cancel_ = context.cancel;
    run_events(context.tick, 0, count, context.rng);
    cancel_ = nullptr;
  } else {
    // A long tick in pieces, so that a cancelled run stops within one piece: the events are
    // numbered within the tick, so the pieces are exactly the whole tick (tested for the plain
    // loop, the event loop and parallel events; active-pair sampling decides between events and
    // jumps after each call, so its ticks stay whole).
    for (std::uint64_t first = 0; first < count; first += kCancelPiece) {
      if (context.cancel->load(std::memory_order_relaxed)) return;
      run_events(context.tick, first, std::min(kCancelPiece, count - first), context.rng);
    }
  }
  // With a reach beyond the network or an endogenous field, absorption needs a look at whole
  // places: at the end of the tick, only when every link is already inactive. Nothing changed after the last change, so the
  // events to absorption are exactly those up to it.
  if (needs_scan() && active_edges_ == 0 && !frozen_far_) {
    frozen_far_ =
        (outer_ == Scale::network || scopes_frozen()) && (!endogenous_media() || media_events_.probability() == 0.0 || fields_frozen());
    if (frozen_far_ && drift_events_.probability() == 0.0 && frozen()) events_ = last_change_;
  }
}

}  // namespace glocal::culture
