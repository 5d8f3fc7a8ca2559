#pragma once
// Writing a process: the one header a process author includes. docs/architecture.md ("How to add a
// process") walks through it; examples/wealth-process/ is a whole process, built outside the tree
// against the installed library.
//
// A process is a class derived from BasicProcess<Self, Params> plus one ProcessDefinition that
// declares, each once, next to what they bind to:
//   - its parameters, each bound to a typed field of Params: the key (the process's name, a dot,
//     the suffix), bounds, unit and description, then whether a [[schedule]] may move it
//     (.schedulable()) and when it applies (.applies_when()). The default is the field's value in a default-constructed Params; a choice key maps
//     strings to an enum; the scenario loader, `glocal describe`, runs.csv and the generated
//     reference are derived from these declarations;
//   - its metrics, each with the function that computes it (one value), or a group computed
//     together into a struct, each metric bound to its field (metric_group);
//   - how it is created. Random streams are named (named_stream) rather than added to an enum.
// register_process() adds it to the runner; run_command_line() (glocal/cli.hpp) is the whole
// `glocal` command line, so an out-of-tree executable of three lines runs, checks, sweeps and
// describes scenarios that use it.
#include <concepts>
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "glocal/core/rng.hpp"
#include "glocal/metrics/inequality.hpp"
#include "glocal/model/parameter.hpp"
#include "glocal/model/process.hpp"
#include "glocal/model/reach.hpp"
#include "glocal/model/scenario.hpp"
#include "glocal/world/places.hpp"

namespace glocal {

/// A counter lane of a process's own, from the names of the process and of the stream (the first 63
/// bits of their SHA-256, with the top bit set): never one of the built-in lanes (Purpose values
/// below 2^32), and the same in every build and on every machine. Use it as the `purpose` of
/// Rng::block or RandomStream; no central list to edit.
[[nodiscard]] Purpose named_stream(std::string_view process, std::string_view stream);

/// Adds a process to the registry: it runs after the built-in processes, in the order registered,
/// and a scenario enables it with a table of its name. Call it before the first scenario is read
/// (from main). Throws std::logic_error when scenarios have already been read, or when the name,
/// or one of its keys or metric names, is already taken or does not start with the process's name.
void register_process(ProcessInfo info);

template <typename Self, typename Params>
class ProcessDefinition;

/// One metric of a group computed together (ProcessDefinition::metric_group): its declaration and
/// the field of the group's summary that holds its value.
template <typename Summary>
struct MetricField {
  MetricSpec spec;
  double Summary::*value;
};

namespace detail {
/// The declarations a process's generic members read: parameter writers and metric functions.
template <typename Self, typename Params>
struct Declarations {
  struct Binding {
    std::string key;
    std::function<void(const Scenario&, Params&)> read;
    std::function<void(Params&, double)> assign;  ///< schedulable numeric keys only
  };
  struct MetricGroup {
    std::size_t count;
    std::function<void(const Self&, std::span<double>)> fill;
  };
  struct PlaceMetricGroup {
    std::size_t count;
    std::function<void(const Self&, AgentRange, std::span<double>)> fill;
  };
  std::vector<Binding> bindings;
  std::vector<MetricGroup> metrics;
  std::vector<PlaceMetricGroup> place_metrics;

  [[nodiscard]] Params read(const Scenario& scenario) const {
    Params params{};
    for (const auto& binding : bindings) binding.read(scenario, params);
    return params;
  }
};

/// The declarations of the latest ProcessDefinition<Self, Params> made into a ProcessInfo (info()):
/// what a process constructed directly (a unit test, a benchmark) measures and schedules by.
template <typename Self, typename Params>
std::shared_ptr<const Declarations<Self, Params>>& declared() {
  static std::shared_ptr<const Declarations<Self, Params>> latest;
  return latest;
}
}  // namespace detail

/// The base of a process written on this API: keeps the parameters, and implements measure,
/// measure_place and set_parameter from the declarations. Self derives from it (CRTP) and writes
/// step(); absorbed() is false unless overridden.
template <typename Self, typename Params>
class BasicProcess : public Process {
 public:
  explicit BasicProcess(const Params& params) : params_(params) {}

