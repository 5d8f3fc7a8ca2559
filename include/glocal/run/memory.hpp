#pragma once
// How much memory a batch will need, estimated before it starts, so that a scenario that cannot
// fit is refused with the estimate instead of failing (or swapping) hours in.
//
// A run holds its world (the places, and the network's CSR arrays: 4 bytes per agent and per
// directed link), each enabled process's columns (ProcessInfo::bytes_per_agent, which counts
// the per-agent arrays the process allocates and the scratch its metrics use), and the rows it
// records until it finishes (model rows, and places rows with run.record_places). A batch holds
// as many runs at once as it has threads (never more than it has runs). Per-place and per-nation
// arrays are left out: they are small beside per-agent ones in every world that could not fit.
// The estimate is checked against measured allocations in tests/unit/run/memory_test.cpp.
#include <cstdint>
#include <string>

#include "glocal/core/error.hpp"
#include "glocal/model/scenario.hpp"

namespace glocal {

struct MemoryEstimate {
  std::uint64_t agents = 0;          ///< of the largest point
  double world_bytes_per_agent = 0;  ///< places and network
  double process_bytes_per_agent = 0;
  std::uint64_t run_bytes = 0;  ///< one run: state and recorded rows (the largest point)
  std::uint64_t runs_at_once = 0;
  std::uint64_t total_bytes = 0;  ///< runs_at_once x run_bytes + the batch's fixed cost
};

/// The estimate for a batch of the scenario (every point; the largest counts) on `threads`.
[[nodiscard]] MemoryEstimate estimate_memory(const Scenario& scenario, unsigned threads);

/// The memory this process may use: the machine's physical memory, or a smaller cgroup limit
/// (a container, a Slurm job). 0 when unknown.
[[nodiscard]] std::uint64_t usable_memory_bytes() noexcept;

/// One line for people: "about 1.2 GB (2 runs at once x 600 MB: 10004569 agents at 58 bytes, ...)".
[[nodiscard]] std::string describe(const MemoryEstimate& estimate);

/// Throws ScenarioError (at the scenario's file) when the batch on `threads` would need more
/// than usable_memory_bytes(), with the estimate, the machine's memory and what to change.
void require_memory(const Scenario& scenario, unsigned threads);

/// "1.2 GB" style (powers of 1000, 2 significant digits at least).
[[nodiscard]] std::string format_bytes(std::uint64_t bytes);

}  // namespace glocal
