#pragma once
// A run started from the dashboard (`glocal serve`): the replicates of one scenario, run on their own
// threads, watched as they go. Every record of every replicate becomes an event (JSON text) in an
// append-only log that any number of browser streams read from their own position, so a client that
// joins late or reconnects sees the whole run, and one that disconnects changes nothing. The run
// can be paused (between ticks), resumed and stopped; when it ends its results folder is written as
// `glocal run` writes it (atomically), whether or not anyone is watching.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "glocal/model/scenario.hpp"
#include "glocal/run/simulation.hpp"

namespace glocal::cli::serve {

class LiveRun {
 public:
  enum class State { running, paused, done, stopped, failed };

  /// `out`: the results folder to write when the run ends (it must not exist). `threads`: the
  /// most replicates run at once. Starts nothing until start().
  LiveRun(std::uint64_t id, std::string scenario_name, Scenario scenario, std::filesystem::path out, unsigned threads,
          std::vector<std::string> command_line);
  /// Stops the run (if running) and waits for its threads.
  ~LiveRun();
  LiveRun(const LiveRun&) = delete;
  LiveRun& operator=(const LiveRun&) = delete;

  void start();
  /// Pause takes effect before the replicates' next ticks; stop cancels them (nothing is written).
  /// Each returns false when the run has already ended.
  bool pause();
  bool resume();
  bool stop();

  struct Events {
    std::vector<std::string> events;  ///< JSON texts, from the position asked for on
    bool ended = false;               ///< the run has ended and these are the log's last events
  };
  /// The events from position `from` on, waiting up to `timeout` for one when there is none yet.
  [[nodiscard]] Events events_since(std::size_t from, std::chrono::milliseconds timeout) const;
  /// {"id", "scenario", "state", "replicates", "ticks", "ticks_done", "out", "error"}.
  [[nodiscard]] nlohmann::ordered_json status() const;
  [[nodiscard]] std::uint64_t id() const noexcept { return id_; }
  [[nodiscard]] bool ended() const;

 private:
  void work();
  void publish(const nlohmann::ordered_json& event);
  /// A "lattice" event: the cultures of the first locality, numbered by size.
  void publish_lattice(const Simulation& simulation, bool calendar, std::int64_t start_year);
  static constexpr std::int64_t kMaxLatticeSide = 200;
  /// The last event, and the run's final state (`error`: why it failed).
  void finish(State state, const nlohmann::ordered_json& event, std::string error = {});

  std::uint64_t id_;
  std::string scenario_name_;
  Scenario scenario_;
  std::filesystem::path out_;
  unsigned threads_;
  std::vector<std::string> command_line_;

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;  ///< a new event, or a change of state
  std::vector<std::string> events_;
  State state_ = State::running;
  std::string error_;
  std::atomic<bool> cancel_{false};
  std::atomic<std::uint64_t> ticks_done_{0};
  std::jthread thread_;
};

[[nodiscard]] const char* to_string(LiveRun::State state) noexcept;

}  // namespace glocal::cli::serve
