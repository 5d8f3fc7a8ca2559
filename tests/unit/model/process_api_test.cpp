// The process-author API (glocal/process_api.hpp): a process declared with it is read from a
// scenario, runs, measures, follows a schedule and is checked like a built-in one. Its own binary:
// the test process is registered before main (the registry closes when the first scenario is read).
#include <gtest/gtest.h>

#include <algorithm>

#include "glocal/core/error.hpp"
#include "glocal/process_api.hpp"
#include "glocal/run/simulation.hpp"

namespace glocal {
namespace {

enum class Mode { plain, fancy };

struct ToyParams {
  std::uint32_t count = 3;
  double level = 0.25;
  Mode mode = Mode::plain;
  bool flag = true;
  std::string label = "none";
};

/// Counts ticks; its metrics read the parameters back, so the test sees what the process received.
class Toy final : public BasicProcess<Toy, ToyParams> {
 public:
  Toy(const BuildContext& context, const ToyParams& params) : BasicProcess(params), agents_(context.places.agents()) {}
  void step(const TickContext& /*context*/) override { ++ticks_; }
  [[nodiscard]] double level() const { return params().level; }
  [[nodiscard]] std::uint64_t ticks() const { return ticks_; }
  [[nodiscard]] std::uint32_t agents() const { return agents_; }
  [[nodiscard]] std::uint32_t level_changes() const { return level_changes_; }

 protected:
  void parameter_changed(const std::string& key) override {
    if (key == "toy.level") ++level_changes_;
  }

