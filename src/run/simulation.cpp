#include "glocal/run/simulation.hpp"

#include <sched.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

namespace glocal {

namespace {
/// One list of metric declarations (ProcessInfo::metrics or ::place_metrics) over the enabled processes.
std::vector<MetricSpec> columns_of(const Scenario& scenario, std::vector<MetricSpec> ProcessInfo::*list) {
  std::vector<MetricSpec> columns;
  for (const auto& name : scenario.processes()) {
    const auto& metrics = scenario.schema().process(name)->*list;
    columns.insert(columns.end(), metrics.begin(), metrics.end());
  }
  return columns;
}
}  // namespace

unsigned available_threads() noexcept {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return static_cast<unsigned>(CPU_COUNT(&set));
  return std::max(1U, std::thread::hardware_concurrency());
}

std::uint64_t stream_key(const Scenario& scenario) { return scenario.text("run.streams") == "shared" ? 0 : scenario.point_key(); }

std::vector<MetricSpec> metric_columns(const Scenario& scenario) { return columns_of(scenario, &ProcessInfo::metrics); }

std::vector<MetricSpec> place_metric_columns(const Scenario& scenario) { return columns_of(scenario, &ProcessInfo::place_metrics); }

Simulation::Simulation(const Scenario& scenario, std::uint64_t replicate)
    : scenario_(&scenario),
      rng_(static_cast<std::uint64_t>(scenario.integer("run.seed")), run_stream(stream_key(scenario), replicate)),
      world_(world_spec(scenario)),
      places_(world_.places()),
      network_(world_.network_of(places_, rng_)) {
  const auto find = [this](std::string_view name) -> Process* {
    const auto& names = scenario_->processes();
    for (std::size_t k = 0; k < processes_.size(); ++k) {
      if (names[k] == name) return processes_[k].get();
    }
    return nullptr;
  };
  const BuildContext context{scenario, places_, network_, rng_, find};
  for (const auto& name : scenario.processes()) {
    const ProcessInfo* info = scenario.schema().process(name);
    processes_.push_back(info->create(context));
    metric_offsets_.push_back(metric_count_);
    metric_count_ += info->metrics.size();
    place_metric_offsets_.push_back(place_metric_count_);
    place_metric_count_ += info->place_metrics.size();
  }
  for (auto& process : processes_) {
    process->connect(find);
    if (auto* population = dynamic_cast<PopulationChange*>(process.get())) population_ = population;
  }
  // Scheduled keys, resolved to their process once (the owner is the process of the key's table).
  for (const auto& schedule : scenario.schedules()) {
    const std::string table = schedule.key.substr(0, schedule.key.find('.'));
    const auto& names = scenario.processes();
    const auto it = std::find(names.begin(), names.end(), table);
    GLOCAL_ASSERT(it != names.end(), "a scheduled key belongs to an enabled process");
    scheduled_.push_back({&schedule, processes_[static_cast<std::size_t>(it - names.begin())].get(), scenario.real(schedule.key)});
  }
}

Simulation::~Simulation() = default;

void Simulation::step(const std::atomic<bool>* cancel) {
  ++tick_;
  const double time = scenario_->time_of_tick(tick_);
  for (auto& key : scheduled_) {
    const double value = key.schedule->value_at(time);
    if (value == key.value) continue;
    key.value = value;
    key.owner->set_parameter(key.schedule->key, value);
  }
  const TickContext context{tick_, rng_, cancel};
  if (population_ != nullptr) {
    if (const std::optional<Renewal> renewal = population_->plan(tick_, places_, rng_)) renew(*renewal, context);
  }
  for (auto& process : processes_) process->step(context);
}

void Simulation::renew(const Renewal& renewal, const TickContext& context) {
  std::size_t locality = 0;
  for (auto& nation : world_.layout.nations) {
    for (auto& size : nation.localities) {
      size = renewal.locality_first[locality + 1] - renewal.locality_first[locality];
      ++locality;
    }
  }
  places_ = world_.places();
  if (world_.network.kind == NetworkSpec::Kind::random) {
    const Network before = std::move(network_);
    network_ = renew_random_network(before, renewal, world_.network.mean_degree, rng_);
    const TickContext renewing{context.tick, context.rng, context.cancel, &before};  // the survivors' ties are kept
    for (auto& process : processes_) process->renew(renewal, renewing);
    return;
  }
  network_ = world_.network_of(places_, rng_);  // complete: determined by the sizes
  for (auto& process : processes_) process->renew(renewal, context);
}

std::size_t metric_index(const Scenario& scenario, std::string_view name) {
  const auto columns = metric_columns(scenario);
  for (std::size_t k = 0; k < columns.size(); ++k) {
    if (columns[k].name == name) return k;
  }
  throw std::out_of_range("no metric named '" + std::string(name) + "' in this scenario");
}

std::size_t Simulation::metric_index(std::string_view name) const { return glocal::metric_index(*scenario_, name); }

const Process* Simulation::process(std::string_view name) const noexcept {
  const auto& names = scenario_->processes();
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (names[k] == name) return processes_[k].get();
  }
  return nullptr;
}

