#include "glocal/run/calibration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <numeric>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <toml++/toml.h>

#include "glocal/core/rng.hpp"

namespace glocal {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

SourceLocation where_of(const toml::node& node, const std::string& file) {
  return {file, static_cast<int>(node.source().begin.line), static_cast<int>(node.source().begin.column)};
}

/// A table's field as a number, with the table's location in errors.
std::optional<double> number_of(const toml::table& table, const char* field) {
  const toml::node* node = table.get(field);
  if (node == nullptr) return std::nullopt;
  if (const auto* i = node->as_integer()) return static_cast<double>(i->get());
  if (const auto* d = node->as_floating_point()) return d->get();
  return std::nullopt;
}

void only_fields(const toml::table& table, const std::vector<std::string>& fields, const std::string& kind, const std::string& file) {
  for (auto&& [name, node] : table) {
    if (std::find(fields.begin(), fields.end(), std::string(name.str())) != fields.end()) continue;
    std::string expected;
    for (const auto& f : fields) expected += (expected.empty() ? "" : ", ") + f;
    throw ScenarioError(where_of(node, file), kind + "." + std::string(name.str()), fmt::format("unknown field (expected {})", expected));
  }
}

/// The population standard deviation.
double spread(const std::vector<double>& values) {
  if (values.empty()) return kNaN;
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  double sum = 0;
  for (const double v : values) sum += (v - mean) * (v - mean);
  return std::sqrt(sum / static_cast<double>(values.size()));
}

/// Solves A x = b for a small symmetric positive definite A (Gauss-Jordan with pivoting); returns
/// the inverse of A, or an empty matrix when A is singular.
std::vector<std::vector<double>> inverse(std::vector<std::vector<double>> a) {
  const std::size_t n = a.size();
  std::vector<std::vector<double>> inv(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i) inv[i][i] = 1.0;
  double scale = 0;
  for (const auto& row : a) {
    for (const double v : row) scale = std::max(scale, std::abs(v));
  }
  for (std::size_t col = 0; col < n; ++col) {
    std::size_t pivot = col;
    for (std::size_t row = col + 1; row < n; ++row) {
      if (std::abs(a[row][col]) > std::abs(a[pivot][col])) pivot = row;
    }
    if (std::abs(a[pivot][col]) <= 1e-12 * scale) return {};
    std::swap(a[col], a[pivot]);
    std::swap(inv[col], inv[pivot]);
    const double d = a[col][col];
    for (std::size_t k = 0; k < n; ++k) {
      a[col][k] /= d;
      inv[col][k] /= d;
    }
    for (std::size_t row = 0; row < n; ++row) {
      if (row == col) continue;
      const double f = a[row][col];
      for (std::size_t k = 0; k < n; ++k) {
        a[row][k] -= f * a[col][k];
        inv[row][k] -= f * inv[col][k];
      }
    }
  }
  return inv;
}

/// Eigenvalues of a small symmetric matrix (cyclic Jacobi rotations), largest first.
std::vector<double> eigenvalues(std::vector<std::vector<double>> a) {
  const std::size_t n = a.size();
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0;
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = i + 1; j < n; ++j) off += a[i][j] * a[i][j];
    }
    if (off < 1e-30) break;
    for (std::size_t p = 0; p < n; ++p) {
      for (std::size_t q = p + 1; q < n; ++q) {
        if (std::abs(a[p][q]) < 1e-300) continue;
        const double theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1.0));
        const double c = 1.0 / std::sqrt(t * t + 1.0);
        const double s = t * c;
        for (std::size_t k = 0; k < n; ++k) {  // A <- J' A J
          const double akp = a[k][p];
          const double akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (std::size_t k = 0; k < n; ++k) {
          const double apk = a[p][k];
          const double aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
      }
    }
  }
  std::vector<double> values(n);
  for (std::size_t i = 0; i < n; ++i) values[i] = a[i][i];
  std::sort(values.rbegin(), values.rend());
  return values;
}

/// The q-quantile of values (linear interpolation), NaN-free values only.
double quantile(std::vector<double> values, double q) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }), values.end());
  if (values.empty()) return kNaN;
  std::sort(values.begin(), values.end());
  const double at = q * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(at));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (at - static_cast<double>(below)) * (values[above] - values[below]);
}

}  // namespace

CalibrationSpec CalibrationSpec::load_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ScenarioError(SourceLocation{path.string(), 0, 0}, "",
                        std::filesystem::exists(path) ? "cannot read the calibration file" : "no such calibration file");
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse(buffer.str(), path.string());
}

