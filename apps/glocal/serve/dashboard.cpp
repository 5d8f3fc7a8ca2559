#include "dashboard.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <ctime>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../describe_json.hpp"
#include "glocal/core/error.hpp"
#include "glocal/io/output.hpp"
#include "glocal/model/scenario.hpp"
#include "glocal/run/simulation.hpp"
#include "live_run.hpp"

namespace glocal::cli::serve {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

constexpr std::size_t kMaxBody = std::size_t{1} << 20;        // a request: levers, never data
constexpr std::uintmax_t kMaxFile = std::uintmax_t{1} << 28;  // a results file served whole

bool is_study_file(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("[study]", 0) == 0) return true;
  }
  return false;
}

/// "world/real-1960-2010" for scenarios/world/real-1960-2010.toml.
std::string scenario_name(const fs::path& file, const fs::path& root) {
  fs::path relative = file.lexically_relative(root);
  if (relative.empty() || *relative.begin() == "..") relative = file.filename();
  relative.replace_extension();
  return relative.generic_string();
}

void add_scenario_tree(Catalog& catalog, const fs::path& root) {
  if (!fs::is_directory(root)) return;
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".toml") continue;
    const fs::path relative = entry.path().lexically_relative(root);
    if (*relative.begin() == "calibration") continue;  // calibration targets, not scenarios
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    const std::string name = scenario_name(file, root);
    const bool known = std::any_of(catalog.scenarios.begin(), catalog.scenarios.end(), [&](const auto& e) { return e.name == name; });
    if (!known) catalog.scenarios.push_back({name, file});
  }
}

bool has_manifest(const fs::path& folder) { return fs::is_regular_file(folder / "manifest.json"); }

/// A study's output (`glocal study`): its report, tables and figures, and a results folder per scenario.
bool is_study_output(const fs::path& folder) { return !has_manifest(folder) && fs::is_regular_file(folder / "report.md"); }

/// A folder the dashboard can open: a run's results or a study's output.
bool is_results(const fs::path& folder) { return has_manifest(folder) || is_study_output(folder); }

std::string random_token() {
  std::random_device device;  // the kernel's generator: not predictable by another local user
  std::string token;
  for (int k = 0; k < 4; ++k) token += fmt::format("{:08x}", device());
  return token;
}

/// A path component safe for a folder name.
std::string safe_component(std::string name) {
  for (char& c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-' && c != '_') c = '-';
  }
  return name.empty() ? std::string("scenario") : name;
}

std::string utc_stamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &utc);
  return stamp;
}

void send_json(httplib::Response& res, const json& body, int status = 200) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& message) { send_json(res, {{"error", message}}, status); }

const char* content_type_of(const fs::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".csv") return "text/csv; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".png") return "image/png";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".md" || ext == ".txt" || ext == ".toml") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

json metrics_json(const std::vector<MetricSpec>& specs) {
  json out = json::array();
  for (const auto& m : specs) out.push_back({{"name", m.name}, {"unit", m.unit}, {"description", m.description}, {"flow", m.flow}});
  return out;
}

/// The keys a person may move for this scenario: every schedulable key of the engine or of an
/// enabled process that applies to it, with its bounds, unit and current value.
json levers_json(const Scenario& scenario) {
  json out = json::array();
  for (const auto& spec : scenario.schema().parameters()) {
    if (!spec.schedulable) continue;
    const std::string owner = spec.key.substr(0, spec.key.find('.'));
    if ((owner != "run" && owner != "world" && !scenario.enables(owner)) || !scenario.applies(spec)) continue;
    json lever = parameter_json(spec);
    lever["value"] = scenario.real(spec.key);
    const bool scheduled =
        std::any_of(scenario.schedules().begin(), scenario.schedules().end(), [&](const Schedule& s) { return s.key == spec.key; });
    lever["scheduled"] = scheduled;
    out.push_back(std::move(lever));
  }
  return out;
}

}  // namespace

