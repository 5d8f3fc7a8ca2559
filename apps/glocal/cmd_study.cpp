// glocal study three-roads: hyperglobalization, localization and glocalization on one world
// (scenarios/world/*.toml), with replicates, compared on the six dimensions of human security;
// a Markdown report with a table of means and 95 % confidence intervals, time-series figures
// (python/three_roads_plot.py, Debian's matplotlib) and a sensitivity check of the ranking.
// Everything is written into one folder, atomically.
#include <fmt/format.h>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include "commands.hpp"
#include "mpi_world.hpp"
#include "glocal/io/output.hpp"
#include "glocal/model/scenario.hpp"
#include "glocal/run/design.hpp"
#include "glocal/run/levers.hpp"
#include "glocal/run/study.hpp"
#include "python_script.hpp"

namespace glocal::cli {

namespace {

struct StudyOptions {
  std::string file;                         ///< the study file
  std::optional<std::uint64_t> replicates;  ///< default: the study's
  std::optional<std::int64_t> ticks;
  std::string out;
  std::string scenarios;  ///< a folder holding the study's scenario files (by their names), instead of their own paths
  unsigned threads = 0;
  bool sensitivity = true;
  bool uncertainty = true;  ///< the study's [uncertainty] draws, when it has them
  bool quiet = false;
};

/// The shipped study of the three roads.
std::string three_roads_study() { return std::string(GLOCAL_SOURCE_DIR) + "/studies/three-roads.toml"; }

std::string format_estimate(const Estimate& e) { return fmt::format("{:.4g} [{:.4g}, {:.4g}]", e.mean, e.low, e.high); }

std::uint64_t replicates_of(const Study& study, const StudyOptions& options) { return options.replicates.value_or(study.replicates); }

std::vector<Scenario> load_regimes(const Study& study, const StudyOptions& options, const std::vector<std::string>& extra,
                                   std::optional<std::uint64_t> replicates = std::nullopt) {
  std::vector<Scenario> scenarios;
  for (const auto& regime : study.scenarios) {
    Scenario s =
        Scenario::load_file(options.scenarios.empty() ? regime.file : std::filesystem::path(options.scenarios) / regime.file.filename());
    // Shared streams: replicate r of every scenario meets the same random numbers (paired runs).
    std::vector<std::string> set = {"run.replicates=" + std::to_string(replicates.value_or(replicates_of(study, options))),
                                    "run.streams=shared"};
    if (options.ticks) set.push_back("run.ticks=" + std::to_string(*options.ticks));
    set.insert(set.end(), extra.begin(), extra.end());
    s.set_all(set);
    scenarios.push_back(std::move(s));
  }
  return scenarios;
}

/// Estimates [regime][indicator] of one set of runs.
std::vector<std::vector<Estimate>> estimates(const Study& study, const std::vector<Scenario>& scenarios,
                                             const std::vector<std::vector<RunResult>>& runs) {
  std::vector<std::vector<Estimate>> out(scenarios.size());
  for (std::size_t r = 0; r < scenarios.size(); ++r) {
    for (const auto& indicator : study.indicators) out[r].push_back(estimate_mean(final_values(scenarios[r], runs[r], indicator.metric)));
  }
  return out;
}

/// Each ranked indicator's ranking of the scenarios, best first, from estimates [scenario][indicator]
/// (empty for an unranked indicator).
std::vector<std::vector<std::size_t>> rankings(const Study& study, const std::vector<std::vector<Estimate>>& by_scenario) {
  std::vector<std::vector<std::size_t>> orders(study.indicators.size());
  for (std::size_t i = 0; i < study.indicators.size(); ++i) {
    if (!study.indicators[i].ranked) continue;
    std::vector<Estimate> row;
    for (const auto& scenario : by_scenario) row.push_back(scenario[i]);
    orders[i] = ranking(row, study.indicators[i].higher_is_better);
  }
  return orders;
}

std::string ranking_text(const Study& study, const std::vector<std::size_t>& order) {
  std::string text;
  for (const std::size_t r : order) text += (text.empty() ? "" : " > ") + study.scenarios[r].name;
  return text;
}

/// The assignment of a sensitivity variant: its key at its factor times the baseline's value.
std::string variant_assignment(const StudyVariant& variant, const Scenario& baseline) {
  if (!variant.value.empty()) return fmt::format("{}={}", variant.key, variant.value);
  return fmt::format("{}={}", variant.key, baseline.real(variant.key) * variant.factor);
}

/// Every assignment of a variant: its key's, then those it makes `with` it.
std::vector<std::string> variant_assignments(const StudyVariant& variant, const Scenario& baseline) {
  std::vector<std::string> all = {variant_assignment(variant, baseline)};
  all.insert(all.end(), variant.with.begin(), variant.with.end());
  return all;
}

/// " (with a=1, b=2)" for a variant that makes further assignments, else "".
std::string with_text(const StudyVariant& variant) {
  return variant.with.empty() ? "" : fmt::format(" (with {})", fmt::join(variant.with, ", "));
}

/// The value a variant gives its key, as the report shows it: a number to 4 significant digits,
/// a choice or a boolean as written.
std::string shown_value(const std::string& value) {
  const char* begin = value.c_str();
  char* end = nullptr;
  const double number = std::strtod(begin, &end);
  return end != begin && *end == '\0' ? fmt::format("{:.4g}", number) : value;
}

/// How the report names a variant: "key x0.5" or "key = 20".
std::string variant_name(const StudyVariant& variant) {
  return (variant.value.empty() ? fmt::format("{} x{}", variant.key, variant.factor) : fmt::format("{} = {}", variant.key, variant.value)) +
         with_text(variant);
}

/// The draws of the study's uncertain keys: its [uncertainty] points, or a Latin hypercube over its
/// [uncertainty] parameters.
Design uncertainty_design(const Study& study) {
  if (!study.uncertainty->points.empty()) {
    Design design = read_design_csv(study.uncertainty->points);
    if (study.uncertainty->draws > 0 && study.uncertainty->draws < design.rows()) design.values.resize(study.uncertainty->draws);
    return design;
  }
  DesignSpec spec;
  spec.method = DesignMethod::lhs;
  spec.n = study.uncertainty->draws;
  spec.seed = study.uncertainty->seed;
  return make_design(read_design_parameters(study.uncertainty->parameters), spec);
}

/// The assignments of draw d.
std::vector<std::string> draw_assignments(const Design& design, std::size_t d) {
  std::vector<std::string> set;
  for (std::size_t k = 0; k < design.parameters.size(); ++k)
    set.push_back(fmt::format("{}={}", design.parameters[k].key, design.values[d][k]));
  return set;
}

bool draws_on(const Study& study, const StudyOptions& options) { return options.uncertainty && study.uncertainty.has_value(); }

/// A rank other than 0 under mpirun: the study's batches in the same order as rank 0, each run
/// of its share sent to rank 0, which writes everything.
int study_share(const Study& study, const StudyOptions& options, const MpiWorld& world) {
  const std::vector<Scenario> scenarios = load_regimes(study, options, {});
  BatchOptions batch;
  batch.threads = options.threads != 0 ? options.threads : available_threads();
  for (const auto& s : scenarios) (void)run_batch_across(world, s, batch);
  if (options.sensitivity) {
    for (const auto& variant : study.sensitivity) {
      for (const auto& s : load_regimes(study, options, variant_assignments(variant, scenarios[0])))
        (void)run_batch_across(world, s, batch);
    }
  }
  if (draws_on(study, options)) {
    const Design design = uncertainty_design(study);
    for (std::size_t d = 0; d < design.rows(); ++d) {
      for (const auto& s : load_regimes(study, options, draw_assignments(design, d), study.uncertainty->replicates))
        (void)run_batch_across(world, s, batch);
    }
  }
  return ok;
}

int run_study(const StudyOptions& options, const std::vector<std::string>& command_line, const char* argv0) {
  const MpiWorld& world = MpiWorld::get();
  const Study study = load_study(options.file);  // a bad study file is bad input (ScenarioError)
  if (world.rank() != 0) return study_share(study, options, world);
  const std::uint64_t replicates = replicates_of(study, options);
  std::vector<Scenario> scenarios;
  try {
    scenarios = load_regimes(study, options, {});
  } catch (const ScenarioError& error) {
    fmt::print(stderr, "error: {}\n", error.what());
    return bad_input;
  }
  const std::filesystem::path out = options.out.empty()
                                        ? std::filesystem::path("runs") / (study.name + "-" + utc_now_iso8601().substr(0, 19))
                                        : std::filesystem::path(options.out);
  AtomicDirectory folder(out);
  BatchOptions batch;
  batch.threads = options.threads != 0 ? options.threads : available_threads();
  const auto start = std::chrono::steady_clock::now();
  const auto say = [&](const std::string& line) {
    if (!options.quiet) fmt::print(stderr, "{}\n", line);
  };

  // The scenarios.
  std::vector<std::vector<RunResult>> runs;
  for (std::size_t r = 0; r < scenarios.size(); ++r) {
    const std::string& name = study.scenarios[r].name;
    say(fmt::format("{}: {} runs ...", name, replicates));
    runs.push_back(run_batch_across(world, scenarios[r], batch));
    Invocation invocation;
    invocation.command_line = command_line;
    invocation.started_at = utc_now_iso8601();
    invocation.finished_at = invocation.started_at;
    invocation.threads = batch.threads;
    std::filesystem::create_directories(folder.staging() / name);
    write_results(folder.staging() / name, scenarios[r], runs.back(), invocation);
  }
  const auto base = estimates(study, scenarios, runs);
  const auto& indicators = study.indicators;

  std::ofstream summary(folder.staging() / "summary.csv");
  summary << "dimension,metric,regime,mean,ci_low,ci_high,runs\n";
  for (std::size_t i = 0; i < indicators.size(); ++i) {
    for (std::size_t r = 0; r < study.scenarios.size(); ++r) {
      const Estimate& e = base[r][i];
      summary << fmt::format("\"{}\",{},{},{},{},{},{}\n", indicators[i].dimension, indicators[i].metric, study.scenarios[r].name, e.mean,
                             e.low, e.high, e.runs);
    }
  }
  // Paired differences [indicator][a][b] = a - b, replicate by replicate (the scenarios share their
  // streams), and what they establish.
  std::vector<std::string> names;
  for (const auto& scenario : study.scenarios) names.push_back(scenario.name);
  std::vector<std::vector<std::vector<Estimate>>> differences(indicators.size());
  std::ofstream paired(folder.staging() / "differences.csv");
  paired << "dimension,metric,regime,other,difference,ci_low,ci_high,runs,verdict\n";
  for (std::size_t i = 0; i < indicators.size(); ++i) {
    std::vector<std::map<std::uint64_t, double>> finals;
    for (std::size_t r = 0; r < scenarios.size(); ++r)
      finals.push_back(final_values_by_replicate(scenarios[r], runs[r], indicators[i].metric));
    differences[i].assign(scenarios.size(), std::vector<Estimate>(scenarios.size()));
    for (std::size_t a = 0; a < scenarios.size(); ++a) {
      for (std::size_t b = 0; b < scenarios.size(); ++b) {
        differences[i][a][b] = paired_difference(finals[a], finals[b]);
        if (a >= b) continue;
        const Estimate& d = differences[i][a][b];
        std::string verdict = "indistinguishable";
        if (distinguishable(d)) {
          const bool a_higher = d.mean > 0.0;
          verdict = !indicators[i].ranked ? "differ" : (a_higher == indicators[i].higher_is_better ? names[a] : names[b]) + " better";
        }
        paired << fmt::format("\"{}\",{},{},{},{},{},{},{},{}\n", indicators[i].dimension, indicators[i].metric, names[a], names[b], d.mean,
                              d.low, d.high, d.runs, verdict);
      }
    }
  }
  paired.close();
  // What the runs established, per ranked indicator: the pairs a draw must keep, and the ranking
  // written with `>` and `~`.
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> established(indicators.size());
  std::vector<std::string> established_text(indicators.size());

  // Time series: the mean over runs of each indicator at each recorded tick, with its 95 % interval.
  std::ofstream series(folder.staging() / "series.csv");
  series << "regime,year,metric,mean,ci_low,ci_high,runs\n";
  for (std::size_t r = 0; r < study.scenarios.size(); ++r) {
    std::vector<std::size_t> column;  // the indicators' columns, found once
    for (const auto& indicator : indicators) column.push_back(metric_index(scenarios[r], indicator.metric));
    std::map<std::uint64_t, std::map<std::string, std::vector<double>>> values;  // tick -> metric -> one value per run
    for (const auto& run : runs[r]) {
      for (const auto& record : run.series) {
        for (std::size_t i = 0; i < indicators.size(); ++i) values[record.tick][indicators[i].metric].push_back(record.metrics[column[i]]);
      }
    }
    for (const auto& [tick, metrics] : values) {
      const double year = scenarios[r].has_calendar() ? scenarios[r].time_of_tick(tick + 1) : static_cast<double>(tick);
      for (const auto& [metric, at_tick] : metrics) {
        const Estimate e = estimate_mean(at_tick);  // NaNs skipped
        if (e.runs > 0)
          series << fmt::format("{},{},{},{},{},{},{}\n", study.scenarios[r].name, year, metric, e.mean, e.low, e.high, e.runs);
      }
    }
  }

  // Each ranked indicator's ranking of the scenarios, and the same after a rerun of every scenario
  // with `assignments` (the sensitivity variants, the uncertainty draws); unranked: empty.
  const auto baseline = rankings(study, base);
  for (std::size_t i = 0; i < indicators.size(); ++i) {
    if (!indicators[i].ranked) continue;
    established[i] = established_pairs(differences[i], indicators[i].higher_is_better);
    established_text[i] = tiered_ranking(baseline[i], names, differences[i]);
  }
  const auto rerank = [&](const std::vector<std::string>& assignments, std::optional<std::uint64_t> runs_each) {
    const auto varied = load_regimes(study, options, assignments, runs_each);
    std::vector<std::vector<RunResult>> varied_runs;
    for (const auto& s : varied) varied_runs.push_back(run_batch_across(world, s, batch));
    return rankings(study, estimates(study, varied, varied_runs));
  };

  // Sensitivity of the ranking.
  struct RankingChange {
    std::string key;
    std::string value;  ///< as sensitivity.csv writes it
    std::string with;   ///< " (with ...)" or empty
    std::string metric;
    std::string ranking;
  };
  std::vector<RankingChange> sensitivity_changes;  // the variants' rankings that differ from the baseline
  std::size_t changed = 0;
  std::size_t checked = 0;
  if (options.sensitivity) {
    std::ofstream sensitivity(folder.staging() / "sensitivity.csv");
    sensitivity << "parameter,value,metric,ranking,same_as_baseline,with\n";
    for (const auto& variant : study.sensitivity) {
      const std::vector<std::string> assignments = variant_assignments(variant, scenarios[0]);
      const std::string value = assignments[0].substr(assignments[0].find('=') + 1);  // a number, a choice or a boolean
      say(fmt::format("sensitivity: {} = {}{} ...", variant.key, shown_value(value), with_text(variant)));
      const auto orders = rerank(assignments, std::nullopt);
      for (std::size_t i = 0; i < indicators.size(); ++i) {
        if (!indicators[i].ranked) continue;
        const bool same = orders[i] == baseline[i];
        ++checked;
        changed += same ? 0 : 1;
        sensitivity << fmt::format("{},{},{},{},{},{}\n", variant.key, value, indicators[i].metric, ranking_text(study, orders[i]),
                                   same ? 1 : 0, fmt::join(variant.with, " "));
        if (!same) {
          sensitivity_changes.push_back({variant.key, value, with_text(variant), indicators[i].metric, ranking_text(study, orders[i])});
        }
      }
    }
  }

  // Robustness over parameter draws: how often each baseline ranking holds.
  struct Robustness {
    std::size_t holds = 0;        ///< draws whose order of means is the baseline's
    std::size_t first = 0;        ///< draws whose best is the baseline's
    std::size_t established = 0;  ///< draws that keep every pair the baseline's paired differences established
  };
  std::vector<Robustness> robustness(indicators.size());
  std::size_t draws = 0;
  std::optional<Design> design_run;  // the draws' design, reported below
  if (draws_on(study, options)) {
    const Design& design = design_run.emplace(uncertainty_design(study));
    draws = design.rows();
    std::ofstream draws_csv(folder.staging() / "draws.csv");
    draws_csv << "draw";
    for (const auto& parameter : design.parameters) draws_csv << "," << parameter.key;
    draws_csv << ",metric,ranking,same_as_baseline\n";
    for (std::size_t d = 0; d < draws; ++d) {
      say(fmt::format("uncertainty: draw {} of {} ...", d + 1, draws));
      const auto orders = rerank(draw_assignments(design, d), study.uncertainty->replicates);
      for (std::size_t i = 0; i < indicators.size(); ++i) {
        if (!indicators[i].ranked) continue;
        const auto& order = orders[i];
        robustness[i].holds += order == baseline[i] ? 1 : 0;
        robustness[i].first += order.front() == baseline[i].front() ? 1 : 0;
        robustness[i].established += keeps_established(order, established[i]) ? 1 : 0;
        draws_csv << d;
        for (const double value : design.values[d]) draws_csv << "," << fmt::format("{}", value);
        draws_csv << fmt::format(",{},{},{}\n", indicators[i].metric, ranking_text(study, order), order == baseline[i] ? 1 : 0);
      }
    }
  }

  summary.close();
  series.close();  // the figures read it
  const bool figures = run_python(python_script("three_roads_plot.py", "GLOCAL_STUDY_PLOT_SCRIPT", argv0), folder.staging());
  if (!figures) fmt::print(stderr, "warning: figures not drawn (is python3-matplotlib installed? `make deps`)\n");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::ofstream report(folder.staging() / "report.md");
  std::vector<std::string> files;
  for (const auto& scenario : study.scenarios) files.push_back(fmt::format("`{}`", std::filesystem::proximate(scenario.file).string()));
  report << "# " << study.title << "\n\n";
  report << fmt::format(
      "Produced by `{}` ({}; study `{}`; {} replicates per scenario, on shared random streams; {:.0f} s). Scenarios: {}. {}{}"
      "Values at the last tick; mean and 95 % confidence interval over runs (Student's t).\n\n",
      fmt::join(command_line, " "), glocal_version(), study.name, replicates, seconds, fmt::join(files, ", "), study.description,
      study.description.empty() ? "" : " ");
  // What is robust, what depends on assumptions, and the assumptions, before the numbers.
  std::vector<std::string> robust_lines, fragile_lines;
  for (std::size_t i = 0; i < indicators.size(); ++i) {
    if (!indicators[i].ranked) continue;
    const std::string& best = study.scenarios[baseline[i].front()].name;
    if (draws == 0) {
      robust_lines.push_back(
          fmt::format("- `{}`: {} (paired differences, baseline parameters)", indicators[i].metric, established_text[i]));
      continue;
    }
    const double first = 100.0 * static_cast<double>(robustness[i].first) / static_cast<double>(draws);
    const double whole = 100.0 * static_cast<double>(robustness[i].established) / static_cast<double>(draws);
    std::vector<std::string> holds, fails;
    (first >= 90.0 ? holds : fails).push_back(fmt::format("{} first at {:.0f} % of the draws", best, first));
    (whole >= 90.0 ? holds : fails).push_back(fmt::format("the established ranking ({}) at {:.0f} %", established_text[i], whole));
    if (!holds.empty()) robust_lines.push_back(fmt::format("- `{}`: {}", indicators[i].metric, fmt::join(holds, "; ")));
    if (!fails.empty()) fragile_lines.push_back(fmt::format("- `{}`: only {}", indicators[i].metric, fmt::join(fails, "; ")));
  }
  report << "## What is robust\n\n";
  report << (draws > 0 ? fmt::format("Over {} parameter draws (\"Robustness over parameter draws\" below), at 90 % or more:\n\n", draws)
                       : std::string("No parameter draws were run ([uncertainty]): these orders hold for the baseline parameters, read "
                                     "from paired differences (`>` told apart, `~` not).\n\n"));
  for (const auto& line : robust_lines) report << line << "\n";
  if (robust_lines.empty()) report << "- nothing at 90 %\n";
  report << "\n## What depends on assumptions\n\n";
  for (const auto& line : fragile_lines) report << line << "\n";
  for (const auto& change : sensitivity_changes) {
    report << fmt::format("- `{}` with `{}` = {}{}: {}\n", change.metric, change.key, shown_value(change.value), change.with,
                          change.ranking);
  }
  if (fragile_lines.empty() && sensitivity_changes.empty()) report << "- no ranking changed under the draws and variants run\n";
  if (!study.assumptions.empty()) {
    report << "\n## Assumptions\n\n";
    for (const auto& assumption : study.assumptions) report << "- " << assumption << "\n";
  }
  report << "\n## The table\n\n";
  report << "| dimension | metric | " << fmt::format("{}", fmt::join(names, " | ")) << " | best first | established |\n|---|---|";
  for (std::size_t r = 0; r <= study.scenarios.size() + 1; ++r) report << "---|";
  report << "\n";
  for (std::size_t i = 0; i < indicators.size(); ++i) {
    report << fmt::format("| {} | `{}` |", indicators[i].dimension, indicators[i].metric);
    for (std::size_t r = 0; r < study.scenarios.size(); ++r) report << " " << format_estimate(base[r][i]) << " |";
    if (indicators[i].ranked) {
      report << " " << ranking_text(study, baseline[i]) << " | " << established_text[i] << " |\n";
    } else {
      report << " not ranked | |\n";
    }
  }
  report << "\n\"Best first\" orders the means. \"Established\" reads each neighbour pair's paired difference (replicate r of "
            "every scenario meets the same random numbers, so each run's difference removes what the scenarios share): `>` where "
            "its 95 % interval excludes 0, `~` where it does not, so that the pair is indistinguishable on these runs. Every pair: "
            "`differences.csv`.\n\n";
  if (options.sensitivity) {
    std::vector<std::string> changes;
    for (const auto& variant : study.sensitivity) changes.push_back(variant_name(variant));
    report << fmt::format(
        "## Sensitivity of the ranking\n\nEach scenario rerun with one parameter changed ({}): {} of {} rankings "
        "differ from the baseline.\n\n",
        fmt::join(changes, ", "), changed, checked);
    if (!sensitivity_changes.empty()) {
      report << "| change | metric | ranking |\n|---|---|---|\n";
      for (const auto& change : sensitivity_changes)
        report << fmt::format("| `{}` = {}{} | {} | {} |\n", change.key, shown_value(change.value), change.with, change.metric,
                              change.ranking);
    }
    report << "\nEvery ranking: `sensitivity.csv`.\n\n";
  }
  if (draws > 0) {
    std::vector<std::string> keys;
    for (const auto& parameter : design_run->parameters) keys.push_back(parameter.key);
    const std::string source =
        study.uncertainty->points.empty()
            ? fmt::format("a Latin hypercube over `{}`, seed {}", std::filesystem::proximate(study.uncertainty->parameters).string(),
                          study.uncertainty->seed)
            : fmt::format("the points of `{}`", std::filesystem::proximate(study.uncertainty->points).string());
    report << fmt::format(
        "## Robustness over parameter draws\n\n{} draws of {} ({}), {} runs per scenario and "
        "draw on shared streams. A ranking is robust where it holds in at least 90 % of the draws. \"Established holds in\": the "
        "draws whose order of means keeps every pair the baseline's paired differences told apart (pairs marked `~` may swap).\n\n"
        "| metric | ranking (baseline) | holds in | best first in | established holds in | |\n|---|---|---|---|---|---|\n",
        draws, fmt::join(keys, ", "), source, study.uncertainty->replicates);
    for (std::size_t i = 0; i < indicators.size(); ++i) {
      if (!indicators[i].ranked) continue;
      const double holds = static_cast<double>(robustness[i].holds) / static_cast<double>(draws);
      // A draw with the baseline's order of means keeps every established pair too, so
      // `established` is at least `holds`.
      const double kept = static_cast<double>(robustness[i].established) / static_cast<double>(draws);
      report << fmt::format("| `{}` | {} | {:.0f} % | {:.0f} % | {:.0f} % | {} |\n", indicators[i].metric, ranking_text(study, baseline[i]),
                            100.0 * holds, 100.0 * static_cast<double>(robustness[i].first) / static_cast<double>(draws), 100.0 * kept,
                            kept >= 0.9 ? "robust" : "");
    }
    report << "\nEvery draw's rankings: `draws.csv`.\n\n";
  }
  if (figures) {
    report << "## Time series (mean over runs)\n\n";
    for (const auto& indicator : indicators) report << fmt::format("![{}](figures/{}.png)\n", indicator.metric, indicator.metric);
  } else {
    report << "Figures were not drawn (python3-matplotlib missing?); the series are in `series.csv`.\n";
  }
  report << "\nFiles: `summary.csv` (the table), `differences.csv` (paired differences), `series.csv`, `sensitivity.csv`, and each "
            "regime's full results folder.\n";
  report.close();
  folder.commit();
  fmt::print("report: {}\n", (out / "report.md").string());
  return ok;
}

struct LeverOptions {
  std::string from;
  std::string to;
  std::string study = three_roads_study();  ///< whose indicators are reported
  std::uint64_t replicates = 4;
  std::optional<std::int64_t> ticks;
  std::string out;
  unsigned threads = 0;
  bool quiet = false;
};

/// glocal study levers FROM TO: the two-level design over the levers in which TO differs from
/// FROM, each indicator's main effects, the whole difference and the interactions' part.
int run_levers(const LeverOptions& options, const std::vector<std::string>& command_line) {
  const MpiWorld& world = MpiWorld::get();
  if (world.many()) {
    fmt::print(stderr, "error: glocal study levers runs on one machine (not under mpirun)\n");
    return bad_input;
  }
  const auto load = [&](const std::string& path) {
    Scenario s = Scenario::load_file(path);
    // Shared streams: replicate r of every design point meets the same random numbers, so each
    // effect is a paired difference.
    std::vector<std::string> set = {"run.replicates=" + std::to_string(options.replicates), "run.streams=shared"};
    if (options.ticks) set.push_back("run.ticks=" + std::to_string(*options.ticks));
    s.set_all(set);
    return s;
  };
  const Scenario from = load(options.from);
  const Scenario to = load(options.to);
  std::vector<Lever> levers;
  try {
    levers = levers_between(from, to);
  } catch (const std::invalid_argument& error) {
    fmt::print(stderr, "error: {} and {}: {}\n", options.from, options.to, error.what());
    return bad_input;
  }
  if (levers.empty()) {
    fmt::print(stderr, "error: {} and {} do not differ in any lever\n", options.from, options.to);
    return bad_input;
  }
  const auto design = two_level_design(levers.size());
  std::vector<Scenario> points;
  for (const auto& row : design) points.push_back(with_levers(from, to, levers, row));  // every point checked before any run

  const std::filesystem::path out = options.out.empty() ? std::filesystem::path("runs") / ("levers-" + utc_now_iso8601().substr(0, 19))
                                                        : std::filesystem::path(options.out);
  AtomicDirectory folder(out);
  BatchOptions batch;
  batch.threads = options.threads != 0 ? options.threads : available_threads();
  const auto start = std::chrono::steady_clock::now();
  const std::vector<StudyIndicator> indicators = load_study(options.study).indicators;
  // y[indicator][point][replicate]
  std::vector<std::vector<std::vector<double>>> y(indicators.size(), std::vector<std::vector<double>>(points.size()));
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!options.quiet) fmt::print(stderr, "point {} of {} ...\n", i + 1, points.size());
    const auto runs = run_batch_across(world, points[i], batch);
    for (std::size_t m = 0; m < indicators.size(); ++m) {
      y[m][i] = final_values(points[i], runs, indicators[m].metric);
      if (y[m][i].size() != options.replicates) {
        fmt::print(stderr, "error: {} of {} runs of design point {} failed\n", options.replicates - y[m][i].size(), options.replicates, i);
        return runs_failed;
      }
    }
  }

