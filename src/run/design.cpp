#include "glocal/run/design.hpp"

#include "glocal/io/output.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <fstream>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "glocal/core/error.hpp"
#include "glocal/core/rng.hpp"
#include "glocal/model/scenario.hpp"

namespace glocal {

std::string_view joe_kuo_directions() noexcept;  // data/sobol/joe-kuo-6.1000.txt, compiled in

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kDesignStream = 0xDE5;

[[noreturn]] void fail_at(const fs::path& path, int line, const std::string& key, const std::string& message) {
  throw ScenarioError(SourceLocation{path.string(), line, 0}, key, message);
}

const ParamSpec* numeric_spec(const std::string& key) {
  const ParamSpec* spec = find_parameter(key);
  return spec != nullptr && (spec->type == ParamType::integer || spec->type == ParamType::real) ? spec : nullptr;
}

/// Checks that a parameter's key is a declared integer or real key other than the seed or the
/// replicates, and notes whether it is an integer.
DesignParameter with_key_checked(DesignParameter p, const fs::path& path, int line) {
  std::vector<std::string> keys;
  for (const auto& spec : scenario_schema()) keys.push_back(spec.key);
  if (std::find(keys.begin(), keys.end(), p.key) == keys.end()) {
    const std::string guess = closest_match(p.key, keys);
    fail_at(path, line, p.key, "unknown key" + (guess.empty() ? std::string() : "; did you mean '" + guess + "'?"));
  }
  const ParamSpec* spec = numeric_spec(p.key);
  if (spec == nullptr || p.key == "run.seed" || p.key == "run.replicates") {
    fail_at(path, line, p.key, "cannot be sampled: a design varies integer and real model keys (use run.replicates for repetitions)");
  }
  p.integer = spec->type == ParamType::integer;
  return p;
}

/// Checks a parameter against its key's declaration (with_key_checked, and a bounded distribution
/// inside the key's range).
DesignParameter checked(DesignParameter p, const fs::path& path, int line) {
  p = with_key_checked(std::move(p), path, line);
  const ParamSpec* spec = numeric_spec(p.key);
  if (!std::isfinite(p.a) || !std::isfinite(p.b)) fail_at(path, line, p.key, "bounds must be finite numbers");
  switch (p.distribution) {
    case Distribution::loguniform:
      if (p.a <= 0) fail_at(path, line, p.key, "a log-uniform distribution needs a lower bound above 0");
      [[fallthrough]];
    case Distribution::uniform:
      if (!(p.a < p.b)) fail_at(path, line, p.key, fmt::format("the lower bound {} must be below the upper bound {}", p.a, p.b));
      if (p.a < spec->min || p.b > spec->max) {
        fail_at(path, line, p.key, fmt::format("[{}, {}] leaves the key's range [{}, {}]", p.a, p.b, spec->min, spec->max));
      }
      break;
    case Distribution::normal:
    case Distribution::lognormal:
      if (!(p.b > 0)) fail_at(path, line, p.key, "the standard deviation must be above 0");
      break;
  }
  return p;
}

Distribution salib_distribution(const std::string& name, const fs::path& path, int line) {
  if (name == "unif") return Distribution::uniform;
  if (name == "logunif") return Distribution::loguniform;
  if (name == "norm") return Distribution::normal;
  if (name == "lognorm") return Distribution::lognormal;
  fail_at(path, line, "", "distribution '" + name + "': glocal reads unif, logunif, norm and lognorm (not triang or truncnorm)");
}

const char* salib_name(Distribution d) {
  switch (d) {
    case Distribution::uniform: return "unif";
    case Distribution::loguniform: return "logunif";
    case Distribution::normal: return "norm";
    case Distribution::lognormal: return "lognorm";
  }
  return "unif";
}

bool is_salib_distribution(const std::string& word) {
  return word == "unif" || word == "logunif" || word == "norm" || word == "lognorm" || word == "triang" || word == "truncnorm";
}

double parse_number(const std::string& text, const fs::path& path, int line, const std::string& key) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v))
    fail_at(path, line, key, "expected a finite number, got '" + text + "'");
  return v;
}