Catalog catalog_for(const std::string& target, const fs::path& results_root) {
  Catalog catalog;
  catalog.results_root = results_root;
  const fs::path scenarios_root = "scenarios";
  if (!target.empty()) {
    const fs::path path = target;
    if (fs::is_directory(path)) {
      if (is_results(path)) {  // one results folder or study output: browse its parent, open it first
        fs::path folder = path.lexically_normal();
        if (!folder.has_filename()) folder = folder.parent_path();
        catalog.results_root = folder.has_parent_path() ? folder.parent_path() : fs::path(".");
        catalog.selected = "results:" + folder.filename().string();
      } else {
        catalog.results_root = path;  // a folder of results (a study's output, runs/)
      }
    } else if (fs::is_regular_file(path) && path.extension() == ".toml") {
      if (is_study_file(path)) {
        catalog.study = load_study(path);
        for (const auto& s : catalog.study->scenarios) catalog.scenarios.push_back({s.name, s.file});
      } else {
        catalog.scenarios.push_back({scenario_name(path, scenarios_root), path});
      }
      catalog.selected = catalog.scenarios.front().name;
    } else {
      throw ScenarioError(SourceLocation{target, 0, 0}, "",
                          std::string(fs::exists(path) ? "is not" : "does not exist: expected") +
                              " a scenario file (.toml), a study file, a results folder or a folder of them");
    }
  }
  add_scenario_tree(catalog, scenarios_root);
  return catalog;
}

struct Dashboard::Impl {
  ServerOptions options;
  httplib::Server server;
  std::string token;
  int port = 0;
  std::atomic<bool> stopping{false};
  std::mutex runs_mutex;
  std::map<std::uint64_t, std::shared_ptr<LiveRun>> runs;
  std::uint64_t next_run = 1;

