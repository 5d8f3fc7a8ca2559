#include "glocal/model/scenario.hpp"
#include "glocal/model/schema.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>

#include <toml++/toml.h>

#include "glocal/core/hash.hpp"
#include "glocal/model/process.hpp"
#include "glocal/world/data_world.hpp"
#include "glocal/world/network.hpp"

namespace glocal {

namespace {

constexpr double kMaxInt64 = 9223372036854775807.0;

std::vector<std::string> all_keys(const Schema& schema) {
  std::vector<std::string> keys;
  for (const auto& spec : schema.parameters()) keys.push_back(spec.key);
  return keys;
}

[[noreturn]] void unknown_key(const Schema& schema, const SourceLocation& where, const std::string& key) {
  std::string message = "unknown key";
  const std::string guess = closest_match(key, all_keys(schema));
  if (!guess.empty()) message += fmt::format("; did you mean '{}'?", guess);
  message += " (run `glocal describe` for every key)";
  throw ScenarioError(where, key, message);
}

/// Checks the value's type and bounds against its declaration; returns it normalised
/// (an integer given for a real becomes a double).
Value check_value(const ParamSpec& spec, Value value, const SourceLocation& where) {
  const auto fail = [&](const std::string& got) {
    throw ScenarioError(where, spec.key, fmt::format("expected {}, got {}", describe_accepted(spec), got));
  };
  const auto got_text = [&]() -> std::string {
    if (std::holds_alternative<std::string>(value)) return "\"" + std::get<std::string>(value) + "\"";
    if (std::holds_alternative<bool>(value)) return "a boolean (" + format_value(value) + ")";
    if (std::holds_alternative<double>(value)) return "a real number (" + format_value(value) + ")";
    return "an integer (" + format_value(value) + ")";
  };
  switch (spec.type) {
    case ParamType::integer: {
      if (!std::holds_alternative<std::int64_t>(value)) fail(got_text());
      const auto v = std::get<std::int64_t>(value);
      if (static_cast<double>(v) < spec.min || static_cast<double>(v) > spec.max) fail(format_value(value));
      return value;
    }
    case ParamType::real: {
      double v = 0;
      if (std::holds_alternative<std::int64_t>(value)) {
        v = static_cast<double>(std::get<std::int64_t>(value));
      } else if (std::holds_alternative<double>(value)) {
        v = std::get<double>(value);
      } else {
        fail(got_text());
      }
      if (!std::isfinite(v) || v < spec.min || v > spec.max) fail(format_value(Value{v}));
      return Value{v};
    }
    case ParamType::boolean:
      if (!std::holds_alternative<bool>(value)) fail(got_text());
      return value;
    case ParamType::choice: {
      if (!std::holds_alternative<std::string>(value)) fail(got_text());
      const auto& s = std::get<std::string>(value);
      if (std::find(spec.choices.begin(), spec.choices.end(), s) == spec.choices.end()) {
        std::string message = fmt::format("expected {}, got \"{}\"", describe_accepted(spec), s);
        const std::string guess = closest_match(s, spec.choices);
        if (!guess.empty()) message += fmt::format("; did you mean \"{}\"?", guess);
        throw ScenarioError(where, spec.key, message);
      }
      return value;
    }
    case ParamType::text:
      if (!std::holds_alternative<std::string>(value)) fail(got_text());
      return value;
  }
  return value;
}

std::optional<Value> toml_value(const toml::node& node) {
  if (auto v = node.as_integer()) return Value{v->get()};
  if (auto v = node.as_floating_point()) return Value{v->get()};
  if (auto v = node.as_boolean()) return Value{v->get()};
  if (auto v = node.as_string()) return Value{v->get()};
  return std::nullopt;
}

std::string toml_type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "an unsupported value";
  }
}

