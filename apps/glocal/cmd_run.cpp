// glocal run SCENARIO: run the replicates, write the results folder atomically, print a summary.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cctype>
#include <cmath>
#include <csignal>
#include <optional>
#include <thread>

#include "commands.hpp"
#include "glocal/io/output.hpp"
#include "progress.hpp"
#include "scenario_options.hpp"

namespace glocal::cli {

namespace {

std::atomic<bool> g_interrupted{false};  // set by SIGINT/SIGTERM; the only global, owned by the CLI
extern "C" void on_signal(int) { g_interrupted.store(true); }

std::filesystem::path default_out(const Scenario& scenario) {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  // The name as one safe path component: "../../x" must not write outside runs/.
  std::string name = scenario.name();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '-';
  }
  while (!name.empty() && name.front() == '.') name.erase(name.begin());
  if (name.empty()) name = "scenario";
  std::filesystem::path base = std::filesystem::path("runs") / fmt::format("{}-{}", name, stamp);
  std::filesystem::path out = base;
  for (int k = 2; std::filesystem::exists(out); ++k) out = base.string() + "-" + std::to_string(k);
  return out;
}

/// Mean and sample standard deviation of each final metric over the ok runs of one point.
struct PointSummary {
  std::size_t ok_runs = 0;
  std::size_t absorbed = 0;
  std::vector<double> mean;
  std::vector<double> sd;
};

PointSummary summarize(const std::vector<RunResult>& runs, std::size_t metrics, std::optional<std::uint64_t> point) {
  PointSummary s;
  std::vector<double> sum(metrics, 0.0);
  std::vector<double> sum_sq(metrics, 0.0);
  for (const auto& run : runs) {
    if (run.status != RunStatus::ok || (point && run.point != *point)) continue;
    ++s.ok_runs;
    s.absorbed += run.stop_reason == "absorbed" ? 1 : 0;
    const auto& last = run.series.back().metrics;
    for (std::size_t k = 0; k < metrics; ++k) {
      sum[k] += last[k];
      sum_sq[k] += last[k] * last[k];
    }
  }
  const double n = static_cast<double>(s.ok_runs);
  for (std::size_t k = 0; k < metrics; ++k) {
    const double mean = n > 0 ? sum[k] / n : NAN;
    s.mean.push_back(mean);
    s.sd.push_back(s.ok_runs > 1 ? std::sqrt(std::max(0.0, (sum_sq[k] - n * mean * mean) / (n - 1))) : 0.0);
  }
  return s;
}

void print_summary(const Scenario& scenario, const std::vector<RunResult>& runs, const std::filesystem::path& out,
                   double wall_seconds) {
  const auto metrics = metric_columns(scenario);
  const PointSummary all = summarize(runs, metrics.size(), std::nullopt);
  fmt::print("{}: {} runs in {:.2f} s ({} ok, {} failed; {} reached the absorbing state)\n", scenario.name(), runs.size(),
             wall_seconds, all.ok_runs, runs.size() - all.ok_runs, all.absorbed);
  if (scenario.point_count() == 1 && all.ok_runs > 0) {
    std::size_t width = 6;  // the longest metric name sets the first column
    for (const auto& m : metrics) width = std::max(width, m.name.size());
    fmt::print("  {:<{}} {:>14} {:>14}\n", "metric", width, "mean", "sd");
    for (std::size_t k = 0; k < metrics.size(); ++k) fmt::print("  {:<{}} {:>14.6g} {:>14.6g}\n", metrics[k].name, width, all.mean[k], all.sd[k]);
  } else if (scenario.point_count() > 1) {
    // One line per point: the swept values, then the mean of each final metric.
    std::string header = fmt::format("  {:>5}", "point");
    for (const auto& axis : scenario.sweep()) header += fmt::format(" {:>14}", axis.key.substr(axis.key.rfind('.') + 1));
    header += fmt::format(" {:>5}", "runs");
    for (const auto& m : metrics) header += fmt::format(" {:>11}", m.name.substr(0, 11));
    fmt::print("{}\n", header);
    for (std::size_t p = 0; p < scenario.point_count(); ++p) {
      const PointSummary s = summarize(runs, metrics.size(), p);
      const Scenario at = scenario.point(p);
      std::string line = fmt::format("  {:>5}", p);
      for (const auto& axis : scenario.sweep()) line += fmt::format(" {:>14}", format_value(at.value(axis.key)));
      line += fmt::format(" {:>5}", s.ok_runs);
      for (const double m : s.mean) line += fmt::format(" {:>11.5g}", m);
      fmt::print("{}\n", line);
    }
    fmt::print("  (means over each point's runs; sd and every run in outcomes.csv)\n");
  }
  for (const auto& run : runs) {
    if (run.status == RunStatus::failed) fmt::print(stderr, "run {} failed: {}\n", run.run_id, run.error);
  }
  fmt::print("results: {}/  (manifest.json, runs.csv, model.csv, outcomes.csv, {}results.sqlite)\n", out.string(),
             scenario.text("run.record_places") != "none" ? "places.csv, " : "");
  fmt::print("figures: glocal plot {}\n", out.string());
}

}  // namespace

