// glocal serve's server (apps/glocal/serve): the token, the loopback bind, other origins and hosts,
// bad requests (a clear error, nothing run), runs streamed to many clients, a client that goes
// away mid-stream, pause/resume/stop, and the results folder a run writes.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "dashboard.hpp"

namespace {

namespace fs = std::filesystem;
using glocal::cli::serve::Catalog;
using glocal::cli::serve::Dashboard;
using glocal::cli::serve::ServerOptions;
using nlohmann::json;

/// A small economy of 4 nations (10 x 10 lattices) for `ticks` ticks, recorded every 5.
std::string small_world(int ticks) {
  return "[scenario]\nname = \"small\"\n[run]\nseed = 3\nreplicates = 2\nticks = " + std::to_string(ticks) +
         "\nrecord_every = 5\n[world]\nblocs = 2\nnations_per_bloc = 2\n[world.lattice]\nside = 10\n[economy]\n";
}

/// A dashboard on a free port, serving one scenario file written to a fresh folder.
class DashboardTest : public ::testing::Test {
 protected:
  void start(int ticks = 40) {
    folder_ = fs::temp_directory_path() / ("glocal-dashboard-test-" + std::to_string(::getpid()) + "-" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(folder_);
    fs::create_directories(folder_);
    std::ofstream(folder_ / "small.toml") << small_world(ticks);
    ServerOptions options;
    options.catalog.scenarios.push_back({"small", folder_ / "small.toml"});
    options.catalog.results_root = folder_ / "runs";
    options.threads = 2;
    dashboard_ = std::make_unique<Dashboard>(std::move(options));
    port_ = dashboard_->bind();
    server_ = std::jthread([this] { dashboard_->listen(); });
    for (int k = 0; k < 200 && !client().Get("/api/catalog", headers())->status; ++k)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  void TearDown() override {
    if (dashboard_) dashboard_->stop();
    if (server_.joinable()) server_.join();
    dashboard_.reset();
    fs::remove_all(folder_);
  }
  [[nodiscard]] httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(60, 0);
    return c;
  }
  [[nodiscard]] httplib::Headers headers() const { return {{"X-Glocal-Token", dashboard_->token()}}; }

  json post_run(const std::string& body, int expected_status) {
    auto res = client().Post("/api/runs", headers(), body, "application/json");
    EXPECT_TRUE(res);
    if (!res) return {};
    EXPECT_EQ(res->status, expected_status) << res->body;
    return json::parse(res->body);
  }

  /// The stream of run `id` to its end: every event's JSON.
  std::vector<json> read_stream(std::uint64_t id) {
    std::string text;
    auto res = client().Get("/api/runs/" + std::to_string(id) + "/events", headers(), [&](const char* data, std::size_t size) {
      text.append(data, size);
      return true;
    });
    EXPECT_TRUE(res);
    std::vector<json> events;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("data: ", 0) == 0) events.push_back(json::parse(line.substr(6)));
    }
    return events;
  }