SourceLocation location_of(const toml::source_region& region, const std::string& file) {
  return SourceLocation{file, static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

/// An entry of an array of tables ([[sweep]], [[schedule]]): a table holding only `fields`, with a
/// `key` that names a declared scenario key and a non-empty array `list_field`.
struct KeyedEntry {
  const toml::table* table;
  const toml::array* list;
  const ParamSpec* spec;
  std::string key;
  SourceLocation where;  ///< of the key's value
};

KeyedEntry keyed_entry(const Schema& schema, const toml::node& node, const std::string& kind, const std::vector<std::string>& fields,
                       const std::string& list_field, const std::string& usage, const std::string& file) {
  const SourceLocation where = location_of(node.source(), file);
  const auto* table = node.as_table();
  if (table == nullptr) throw ScenarioError(where, kind, "expected a table with " + usage);
  for (auto&& [name, field] : *table) {
    if (std::find(fields.begin(), fields.end(), std::string(name.str())) == fields.end()) {
      std::string expected;
      for (const auto& f : fields) expected.append(expected.empty() ? "`" : ", `").append(f).append("`");
      throw ScenarioError(location_of(field.source(), file), fmt::format("{}.{}", kind, name.str()),
                          fmt::format("unknown field of a [[{}]] table (expected {})", kind, expected));
    }
  }
  const auto* key_node = table->get_as<std::string>("key");
  const auto* list = table->get_as<toml::array>(list_field);
  if (key_node == nullptr || list == nullptr || list->empty()) {
    throw ScenarioError(where, kind, "each [[" + kind + "]] table needs " + usage);
  }
  KeyedEntry entry{table, list, schema.parameter(key_node->get()), key_node->get(), location_of(key_node->source(), file)};
  if (entry.spec == nullptr) unknown_key(schema, entry.where, entry.key);
  return entry;
}

}  // namespace

const std::vector<ParamSpec>& engine_parameters() {
  static const std::vector<ParamSpec> params = [] {
    std::vector<ParamSpec> p;
    p.push_back(bookkeeping(
        text_parameter("scenario.name", "Short name of the scenario, used for the default output folder (default: the file name).")));
    p.push_back(bookkeeping(text_parameter("scenario.description", "Free text describing the scenario; copied into manifest.json.")));
    p.push_back(bookkeeping(
        integer_parameter("run.seed", 1, 0, kMaxInt64, "",
                          "Master seed. Replicate r of a parameter point draws from the Philox stream keyed by (seed, the point's "
                          "key, r) (runs.csv: point_key), so a run's result does not depend on the thread count, on the other runs "
                          "and points of its experiment, or on its place among them.")));
    p.push_back(
        choice_parameter("run.streams", "point", {"point", "shared"},
                         "Which random stream a run draws from: 'point', the stream of (seed, its point's key, its replicate), so "
                         "different parameter points are independent; 'shared', the stream of (seed, its replicate) alone, so replicate r "
                         "of every point and of every scenario that also says 'shared' meets the same random numbers (common random "
                         "numbers: paired comparisons of regimes or sweep values)."));
    p.push_back(bookkeeping(
        integer_parameter("run.replicates", 1, 1, 10'000'000, "runs", "Number of independent runs (replicates) of the scenario.")));
    p.push_back(bookkeeping(
        integer_parameter("run.ticks", 1000, 0, 4294967295.0, "ticks", "Tick limit. A tick is N culture events (N = number of agents).")));
    p.push_back(
        bookkeeping(choice_parameter("run.stop", "ticks", {"ticks", "absorbing"},
                                     "When a run ends: after run.ticks ticks, or as soon as every process has reached its absorbing state "
                                     "(run.ticks is then a time limit).")));
    p.push_back(bookkeeping(
        integer_parameter("run.record_every", 1, 1, 1.0e12, "ticks",
                          "Record a row of model.csv every this many ticks (tick 0 and the final state are always recorded).")));
    p.push_back(integer_parameter("run.start_year", 0, -100000, 100000, "year",
                                  "Calendar year at which tick 1 starts. When given, model.csv and places.csv carry a `year` column and "
                                  "[[schedule]] times are years; otherwise they are ticks (tick t starts at time t - 1)."));
    p.push_back(
        bookkeeping(choice_parameter("run.record_places", "none", {"none", "locality", "nation", "bloc", "world"},
                                     "Also record per-place metrics (places.csv) at every recorded tick: for every place at this scale and "
                                     "every coarser one up to the world; none to skip.")));
    p.push_back(
        integer_parameter("world.blocs", 1, 1, 1.0e6, "blocs", "Number of blocs in the world (synthetic world: every bloc alike)."));
    p.push_back(integer_parameter("world.nations_per_bloc", 1, 1, 1.0e6, "nations", "Number of nations in each bloc."));
    p.push_back(
        integer_parameter("world.localities_per_nation", 1, 1, 1.0e7, "localities",
                          "Number of localities in each nation. Each locality has its own network (world.network.*, world.lattice.*), "
                          "so a locality's population is the network's size."));
    p.push_back(
        choice_parameter("world.data", "none", {"none", "maddison"},
                         "Build the world from country data: 'maddison', one nation per unit of the Maddison Project Database 2023 "
                         "(data/maddison, 1950-2010; cite it as its README says) with GDP per head in run.start_year, agents in "
                         "proportion to population (world.agents or world.people_per_agent), the data's regions as blocs, the Brandt "
                         "line's North and South as groups, and productivity A_n = GDP per head / 1000 (money in thousands of 2011 "
                         "international dollars, PPP). Needs run.start_year and world.network.kind = \"random\" or \"complete\"."));
    p.push_back(
        text_parameter("world.data_file",
                       "A CSV of the same form as data/maddison/countries-1950-2010.csv (iso3,country,region,year,gdppc,pop; pop in "
                       "thousands) to use instead of the shipped extract; a relative path is taken from the scenario file's folder."));
    p.push_back(
        text_parameter("world.nations",
                       "The units of a data world, by ISO 3166 alpha-3 code or by region, e.g. [\"USA\", \"CHN\", \"Sub Saharan Africa\"] "
                       "(an array, or one comma-separated string with --set); empty: every unit."));
    p.push_back(integer_parameter(
        "world.agents", 10000, 2, 4294967295.0, "agents",
        "Agents of a data world at run.start_year: the scale is the population of the selected units over this. "
        "Each nation has at least 2 agents, so small nations weigh a little more than their population at coarse scales."));
    p.push_back(real_parameter("world.people_per_agent", 0.0, 0.0, 1.0e10, "people",
                               "The scale of a data world given directly: the people each agent stands for (instead of world.agents)."));
    p.push_back(
        choice_parameter("world.federations", "as-of-start", {"as-of-start", "federations", "successors"},
                         "A data world's former federations (USSR, Czechoslovakia, Yugoslavia): the federation if run.start_year is "
                         "before its successors' first year in the data (1992, 1993, 1992), else its successor states; or always the "
                         "federations, or always the successors. Never both."));
    p.push_back(choice_parameter("world.network.kind", "lattice", {"lattice", "ring", "small-world", "random", "complete"},
                                 "The interaction network: a 2D lattice (world.lattice.*), a ring, a Watts-Strogatz small world, an "
                                 "Erdos-Renyi random graph, or the complete graph."));
    p.push_back(integer_parameter("world.network.size", 100, 2, 2147483647.0, "agents",
                                  "Number of agents for ring, small-world, random and complete networks (complete: at most 4096)."));
    p.push_back(integer_parameter("world.network.degree", 4, 2, 1.0e6, "neighbours",
                                  "Degree of the ring and of the small world before rewiring (even: degree/2 neighbours on each side)."));
    p.push_back(real_parameter("world.network.rewire", 0.1, 0, 1, "", "Watts-Strogatz rewiring probability per edge (small-world)."));
    p.push_back(real_parameter("world.network.mean_degree", 4, 0, 1.0e6, "neighbours",
                               "Mean degree z of the Erdos-Renyi random graph: each pair is linked with probability z/(N-1)."));
    p.push_back(integer_parameter("world.lattice.side", 10, 1, 46340, "sites", "Side L of the L x L lattice (N = L^2 agents)."));
    p.push_back(choice_parameter("world.lattice.boundary", "open", {"open", "periodic"},
                                 "Open boundary (edge sites have fewer neighbours) or periodic (a torus)."));
    p.push_back(choice_parameter("world.lattice.neighborhood", "von-neumann", {"von-neumann", "moore", "diamond", "radius"},
                                 "Neighbourhood: von Neumann (4), Moore (8), diamond (12: Moore plus the four sites at distance 2 on the "
                                 "axes), or von Neumann of radius world.lattice.radius."));
    p.push_back(integer_parameter("world.lattice.radius", 1, 1, 100, "sites",
                                  "Radius r of the 'radius' neighbourhood: all sites with 1 <= |dx|+|dy| <= r."));
    p.push_back(choice_parameter(
        "world.lattice.order", "rows", {"rows", "tiles"},
        "How the sites are numbered, and so stored: 'rows', site (x, y) is agent y L + x; 'tiles', tiles of 4 x 16 sites "
        "stored together (side a multiple of 16), so that a site's neighbours are mostly a few bytes away. Same model "
        "and statistics, a different random trajectory for a seed; faster on lattices far beyond the caches (10^8 agents)."));
    return p;
  }();
  return params;
}

const std::vector<ParamSpec>& scenario_schema() { return default_schema().parameters(); }

Scenario::Scenario(const Schema& schema) : schema_(&schema) {
  for (const auto& spec : schema.parameters()) entries_.emplace(spec.key, Entry{spec.default_value, {}, false});
}

Scenario Scenario::load_file(const std::filesystem::path& path, const Schema& schema) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ScenarioError(
        SourceLocation{path.string(), 0, 0}, "",
        "cannot open scenario file: " + std::string(std::filesystem::exists(path) ? "permission denied or not a file" : "no such file"));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse(buffer.str(), path.string(), schema);
}

