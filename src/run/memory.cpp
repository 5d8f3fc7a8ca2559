#include "glocal/run/memory.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "glocal/run/simulation.hpp"

namespace glocal {

namespace {

/// What a recorded row costs while its run is in flight: the values, the vector that holds them
/// and the allocator's header.
constexpr double kRowOverhead = 48.0;
/// Bytes per directed link while a small-world or random network is built (its edge list and
/// the hash set that keeps edges unique), measured (tests/unit/run/memory_test.cpp).
constexpr double kRandomBuildPerLink = 32.0;
/// The batch's fixed cost: the program, its libraries, the journal and table writers.
constexpr std::uint64_t kFixedBytes = 32'000'000;

/// Directed links per agent of one locality's network (the CSR holds 4 bytes per link).
double links_per_agent(const NetworkSpec& network, AgentIndex size) {
  switch (network.kind) {
    case NetworkSpec::Kind::lattice:
      return static_cast<double>(neighborhood_offsets(network.lattice.neighborhood, network.lattice.radius).size());
    case NetworkSpec::Kind::ring:
    case NetworkSpec::Kind::small_world: return static_cast<double>(network.degree);
    case NetworkSpec::Kind::random: return network.mean_degree;
    case NetworkSpec::Kind::complete: break;
  }
  return static_cast<double>(size) - 1.0;  // complete
}

struct PointMemory {
  std::uint64_t agents = 0;
  double world = 0;
  double processes = 0;
  std::uint64_t run_bytes = 0;
};

PointMemory point_memory(const Scenario& scenario) {
  PointMemory m;
  const WorldSpec world = world_spec(scenario);
  const WorldLayout& layout = world.layout;
  double links = 0;
  AgentIndex first_size = 0;
  bool uniform = true;
  std::uint64_t localities = 0;
  for (const auto& nation : layout.nations) {
    for (const AgentIndex size : nation.localities) {
      if (localities++ == 0) first_size = size;
      uniform = uniform && size == first_size;
      m.agents += size;
      links += links_per_agent(world.network, size) * static_cast<double>(size);
    }
  }
  if (m.agents == 0) return m;
  const double agents = static_cast<double>(m.agents);
  // The network's offsets and neighbours; each agent's locality when localities differ in size.
  m.world = 4.0 + 4.0 * links / agents + (uniform ? 0.0 : 4.0);
  for (const auto& name : scenario.processes()) {
    const ProcessInfo* info = scenario.schema().process(name);
    if (info != nullptr && info->bytes_per_agent) m.processes += info->bytes_per_agent(scenario, links / agents);
  }
  // The rows a run records before it finishes.
  const double ticks = static_cast<double>(scenario.integer("run.ticks"));
  const double rows = std::floor(ticks / static_cast<double>(scenario.integer("run.record_every"))) + 2.0;
  double row_bytes = kRowOverhead + 8.0 * static_cast<double>(metric_columns(scenario).size());
  const std::string& finest = scenario.text("run.record_places");
  if (finest != "none") {
    const Places places(layout);
    double place_count = 0;
    for (auto scale = static_cast<std::size_t>(scale_from_name(finest)); scale < kScaleCount; ++scale) {
      place_count += places.count(static_cast<Scale>(scale));
    }
    row_bytes += place_count * (kRowOverhead + 8.0 * static_cast<double>(place_metric_columns(scenario).size()));
  }
  // Random networks are built from an edge list and a hash set of the edges, which outweigh the
  // finished network while it is built (before any process holds memory).
  const std::string& kind = scenario.text("world.network.kind");
  const double build = kind == "small-world" || kind == "random" ? m.world + kRandomBuildPerLink * links / agents : 0.0;
  m.run_bytes = static_cast<std::uint64_t>(std::max(build, m.world + m.processes) * agents + rows * row_bytes);
  return m;
}

std::uint64_t read_number(const char* path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text == "max") return 0;
  try {
    return std::stoull(text);
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace

MemoryEstimate estimate_memory(const Scenario& scenario, unsigned threads) {
  MemoryEstimate estimate;
  const std::size_t points = scenario.point_count();
  const bool one_point = points == 1 && scenario.point_table().rows.empty();
  for (std::size_t p = 0; p < points; ++p) {
    const PointMemory m = point_memory(one_point ? scenario : scenario.point(p));
    if (m.run_bytes < estimate.run_bytes) continue;
    estimate.agents = m.agents;
    estimate.world_bytes_per_agent = m.world;
    estimate.process_bytes_per_agent = m.processes;
    estimate.run_bytes = m.run_bytes;
  }
  const std::uint64_t runs = points * static_cast<std::uint64_t>(scenario.integer("run.replicates"));
  estimate.runs_at_once = std::max<std::uint64_t>(1, std::min<std::uint64_t>(threads, runs));
  estimate.total_bytes = estimate.runs_at_once * estimate.run_bytes + kFixedBytes;
  return estimate;
}

std::uint64_t usable_memory_bytes() noexcept {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page = ::sysconf(_SC_PAGE_SIZE);
  std::uint64_t bytes = pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) : 0;
  const std::uint64_t limit = read_number("/sys/fs/cgroup/memory.max");  // cgroup v2: a container or a job
  if (limit > 0 && (bytes == 0 || limit < bytes)) bytes = limit;
  return bytes;
}

std::string describe(const MemoryEstimate& estimate) {
  return fmt::format("about {} ({} run{} at once x {}: {} agents at {:.0f} bytes, and the recorded rows)",
                     format_bytes(estimate.total_bytes), estimate.runs_at_once, estimate.runs_at_once == 1 ? "" : "s",
                     format_bytes(estimate.run_bytes), estimate.agents, estimate.world_bytes_per_agent + estimate.process_bytes_per_agent);
}

void require_memory(const Scenario& scenario, unsigned threads) {
  const std::uint64_t usable = usable_memory_bytes();
  if (usable == 0) return;
  const MemoryEstimate estimate = estimate_memory(scenario, threads);
  if (estimate.total_bytes <= usable) return;
  std::string advice;
  const std::uint64_t fit = estimate.run_bytes == 0 ? 0 : (usable - std::min(usable, kFixedBytes)) / estimate.run_bytes;
  if (fit >= 1) {
    advice = fmt::format("; with --threads {} it would fit", fit);
  } else {
    advice = "; one run alone does not fit: a smaller world (or fewer recorded ticks) is needed";
  }
  throw ScenarioError(
      SourceLocation{scenario.source_name(), 0, 0}, "",
      fmt::format("this batch would need {} of memory, and this machine has {}{}", describe(estimate), format_bytes(usable), advice));
}

std::string format_bytes(std::uint64_t bytes) {
  const double b = static_cast<double>(bytes);
  if (b >= 1e12) return fmt::format("{:.3g} TB", b / 1e12);
  if (b >= 1e9) return fmt::format("{:.3g} GB", b / 1e9);
  if (b >= 1e6) return fmt::format("{:.3g} MB", b / 1e6);
  return fmt::format("{:.3g} kB", b / 1e3);
}

}  // namespace glocal