CalibrationSpec CalibrationSpec::parse(std::string_view text, const std::string& source) {
  CalibrationSpec spec;
  spec.source = source;
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& error) {
    throw ScenarioError({source, static_cast<int>(error.source().begin.line), static_cast<int>(error.source().begin.column)}, "",
                        fmt::format("malformed TOML: {}", error.description()));
  }
  only_fields(root, {"calibration", "parameter", "target"}, "calibration file", source);
  if (const auto* settings = root.get_as<toml::table>("calibration")) {
    only_fields(*settings, {"replicates", "budget", "draws"}, "calibration", source);
    const auto count = [&](const char* field, std::uint64_t& out, std::int64_t least) {
      const toml::node* node = settings->get(field);
      if (node == nullptr) return;
      const auto* i = node->as_integer();
      if (i == nullptr || i->get() < least || i->get() > 1000000) {
        throw ScenarioError(where_of(*node, source), std::string("calibration.") + field,
                            fmt::format("expected an integer from {} to 1000000", least));
      }
      out = static_cast<std::uint64_t>(i->get());
    };
    count("replicates", spec.replicates, 1);
    count("budget", spec.budget, 1);
    count("draws", spec.draws, 2);
  }
  if (const auto* parameters = root.get_as<toml::array>("parameter")) {
    for (const auto& node : *parameters) {
      const auto* table = node.as_table();
      if (table == nullptr) throw ScenarioError(where_of(node, source), "parameter", "expected [[parameter]] tables with key, min and max");
      only_fields(*table, {"key", "min", "max"}, "parameter", source);
      CalibrationParameter p;
      p.where = where_of(node, source);
      const auto* key = table->get_as<std::string>("key");
      const auto min = number_of(*table, "min");
      const auto max = number_of(*table, "max");
      if (key == nullptr || !min || !max)
        throw ScenarioError(p.where, "parameter", "each [[parameter]] needs key = \"...\", min and max (numbers)");
      p.key = key->get();
      p.min = *min;
      p.max = *max;
      if (!(p.min < p.max)) throw ScenarioError(p.where, p.key, fmt::format("expected min < max, got [{}, {}]", p.min, p.max));
      for (const auto& other : spec.parameters) {
        if (other.key == p.key) throw ScenarioError(p.where, p.key, "is calibrated twice");
      }
      spec.parameters.push_back(std::move(p));
    }
  }
  if (const auto* targets = root.get_as<toml::array>("target")) {
    for (const auto& node : *targets) {
      const auto* table = node.as_table();
      if (table == nullptr) throw ScenarioError(where_of(node, source), "target", "expected [[target]] tables");
      only_fields(*table, {"name", "metric", "statistic", "region", "year", "from", "to", "value", "sd", "fit", "unit"}, "target", source);
      CalibrationTarget t;
      t.where = where_of(node, source);
      const auto field_text = [&](const char* field) -> std::string {
        const auto* s = table->get_as<std::string>(field);
        return s == nullptr ? std::string() : s->get();
      };
      const auto year = [&](const char* field) {
        const auto value = number_of(*table, field);
        return value ? static_cast<int>(*value) : 0;
      };
      t.name = field_text("name");
      t.metric = field_text("metric");
      t.region = field_text("region");
      t.unit = field_text("unit");
      const std::string statistic = field_text("statistic");
      t.year = year("year");
      t.from = year("from");
      t.to = year("to");
      const auto value = number_of(*table, "value");
      const auto sd = number_of(*table, "sd");
      if (!value || !sd || !(*sd > 0.0))
        throw ScenarioError(t.where, "target", "each [[target]] needs a value and an sd above 0 (numbers)");
      t.value = *value;
      t.sd = *sd;
      if (const auto* fit = table->get_as<bool>("fit")) t.fit = fit->get();
      if (!t.metric.empty() == !statistic.empty()) {
        throw ScenarioError(
            t.where, "target",
            "give either metric = \"...\" (with year) or statistic = \"growth_spread\", \"shrinking_share\" or \"region_share\"");
      }
      if (!t.metric.empty()) {
        t.kind = CalibrationTarget::Kind::metric;
        if (t.year == 0) throw ScenarioError(t.where, "target.year", "a metric target needs its year");
      } else if (statistic == "growth_spread" || statistic == "shrinking_share") {
        t.kind = statistic == "growth_spread" ? CalibrationTarget::Kind::growth_spread : CalibrationTarget::Kind::shrinking_share;
        if (!(t.from < t.to)) throw ScenarioError(t.where, "target", fmt::format("{} needs from < to (years)", statistic));
      } else if (statistic == "region_share") {
        t.kind = CalibrationTarget::Kind::region_share;
        if (t.region.empty() || t.year == 0) throw ScenarioError(t.where, "target", "region_share needs region = \"...\" and year");
      } else {
        throw ScenarioError(t.where, "target.statistic",
                            fmt::format("expected \"growth_spread\", \"shrinking_share\" or \"region_share\", got \"{}\"", statistic));
      }
      if (t.name.empty())
        t.name = !t.metric.empty()  ? fmt::format("{} {}", t.metric, t.year)
                 : t.region.empty() ? fmt::format("{} {}-{}", statistic, t.from, t.to)
                                    : fmt::format("{} {} {}", t.region, statistic, t.year);
      spec.targets.push_back(std::move(t));
    }
  }
  if (spec.parameters.empty())
    throw ScenarioError({source, 0, 0}, "parameter", "the calibration frees no parameter: add [[parameter]] tables");
  const auto fitted = std::count_if(spec.targets.begin(), spec.targets.end(), [](const CalibrationTarget& t) { return t.fit; });
  if (static_cast<std::size_t>(fitted) < spec.parameters.size()) {
    throw ScenarioError(
        {source, 0, 0}, "target",
        fmt::format("{} fitted targets cannot pin down {} parameters: add [[target]] tables", fitted, spec.parameters.size()));
  }
  return spec;
}