Scenario Scenario::parse(std::string_view text, std::string source_name, const Schema& schema) {
  Scenario scenario(schema);
  scenario.text_ = std::string(text);
  scenario.source_ = source_name;

  toml::table root;
  try {
    root = toml::parse(scenario.text_, source_name);
  } catch (const toml::parse_error& error) {
    throw ScenarioError(location_of(error.source(), source_name), "", fmt::format("malformed TOML: {}", error.description()));
  }

  const auto& prefixes = schema.tables();
  std::set<std::string> tables_seen;
  std::function<void(const toml::table&, const std::string&)> walk = [&](const toml::table& table, const std::string& prefix) {
    for (auto&& [name, node] : table) {
      const std::string key = prefix.empty() ? std::string(name.str()) : prefix + "." + std::string(name.str());
      const SourceLocation where = location_of(node.source(), source_name);
      if (key == "schedule") {
        const auto* entries = node.as_array();
        if (entries == nullptr) throw ScenarioError(where, key, "expected [[schedule]] tables, each with `key` and `points`");
        scenario.parse_schedules(entries, source_name);
        continue;
      }
      if (key == "world.nation") {
        const auto* nations = node.as_array();
        if (nations == nullptr) throw ScenarioError(where, key, "expected [[world.nation]] tables, each with a `name`");
        scenario.parse_nations(nations, source_name);
        continue;
      }
      if (key == "world.nations" && node.is_array()) {  // a list of selectors, kept as one comma-separated text
        std::string joined;
        for (const auto& item : *node.as_array()) {
          const auto* selector = item.as_string();
          if (selector == nullptr || selector->get().empty() || selector->get().find(',') != std::string::npos) {
            throw ScenarioError(location_of(item.source(), source_name), key,
                                "expected an array of unit codes or region names (strings without commas)");
          }
          joined += (joined.empty() ? "" : ",") + selector->get();
        }
        auto& entry = scenario.entries_.at(key);
        entry.value = joined;
        entry.where = where;
        entry.explicit_value = true;
        continue;
      }
      if (key == "sweep") {
        const auto* axes = node.as_array();
        if (axes == nullptr) throw ScenarioError(where, key, "expected [[sweep]] tables, each with `key` and `values`");
        scenario.parse_sweep(axes, source_name);
        continue;
      }
      if (const auto* sub = node.as_table()) {
        if (!prefixes.contains(key)) {
          if (schema.parameter(key) != nullptr) {
            throw ScenarioError(where, key, "expected a value, got a table");
          }
          std::vector<std::string> candidates(prefixes.begin(), prefixes.end());
          std::string message = "unknown table";
          const std::string guess = closest_match(key, candidates);
          if (!guess.empty()) message += fmt::format("; did you mean '{}'?", guess);
          throw ScenarioError(where, key, message);
        }
        tables_seen.insert(key);
        walk(*sub, key);
        continue;
      }
      const ParamSpec* spec = schema.parameter(key);
      if (spec == nullptr) {
        if (prefixes.contains(key)) throw ScenarioError(where, key, "expected a table, got a value");
        unknown_key(schema, where, key);
      }
      const auto value = toml_value(node);
      if (!value) {
        throw ScenarioError(where, key, fmt::format("expected {}, got {}", describe_accepted(*spec), toml_type_name(node)));
      }
      auto& entry = scenario.entries_.at(key);
      entry.value = check_value(*spec, *value, where);
      entry.where = where;
      entry.explicit_value = true;
      tables_seen.insert(key.substr(0, key.find('.')));
    }
  };
  walk(root, "");

  for (const auto& process : schema.processes()) {
    if (tables_seen.contains(process.name)) scenario.enable_process_of(process.name + ".");
  }
  for (const auto& axis : scenario.sweep_) scenario.enable_process_of(axis.key);  // same metric columns at every point
  scenario.validate();
  scenario.validate_points();
  scenario.validate_schedules();
  return scenario;
}

double Schedule::value_at(double time) const noexcept {
  if (time <= points.front().first) return points.front().second;
  if (time >= points.back().first) return points.back().second;
  std::size_t k = 1;
  while (points[k].first <= time) ++k;  // points[k - 1].first <= time < points[k].first
  const auto& [t0, v0] = points[k - 1];
  const auto& [t1, v1] = points[k];
  if (mode == Mode::step) return v0;
  return v0 + (v1 - v0) * (time - t0) / (t1 - t0);
}

double Scenario::time_of_tick(std::uint64_t tick) const {
  const double offset = static_cast<double>(tick) - 1.0;
  return has_calendar() ? static_cast<double>(integer("run.start_year")) + offset : offset;
}

