#include "live_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>

#include "glocal/io/output.hpp"
#include "glocal/run/simulation.hpp"

namespace glocal::cli::serve {

const char* to_string(LiveRun::State state) noexcept {
  switch (state) {
    case LiveRun::State::running: return "running";
    case LiveRun::State::paused: return "paused";
    case LiveRun::State::done: return "done";
    case LiveRun::State::stopped: return "stopped";
    case LiveRun::State::failed: return "failed";
  }
  return "?";
}

namespace {

bool is_final(LiveRun::State state) noexcept {
  return state == LiveRun::State::done || state == LiveRun::State::stopped || state == LiveRun::State::failed;
}

nlohmann::ordered_json names_of(const std::vector<MetricSpec>& specs) {
  nlohmann::ordered_json names = nlohmann::ordered_json::array();
  for (const auto& spec : specs) names.push_back(spec.name);
  return names;
}

}  // namespace

LiveRun::LiveRun(std::uint64_t id, std::string scenario_name, Scenario scenario, std::filesystem::path out, unsigned threads,
                 std::vector<std::string> command_line)
    : id_(id),
      scenario_name_(std::move(scenario_name)),
      scenario_(std::move(scenario)),
      out_(std::move(out)),
      threads_(std::max(threads, 1U)),
      command_line_(std::move(command_line)) {}

LiveRun::~LiveRun() {
  (void)stop();
  if (thread_.joinable()) thread_.join();
}

void LiveRun::start() {
  thread_ = std::jthread([this] { work(); });
}

bool LiveRun::pause() {
  const std::lock_guard lock(mutex_);
  if (is_final(state_)) return false;
  state_ = State::paused;
  changed_.notify_all();
  return true;
}

bool LiveRun::resume() {
  const std::lock_guard lock(mutex_);
  if (is_final(state_)) return false;
  state_ = State::running;
  changed_.notify_all();
  return true;
}

bool LiveRun::stop() {
  const std::lock_guard lock(mutex_);
  if (is_final(state_)) return false;
  cancel_.store(true);
  changed_.notify_all();  // a paused replicate wakes and sees the cancel
  return true;
}

bool LiveRun::ended() const {
  const std::lock_guard lock(mutex_);
  return is_final(state_);
}

LiveRun::Events LiveRun::events_since(std::size_t from, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return events_.size() > from || is_final(state_); });
  Events out;
  for (std::size_t k = from; k < events_.size(); ++k) out.events.push_back(events_[k]);
  out.ended = is_final(state_);
  return out;
}

nlohmann::ordered_json LiveRun::status() const {
  const std::lock_guard lock(mutex_);
  return {{"id", id_},
          {"scenario", scenario_name_},
          {"state", to_string(state_)},
          {"replicates", scenario_.integer("run.replicates")},
          {"ticks", scenario_.integer("run.ticks")},
          {"ticks_done", ticks_done_.load()},
          {"out", out_.string()},
          {"overrides", scenario_.overrides()},
          {"error", error_}};
}

void LiveRun::publish(const nlohmann::ordered_json& event) {
  std::string text = event.dump();  // NaN and infinities become null
  const std::lock_guard lock(mutex_);
  events_.push_back(std::move(text));
  changed_.notify_all();
}

void LiveRun::finish(State state, const nlohmann::ordered_json& event, std::string error) {
  std::string text = event.dump();
  const std::lock_guard lock(mutex_);
  events_.push_back(std::move(text));
  state_ = state;
  error_ = std::move(error);
  changed_.notify_all();
}

