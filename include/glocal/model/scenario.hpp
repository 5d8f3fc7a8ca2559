#pragma once
// A scenario: every declared key with its value (from the file, a --set override, or the
// default) and where it came from. Loading validates everything before any run starts.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "glocal/core/error.hpp"
#include "glocal/model/parameter.hpp"
#include "glocal/model/schema.hpp"
#include "glocal/world/country_data.hpp"
#include "glocal/world/world_spec.hpp"

namespace glocal {

/// The program's keys (default_schema().parameters()): the engine's (run.*, world.*, scenario.*)
/// then each registered process's. Code that holds a Scenario reads its schema() instead.
[[nodiscard]] const std::vector<ParamSpec>& scenario_schema();
/// The declaration of one of the program's keys (default_schema().parameter(key)), or nullptr.
[[nodiscard]] const ParamSpec* find_parameter(std::string_view key);
/// The engine's own keys.
[[nodiscard]] const std::vector<ParamSpec>& engine_parameters();

/// One swept key of an experiment ([[sweep]] tables): the run is repeated for each value.
struct SweepAxis {
  std::string key;
  std::vector<Value> values;
  SourceLocation where;
};

/// Parameter points given as a table (`glocal run --design`): each row is one point, each column
/// one key; keys not in the table keep the scenario's values.
struct PointTable {
  std::vector<std::string> keys;
  std::vector<std::vector<Value>> rows;
  std::string source;  ///< the file, for messages
};

/// A key that follows a path over time ([[schedule]] tables). Times are ticks, or calendar years
/// when run.start_year is given (tick t starts at year start_year + t - 1).
struct Schedule {
  enum class Mode { linear, step };
  std::string key;
  Mode mode = Mode::linear;
  std::vector<std::pair<double, double>> points;  ///< (time, value), times strictly increasing
  SourceLocation where;

  /// linear: interpolated between points, constant before the first and after the last;
  /// step: the value of the last point at or before `time` (the first point's before it).
  [[nodiscard]] double value_at(double time) const noexcept;
};

/// One nation of a described world ([[world.nation]] tables). Nations of one bloc need not be
/// adjacent in the file: the world lists them bloc by bloc, blocs in order of first mention.
struct NationSpec {
  std::string name;
  std::string bloc = "bloc-1";
  std::string group;  ///< e.g. "north" / "south"; "" when not grouped
  std::int64_t localities = 1;
  std::int64_t population = 0;              ///< agents per locality; 0: the synthetic locality size
  std::vector<std::string> locality_names;  ///< empty, or one per locality
  double productivity = 1.0;                ///< A_n at tick 0 (economy production): output per worker per tick
  /// A data world's nation: the agents of each of its localities (unequal by one at most), and
  /// its unit of the country data (population path, name). Empty / nullptr for a described nation.
  std::vector<std::int64_t> locality_populations;
  const CountrySeries* data_unit = nullptr;
  SourceLocation where;             ///< of the table
  SourceLocation population_where;  ///< of `population` (the table's when not given)
};

class Scenario {
 public:
  /// Reads and validates a TOML file against `schema` (which must outlive the scenario and its
  /// copies). Throws ScenarioError naming file:line:column and key.
  [[nodiscard]] static Scenario load_file(const std::filesystem::path& path, const Schema& schema = default_schema());
  /// Parses and validates TOML text; `source_name` names it in errors.
  [[nodiscard]] static Scenario parse(std::string_view text, std::string source_name, const Schema& schema = default_schema());

  /// The keys and processes this scenario was read against.
  [[nodiscard]] const Schema& schema() const noexcept { return *schema_; }

  /// Applies "key=value" (from --set), typed by the key's declaration, and re-validates.
  /// Enables the key's process if it was not. A swept key is pinned: its axis is dropped.
  /// Throws ScenarioError.
  void set(std::string_view assignment);
  /// Applies several "key=value" assignments, then validates once (so that keys that are only
  /// valid together, such as reach weights, can be changed together). Throws ScenarioError and
  /// then leaves the scenario unchanged.
  void set_all(const std::vector<std::string>& assignments);
  /// Applies a typed value from code (same checks as set()).
  void set_value(const std::string& key, const Value& value, const SourceLocation& where);
  /// Takes each key's value and schedule (or its absence) from `other`, then validates once; all or
  /// nothing (a lever of glocal study levers).
  void adopt(const Scenario& other, const std::vector<std::string>& keys);