  json wait_for_end(std::uint64_t id) {
    for (int k = 0; k < 6000; ++k) {
      auto res = client().Get("/api/runs/" + std::to_string(id), headers());
      const json status = json::parse(res->body);
      const std::string state = status["state"];
      if (state != "running" && state != "paused") return status;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "run " << id << " did not end";
    return {};
  }

  fs::path folder_;
  std::unique_ptr<Dashboard> dashboard_;
  std::jthread server_;
  int port_ = 0;
};

TEST_F(DashboardTest, EveryRequestNeedsTheToken) {
  start();
  for (const char* path : {"/", "/api/catalog", "/assets/app.js", "/api/runs", "/api/results", "/api/runs/1/events"}) {
    auto bare = client().Get(path);
    ASSERT_TRUE(bare);
    EXPECT_EQ(bare->status, 403) << path;
    auto wrong = client().Get(path, {{"X-Glocal-Token", std::string(dashboard_->token().size(), '0')}});
    EXPECT_EQ(wrong->status, 403) << path;
  }
  EXPECT_EQ(client().Post("/api/runs", R"({"scenario": "small"})", "application/json")->status, 403);
  EXPECT_FALSE(fs::exists(folder_ / "runs"));  // the refused start ran nothing

  // The token in the URL loads the page, which sets the cookie the page's later requests carry.
  auto page = client().Get("/?token=" + dashboard_->token());
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<title>glocal dashboard</title>"), std::string::npos);
  const std::string cookie = page->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  const std::string pair = cookie.substr(0, cookie.find(';'));
  EXPECT_EQ(client().Get("/api/catalog", {{"Cookie", "other=1; " + pair}})->status, 200);
  EXPECT_EQ(client().Get("/assets/app.js", headers())->status, 200);
}

TEST_F(DashboardTest, ListensOnTheLoopbackOnly) {
  start();
  // /proc/net/tcp lists the listening socket's local address: 0100007F is 127.0.0.1.
  std::ifstream tcp("/proc/net/tcp");
  std::string line;
  bool found = false;
  char port_hex[8];
  std::snprintf(port_hex, sizeof port_hex, "%04X", port_);
  while (std::getline(tcp, line)) {
    std::istringstream fields(line);
    std::string slot;
    std::string local;
    std::string remote;
    std::string state;
    fields >> slot >> local >> remote >> state;
    if (state == "0A" && local.substr(local.find(':') + 1) == port_hex) {  // 0A: LISTEN
      found = true;
      EXPECT_EQ(local.substr(0, local.find(':')), "0100007F") << line;
    }
  }
  EXPECT_TRUE(found) << "no listening socket on port " << port_;
  EXPECT_NE(dashboard_->url().find("http://127.0.0.1:" + std::to_string(port_) + "/?token=" + dashboard_->token()), std::string::npos);
}

TEST_F(DashboardTest, OtherOriginsAndHostsAreRefused) {
  start();
  httplib::Headers evil = headers();
  evil.emplace("Origin", "http://evil.example");
  auto res = client().Post("/api/runs", evil, R"({"scenario": "small"})", "application/json");
  EXPECT_EQ(res->status, 403);
  EXPECT_NE(res->body.find("other origins"), std::string::npos);
  httplib::Headers rebound = headers();
  rebound.emplace("Host", "evil.example:" + std::to_string(port_));  // DNS rebinding
  EXPECT_EQ(client().Get("/api/catalog", rebound)->status, 403);
  httplib::Headers same = headers();
  same.emplace("Origin", "http://127.0.0.1:" + std::to_string(port_));
  EXPECT_EQ(client().Get("/api/catalog", same)->status, 200);
  EXPECT_FALSE(fs::exists(folder_ / "runs"));
}

TEST_F(DashboardTest, BadRequestsGetAClearErrorAndRunNothing) {
  start();
  const auto error_of = [&](const std::string& body, int status) { return post_run(body, status).value("error", std::string()); };
  EXPECT_NE(error_of(R"({"scenario": "nope"})", 404).find("no scenario named 'nope'"), std::string::npos);
  EXPECT_NE(error_of(R"({"scenario": "small", "set": {"economy.grwth": 0.1}})", 400).find("did you mean 'economy.growth'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"scenario": "small", "set": {"economy.growth": 5}})", 400).find("expected a number in [-1, 1], got 5"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"scenario": "small", "replicates": 0})", 400).find("run.replicates"), std::string::npos);
  EXPECT_NE(error_of(R"({"scenario": "small", "set": {"economy.growth": [1]}})", 400).find("must be a number"), std::string::npos);
  EXPECT_NE(error_of("not json", 400).find("not JSON"), std::string::npos);
  EXPECT_NE(error_of(R"({"set": {}})", 400).find("expected {\"scenario\""), std::string::npos);
  EXPECT_EQ(client().Get("/api/scenario?name=nope", headers())->status, 404);
  EXPECT_EQ(client().Get("/api/runs/99/events", headers())->status, 404);
  EXPECT_EQ(client().Post("/api/runs/99/stop", headers(), "", "text/plain")->status, 404);
  EXPECT_EQ(client().Get("/api/results/nope", headers())->status, 404);
  EXPECT_EQ(json::parse(client().Get("/api/runs", headers())->body), json::array());
  EXPECT_FALSE(fs::exists(folder_ / "runs"));
}

TEST_F(DashboardTest, ARunStreamsToManyClientsAndWritesWhatGlocalRunWrites) {
  start();
  const json started = post_run(R"({"scenario": "small", "set": {"economy.chi": 0.3}})", 201);
  const std::uint64_t id = started["id"];
  std::vector<std::vector<json>> streams(8);
  {
    std::vector<std::jthread> clients;
    for (auto& stream : streams) clients.emplace_back([&, id] { stream = read_stream(id); });
  }
  for (const auto& stream : streams) {
    ASSERT_FALSE(stream.empty());
    EXPECT_EQ(stream, streams.front());  // every client sees the whole run, whenever it joined
    EXPECT_EQ(stream.front()["type"], "start");
    EXPECT_EQ(stream.back()["type"], "end");
    EXPECT_EQ(stream.back()["state"], "done");
  }
  // The records are model.csv's rows, and the folder is complete.
  const fs::path out = started["out"].get<std::string>();
  ASSERT_TRUE(fs::exists(out / "manifest.json"));
  std::ifstream csv(out / "model.csv");
  std::string header;
  std::getline(csv, header);
  std::map<std::pair<int, int>, std::vector<double>> rows;  // (run_id, tick) -> metrics
  for (std::string line; std::getline(csv, line);) {
    std::vector<std::string> cells;
    std::istringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.emplace_back();  // an empty last cell (NaN) that getline does not return
    std::vector<double> metrics;
    for (std::size_t k = 3; k < cells.size(); ++k) metrics.push_back(cells[k].empty() ? std::nan("") : std::stod(cells[k]));
    rows[{std::stoi(cells[0]), std::stoi(cells[2])}] = metrics;
  }
  std::size_t records = 0;
  for (const auto& event : streams.front()) {
    if (event["type"] != "record") continue;
    ++records;
    const auto& row = rows.at({event["replicate"].get<int>(), event["tick"].get<int>()});
    ASSERT_EQ(event["metrics"].size(), row.size());
    for (std::size_t k = 0; k < row.size(); ++k) {
      if (std::isnan(row[k])) {
        EXPECT_TRUE(event["metrics"][k].is_null());
      } else {
        EXPECT_EQ(event["metrics"][k].get<double>(), row[k]) << "metric " << k;
      }
    }
    EXPECT_EQ(event["nations"].size(), 4U);  // recorded for the map (run.record_places = "nation")
  }
  EXPECT_EQ(records, rows.size());
  EXPECT_EQ(records, 2U * 9U);  // ticks 0, 5, ..., 40 for 2 replicates
}

TEST_F(DashboardTest, AClientThatLeavesMidStreamChangesNothing) {
  start(400);
  const json started = post_run(R"({"scenario": "small"})", 201);
  const std::uint64_t id = started["id"];
  const std::string base = "/api/runs/" + std::to_string(id);
  ASSERT_EQ(client().Post(base + "/pause", headers(), "", "text/plain")->status, 200);  // mid-run while the client reads
  int seen = 0;
  auto cut = client().Get(base + "/events", headers(), [&](const char*, std::size_t) { return ++seen < 2; });
  EXPECT_FALSE(cut);  // the client hung up
  EXPECT_GE(seen, 2);
  ASSERT_EQ(client().Post(base + "/resume", headers(), "", "text/plain")->status, 200);
  const json status = wait_for_end(id);
  EXPECT_EQ(status["state"], "done");
  EXPECT_TRUE(fs::exists(fs::path(status["out"].get<std::string>()) / "model.csv"));
  const auto again = read_stream(id);  // a later client still gets the whole run
  ASSERT_FALSE(again.empty());
  EXPECT_EQ(again.back()["state"], "done");
}

TEST_F(DashboardTest, PauseHoldsTheRunResumeEndsItStopWritesNothing) {
  start(4000);
  const std::uint64_t first = post_run(R"({"scenario": "small"})", 201)["id"];
  const std::string base = "/api/runs/" + std::to_string(first);
  ASSERT_EQ(client().Post(base + "/pause", headers(), "", "text/plain")->status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // ticks in flight finish
  const auto ticks = [&] { return json::parse(client().Get(base, headers())->body)["ticks_done"].get<std::uint64_t>(); };
  const std::uint64_t held = ticks();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(ticks(), held);
  EXPECT_EQ(json::parse(client().Get(base, headers())->body)["state"], "paused");
  ASSERT_EQ(client().Post(base + "/resume", headers(), "", "text/plain")->status, 200);
  EXPECT_EQ(wait_for_end(first)["state"], "done");
  EXPECT_EQ(client().Post(base + "/stop", headers(), "", "text/plain")->status, 409);  // it has ended

  const json second = post_run(R"({"scenario": "small"})", 201);
  const std::string other = "/api/runs/" + second["id"].dump();
  ASSERT_EQ(client().Post(other + "/stop", headers(), "", "text/plain")->status, 200);
  EXPECT_EQ(wait_for_end(second["id"])["state"], "stopped");
  EXPECT_FALSE(fs::exists(second["out"].get<std::string>()));
  EXPECT_EQ(read_stream(second["id"]).back()["state"], "stopped");
}

TEST_F(DashboardTest, ResultsFoldersAreBrowsedWithinTheirRoot) {
  start();
  const json started = post_run(R"({"scenario": "small"})", 201);
  ASSERT_EQ(wait_for_end(started["id"])["state"], "done");
  const std::string name = fs::path(started["out"].get<std::string>()).filename();
  const json list = json::parse(client().Get("/api/results", headers())->body);
  ASSERT_EQ(list.size(), 1U);
  EXPECT_EQ(list[0]["name"], name);
  EXPECT_EQ(list[0]["complete"], true);
  const json folder = json::parse(client().Get("/api/results/" + name, headers())->body);
  EXPECT_NE(std::find(folder["files"].begin(), folder["files"].end(), "model.csv"), folder["files"].end());
  auto csv = client().Get("/api/results/" + name + "/file?path=model.csv", headers());
  EXPECT_EQ(csv->status, 200);
  EXPECT_EQ(csv->body.substr(0, 17), "run_id,point,tick");
  EXPECT_EQ(client().Get("/api/results/" + name + "/file?path=../small.toml", headers())->status, 404);
  // A study's output (a report, figures, a folder per scenario) is listed and opened too.
  const fs::path study = folder_ / "runs" / "my-study";
  fs::create_directories(study / "figures");
  std::ofstream(study / "report.md") << "# A study\n";
  std::ofstream(study / "figures" / "gini.png") << "png";
  fs::copy(started["out"].get<std::string>(), study / "road");
  const json studies = json::parse(client().Get("/api/results", headers())->body);
  ASSERT_EQ(studies.size(), 2U);
  const auto listed = std::find_if(studies.begin(), studies.end(), [](const json& item) { return item["name"] == "my-study"; });
  ASSERT_NE(listed, studies.end());
  EXPECT_EQ((*listed)["kind"], "study");
  const json opened = json::parse(client().Get("/api/results/my-study", headers())->body);
  EXPECT_TRUE(opened["manifest"].is_null());
  const auto files = opened["files"];
  for (const char* f : {"report.md", "figures/gini.png", "road/model.csv"})
    EXPECT_NE(std::find(files.begin(), files.end(), f), files.end()) << f;
  EXPECT_EQ(client().Get("/api/results/my-study/file?path=road/model.csv", headers())->body.substr(0, 17), "run_id,point,tick");
  EXPECT_EQ(client().Get("/api/results/" + name + "/file?path=/etc/passwd", headers())->status, 404);
  fs::create_symlink(folder_ / "small.toml", fs::path(started["out"].get<std::string>()) / "leak.csv");  // a link out of the folder
  EXPECT_EQ(client().Get("/api/results/" + name + "/file?path=leak.csv", headers())->status, 404);
}

}  // namespace