void CalibrationSpec::check(const Scenario& scenario) const {
  for (const auto& p : parameters) {
    const auto& schema = scenario.schema().parameters();
    const auto spec = std::find_if(schema.begin(), schema.end(), [&](const ParamSpec& s) { return s.key == p.key; });
    if (spec == schema.end()) throw ScenarioError(p.where, p.key, "is not a scenario key (run `glocal describe`)");
    if (spec->type != ParamType::real) throw ScenarioError(p.where, p.key, "only real keys can be calibrated");
    if (p.min < spec->min || p.max > spec->max) {
      throw ScenarioError(p.where, p.key,
                          fmt::format("the bounds [{}, {}] leave the key's accepted range [{}, {}]", p.min, p.max, spec->min, spec->max));
    }
    if (!scenario.is_set(p.key) || scenario.location(p.key).line == 0) {
      throw ScenarioError(p.where, p.key,
                          fmt::format("must be set in {} so that its fitted value can be written in place", scenario.source_name()));
    }
  }
  if (!scenario.has_calendar())
    throw ScenarioError(SourceLocation{scenario.source_name(), 0, 0}, "run.start_year",
                        "calibration targets are years: set run.start_year");
  const auto start = static_cast<int>(scenario.integer("run.start_year"));
  const auto columns = metric_columns(scenario);
  const auto places = place_metric_columns(scenario);
  const auto has_place_metric = [&](const char* name) {
    return std::any_of(places.begin(), places.end(), [&](const MetricSpec& m) { return m.name == name; });
  };
  for (const auto& t : targets) {
    const int first =
        t.kind == CalibrationTarget::Kind::growth_spread || t.kind == CalibrationTarget::Kind::shrinking_share ? t.from : t.year;
    if (first < start) throw ScenarioError(t.where, "target", fmt::format("'{}' is before the run starts ({})", t.name, start));
    switch (t.kind) {
      case CalibrationTarget::Kind::metric:
        if (std::none_of(columns.begin(), columns.end(), [&](const MetricSpec& m) { return m.name == t.metric; })) {
          throw ScenarioError(t.where, "target.metric", fmt::format("the scenario records no metric '{}'", t.metric));
        }
        break;
      case CalibrationTarget::Kind::growth_spread:
      case CalibrationTarget::Kind::shrinking_share:
        if (!has_place_metric("income_ppp"))
          throw ScenarioError(t.where, "target", "growth statistics need [economy] with production = true");
        break;
      case CalibrationTarget::Kind::region_share: {
        if (!has_place_metric("population")) throw ScenarioError(t.where, "target", "region_share needs [demography]");
        const Places world = world_spec(scenario).places();
        bool found = false;
        for (std::uint32_t b = 0; b < world.count(Scale::bloc); ++b) found = found || world.name(Scale::bloc, b) == t.region;
        if (!found) throw ScenarioError(t.where, "target.region", fmt::format("the world has no bloc (region) '{}'", t.region));
        break;
      }
    }
  }
}

