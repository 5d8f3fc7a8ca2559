#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <utility>
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
#include "glocal/run/design.hpp"
#include "glocal_git.hpp"
#include "glocal_version.hpp"

namespace glocal {

namespace fs = std::filesystem;

namespace {

std::string csv_cell(const std::string& cell) {
  if (cell.find_first_of(",\"\n\r") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (const char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
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
  sqlite3_stmt* prepare(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) fail("cannot prepare '" + sql + "'");
    return statement;
  }
  void commit() { exec("COMMIT;"); }
  [[noreturn]] void fail(const std::string& what) {
    throw OutputError("results.sqlite: " + what + ": " + std::string(db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory"));
  }

 private:
  sqlite3* db_ = nullptr;
};

/// One output table, written row by row both as CSV and as a SQLite table, so the two never differ.
class Table {
 public:
  enum class Kind { integer, real, text };
  Table(std::string name, std::vector<std::string> columns, std::vector<Kind> kinds)
      : name_(std::move(name)), columns_(std::move(columns)), kinds_(std::move(kinds)) {}
  Table(Table&& other) noexcept
      : name_(std::move(other.name_)),
        columns_(std::move(other.columns_)),
        kinds_(std::move(other.kinds_)),
        path_(std::move(other.path_)),
        csv_(std::move(other.csv_)),
        db_(other.db_),
        statement_(std::exchange(other.statement_, nullptr)) {}
  Table& operator=(Table&&) = delete;
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;
  ~Table() {
    if (statement_ != nullptr) sqlite3_finalize(statement_);
  }

  void add_column(std::string name, Kind kind) {
    columns_.push_back(std::move(name));
    kinds_.push_back(kind);
  }
  [[nodiscard]] const std::string& name() const noexcept { return name_; }

  /// Creates the CSV file (header) and the SQLite table.
  void open(const fs::path& folder, Database& db) {
    db_ = &db;
    path_ = folder / (name_ + ".csv");
    csv_.open(path_, std::ios::binary);
    if (!csv_) throw OutputError("cannot write '" + path_.string() + "'");
    std::string create = "CREATE TABLE " + name_ + " (";
    std::string insert = "INSERT INTO " + name_ + " VALUES (";
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      static constexpr const char* kTypes[] = {"INTEGER", "REAL", "TEXT"};
      csv_ << (c ? "," : "") << csv_cell(columns_[c]);
      create += fmt::format("{}\"{}\" {}", c ? ", " : "", columns_[c], kTypes[static_cast<int>(kinds_[c])]);
      insert += c ? ", ?" : "?";
    }
    csv_ << '\n';
    db.exec(create + ");");
    statement_ = db.prepare(insert + ")");
  }

  /// One row: cells as text; "" is missing (NULL in SQLite).
  void add(const std::vector<std::string>& row) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      csv_ << (c ? "," : "") << csv_cell(row[c]);
      const int slot = static_cast<int>(c) + 1;
      if (row[c].empty()) {
        sqlite3_bind_null(statement_, slot);
      } else if (kinds_[c] == Kind::integer) {
        sqlite3_bind_int64(statement_, slot, std::strtoll(row[c].c_str(), nullptr, 10));
      } else if (kinds_[c] == Kind::real) {
        // strtod, not stod: a subnormal value (5e-324) reads back exactly where stod throws.
        sqlite3_bind_double(statement_, slot, std::strtod(row[c].c_str(), nullptr));
      } else {
        sqlite3_bind_text(statement_, slot, row[c].c_str(), static_cast<int>(row[c].size()), SQLITE_TRANSIENT);
      }
    }
    csv_ << '\n';
    if (sqlite3_step(statement_) != SQLITE_DONE) db_->fail("cannot insert into " + name_);
    sqlite3_reset(statement_);
  }

  void close() {
    csv_.flush();
    if (!csv_) throw OutputError("error writing '" + path_.string() + "'");
    csv_.close();
  }

 private:
  std::string name_;
  std::vector<std::string> columns_;
  std::vector<Kind> kinds_;
  fs::path path_;
  std::ofstream csv_;
  Database* db_ = nullptr;
  sqlite3_stmt* statement_ = nullptr;
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

/// With a calendar (run.start_year), the year a record stands for: the state at the end of tick t
/// is the state at the start of year start_year + t (tick 0 is the initial state, at start_year).
std::optional<std::int64_t> calendar(const Scenario& scenario) {
  if (!scenario.has_calendar()) return std::nullopt;
  return scenario.integer("run.start_year");
}

/// A time-series table's leading columns: run_id, point, tick and, with a calendar, year.
Table series_table(const Scenario& scenario, std::string name) {
  Table table{std::move(name), {"run_id", "point", "tick"}, {Table::Kind::integer, Table::Kind::integer, Table::Kind::integer}};
  if (calendar(scenario)) table.add_column("year", Table::Kind::integer);
  return table;
}

/// The per-point facts the tables repeat on every row, for the point of the run at hand (runs
/// come in point order, so one point is held at a time).
class PointCache {
 public:
  explicit PointCache(const Scenario& scenario, bool places) : scenario_(&scenario), places_(places) {}
  void at(std::uint64_t point) {
    if (point_ && *point_ == point) return;
    point_ = point;
    const bool one_point = scenario_->sweep().empty() && scenario_->point_table().rows.empty();
    const Scenario s = one_point ? *scenario_ : scenario_->point(point);
    values_.clear();
    for (const auto& spec : s.schema().parameters()) {
      if (spec.type == ParamType::text) continue;
      const Value& v = s.value(spec.key);
      values_.push_back(std::holds_alternative<bool>(v) ? (std::get<bool>(v) ? "1" : "0") : format_value(v));
    }
    if (places_) world_.emplace(world_spec(s).places());  // a swept world key can change the world
  }
  [[nodiscard]] const std::vector<std::string>& values() const noexcept { return values_; }
  [[nodiscard]] const Places& places() const noexcept { return *world_; }

 private:
  const Scenario* scenario_;
  bool places_;
  std::optional<std::uint64_t> point_;
  std::vector<std::string> values_;
  std::optional<Places> world_;
};

/// The tables of a results folder, filled one run at a time.
class Tables {
 public:
  Tables(const Scenario& scenario, const fs::path& folder)
      : scenario_(scenario),
        metrics_(metric_columns(scenario)),
        record_places_(scenario.text("run.record_places") != "none"),
        points_(scenario, record_places_),
        db_(folder / "results.sqlite") {
    // (point_key, replicate) names a run across experiments: it keys the run's random stream.
    tables_.emplace_back("runs", std::vector<std::string>{"run_id", "point", "replicate", "seed", "point_key"},
                         std::vector<Table::Kind>{Table::Kind::integer, Table::Kind::integer, Table::Kind::integer, Table::Kind::integer,
                                                  Table::Kind::text});
    for (const auto& spec : scenario.schema().parameters()) {
      if (spec.type != ParamType::text) tables_[0].add_column(spec.key, kind_of(spec.type));
    }
    tables_.push_back(series_table(scenario, "model"));
    for (const auto& m : metrics_) tables_[1].add_column(m.name, Table::Kind::real);
    tables_.emplace_back("outcomes", std::vector<std::string>{"run_id", "point", "replicate", "status", "stop_reason", "ticks"},
                         std::vector<Table::Kind>{Table::Kind::integer, Table::Kind::integer, Table::Kind::integer, Table::Kind::text,
                                                  Table::Kind::text, Table::Kind::integer});
    for (const auto& m : metrics_) tables_[2].add_column(m.name, Table::Kind::real);
    tables_[2].add_column("error", Table::Kind::text);
    if (record_places_) {
      tables_.push_back(series_table(scenario, "places"));
      for (const char* column : {"scale", "place", "name", "group"}) {
        tables_[3].add_column(column, std::string_view(column) == "place" ? Table::Kind::integer : Table::Kind::text);
      }
      for (const auto& m : place_metric_columns(scenario)) tables_[3].add_column(m.name, Table::Kind::real);
    }
    for (auto& table : tables_) table.open(folder, db_);
    summary_.points.resize(scenario.point_count());
  }

  void add(const RunResult& run) {
    points_.at(run.point);
    std::vector<std::string> row = {std::to_string(run.run_id), std::to_string(run.point), std::to_string(run.replicate),
                                    std::to_string(scenario_.integer("run.seed")), fmt::format("{:016x}", run.point_key)};
    row.insert(row.end(), points_.values().begin(), points_.values().end());
    tables_[0].add(row);
    for (const auto& record : run.series) {
      series_row(row, run, record.tick);
      for (const double v : record.metrics) row.push_back(metric_cell(v));
      tables_[1].add(row);
    }
    const bool ok = run.status == RunStatus::ok && !run.series.empty();
    row = {std::to_string(run.run_id), std::to_string(run.point), std::to_string(run.replicate),
           to_string(run.status),      run.stop_reason,           ok ? std::to_string(run.ticks) : ""};
    for (std::size_t k = 0; k < metrics_.size(); ++k) row.push_back(ok ? metric_cell(run.series.back().metrics[k]) : "");
    row.push_back(run.error);
    tables_[2].add(row);
    if (record_places_) {
      for (const auto& record : run.places) {
        series_row(row, run, record.tick);
        row.push_back(std::string(to_string(record.scale)));
        row.push_back(std::to_string(record.place));
        row.push_back(points_.places().name(record.scale, record.place));
        row.push_back(points_.places().group(record.scale, record.place));
        for (const double v : record.metrics) row.push_back(metric_cell(v));
        tables_[3].add(row);
      }
    }
    summarize(run, ok);
  }

  ResultsSummary close() {
    for (auto& table : tables_) table.close();
    tables_.clear();  // statements finalized before the commit
    db_.commit();
    return std::move(summary_);
  }

 private:
  void series_row(std::vector<std::string>& row, const RunResult& run, std::uint64_t tick) const {
    row = {std::to_string(run.run_id), std::to_string(run.point), std::to_string(tick)};
    if (const auto start_year = calendar(scenario_)) row.push_back(std::to_string(*start_year + static_cast<std::int64_t>(tick)));
  }

  void summarize(const RunResult& run, bool ok) {
    ++summary_.runs;
    if (run.status == RunStatus::failed) {
      ++summary_.failed;
      summary_.failures.emplace_back(run.run_id, run.error);
    }
    if (!ok) return;
    for (PointSummary* s : {&summary_.all, &summary_.points.at(run.point)}) {
      if (s->sum.empty()) {
        s->sum.assign(metrics_.size(), 0.0);
        s->sum_sq.assign(metrics_.size(), 0.0);
      }
      ++s->ok_runs;
      s->absorbed += run.stop_reason == "absorbed" ? 1 : 0;
      const auto& last = run.series.back().metrics;
      for (std::size_t k = 0; k < metrics_.size(); ++k) {
        s->sum[k] += last[k];
        s->sum_sq[k] += last[k] * last[k];
      }
    }
  }

  const Scenario& scenario_;
  std::vector<MetricSpec> metrics_;
  bool record_places_;
  PointCache points_;
  Database db_;
  std::vector<Table> tables_;
  ResultsSummary summary_;
};

std::string host_name() {
  char buffer[256] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) return "unknown";
  return buffer;
}

}  // namespace

void write_manifest(const fs::path& folder, const Scenario& scenario, const Invocation& invocation, const ManifestState& state) {
  nlohmann::ordered_json manifest;
  manifest["glocal_version"] = glocal_version();
  manifest["git_commit"] = glocal_git_commit();
  // A staging folder ("<out>.partial") says false: it is an interrupted batch, not results.
  manifest["complete"] = state.complete;
  manifest["command_line"] = invocation.command_line;
  manifest["scenario"] = {
      {"name", scenario.name()},           {"description", scenario.text("scenario.description")},
      {"path", scenario.source_name()},    {"sha256", sha256_hex(scenario.source_text())},
      {"overrides", scenario.overrides()}, {"processes", scenario.processes()},
      {"text", scenario.source_text()},
  };
  nlohmann::ordered_json metrics = nlohmann::ordered_json::array();  // the columns of model.csv, with their process and unit
  for (const auto& name : scenario.processes()) {
    for (const auto& m : scenario.schema().process(name)->metrics) {
      metrics.push_back({{"name", m.name}, {"process", name}, {"unit", m.unit}, {"description", m.description}, {"flow", m.flow}});
    }
  }
  manifest["metrics"] = metrics;
  manifest["seed"] = scenario.integer("run.seed");
  manifest["replicates"] = scenario.integer("run.replicates");
  manifest["points"] = scenario.point_count();
  manifest["runs"] = state.runs;
  if (!state.shard.whole()) manifest["shard"] = {{"index", state.shard.index}, {"count", state.shard.count}};
  nlohmann::ordered_json sweep = nlohmann::ordered_json::array();
  for (const auto& axis : scenario.sweep()) {
    std::vector<std::string> values;
    for (const auto& v : axis.values) values.push_back(format_value(v));
    sweep.push_back({{"key", axis.key}, {"values", values}});
  }
  manifest["sweep"] = sweep;
  if (!scenario.point_table().rows.empty()) {
    // The points are in design.csv beside the manifest (a resume and a merge read them there).
    manifest["design"] = {{"file", "design.csv"},
                          {"source", scenario.point_table().source},
                          {"keys", scenario.point_table().keys},
                          {"points", scenario.point_table().rows.size()}};
  }
  manifest["runs_failed"] = state.runs_failed;
  manifest["threads"] = invocation.threads;
  manifest["started_at"] = invocation.started_at;
  manifest["finished_at"] = invocation.finished_at;
  manifest["wall_seconds"] = invocation.wall_seconds;
  manifest["host"] = host_name();
  nlohmann::ordered_json history = nlohmann::ordered_json::array();
  for (const auto& entry : state.history) history.push_back(nlohmann::ordered_json::parse(entry));
  manifest["history"] = history;
  std::vector<std::string> files = {"manifest.json"};
  if (!scenario.point_table().rows.empty()) files.emplace_back("design.csv");
  if (!state.complete || !state.shard.whole()) {
    files.push_back("runs.journal");
  } else {
    for (const char* name : {"runs.csv", "model.csv", "outcomes.csv"}) files.emplace_back(name);
    if (scenario.text("run.record_places") != "none") files.emplace_back("places.csv");
    files.emplace_back("results.sqlite");
  }
  manifest["files"] = files;
  write_file_atomically(folder / "manifest.json", manifest.dump(2) + '\n');
}

ManifestRecord read_manifest(const fs::path& folder) {
  const fs::path path = folder / "manifest.json";
  std::ifstream in(path, std::ios::binary);
  if (!in) throw OutputError("cannot read '" + path.string() + "'");
  nlohmann::json manifest;
  try {
    manifest = nlohmann::json::parse(in);
    const auto& s = manifest.at("scenario");
    Scenario scenario = Scenario::parse(s.at("text").get<std::string>(), s.at("path").get<std::string>());
    scenario.set_all(s.at("overrides").get<std::vector<std::string>>());
    if (manifest.contains("design"))
      scenario.set_points(point_table_of(read_design_csv(folder / "design.csv"), (folder / "design.csv").string()));
    ManifestRecord record{std::move(scenario), false, Shard{}, 0, {}, {}, {}};
    record.complete = manifest.value("complete", true);  // older manifests were written only when complete
    if (manifest.contains("shard"))
      record.shard = {manifest["shard"].at("index").get<std::uint64_t>(), manifest["shard"].at("count").get<std::uint64_t>()};
    record.runs = manifest.at("runs").get<std::uint64_t>();
    record.command_line = manifest.at("command_line").dump();
    nlohmann::ordered_json invocation;
    for (const char* key : {"command_line", "started_at", "finished_at", "threads", "wall_seconds", "host"}) {
      if (manifest.contains(key)) invocation[key] = manifest[key];
    }
    record.invocation = invocation.dump();
    if (manifest.contains("history")) {
      for (const auto& entry : manifest["history"]) record.history.push_back(entry.dump());
    }
    return record;
  } catch (const nlohmann::json::exception& error) {
    throw OutputError("'" + path.string() + "' is not a glocal manifest: " + error.what());
  }
}

ResultsSummary write_tables(const fs::path& folder, const Scenario& scenario, const RunSource& runs) {
  Tables tables(scenario, folder);
  runs.for_each([&](const RunResult& run) { tables.add(run); });
  return tables.close();
}

void write_results(const fs::path& folder, const Scenario& scenario, const std::vector<RunResult>& runs, const Invocation& invocation) {
  const ResultsSummary summary = write_tables(folder, scenario, RunsInMemory(runs));
  ManifestState state;
  state.complete = true;
  state.runs = summary.runs;
  state.runs_failed = summary.failed;
  write_manifest(folder, scenario, invocation, state);
}

void RunsInMemory::for_each(const std::function<void(const RunResult&)>& visit) const {
  for (const auto& run : *runs_) visit(run);
}

void JournalRuns::add(const fs::path& journal) {
  const JournalScan scan = scan_journal(journal);
  readers_.push_back(std::make_unique<JournalReader>(journal));
  const std::size_t which = readers_.size() - 1;
  for (const auto& e : scan.entries) index_.push_back({e.run_id, which, e.offset, e.size});
  std::sort(index_.begin(), index_.end(), [](const Entry& a, const Entry& b) { return a.run_id < b.run_id; });
  const auto twice = std::adjacent_find(index_.begin(), index_.end(), [](const Entry& a, const Entry& b) { return a.run_id == b.run_id; });
  if (twice != index_.end()) {
    throw OutputError(fmt::format("run {} is in '{}' and in '{}': the journals overlap", twice->run_id,
                                  readers_[twice->journal]->path().string(), readers_[(twice + 1)->journal]->path().string()));
  }
}

void JournalRuns::for_each(const std::function<void(const RunResult&)>& visit) const {
  for (const auto& e : index_) visit(readers_[e.journal]->read({e.run_id, e.offset, e.size}));
}

bool JournalRuns::covers(std::uint64_t total) const {
  if (index_.size() != total) return false;
  for (std::uint64_t k = 0; k < total; ++k) {
    if (index_[k].run_id != k) return false;
  }
  return true;
}

double PointSummary::mean(std::size_t metric) const { return ok_runs > 0 ? sum[metric] / static_cast<double>(ok_runs) : NAN; }

double PointSummary::sd(std::size_t metric) const {
  if (ok_runs < 2) return 0.0;
  const double n = static_cast<double>(ok_runs);
  const double m = mean(metric);
  return std::sqrt(std::max(0.0, (sum_sq[metric] - n * m * m) / (n - 1)));
}

Shard Shard::parse(const std::string& text) {
  const auto slash = text.find('/');
  const auto number = [&](const std::string& part) {
    if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos || part.size() > 18) {
      throw std::invalid_argument("--shard takes i/n with whole numbers 0 <= i < n (e.g. 0/4), not '" + text + "'");
    }
    return std::stoull(part);
  };
  if (slash == std::string::npos) number("");
  Shard shard{number(text.substr(0, slash)), number(text.substr(slash + 1))};
  if (shard.count == 0 || shard.index >= shard.count) {
    throw std::invalid_argument("--shard " + text + ": the index must be below the count (0/4 ... 3/4)");
  }
  return shard;
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