std::vector<DesignParameter> read_toml_parameters(const fs::path& path) {
  toml::table root;
  try {
    root = toml::parse_file(path.string());
  } catch (const toml::parse_error& error) {
    fail_at(path, static_cast<int>(error.source().begin.line), "", std::string("malformed TOML: ") + std::string(error.description()));
  }
  const toml::array* tables = root["parameter"].as_array();
  if (tables == nullptr || tables->empty())
    fail_at(path, 1, "parameter", "expected [[parameter]] tables, each with key, min and max (or mean and sd)");
  std::vector<DesignParameter> out;
  for (const auto& node : *tables) {
    const toml::table* t = node.as_table();
    const int line = static_cast<int>(node.source().begin.line);
    if (t == nullptr) fail_at(path, line, "parameter", "expected a table");
    for (auto&& [name, value] : *t) {
      static const std::vector<std::string> known = {"key", "min", "max", "mean", "sd", "distribution", "group"};
      if (std::find(known.begin(), known.end(), std::string(name.str())) == known.end()) {
        fail_at(path, static_cast<int>(value.source().begin.line), std::string(name.str()),
                "unknown field of a [[parameter]] (key, min, max, mean, sd, distribution, group)");
      }
    }
    DesignParameter p;
    const auto key = (*t)["key"].value<std::string>();
    if (!key) fail_at(path, line, "parameter", "needs key = \"...\"");
    p.key = *key;
    const std::string dist = (*t)["distribution"].value_or<std::string>("uniform");
    if (dist == "uniform") {
      p.distribution = Distribution::uniform;
    } else if (dist == "loguniform") {
      p.distribution = Distribution::loguniform;
    } else if (dist == "normal") {
      p.distribution = Distribution::normal;
    } else if (dist == "lognormal") {
      p.distribution = Distribution::lognormal;
    } else {
      fail_at(path, line, p.key, "distribution \"" + dist + "\": expected uniform, loguniform, normal or lognormal");
    }
    const bool bounded = p.distribution == Distribution::uniform || p.distribution == Distribution::loguniform;
    const char* first = bounded ? "min" : "mean";
    const char* second = bounded ? "max" : "sd";
    const auto a = (*t)[first].value<double>();
    const auto b = (*t)[second].value<double>();
    if (!a || !b) fail_at(path, line, p.key, fmt::format("a {} distribution needs {} and {} (numbers)", dist, first, second));
    p.a = *a;
    p.b = *b;
    p.group = (*t)["group"].value_or<std::string>("");
    out.push_back(checked(p, path, line));
  }
  return out;
}

/// The words of a line of SALib's text files: separated by spaces or commas, '#' starts a comment.
std::vector<std::string> fields_of(std::string text) {
  if (const auto hash = text.find('#'); hash != std::string::npos) text.erase(hash);
  std::replace(text.begin(), text.end(), ',', ' ');
  std::istringstream words(text);
  std::vector<std::string> fields;
  for (std::string w; words >> w;) fields.push_back(w);
  return fields;
}

std::vector<DesignParameter> read_salib_parameters(const fs::path& path) {
  std::ifstream in(path);
  std::vector<DesignParameter> out;
  std::string text;
  int line = 0;
  while (std::getline(in, text)) {
    ++line;
    const std::vector<std::string> fields = fields_of(text);
    if (fields.empty()) continue;
    if (fields.size() < 3 || fields.size() > 5) fail_at(path, line, "", "expected `name lower upper [group] [dist]`");
    DesignParameter p;
    p.key = fields[0];
    p.a = parse_number(fields[1], path, line, p.key);
    p.b = parse_number(fields[2], path, line, p.key);
    if (fields.size() >= 4) {
      if (fields.size() == 4 && is_salib_distribution(fields[3])) {
        p.distribution = salib_distribution(fields[3], path, line);
      } else {
        p.group = fields[3] == p.key ? "" : fields[3];
        if (fields.size() == 5) p.distribution = salib_distribution(fields[4], path, line);
      }
    }
    out.push_back(checked(p, path, line));
  }
  if (out.empty()) fail_at(path, 1, "", "no parameters (SALib form: `name lower upper [group] [dist]` per line)");
  return out;
}