Scenario calibration_scenario(const Scenario& scenario, const CalibrationSpec& spec) {
  const auto start = static_cast<int>(scenario.integer("run.start_year"));
  int last = start;
  for (const auto& t : spec.targets) last = std::max({last, t.year, t.to});
  Scenario s = scenario;
  s.set_all({"run.streams=shared", "run.record_every=1", "run.record_places=nation", "run.stop=ticks",
             fmt::format("run.ticks={}", last - start)});
  return s;
}

std::vector<double> run_moments(const Scenario& scenario, const RunResult& run, const std::vector<CalibrationTarget>& targets) {
  const auto start = static_cast<int>(scenario.integer("run.start_year"));
  const auto places = place_metric_columns(scenario);
  const auto column = [&](const char* name) -> std::ptrdiff_t {
    for (std::size_t k = 0; k < places.size(); ++k) {
      if (places[k].name == name) return static_cast<std::ptrdiff_t>(k);
    }
    return -1;
  };
  const std::ptrdiff_t income = column("income_ppp");
  const std::ptrdiff_t population = column("population");
  const Places world = world_spec(scenario).places();
  const auto record = [&](int year) -> const TickRecord* {
    for (const auto& r : run.series) {
      if (static_cast<int>(r.tick) + start == year) return &r;
    }
    return nullptr;
  };
  /// The values of a place metric for every place of a scale in a year.
  const auto place_values = [&](int year, Scale scale, std::ptrdiff_t metric) {
    std::vector<double> values(world.count(scale), kNaN);
    for (const auto& r : run.places) {
      if (static_cast<int>(r.tick) + start == year && r.scale == scale && metric >= 0)
        values[r.place] = r.metrics[static_cast<std::size_t>(metric)];
    }
    return values;
  };
  std::vector<double> out;
  for (const auto& t : targets) {
    double value = kNaN;
    switch (t.kind) {
      case CalibrationTarget::Kind::metric:
        if (const TickRecord* r = record(t.year)) value = r->metrics[metric_index(scenario, t.metric)];
        break;
      case CalibrationTarget::Kind::growth_spread:
      case CalibrationTarget::Kind::shrinking_share: {
        const auto before = place_values(t.from, Scale::nation, income);
        const auto after = place_values(t.to, Scale::nation, income);
        std::vector<double> rates;
        for (std::size_t n = 0; n < before.size(); ++n) {
          if (before[n] > 0.0 && after[n] > 0.0) rates.push_back(std::log(after[n] / before[n]) / (t.to - t.from));
        }
        if (rates.empty()) break;
        value = t.kind == CalibrationTarget::Kind::growth_spread
                    ? spread(rates)
                    : static_cast<double>(std::count_if(rates.begin(), rates.end(), [](double g) { return g < 0.0; })) /
                          static_cast<double>(rates.size());
        break;
      }
      case CalibrationTarget::Kind::region_share: {
        const auto blocs = place_values(t.year, Scale::bloc, population);
        double total = 0, region = 0;
        for (std::uint32_t b = 0; b < blocs.size(); ++b) {
          total += blocs[b];
          if (world.name(Scale::bloc, b) == t.region) region += blocs[b];
        }
        value = total > 0.0 ? region / total : kNaN;
        break;
      }
    }
    out.push_back(value);
  }
  return out;
}

namespace {

/// Runs the scenario at theta with `replicates` runs (replicates first_replicate...), returns
/// each run's moments.
class Evaluator {
 public:
  Evaluator(const Scenario& scenario, const CalibrationSpec& spec, const CalibrationOptions& options)
      : base_(calibration_scenario(scenario, spec)), spec_(&spec), options_(&options) {}

  /// The scenario at theta.
  Scenario at(const std::vector<double>& theta) const {
    Scenario s = base_;
    std::vector<std::string> set;
    for (std::size_t i = 0; i < theta.size(); ++i) set.push_back(fmt::format("{}={}", spec_->parameters[i].key, theta[i]));
    s.set_all(set);
    return s;
  }

  /// Replicates 0..replicates-1 (shared streams) at theta: each run's moments.
  std::vector<std::vector<double>> moments(const std::vector<double>& theta, std::uint64_t replicates) {
    const Scenario s = at(theta);
    BatchOptions batch;
    batch.threads = options_->threads;
    batch.cancel = options_->cancel;
    std::vector<std::vector<double>> out;
    for (const auto& run : run_batch(s, replicates, batch)) out.push_back(moments_of(s, run));
    runs_ += replicates;
    return out;
  }

