#include "glocal/model/parameter.hpp"

#include <fmt/format.h>

#include <cmath>

namespace glocal {

namespace {
ParamSpec numeric_parameter(std::string key, ParamType type, Value default_value, double min, double max, std::string unit,
                            std::string description) {
  ParamSpec p;
  p.key = std::move(key);
  p.type = type;
  p.default_value = std::move(default_value);
  p.min = min;
  p.max = max;
  p.unit = std::move(unit);
  p.description = std::move(description);
  return p;
}
}  // namespace

ParamSpec integer_parameter(std::string key, std::int64_t default_value, double min, double max, std::string unit,
                            std::string description) {
  return numeric_parameter(std::move(key), ParamType::integer, default_value, min, max, std::move(unit), std::move(description));
}

ParamSpec real_parameter(std::string key, double default_value, double min, double max, std::string unit, std::string description) {
  return numeric_parameter(std::move(key), ParamType::real, default_value, min, max, std::move(unit), std::move(description));
}

ParamSpec choice_parameter(std::string key, std::string default_value, std::vector<std::string> choices, std::string description) {
  ParamSpec p;
  p.key = std::move(key);
  p.type = ParamType::choice;
  p.default_value = std::move(default_value);
  p.choices = std::move(choices);
  p.description = std::move(description);
  return p;
}

ParamSpec text_parameter(std::string key, std::string description) {
  ParamSpec p;
  p.key = std::move(key);
  p.type = ParamType::text;
  p.default_value = std::string{};
  p.description = std::move(description);
  return p;
}

ParamSpec boolean_parameter(std::string key, bool default_value, std::string description) {
  ParamSpec p;
  p.key = std::move(key);
  p.type = ParamType::boolean;
  p.default_value = default_value;
  p.description = std::move(description);
  return p;
}

std::string to_string(ParamType type) {
  switch (type) {
    case ParamType::integer: return "integer";
    case ParamType::real: return "real";
    case ParamType::boolean: return "boolean";
    case ParamType::choice: return "choice";
    case ParamType::text: return "text";
  }
  return "?";
}

std::string format_value(const Value& value) {
  struct Visitor {
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const { return fmt::format("{}", v); }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(const std::string& v) const { return v; }
  };
  return std::visit(Visitor{}, value);
}

static std::string format_bound(double bound, ParamType type) {
  if (type == ParamType::integer && std::abs(bound) < 9.0e15) return fmt::format("{}", static_cast<std::int64_t>(bound));
  return fmt::format("{}", bound);
}

std::string describe_accepted(const ParamSpec& spec) {
  switch (spec.type) {
    case ParamType::boolean: return "true or false";
    case ParamType::text: return "a string";
    case ParamType::choice: {
      std::string out = "one of: ";
      for (std::size_t i = 0; i < spec.choices.size(); ++i) out += (i ? ", " : "") + ("\"" + spec.choices[i] + "\"");
      return out;
    }
    case ParamType::integer:
    case ParamType::real: {
      std::string noun = spec.type == ParamType::integer ? "an integer" : "a number";
      const bool has_min = std::isfinite(spec.min);
      const bool has_max = std::isfinite(spec.max);
      if (has_min && has_max)
        return fmt::format("{} in [{}, {}]", noun, format_bound(spec.min, spec.type), format_bound(spec.max, spec.type));
      if (has_min) return fmt::format("{} >= {}", noun, format_bound(spec.min, spec.type));
      if (has_max) return fmt::format("{} <= {}", noun, format_bound(spec.max, spec.type));
      return noun;
    }
  }
  return "";
}

std::string describe_conditions(const std::vector<Condition>& conditions) {
  std::string out;
  for (const auto& condition : conditions) {
    if (!out.empty()) out += " and ";
    out += condition.key + " = ";
    for (std::size_t k = 0; k < condition.values.size(); ++k) out += (k == 0 ? "" : " or ") + condition.values[k];
  }
  return out;
}

}  // namespace glocal