  std::ofstream design_csv(folder.staging() / "design.csv");
  design_csv << "point";
  for (const auto& lever : levers) design_csv << "," << lever.name;
  design_csv << "\n";
  for (std::size_t i = 0; i < design.size(); ++i) {
    design_csv << i;
    for (const bool high : design[i]) design_csv << (high ? ",1" : ",-1");
    design_csv << "\n";
  }
  std::ofstream effects_csv(folder.staging() / "effects.csv");
  effects_csv << "metric,lever,effect,ci_low,ci_high,runs\n";
  std::ofstream report(folder.staging() / "report.md");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report << fmt::format("# Levers: from `{}` to `{}`\n\n", options.from, options.to);
  report << fmt::format(
      "Produced by `{}` ({}; {:.0f} s). {} levers, {} design points ({}), {} replicates each on shared random streams. A lever's "
      "main effect is the mean of the indicator with the lever as in `{}` minus its mean with the lever as in `{}`, over the "
      "design; `whole` is the road's difference itself ({} minus {}, the design's last and first points); `interactions` is "
      "the whole less the sum of the main effects. Values at the last tick; mean and 95 % interval over replicates (paired).\n\n",
      fmt::join(command_line, " "), glocal_version(), seconds, levers.size(), design.size(),
      levers.size() <= 6 ? "full factorial" : "resolution IV fraction", options.replicates, options.to, options.from, options.to,
      options.from);
  report << "Levers: ";
  for (std::size_t j = 0; j < levers.size(); ++j)
    report << (j == 0 ? "" : ", ") << fmt::format("`{}` ({})", levers[j].name, fmt::join(levers[j].keys, ", "));
  report << ".\n\n";
  for (std::size_t m = 0; m < indicators.size(); ++m) {
    const LeverEffects effects = lever_effects(design, y[m]);
    report << fmt::format("## {} (`{}`)\n\n| lever | effect | 95 % interval |\n|---|---|---|\n", indicators[m].dimension,
                          indicators[m].metric);
    const auto row = [&](const std::string& name, const Estimate& e) {
      report << fmt::format("| {} | {:.4g} | [{:.4g}, {:.4g}] |\n", name, e.mean, e.low, e.high);
      effects_csv << fmt::format("{},{},{},{},{},{}\n", indicators[m].metric, name, e.mean, e.low, e.high, e.runs);
    };
    row("whole", effects.whole);
    for (std::size_t j = 0; j < levers.size(); ++j) row(levers[j].name, effects.main[j]);
    row("interactions", effects.interactions);
    report << "\n";
  }
  design_csv.close();
  effects_csv.close();
  report.close();
  folder.commit();
  fmt::print("report: {}\n", (out / "report.md").string());
  return ok;
}

}  // namespace