void LiveRun::publish_lattice(const Simulation& simulation, bool calendar, std::int64_t start_year) {
  const Process* culture = simulation.process("culture");
  if (culture == nullptr) return;
  const AgentRange place = simulation.places().place(Scale::locality, 0);
  std::vector<std::uint64_t> labels(place.size);
  if (!culture->agent_states(place, labels)) return;
  // Cultures numbered by size, the largest 0 (ties by label: the same numbering every time).
  std::unordered_map<std::uint64_t, std::uint32_t> sizes;
  for (const std::uint64_t label : labels) ++sizes[label];
  std::vector<std::pair<std::uint64_t, std::uint32_t>> ranked(sizes.begin(), sizes.end());
  std::sort(ranked.begin(), ranked.end(),
            [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  std::unordered_map<std::uint64_t, std::uint32_t> id;
  for (std::size_t k = 0; k < ranked.size(); ++k) id[ranked[k].first] = static_cast<std::uint32_t>(k);
  std::vector<std::uint32_t> cells(labels.size());
  for (std::size_t k = 0; k < labels.size(); ++k) cells[k] = id[labels[k]];
  const auto side = static_cast<std::uint64_t>(std::llround(std::sqrt(static_cast<double>(place.size))));
  if (side * side != place.size) return;  // a described locality that is not a square
  const std::uint64_t tick = simulation.tick();
  publish({{"type", "lattice"},
           {"replicate", 0},
           {"tick", tick},
           {"year", calendar ? nlohmann::ordered_json(start_year + static_cast<std::int64_t>(tick)) : nlohmann::ordered_json()},
           {"locality", simulation.places().name(Scale::locality, 0)},
           {"side", side},
           {"cultures", ranked.size()},
           {"cells", cells}});
}

void LiveRun::work() {
  const auto replicates = static_cast<std::uint64_t>(scenario_.integer("run.replicates"));
  const bool calendar = scenario_.has_calendar();
  const std::int64_t start_year = calendar ? scenario_.integer("run.start_year") : 0;
  std::vector<std::string> nations;
  try {
    for (const auto& nation : world_spec(scenario_).layout.nations) nations.push_back(nation.name);
    publish({{"type", "start"},
             {"id", id_},
             {"scenario", scenario_name_},
             {"replicates", replicates},
             {"ticks", scenario_.integer("run.ticks")},
             {"start_year", calendar ? nlohmann::ordered_json(start_year) : nlohmann::ordered_json()},
             {"metrics", names_of(metric_columns(scenario_))},
             {"place_metrics", names_of(place_metric_columns(scenario_))},
             {"nations", nations},
             {"out", out_.string()}});
  } catch (const std::exception& error) {
    finish(State::failed, {{"type", "end"}, {"state", "failed"}, {"error", error.what()}}, error.what());
    return;
  }

  // The lattice view: the first locality's cultures in replicate 0, when they are a lattice small
  // enough to send at every record.
  const bool lattice = scenario_.enables("culture") && scenario_.text("world.network.kind") == "lattice" &&
                       scenario_.integer("world.lattice.side") <= kMaxLatticeSide;
  Invocation invocation;
  invocation.command_line = command_line_;
  invocation.started_at = utc_now_iso8601();
  const auto started = std::chrono::steady_clock::now();
  std::vector<RunResult> results(replicates);
  std::atomic<std::uint64_t> next{0};
  const auto replicate_worker = [&] {
    for (std::uint64_t r = next.fetch_add(1); r < replicates && !cancel_.load(); r = next.fetch_add(1)) {
      RunObserver observer;
      observer.cancel = &cancel_;
      observer.ticks_done = &ticks_done_;
      observer.before_tick = [this] {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return state_ != State::paused || cancel_.load(); });
      };
      observer.on_record = [&, r](const RunResult& so_far, const Simulation& simulation) {
        if (r == 0 && lattice) publish_lattice(simulation, calendar, start_year);
        const TickRecord& record = so_far.series.back();
        // The nations' values at this record: the tail of the places recorded at this tick.
        nlohmann::ordered_json by_nation = nlohmann::ordered_json::array();
        auto first = so_far.places.end();
        while (first != so_far.places.begin() && std::prev(first)->tick == record.tick) --first;
        for (auto it = first; it != so_far.places.end(); ++it) {
          if (it->scale == Scale::nation) by_nation.push_back(it->metrics);
        }
        publish(
            {{"type", "record"},
             {"replicate", r},
             {"tick", record.tick},
             {"year", calendar ? nlohmann::ordered_json(start_year + static_cast<std::int64_t>(record.tick)) : nlohmann::ordered_json()},
             {"metrics", record.metrics},
             {"nations", by_nation}});
      };
      RunResult result = run_once(scenario_, r, observer);
      result.run_id = r;
      result.point = 0;
      result.replicate = r;
      publish({{"type", "replicate"}, {"replicate", r}, {"status", glocal::to_string(result.status)}, {"error", result.error}});
      results[r] = std::move(result);
    }
  };
  {
    std::vector<std::jthread> pool;
    const auto count = static_cast<unsigned>(std::min<std::uint64_t>(threads_, replicates));
    for (unsigned t = 1; t < count; ++t) pool.emplace_back(replicate_worker);
    replicate_worker();
  }
  if (cancel_.load()) {
    finish(State::stopped, {{"type", "end"}, {"state", "stopped"}, {"out", nullptr}});
    return;
  }
  try {
    invocation.finished_at = utc_now_iso8601();
    invocation.threads = threads_;
    invocation.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    AtomicDirectory folder(out_);
    write_results(folder.staging(), scenario_, results, invocation);
    folder.commit();
    const auto failed = std::count_if(results.begin(), results.end(), [](const RunResult& run) { return run.status == RunStatus::failed; });
    finish(State::done, {{"type", "end"}, {"state", "done"}, {"out", out_.string()}, {"failed", failed}});
  } catch (const std::exception& error) {
    finish(State::failed, {{"type", "end"}, {"state", "failed"}, {"error", error.what()}}, error.what());
  }
}

}  // namespace glocal::cli::serve