/// One row of unit coordinates mapped to values.
std::vector<double> values_of(const std::vector<DesignParameter>& parameters, const std::vector<double>& unit) {
  std::vector<double> row(parameters.size());
  for (std::size_t j = 0; j < parameters.size(); ++j) row[j] = parameters[j].value_at(unit[j]);
  return row;
}

Design latin_hypercube(const std::vector<DesignParameter>& parameters, const DesignSpec& spec) {
  const Rng rng(spec.seed, kDesignStream);
  const std::size_t d = parameters.size();
  std::vector<std::vector<double>> unit(spec.n, std::vector<double>(d));
  for (std::size_t j = 0; j < d; ++j) {
    RandomStream stream(rng, j, 0, Purpose::design);
    std::vector<std::uint64_t> strata(spec.n);
    std::iota(strata.begin(), strata.end(), 0);
    for (std::uint64_t i = spec.n; i > 1; --i) std::swap(strata[i - 1], strata[stream.next_below(i)]);  // Fisher-Yates
    for (std::uint64_t i = 0; i < spec.n; ++i) {
      // Inside its stratum, away from the edges: (k + U) / n with U in (0, 1).
      const double u = (static_cast<double>(strata[i]) + (stream.next_unit() * (1.0 - 2e-12) + 1e-12)) / static_cast<double>(spec.n);
      unit[i][j] = u;
    }
  }
  Design design{spec, parameters, {}};
  for (const auto& row : unit) design.values.push_back(values_of(parameters, row));
  return design;
}

/// Saltelli (2002, 2010): N points of a 2D-dimensional Sobol' sequence split into A (the first D
/// coordinates) and B (the last D); per point, SALib's order: A, AB_1..AB_D (A with column j from
/// B), [BA_1..BA_D], B.
Design saltelli(const std::vector<DesignParameter>& parameters, const DesignSpec& spec) {
  const std::size_t d = parameters.size();
  if (2 * d > SobolSequence::kMaxDimensions)
    throw std::invalid_argument(fmt::format("a Sobol' design holds at most {} parameters", SobolSequence::kMaxDimensions / 2));
  SobolSequence sequence(static_cast<unsigned>(2 * d));
  sequence.skip(std::bit_ceil(spec.n));  // the origin and its first points are left out, as SALib did
  Design design{spec, parameters, {}};
  for (std::uint64_t i = 0; i < spec.n; ++i) {
    const std::vector<double> point = sequence.next();
    const std::vector<double> a(point.begin(), point.begin() + static_cast<std::ptrdiff_t>(d));
    const std::vector<double> b(point.begin() + static_cast<std::ptrdiff_t>(d), point.end());
    design.values.push_back(values_of(parameters, a));
    for (std::size_t j = 0; j < d; ++j) {
      std::vector<double> ab = a;
      ab[j] = b[j];
      design.values.push_back(values_of(parameters, ab));
    }
    if (spec.second_order) {
      for (std::size_t j = 0; j < d; ++j) {
        std::vector<double> ba = b;
        ba[j] = a[j];
        design.values.push_back(values_of(parameters, ba));
      }
    }
    design.values.push_back(values_of(parameters, b));
  }
  return design;
}