void add_run(CLI::App& app, int& exit_status, std::vector<std::string> command_line) {
  auto options = std::make_shared<ScenarioOptions>();
  auto out = std::make_shared<std::string>();
  auto threads = std::make_shared<unsigned>(0);
  auto quiet = std::make_shared<bool>(false);
  auto* command = app.add_subcommand("run", "Run a scenario's replicates and write a results folder");
  command->add_option("scenario", options->path, "Scenario file (TOML)")->required();
  command->add_option("--out,-o", *out, "Results folder (must not exist or be empty); default runs/<name>-<time>");
  command->add_option("--seed", options->seed, "Master seed (overrides run.seed)");
  command->add_option("--replicates,-r", options->replicates, "Number of runs (overrides run.replicates)");
  command->add_option("--threads,-j", *threads, "Worker threads (default: all cores); results do not depend on it");
  command->add_option("--set", options->assignments, "Override a key: --set culture.traits=15 (repeatable)");
  command->add_flag("--quiet,-q", *quiet, "No progress display");
  command->callback([=, &exit_status] {
    std::optional<Scenario> scenario;
    try {
      scenario.emplace(load_with_overrides(*options));
    } catch (const ScenarioError& error) {
      fmt::print(stderr, "error: {}\n", error.what());
      exit_status = bad_input;
      return;
    }
    const std::filesystem::path out_path = out->empty() ? default_out(*scenario) : std::filesystem::path(*out);

    try {
      AtomicDirectory folder(out_path);
      std::signal(SIGINT, on_signal);
      std::signal(SIGTERM, on_signal);
      Invocation invocation;
      invocation.command_line = command_line;
      invocation.started_at = utc_now_iso8601();
      invocation.threads = *threads != 0 ? *threads : available_threads();
      ProgressReporter reporter(stderr);
      BatchOptions batch;
      batch.threads = invocation.threads;
      batch.cancel = &g_interrupted;
      if (!*quiet) batch.progress = [&reporter](const BatchProgress& p) { reporter(p); };
      const auto start = std::chrono::steady_clock::now();
      const auto runs = run_batch(*scenario, 0, batch);
      reporter.finish();
      invocation.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      invocation.finished_at = utc_now_iso8601();
      if (g_interrupted.load()) {
        fmt::print(stderr, "interrupted: no results written\n");
        exit_status = interrupted;
        return;  // the staging folder is removed
      }
      write_results(folder.staging(), *scenario, runs, invocation);
      folder.commit();
      print_summary(*scenario, runs, out_path, invocation.wall_seconds);
      const bool all_ok = std::all_of(runs.begin(), runs.end(), [](const RunResult& r) { return r.status == RunStatus::ok; });
      exit_status = all_ok ? ok : runs_failed;
    } catch (const OutputError& error) {
      fmt::print(stderr, "error: {}\n", error.what());
      exit_status = output_failed;
    }
  });
}

}  // namespace glocal::cli
