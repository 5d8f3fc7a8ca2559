#pragma once
// Each nation's policy (MODEL.md 4.3): its redistribution rate chi_n, its tax on firms' positive
// profits tau_n and its regulation cost per job rho_n. One table per run, shared by the processes
// that set and read it, each of which declares its access (ProcessInfo::policy, PolicyAccess):
//
//   economy     provides it: builds it from economy.chi, economy.tax and economy.regulation (a
//               schedule of one of them resets that column for every nation), and reads it
//               (redistribution; the firms' taxes, the levy on capital and regulation's cost);
//   governance  writes it: sets every nation's row each tick (best response or imitation, floors,
//               a lender's cuts);
//   ecology     reads regulation (it protects the resource).
//
// A scenario may enable at most one process that writes it (checked when the scenario is read),
// so a new policy mechanism cannot silently overwrite another's.
#include <cstdint>
#include <memory>
#include <vector>

namespace glocal {

struct Policy {
  double chi = 0.0;         ///< national redistribution rate, per unit time
  double tax = 0.0;         ///< tax on firms' positive profits, a share
  double regulation = 0.0;  ///< regulation cost per job, in units of the nation's productivity
};

/// How a process uses the policy table (declared with its process: ProcessDefinition::policy).
enum class PolicyAccess : std::uint8_t {
  none,
  reads,     ///< reads rows
  provides,  ///< makes the table from its keys (and resets a column when a schedule moves one)
  writes,    ///< sets rows during the run; at most one such process per scenario
};

class PolicyTable {
 public:
  PolicyTable(std::uint32_t nations, const Policy& initial) : rows_(nations, initial) {}
  [[nodiscard]] std::uint32_t nations() const noexcept { return static_cast<std::uint32_t>(rows_.size()); }
  [[nodiscard]] const Policy& operator[](std::uint32_t nation) const noexcept { return rows_[nation]; }
  void set(std::uint32_t nation, const Policy& policy) noexcept { rows_[nation] = policy; }
  /// One column (&Policy::tax, ...) set to `value` for every nation.
  void fill(double Policy::*column, double value) noexcept {
    for (Policy& row : rows_) row.*column = value;
  }

 private:
  std::vector<Policy> rows_;
};

/// The table as the processes of a run share it.
using SharedPolicies = std::shared_ptr<PolicyTable>;

}  // namespace glocal