/// Morris (1991): r trajectories of D + 1 points on a grid of p levels; each trajectory starts at
/// a random grid point and moves the factors one at a time, in a random order, by the step
/// p / (2 (p - 1)) up, or down where up would leave the cube.
Design morris(const std::vector<DesignParameter>& parameters, const DesignSpec& spec) {
  for (const auto& p : parameters) {
    if (p.distribution == Distribution::normal || p.distribution == Distribution::lognormal) {
      throw std::invalid_argument("a Morris design needs bounded distributions (uniform or loguniform): '" + p.key + "' is not");
    }
  }
  if (spec.levels < 2 || spec.levels % 2 != 0) throw std::invalid_argument("Morris levels must be even and at least 2");
  const std::size_t d = parameters.size();
  const double p = spec.levels;
  const double step = p / (2.0 * (p - 1.0));
  const Rng rng(spec.seed, kDesignStream);
  Design design{spec, parameters, {}};
  for (std::uint64_t t = 0; t < spec.n; ++t) {
    RandomStream stream(rng, t, 0, Purpose::design);
    std::vector<double> x(d);
    for (auto& v : x) v = static_cast<double>(stream.next_below(spec.levels)) / (p - 1.0);
    std::vector<std::size_t> order(d);
    std::iota(order.begin(), order.end(), 0);
    for (std::size_t i = d; i > 1; --i) std::swap(order[i - 1], order[stream.next_below(i)]);
    design.values.push_back(values_of(parameters, x));
    for (const std::size_t j : order) {
      x[j] = x[j] + step <= 1.0 + 1e-12 ? std::min(1.0, x[j] + step) : std::max(0.0, x[j] - step);
      design.values.push_back(values_of(parameters, x));
    }
  }
  return design;
}

std::uint64_t expected_rows(const DesignSpec& spec, std::size_t d) {
  switch (spec.method) {
    case DesignMethod::sobol: return spec.n * (spec.second_order ? 2 * d + 2 : d + 2);
    case DesignMethod::morris: return spec.n * (d + 1);
    default: return spec.n;
  }
}

const char* distribution_name(Distribution d) {
  switch (d) {
    case Distribution::uniform: return "uniform";
    case Distribution::loguniform: return "loguniform";
    case Distribution::normal: return "normal";
    case Distribution::lognormal: return "lognormal";
  }
  return "uniform";
}

std::string cell(const DesignParameter& p, double v) {
  return p.integer ? fmt::format("{}", static_cast<std::int64_t>(v)) : fmt::format("{}", v);
}

std::vector<std::string> split(const std::string& text, char by) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(text);
  while (std::getline(in, field, by)) {
    while (!field.empty() && (field.back() == '\r' || field.back() == ' ')) field.pop_back();
    while (!field.empty() && field.front() == ' ') field.erase(field.begin());
    out.push_back(field);
  }
  return out;
}

}  // namespace

double normal_quantile(double p) {
  if (!(p > 0.0 && p < 1.0)) throw std::invalid_argument("normal_quantile needs p in (0, 1)");
  // Acklam (2003): rational approximations in a central and two tail regions.
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                 1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                 -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double low = 0.02425;
  double x;
  if (p < low) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // One Halley step on Phi(x) - p, Phi from erfc (full precision in both tails).
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

double DesignParameter::value_at(double u) const {
  double v = 0.0;
  switch (distribution) {
    case Distribution::uniform: v = a + u * (b - a); break;
    case Distribution::loguniform: v = std::exp(std::log(a) + u * (std::log(b) - std::log(a))); break;
    case Distribution::normal: v = a + b * normal_quantile(u); break;
    case Distribution::lognormal: v = std::exp(a + b * normal_quantile(u)); break;
  }
  if (distribution == Distribution::uniform || distribution == Distribution::loguniform) v = std::clamp(v, a, b);
  return integer ? std::round(v) : v;
}

double DesignParameter::unit_of(double value) const {
  switch (distribution) {
    case Distribution::uniform: return (value - a) / (b - a);
    case Distribution::loguniform: return (std::log(value) - std::log(a)) / (std::log(b) - std::log(a));
    case Distribution::normal: return 0.5 * std::erfc(-(value - a) / (b * std::sqrt(2.0)));
    case Distribution::lognormal: return 0.5 * std::erfc(-(std::log(value) - a) / (b * std::sqrt(2.0)));
  }
  return 0.0;
}

const char* to_string(DesignMethod method) noexcept {
  switch (method) {
    case DesignMethod::lhs: return "lhs";
    case DesignMethod::sobol: return "sobol";
    case DesignMethod::morris: return "morris";
  }
  return "lhs";
}

std::vector<DesignParameter> read_design_parameters(const fs::path& path) {
  if (!fs::exists(path)) fail_at(path, 0, "", "cannot open the parameter file: no such file");
  std::vector<DesignParameter> parameters = path.extension() == ".toml" ? read_toml_parameters(path) : read_salib_parameters(path);
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (parameters[i].key == parameters[j].key) fail_at(path, 0, parameters[i].key, "is given twice");
    }
  }
  return parameters;
}

