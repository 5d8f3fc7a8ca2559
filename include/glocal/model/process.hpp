#pragma once
// The process interface and the explicit registry of built-in processes.
//
// A process owns its columns (agent state), reads its parameters once when it is created, and
// advances one tick at a time. The engine calls it once per tick (never once per agent), so
// a virtual call here costs nothing measurable.
#include <atomic>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "glocal/core/rng.hpp"
#include "glocal/model/nation_policy.hpp"
#include "glocal/model/parameter.hpp"
#include "glocal/world/network.hpp"
#include "glocal/world/places.hpp"
#include "glocal/world/renewal.hpp"

namespace glocal {

class Scenario;
class Process;

/// What a process may read while it is built.
struct BuildContext {
  const Scenario& scenario;
  const Places& places;
  const Network& network;  ///< the world's network: every locality's, side by side
  const Rng& rng;
  /// The process of this name built before this one (registry order), or nullptr.
  std::function<Process*(std::string_view)> built;
};

/// What a process may read during one tick.
struct TickContext {
  std::uint64_t tick;  ///< the tick being run, from 1
  const Rng& rng;
  /// When set and true, the run is being cancelled: a long tick may stop part-way (the run's
  /// state is then discarded). Never changes a tick that is not cancelled.
  const std::atomic<bool>* cancel = nullptr;
  /// In Process::renew only: the network before the renewal, where the renewal kept every tie
  /// between survivors (random networks); nullptr otherwise (the network was built afresh).
  const Network* previous_network = nullptr;
};

class Process {
 public:
  virtual ~Process() = default;
  Process() = default;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  /// Advances one tick. Must not throw for valid input; allocates nothing in steady state.
  virtual void step(const TickContext& context) = 0;
  /// True when no further event of this process can change its state.
  [[nodiscard]] virtual bool absorbed() const = 0;
  /// Writes the current metrics, in the order of ProcessInfo::metrics.
  virtual void measure(std::span<double> out) const = 0;
  /// Writes the metrics of one place (a contiguous range of agents), in the order of
  /// ProcessInfo::place_metrics. Processes without place metrics keep the default.
  virtual void measure_place(AgentRange /*place*/, std::span<double> /*out*/) const {}
  /// Called once every process of the run is built: finds the processes this one reads that run
  /// after it (what they offer is then their state at the end of the previous tick).
  virtual void connect(const std::function<Process*(std::string_view)>& /*find*/) {}
  /// A scheduled key took a new value; called between ticks, only for keys the process declares
  /// schedulable.
  virtual void set_parameter(const std::string& /*key*/, double /*value*/) {}
  /// The population changed at the start of tick `context.tick` (demography): agents died, were
  /// born and are renumbered as `renewal` says; the places and the network given at build time
  /// already hold the new world. The process renumbers its columns (a newborn starts from its
  /// parent's state, or from its own draws: entity = its place in renewal.born, tick, purpose
  /// demography_birth) and rebuilds what it derived from them. Called only for processes whose
  /// ProcessInfo::renews is true.
  virtual void renew(const Renewal& /*renewal*/, const TickContext& /*context*/) {}
  /// For watchers (the dashboard's lattice view), never for results: one label per agent of the
  /// place, equal for two agents exactly when their states are equal (culture: a hash of the
  /// trait vector). Returns false when the process has no per-agent state to show (the default).
  virtual bool agent_states(AgentRange /*place*/, std::span<std::uint64_t> /*out*/) const { return false; }
};

struct ProcessInfo {
  std::string name;                          ///< also the scenario table that enables it, e.g. "culture"
  std::string summary;                       ///< one line
  std::string reference;                     ///< the paper(s) it reproduces
  bool can_absorb = false;                   ///< whether run.stop = "absorbing" is meaningful for it
  bool renews = false;                       ///< whether it follows a changing population (Process::renew), so it can run with [demography]
  PolicyAccess policy = PolicyAccess::none;  ///< how it uses the nations' policy table (glocal/model/nation_policy.hpp)
  std::vector<ParamSpec> parameters;
  std::vector<MetricSpec> metrics;
  std::vector<MetricSpec> place_metrics;  ///< per locality / nation / bloc / world (run.record_places)
  /// Bytes per agent a run of this process holds: its per-agent arrays and the scratch its
  /// metrics use (glocal check and glocal run estimate memory from it; see run/memory.hpp).
  /// `links` is the network's directed links per agent.
  std::function<double(const Scenario&, double links)> bytes_per_agent;
  /// Cross-key checks beyond each key's bounds; throws ScenarioError.
  std::function<void(const Scenario&)> validate;
  std::function<std::unique_ptr<Process>(const BuildContext&)> create;
};

/// The processes, in the order they run within a tick: the built-in ones (one explicit list,
/// src/processes/registry.cpp; nothing registers itself), then those a program registered
/// (register_process in glocal/process_api.hpp). The first call closes the registry.
[[nodiscard]] const std::vector<ProcessInfo>& process_registry();
/// The registry entry with this name, or nullptr.
[[nodiscard]] const ProcessInfo* find_process(std::string_view name);

}  // namespace glocal
