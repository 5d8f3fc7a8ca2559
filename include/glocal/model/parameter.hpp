#pragma once
// Declarations of scenario keys and metrics. Each key and each metric is declared once, here or
// by its process; the loader, `glocal describe`, runs.csv and docs/reference/scenario.md are all
// derived from these declarations.
#include <cstdint>
#include <limits>
#include <string>
#include <variant>
#include <vector>

namespace glocal {

enum class ParamType { integer, real, boolean, choice, text };

/// A scenario value. Integers stay integers (a seed keeps all 64 bits).
using Value = std::variant<std::int64_t, double, bool, std::string>;

/// A condition on another key: it holds when that key's value (as written in runs.csv) is one of
/// `values`.
struct Condition {
  std::string key;
  std::vector<std::string> values;
};

struct ParamSpec {
  std::string key;  ///< dotted path, e.g. "culture.features"
  ParamType type = ParamType::real;
  Value default_value;
  double min = -std::numeric_limits<double>::infinity();  ///< inclusive, integer and real only
  double max = std::numeric_limits<double>::infinity();   ///< inclusive, integer and real only
  std::vector<std::string> choices;                       ///< accepted strings, choice only
  std::string unit;                                       ///< e.g. "ticks", "agents", "" when dimensionless
  std::string description;                                ///< one sentence, shown by `glocal describe` and in the docs
  bool schedulable = false;                               ///< may follow a [[schedule]] over time (real keys read every tick)
  /// Says when a run stops, what is recorded, how the work is spread or how the scenario is named,
  /// never what happens in it: left out of a point's identity (Scenario::canonical_point) and
  /// never a lever (glocal study levers).
  bool bookkeeping = false;
  /// The key matters only when every condition holds; a scenario that sets it otherwise gets a
  /// warning that it is ignored (and the reference says when it applies).
  std::vector<Condition> applies_when;
};

struct MetricSpec {
  std::string name;  ///< column name in model.csv and outcomes.csv (part of the output contract)
  std::string unit;
  std::string description;
  /// Measured over the last tick (births, harvest): tick 0, before any tick, records 0, which
  /// figures leave out (manifest.json "flow").
  bool flow = false;
};

/// Declaration helpers: an integer or real key with inclusive bounds, a choice among strings,
/// free text, a switch.
[[nodiscard]] ParamSpec integer_parameter(std::string key, std::int64_t default_value, double min, double max, std::string unit,
                                          std::string description);
[[nodiscard]] ParamSpec real_parameter(std::string key, double default_value, double min, double max, std::string unit,
                                       std::string description);
[[nodiscard]] ParamSpec choice_parameter(std::string key, std::string default_value, std::vector<std::string> choices,
                                         std::string description);
[[nodiscard]] ParamSpec text_parameter(std::string key, std::string description);
[[nodiscard]] ParamSpec boolean_parameter(std::string key, bool default_value, std::string description);
/// The same declaration, marked as one that may follow a [[schedule]] (the process reads it every tick).
[[nodiscard]] inline ParamSpec schedulable(ParamSpec spec) {
  spec.schedulable = true;
  return spec;
}
/// The same declaration, marked as bookkeeping (ParamSpec::bookkeeping).
[[nodiscard]] inline ParamSpec bookkeeping(ParamSpec spec) {
  spec.bookkeeping = true;
  return spec;
}

[[nodiscard]] std::string to_string(ParamType type);
/// The value as it is written in runs.csv and shown to users (shortest round-trip for reals).
[[nodiscard]] std::string format_value(const Value& value);
/// "an integer in [1, 64]", "one of: open, periodic", ... for error messages and docs.
[[nodiscard]] std::string describe_accepted(const ParamSpec& spec);
/// "k = a" or "k = a or b", joined by " and ": when a key applies ("" without conditions).
[[nodiscard]] std::string describe_conditions(const std::vector<Condition>& conditions);

}  // namespace glocal