void write_salib_parameters(const fs::path& path, const std::vector<DesignParameter>& parameters) {
  std::string text;
  for (const auto& p : parameters) {
    text += fmt::format("{} {} {} {} {}\n", p.key, p.a, p.b, p.group.empty() ? p.key : p.group, salib_name(p.distribution));
  }
  write_file_atomically(path, text);
}

Design make_design(const std::vector<DesignParameter>& parameters, const DesignSpec& spec) {
  if (parameters.empty()) throw std::invalid_argument("a design needs at least one parameter");
  if (spec.n == 0) throw std::invalid_argument("a design needs n >= 1");
  if (expected_rows(spec, parameters.size()) > 10'000'000) throw std::invalid_argument("a design of more than 10^7 points");
  switch (spec.method) {
    case DesignMethod::sobol: return saltelli(parameters, spec);
    case DesignMethod::morris: return morris(parameters, spec);
    default: return latin_hypercube(parameters, spec);
  }
}

void write_design_csv(const fs::path& path, const Design& design) {
  std::string text =
      fmt::format("# glocal design: method = {}, n = {}, seed = {}, second_order = {}, levels = {}\n", to_string(design.spec.method),
                  design.spec.n, design.spec.seed, design.spec.second_order, design.spec.levels);
  for (const auto& p : design.parameters) {
    text += fmt::format("# parameter: {} {} {} {}{}{}\n", p.key, distribution_name(p.distribution), p.a, p.b, p.integer ? " integer" : "",
                        p.group.empty() ? "" : " group=" + p.group);
  }
  for (std::size_t j = 0; j < design.parameters.size(); ++j) {
    if (j > 0) text += ',';
    text += design.parameters[j].key;
  }
  text += '\n';
  for (const auto& row : design.values) {
    for (std::size_t j = 0; j < row.size(); ++j) {
      if (j > 0) text += ',';
      text += cell(design.parameters[j], row[j]);
    }
    text += '\n';
  }
  write_file_atomically(path, text);
}