void Scenario::parse_schedules(const void* toml_array, const std::string& file) {
  const auto& entries = *static_cast<const toml::array*>(toml_array);
  for (const auto& node : entries) {
    const KeyedEntry entry = keyed_entry(*schema_, node, "schedule", {"key", "points", "mode"}, "points",
                                         "`key = \"...\"` and `points = [[time, value], ...]`", file);
    const toml::table* table = entry.table;
    const toml::array* points_node = entry.list;
    const ParamSpec* spec = entry.spec;
    Schedule schedule;
    schedule.key = entry.key;
    schedule.where = entry.where;
    if (!spec->schedulable) {
      std::string schedulable;
      for (const auto& candidate : schema_->parameters()) {
        if (candidate.schedulable) schedulable += (schedulable.empty() ? "" : ", ") + candidate.key;
      }
      throw ScenarioError(schedule.where, schedule.key, "cannot follow a schedule (schedulable keys: " + schedulable + ")");
    }
    for (const auto& other : schedules_) {
      if (other.key == schedule.key) throw ScenarioError(schedule.where, schedule.key, "is scheduled twice");
    }
    if (is_set(schedule.key)) {
      throw ScenarioError(schedule.where, schedule.key, "is both set (at " + location(schedule.key).str() + ") and scheduled; keep one");
    }
    if (const auto* mode = table->get_as<std::string>("mode")) {
      if (mode->get() == "step") {
        schedule.mode = Schedule::Mode::step;
      } else if (mode->get() != "linear") {
        throw ScenarioError(location_of(mode->source(), file), schedule.key,
                            "expected mode \"linear\" or \"step\", got \"" + mode->get() + "\"");
      }
    }
    for (const auto& point_node : *points_node) {
      const SourceLocation point_where = location_of(point_node.source(), file);
      const auto* pair = point_node.as_array();
      const auto time = pair != nullptr && pair->size() == 2 ? toml_value(*pair->get(0)) : std::nullopt;
      const auto value = pair != nullptr && pair->size() == 2 ? toml_value(*pair->get(1)) : std::nullopt;
      const bool numeric_time = time && (std::holds_alternative<std::int64_t>(*time) || std::holds_alternative<double>(*time));
      if (!numeric_time || !value) throw ScenarioError(point_where, schedule.key, "expected a point [time, value]");
      const double t =
          std::holds_alternative<std::int64_t>(*time) ? static_cast<double>(std::get<std::int64_t>(*time)) : std::get<double>(*time);
      if (!std::isfinite(t)) throw ScenarioError(point_where, schedule.key, fmt::format("expected a finite time, got {}", t));
      const double v = std::get<double>(check_value(*spec, *value, point_where));
      if (!schedule.points.empty() && t <= schedule.points.back().first) {
        throw ScenarioError(point_where, schedule.key, "schedule times must increase");
      }
      schedule.points.emplace_back(t, v);
    }
    // The value before the first point is the first point's: it is also the key's value at the start.
    entries_.at(schedule.key).value = schedule.points.front().second;
    entries_.at(schedule.key).where = schedule.where;
    entries_.at(schedule.key).explicit_value = true;
    enable_process_of(schedule.key);
    schedules_.push_back(std::move(schedule));
  }
}

void Scenario::parse_nations(const void* toml_array, const std::string& file) {
  static const std::vector<std::string> fields = {"name", "bloc", "group", "localities", "population", "locality_names", "productivity"};
  for (const auto& node : *static_cast<const toml::array*>(toml_array)) {
    NationSpec nation;
    nation.where = location_of(node.source(), file);
    nation.population_where = nation.where;
    const auto* table = node.as_table();
    if (table == nullptr) throw ScenarioError(nation.where, "world.nation", "expected a table with a `name`");
    for (auto&& [field_name, field] : *table) {
      const std::string field_key = "world.nation." + std::string(field_name.str());
      const SourceLocation where = location_of(field.source(), file);
      const std::string name(field_name.str());
      if (std::find(fields.begin(), fields.end(), name) == fields.end()) {
        std::string message =
            "unknown field of a [[world.nation]] table (expected name, bloc, group, localities, population, locality_names, productivity)";
        const std::string guess = closest_match(name, fields);
        if (!guess.empty()) message += fmt::format("; did you mean '{}'?", guess);
        throw ScenarioError(where, field_key, message);
      }
      if (name == "localities" || name == "population") {
        const auto* number = field.as_integer();
        if (number == nullptr || number->get() < 1 || number->get() > 4294967295LL) {
          throw ScenarioError(where, field_key, fmt::format("expected an integer from 1 to 4294967295, got {}", toml_type_name(field)));
        }
        (name == "localities" ? nation.localities : nation.population) = number->get();
        if (name == "population") nation.population_where = where;
      } else if (name == "productivity") {
        const std::optional<double> number = field.value<double>();
        if (!number || !(*number > 0.0) || !(*number <= 1.0e12)) {
          throw ScenarioError(where, field_key,
                              fmt::format("expected a number above 0 (output per worker per tick), got {}", toml_type_name(field)));
        }
        nation.productivity = *number;
      } else if (name == "locality_names") {
        const auto* list = field.as_array();
        if (list == nullptr)
          throw ScenarioError(where, field_key, fmt::format("expected an array of strings, got {}", toml_type_name(field)));
        for (const auto& item : *list) {
          const auto* text = item.as_string();
          if (text == nullptr) throw ScenarioError(location_of(item.source(), file), field_key, "expected an array of strings");
          nation.locality_names.push_back(text->get());
        }
      } else {
        const auto* text = field.as_string();
        if (text == nullptr || (name != "group" && text->get().empty())) {
          throw ScenarioError(where, field_key, fmt::format("expected a non-empty string, got {}", toml_type_name(field)));
        }
        (name == "name" ? nation.name : name == "bloc" ? nation.bloc : nation.group) = text->get();
      }
    }
    if (nation.name.empty()) throw ScenarioError(nation.where, "world.nation.name", "each [[world.nation]] table needs a `name`");
    for (const auto& other : nations_) {
      if (other.name == nation.name)
        throw ScenarioError(nation.where, "world.nation.name", fmt::format("nation '{}' is described twice", nation.name));
    }
    if (!nation.locality_names.empty() && nation.locality_names.size() != static_cast<std::size_t>(nation.localities)) {
      throw ScenarioError(
          nation.where, "world.nation.locality_names",
          fmt::format("nation '{}' has {} localities but {} locality names", nation.name, nation.localities, nation.locality_names.size()));
    }
    nations_.push_back(std::move(nation));
  }
}