void add_study(CLI::App& app, int& exit_status, std::vector<std::string> command_line) {
  auto options = std::make_shared<StudyOptions>();
  auto* study = app.add_subcommand("study", "Run a study of several scenarios and write a report");
  study->require_subcommand(0, 1);
  const auto add_study_options = [&](CLI::App* command) {
    command->add_option("--replicates,-r", options->replicates, "Runs per scenario (default: the study's)")->check(CLI::Range(2, 100000));
    command->add_option("--out,-o", options->out, "Report folder (must not exist or be empty); default runs/<study>-<time>");
    command->add_option("--ticks", options->ticks, "Run this many ticks instead of the scenarios' (a quick look)");
    command->add_option("--scenarios", options->scenarios, "Take the study's scenario files, by their names, from this folder");
    command->add_option("--threads,-j", options->threads, "Worker threads (default: all cores); results do not depend on it");
    command->add_flag("!--no-sensitivity", options->sensitivity, "Skip the sensitivity check of the ranking");
    command->add_flag("!--no-uncertainty", options->uncertainty, "Skip the study's draws of its uncertain keys");
    command->add_flag("--quiet,-q", options->quiet, "No progress lines");
  };
  study->add_option("file", options->file, "A study file (docs/experiments.md, \"Studies\"), e.g. studies/three-roads.toml");
  add_study_options(study);
  auto* roads =
      study->add_subcommand("three-roads", "Hyperglobalization, localization and glocalization compared (studies/three-roads.toml)");
  add_study_options(roads);
  const auto run = [=, &exit_status] {
    exit_status = exit_status_of([&] {
      const MpiWorld& world = MpiWorld::get();
      try {
        return run_study(*options, command_line, command_line.front().c_str());
      } catch (const ScenarioError&) {
        throw;  // bad input: a message and exit 2
      } catch (const std::exception& error) {
        if (!world.many()) throw;
        fmt::print(stderr, "error: {}\n", error.what());  // the other ranks run on: end them all
        world.abort(unexpected);
      }
    });
  };
  roads->callback([=] {
    options->file = three_roads_study();
    run();
  });
  study->callback([=, &exit_status] {
    if (!study->get_subcommands().empty()) return;  // a subcommand ran
    if (options->file.empty()) {
      fmt::print(stderr, "error: glocal study needs a study file or a subcommand (three-roads, levers); see glocal study --help\n");
      exit_status = bad_input;
      return;
    }
    run();
  });
  auto levers_options = std::make_shared<LeverOptions>();
  auto* levers = study->add_subcommand("levers", "Take the difference between two scenarios apart lever by lever (a two-level design)");
  levers->add_option("from", levers_options->from, "The scenario the levers start from (each lever's - level)")->required();
  levers->add_option("to", levers_options->to, "The scenario they move to (each lever's + level)")->required();
  levers->add_option("--replicates,-r", levers_options->replicates, "Runs per design point (default 4)")->check(CLI::Range(2, 100000));
  levers->add_option("--out,-o", levers_options->out, "Report folder (must not exist or be empty); default runs/levers-<time>");
  levers->add_option("--ticks", levers_options->ticks, "Run this many ticks instead of the scenarios' (a quick look)");
  levers->add_option("--study", levers_options->study, "The study whose indicators are reported (default: studies/three-roads.toml)");
  levers->add_option("--threads,-j", levers_options->threads, "Worker threads (default: all cores); results do not depend on it");
  levers->add_flag("--quiet,-q", levers_options->quiet, "No progress lines");
  levers->callback([=, &exit_status] { exit_status = exit_status_of([&] { return run_levers(*levers_options, command_line); }); });
}

}  // namespace glocal::cli
