#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <optional>
#include <ctime>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "glocal/core/error.hpp"
#include "glocal/core/hash.hpp"
#include "glocal/io/output.hpp"
#include "glocal/model/process.hpp"
#include "glocal_git.hpp"
#include "glocal_version.hpp"

namespace glocal {

namespace fs = std::filesystem;

namespace {

/// One output table, written both as CSV and as a SQLite table, so the two never differ.
struct Table {
  enum class Kind { integer, real, text };
  std::string name;
  std::vector<std::string> columns;
  std::vector<Kind> kinds;
  std::vector<std::vector<std::string>> rows;  ///< cells as text; "" is missing (NULL in SQLite)
};

std::string csv_cell(const std::string& cell) {
  if (cell.find_first_of(",\"\n\r") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (const char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

void write_csv(const fs::path& path, const Table& table) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw OutputError("cannot write '" + path.string() + "'");
  for (std::size_t c = 0; c < table.columns.size(); ++c) out << (c ? "," : "") << csv_cell(table.columns[c]);
  out << '\n';
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) out << (c ? "," : "") << csv_cell(row[c]);
    out << '\n';
  }
  out.flush();
  if (!out) throw OutputError("error writing '" + path.string() + "'");
}

class Database {
 public:
  explicit Database(const fs::path& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) fail("cannot open");
    exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;");
  }
  ~Database() { sqlite3_close(db_); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string text = message != nullptr ? message : "unknown error";
      sqlite3_free(message);
      throw OutputError("results.sqlite: " + text);
    }
  }