  explicit Impl(ServerOptions given) : options(std::move(given)), token(options.token.empty() ? random_token() : options.token) {
    if (options.threads == 0) options.threads = available_threads();
    server.new_task_queue = [] { return new httplib::ThreadPool(64); };  // streams hold a thread each
    server.set_payload_max_length(kMaxBody);
    server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      return admit(req, res) ? httplib::Server::HandlerResponse::Unhandled : httplib::Server::HandlerResponse::Handled;
    });
    server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (res.body.empty())
        send_error(res, res.status, fmt::format("{} {}: {}", req.method, req.path, res.status == 404 ? "no such page or API" : "refused"));
    });
    server.set_exception_handler([](const httplib::Request&, httplib::Response& res, const std::exception_ptr& error) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        send_error(res, 500, e.what());
      } catch (...) {
        send_error(res, 500, "unexpected error");
      }
    });
    routes();
  }

  [[nodiscard]] std::string cookie_name() const { return fmt::format("glocal_token_{}", port); }

  [[nodiscard]] bool token_matches(std::string_view given) const {
    if (given.size() != token.size()) return false;
    unsigned char diff = 0;  // constant time: no timing hint of how much matched
    for (std::size_t k = 0; k < token.size(); ++k) diff |= static_cast<unsigned char>(given[k] ^ token[k]);
    return diff == 0;
  }

  [[nodiscard]] bool has_token(const httplib::Request& req) const {
    if (req.has_param("token") && token_matches(req.get_param_value("token"))) return true;
    if (req.has_header("X-Glocal-Token") && token_matches(req.get_header_value("X-Glocal-Token"))) return true;
    const std::string cookies = req.get_header_value("Cookie");
    const std::string prefix = cookie_name() + "=";
    for (std::size_t at = 0; at < cookies.size();) {
      std::size_t end = cookies.find(';', at);
      if (end == std::string::npos) end = cookies.size();
      std::string_view part(cookies.data() + at, end - at);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      if (part.rfind(prefix, 0) == 0 && token_matches(part.substr(prefix.size()))) return true;
      at = end + 1;
    }
    return false;
  }

  /// Refuses, with 403, a request for another host (DNS rebinding), from another origin, or
  /// without the token.
  bool admit(const httplib::Request& req, httplib::Response& res) const {
    const std::string host = req.get_header_value("Host");
    const std::string here = fmt::format("127.0.0.1:{}", port);
    const std::string here_by_name = fmt::format("localhost:{}", port);
    if (host != here && host != here_by_name) {
      send_error(res, 403, "refused: this server answers only requests for " + here);
      return false;
    }
    if (req.has_header("Origin")) {
      const std::string origin = req.get_header_value("Origin");
      if (origin != "http://" + here && origin != "http://" + here_by_name) {
        send_error(res, 403, "refused: requests from other origins are not served");
        return false;
      }
    }
    if (!has_token(req)) {
      send_error(res, 403, "refused: the token is missing or wrong (use the URL glocal serve printed)");
      return false;
    }
    return true;
  }

  [[nodiscard]] const Catalog::Entry* scenario_entry(const std::string& name) const {
    for (const auto& entry : options.catalog.scenarios) {
      if (entry.name == name) return &entry;
    }
    return nullptr;
  }

  [[nodiscard]] std::shared_ptr<LiveRun> find_run(const std::string& id_text) {
    const std::lock_guard lock(runs_mutex);
    const auto it = runs.find(std::stoull(id_text));
    return it == runs.end() ? nullptr : it->second;
  }

  /// The results folders below the root (those with a manifest), newest name first.
  [[nodiscard]] std::vector<std::string> result_folders() const {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(options.catalog.results_root, ec)) {
      if (entry.is_directory() && is_results(entry.path())) names.push_back(entry.path().filename().string());
    }
    std::sort(names.rbegin(), names.rend());
    return names;
  }

  /// The files of a results folder, as relative paths (two levels at most; links are not followed
  /// and not listed, so nothing outside the folder can be served).
  static std::vector<std::string> files_of(const fs::path& folder) {
    std::vector<std::string> files;
    for (auto it = fs::recursive_directory_iterator(folder); it != fs::recursive_directory_iterator(); ++it) {
      if (it.depth() >= 1) it.disable_recursion_pending();
      if (it->is_regular_file() && !it->is_symlink()) files.push_back(it->path().lexically_relative(folder).generic_string());
    }
    std::sort(files.begin(), files.end());
    return files;
  }

  void routes() {
    server.Get("/", [this](const httplib::Request&, httplib::Response& res) {
      const Asset* page = find_asset("index.html");
      res.set_header("Set-Cookie", cookie_name() + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
      res.set_header("Cache-Control", "no-store");
      res.set_content(reinterpret_cast<const char*>(page->data), page->size, page->content_type);
    });
    server.Get(R"(/assets/([A-Za-z0-9_.\-]+))", [](const httplib::Request& req, httplib::Response& res) {
      const Asset* asset = find_asset(req.matches[1].str());
      if (asset == nullptr) return send_error(res, 404, "no such asset: " + req.matches[1].str());
      res.set_content(reinterpret_cast<const char*>(asset->data), asset->size, asset->content_type);
    });
    server.Get("/api/catalog", [this](const httplib::Request&, httplib::Response& res) {
      json scenarios = json::array();
      for (const auto& entry : options.catalog.scenarios)
        scenarios.push_back({{"name", entry.name}, {"path", entry.path.generic_string()}});
      json body{{"version", glocal_version()},
                {"scenarios", scenarios},
                {"results_root", options.catalog.results_root.generic_string()},
                {"selected", options.catalog.selected},
                {"study", nullptr}};
      if (options.catalog.study) {
        const Study& study = *options.catalog.study;
        json indicators = json::array();
        for (const auto& i : study.indicators) {
          indicators.push_back(
              {{"dimension", i.dimension}, {"metric", i.metric}, {"higher_is_better", i.higher_is_better}, {"ranked", i.ranked}});
        }
        json names = json::array();
        for (const auto& s : study.scenarios) names.push_back(s.name);
        body["study"] = {{"name", study.name},
                         {"title", study.title},
                         {"description", study.description},
                         {"scenarios", names},
                         {"indicators", indicators}};
      }
      send_json(res, body);
    });
    server.Get("/api/scenario", [this](const httplib::Request& req, httplib::Response& res) {
      const Catalog::Entry* entry = scenario_entry(req.get_param_value("name"));
      if (entry == nullptr) return send_error(res, 404, "no scenario named '" + req.get_param_value("name") + "' in this dashboard");
      try {
        const Scenario scenario = Scenario::load_file(entry->path);
        const WorldLayout layout = world_spec(scenario).layout;
        json nations = json::array();
        for (const auto& n : layout.nations) nations.push_back({{"name", n.name}, {"group", n.group}, {"bloc", n.bloc}});
        send_json(res, {{"name", entry->name},
                        {"title", scenario.name()},
                        {"description", scenario.text("scenario.description")},
                        {"replicates", scenario.integer("run.replicates")},
                        {"ticks", scenario.integer("run.ticks")},
                        {"start_year", scenario.has_calendar() ? json(scenario.integer("run.start_year")) : json()},
                        {"data_world", scenario.country_data() != nullptr},
                        {"blocs", layout.blocs},
                        {"nations", nations},
                        {"levers", levers_json(scenario)},
                        {"metrics", metrics_json(metric_columns(scenario))},
                        {"place_metrics", metrics_json(place_metric_columns(scenario))},
                        {"warnings", scenario.warnings()}});
      } catch (const ScenarioError& error) {
        send_error(res, 400, error.what());
      }
    });
    server.Post("/api/runs", [this](const httplib::Request& req, httplib::Response& res) { start_run(req, res); });
    server.Get("/api/runs", [this](const httplib::Request&, httplib::Response& res) {
      json list = json::array();
      const std::lock_guard lock(runs_mutex);
      for (const auto& [id, run] : runs) list.push_back(run->status());
      send_json(res, list);
    });
    server.Get(R"(/api/runs/(\d{1,18}))", [this](const httplib::Request& req, httplib::Response& res) {
      const auto run = find_run(req.matches[1].str());
      if (!run) return send_error(res, 404, "no run " + req.matches[1].str());
      send_json(res, run->status());
    });
    server.Post(R"(/api/runs/(\d{1,18})/(pause|resume|stop))", [this](const httplib::Request& req, httplib::Response& res) {
      const auto run = find_run(req.matches[1].str());
      if (!run) return send_error(res, 404, "no run " + req.matches[1].str());
      const std::string action = req.matches[2].str();
      const bool changed = action == "pause" ? run->pause() : action == "resume" ? run->resume() : run->stop();
      if (!changed) return send_error(res, 409, "run " + req.matches[1].str() + " has ended");
      send_json(res, run->status());
    });
    server.Get(R"(/api/runs/(\d{1,18})/events)", [this](const httplib::Request& req, httplib::Response& res) { stream_events(req, res); });
    server.Get("/api/results", [this](const httplib::Request&, httplib::Response& res) {
      json list = json::array();
      for (const auto& name : result_folders()) {
        json item{{"name", name}, {"kind", is_study_output(options.catalog.results_root / name) ? "study" : "run"}};
        if (item["kind"] == "study") {
          item["complete"] = true;  // a study's folder appears only when complete
          list.push_back(std::move(item));
          continue;
        }
        try {
          std::ifstream in(options.catalog.results_root / name / "manifest.json");
          const json manifest = json::parse(in);
          item["scenario"] =
              manifest.contains("scenario") && manifest["scenario"].is_object() ? manifest["scenario"].value("name", "") : "";
          item["complete"] = manifest.value("complete", false);
        } catch (const std::exception&) {
          item["complete"] = false;
        }
        list.push_back(std::move(item));
      }
      send_json(res, list);
    });
    server.Get(R"(/api/results/([A-Za-z0-9_.\-]+))", [this](const httplib::Request& req, httplib::Response& res) {
      const std::string name = req.matches[1].str();
      const auto names = result_folders();
      if (std::find(names.begin(), names.end(), name) == names.end()) return send_error(res, 404, "no results folder '" + name + "'");
      const fs::path folder = options.catalog.results_root / name;
      json manifest;  // null for a study's output, whose scenarios' folders have theirs
      if (has_manifest(folder)) {
        try {
          std::ifstream in(folder / "manifest.json");
          manifest = json::parse(in);
        } catch (const std::exception& error) {
          return send_error(res, 500, fmt::format("{}/manifest.json: {}", folder.string(), error.what()));
        }
      }
      send_json(res,
                {{"name", name}, {"kind", is_study_output(folder) ? "study" : "run"}, {"files", files_of(folder)}, {"manifest", manifest}});
    });
    server.Get(R"(/api/results/([A-Za-z0-9_.\-]+)/file)", [this](const httplib::Request& req, httplib::Response& res) {
      const std::string name = req.matches[1].str();
      const auto names = result_folders();
      if (std::find(names.begin(), names.end(), name) == names.end()) return send_error(res, 404, "no results folder '" + name + "'");
      const fs::path folder = options.catalog.results_root / name;
      const std::string wanted = req.get_param_value("path");
      const auto files = files_of(folder);  // only a listed file: no path leaves the folder
      if (std::find(files.begin(), files.end(), wanted) == files.end()) return send_error(res, 404, "no file '" + wanted + "' in " + name);
      const fs::path file = folder / wanted;
      if (fs::file_size(file) > kMaxFile) return send_error(res, 413, wanted + " is too large to serve; open it from " + folder.string());
      std::ifstream in(file, std::ios::binary);
      std::ostringstream content;
      content << in.rdbuf();
      res.set_content(content.str(), content_type_of(file));
    });
  }

  void start_run(const httplib::Request& req, httplib::Response& res) {
    json body;
    try {
      body = json::parse(req.body);
    } catch (const json::parse_error& error) {
      return send_error(res, 400, std::string("the request is not JSON: ") + error.what());
    }
    if (!body.is_object() || !body.contains("scenario") || !body["scenario"].is_string()) {
      return send_error(res, 400, "expected {\"scenario\": NAME, \"set\": {KEY: VALUE, ...}, \"replicates\": N}");
    }
    const std::string name = body["scenario"].get<std::string>();
    const Catalog::Entry* entry = scenario_entry(name);
    if (entry == nullptr) return send_error(res, 404, "no scenario named '" + name + "' in this dashboard");
    std::vector<std::string> assignments;
    if (body.contains("set")) {
      if (!body["set"].is_object()) return send_error(res, 400, "\"set\" must be an object of key: value");
      for (const auto& [key, value] : body["set"].items()) {
        if (!value.is_number() && !value.is_boolean() && !value.is_string()) {
          return send_error(res, 400, "the value of '" + key + "' must be a number, a boolean or a string");
        }
        assignments.push_back(key + "=" + (value.is_string() ? value.get<std::string>() : value.dump()));
      }
    }
    if (body.contains("replicates")) {
      if (!body["replicates"].is_number_integer()) return send_error(res, 400, "\"replicates\" must be an integer");
      assignments.push_back("run.replicates=" + body["replicates"].dump());
    }
    std::optional<Scenario> scenario;
    try {  // every check of `glocal run` before anything runs: unknown keys, types, bounds
      scenario.emplace(Scenario::load_file(entry->path));
      scenario->set_all(assignments);
      if (scenario->text("run.record_places") == "none" && world_spec(*scenario).layout.nations.size() > 1) {
        assignments.emplace_back("run.record_places=nation");  // for the map; bookkeeping, the runs are the same
        scenario->set(assignments.back());
      }
    } catch (const ScenarioError& error) {
      return send_error(res, 400, error.what());
    }
    if (scenario->point_count() != 1) {
      return send_error(res, 400,
                        "this scenario has a sweep or a design: the dashboard runs one point (pin the swept keys, or use glocal run)");
    }
    std::vector<std::string> command_line{"glocal", "run", entry->path.generic_string()};
    for (const auto& a : assignments) {
      command_line.push_back("--set");
      command_line.push_back(a);
    }
    command_line.emplace_back("(from glocal serve)");
    std::shared_ptr<LiveRun> run;
    {
      const std::lock_guard lock(runs_mutex);
      const auto in_flight = std::count_if(runs.begin(), runs.end(), [](const auto& r) { return !r.second->ended(); });
      if (static_cast<std::size_t>(in_flight) >= options.max_runs) {
        return send_error(res, 429, fmt::format("{} runs are in flight already; wait for one to end or stop one", in_flight));
      }
      if (stopping.load()) return send_error(res, 503, "the server is stopping");
      const std::uint64_t id = next_run++;
      std::error_code ec;
      fs::create_directories(options.catalog.results_root, ec);
      const fs::path out = options.catalog.results_root / fmt::format("{}-{}-serve{}", safe_component(scenario->name()), utc_stamp(), id);
      run = std::make_shared<LiveRun>(id, name, std::move(*scenario), out, options.threads, command_line);
      runs.emplace(id, run);
    }
    run->start();
    send_json(res, run->status(), 201);
  }

  void stream_events(const httplib::Request& req, httplib::Response& res) {
    const auto run = find_run(req.matches[1].str());
    if (!run) return send_error(res, 404, "no run " + req.matches[1].str());
    auto cursor = std::make_shared<std::size_t>(0);
    if (req.has_header("Last-Event-ID")) {  // a reconnecting browser goes on where it stopped
      try {
        *cursor = std::stoull(req.get_header_value("Last-Event-ID"));
      } catch (const std::exception&) {
        *cursor = 0;
      }
    }
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Accel-Buffering", "no");
    res.set_chunked_content_provider("text/event-stream", [this, run, cursor](std::size_t, httplib::DataSink& sink) {
      const LiveRun::Events batch = run->events_since(*cursor, std::chrono::milliseconds(1000));
      for (const auto& event : batch.events) {
        const std::string frame = fmt::format("id: {}\ndata: {}\n\n", ++*cursor, event);
        if (!sink.write(frame.data(), frame.size())) return false;  // the client went away: the run goes on
      }
      if (batch.events.empty()) {
        static constexpr char kPing[] = ": ping\n\n";  // finds a client that went away
        if (!sink.is_writable() || !sink.write(kPing, sizeof kPing - 1)) return false;
      }
      if (batch.ended || stopping.load()) sink.done();  // an ended run's last event came with this batch
      return true;
    });
  }
};

Dashboard::Dashboard(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Dashboard::~Dashboard() { stop(); }

int Dashboard::bind() {
  const int port = impl_->options.port == 0 ? impl_->server.bind_to_any_port("127.0.0.1")
                                            : (impl_->server.bind_to_port("127.0.0.1", impl_->options.port) ? impl_->options.port : -1);
  if (port <= 0) throw OutputError(fmt::format("cannot listen on 127.0.0.1:{} (in use?)", impl_->options.port));
  impl_->port = port;
  return port;
}

void Dashboard::listen() { impl_->server.listen_after_bind(); }

void Dashboard::stop() {
  impl_->stopping.store(true);
  {
    const std::lock_guard lock(impl_->runs_mutex);
    for (auto& [id, run] : impl_->runs) (void)run->stop();
  }
  impl_->server.stop();
}

const std::string& Dashboard::token() const noexcept { return impl_->token; }

std::string Dashboard::url() const { return fmt::format("http://127.0.0.1:{}/?token={}", impl_->port, impl_->token); }

}  // namespace glocal::cli::serve