  [[nodiscard]] std::int64_t integer(const std::string& key) const;
  [[nodiscard]] double real(const std::string& key) const;
  [[nodiscard]] bool boolean(const std::string& key) const;
  [[nodiscard]] const std::string& text(const std::string& key) const;  ///< choice or text
  [[nodiscard]] const Value& value(const std::string& key) const;
  [[nodiscard]] bool is_set(const std::string& key) const;  ///< given explicitly (not a default)
  /// Whether the key matters here: every condition of its applies_when holds.
  [[nodiscard]] bool applies(const ParamSpec& spec) const;
  [[nodiscard]] SourceLocation location(const std::string& key) const;

  /// Processes this scenario runs (each named by a table, e.g. [culture]), in registry order.
  [[nodiscard]] const std::vector<std::string>& processes() const noexcept { return processes_; }
  /// True when the scenario runs the process of this name.
  [[nodiscard]] bool enables(std::string_view process) const noexcept {
    return std::find(processes_.begin(), processes_.end(), process) != processes_.end();
  }
  [[nodiscard]] const std::string& source_text() const noexcept { return text_; }
  [[nodiscard]] const std::string& source_name() const noexcept { return source_; }
  /// scenario.name, or the file stem when not given.
  [[nodiscard]] std::string name() const;
  /// Non-fatal remarks (a key set that the chosen network kind ignores, ...).
  [[nodiscard]] const std::vector<std::string>& warnings() const noexcept { return warnings_; }
  /// Command-line overrides applied, in order, as "key=value".
  [[nodiscard]] const std::vector<std::string>& overrides() const noexcept { return overrides_; }

  /// The swept keys, in file order ([[sweep]] tables). Empty for a single-point scenario.
  [[nodiscard]] const std::vector<SweepAxis>& sweep() const noexcept { return sweep_; }
  /// The points of a design (set_points), or an empty table.
  [[nodiscard]] const PointTable& point_table() const noexcept;
  /// Makes the table's rows the scenario's parameter points (in place of a sweep, which must be
  /// absent). Each value is typed and range-checked by its key's declaration and every point is
  /// validated, so an experiment fails before its first run. Throws ScenarioError naming the row.
  void set_points(PointTable table);
  /// Number of parameter points: the design's rows, or the product of the sweep axes' sizes (1
  /// without either).
  [[nodiscard]] std::size_t point_count() const noexcept;
  /// True when the key takes other values at other points (swept, or a design column).
  [[nodiscard]] bool varies(std::string_view key) const noexcept;
  /// The scenario at one point of the sweep or design (0 <= index < point_count()), without a
  /// sweep or design. The first axis varies slowest. Every point is validated when the scenario
  /// is loaded.
  [[nodiscard]] Scenario point(std::size_t index) const;

  /// The described nations ([[world.nation]] tables) in file order, or a data world's nations
  /// (world.data) region by region; empty for a synthetic world (world.blocs x
  /// world.nations_per_bloc x world.localities_per_nation).
  [[nodiscard]] const std::vector<NationSpec>& nations() const noexcept { return data_ ? data_nations_ : nations_; }
  /// A data world's country data (world.data), or nullptr.
  [[nodiscard]] const CountryData* country_data() const noexcept { return data_.get(); }
  /// A data world's scale: the people each agent stands for (0 for other worlds).
  [[nodiscard]] double people_per_agent() const noexcept { return data_ ? people_per_agent_ : 0.0; }
  /// The unit codes and region names of world.nations (empty: every unit).
  [[nodiscard]] const std::vector<std::string>& nation_selection() const noexcept { return selection_; }
  /// Agents per locality of a synthetic world (or a nation without `population`): world.lattice.side
  /// squared on a lattice, world.network.size otherwise.
  [[nodiscard]] std::int64_t synthetic_population() const;

