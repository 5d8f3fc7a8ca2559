// glocal calibrate SCENARIO --targets FILE: estimates the scenario's free parameters by the
// simulated method of moments (glocal/run/calibration.hpp; docs/model/calibration.md) and writes,
// atomically, a folder with the report (Markdown and figures), the tables behind it and the
// scenario with the fitted values written in place (calibrated.toml).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <fstream>
#include <memory>
#include <thread>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "glocal/core/hash.hpp"
#include "glocal/io/output.hpp"
#include "glocal/run/calibration.hpp"
#include "python_script.hpp"
#include "scenario_options.hpp"

namespace glocal::cli {

namespace {

std::atomic<bool> g_calibration_interrupted{false};
extern "C" void on_calibration_signal(int) { g_calibration_interrupted.store(true); }

struct CalibrateOptions {
  ScenarioOptions scenario;
  std::string targets;
  std::optional<std::uint64_t> budget;
  std::optional<std::uint64_t> runs_per_evaluation;
  std::string out;
  unsigned threads = 0;
  bool quiet = false;
};

std::string csv_text(const std::string& text) { return "\"" + text + "\""; }

const char* kind_name(CalibrationTarget::Kind kind) {
  switch (kind) {
    case CalibrationTarget::Kind::metric: return "metric";
    case CalibrationTarget::Kind::growth_spread: return "growth_spread";
    case CalibrationTarget::Kind::shrinking_share: return "shrinking_share";
    case CalibrationTarget::Kind::region_share: return "region_share";
  }
  return "?";
}

std::string when(const CalibrationTarget& t) {
  return t.kind == CalibrationTarget::Kind::growth_spread || t.kind == CalibrationTarget::Kind::shrinking_share
             ? fmt::format("{}-{}", t.from, t.to)
             : fmt::format("{}", t.year);
}

int run_calibration(const CalibrateOptions& options, const std::vector<std::string>& command_line) {
  Scenario scenario = load_with_overrides(options.scenario);
  CalibrationSpec spec = CalibrationSpec::load_file(options.targets);
  if (options.budget) spec.budget = *options.budget;
  if (options.runs_per_evaluation) spec.replicates = *options.runs_per_evaluation;
  spec.check(scenario);
  const std::filesystem::path out =
      options.out.empty() ? std::filesystem::path("runs") / fmt::format("calibrate-{}-{}", scenario.name(), utc_now_iso8601().substr(0, 19))
                          : std::filesystem::path(options.out);
  AtomicDirectory folder(out);
  const auto started = utc_now_iso8601();
  const auto start = std::chrono::steady_clock::now();
  CalibrationOptions run;
  run.threads = options.threads != 0 ? options.threads : available_threads();
  run.cancel = &g_calibration_interrupted;
  run.progress = [&](const std::string& line) {
    if (!options.quiet) fmt::print(stderr, "{}\n", line);
  };
  std::signal(SIGINT, on_calibration_signal);
  std::signal(SIGTERM, on_calibration_signal);
  CalibrationResult result;
  try {
    result = calibrate(scenario, spec, run);
  } catch (const std::runtime_error& error) {
    if (g_calibration_interrupted.load()) {
      fmt::print(stderr, "interrupted: nothing written\n");
      return interrupted;
    }
    throw;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::size_t p = spec.parameters.size();
  const std::filesystem::path dir = folder.staging();

  std::ofstream parameters(dir / "parameters.csv");
  parameters << "key,min,max,start,estimate,se,se_with_simulation,identified_by,weakly_identified\n";
  for (std::size_t i = 0; i < p; ++i) {
    const auto& b = spec.parameters[i];
    parameters << fmt::format("{},{},{},{},{},{},{},{},{}\n", b.key, b.min, b.max, result.start[i], result.estimate[i], result.se[i],
                              result.se_total[i], csv_text(result.identified_by[i]), result.weak[i] ? 1 : 0);
  }
  parameters.close();
  std::ofstream targets(dir / "targets.csv");
  targets << "name,kind,unit,when,data,sd,fitted,model,band_low,band_high,z\n";
  for (std::size_t j = 0; j < spec.targets.size(); ++j) {
    const auto& t = spec.targets[j];
    targets << fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", csv_text(t.name), kind_name(t.kind), csv_text(t.unit), when(t), t.value,
                           t.sd, t.fit ? 1 : 0, result.model_mean[j], result.band_low[j], result.band_high[j],
                           (result.model_mean[j] - t.value) / t.sd);
  }
  targets.close();
  std::ofstream trace(dir / "trace.csv");
  trace << "evaluation,objective";
  for (const auto& b : spec.parameters) trace << "," << b.key;
  trace << "\n";
  for (std::size_t k = 0; k < result.trace.size(); ++k)
    trace << fmt::format("{},{},{}\n", k + 1, result.trace[k].objective, fmt::join(result.trace[k].theta, ","));
  trace.close();
  std::ofstream profiles(dir / "profiles.csv");
  profiles << "key,value,objective\n";
  for (std::size_t i = 0; i < p; ++i) {
    for (const auto& [value, objective] : result.profiles[i])
      profiles << fmt::format("{},{},{}\n", spec.parameters[i].key, value, objective);
  }
  profiles.close();
  std::ofstream jacobian(dir / "jacobian.csv");
  jacobian << "target";
  for (const auto& b : spec.parameters) jacobian << "," << b.key;
  jacobian << "\n";
  for (std::size_t j = 0; j < spec.targets.size(); ++j)
    jacobian << csv_text(spec.targets[j].name) << "," << fmt::format("{}", fmt::join(result.jacobian[j], ",")) << "\n";
  jacobian.close();

  std::vector<std::string> keys;
  for (const auto& b : spec.parameters) keys.push_back(b.key);
  std::ofstream calibrated(dir / "calibrated.toml");
  calibrated << fmt::format(
      "# Calibrated by `{}` (glocal {}, {}): J = {:.4g} over {} fitted targets; the fit and the\n"
      "# parameters' standard errors are in that run's report.md. Values written in place:",
      fmt::join(command_line, " "), glocal_version(), started, result.objective, result.fitted_targets);
  for (std::size_t i = 0; i < p; ++i)
    calibrated << fmt::format(" {} = {:.6g} (se {:.2g})", keys[i], result.estimate[i], result.se_total[i]);
  calibrated << "\n" << scenario_text_with(scenario, keys, result.estimate);
  calibrated.close();

  nlohmann::json manifest;
  manifest["glocal_version"] = glocal_version();
  manifest["git_commit"] = glocal_git_commit();
  manifest["command_line"] = command_line;
  manifest["scenario"] = scenario.source_name();
  manifest["scenario_sha256"] = sha256_hex(scenario.source_text());
  manifest["targets"] = options.targets;
  manifest["started_at"] = started;
  manifest["finished_at"] = utc_now_iso8601();
  manifest["wall_seconds"] = seconds;
  manifest["runs"] = result.runs;
  manifest["objective"] = result.objective;
  std::ofstream(dir / "manifest.json") << manifest.dump(2) << "\n";

  const bool figures =
      run_python(python_script("calibration_plot.py", "GLOCAL_CALIBRATION_PLOT_SCRIPT", command_line.front().c_str()), dir);
  if (!figures) fmt::print(stderr, "warning: figures not drawn (is python3-matplotlib installed? `make deps`)\n");

  std::ofstream report(dir / "report.md");
  report << fmt::format("# Calibration of `{}`\n\n", scenario.source_name());
  report << fmt::format(
      "Produced by `{}` (glocal {}, {} runs, {:.0f} s). Method: the simulated method of moments "
      "(docs/model/calibration.md): Nelder-Mead on J(theta) = sum ((m_j - v_j) / s_j)^2 over the fitted targets, each "
      "moment the mean of {} runs on shared random streams; standard errors from the Jacobian of the moments at the "
      "estimate, (D'WD)^-1 with W = diag(1 / s_j^2), and with the simulation's own noise added.\n\n",
      fmt::join(command_line, " "), glocal_version(), result.runs, seconds, spec.replicates);
  report << fmt::format(
      "**J = {:.4g}** over {} fitted targets ({} evaluations; the minimum of a chi-square with {} degrees of freedom "
      "would be about {}).\n\n",
      result.objective, result.fitted_targets, result.trace.size(), result.fitted_targets - p, result.fitted_targets - p);
  report << "## Parameters\n\n| key | bounds | start | estimate | se (targets) | se (with simulation) | pinned down mostly by "
            "|\n|---|---|---|---|---|---|---|\n";
  for (std::size_t i = 0; i < p; ++i) {
    const auto& b = spec.parameters[i];
    report << fmt::format("| `{}` | [{}, {}] | {:.4g} | **{:.4g}** | {:.2g} | {:.2g}{} | {} |\n", b.key, b.min, b.max, result.start[i],
                          result.estimate[i], result.se[i], result.se_total[i], result.weak[i] ? " (weakly identified)" : "",
                          result.identified_by[i]);
  }
  const double condition = result.singular_values.empty() || result.singular_values.back() <= 0.0
                               ? INFINITY
                               : result.singular_values.front() / result.singular_values.back();
  report << fmt::format(
      "\nIdentifiability: the singular values of W^(1/2) D, per unit of each parameter's range, are {:.3g} "
      "(condition number {:.3g}). A parameter is flagged weakly identified when its standard error exceeds a quarter "
      "of its range: the targets do not pin it down, and its value is the optimiser's, not the data's.\n\n",
      fmt::join(result.singular_values, ", "), condition);
  const auto table = [&](bool fitted) {
    report << "| target | unit | when | data (sd) | model | 90 % band | z | in band |\n|---|---|---|---|---|---|---|---|\n";
    for (std::size_t j = 0; j < spec.targets.size(); ++j) {
      const auto& t = spec.targets[j];
      if (t.fit != fitted) continue;
      const bool inside = t.value >= result.band_low[j] && t.value <= result.band_high[j];
      // A band of no width is a moment the start fixes (the data's own year): no band to be in.
      const bool fixed = result.band_high[j] - result.band_low[j] <= 1e-3 * std::abs(result.model_mean[j]);
      report << fmt::format("| {} | {} | {} | {:.4g} ({:.2g}) | {:.4g} | [{:.4g}, {:.4g}] | {:+.2f} | {} |\n", t.name, t.unit, when(t),
                            t.value, t.sd, result.model_mean[j], result.band_low[j], result.band_high[j],
                            (result.model_mean[j] - t.value) / t.sd,
                            fixed    ? "fixed at the start"
                            : inside ? "yes"
                                     : "**no**");
    }
  };
  report << "## Fitted targets\n\nModel: the mean of the moment at the estimate; band: 5th to 95th percentile over " << spec.draws
         << " runs with parameters drawn from the estimate's normal approximation (parameter and run-to-run uncertainty).\n\n";
  table(true);
  std::map<std::string, std::pair<double, int>> by_unit;
  for (std::size_t j = 0; j < spec.targets.size(); ++j) {
    const auto& t = spec.targets[j];
    if (!t.fit) continue;
    const double z = (result.model_mean[j] - t.value) / t.sd;
    by_unit[t.unit].first += z * z;
    ++by_unit[t.unit].second;
  }
  report << "\nScore by unit system (sum of z^2 over its targets):";
  for (const auto& [unit, score] : by_unit)
    report << fmt::format(" {}: {:.3g} ({} targets);", unit.empty() ? "(none)" : unit, score.first, score.second);
  report << "\n\n";
  if (std::any_of(spec.targets.begin(), spec.targets.end(), [](const CalibrationTarget& t) { return !t.fit; })) {
    report << "## Out of sample (never fitted)\n\n";
    table(false);
    report << "\n";
  }
  if (figures) {
    report << "## Figures\n\n![targets](figures/targets.png)\n\n![profiles](figures/profiles.png)\n\n";
  }
  report << "Files: `parameters.csv`, `targets.csv`, `trace.csv` (every evaluation), `profiles.csv` (J along each parameter, the "
            "others at the estimate), `jacobian.csv`, `calibrated.toml` (the scenario with the estimates written in place), "
            "`manifest.json`.\n";
  report.close();
  folder.commit();
  fmt::print("J = {:.4g}; estimates:", result.objective);
  for (std::size_t i = 0; i < p; ++i) fmt::print(" {} = {:.4g} (se {:.2g})", keys[i], result.estimate[i], result.se_total[i]);
  fmt::print("\nreport: {}\n", (out / "report.md").string());
  return ok;
}

}  // namespace

void add_calibrate(CLI::App& app, int& exit_status, std::vector<std::string> command_line) {
  auto options = std::make_shared<CalibrateOptions>();
  auto* calibrate =
      app.add_subcommand("calibrate", "Estimate a scenario's free parameters from target moments (simulated method of moments)");
  calibrate->add_option("scenario", options->scenario.path, "Scenario file (TOML); the free parameters must be set in it")->required();
  calibrate->add_option("--targets,-t", options->targets, "Calibration file: [calibration], [[parameter]] and [[target]] tables")
      ->required();
  calibrate->add_option("--budget", options->budget, "Evaluations of the objective by the optimiser (default: the file's, else 200)");
  calibrate->add_option("--runs,-r", options->runs_per_evaluation, "Runs per evaluation (default: the file's, else 4)");
  calibrate->add_option("--out,-o", options->out, "Output folder (must not exist or be empty); default runs/calibrate-<name>-<time>");
  calibrate->add_option("--set", options->scenario.assignments, "Override a scenario key (key=value), repeatable");
  calibrate->add_option("--threads,-j", options->threads, "Worker threads (default: all cores); results do not depend on it");
  calibrate->add_flag("--quiet,-q", options->quiet, "No progress lines");
  calibrate->callback([=, &exit_status] {
    exit_status = exit_status_of([&] {
      try {
        return run_calibration(*options, command_line);
      } catch (const ScenarioError&) {
        throw;  // bad input, reported by exit_status_of
      } catch (const OutputError&) {
        throw;
      } catch (const std::exception& error) {  // a failed evaluation: the runs failed, not the input
        fmt::print(stderr, "error: {}\n", error.what());
        return static_cast<int>(runs_failed);
      }
    });
  });
}

}  // namespace glocal::cli