bool Simulation::absorbed() const {
  return std::all_of(processes_.begin(), processes_.end(), [](const auto& p) { return p->absorbed(); });
}

std::vector<double> Simulation::measure() const {
  std::vector<double> out(metric_count_);
  for (std::size_t k = 0; k < processes_.size(); ++k) {
    const std::size_t count = (k + 1 < processes_.size() ? metric_offsets_[k + 1] : metric_count_) - metric_offsets_[k];
    processes_[k]->measure(std::span<double>(out.data() + metric_offsets_[k], count));
  }
  return out;
}

std::vector<double> Simulation::measure_place(Scale scale, std::uint32_t place) const {
  std::vector<double> out(place_metric_count_);
  const AgentRange range = places_.place(scale, place);
  for (std::size_t k = 0; k < processes_.size(); ++k) {
    const std::size_t end = k + 1 < processes_.size() ? place_metric_offsets_[k + 1] : place_metric_count_;
    processes_[k]->measure_place(range, std::span<double>(out.data() + place_metric_offsets_[k], end - place_metric_offsets_[k]));
  }
  return out;
}

const char* to_string(RunStatus status) noexcept {
  switch (status) {
    case RunStatus::ok: return "ok";
    case RunStatus::failed: return "failed";
    case RunStatus::cancelled: return "cancelled";
  }
  return "?";
}

RunResult run_once(const Scenario& scenario, std::uint64_t replicate, const std::atomic<bool>* cancel,
                   std::atomic<std::uint64_t>* ticks_done) {
  RunObserver observer;
  observer.cancel = cancel;
  observer.ticks_done = ticks_done;
  return run_once(scenario, replicate, observer);
}

RunResult run_once(const Scenario& scenario, std::uint64_t replicate, const RunObserver& observer) {
  const std::atomic<bool>* cancel = observer.cancel;
  std::atomic<std::uint64_t>* ticks_done = observer.ticks_done;
  RunResult result;
  result.run_id = replicate;
  result.replicate = replicate;
  const auto start = std::chrono::steady_clock::now();
  try {
    result.point_key = scenario.point_key();
    Simulation simulation(scenario, replicate);
    const auto ticks = static_cast<std::uint64_t>(scenario.integer("run.ticks"));
    const auto record_every = static_cast<std::uint64_t>(scenario.integer("run.record_every"));
    const bool stop_at_absorption = scenario.text("run.stop") == "absorbing";
    const std::string& finest = scenario.text("run.record_places");
    const auto record = [&] {
      result.series.push_back({simulation.tick(), simulation.measure()});
      for (auto scale = finest == "none" ? kScaleCount : static_cast<std::size_t>(scale_from_name(finest)); scale < kScaleCount; ++scale) {
        const auto s = static_cast<Scale>(scale);
        for (std::uint32_t place = 0; place < simulation.places().count(s); ++place) {
          result.places.push_back({simulation.tick(), s, place, simulation.measure_place(s, place)});
        }
      }
      if (observer.on_record) observer.on_record(result, simulation);
    };
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {  // building a large world takes a while
      result.status = RunStatus::cancelled;
      return result;
    }
    record();
    bool absorbed = stop_at_absorption && simulation.absorbed();
    while (!absorbed && simulation.tick() < ticks) {
      if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
        result.status = RunStatus::cancelled;
        return result;
      }
      if (observer.before_tick) {
        observer.before_tick();
        if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {  // stopped while paused
          result.status = RunStatus::cancelled;
          return result;
        }
      }
      simulation.step(cancel);
      if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {  // the tick may have stopped part-way
        result.status = RunStatus::cancelled;
        return result;
      }
      if (ticks_done != nullptr) ticks_done->fetch_add(1, std::memory_order_relaxed);
      absorbed = stop_at_absorption && simulation.absorbed();
      if (!absorbed && simulation.tick() % record_every == 0 && simulation.tick() < ticks) record();
    }
    if (simulation.tick() > 0) record();
    result.ticks = simulation.tick();
    result.stop_reason = absorbed ? "absorbed" : "ticks";  // why it stopped; the metrics say what state it is in
  } catch (const std::exception& error) {
    result.status = RunStatus::failed;
    result.error = error.what();
  }
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

