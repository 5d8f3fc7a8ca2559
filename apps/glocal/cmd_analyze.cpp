// glocal analyze --design design.csv --results DIR|TABLE: Sobol' indices or Morris elementary
// effects of each metric, from the runs of a design (glocal run --design), with bootstrap intervals.
#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include "commands.hpp"
#include "glocal/io/output.hpp"
#include "glocal/core/error.hpp"
#include "glocal/run/design.hpp"
#include "glocal/run/sensitivity.hpp"

namespace glocal::cli {

namespace {

struct AnalyzeRequest {
  std::string design;
  std::string results;
  std::string method;
  std::vector<std::string> metrics;
  std::string out;
  std::size_t bootstrap = 1000;
  double confidence = 0.95;
  std::uint64_t seed = 1;
};

/// A CSV table (RFC 4180 quoting) as header and rows of cells.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

CsvTable read_csv(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw OutputError("cannot read '" + path.string() + "'");
  CsvTable table;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;
  bool any = false;
  const auto end_row = [&] {
    row.push_back(cell);
    cell.clear();
    if (table.header.empty()) {
      table.header = std::move(row);
    } else if (!(row.size() == 1 && row[0].empty())) {
      table.rows.push_back(std::move(row));
    }
    row.clear();
    any = false;
  };
  for (char c; in.get(c);) {
    if (quoted) {
      if (c == '"') {
        if (in.peek() == '"') {
          cell += '"';
          in.get(c);
        } else {
          quoted = false;
        }
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(cell);
      cell.clear();
    } else if (c == '\n') {
      end_row();
      continue;
    } else if (c != '\r') {
      cell += c;
    }
    any = true;
  }
  if (any) end_row();
  return table;
}

int analyze_command(const AnalyzeRequest& r) {
  const Design design = read_design_csv(r.design);
  const std::string method = r.method.empty() ? to_string(design.spec.method) : r.method;
  if (method != "sobol" && method != "morris")
    throw ScenarioError(SourceLocation{"command line", 0, 0}, "--method", "expected sobol or morris");
  if (method != to_string(design.spec.method)) {
    throw ScenarioError(SourceLocation{r.design, 0, 0}, "--method",
                        fmt::format("{} indices need a {} design; this one is {}", method, method, to_string(design.spec.method)));
  }
  std::filesystem::path table_path = r.results;
  if (std::filesystem::is_directory(table_path)) table_path /= "outcomes.csv";
  const CsvTable table = read_csv(table_path);
  const auto column = [&](const std::string& name) -> std::ptrdiff_t {
    const auto it = std::find(table.header.begin(), table.header.end(), name);
    return it == table.header.end() ? -1 : it - table.header.begin();
  };
  const std::ptrdiff_t point_column = column("point");
  const std::ptrdiff_t status_column = column("status");
  std::vector<std::string> metrics = r.metrics;
  if (metrics.empty()) {
    static const std::set<std::string> bookkeeping = {"run_id", "point", "replicate", "status", "stop_reason", "ticks", "error"};
    for (const auto& name : table.header) {
      if (!bookkeeping.contains(name)) metrics.push_back(name);
    }
  }
  // The mean of each metric over each point's ok runs (a table without `point`: row i is point i).
  const std::size_t points = design.rows();
  std::string text = method == "sobol" ? "metric,parameter,S1,S1_conf,ST,ST_conf\n" : "metric,parameter,mu,mu_star,sigma,mu_star_conf\n";
  fmt::print("{} indices ({} points, {} bootstrap resamples, {:.0f} % intervals) from {}\n", method, points, r.bootstrap,
             100 * r.confidence, table_path.string());
  std::size_t skipped = 0;
  for (const auto& metric : metrics) {
    const std::ptrdiff_t c = column(metric);
    if (c < 0) throw OutputError(fmt::format("'{}' has no column '{}'", table_path.string(), metric));
    std::vector<double> sum(points, 0.0);
    std::vector<std::size_t> count(points, 0);
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
      const auto& row = table.rows[i];
      if (status_column >= 0 && row.at(static_cast<std::size_t>(status_column)) != "ok") continue;
      const std::size_t p = point_column >= 0 ? std::stoull(row.at(static_cast<std::size_t>(point_column))) : i;
      if (p >= points)
        throw OutputError(
            fmt::format("'{}' has point {}, but the design has {} points: not the runs of this design", table_path.string(), p, points));
      const std::string& cell = row.at(static_cast<std::size_t>(c));
      if (cell.empty()) continue;
      sum[p] += std::strtod(cell.c_str(), nullptr);
      ++count[p];
    }
    std::vector<double> y(points, NAN);
    for (std::size_t p = 0; p < points; ++p) y[p] = count[p] > 0 ? sum[p] / static_cast<double>(count[p]) : NAN;
    fmt::print("\n{}\n", metric);
    try {
      if (method == "sobol") {
        const SobolIndices s = sobol_indices(y, design.parameters.size(), design.spec.second_order, r.bootstrap, r.confidence, r.seed);
        fmt::print("  {:<32} {:>9} {:>9} {:>9} {:>9}\n", "parameter", "S1", "+-", "ST", "+-");
        for (std::size_t j = 0; j < design.parameters.size(); ++j) {
          fmt::print("  {:<32} {:>9.4f} {:>9.4f} {:>9.4f} {:>9.4f}\n", design.parameters[j].key, s.first[j], s.first_conf[j], s.total[j],
                     s.total_conf[j]);
          text += fmt::format("{},{},{},{},{},{}\n", metric, design.parameters[j].key, s.first[j], s.first_conf[j], s.total[j],
                              s.total_conf[j]);
        }
      } else {
        const MorrisIndices m = morris_indices(design, y, r.bootstrap, r.confidence, r.seed);
        fmt::print("  {:<32} {:>11} {:>11} {:>11} {:>11}\n", "parameter", "mu", "mu*", "sigma", "mu* +-");
        for (std::size_t j = 0; j < design.parameters.size(); ++j) {
          fmt::print("  {:<32} {:>11.4g} {:>11.4g} {:>11.4g} {:>11.4g}\n", design.parameters[j].key, m.mu[j], m.mu_star[j], m.sigma[j],
                     m.mu_star_conf[j]);
          text +=
              fmt::format("{},{},{},{},{},{}\n", metric, design.parameters[j].key, m.mu[j], m.mu_star[j], m.sigma[j], m.mu_star_conf[j]);
        }
      }
    } catch (const std::invalid_argument& error) {
      ++skipped;
      fmt::print("  skipped: {}\n", error.what());
    }
  }
  if (!r.out.empty()) {
    write_file_atomically(r.out, text);
    fmt::print("\nindices: {}\n", r.out);
  }
  return skipped == metrics.size() ? runs_failed : ok;
}

}  // namespace

void add_analyze(CLI::App& app, int& exit_status) {
  auto r = std::make_shared<AnalyzeRequest>();
  auto* command = app.add_subcommand("analyze", "Sensitivity indices (Sobol' or Morris) of a design's results");
  command->add_option("--design,-d", r->design, "The design the results were run from (design.csv)")->required();
  command
      ->add_option("--results", r->results,
                   "A results folder of glocal run --design (its outcomes.csv), or a CSV table with a `point` column "
                   "or one row per design point")
      ->required();
  command->add_option("--method", r->method, "sobol or morris (default: the design's method)");
  command->add_option("--metric,-m", r->metrics, "A metric to analyze (repeatable; default every metric)");
  command->add_option("--out,-o", r->out, "Write the indices as a tidy CSV (metric, parameter, indices, intervals)");
  command->add_option("--bootstrap", r->bootstrap, "Bootstrap resamples for the intervals (default 1000)");
  command->add_option("--confidence", r->confidence, "Interval level (default 0.95)")->check(CLI::Range(0.5, 0.999));
  command->add_option("--seed", r->seed, "Seed of the bootstrap resamples");
  command->callback([r, &exit_status] { exit_status = exit_status_of([&] { return analyze_command(*r); }); });
}

}  // namespace glocal::cli