  /// The scheduled keys, in file order ([[schedule]] tables).
  [[nodiscard]] const std::vector<Schedule>& schedules() const noexcept { return schedules_; }
  /// The schedule time of the start of tick `tick` (>= 1): a year with run.start_year, else tick - 1.
  [[nodiscard]] double time_of_tick(std::uint64_t tick) const;
  /// True when run.start_year is given: outputs then carry a `year` column.
  [[nodiscard]] bool has_calendar() const { return is_set("run.start_year"); }

  /// The identity of this parameter point: the first 64 bits of the SHA-256 of its canonical text
  /// (canonical_point()). Keys the random streams of its runs with the replicate index, so a run's
  /// results do not depend on which other points or replicates an experiment holds.
  [[nodiscard]] std::uint64_t point_key() const;
  /// The model this point describes, as text: every parameter whose value differs from its default
  /// ("key=value" in key order; keys that only say how long to run, what to record or how many
  /// threads to use are left out), then every schedule and every described nation. Two points with
  /// the same canonical text are the same model; a key added to glocal later with a default leaves
  /// every existing point's text unchanged.
  [[nodiscard]] std::string canonical_point() const;

  /// Key and formatted value of every declared parameter, in schema order (for runs.csv).
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> parameter_values() const;

 private:
  struct Entry {
    Value value;
    SourceLocation where;
    bool explicit_value = false;
  };
  explicit Scenario(const Schema& schema);
  void enable_process_of(const std::string& key);
  /// One "key=value", typed and range-checked, without the cross-key checks.
  void apply(std::string_view assignment);
  void assign(const std::string& key, const Value& value, const SourceLocation& where);
  void validate();
  void validate_points() const;
  void parse_sweep(const void* toml_array, const std::string& file);
  void parse_schedules(const void* toml_array, const std::string& file);
  void parse_nations(const void* toml_array, const std::string& file);
  void parse_selection(const void* toml_array, const SourceLocation& where, const std::string& file);
  /// world.data: loads the data (once per file) and builds the nations from the keys.
  void build_data_world();
  /// Checks that a locality of `population` agents can hold the chosen network.
  void check_locality(std::int64_t population, const std::string& key, const SourceLocation& where, const std::string& what) const;
  void validate_schedules() const;
  [[nodiscard]] const Entry& entry(const std::string& key) const;

  const Schema* schema_;
  std::map<std::string, Entry, std::less<>> entries_;
  std::vector<std::string> processes_;
  std::vector<std::string> warnings_;
  std::vector<std::string> overrides_;
  std::vector<SweepAxis> sweep_;
  std::shared_ptr<const PointTable> table_;  ///< shared: a point's scenario is a copy, 10^5 rows are not
  std::vector<Schedule> schedules_;
  std::vector<NationSpec> nations_;
  std::shared_ptr<const CountryData> data_;  ///< world.data: the country data (shared by copies)
  std::string data_source_;                  ///< which data data_ holds ("maddison" or a file path)
  std::vector<NationSpec> data_nations_;
  double people_per_agent_ = 0.0;
  std::vector<std::string> selection_;  ///< world.nations
  std::vector<SourceLocation> selection_where_;
  std::string text_;
  std::string source_;
};

/// Levenshtein edit distance, for "did you mean" suggestions.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);
/// The closest candidate when it is close enough to be a likely misspelling, else "".
[[nodiscard]] std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

/// The scenario's world as data: its [[world.nation]] tables, its data world, or the synthetic
/// world (world.blocs x world.nations_per_bloc x world.localities_per_nation, generated names),
/// with its networks (world.network.*, world.lattice.*). Build it with WorldSpec's members.
[[nodiscard]] WorldSpec world_spec(const Scenario& scenario);
/// Its networks alone (world.network.*, world.lattice.*).
[[nodiscard]] NetworkSpec network_spec(const Scenario& scenario);

}  // namespace glocal
