// The explicit list of built-in processes, in the order they run within a tick, and the processes
// registered by a program that links glocal (register_process: they run after the built-ins).
#include <fmt/format.h>

#include <atomic>
#include <stdexcept>

#include "glocal/core/hash.hpp"
#include "glocal/model/process.hpp"
#include "glocal/process_api.hpp"
#include "processes/culture/culture.hpp"
#include "processes/demography/demography.hpp"
#include "processes/ecology/ecology.hpp"
#include "processes/economy/economy.hpp"
#include "processes/governance/governance.hpp"
#include "processes/movements/movements.hpp"

namespace glocal {

namespace {
struct Registry {
  std::vector<ProcessInfo> processes;
  std::atomic<bool> sealed{false};  ///< read by a scenario: no more registrations
};

Registry& registry() {
  static Registry registry{{
      demography::process_info(),  // first: its births and deaths start each tick, before anything else runs
      culture::process_info(),
      economy::process_info(),
      governance::process_info(),
      ecology::process_info(),
      movements::process_info(),
  }};
  return registry;
}
}  // namespace

const std::vector<ProcessInfo>& process_registry() {
  Registry& r = registry();
  r.sealed.store(true, std::memory_order_release);
  return r.processes;
}

const ProcessInfo* find_process(std::string_view name) {
  for (const auto& process : process_registry()) {
    if (process.name == name) return &process;
  }
  return nullptr;
}

void register_process(ProcessInfo info) {
  Registry& r = registry();
  const auto fail = [&](const std::string& why) { throw std::logic_error(fmt::format("register_process(\"{}\"): {}", info.name, why)); };
  if (info.name.empty() || info.name.find('.') != std::string::npos) fail("a process name is one word, the table that enables it");
  if (info.name == "run" || info.name == "world" || info.name == "scenario") fail("the name is an engine table");
  if (!info.create) fail("no create function");
  const std::string prefix = info.name + ".";
  for (const auto& other : r.processes) {
    if (other.name == info.name) fail("a process of this name is already registered");
    for (const auto& m : other.metrics) {
      for (const auto& mine : info.metrics) {
        if (m.name == mine.name) fail(fmt::format("metric '{}' is already declared by process '{}'", m.name, other.name));
      }
    }
  }
  for (const auto& p : info.parameters) {
    if (p.key.rfind(prefix, 0) != 0) fail(fmt::format("key '{}' does not start with '{}'", p.key, prefix));
  }
  if (r.sealed.load(std::memory_order_acquire)) fail("scenarios have already been read; register every process first, from main");
  r.processes.push_back(std::move(info));
}

Purpose named_stream(std::string_view process, std::string_view stream) {
  const std::string digest = sha256_hex(fmt::format("glocal stream\n{}\n{}", process, stream));
  const std::uint64_t bits = std::stoull(digest.substr(0, 16), nullptr, 16);
  return static_cast<Purpose>(bits | (std::uint64_t{1} << 63));
}

}  // namespace glocal
