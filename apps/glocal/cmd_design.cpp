// glocal design {lhs,sobol,morris} --params PARAMS -n N --out design.csv: a sampled design, one
// point per row, for glocal run --design; SALib's forms in and out (--salib-matrix, --from-salib).
#include <fmt/format.h>

#include "commands.hpp"
#include "glocal/core/error.hpp"
#include "glocal/run/design.hpp"

namespace glocal::cli {

namespace {

struct DesignRequest {
  std::string method;
  std::string params;
  std::uint64_t n = 0;
  std::uint64_t seed = 1;
  unsigned levels = 4;
  bool second_order = false;
  std::string out;
  std::string salib_matrix;
  std::string salib_params;
  std::string from_salib;
};

int design_command(const DesignRequest& r) {
  DesignSpec spec;
  spec.method = r.method == "sobol" ? DesignMethod::sobol : r.method == "morris" ? DesignMethod::morris : DesignMethod::lhs;
  spec.n = r.n;
  spec.seed = r.seed;
  spec.levels = r.levels;
  spec.second_order = r.second_order;
  const auto parameters = read_design_parameters(r.params);
  Design design;
  if (!r.from_salib.empty()) {
    design = read_salib_matrix(r.from_salib, parameters, spec);
  } else {
    if (r.n == 0)
      throw ScenarioError(SourceLocation{"command line", 0, 0}, "-n",
                          "give the design's size: -n N (lhs: points; sobol: base samples; morris: trajectories)");
    try {
      design = make_design(parameters, spec);
    } catch (const std::invalid_argument& error) {
      throw ScenarioError(SourceLocation{"command line", 0, 0}, r.method, error.what());
    }
  }
  write_design_csv(r.out, design);
  if (!r.salib_matrix.empty()) write_salib_matrix(r.salib_matrix, design);
  if (!r.salib_params.empty()) write_salib_parameters(r.salib_params, parameters);
  fmt::print("{}: {} design, {} points over {} parameters{}\nrun it with: glocal run SCENARIO --design {}\n", r.out,
             to_string(design.spec.method), design.rows(), parameters.size(),
             design.spec.method == DesignMethod::sobol && (design.spec.n & (design.spec.n - 1)) != 0
                 ? " (n is not a power of 2: Sobol' points balance best at powers of 2)"
                 : "",
             r.out);
  return ok;
}

}  // namespace

void add_design(CLI::App& app, int& exit_status) {
  auto r = std::make_shared<DesignRequest>();
  auto* command = app.add_subcommand("design", "Sample a design over scenario keys (Latin hypercube, Sobol'/Saltelli, Morris)");
  command->add_option("method", r->method, "lhs, sobol or morris")->required()->check(CLI::IsMember({"lhs", "sobol", "morris"}));
  command
      ->add_option("--params,-p", r->params,
                   "Parameters: a TOML file of [[parameter]] tables (key, min, max, distribution) or SALib's text form "
                   "(name lower upper [group] [dist])")
      ->required();
  command->add_option("-n", r->n, "lhs: points; sobol: base samples N (N (D + 2) points); morris: trajectories r (r (D + 1) points)");
  command->add_option("--out,-o", r->out, "The design (CSV with a header of keys)")->required();
  command->add_option("--seed", r->seed, "Seed of the random choices (lhs, morris; the Sobol' points are fixed)");
  command->add_option("--levels", r->levels, "Morris: grid levels p (even, default 4)");
  command->add_flag("--second-order", r->second_order, "Sobol': SALib's layout with the BA rows (2D + 2 per base sample)");
  command->add_option("--salib-matrix", r->salib_matrix, "Also write SALib's sample matrix (numpy.savetxt form) here");
  command->add_option("--salib-params", r->salib_params, "Also write SALib's parameter file here");
  command->add_option("--from-salib", r->from_salib, "Read a SALib sample matrix (of this method's layout) instead of sampling");
  command->callback([r, &exit_status] { exit_status = exit_status_of([&] { return design_command(*r); }); });
}

}  // namespace glocal::cli
