#pragma once
// The summary `glocal run` and `glocal merge` print after writing a results folder.
#include <filesystem>

#include "glocal/io/output.hpp"

namespace glocal::cli {

/// One table of final metrics (one point: mean and sd per metric; a sweep: one line per point),
/// the failed runs' errors on stderr, and where the results and figures are.
void print_summary(const Scenario& scenario, const ResultsSummary& summary, const std::filesystem::path& out, double wall_seconds);

}  // namespace glocal::cli