std::int64_t Scenario::synthetic_population() const {
  return text("world.network.kind") == "lattice" ? integer("world.lattice.side") * integer("world.lattice.side")
                                                 : integer("world.network.size");
}

void Scenario::check_locality(std::int64_t population, const std::string& key, const SourceLocation& where, const std::string& what) const {
  const std::string problem = network_spec(*this).locality_problem(population);  // the world's own check
  if (!problem.empty()) throw ScenarioError(where, key, what.empty() ? problem : what + ": " + problem);
}

void Scenario::validate_schedules() const {
  // Cross-key checks at every breakpoint of every schedule (the keys are piecewise linear, so the
  // checks that are linear in them hold in between), at every point of the sweep.
  if (schedules_.empty()) return;
  for (const auto& axis : sweep_) {
    for (const auto& schedule : schedules_) {
      if (axis.key == schedule.key) throw ScenarioError(schedule.where, schedule.key, "is both swept and scheduled; keep one");
    }
  }
  for (std::size_t p = 0; p < point_count(); ++p) {
    Scenario at = point_count() == 1 && !table_ ? *this : point(p);
    for (const auto& moment : schedules_) {
      for (const auto& [time, ignored] : moment.points) {
        for (const auto& schedule : schedules_) {
          auto& entry = at.entries_.at(schedule.key);
          entry.value = schedule.value_at(time);
          entry.where = schedule.where;
        }
        at.validate();
      }
    }
  }
}

void Scenario::parse_sweep(const void* toml_array, const std::string& file) {
  const auto& axes = *static_cast<const toml::array*>(toml_array);
  for (const auto& node : axes) {
    const KeyedEntry entry =
        keyed_entry(*schema_, node, "sweep", {"key", "values"}, "values", "`key = \"...\"` and a non-empty `values = [...]`", file);
    const toml::array* values_node = entry.list;
    const ParamSpec* spec = entry.spec;
    SweepAxis axis;
    axis.key = entry.key;
    axis.where = entry.where;
    if (axis.key == "run.seed" || axis.key == "run.replicates" || spec->type == ParamType::text) {
      throw ScenarioError(axis.where, axis.key, "cannot be swept (use run.replicates for repetitions)");
    }
    for (const auto& existing : sweep_) {
      if (existing.key == axis.key) throw ScenarioError(axis.where, axis.key, "is swept twice");
    }
    if (is_set(axis.key)) {
      throw ScenarioError(axis.where, axis.key, "is both set (at " + location(axis.key).str() + ") and swept; keep one");
    }
    for (const auto& value_node : *values_node) {
      const auto value = toml_value(value_node);
      const SourceLocation value_where = location_of(value_node.source(), file);
      if (!value)
        throw ScenarioError(value_where, axis.key,
                            fmt::format("expected {}, got {}", describe_accepted(*spec), toml_type_name(value_node)));
      axis.values.push_back(check_value(*spec, *value, value_where));
    }
    sweep_.push_back(std::move(axis));
  }
  constexpr std::size_t kMaxPoints = 1'000'000;
  std::size_t points = 1;
  for (const auto& axis : sweep_) {
    points *= axis.values.size();
    if (points > kMaxPoints) throw ScenarioError(axis.where, axis.key, fmt::format("the sweep has more than {} points", kMaxPoints));
  }
}

std::size_t Scenario::point_count() const noexcept {
  if (table_) return table_->rows.size();
  std::size_t points = 1;
  for (const auto& axis : sweep_) points *= axis.values.size();
  return points;
}

bool Scenario::varies(std::string_view key) const noexcept {
  for (const auto& axis : sweep_) {
    if (axis.key == key) return true;
  }
  return table_ && std::find(table_->keys.begin(), table_->keys.end(), key) != table_->keys.end();
}

void Scenario::set_points(PointTable table) {
  if (!sweep_.empty()) {
    throw ScenarioError(sweep_.front().where, sweep_.front().key, "a design gives the points: drop the [[sweep]] tables (or the design)");
  }
  if (table.rows.empty()) throw ScenarioError(SourceLocation{table.source, 0, 0}, "", "the design has no points");
  std::vector<const ParamSpec*> specs;
  for (const auto& key : table.keys) {
    const ParamSpec* spec = schema_->parameter(key);
    if (spec == nullptr) unknown_key(*schema_, SourceLocation{table.source, 1, 0}, key);
    if (key == "run.seed" || key == "run.replicates" || spec->type == ParamType::text) {
      throw ScenarioError(SourceLocation{table.source, 1, 0}, key, "cannot be a design column (use run.replicates for repetitions)");
    }
    for (const auto& schedule : schedules_) {
      if (schedule.key == key) throw ScenarioError(schedule.where, key, "is both scheduled and a design column; keep one");
    }
    specs.push_back(spec);
  }
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    if (table.rows[r].size() != specs.size()) {
      throw ScenarioError(SourceLocation{table.source, static_cast<int>(r + 2), 0}, "",
                          "a row of the design has the wrong number of values");
    }
    for (std::size_t j = 0; j < specs.size(); ++j) {
      // Rows are counted as lines of a design file without comments: the header is line 1.
      table.rows[r][j] = check_value(*specs[j], table.rows[r][j], SourceLocation{fmt::format("{} (point {})", table.source, r), 0, 0});
    }
  }
  Scenario before = *this;
  try {
    table_ = std::make_shared<const PointTable>(std::move(table));
    for (const auto& key : table_->keys) enable_process_of(key);  // the same metric columns at every point
    validate_points();
  } catch (...) {
    *this = std::move(before);
    throw;
  }
}

const PointTable& Scenario::point_table() const noexcept {
  static const PointTable none;
  return table_ ? *table_ : none;
}

Scenario Scenario::point(std::size_t index) const {
  Scenario at = *this;
  at.sweep_.clear();
  if (table_) {
    at.table_.reset();
    const auto& row = table_->rows.at(index);
    for (std::size_t j = 0; j < table_->keys.size(); ++j) {
      auto& entry = at.entries_.at(table_->keys[j]);
      entry.value = row[j];
      entry.where = SourceLocation{fmt::format("{} (point {})", table_->source, index), 0, 0};
      entry.explicit_value = true;
    }
    at.validate();
    return at;
  }
  std::size_t stride = point_count();
  for (const auto& axis : sweep_) {
    stride /= axis.values.size();
    const Value& value = axis.values[index / stride % axis.values.size()];
    auto& entry = at.entries_.at(axis.key);
    entry.value = value;
    entry.where = axis.where;
    entry.explicit_value = true;
    at.enable_process_of(axis.key);
  }
  at.validate();
  return at;
}