 private:
  std::uint32_t agents_;
  std::uint64_t ticks_ = 0;
  std::uint32_t level_changes_ = 0;
};

struct ToyCounts {
  double settings = 0.0;
  double ticks = 0.0;
};

ProcessDefinition<Toy, ToyParams> toy_definition() {
  return ProcessDefinition<Toy, ToyParams>("toy")
      .summary("A process that counts ticks.")
      .reference("none")
      .parameter("count", &ToyParams::count, 1, 10, "items", "How many.")
      .parameter("level", &ToyParams::level, 0, 1, "share", "How high.")
      .schedulable()
      .choice("mode", &ToyParams::mode, {{"plain", Mode::plain}, {"fancy", Mode::fancy}}, "Which mode.")
      .parameter("flag", &ToyParams::flag, "Whether.")
      .parameter("label", &ToyParams::label, "A name.")
      .applies_when("toy.mode", {"fancy"})
      .metric("toy_level", "share", "The level now.", &Toy::level)
      // A group computed together, its fields in another order than its columns: each column is
      // the field its declaration names, not a position.
      .metric_group(
          [](const Toy& toy) {
            const ToyParams& p = toy.params();
            return ToyCounts{p.count + 10.0 * (p.mode == Mode::fancy) + 100.0 * p.flag + 1000.0 * toy.level_changes(),
                             static_cast<double>(toy.ticks())};
          },
          {{{"toy_ticks", "ticks", "Ticks run."}, &ToyCounts::ticks},
           {{"toy_settings", "", "count + 10 mode + 100 flag + 1000 level changes."}, &ToyCounts::settings}})
      .place_metric("toy_agents", "agents", "Agents of the place.", [](const Toy& /*toy*/, AgentRange place) { return place.size; })
      .validate([](const Scenario& scenario) {
        if (scenario.integer("toy.count") == 7) throw ScenarioError(scenario.location("toy.count"), "toy.count", "seven is unlucky");
      });
}

const bool registered = [] {
  register_process(toy_definition().info());
  return true;
}();

Scenario toy_scenario(const std::string& extra) {
  return Scenario::parse("[run]\nticks = 4\n[world.lattice]\nside = 4\n[toy]\n" + extra, "toy.toml");
}

TEST(ProcessApi, DeclarationsComeFromTheFieldsAndOptions) {
  ASSERT_TRUE(registered);
  const ProcessInfo* info = find_process("toy");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(process_registry().back().name, "toy");  // after the built-ins
  ASSERT_EQ(info->parameters.size(), 5U);
  const ParamSpec& count = info->parameters[0];
  EXPECT_EQ(count.key, "toy.count");
  EXPECT_EQ(count.type, ParamType::integer);
  EXPECT_EQ(std::get<std::int64_t>(count.default_value), 3);
  EXPECT_EQ(count.min, 1);
  EXPECT_EQ(count.max, 10);
  EXPECT_EQ(count.unit, "items");
  EXPECT_FALSE(count.schedulable);
  const ParamSpec& level = info->parameters[1];
  EXPECT_EQ(level.type, ParamType::real);
  EXPECT_EQ(std::get<double>(level.default_value), 0.25);
  EXPECT_TRUE(level.schedulable);
  const ParamSpec& mode = info->parameters[2];
  EXPECT_EQ(mode.type, ParamType::choice);
  EXPECT_EQ(std::get<std::string>(mode.default_value), "plain");
  EXPECT_EQ(mode.choices, (std::vector<std::string>{"plain", "fancy"}));
  EXPECT_EQ(info->parameters[3].type, ParamType::boolean);
  EXPECT_EQ(info->parameters[4].type, ParamType::text);
  EXPECT_EQ(std::get<std::string>(info->parameters[4].default_value), "none");
  std::vector<std::string> metrics;
  for (const auto& m : info->metrics) metrics.push_back(m.name);
  EXPECT_EQ(metrics, (std::vector<std::string>{"toy_level", "toy_ticks", "toy_settings"}));
  ASSERT_EQ(info->place_metrics.size(), 1U);
  EXPECT_NE(find_parameter("toy.level"), nullptr);  // in the scenario schema
}

TEST(ProcessApi, ParametersReachTheProcessAndMetricsComeBackInOrder) {
  const Scenario scenario = toy_scenario("count = 5\nmode = \"fancy\"\nflag = false\nlevel = 0.5\n");
  EXPECT_EQ(scenario.processes(), std::vector<std::string>{"toy"});
  Simulation simulation(scenario, 0);
  simulation.step();
  simulation.step();
  const std::vector<double> m = simulation.measure();
  ASSERT_EQ(m.size(), 3U);
  EXPECT_EQ(m[simulation.metric_index("toy_level")], 0.5);
  EXPECT_EQ(m[simulation.metric_index("toy_ticks")], 2.0);
  EXPECT_EQ(m[simulation.metric_index("toy_settings")], 15.0);  // count 5, fancy, no flag, no change
  EXPECT_EQ(simulation.measure_place(Scale::world, 0), std::vector<double>{16.0});
}

TEST(ProcessApi, AScheduleWritesTheBoundFieldAndTellsTheProcess) {
  const Scenario scenario = toy_scenario("[[schedule]]\nkey = \"toy.level\"\nmode = \"step\"\npoints = [[0, 0.1], [2, 0.9]]\n");
  Simulation simulation(scenario, 0);
  simulation.step();  // tick 1: time 0
  EXPECT_EQ(simulation.measure()[0], 0.1);
  simulation.step();  // tick 2: time 1
  simulation.step();  // tick 3: time 2
  const std::vector<double> m = simulation.measure();
  EXPECT_EQ(m[0], 0.9);
  EXPECT_GE(m[2], 1000.0 + 103.0);  // level changes were reported to the process
}

TEST(ProcessApi, BadValuesAreRefusedWithTheirKey) {
  const auto error_of = [](const std::string& extra) {
    try {
      (void)toy_scenario(extra);
    } catch (const ScenarioError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error_of("count = 11\n").find("toy.count"), std::string::npos);
  EXPECT_NE(error_of("count = 11\n").find("[1, 10]"), std::string::npos);
  EXPECT_NE(error_of("mode = \"odd\"\n").find("\"plain\", \"fancy\""), std::string::npos);
  EXPECT_NE(error_of("flag = 3\n").find("toy.flag"), std::string::npos);
  EXPECT_NE(error_of("count = 7\n").find("seven is unlucky"), std::string::npos);  // the process's own check
  EXPECT_NE(error_of("colour = 1\n").find("toy.colour"), std::string::npos);
}

TEST(ProcessApi, AKeyThatDoesNotApplyIsReportedAsIgnored) {
  const Scenario plain = toy_scenario("label = \"x\"\n");
  ASSERT_EQ(plain.warnings().size(), 1U);
  EXPECT_NE(plain.warnings()[0].find("'toy.label' is ignored: it applies when toy.mode = fancy"), std::string::npos);
  EXPECT_TRUE(toy_scenario("label = \"x\"\nmode = \"fancy\"\n").warnings().empty());
}

TEST(ProcessApi, RegistrationIsCheckedAndClosesWhenScenariosAreRead) {
  (void)process_registry();
  ProcessInfo copy = toy_definition().info();
  EXPECT_THROW(register_process(copy), std::logic_error);  // read already; the name is taken too
  ProcessInfo other = copy;
  other.name = "toy2";
  other.metrics.clear();
  try {
    register_process(other);
    ADD_FAILURE() << "registered after scenarios were read";
  } catch (const std::logic_error& error) {
    EXPECT_NE(std::string(error.what()).find("toy.count"), std::string::npos);  // keys must start with the name
  }
  for (auto& p : other.parameters) p.key = "toy2" + p.key.substr(3);
  try {
    register_process(other);
    ADD_FAILURE() << "registered after scenarios were read";
  } catch (const std::logic_error& error) {
    EXPECT_NE(std::string(error.what()).find("already been read"), std::string::npos);
  }
}

TEST(ProcessApi, NamedStreamsAreOwnLanesAndStable) {
  const Purpose a = named_stream("wealth", "exchange");
  const Purpose b = named_stream("wealth", "initial");
  const Purpose c = named_stream("wealthexchange", "");
  EXPECT_NE(a, b);
  EXPECT_NE(a, c);
  for (const Purpose p : {a, b, c}) EXPECT_GE(static_cast<std::uint64_t>(p), std::uint64_t{1} << 63);  // never a built-in lane
  EXPECT_EQ(a, named_stream("wealth", "exchange"));
  const Rng rng(1, 2);
  EXPECT_NE(rng.block(0, 1, a), rng.block(0, 1, b));
}

}  // namespace
}  // namespace glocal
