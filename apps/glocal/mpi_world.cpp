#include "mpi_world.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <limits>
#include <stdexcept>
#include <thread>

#include "glocal/io/journal.hpp"

#ifdef GLOCAL_MPI
#include <mpi.h>
#endif

namespace glocal::cli {

namespace {
#ifdef GLOCAL_MPI
constexpr int kRunTag = 1;
constexpr int kDoneTag = 2;

void check(int status, const char* what) {
  if (status != MPI_SUCCESS) throw std::runtime_error(std::string("MPI: ") + what + " failed");
}
#endif

bool launched_by_mpi() noexcept {
  return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMI_SIZE") != nullptr || std::getenv("PMIX_RANK") != nullptr;
}
}  // namespace

bool mpi_built() noexcept {
#ifdef GLOCAL_MPI
  return true;
#else
  return false;
#endif
}

MpiWorld& MpiWorld::get() {
  static MpiWorld world;
  return world;
}

MpiWorld::MpiWorld() {
#ifdef GLOCAL_MPI
  if (!launched_by_mpi()) return;
  int provided = 0;
  // Worker threads send (one at a time, under the batch's sink lock), so SERIALIZED is enough.
  check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided), "MPI_Init_thread");
  initialised_ = true;
  if (provided < MPI_THREAD_SERIALIZED) {
    MPI_Finalize();
    initialised_ = false;
    throw std::runtime_error("MPI: this MPI library cannot be called from several threads (MPI_THREAD_SERIALIZED)");
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
#else
  if (launched_by_mpi()) {
    // Every rank would run the whole batch into the same folder: refuse instead.
    const char* size = std::getenv("OMPI_COMM_WORLD_SIZE");
    if (size != nullptr && std::string(size) != "1") {
      throw std::runtime_error("this glocal was built without MPI (install libopenmpi-dev and rebuild): run it without mpirun");
    }
  }
#endif
}

MpiWorld::~MpiWorld() {
#ifdef GLOCAL_MPI
  if (initialised_) MPI_Finalize();
#endif
}

bool MpiWorld::broadcast(std::vector<std::uint64_t>& ids, bool proceed) const {
#ifdef GLOCAL_MPI
  if (!many()) return proceed;
  std::uint64_t header[2] = {proceed ? 1u : 0u, ids.size()};
  check(MPI_Bcast(header, 2, MPI_UINT64_T, 0, MPI_COMM_WORLD), "MPI_Bcast");
  if (header[0] == 0) return false;
  const std::uint64_t count = header[1];
  if (rank_ != 0) ids.assign(count, 0);
  constexpr std::uint64_t kPiece = std::uint64_t{1} << 26;  // MPI counts are ints
  for (std::uint64_t at = 0; at < count; at += kPiece) {
    const auto piece = static_cast<int>(std::min(count - at, kPiece));
    check(MPI_Bcast(ids.data() + at, piece, MPI_UINT64_T, 0, MPI_COMM_WORLD), "MPI_Bcast");
  }
  return true;
#else
  (void)ids;
  return proceed;
#endif
}

void MpiWorld::send_run(const std::string& record) const {
#ifdef GLOCAL_MPI
  if (record.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw std::runtime_error("MPI: a run's record is over 2 GB");
  check(MPI_Send(record.data(), static_cast<int>(record.size()), MPI_BYTE, 0, kRunTag, MPI_COMM_WORLD), "MPI_Send");
#else
  (void)record;
#endif
}

void MpiWorld::send_done(bool interrupted) const {
#ifdef GLOCAL_MPI
  const char flag = interrupted ? 1 : 0;
  check(MPI_Send(&flag, 1, MPI_BYTE, 0, kDoneTag, MPI_COMM_WORLD), "MPI_Send");
#else
  (void)interrupted;
#endif
}

bool MpiWorld::receive_all(const std::function<void(const std::string&)>& on_run) const {
  bool interrupted = false;
#ifdef GLOCAL_MPI
  // Each rank's messages arrive in order: its runs, then its "done". A rank that is done may
  // already be sending for the next batch, so once it is done its messages are left queued: the
  // probe looks only at ranks still running. MPI_Probe would spin (OpenMPI polls) and take a
  // core from this rank's own runs, so MPI_Iprobe with a short sleep when nothing has come.
  std::vector<bool> done(static_cast<std::size_t>(size_), false);
  done[0] = true;
  std::string buffer;
  for (int running = size_ - 1; running > 0;) {
    bool any = false;
    for (int source = 1; source < size_; ++source) {
      if (done[static_cast<std::size_t>(source)]) continue;
      MPI_Status status;
      int arrived = 0;
      check(MPI_Iprobe(source, MPI_ANY_TAG, MPI_COMM_WORLD, &arrived, &status), "MPI_Iprobe");
      if (arrived == 0) continue;
      any = true;
      int bytes = 0;
      MPI_Get_count(&status, MPI_BYTE, &bytes);
      buffer.resize(static_cast<std::size_t>(bytes));
      check(MPI_Recv(buffer.data(), bytes, MPI_BYTE, source, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "MPI_Recv");
      if (status.MPI_TAG == kDoneTag) {
        done[static_cast<std::size_t>(source)] = true;
        --running;
        interrupted = interrupted || (bytes > 0 && buffer[0] != 0);
      } else {
        on_run(buffer);
      }
    }
    if (!any) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
#else
  (void)on_run;
#endif
  return interrupted;
}

std::vector<RunResult> run_batch_across(const MpiWorld& world, const Scenario& scenario, BatchOptions options) {
  if (!world.many()) return run_batch(scenario, 0, options);
  const std::uint64_t total = static_cast<std::uint64_t>(scenario.integer("run.replicates")) * scenario.point_count();
  std::vector<std::uint64_t> mine;
  for (std::uint64_t id = static_cast<std::uint64_t>(world.rank()); id < total; id += static_cast<std::uint64_t>(world.size()))
    mine.push_back(id);
  options.only = &mine;
  if (world.rank() != 0) {
    options.on_result = [&](RunResult&& run) { world.send_run(encode_run(run)); };
    (void)run_batch(scenario, 0, options);
    world.send_done(false);
    return {};
  }
  std::vector<RunResult> all(total);
  std::exception_ptr receive_error;
  std::thread receiver([&] {
    try {
      (void)world.receive_all([&](const std::string& record) {
        RunResult run = decode_run(record);
        const std::uint64_t id = run.run_id;
        all.at(id) = std::move(run);  // each id once, and none of rank 0's: no lock needed
      });
    } catch (...) {
      receive_error = std::current_exception();
    }
  });
  std::vector<RunResult> own;
  try {
    own = run_batch(scenario, 0, options);
  } catch (...) {
    world.abort(4);  // the others would wait for rank 0
  }
  receiver.join();
  if (receive_error) std::rethrow_exception(receive_error);
  for (auto& run : own) all.at(run.run_id) = std::move(run);
  return all;
}

void MpiWorld::abort(int status) const {
#ifdef GLOCAL_MPI
  if (initialised_) MPI_Abort(MPI_COMM_WORLD, status);
#endif
  std::exit(status);
}

}  // namespace glocal::cli
