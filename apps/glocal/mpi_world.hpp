#pragma once
// The ranks of `mpirun -n K glocal run ...`: rank 0 writes the results folder, every rank runs a
// share of the batch and sends its finished runs to rank 0 (no shared filesystem needed), so the
// folder is byte-identical to one process's. Without MPI in the build, or when glocal was not
// started by an MPI launcher, there is one rank and every call is a no-op.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "glocal/run/simulation.hpp"

namespace glocal::cli {

class MpiWorld {
 public:
  /// The process's world: MPI is initialised on first use when an MPI launcher started glocal
  /// (OMPI_COMM_WORLD_SIZE, PMI_SIZE or PMIX_RANK in the environment), and finalised at exit.
  static MpiWorld& get();
  [[nodiscard]] int rank() const noexcept { return rank_; }
  [[nodiscard]] int size() const noexcept { return size_; }
  [[nodiscard]] bool many() const noexcept { return size_ > 1; }

  /// Rank 0's ids, given to every rank (the others' vector is replaced), with rank 0's word on
  /// whether to go on (false: it could not start and said why). Returns that word. One rank: true.
  bool broadcast(std::vector<std::uint64_t>& ids, bool proceed = true) const;
  /// A rank other than 0: one finished run (its journal record) to rank 0.
  void send_run(const std::string& record) const;
  /// A rank other than 0: its share is over (`interrupted`: cancelled before its end).
  void send_done(bool interrupted) const;
  /// Rank 0: hands every record the other ranks send to `on_run` until each has said it is done.
  /// Returns whether any of them was interrupted.
  bool receive_all(const std::function<void(const std::string&)>& on_run) const;
  /// Ends every rank's process with this status (a rank that failed must not leave the others
  /// waiting). Never returns.
  [[noreturn]] void abort(int status) const;

  MpiWorld(const MpiWorld&) = delete;
  MpiWorld& operator=(const MpiWorld&) = delete;
  ~MpiWorld();

 private:
  MpiWorld();
  int rank_ = 0;
  int size_ = 1;
  bool initialised_ = false;
};

/// run_batch spread over the ranks, for commands that keep a batch in memory (glocal study).
/// Collective: every rank calls it with the same scenario. Rank 0 returns every run in id order
/// (as run_batch would); the others run every size-th run, send them to rank 0 and return none.
/// `options.only` and `options.on_result` are not supported.
[[nodiscard]] std::vector<RunResult> run_batch_across(const MpiWorld& world, const Scenario& scenario, BatchOptions options);

/// Whether this build can run under mpirun.
[[nodiscard]] bool mpi_built() noexcept;

}  // namespace glocal::cli
