// The explicit list of built-in processes, in the order they run within a tick.
#include "glocal/model/process.hpp"
#include "processes/culture/culture.hpp"
#include "processes/demography/demography.hpp"
#include "processes/ecology/ecology.hpp"
#include "processes/economy/economy.hpp"
#include "processes/governance/governance.hpp"
#include "processes/movements/movements.hpp"

namespace glocal {

const std::vector<ProcessInfo>& process_registry() {
  static const std::vector<ProcessInfo> registry = {
      demography::process_info(),  // first: its births and deaths start each tick, before anything else runs
      culture::process_info(),    economy::process_info(), governance::process_info(), ecology::process_info(), movements::process_info(),
  };
  return registry;
}

const ProcessInfo* find_process(std::string_view name) {
  for (const auto& process : process_registry()) {
    if (process.name == name) return &process;
  }
  return nullptr;
}

}  // namespace glocal