void Scenario::validate_points() const {
  // Cross-key checks at every point, so that an experiment fails before its first run.
  const std::size_t points = point_count();
  for (std::size_t k = 0; k < points && (!sweep_.empty() || table_); ++k) (void)point(k);
}

void Scenario::set(std::string_view assignment) { set_all({std::string(assignment)}); }

void Scenario::set_all(const std::vector<std::string>& assignments) {
  Scenario before = *this;  // all or nothing: a failed assignment leaves the scenario as it was
  try {
    for (const auto& assignment : assignments) apply(assignment);
    validate();
    validate_points();
    validate_schedules();
  } catch (...) {
    *this = std::move(before);
    throw;
  }
}

void Scenario::apply(std::string_view assignment) {
  const SourceLocation where{"--set " + std::string(assignment), 0, 0};
  const auto eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    throw ScenarioError(where, "", "expected key=value");
  }
  auto trim = [](std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
  };
  const std::string key(trim(assignment.substr(0, eq)));
  std::string text(trim(assignment.substr(eq + 1)));
  const ParamSpec* spec = schema_->parameter(key);
  if (spec == nullptr) unknown_key(*schema_, where, key);
  std::erase_if(sweep_, [&](const SweepAxis& axis) { return axis.key == key; });  // --set pins a swept key
  std::erase_if(schedules_, [&](const Schedule& s) { return s.key == key; });     // ... and a scheduled one
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);

  Value value = text;
  if (spec->type == ParamType::integer || spec->type == ParamType::real) {
    std::int64_t as_int = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), as_int);
    if (ec == std::errc{} && end == text.data() + text.size()) {
      value = as_int;
    } else {
      char* parse_end = nullptr;
      const double as_real = std::strtod(text.c_str(), &parse_end);
      if (!text.empty() && parse_end == text.c_str() + text.size()) value = as_real;
    }
  } else if (spec->type == ParamType::boolean) {
    if (text == "true") value = true;
    if (text == "false") value = false;
  }
  assign(key, value, where);
  overrides_.push_back(key + "=" + format_value(entries_.at(key).value));
}

void Scenario::assign(const std::string& key, const Value& value, const SourceLocation& where) {
  const ParamSpec* spec = schema_->parameter(key);
  if (spec == nullptr) unknown_key(*schema_, where, key);
  auto& entry = entries_.at(key);
  entry.value = check_value(*spec, value, where);
  entry.where = where;
  entry.explicit_value = true;
  enable_process_of(key);
}

void Scenario::set_value(const std::string& key, const Value& value, const SourceLocation& where) {
  assign(key, value, where);
  validate();
  validate_points();
  validate_schedules();
}

void Scenario::adopt(const Scenario& other, const std::vector<std::string>& keys) {
  Scenario before = *this;
  try {
    for (const auto& key : keys) {
      entries_[key] = other.entry(key);  // the value, whether it was set, and where
      if (entries_.at(key).explicit_value) enable_process_of(key);
      std::erase_if(schedules_, [&](const Schedule& s) { return s.key == key; });
      for (const auto& schedule : other.schedules_) {
        if (schedule.key == key) schedules_.push_back(schedule);
      }
    }
    validate();
    validate_points();
    validate_schedules();
  } catch (...) {
    *this = std::move(before);
    throw;
  }
}

void Scenario::enable_process_of(const std::string& key) {
  const std::string table = key.substr(0, key.find('.'));
  if (schema_->process(table) == nullptr || std::find(processes_.begin(), processes_.end(), table) != processes_.end()) {
    return;
  }
  std::vector<std::string> ordered;
  for (const auto& process : schema_->processes()) {
    if (process.name == table || std::find(processes_.begin(), processes_.end(), process.name) != processes_.end()) {
      ordered.push_back(process.name);
    }
  }
  processes_ = std::move(ordered);
}