  void write(const Table& table) {
    std::string create = "CREATE TABLE " + table.name + " (";
    std::string insert = "INSERT INTO " + table.name + " VALUES (";
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      static constexpr const char* kTypes[] = {"INTEGER", "REAL", "TEXT"};
      create += fmt::format("{}\"{}\" {}", c ? ", " : "", table.columns[c], kTypes[static_cast<int>(table.kinds[c])]);
      insert += c ? ", ?" : "?";
    }
    exec(create + ");");
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, (insert + ")").c_str(), -1, &statement, nullptr) != SQLITE_OK) fail("cannot prepare insert");
    for (const auto& row : table.rows) {
      for (std::size_t c = 0; c < row.size(); ++c) {
        const int slot = static_cast<int>(c) + 1;
        if (row[c].empty()) {
          sqlite3_bind_null(statement, slot);
        } else if (table.kinds[c] == Table::Kind::integer) {
          sqlite3_bind_int64(statement, slot, std::strtoll(row[c].c_str(), nullptr, 10));
        } else if (table.kinds[c] == Table::Kind::real) {
          // strtod, not stod: a subnormal value (5e-324) reads back exactly where stod throws.
          sqlite3_bind_double(statement, slot, std::strtod(row[c].c_str(), nullptr));
        } else {
          sqlite3_bind_text(statement, slot, row[c].c_str(), static_cast<int>(row[c].size()), SQLITE_TRANSIENT);
        }
      }
      if (sqlite3_step(statement) != SQLITE_DONE) {
        sqlite3_finalize(statement);
        fail("cannot insert into " + table.name);
      }
      sqlite3_reset(statement);
    }
    sqlite3_finalize(statement);
  }

  void commit() { exec("COMMIT;"); }

 private:
  [[noreturn]] void fail(const std::string& what) {
    throw OutputError("results.sqlite: " + what + ": " + std::string(db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory"));
  }
  sqlite3* db_ = nullptr;
};

/// A metric cell: shortest round-trip text; a missing value (NaN) is an empty cell (NULL in
/// SQLite), which pandas reads as NaN and R as NA.
std::string metric_cell(double value) { return std::isnan(value) ? std::string{} : fmt::format("{}", value); }

Table::Kind kind_of(ParamType type) {
  switch (type) {
    case ParamType::integer:
    case ParamType::boolean: return Table::Kind::integer;
    case ParamType::real: return Table::Kind::real;
    default: return Table::Kind::text;
  }
}

Table runs_table(const Scenario& scenario, const std::vector<RunResult>& runs) {
  // (point_key, replicate) names a run across experiments: it keys the run's random stream.
  Table table{"runs", {"run_id", "point", "replicate", "seed", "point_key"},
              {Table::Kind::integer, Table::Kind::integer, Table::Kind::integer, Table::Kind::integer, Table::Kind::text}, {}};
  for (const auto& spec : scenario_schema()) {
    if (spec.type == ParamType::text) continue;
    table.columns.push_back(spec.key);
    table.kinds.push_back(kind_of(spec.type));
  }
  // Parameter values per point (a sweep changes some of them).
  std::vector<std::vector<std::string>> point_values;
  for (std::size_t k = 0; k < scenario.point_count(); ++k) {
    const Scenario at = scenario.sweep().empty() ? scenario : scenario.point(k);
    std::vector<std::string> values;
    for (const auto& spec : scenario_schema()) {
      if (spec.type == ParamType::text) continue;
      const Value& v = at.value(spec.key);
      values.push_back(std::holds_alternative<bool>(v) ? (std::get<bool>(v) ? "1" : "0") : format_value(v));
    }
    point_values.push_back(std::move(values));
  }
  for (const auto& run : runs) {
    std::vector<std::string> row = {std::to_string(run.run_id), std::to_string(run.point), std::to_string(run.replicate),
                                    std::to_string(scenario.integer("run.seed")), fmt::format("{:016x}", run.point_key)};
    const auto& values = point_values.at(run.point);
    row.insert(row.end(), values.begin(), values.end());
    table.rows.push_back(std::move(row));
  }
  return table;
}

/// With a calendar (run.start_year), the year a record stands for: the state at the end of tick t
/// is the state at the start of year start_year + t (tick 0 is the initial state, at start_year).
std::optional<std::int64_t> calendar(const Scenario& scenario) {
  if (!scenario.has_calendar()) return std::nullopt;
  return scenario.integer("run.start_year");
}

/// A time-series table's leading columns: run_id, point, tick and, with a calendar, year.
Table series_table(const Scenario& scenario, std::string name) {
  Table table{std::move(name), {"run_id", "point", "tick"}, {Table::Kind::integer, Table::Kind::integer, Table::Kind::integer}, {}};
  if (calendar(scenario)) {
    table.columns.push_back("year");
    table.kinds.push_back(Table::Kind::integer);
  }
  return table;
}

std::vector<std::string> series_row(const Scenario& scenario, const RunResult& run, std::uint64_t tick) {
  std::vector<std::string> row = {std::to_string(run.run_id), std::to_string(run.point), std::to_string(tick)};
  if (const auto start_year = calendar(scenario)) row.push_back(std::to_string(*start_year + static_cast<std::int64_t>(tick)));
  return row;
}

void add_metric_columns(Table& table, const std::vector<MetricSpec>& metrics) {
  for (const auto& m : metrics) {
    table.columns.push_back(m.name);
    table.kinds.push_back(Table::Kind::real);
  }
}

Table model_table(const Scenario& scenario, const std::vector<MetricSpec>& metrics, const std::vector<RunResult>& runs) {
  Table table = series_table(scenario, "model");
  add_metric_columns(table, metrics);
  for (const auto& run : runs) {
    for (const auto& record : run.series) {
      std::vector<std::string> row = series_row(scenario, run, record.tick);
      for (const double v : record.metrics) row.push_back(metric_cell(v));
      table.rows.push_back(std::move(row));
    }
  }
  return table;
}

Table places_table(const Scenario& scenario, const std::vector<MetricSpec>& metrics, const std::vector<RunResult>& runs) {
  Table table = series_table(scenario, "places");
  for (const char* column : {"scale", "place", "name", "group"}) {
    table.columns.push_back(column);
    table.kinds.push_back(std::string_view(column) == "place" ? Table::Kind::integer : Table::Kind::text);
  }
  add_metric_columns(table, metrics);
  std::map<std::uint64_t, Places> places;  // per sweep point (a swept world key can change the world)
  for (const auto& run : runs) {
    auto it = places.find(run.point);
    if (it == places.end()) it = places.emplace(run.point, build_places(scenario.sweep().empty() ? scenario : scenario.point(run.point))).first;
    for (const auto& record : run.places) {
      std::vector<std::string> row = series_row(scenario, run, record.tick);
      row.push_back(std::string(to_string(record.scale)));
      row.push_back(std::to_string(record.place));
      row.push_back(it->second.name(record.scale, record.place));
      row.push_back(it->second.group(record.scale, record.place));
      for (const double v : record.metrics) row.push_back(metric_cell(v));
      table.rows.push_back(std::move(row));
    }
  }
  return table;
}

Table outcomes_table(const std::vector<MetricSpec>& metrics, const std::vector<RunResult>& runs) {
  Table table{"outcomes", {"run_id", "point", "replicate", "status", "stop_reason", "ticks"},
              {Table::Kind::integer, Table::Kind::integer, Table::Kind::integer, Table::Kind::text, Table::Kind::text,
               Table::Kind::integer},
              {}};
  for (const auto& m : metrics) {
    table.columns.push_back(m.name);
    table.kinds.push_back(Table::Kind::real);
  }
  table.columns.push_back("error");
  table.kinds.push_back(Table::Kind::text);
  for (const auto& run : runs) {
    const bool ok = run.status == RunStatus::ok && !run.series.empty();
    std::vector<std::string> row = {std::to_string(run.run_id), std::to_string(run.point), std::to_string(run.replicate),
                                    to_string(run.status), run.stop_reason, ok ? std::to_string(run.ticks) : ""};
    for (std::size_t k = 0; k < metrics.size(); ++k) row.push_back(ok ? metric_cell(run.series.back().metrics[k]) : "");
    row.push_back(run.error);
    table.rows.push_back(std::move(row));
  }
  return table;
}

std::string host_name() {
  char buffer[256] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) return "unknown";
  return buffer;
}

