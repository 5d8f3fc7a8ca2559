// glocal's Python module (pybind11): the engine behind glocal.run and glocal.evaluate
// (python/glocal/__init__.py). A batch runs with the GIL released; Ctrl-C in Python cancels it.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <atomic>
#include <cmath>
#include <optional>

#include "glocal/io/output.hpp"
#include "glocal/run/memory.hpp"
#include "glocal/run/simulation.hpp"

namespace py = pybind11;

namespace glocal {
namespace {

/// A scenario file with `key=value` overrides, a seed and replicates, and optionally a design:
/// one point per row of `design_rows`, one column per key of `design_keys` (integer keys rounded
/// to the nearest integer).
Scenario scenario_of(const std::filesystem::path& path, const std::vector<std::string>& assignments, std::optional<std::uint64_t> seed,
                     std::optional<std::uint64_t> replicates, const std::vector<std::string>& design_keys,
                     const std::vector<std::vector<double>>& design_rows) {
  Scenario scenario = Scenario::load_file(path);
  scenario.set_all(assignments);
  if (seed) scenario.set("run.seed=" + std::to_string(*seed));
  if (replicates) scenario.set("run.replicates=" + std::to_string(*replicates));
  if (!design_keys.empty()) {
    PointTable table{design_keys, {}, "evaluate(X)"};
    for (const auto& row : design_rows) {
      if (row.size() != design_keys.size()) {
        throw ScenarioError(SourceLocation{"evaluate(X)", 0, 0}, "", "each row of X needs one value per key");
      }
      std::vector<Value> values;
      for (std::size_t j = 0; j < row.size(); ++j) {
        const ParamSpec* spec = find_parameter(design_keys[j]);
        const bool integer = spec != nullptr && spec->type == ParamType::integer && std::isfinite(row[j]);
        values.push_back(integer ? Value{static_cast<std::int64_t>(std::llround(row[j]))} : Value{row[j]});
      }
      table.rows.push_back(std::move(values));
    }
    scenario.set_points(std::move(table));
  }
  return scenario;
}

/// Runs the batch and writes its results folder (tables and manifest) to `out`. Returns the
/// number of failed runs. Raises KeyboardInterrupt (nothing written) when Ctrl-C cancels it.
std::uint64_t run_to(const Scenario& scenario, const std::filesystem::path& out, unsigned threads,
                     const std::vector<std::string>& command_line) {
  if (threads == 0) threads = available_threads();
  require_memory(scenario, threads);
  std::atomic<bool> cancel{false};
  bool interrupted = false;
  BatchOptions options;
  options.threads = threads;
  options.cancel = &cancel;
  options.progress_interval = std::chrono::milliseconds(100);
  options.progress = [&](const BatchProgress&) {  // on this thread: look for Ctrl-C
    const py::gil_scoped_acquire gil;
    if (!interrupted && PyErr_CheckSignals() != 0) {
      interrupted = true;
      cancel.store(true);
    }
  };
  Invocation invocation;
  invocation.command_line = command_line;
  invocation.started_at = utc_now_iso8601();
  invocation.threads = threads;
  const auto start = std::chrono::steady_clock::now();
  std::vector<RunResult> runs;
  {
    const py::gil_scoped_release release;
    runs = run_batch(scenario, 0, options);
  }
  if (interrupted) throw py::error_already_set();  // the KeyboardInterrupt PyErr_CheckSignals raised
  invocation.finished_at = utc_now_iso8601();
  invocation.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::uint64_t failed = 0;
  for (const auto& run : runs) failed += run.status == RunStatus::failed ? 1 : 0;
  const py::gil_scoped_release release;
  AtomicDirectory folder(out);
  write_results(folder.staging(), scenario, runs, invocation);
  folder.commit();
  return failed;
}

}  // namespace
}  // namespace glocal

PYBIND11_MODULE(_glocal, m) {
  m.doc() = "glocal's engine; use the glocal package (glocal.run, glocal.evaluate).";
  py::register_exception<glocal::ScenarioError>(m, "ScenarioError", PyExc_ValueError);
  py::register_exception<glocal::OutputError>(m, "OutputError", PyExc_OSError);
  m.def(
      "run_to_folder",
      [](const std::filesystem::path& scenario, const std::vector<std::string>& assignments, std::optional<std::uint64_t> seed,
         std::optional<std::uint64_t> replicates, unsigned threads, const std::vector<std::string>& design_keys,
         const std::vector<std::vector<double>>& design_rows, const std::filesystem::path& out) {
        const glocal::Scenario s = glocal::scenario_of(scenario, assignments, seed, replicates, design_keys, design_rows);
        return glocal::run_to(s, out, threads, {"python", "glocal.run", scenario.string()});
      },
      py::arg("scenario"), py::arg("assignments"), py::arg("seed"), py::arg("replicates"), py::arg("threads"), py::arg("design_keys"),
      py::arg("design_rows"), py::arg("out"),
      "Runs a scenario's batch and writes its results folder to `out` (which must not exist). Returns the number of failed runs.");
  m.def("version", [] { return std::string(glocal::glocal_version()) + " (" + glocal::glocal_git_commit() + ")"; });
}