void Scenario::build_data_world() {
  static const char* const data_keys[] = {"world.data_file", "world.nations", "world.agents", "world.people_per_agent",
                                          "world.federations"};
  if (text("world.data") == "none") {
    data_.reset();
    data_source_.clear();
    data_nations_.clear();
    for (const char* key : data_keys) {
      if (is_set(key)) throw ScenarioError(location(key), key, "applies to a data world (world.data = \"maddison\")");
    }
    return;
  }
  const auto fail = [&](const std::string& key, const std::string& message) { throw ScenarioError(location(key), key, message); };
  if (!nations_.empty()) {
    throw ScenarioError(nations_.front().where, "world.nation",
                        "a data world (world.data) builds its own nations: drop the [[world.nation]] tables");
  }
  for (const char* key : {"world.blocs", "world.nations_per_bloc"}) {
    if (is_set(key)) fail(key, "describes a synthetic world; a data world's blocs are the data's regions");
  }
  if (!has_calendar()) fail("world.data", "a data world starts in a year of its data: set run.start_year (e.g. 1960)");
  if (is_set("world.agents") && is_set("world.people_per_agent"))
    fail("world.people_per_agent", "give the scale once: world.agents or world.people_per_agent");
  // The data, loaded once per file and shared by every copy of the scenario (sweep points).
  std::string source = text("world.data_file");
  if (!source.empty()) {
    std::filesystem::path path(source);
    if (path.is_relative()) path = std::filesystem::path(source_).parent_path() / path;
    source = path.lexically_normal().string();
  }
  if (!data_ || data_source_ != source) {
    if (source.empty()) {
      data_ = std::shared_ptr<const CountryData>(&CountryData::maddison(), [](const CountryData*) {});
    } else {
      try {
        data_ = std::make_shared<const CountryData>(CountryData::load(source));
      } catch (const DataError& error) {
        fail("world.data_file", error.what());
      }
    }
    data_source_ = source;
  }
  DataWorldSpec spec;
  spec.data = data_.get();
  spec.start_year = static_cast<int>(integer("run.start_year"));
  const std::string& rule = text("world.federations");
  spec.federations = rule == "federations"  ? FederationRule::federations
                     : rule == "successors" ? FederationRule::successors
                                            : FederationRule::as_of_year;
  spec.agents = integer("world.agents");
  spec.people_per_agent = real("world.people_per_agent");
  spec.localities_per_nation = integer("world.localities_per_nation");
  std::vector<std::string> names = data_->regions();
  for (const auto& country : data_->countries()) names.push_back(country.code);
  const std::string& selection = text("world.nations");
  for (std::size_t from = 0; from < selection.size();) {
    std::size_t to = selection.find(',', from);
    if (to == std::string::npos) to = selection.size();
    std::string selector = selection.substr(from, to - from);
    while (!selector.empty() && selector.front() == ' ') selector.erase(selector.begin());
    while (!selector.empty() && selector.back() == ' ') selector.pop_back();
    from = to + 1;
    if (selector.empty()) continue;
    if (std::find(names.begin(), names.end(), selector) == names.end()) {
      std::string message = fmt::format("'{}' is neither a unit code nor a region of the data", selector);
      const std::string guess = closest_match(selector, names);
      if (!guess.empty()) message += fmt::format("; did you mean '{}'?", guess);
      fail("world.nations", message);
    }
    spec.select.push_back(std::move(selector));
  }
  DataWorld world;
  try {
    world = glocal::build_data_world(spec);
  } catch (const std::invalid_argument& error) {
    fail(spec.select.empty() ? "run.start_year" : "world.nations", error.what());
  }
  if (!world.left_out.empty()) {
    warnings_.push_back(fmt::format("{}: the data have no GDP per head in {} for {}: left out of the world", location("world.data").str(),
                                    spec.start_year, fmt::join(world.left_out, ", ")));
  }
  people_per_agent_ = world.people_per_agent;
  data_nations_.clear();
  for (const auto& nation : world.nations) {
    NationSpec entry;
    entry.name = nation.unit->code;
    entry.bloc = nation.unit->region;
    entry.group = nation.group;
    entry.localities = static_cast<std::int64_t>(nation.localities.size());
    entry.locality_populations.assign(nation.localities.begin(), nation.localities.end());
    entry.population = entry.locality_populations.front();
    entry.productivity = nation.productivity;
    entry.data_unit = nation.unit;
    entry.where = location("world.data");
    entry.population_where = entry.where;
    data_nations_.push_back(std::move(entry));
  }
}

void Scenario::validate() {
  warnings_.clear();
  const auto fail = [&](const std::string& key, const std::string& message) { throw ScenarioError(location(key), key, message); };
  if (processes_.empty()) {
    std::string names;
    for (const auto& process : schema_->processes()) names += (names.empty() ? "[" : ", [") + process.name + "]";
    throw ScenarioError(SourceLocation{source_, 0, 0}, "", "the scenario runs no process: add a table for one of " + names);
  }

  const std::string& kind = text("world.network.kind");
  const auto warn_unused = [&](const std::string& prefix, const std::string& why) {
    for (const auto& [key, entry] : entries_) {
      if (entry.explicit_value && key.rfind(prefix, 0) == 0) {
        warnings_.push_back(fmt::format("{}: '{}' is ignored: {}", entry.where.str(), key, why));
      }
    }
  };
  if (kind == "lattice") {
    if (text("world.lattice.neighborhood") != "radius" && is_set("world.lattice.radius")) {
      warnings_.push_back(fmt::format("{}: 'world.lattice.radius' is ignored: it applies to neighborhood = \"radius\"",
                                      location("world.lattice.radius").str()));
    }
    warn_unused("world.network.size", "world.network.kind is \"lattice\" (use world.lattice.side)");
    warn_unused("world.network.degree", "world.network.kind is \"lattice\"");
    warn_unused("world.network.rewire", "world.network.kind is \"lattice\"");
    warn_unused("world.network.mean_degree", "world.network.kind is \"lattice\"");
  } else {
    warn_unused("world.lattice.", fmt::format("world.network.kind is \"{}\"", kind));
    if ((kind == "ring" || kind == "small-world") && integer("world.network.degree") % 2 != 0) {
      fail("world.network.degree", fmt::format("expected an even degree for a {} network, got {}", kind, integer("world.network.degree")));
    }
    if (kind != "ring" && kind != "small-world") warn_unused("world.network.degree", fmt::format("world.network.kind is \"{}\"", kind));
    if (kind != "small-world") warn_unused("world.network.rewire", fmt::format("world.network.kind is \"{}\"", kind));
    if (kind != "random") warn_unused("world.network.mean_degree", fmt::format("world.network.kind is \"{}\"", kind));
  }

  // Keys declared to apply only under conditions on other keys (ParamSpec::applies_when).
  for (const auto& spec : schema_->parameters()) {
    if (spec.applies_when.empty() || !is_set(spec.key)) continue;
    if (!applies(spec)) {
      warnings_.push_back(fmt::format("{}: '{}' is ignored: it applies when {}", location(spec.key).str(), spec.key,
                                      describe_conditions(spec.applies_when)));
    }
  }

  const std::string size_key = kind == "lattice" ? "world.lattice.side" : "world.network.size";
  long double total = 0;
  build_data_world();
  if (data_) {
    if (kind != "random" && kind != "complete") {
      fail("world.network.kind", fmt::format("a data world's localities hold any number of agents, and demography changes it: expected "
                                             "\"random\" or \"complete\", got \"{}\"",
                                             kind));
    }
    for (const auto& nation : data_nations_) {
      for (const std::int64_t agents : nation.locality_populations) total += agents;
      if (kind == "complete" && nation.locality_populations.front() > NetworkSpec::kMaxComplete) {
        fail("world.network.kind",
             fmt::format("a complete network holds every pair in memory, at most {} agents a locality, and {}'s localities "
                         "hold {}: raise world.localities_per_nation or use \"random\"",
                         NetworkSpec::kMaxComplete, nation.name, nation.locality_populations.front()));
      }
    }
    if (total >= 4294967295.0L) {
      fail(is_set("world.people_per_agent") ? "world.people_per_agent" : "world.agents",
           fmt::format("the world would hold {:.4g} agents; at most 2^32 - 1 are supported", static_cast<double>(total)));
    }
  } else if (nations_.empty()) {
    check_locality(synthetic_population(), size_key, location(size_key), "");
    total = static_cast<long double>(synthetic_population()) * integer("world.blocs") * integer("world.nations_per_bloc") *
            integer("world.localities_per_nation");
    if (total >= 4294967295.0L) {
      fail("world.localities_per_nation",
           fmt::format("the world would hold {:.4g} agents; at most 2^32 - 1 are supported", static_cast<double>(total)));
    }
  } else {
    for (const char* key : {"world.blocs", "world.nations_per_bloc", "world.localities_per_nation"}) {
      if (is_set(key)) fail(key, "describes a synthetic world; with [[world.nation]] tables each nation gives its own bloc and localities");
    }
    for (const auto& nation : nations_) {
      const std::int64_t population = nation.population > 0 ? nation.population : synthetic_population();
      check_locality(population, nation.population > 0 ? "world.nation.population" : size_key,
                     nation.population > 0 ? nation.population_where : location(size_key), fmt::format("nation '{}'", nation.name));
      total += static_cast<long double>(population) * nation.localities;
    }
    if (total >= 4294967295.0L) {
      throw ScenarioError(nations_.back().where, "world.nation",
                          fmt::format("the world would hold {:.4g} agents; at most 2^32 - 1 are supported", static_cast<double>(total)));
    }
  }
  if (static_cast<long double>(integer("run.replicates")) * static_cast<long double>(point_count()) >= 4294967296.0L) {
    fail("run.replicates", fmt::format("{} replicates x {} sweep points would number runs past 2^32 - 1 (run ids key the random streams)",
                                       integer("run.replicates"), point_count()));
  }
  if (text("run.stop") == "absorbing") {
    for (const auto& name : processes_) {
      if (!schema_->process(name)->can_absorb)
        fail("run.stop", fmt::format("process '{}' has no absorbing state; use run.stop = \"ticks\"", name));
    }
  }
  for (const auto& name : processes_) {
    const auto* process = schema_->process(name);
    if (process->validate) process->validate(*this);
  }
  // The nations' policy table (glocal/model/nation_policy.hpp): set by one process at most, and
  // only where one provides it.
  std::string writer;
  std::string provider;
  for (const auto& name : processes_) {
    const PolicyAccess access = schema_->process(name)->policy;
    if (access == PolicyAccess::provides) provider = name;
    if (access != PolicyAccess::writes) continue;
    if (!writer.empty()) {
      throw ScenarioError(
          SourceLocation{source_, 0, 0}, name,
          fmt::format("[{}] and [{}] both set the nations' policies (the policy table has one writer): enable one of them", writer, name));
    }
    writer = name;
  }
  if (!writer.empty() && provider.empty()) {
    throw ScenarioError(SourceLocation{source_, 0, 0}, writer,
                        fmt::format("[{}] sets the nations' policies, which no enabled process provides (add [economy])", writer));
  }
}