  /// One run of each scenario, replicate k for the k-th, spread over the threads.
  std::vector<std::vector<double>> each(const std::vector<Scenario>& scenarios) {
    std::vector<RunResult> runs(scenarios.size());
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
      for (std::size_t k = next.fetch_add(1); k < scenarios.size(); k = next.fetch_add(1))
        runs[k] = run_once(scenarios[k], k, options_->cancel);
    };
    {
      const unsigned threads = options_->threads != 0 ? options_->threads : available_threads();
      std::vector<std::jthread> pool;
      for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
      work();
    }
    std::vector<std::vector<double>> out;
    for (std::size_t k = 0; k < runs.size(); ++k) out.push_back(moments_of(scenarios[k], runs[k]));
    runs_ += scenarios.size();
    return out;
  }

  /// The mean of each moment over runs.
  static std::vector<double> mean(const std::vector<std::vector<double>>& runs) {
    std::vector<double> m(runs.front().size(), 0.0);
    for (const auto& run : runs) {
      for (std::size_t j = 0; j < m.size(); ++j) m[j] += run[j] / static_cast<double>(runs.size());
    }
    return m;
  }

  double objective(const std::vector<double>& moments) const {
    double j = 0;
    for (std::size_t k = 0; k < moments.size(); ++k) {
      const CalibrationTarget& t = spec_->targets[k];
      if (!t.fit) continue;
      if (std::isnan(moments[k])) return 1e12;
      const double z = (moments[k] - t.value) / t.sd;
      j += z * z;
    }
    return j;
  }

  [[nodiscard]] std::uint64_t runs() const noexcept { return runs_; }

 private:
  std::vector<double> moments_of(const Scenario& s, const RunResult& run) const {
    if (run.status == RunStatus::cancelled) throw std::runtime_error("calibration interrupted");
    if (run.status != RunStatus::ok) throw std::runtime_error("a calibration run failed: " + run.error);
    return run_moments(s, run, spec_->targets);
  }

  Scenario base_;
  const CalibrationSpec* spec_;
  const CalibrationOptions* options_;
  std::uint64_t runs_ = 0;
};

}  // namespace