std::vector<RunResult> run_batch(const Scenario& scenario, std::uint64_t replicates, const BatchOptions& options) {
  if (replicates == 0) replicates = static_cast<std::uint64_t>(scenario.integer("run.replicates"));
  // Points are built when their runs start (a design can hold 10^5 of them): each worker keeps
  // the point of its last run, and runs come in point order.
  const bool one_point = scenario.sweep().empty() && scenario.point_table().rows.empty();
  const std::uint64_t point_count = scenario.point_count();
  const std::uint64_t batch_size = point_count * replicates;
  const std::uint64_t count = options.only != nullptr ? options.only->size() : batch_size;
  const auto run_id = [&](std::uint64_t k) { return options.only != nullptr ? (*options.only)[k] : k; };
  const bool streaming = static_cast<bool>(options.on_result);
  std::vector<RunResult> results(streaming ? 0 : count);
  std::atomic<std::uint64_t> next{0};
  std::atomic<std::uint64_t> done{0};
  std::atomic<std::uint64_t> failed{0};
  std::atomic<std::uint64_t> ticks_done{0};
  std::atomic<bool> sink_failed{false};
  std::mutex sink;  // one on_result call at a time
  std::exception_ptr sink_error;
  // Known in advance only when every point stops on the same tick count.
  const bool ticks_known = scenario.text("run.stop") == "ticks" && !scenario.varies("run.stop") && !scenario.varies("run.ticks");
  const std::uint64_t ticks_total = ticks_known ? count * static_cast<std::uint64_t>(scenario.integer("run.ticks")) : 0;
  unsigned threads = options.threads != 0 ? options.threads : available_threads();
  threads = static_cast<unsigned>(std::min<std::uint64_t>(threads, std::max<std::uint64_t>(count, 1)));
  const auto cancelled = [&] {
    return sink_failed.load(std::memory_order_relaxed) || (options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed));
  };

  // With many points, a worker takes a point's replicates together and builds each point once;
  // with few, runs are handed out one at a time so that every thread stays busy to the end.
  const std::uint64_t chunk = point_count >= 4 * std::uint64_t{threads} ? std::min<std::uint64_t>(replicates, 16) : 1;

  const auto start = std::chrono::steady_clock::now();
  auto worker = [&] {
    std::optional<Scenario> point;
    std::uint64_t point_index = 0;
    for (std::uint64_t first = next.fetch_add(chunk); first < count; first = next.fetch_add(chunk)) {
      for (std::uint64_t k = first; k < std::min(first + chunk, count); ++k) {
        const std::uint64_t id = run_id(k);
        if (!point || point_index != id / replicates) {
          point_index = id / replicates;
          point.emplace(one_point ? scenario : scenario.point(point_index));
        }
        RunResult result;
        if (cancelled()) {
          result.status = RunStatus::cancelled;
          result.point_key = point->point_key();
        } else {
          result = run_once(*point, id % replicates, options.cancel, &ticks_done);
        }
        result.run_id = id;
        result.point = id / replicates;
        result.replicate = id % replicates;
        if (result.status == RunStatus::failed) failed.fetch_add(1);
        if (!streaming) {
          results[k] = std::move(result);
        } else if (result.status != RunStatus::cancelled && !sink_failed.load()) {
          const std::lock_guard lock(sink);
          try {
            options.on_result(std::move(result));
          } catch (...) {
            if (!sink_error) sink_error = std::current_exception();
            sink_failed.store(true);
          }
        }
        done.fetch_add(1);
      }
    }
  };
  if (!options.progress) {
    {
      std::vector<std::jthread> pool;
      for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
      worker();
    }  // the pool joins here, before results are moved out
    if (sink_error) std::rethrow_exception(sink_error);
    return results;
  }
  // With progress, every run goes to the pool and the calling thread only reports.
  auto report = [&] {
    BatchProgress p;
    p.done = done.load();
    p.failed = failed.load();
    p.total = count;
    p.ticks_done = ticks_done.load();
    p.ticks_total = ticks_known ? ticks_total : 0;
    p.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    options.progress(p);
  };
  {
    std::vector<std::jthread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
    const auto tick = std::chrono::milliseconds(20);
    auto next_report = std::chrono::steady_clock::now();
    while (done.load() < count) {
      if (std::chrono::steady_clock::now() >= next_report) {
        report();
        next_report += options.progress_interval;
      }
      std::this_thread::sleep_for(tick);
    }
  }
  report();
  if (sink_error) std::rethrow_exception(sink_error);
  return results;
}

}  // namespace glocal