const Scenario::Entry& Scenario::entry(const std::string& key) const {
  const auto it = entries_.find(key);
  GLOCAL_ASSERT(it != entries_.end(), "undeclared scenario key");
  return it->second;
}

std::int64_t Scenario::integer(const std::string& key) const { return std::get<std::int64_t>(entry(key).value); }
double Scenario::real(const std::string& key) const { return std::get<double>(entry(key).value); }
bool Scenario::boolean(const std::string& key) const { return std::get<bool>(entry(key).value); }
const std::string& Scenario::text(const std::string& key) const { return std::get<std::string>(entry(key).value); }
const Value& Scenario::value(const std::string& key) const { return entry(key).value; }
bool Scenario::is_set(const std::string& key) const { return entry(key).explicit_value; }

SourceLocation Scenario::location(const std::string& key) const {
  const auto& e = entry(key);
  if (e.explicit_value) return e.where;
  return SourceLocation{source_, 0, 0};
}

const ParamSpec* find_parameter(std::string_view key) { return default_schema().parameter(key); }

bool Scenario::applies(const ParamSpec& spec) const {
  return std::all_of(spec.applies_when.begin(), spec.applies_when.end(), [&](const Condition& condition) {
    const std::string given = format_value(value(condition.key));
    return std::find(condition.values.begin(), condition.values.end(), given) != condition.values.end();
  });
}

std::string Scenario::name() const {
  const auto& given = text("scenario.name");
  if (!given.empty()) return given;
  const auto stem = std::filesystem::path(source_).stem().string();
  return stem.empty() ? "scenario" : stem;
}

std::string Scenario::canonical_point() const {
  std::string text;
  for (const auto& [key, entry] : entries_) {  // std::map: key order
    const ParamSpec* spec = schema_->parameter(key);
    if (spec->bookkeeping) continue;
    if (entry.value == spec->default_value) continue;  // values are normalised to the declared type
    text += fmt::format("{}={}\n", key, format_value(entry.value));
  }
  for (const auto& schedule : schedules_) {
    text += fmt::format("schedule {} {}", schedule.key, schedule.mode == Schedule::Mode::step ? "step" : "linear");
    for (const auto& [time, value] : schedule.points) text += fmt::format(" {}:{}", format_value(Value{time}), format_value(Value{value}));
    text += "\n";
  }
  for (const auto& nation : nations_) {
    text += fmt::format("nation {} bloc={} group={} localities={} population={} productivity={}", nation.name, nation.bloc, nation.group,
                        nation.localities, nation.population, format_value(Value{nation.productivity}));
    for (const auto& locality : nation.locality_names) text += fmt::format(" {}", locality);
    text += "\n";
  }
  return text;
}

std::uint64_t Scenario::point_key() const {
  const std::string digest = sha256_hex(canonical_point());
  return std::stoull(digest.substr(0, 16), nullptr, 16);
}

std::vector<std::pair<std::string, std::string>> Scenario::parameter_values() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& spec : schema_->parameters()) {
    if (spec.type == ParamType::text) continue;
    out.emplace_back(spec.key, format_value(entry(spec.key).value));
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::string::npos;
  for (const auto& candidate : candidates) {
    const std::size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  const std::size_t allowed = std::max<std::size_t>(2, word.size() / 4);
  return best_distance <= allowed ? best : std::string{};
}

}  // namespace glocal