  [[nodiscard]] bool absorbed() const override { return false; }
  void measure(std::span<double> out) const override {
    std::size_t at = 0;
    for (const auto& group : declarations().metrics) {
      group.fill(self(), out.subspan(at, group.count));
      at += group.count;
    }
  }
  void measure_place(AgentRange place, std::span<double> out) const override {
    std::size_t at = 0;
    for (const auto& group : declarations().place_metrics) {
      group.fill(self(), place, out.subspan(at, group.count));
      at += group.count;
    }
  }
  /// Writes the bound field of a schedulable key, then calls parameter_changed(key).
  void set_parameter(const std::string& key, double value) override {
    for (const auto& binding : declarations().bindings) {
      if (binding.key == key && binding.assign) {
        binding.assign(params_, value);
        parameter_changed(key);
        return;
      }
    }
  }
  [[nodiscard]] const Params& params() const noexcept { return params_; }

 protected:
  /// A scheduled key moved (its field already holds the new value): derived state to refresh.
  virtual void parameter_changed(const std::string& /*key*/) {}
  Params params_;

 private:
  friend class ProcessDefinition<Self, Params>;
  [[nodiscard]] const Self& self() const noexcept { return static_cast<const Self&>(*this); }
  /// Set by the definition's create(); a process constructed directly takes those of the latest
  /// info() of its definition, so declare the process (call its process_info()) before it is
  /// measured or scheduled.
  [[nodiscard]] const detail::Declarations<Self, Params>& declarations() const {
    if (!declarations_) declarations_ = detail::declared<Self, Params>();
    if (!declarations_)
      throw std::logic_error("a process constructed directly is measured or scheduled before its ProcessDefinition's info()");
    return *declarations_;
  }
  mutable std::shared_ptr<const detail::Declarations<Self, Params>> declarations_;
};

/// The declaration of a process: build it with the chained calls below and end with info().
template <typename Self, typename Params>
class ProcessDefinition {
 public:
  using Creator = std::function<std::unique_ptr<Self>(const BuildContext&, const Params&)>;

  explicit ProcessDefinition(std::string name) : declarations_(std::make_shared<detail::Declarations<Self, Params>>()) {
    info_.name = std::move(name);
    if constexpr (std::is_constructible_v<Self, const BuildContext&, const Params&>) {
      create_ = [](const BuildContext& context, const Params& params) { return std::make_unique<Self>(context, params); };
    }
  }

  ProcessDefinition& summary(std::string text) { return info_.summary = std::move(text), *this; }
  ProcessDefinition& reference(std::string text) { return info_.reference = std::move(text), *this; }
  /// run.stop = "absorbing" is meaningful: Self overrides absorbed().
  ProcessDefinition& can_absorb() { return info_.can_absorb = true, *this; }
  /// It follows a changing population: Self overrides renew() (so it can run with [demography]).
  ProcessDefinition& renews() { return info_.renews = true, *this; }
  /// How the process uses the nations' policy table (provides, reads or writes it).
  ProcessDefinition& policy(PolicyAccess access) { return info_.policy = access, *this; }