CalibrationResult calibrate(const Scenario& scenario, const CalibrationSpec& spec, const CalibrationOptions& options) {
  spec.check(scenario);
  const std::size_t p = spec.parameters.size();
  const std::size_t targets = spec.targets.size();
  Evaluator evaluator(scenario, spec, options);
  const auto say = [&](const std::string& line) {
    if (options.progress) options.progress(line);
  };
  CalibrationResult result;
  result.fitted_targets =
      static_cast<std::size_t>(std::count_if(spec.targets.begin(), spec.targets.end(), [](const CalibrationTarget& t) { return t.fit; }));

  // theta <-> u: u = logit((theta - min) / (max - min)), so the optimiser never leaves the bounds.
  const auto to_theta = [&](const std::vector<double>& u) {
    std::vector<double> theta(p);
    for (std::size_t i = 0; i < p; ++i) {
      const auto& b = spec.parameters[i];
      theta[i] = b.min + (b.max - b.min) / (1.0 + std::exp(-u[i]));
    }
    return theta;
  };
  const auto to_u = [&](const std::vector<double>& theta) {
    std::vector<double> u(p);
    for (std::size_t i = 0; i < p; ++i) {
      const auto& b = spec.parameters[i];
      const double x = std::clamp((theta[i] - b.min) / (b.max - b.min), 1e-6, 1.0 - 1e-6);
      u[i] = std::log(x / (1.0 - x));
    }
    return u;
  };
  const auto evaluate = [&](const std::vector<double>& u) {
    const std::vector<double> theta = to_theta(u);
    const double j = evaluator.objective(Evaluator::mean(evaluator.moments(theta, spec.replicates)));
    result.trace.push_back({theta, j});
    const double best = std::min_element(result.trace.begin(), result.trace.end(), [](const auto& a, const auto& b) {
                          return a.objective < b.objective;
                        })->objective;
    say(fmt::format("evaluation {}/{}: J = {:.4g} (best {:.4g})", result.trace.size(), spec.budget, j, best));
    return j;
  };

  // Nelder & Mead (1965), standard coefficients, on u; the start is the scenario's values.
  for (const auto& parameter : spec.parameters) result.start.push_back(scenario.real(parameter.key));
  std::vector<std::vector<double>> simplex = {to_u(result.start)};
  for (std::size_t i = 0; i < p; ++i) {
    auto vertex = simplex.front();
    vertex[i] += vertex[i] > 0 ? -1.0 : 1.0;  // a step toward the middle of the range
    simplex.push_back(vertex);
  }
  std::vector<double> values;
  for (const auto& vertex : simplex) values.push_back(evaluate(vertex));
  while (result.trace.size() + 2 <= spec.budget) {
    std::vector<std::size_t> order(simplex.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    const std::size_t best = order.front();
    const std::size_t worst = order.back();
    const std::size_t second = order[order.size() - 2];
    if (values[worst] - values[best] < 1e-6 * (1.0 + std::abs(values[best]))) break;  // converged
    std::vector<double> centroid(p, 0.0);
    for (std::size_t k = 0; k < simplex.size(); ++k) {
      if (k == worst) continue;
      for (std::size_t i = 0; i < p; ++i) centroid[i] += simplex[k][i] / static_cast<double>(p);
    }
    const auto along = [&](double t) {
      std::vector<double> x(p);
      for (std::size_t i = 0; i < p; ++i) x[i] = centroid[i] + t * (simplex[worst][i] - centroid[i]);
      return x;
    };
    const auto reflected = along(-1.0);
    const double fr = evaluate(reflected);
    if (fr < values[best]) {
      const auto expanded = along(-2.0);
      const double fe = evaluate(expanded);
      if (fe < fr) {
        simplex[worst] = expanded;
        values[worst] = fe;
      } else {
        simplex[worst] = reflected;
        values[worst] = fr;
      }
    } else if (fr < values[second]) {
      simplex[worst] = reflected;
      values[worst] = fr;
    } else {
      const auto contracted = fr < values[worst] ? along(-0.5) : along(0.5);
      const double fc = evaluate(contracted);
      if (fc < std::min(fr, values[worst])) {
        simplex[worst] = contracted;
        values[worst] = fc;
      } else {  // shrink toward the best
        for (std::size_t k = 0; k < simplex.size(); ++k) {
          if (k == best) continue;
          for (std::size_t i = 0; i < p; ++i) simplex[k][i] = simplex[best][i] + 0.5 * (simplex[k][i] - simplex[best][i]);
          values[k] = evaluate(simplex[k]);
          if (result.trace.size() >= spec.budget) break;
        }
      }
    }
  }
  const auto best =
      std::min_element(result.trace.begin(), result.trace.end(), [](const auto& a, const auto& b) { return a.objective < b.objective; });
  result.estimate = best->theta;
  result.objective = best->objective;

  // The Jacobian at the estimate: central differences of 1 % of each range (one-sided at a bound);
  // common random numbers keep the moments smooth enough for a step this small, and the moments
  // of the real world bend too fast for a wider one (its profiles of J).
  say("the Jacobian of the moments at the estimate ...");
  const auto at_estimate = evaluator.moments(result.estimate, std::max<std::uint64_t>(spec.replicates, 8));
  const std::vector<double> m0 = Evaluator::mean(evaluator.moments(result.estimate, spec.replicates));
  result.jacobian.assign(targets, std::vector<double>(p, 0.0));
  for (std::size_t i = 0; i < p; ++i) {
    const auto& b = spec.parameters[i];
    const double h = 0.01 * (b.max - b.min);
    auto up = result.estimate;
    auto down = result.estimate;
    up[i] = std::min(b.max, up[i] + h);
    down[i] = std::max(b.min, down[i] - h);
    const auto mu = Evaluator::mean(evaluator.moments(up, spec.replicates));
    const auto md = Evaluator::mean(evaluator.moments(down, spec.replicates));
    for (std::size_t j = 0; j < targets; ++j) result.jacobian[j][i] = (mu[j] - md[j]) / (up[i] - down[i]);
  }
  // V = (D'WD)^-1 from the targets' uncertainty; the simulation's noise on top.
  std::vector<std::vector<double>> information(p, std::vector<double>(p, 0.0));
  std::vector<std::vector<double>> scaled(p, std::vector<double>(p, 0.0));  // per unit of range, for identifiability
  for (std::size_t j = 0; j < targets; ++j) {
    const CalibrationTarget& t = spec.targets[j];
    if (!t.fit) continue;
    for (std::size_t a = 0; a < p; ++a) {
      for (std::size_t c = 0; c < p; ++c) {
        information[a][c] += result.jacobian[j][a] * result.jacobian[j][c] / (t.sd * t.sd);
        const double ra = spec.parameters[a].max - spec.parameters[a].min;
        const double rc = spec.parameters[c].max - spec.parameters[c].min;
        scaled[a][c] += result.jacobian[j][a] * ra * result.jacobian[j][c] * rc / (t.sd * t.sd);
      }
    }
  }
  for (const double e : eigenvalues(scaled)) result.singular_values.push_back(std::sqrt(std::max(0.0, e)));
  // V over the parameters some target moves (a parameter no target moves has no standard error,
  // and must not take the others' with it).
  std::vector<std::size_t> seen;
  double most = 0;
  for (std::size_t i = 0; i < p; ++i) most = std::max(most, scaled[i][i]);
  for (std::size_t i = 0; i < p; ++i) {
    if (scaled[i][i] > 1e-12 * most) seen.push_back(i);
  }
  std::vector<std::vector<double>> v;
  {
    std::vector<std::vector<double>> sub(seen.size(), std::vector<double>(seen.size()));
    for (std::size_t a = 0; a < seen.size(); ++a) {
      for (std::size_t c = 0; c < seen.size(); ++c) sub[a][c] = information[seen[a]][seen[c]];
    }
    const auto inverted = seen.empty() ? std::vector<std::vector<double>>{} : inverse(sub);
    if (!inverted.empty()) {
      v.assign(p, std::vector<double>(p, 0.0));
      for (std::size_t a = 0; a < seen.size(); ++a) {
        for (std::size_t c = 0; c < seen.size(); ++c) v[seen[a]][seen[c]] = inverted[a][c];
      }
    }
  }
  // Omega: the covariance of one run's moments at the estimate (fitted targets).
  std::vector<std::vector<double>> omega(targets, std::vector<double>(targets, 0.0));
  const auto mean_run = Evaluator::mean(at_estimate);
  for (const auto& run : at_estimate) {
    for (std::size_t a = 0; a < targets; ++a) {
      for (std::size_t c = 0; c < targets; ++c)
        omega[a][c] += (run[a] - mean_run[a]) * (run[c] - mean_run[c]) / static_cast<double>(at_estimate.size() - 1);
    }
  }
  result.se.assign(p, kNaN);
  result.se_total.assign(p, kNaN);
  if (!v.empty()) {
    // B = V D'W (p x targets); V_sim = B (Omega / R) B'.
    std::vector<std::vector<double>> bmat(p, std::vector<double>(targets, 0.0));
    for (std::size_t a = 0; a < p; ++a) {
      for (std::size_t j = 0; j < targets; ++j) {
        if (!spec.targets[j].fit) continue;
        for (std::size_t c = 0; c < p; ++c) bmat[a][j] += v[a][c] * result.jacobian[j][c] / (spec.targets[j].sd * spec.targets[j].sd);
      }
    }
    for (std::size_t a = 0; a < p; ++a) {
      double simulation = 0;
      for (std::size_t j = 0; j < targets; ++j) {
        for (std::size_t k = 0; k < targets; ++k)
          simulation += bmat[a][j] * omega[j][k] * bmat[a][k] / static_cast<double>(spec.replicates);
      }
      if (std::find(seen.begin(), seen.end(), a) == seen.end()) continue;  // unseen: no standard error
      result.se[a] = std::sqrt(std::max(0.0, v[a][a]));
      result.se_total[a] = std::sqrt(std::max(0.0, v[a][a] + simulation));
    }
  }
  for (std::size_t i = 0; i < p; ++i) {
    double strongest = 0;
    std::string name = "(none)";
    for (std::size_t j = 0; j < targets; ++j) {
      if (!spec.targets[j].fit) continue;
      const double pull = std::abs(result.jacobian[j][i]) * (spec.parameters[i].max - spec.parameters[i].min) / spec.targets[j].sd;
      if (pull > strongest) {
        strongest = pull;
        name = spec.targets[j].name;
      }
    }
    result.identified_by.push_back(name);
    result.weak.push_back(std::isnan(result.se_total[i]) || result.se_total[i] > 0.25 * (spec.parameters[i].max - spec.parameters[i].min));
  }

  // Predictive bands: draws of theta from N(estimate, V) (within the bounds), one run each.
  say(fmt::format("{} runs with parameters drawn from the estimate's uncertainty ...", spec.draws));
  std::vector<std::vector<double>> lower(p, std::vector<double>(p, 0.0));  // Cholesky of V (diagonal se_total when V is singular)
  bool cholesky = !v.empty();
  for (std::size_t a = 0; a < p && cholesky; ++a) {
    for (std::size_t c = 0; c <= a; ++c) {
      double sum =
          v[a][c] + (a == c && !std::isnan(result.se[a]) ? result.se_total[a] * result.se_total[a] - result.se[a] * result.se[a] : 0.0);
      for (std::size_t k = 0; k < c; ++k) sum -= lower[a][k] * lower[c][k];
      if (a == c) {
        if (sum < 0.0 || (sum == 0.0 && std::find(seen.begin(), seen.end(), a) != seen.end())) {
          cholesky = false;
          break;
        }
        lower[a][a] = std::sqrt(sum);  // 0 for a parameter no target moves: it stays at its estimate
      } else {
        lower[a][c] = lower[c][c] > 0.0 ? sum / lower[c][c] : 0.0;
      }
    }
  }
  const Rng draws_rng(static_cast<std::uint64_t>(scenario.integer("run.seed")), 0xCA11B);
  std::vector<Scenario> draws;
  for (std::uint64_t d = 0; d < spec.draws; ++d) {
    std::vector<double> z(p);
    for (std::size_t i = 0; i < p; ++i) {
      const RandomBlock words = draws_rng.block(d, 0, Purpose::calibration, i);
      z[i] = normal_from_words(words[0], words[1]);
    }
    auto theta = result.estimate;
    for (std::size_t a = 0; a < p; ++a) {
      double shift = 0;
      if (cholesky) {
        for (std::size_t c = 0; c <= a; ++c) shift += lower[a][c] * z[c];
      }
      theta[a] = std::clamp(theta[a] + shift, spec.parameters[a].min, spec.parameters[a].max);
    }
    draws.push_back(evaluator.at(theta));
  }
  std::vector<std::vector<double>> drawn(targets);
  for (const auto& moments : evaluator.each(draws)) {
    for (std::size_t j = 0; j < targets; ++j) drawn[j].push_back(moments[j]);
  }
  for (std::size_t j = 0; j < targets; ++j) {
    result.model_mean.push_back(m0[j]);
    result.band_low.push_back(quantile(drawn[j], 0.05));
    result.band_high.push_back(quantile(drawn[j], 0.95));
  }

  // Profiles: J along each parameter, the others at the estimate.
  for (std::size_t i = 0; i < p; ++i) {
    say(fmt::format("profile of {} ...", spec.parameters[i].key));
    const auto& b = spec.parameters[i];
    const double half = std::isnan(result.se_total[i])
                            ? 0.25 * (b.max - b.min)
                            : std::min(0.5 * (b.max - b.min), std::max(2.0 * result.se_total[i], 0.02 * (b.max - b.min)));
    std::vector<std::pair<double, double>> profile;
    for (std::size_t k = 0; k < options.profile_points; ++k) {
      auto theta = result.estimate;
      const double t =
          options.profile_points > 1 ? -1.0 + 2.0 * static_cast<double>(k) / static_cast<double>(options.profile_points - 1) : 0.0;
      theta[i] = std::clamp(result.estimate[i] + t * half, b.min, b.max);
      profile.emplace_back(theta[i], evaluator.objective(Evaluator::mean(evaluator.moments(theta, spec.replicates))));
    }
    result.profiles.push_back(std::move(profile));
  }
  result.runs = evaluator.runs();
  return result;
}

std::string scenario_text_with(const Scenario& scenario, const std::vector<std::string>& keys, const std::vector<double>& values) {
  std::vector<std::string> lines;
  {
    std::istringstream in(scenario.source_text());
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  for (std::size_t k = 0; k < keys.size(); ++k) {
    const SourceLocation where = scenario.location(keys[k]);
    if (where.line <= 0 || static_cast<std::size_t>(where.line) > lines.size()) {
      throw ScenarioError(where, keys[k], "is not set in the scenario file, so its value cannot be written in place");
    }
    std::string& line = lines[static_cast<std::size_t>(where.line) - 1];
    const std::size_t from = static_cast<std::size_t>(where.column) - 1;
    std::size_t to = from;
    while (to < line.size() && line[to] != ' ' && line[to] != '\t' && line[to] != '#' && line[to] != ',' && line[to] != ']') ++to;
    line.replace(from, to - from, fmt::format("{}", values[k]));
  }
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

}  // namespace glocal