Design read_design_csv(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail_at(path, 0, "", "cannot open the design: no such file or not readable");
  Design design;
  bool described = false;
  std::string text;
  int line = 0;
  std::vector<std::string> keys;
  while (std::getline(in, text)) {
    ++line;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.empty()) continue;
    if (text.front() == '#') {
      std::istringstream words(text.substr(1));
      std::string tag;
      words >> tag;
      if (tag == "glocal") {
        described = true;
        std::string rest = text.substr(text.find(':') + 1);
        for (const auto& field : split(rest, ',')) {
          const auto eq = field.find('=');
          if (eq == std::string::npos) continue;
          std::string name = field.substr(0, eq);
          std::string value = field.substr(eq + 1);
          name.erase(name.find_last_not_of(' ') + 1);
          value.erase(0, value.find_first_not_of(' '));
          if (name == "method") {
            if (value == "lhs")
              design.spec.method = DesignMethod::lhs;
            else if (value == "sobol")
              design.spec.method = DesignMethod::sobol;
            else if (value == "morris")
              design.spec.method = DesignMethod::morris;
            else
              fail_at(path, line, "method", "unknown design method '" + value + "'");
          } else if (name == "n") {
            design.spec.n = static_cast<std::uint64_t>(parse_number(value, path, line, "n"));
          } else if (name == "seed") {
            design.spec.seed = static_cast<std::uint64_t>(parse_number(value, path, line, "seed"));
          } else if (name == "second_order") {
            design.spec.second_order = value == "true";
          } else if (name == "levels") {
            design.spec.levels = static_cast<unsigned>(parse_number(value, path, line, "levels"));
          }
        }
      } else if (tag == "parameter:") {
        std::vector<std::string> f;
        for (std::string w; words >> w;) f.push_back(w);
        if (f.size() < 4) fail_at(path, line, "", "a parameter line needs key, distribution and two numbers");
        DesignParameter p;
        p.key = f[0];
        const std::string& dist = f[1];
        p.distribution = dist == "loguniform"  ? Distribution::loguniform
                         : dist == "normal"    ? Distribution::normal
                         : dist == "lognormal" ? Distribution::lognormal
                                               : Distribution::uniform;
        p.a = parse_number(f[2], path, line, p.key);
        p.b = parse_number(f[3], path, line, p.key);
        for (std::size_t k = 4; k < f.size(); ++k) {
          if (f[k].rfind("group=", 0) == 0) p.group = f[k].substr(6);
        }
        design.parameters.push_back(checked(p, path, line));
      }
      continue;
    }
    if (keys.empty()) {
      keys = split(text, ',');
      if (described) {
        if (keys.size() != design.parameters.size())
          fail_at(path, line, "", "the header does not name the parameters of the comment lines");
        for (std::size_t j = 0; j < keys.size(); ++j) {
          if (keys[j] != design.parameters[j].key)
            fail_at(path, line, keys[j], "expected '" + design.parameters[j].key + "' in this column");
        }
      } else {
        for (const auto& key : keys) {
          DesignParameter p;
          p.key = key;
          design.parameters.push_back(with_key_checked(std::move(p), path, line));
        }
      }
      continue;
    }
    const auto cells = split(text, ',');
    if (cells.size() != keys.size()) fail_at(path, line, "", fmt::format("expected {} values, got {}", keys.size(), cells.size()));
    std::vector<double> row;
    for (std::size_t j = 0; j < cells.size(); ++j) row.push_back(parse_number(cells[j], path, line, keys[j]));
    design.values.push_back(std::move(row));
  }
  if (keys.empty()) fail_at(path, line, "", "no header of keys");
  if (design.values.empty()) fail_at(path, line, "", "no points");
  if (!described) {
    // A plain table of points: each parameter spans its column's values (for the record only).
    design.spec.method = DesignMethod::lhs;
    design.spec.n = design.values.size();
    for (std::size_t j = 0; j < keys.size(); ++j) {
      auto [lo, hi] =
          std::minmax_element(design.values.begin(), design.values.end(), [j](const auto& x, const auto& y) { return x[j] < y[j]; });
      design.parameters[j].a = (*lo)[j];
      design.parameters[j].b = (*hi)[j];
    }
  } else if (design.values.size() != expected_rows(design.spec, design.parameters.size())) {
    fail_at(path, line, "",
            fmt::format("a {} design of n = {} over {} parameters has {} rows, not {}", to_string(design.spec.method), design.spec.n,
                        design.parameters.size(), expected_rows(design.spec, design.parameters.size()), design.values.size()));
  }
  return design;
}

void write_salib_matrix(const fs::path& path, const Design& design) {
  std::string text;
  for (const auto& row : design.values) {
    for (std::size_t j = 0; j < row.size(); ++j) text += fmt::format("{}{:.18e}", j ? " " : "", row[j]);
    text += '\n';
  }
  write_file_atomically(path, text);
}