void write_manifest(const fs::path& path, const Scenario& scenario, const std::vector<RunResult>& runs,
                    const Invocation& invocation) {
  std::size_t failed = 0;
  for (const auto& run : runs) failed += run.status == RunStatus::ok ? 0 : 1;
  nlohmann::ordered_json manifest;
  manifest["glocal_version"] = glocal_version();
  manifest["git_commit"] = glocal_git_commit();
  manifest["command_line"] = invocation.command_line;
  manifest["scenario"] = {
      {"name", scenario.name()},
      {"description", scenario.text("scenario.description")},
      {"path", scenario.source_name()},
      {"sha256", sha256_hex(scenario.source_text())},
      {"overrides", scenario.overrides()},
      {"processes", scenario.processes()},
      {"text", scenario.source_text()},
  };
  nlohmann::ordered_json metrics = nlohmann::ordered_json::array();  // the columns of model.csv, with their process and unit
  for (const auto& name : scenario.processes()) {
    for (const auto& m : find_process(name)->metrics) {
      metrics.push_back({{"name", m.name}, {"process", name}, {"unit", m.unit}, {"description", m.description}});
    }
  }
  manifest["metrics"] = metrics;
  manifest["seed"] = scenario.integer("run.seed");
  manifest["replicates"] = scenario.integer("run.replicates");
  manifest["points"] = scenario.point_count();
  manifest["runs"] = runs.size();
  nlohmann::ordered_json sweep = nlohmann::ordered_json::array();
  for (const auto& axis : scenario.sweep()) {
    std::vector<std::string> values;
    for (const auto& v : axis.values) values.push_back(format_value(v));
    sweep.push_back({{"key", axis.key}, {"values", values}});
  }
  manifest["sweep"] = sweep;
  manifest["runs_failed"] = failed;
  manifest["threads"] = invocation.threads;
  manifest["started_at"] = invocation.started_at;
  manifest["finished_at"] = invocation.finished_at;
  manifest["wall_seconds"] = invocation.wall_seconds;
  manifest["host"] = host_name();
  std::vector<std::string> files = {"manifest.json", "runs.csv", "model.csv", "outcomes.csv"};
  if (scenario.text("run.record_places") != "none") files.push_back("places.csv");
  files.push_back("results.sqlite");
  manifest["files"] = files;
  std::ofstream out(path, std::ios::binary);
  out << manifest.dump(2) << '\n';
  out.flush();
  if (!out) throw OutputError("cannot write '" + path.string() + "'");
}

}  // namespace

void write_results(const fs::path& folder, const Scenario& scenario, const std::vector<RunResult>& runs,
                   const Invocation& invocation) {
  const auto metrics = metric_columns(scenario);
  std::vector<Table> tables = {runs_table(scenario, runs), model_table(scenario, metrics, runs), outcomes_table(metrics, runs)};
  if (scenario.text("run.record_places") != "none") tables.push_back(places_table(scenario, place_metric_columns(scenario), runs));
  for (const auto& table : tables) write_csv(folder / (table.name + ".csv"), table);
  {
    Database db(folder / "results.sqlite");
    for (const auto& table : tables) db.write(table);
    db.commit();
  }
  write_manifest(folder / "manifest.json", scenario, runs, invocation);
}

std::string utc_now_iso8601() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

const char* glocal_version() noexcept { return GLOCAL_VERSION; }
const char* glocal_git_commit() noexcept { return GLOCAL_GIT_COMMIT; }

}  // namespace glocal