  /// A numeric key bound to a field of Params (or of a base of Params: a sub-model's own parameter
  /// struct): an integer key for an integral field, a real key for a floating-point one, with
  /// inclusive bounds. Its default is the field's default.
  template <typename T, typename C>
  requires(std::is_arithmetic_v<T> && !std::is_same_v<T, bool> &&
           std::derived_from<Params, C>) ProcessDefinition& parameter(std::string_view suffix, T C::*field, double min, double max,
                                                                      std::string unit, std::string description) {
    const Params defaults{};
    ParamSpec spec;
    if constexpr (std::is_integral_v<T>) {
      spec =
          integer_parameter(key_of(suffix), static_cast<std::int64_t>(defaults.*field), min, max, std::move(unit), std::move(description));
    } else {
      spec = real_parameter(key_of(suffix), static_cast<double>(defaults.*field), min, max, std::move(unit), std::move(description));
    }
    std::string key = spec.key;
    return add(
        std::move(spec),
        [key = std::move(key), field](const Scenario& scenario, Params& params) {
          if constexpr (std::is_integral_v<T>) {
            params.*field = static_cast<T>(scenario.integer(key));
          } else {
            params.*field = static_cast<T>(scenario.real(key));
          }
        },
        [field](Params& params, double value) { params.*field = static_cast<T>(value); });
  }
  /// A boolean (bool field) or text (std::string field) key.
  template <typename T, typename C>
  requires((std::is_same_v<T, bool> || std::is_same_v<T, std::string>)&&std::derived_from<Params, C>)
      ProcessDefinition& parameter(std::string_view suffix, T C::*field, std::string description) {
    const Params defaults{};
    ParamSpec spec;
    if constexpr (std::is_same_v<T, bool>) {
      spec = boolean_parameter(key_of(suffix), defaults.*field, std::move(description));
    } else {
      spec = text_parameter(key_of(suffix), std::move(description));
      spec.default_value = defaults.*field;
    }
    std::string key = spec.key;
    return add(std::move(spec),
               [key = std::move(key), field](const Scenario& scenario, Params& params) {
                 if constexpr (std::is_same_v<T, bool>) {
                   params.*field = scenario.boolean(key);
                 } else {
                   params.*field = scenario.text(key);
                 }
               },
               {});
  }
  /// A choice key bound to an enum field: each accepted string with its value; the default is
  /// the name of the field's default value.
  template <typename E, typename C>
  requires(std::is_enum_v<E>&& std::derived_from<Params, C>) ProcessDefinition& choice(std::string_view suffix, E C::*field,
                                                                                       std::vector<std::pair<std::string, E>> names,
                                                                                       std::string description) {
    const Params defaults{};
    std::vector<std::string> choices;
    std::string default_name;
    for (const auto& [text, value] : names) {
      choices.push_back(text);
      if (value == defaults.*field) default_name = text;
    }
    if (default_name.empty()) throw std::logic_error(key_of(suffix) + ": the field's default value has no name among the choices");
    ParamSpec spec = choice_parameter(key_of(suffix), default_name, std::move(choices), std::move(description));
    std::string key = spec.key;
    return add(std::move(spec),
               [key = std::move(key), field, names](const Scenario& scenario, Params& params) {
                 const std::string& text = scenario.text(key);
                 for (const auto& [name, value] : names) {
                   if (name == text) params.*field = value;
                 }
               },
               {});
  }
  /// A reach kernel bound to a ReachWeights field: the five keys NAME.reach.network ... .world
  /// (glocal/model/reach.hpp; `partner` names what the kernel draws, e.g. "a trading partner"),
  /// each schedulable. The network's weight, when not given, is what the others leave. The
  /// process's validate() calls validate_reach() (the weights sum to 1).
  template <typename C>
  requires std::derived_from<Params, C> ProcessDefinition& reach(ReachWeights C::*field, const std::string& partner) {
    std::vector<ParamSpec> specs = reach_parameters(info_.name, partner);
    for (std::size_t k = 0; k < specs.size(); ++k) {
      const auto scale = static_cast<Scale>(k);
      std::function<void(const Scenario&, Params&)> read = [](const Scenario&, Params&) {};
      if (k == 0) {  // the five are read together: the network's weight may depend on the others
        read = [process = info_.name, field](const Scenario& scenario, Params& params) { params.*field = read_reach(scenario, process); };
      }
      add(std::move(specs[k]), std::move(read),
          [field, scale](Params& params, double value) { set_reach_weight(params.*field, scale, value); });
      schedulable();
    }
    return *this;
  }

  /// The key declared last may follow a [[schedule]] (a numeric key: set_parameter writes its
  /// field, then calls parameter_changed).
  ProcessDefinition& schedulable() {
    if (!last_assign_) throw std::logic_error(info_.parameters.back().key + ": only a numeric key can follow a schedule");
    info_.parameters.back().schedulable = true;
    declarations_->bindings.back().assign = last_assign_;
    return *this;
  }
  /// The key declared last says how the work is done, never what happens (ParamSpec::bookkeeping:
  /// e.g. a thread count that leaves every result unchanged).
  ProcessDefinition& bookkeeping() {
    info_.parameters.back().bookkeeping = true;
    return *this;
  }
  /// The key declared last matters only when `key` (a key of any table) has one of `values`; set
  /// otherwise, it is reported as ignored.
  ProcessDefinition& applies_when(std::string key, std::vector<std::string> values) {
    info_.parameters.back().applies_when.push_back({std::move(key), std::move(values)});
    return *this;
  }