Design read_salib_matrix(const fs::path& path, const std::vector<DesignParameter>& parameters, const DesignSpec& spec) {
  std::ifstream in(path);
  if (!in) fail_at(path, 0, "", "cannot open the sample matrix");
  Design design{spec, parameters, {}};
  std::string text;
  int line = 0;
  while (std::getline(in, text)) {
    ++line;
    std::vector<double> row;
    for (const auto& w : fields_of(text)) row.push_back(parse_number(w, path, line, ""));
    if (row.empty()) continue;
    if (row.size() != parameters.size())
      fail_at(path, line, "", fmt::format("expected {} values (one per parameter), got {}", parameters.size(), row.size()));
    for (std::size_t j = 0; j < row.size(); ++j) {
      if (parameters[j].integer) row[j] = std::round(row[j]);
    }
    design.values.push_back(std::move(row));
  }
  const std::uint64_t d = parameters.size();
  const std::uint64_t per = spec.method == DesignMethod::sobol    ? (spec.second_order ? 2 * d + 2 : d + 2)
                            : spec.method == DesignMethod::morris ? d + 1
                                                                  : 1;
  if (design.values.empty() || design.values.size() % per != 0) {
    fail_at(path, line, "",
            fmt::format("{} rows do not make a {} design over {} parameters (a multiple of {})", design.values.size(),
                        to_string(spec.method), d, per));
  }
  design.spec.n = design.values.size() / per;
  return design;
}

PointTable point_table_of(const Design& design, std::string source) {
  PointTable table;
  table.source = std::move(source);
  for (const auto& p : design.parameters) table.keys.push_back(p.key);
  for (const auto& row : design.values) {
    std::vector<Value> values;
    for (std::size_t j = 0; j < row.size(); ++j) {
      const bool whole = design.parameters[j].integer && std::nearbyint(row[j]) == row[j] && std::abs(row[j]) < 9.0e15;
      if (whole) {
        values.emplace_back(std::in_place_type<std::int64_t>, static_cast<std::int64_t>(row[j]));
      } else {
        values.emplace_back(std::in_place_type<double>, row[j]);
      }
    }
    table.rows.push_back(std::move(values));
  }
  return table;
}

SobolSequence::SobolSequence(unsigned dimensions)
    : dimensions_(dimensions), directions_(32 * std::size_t{dimensions}), state_(dimensions, 0) {
  if (dimensions == 0 || dimensions > kMaxDimensions)
    throw std::invalid_argument(fmt::format("Sobol' points have 1 to {} dimensions", kMaxDimensions));
  for (unsigned k = 0; k < 32; ++k) directions_[k] = 1u << (31 - k);  // dimension 1: van der Corput
  std::istringstream table{std::string(joe_kuo_directions())};
  std::string header;
  std::getline(table, header);  // "d s a m_i"
  for (unsigned j = 1; j < dimensions; ++j) {
    unsigned d = 0;
    unsigned s = 0;
    std::uint32_t a = 0;
    table >> d >> s >> a;
    std::uint32_t* v = &directions_[32 * std::size_t{j}];
    for (unsigned k = 0; k < s; ++k) {
      std::uint32_t m = 0;
      table >> m;
      if (k < 32) v[k] = m << (31 - k);
    }
    if (!table || d != j + 1) throw std::logic_error("the compiled-in Sobol' direction numbers are damaged");
    for (unsigned k = s; k < 32; ++k) {  // v_k = v_{k-s} ^ (v_{k-s} >> s) ^ sum_i a_i v_{k-i}
      std::uint32_t value = v[k - s] ^ (v[k - s] >> s);
      for (unsigned i = 1; i < s; ++i) {
        if ((a >> (s - 1 - i)) & 1u) value ^= v[k - i];
      }
      v[k] = value;
    }
  }
}

std::vector<double> SobolSequence::next() {
  std::vector<double> point(dimensions_);
  for (unsigned j = 0; j < dimensions_; ++j) point[j] = static_cast<double>(state_[j]) / 4294967296.0;
  // Gray code: the next state flips the direction of the lowest zero bit of the index.
  const unsigned c = static_cast<unsigned>(std::countr_one(index_));
  if (c >= 32) throw std::length_error("more than 2^32 Sobol' points");
  for (unsigned j = 0; j < dimensions_; ++j) state_[j] ^= directions_[32 * std::size_t{j} + c];
  ++index_;
  return point;
}

void SobolSequence::skip(std::uint64_t count) {
  for (std::uint64_t k = 0; k < count; ++k) (void)next();
}

}  // namespace glocal
