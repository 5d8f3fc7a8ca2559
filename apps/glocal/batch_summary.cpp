#include "batch_summary.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace glocal::cli {

void print_summary(const Scenario& scenario, const ResultsSummary& summary, const std::filesystem::path& out, double wall_seconds) {
  const auto metrics = metric_columns(scenario);
  const PointSummary& all = summary.all;
  fmt::print("{}: {} runs in {:.2f} s ({} ok, {} failed; {} reached the absorbing state)\n", scenario.name(), summary.runs, wall_seconds,
             all.ok_runs, summary.runs - all.ok_runs, all.absorbed);
  if (scenario.point_count() == 1 && all.ok_runs > 0) {
    std::size_t width = 6;  // the longest metric name sets the first column
    for (const auto& m : metrics) width = std::max(width, m.name.size());
    fmt::print("  {:<{}} {:>14} {:>14}\n", "metric", width, "mean", "sd");
    for (std::size_t k = 0; k < metrics.size(); ++k)
      fmt::print("  {:<{}} {:>14.6g} {:>14.6g}\n", metrics[k].name, width, all.mean(k), all.sd(k));
  } else if (!scenario.point_table().rows.empty()) {
    fmt::print("  {} design points; the runs of each in outcomes.csv (glocal analyze computes sensitivity indices)\n",
               scenario.point_count());
  } else if (scenario.point_count() > 1) {
    // One line per point: the swept values, then the mean of each final metric.
    std::string header = fmt::format("  {:>5}", "point");
    for (const auto& axis : scenario.sweep()) header += fmt::format(" {:>14}", axis.key.substr(axis.key.rfind('.') + 1));
    header += fmt::format(" {:>5}", "runs");
    for (const auto& m : metrics) header += fmt::format(" {:>11}", m.name.substr(0, 11));
    fmt::print("{}\n", header);
    for (std::size_t p = 0; p < scenario.point_count(); ++p) {
      const PointSummary& s = summary.points.at(p);
      const Scenario at = scenario.point(p);
      std::string line = fmt::format("  {:>5}", p);
      for (const auto& axis : scenario.sweep()) line += fmt::format(" {:>14}", format_value(at.value(axis.key)));
      line += fmt::format(" {:>5}", s.ok_runs);
      for (std::size_t k = 0; k < metrics.size(); ++k) line += fmt::format(" {:>11.5g}", s.ok_runs > 0 ? s.mean(k) : NAN);
      fmt::print("{}\n", line);
    }
    fmt::print("  (means over each point's runs; sd and every run in outcomes.csv)\n");
  }
  for (const auto& [run_id, error] : summary.failures) fmt::print(stderr, "run {} failed: {}\n", run_id, error);
  fmt::print("results: {}/  (manifest.json, runs.csv, model.csv, outcomes.csv, {}results.sqlite)\n", out.string(),
             scenario.text("run.record_places") != "none" ? "places.csv, " : "");
  fmt::print("figures: glocal plot {}\n", out.string());
}

}  // namespace glocal::cli