  /// A metric (a column of model.csv and outcomes.csv) and the function computing it from the
  /// process: any callable taking const Self& and returning a number (a member function too).
  template <typename F>
  requires std::is_invocable_r_v<double, F, const Self&> ProcessDefinition& metric(std::string name, std::string unit,
                                                                                   std::string description, F compute) {
    info_.metrics.push_back({std::move(name), std::move(unit), std::move(description)});
    declarations_->metrics.push_back(
        {1, [compute = std::move(compute)](const Self& self, std::span<double> out) { out[0] = std::invoke(compute, self); }});
    return *this;
  }
  /// Metrics computed together (one pass over the state, one sort): `compute` (const Self&) makes
  /// one summary struct per measurement, and each metric is the field of it that its declaration
  /// names ({{"gini", "index", "..."}, &Summary::gini}), so no column depends on a position.
  /// Columns come in the order declared.
  template <typename F, typename Summary = std::invoke_result_t<F, const Self&>>
  requires std::is_invocable_v<F, const Self&> ProcessDefinition& metric_group(F compute, std::vector<MetricField<Summary>> fields) {
    std::vector<double Summary::*> members = bind_fields(fields, info_.metrics);
    declarations_->metrics.push_back({members.size(), [compute = std::move(compute), members](const Self& self, std::span<double> out) {
                                        const Summary summary = std::invoke(compute, self);
                                        for (std::size_t k = 0; k < members.size(); ++k) out[k] = summary.*members[k];
                                      }});
    return *this;
  }
  /// A metric of one place (run.record_places: per locality, nation, bloc and the world).
  template <typename F>
  requires std::is_invocable_r_v<double, F, const Self&, AgentRange> ProcessDefinition& place_metric(std::string name, std::string unit,
                                                                                                     std::string description, F compute) {
    info_.place_metrics.push_back({std::move(name), std::move(unit), std::move(description)});
    declarations_->place_metrics.push_back({1, [compute = std::move(compute)](const Self& self, AgentRange place, std::span<double> out) {
                                              out[0] = std::invoke(compute, self, place);
                                            }});
    return *this;
  }
  /// Place metrics computed together: as metric_group, with `compute` (const Self&, AgentRange).
  template <typename F, typename Summary = std::invoke_result_t<F, const Self&, AgentRange>>
  requires std::is_invocable_v<F, const Self&, AgentRange> ProcessDefinition& place_metric_group(F compute,
                                                                                                 std::vector<MetricField<Summary>> fields) {
    std::vector<double Summary::*> members = bind_fields(fields, info_.place_metrics);
    declarations_->place_metrics.push_back(
        {members.size(), [compute = std::move(compute), members](const Self& self, AgentRange place, std::span<double> out) {
           const Summary summary = std::invoke(compute, self, place);
           for (std::size_t k = 0; k < members.size(); ++k) out[k] = summary.*members[k];
         }});
    return *this;
  }

  /// Checks across keys beyond each key's bounds (throw ScenarioError naming the key).
  ProcessDefinition& validate(std::function<void(const Scenario&)> check) { return info_.validate = std::move(check), *this; }
  /// Bytes per agent of a run (the memory estimate of glocal check and run); 0 when not declared.
  ProcessDefinition& bytes_per_agent(std::function<double(const Scenario&, double links)> bytes) {
    return info_.bytes_per_agent = std::move(bytes), *this;
  }
  /// How the process is made from the world and its parameters (default: Self(context, params)).
  ProcessDefinition& create(Creator creator) { return create_ = std::move(creator), *this; }

  /// The registry entry (register_process takes it).
  [[nodiscard]] ProcessInfo info() const {
    if (!create_) throw std::logic_error(info_.name + ": no create() and Self is not constructible from (BuildContext, Params)");
    ProcessInfo info = info_;
    detail::declared<Self, Params>() = declarations_;
    info.create = [declarations = std::shared_ptr<const detail::Declarations<Self, Params>>(declarations_),
                   creator = create_](const BuildContext& context) -> std::unique_ptr<Process> {
      std::unique_ptr<Self> process = creator(context, declarations->read(context.scenario));
      static_cast<BasicProcess<Self, Params>&>(*process).declarations_ = declarations;
      return process;
    };
    return info;
  }
  /// The parameters a scenario gives (what create() receives).
  [[nodiscard]] Params read(const Scenario& scenario) const { return declarations_->read(scenario); }

 private:
  [[nodiscard]] std::string key_of(std::string_view suffix) const { return info_.name + "." + std::string(suffix); }
  using Binding = typename detail::Declarations<Self, Params>::Binding;
  /// A group's declarations appended to `specs`; returns each metric's field, in the same order.
  template <typename Summary>
  static std::vector<double Summary::*> bind_fields(std::vector<MetricField<Summary>>& fields, std::vector<MetricSpec>& specs) {
    std::vector<double Summary::*> members;
    for (auto& field : fields) {
      specs.push_back(std::move(field.spec));
      members.push_back(field.value);
    }
    return members;
  }
  ProcessDefinition& add(ParamSpec spec, std::function<void(const Scenario&, Params&)> read, std::function<void(Params&, double)> assign) {
    declarations_->bindings.push_back(Binding{spec.key, std::move(read), {}});
    info_.parameters.push_back(std::move(spec));
    last_assign_ = std::move(assign);
    return *this;
  }

  ProcessInfo info_;
  std::shared_ptr<detail::Declarations<Self, Params>> declarations_;
  Creator create_;
  std::function<void(Params&, double)> last_assign_;  ///< what schedulable() binds for the key declared last
};

}  // namespace glocal
