#include "glocal/model/scenario.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "glocal/model/process.hpp"

namespace glocal {
namespace {

std::string error_of(const std::string& text) {
  try {
    (void)Scenario::parse(text, "s.toml");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

TEST(Schema, AScenarioKnowsOnlyTheProcessesOfTheSchemaItIsHanded) {
  // A schema of one process, "toy", with a key that matters and one that is bookkeeping: read
  // against it, a scenario enables [toy], keeps its keys, leaves the bookkeeping key out of the
  // point's identity, and rejects [culture] as an unknown table; read against the program's
  // schema, the reverse.
  ProcessInfo toy;
  toy.name = "toy";
  toy.parameters = {real_parameter("toy.rate", 0.5, 0.0, 1.0, "", "A rate."),
                    bookkeeping(integer_parameter("toy.threads", 1, 1, 8, "", "Threads."))};
  toy.create = [](const BuildContext&) -> std::unique_ptr<Process> { return nullptr; };
  const Schema schema({toy});
  const Scenario s = Scenario::parse("[toy]\nrate = 0.25\nthreads = 4\n", "toy.toml", schema);
  EXPECT_EQ(&s.schema(), &schema);
  EXPECT_EQ(s.processes(), std::vector<std::string>{"toy"});
  EXPECT_DOUBLE_EQ(s.real("toy.rate"), 0.25);
  EXPECT_EQ(s.canonical_point(), "toy.rate=0.25\n");
  try {
    (void)Scenario::parse("[culture]\nfeatures = 5\n", "c.toml", schema);
    ADD_FAILURE() << "a process outside the schema was accepted";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("c.toml:1:1: 'culture': unknown table"), std::string::npos) << e.what();
  }
  EXPECT_NE(error_of("[toy]\nrate = 0.25\n").find("'toy': unknown table"), std::string::npos);
  EXPECT_EQ(Scenario::parse("[culture]\n", "s.toml").schema().process("culture"), default_schema().process("culture"));
  EXPECT_THROW(Schema({toy, toy}), std::logic_error);  // two processes of one name
}

TEST(Schema, ThePolicyTableHasOneWriterAndNeedsAProvider) {
  // Two processes that set the nations' policies (PolicyAccess::writes) cannot run together, and
  // a writer needs a process that provides the table; a reader does not.
  const auto toy = [](const std::string& name, PolicyAccess access) {
    ProcessInfo info;
    info.name = name;
    info.parameters = {real_parameter(name + ".rate", 0.5, 0.0, 1.0, "", "A rate.")};
    info.policy = access;
    info.create = [](const BuildContext&) -> std::unique_ptr<Process> { return nullptr; };
    return info;
  };
  const Schema schema({toy("bank", PolicyAccess::provides), toy("lobby", PolicyAccess::writes), toy("party", PolicyAccess::writes),
                       toy("river", PolicyAccess::reads)});
  EXPECT_NO_THROW((void)Scenario::parse("[bank]\n[lobby]\n[river]\n", "s.toml", schema));
  EXPECT_NO_THROW((void)Scenario::parse("[river]\n", "s.toml", schema));
  try {
    (void)Scenario::parse("[bank]\n[lobby]\n[party]\n", "s.toml", schema);
    ADD_FAILURE() << "two writers were accepted";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("[lobby] and [party] both set the nations' policies"), std::string::npos) << e.what();
  }
  try {
    (void)Scenario::parse("[lobby]\n", "s.toml", schema);
    ADD_FAILURE() << "a writer without a provider was accepted";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("no enabled process provides"), std::string::npos) << e.what();
  }
  // The built-ins declare theirs.
  EXPECT_EQ(default_schema().process("economy")->policy, PolicyAccess::provides);
  EXPECT_EQ(default_schema().process("governance")->policy, PolicyAccess::writes);
  EXPECT_EQ(default_schema().process("ecology")->policy, PolicyAccess::reads);
}

TEST(Scenario, DefaultsFillEveryUndeclaredKey) {
  const Scenario s = Scenario::parse("[culture]\n", "s.toml");
  EXPECT_EQ(s.integer("culture.features"), 5);
  EXPECT_EQ(s.text("world.lattice.boundary"), "open");
  EXPECT_EQ(s.processes(), std::vector<std::string>{"culture"});
  EXPECT_FALSE(s.is_set("culture.features"));
  EXPECT_EQ(s.name(), "s");
}

TEST(Scenario, ReadsValuesAndPromotesIntegersToReals) {
  const Scenario s = Scenario::parse("[world.network]\nkind = \"random\"\nmean_degree = 3\nsize = 50\n[culture]\ntraits = 15\n", "s.toml");
  EXPECT_EQ(s.integer("culture.traits"), 15);
  EXPECT_DOUBLE_EQ(s.real("world.network.mean_degree"), 3.0);
  EXPECT_TRUE(s.is_set("culture.traits"));
  EXPECT_EQ(s.location("culture.traits").line, 6);
}

TEST(Scenario, UnknownKeyNamesLineAndSuggests) {
  const std::string e = error_of("[culture]\nfeature = 5\n");
  EXPECT_NE(e.find("s.toml:2:11"), std::string::npos) << e;
  EXPECT_NE(e.find("'culture.feature': unknown key; did you mean 'culture.features'?"), std::string::npos) << e;
}

TEST(Scenario, AMedianVoterNeedsIncomeRedistribution) {
  // Voters choose a tax on income: with wealth redistribution the rule has nothing to set (and
  // economy.chi_local would still act on wealth), so it is refused at its line.
  const std::string e = error_of("[economy]\nchi_local = 0.5\nlocal_rule = \"median_voter\"\n");
  EXPECT_NE(e.find("s.toml:3:14: 'economy.local_rule': \"median_voter\" needs economy.redistribute = \"income\""), std::string::npos) << e;
}

TEST(Scenario, UnknownTableSuggests) {
  const std::string e = error_of("[cultur]\nfeatures = 5\n");
  EXPECT_NE(e.find("s.toml:1:1: 'cultur': unknown table; did you mean 'culture'?"), std::string::npos) << e;
}

TEST(Scenario, WrongTypeSaysWhatWasExpected) {
  const std::string e = error_of("[culture]\nfeatures = \"five\"\n");
  EXPECT_NE(e.find("s.toml:2:12: 'culture.features': expected an integer in [1, 64], got \"five\""), std::string::npos) << e;
  EXPECT_NE(error_of("[culture]\nfeatures = 5.5\n").find("got a real number (5.5)"), std::string::npos);
  EXPECT_NE(error_of("[culture]\nfeatures = [1, 2]\n").find("got an array"), std::string::npos);
}

TEST(Scenario, OutOfRangeGivesTheBounds) {
  const std::string e = error_of("[culture]\ntraits = 0\n");
  EXPECT_NE(e.find("'culture.traits': expected an integer in [1, 255], got 0"), std::string::npos) << e;
}

TEST(Scenario, ChoiceMisspellingSuggests) {
  const std::string e = error_of("[world.lattice]\nboundary = \"periodc\"\n[culture]\n");
  EXPECT_NE(e.find("expected one of: \"open\", \"periodic\", got \"periodc\"; did you mean \"periodic\"?"), std::string::npos) << e;
}

TEST(Scenario, MalformedTomlGivesLineAndColumn) {
  const std::string e = error_of("[culture]\nfeatures = = 5\n");
  EXPECT_NE(e.find("s.toml:2:"), std::string::npos) << e;
  EXPECT_NE(e.find("malformed TOML"), std::string::npos) << e;
}

TEST(Scenario, MissingFileIsAScenarioError) {
  try {
    (void)Scenario::load_file("/nonexistent/x.toml");
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/x.toml: cannot open scenario file: no such file"), std::string::npos) << e.what();
  }
}

TEST(Scenario, CrossKeyChecks) {
  EXPECT_NE(error_of("[world.lattice]\nside = 2\nboundary = \"periodic\"\n[culture]\n").find("needs a side greater than 2"),
            std::string::npos);
  const std::string tiles = error_of("[world.lattice]\nside = 20\norder = \"tiles\"\n[culture]\n");
  EXPECT_NE(tiles.find("s.toml:2:8: 'world.lattice.side': world.lattice.order = \"tiles\" numbers the sites in tiles of 4 x 16 and needs a "
                       "side that is a multiple of 16, got 20"),
            std::string::npos)
      << tiles;
  EXPECT_NO_THROW((void)Scenario::parse("[world.lattice]\nside = 32\norder = \"tiles\"\n[culture]\n", "s.toml"));
  EXPECT_NE(error_of("[world.network]\nkind = \"ring\"\ndegree = 3\n[culture]\n").find("even degree"), std::string::npos);
  EXPECT_NE(error_of("[world.network]\nkind = \"complete\"\nsize = 5000\n[culture]\n").find("at most 4096"), std::string::npos);
  EXPECT_NE(error_of("[culture]\ninitial = \"poisson\"\ntraits = 150\n").find("at most 100"), std::string::npos);
  EXPECT_NE(error_of("[run]\nseed = 3\n").find("runs no process"), std::string::npos);
  EXPECT_NE(error_of("[run]\nstop = \"absorbing\"\n[culture]\ndrift = 0.001\n").find("no absorbing state"), std::string::npos);
  const std::string blocks_media = error_of("[culture]\nupdate = \"blocks\"\nmedia.kind = \"fixed\"\nmedia.strength = 0.1\n");
  EXPECT_NE(blocks_media.find("culture.update"), std::string::npos) << blocks_media;
  EXPECT_NE(blocks_media.find("\"blocks\" needs the plain model, but culture.media.strength is set"), std::string::npos) << blocks_media;
  EXPECT_NE(error_of("[culture]\nupdate = \"blocks\"\nsampling = \"active-pairs\"\n").find("does not combine"), std::string::npos);
}

TEST(Scenario, NationTablesDescribeTheWorld) {
  const Scenario s = Scenario::parse(
      "[[world.nation]]\nname = \"Atlantis\"\nbloc = \"North\"\ngroup = \"north\"\nlocalities = 2\npopulation = 16\n"
      "[[world.nation]]\nname = \"Lemuria\"\nbloc = \"South\"\ngroup = \"south\"\n"
      "locality_names = [\"coast\"]\n[culture]\n",
      "s.toml");
  ASSERT_EQ(s.nations().size(), 2U);
  EXPECT_EQ(s.nations()[0].population, 16);
  EXPECT_EQ(s.nations()[1].population, 0);  // the synthetic size: world.lattice.side^2 = 100
  EXPECT_EQ(s.synthetic_population(), 100);
  EXPECT_EQ(s.nations()[1].locality_names.at(0), "coast");
  // Errors name the table's field and line.
  EXPECT_NE(error_of("[[world.nation]]\nname = \"A\"\npopulation = 15\n[culture]\n")
                .find("s.toml:3:14: 'world.nation.population': nation 'A': a lattice locality holds side^2 agents, and 15 is not a square"),
            std::string::npos);
  EXPECT_NE(error_of("[[world.nation]]\nname = \"A\"\npopulaton = 16\n[culture]\n").find("'world.nation.populaton': unknown field"),
            std::string::npos);
  EXPECT_NE(error_of("[[world.nation]]\nname = \"A\"\npopulaton = 16\n[culture]\n").find("did you mean 'population'"), std::string::npos);
  EXPECT_NE(error_of("[[world.nation]]\nbloc = \"B\"\n[culture]\n").find("needs a `name`"), std::string::npos);
  EXPECT_NE(error_of("[[world.nation]]\nname = \"A\"\n[[world.nation]]\nname = \"A\"\n[culture]\n").find("described twice"),
            std::string::npos);
  EXPECT_NE(error_of("[[world.nation]]\nname = \"A\"\nlocalities = 2\nlocality_names = [\"x\"]\n[culture]\n")
                .find("2 localities but 1 locality names"),
            std::string::npos);
  EXPECT_NE(error_of("[world]\nblocs = 2\n[[world.nation]]\nname = \"A\"\n[culture]\n").find("'world.blocs': describes a synthetic world"),
            std::string::npos);
  EXPECT_NE(error_of("[world.network]\nkind = \"ring\"\n[[world.nation]]\nname = \"A\"\npopulation = 3\n[culture]\n")
                .find("nation 'A': a ring network needs a degree"),
            std::string::npos);
}

TEST(Scenario, EconomyKeysThatDoNotApplyAreErrors) {
  EXPECT_NE(error_of("[economy]\nexchange = \"dy\"\nzeta = 0.1\n")
                .find("s.toml:3:8: 'economy.zeta': applies to economy.exchange = \"awm\" (here \"dy\")"),
            std::string::npos);
  EXPECT_NE(
      error_of("[economy]\nexchange = \"awm\"\ndebt_limit = 1.0\n").find("'economy.debt_limit': applies to economy.exchange = \"dy\""),
      std::string::npos);
  EXPECT_NE(error_of("[economy]\nfirms = 3\n").find("'economy.firms': applies with economy.production = true"), std::string::npos);
  EXPECT_NE(error_of("[economy]\nmeasure = \"income\"\n").find("'economy.measure': applies with economy.production = true"),
            std::string::npos);
  EXPECT_NE(
      error_of("[economy]\nexchange = \"bm\"\nproduction = true\n").find("'economy.production': cannot run with economy.exchange = \"bm\""),
      std::string::npos);
  EXPECT_NE(error_of("[[world.nation]]\nname = \"A\"\nproductivity = 0\n[economy]\n")
                .find("'world.nation.productivity': expected a number above 0"),
            std::string::npos);
  const Scenario s = Scenario::parse("[[world.nation]]\nname = \"A\"\nproductivity = 2.5\n[economy]\n", "s.toml");
  EXPECT_DOUBLE_EQ(s.nations()[0].productivity, 2.5);
}

TEST(Scenario, MovementsSeedLocalityMustNameALocality) {
  EXPECT_NE(error_of("[world]\nlocalities_per_nation = 2\n[movements]\nseed_locality = \"locality-1-1-3\"\n")
                .find("s.toml:4:17: 'movements.seed_locality': names no locality of this world"),
            std::string::npos);
  EXPECT_EQ(error_of("[world]\nlocalities_per_nation = 2\n[movements]\nseed_locality = \"locality-1-1-2\"\n"), "");
}

TEST(Scenario, SetAllValidatesTogether) {
  // Reach weights valid only together: one at a time the first breaks the sum, together they hold.
  Scenario s = Scenario::parse("[economy]\nreach.network = 0.0\nreach.nation = 0.75\nreach.world = 0.25\n", "s.toml");
  EXPECT_THROW(s.set("economy.reach.world=0.5"), ScenarioError);
  EXPECT_DOUBLE_EQ(s.real("economy.reach.world"), 0.25);  // a failed set changes nothing
  s.set_all({"economy.reach.world=0.5", "economy.reach.nation=0.5"});
  EXPECT_DOUBLE_EQ(s.real("economy.reach.world"), 0.5);
  EXPECT_DOUBLE_EQ(s.real("economy.reach.nation"), 0.5);
}

TEST(Scenario, IgnoredKeysAreWarnedAbout) {
  const Scenario s = Scenario::parse("[world.network]\nsize = 50\n[culture]\n", "s.toml");
  ASSERT_EQ(s.warnings().size(), 1U);
  EXPECT_NE(s.warnings()[0].find("'world.network.size' is ignored"), std::string::npos);
}

TEST(Scenario, SetOverridesAreTypedAndChecked) {
  Scenario s = Scenario::parse("[culture]\n", "s.toml");
  s.set("culture.traits=15");
  EXPECT_EQ(s.integer("culture.traits"), 15);
  s.set("world.lattice.boundary=periodic");
  EXPECT_EQ(s.text("world.lattice.boundary"), "periodic");
  EXPECT_EQ(s.overrides().size(), 2U);
  EXPECT_THROW(s.set("culture.trait=15"), ScenarioError);
  EXPECT_THROW(s.set("culture.traits=abc"), ScenarioError);
  EXPECT_THROW(s.set("culture.traits=300"), ScenarioError);
  EXPECT_THROW(s.set("nonsense"), ScenarioError);
  try {
    s.set("culture.trait=15");
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("--set culture.trait=15: 'culture.trait': unknown key; did you mean 'culture.traits'?"),
              std::string::npos)
        << e.what();
  }
}

TEST(Scenario, ParameterValuesCoverEveryNonTextKey) {
  const Scenario s = Scenario::parse("[culture]\n", "s.toml");
  const auto values = s.parameter_values();
  std::size_t non_text = 0;
  for (const auto& spec : scenario_schema()) non_text += spec.type == ParamType::text ? 0 : 1;
  EXPECT_EQ(values.size(), non_text);
}

TEST(Sweep, PointsEnumerateTheProductFirstAxisSlowest) {
  const Scenario s = Scenario::parse(
      "[culture]\n[[sweep]]\nkey = \"culture.features\"\nvalues = [5, 10]\n"
      "[[sweep]]\nkey = \"world.lattice.side\"\nvalues = [4, 6, 8]\n",
      "s.toml");
  ASSERT_EQ(s.point_count(), 6U);
  EXPECT_EQ(s.point(0).integer("culture.features"), 5);
  EXPECT_EQ(s.point(0).integer("world.lattice.side"), 4);
  EXPECT_EQ(s.point(2).integer("world.lattice.side"), 8);
  EXPECT_EQ(s.point(3).integer("culture.features"), 10);
  EXPECT_EQ(s.point(3).integer("world.lattice.side"), 4);
  EXPECT_TRUE(s.point(5).sweep().empty());
}

TEST(Sweep, ValuesAreCheckedWithTheirLocation) {
  EXPECT_NE(error_of("[culture]\n[[sweep]]\nkey = \"culture.traits\"\nvalues = [5, 300]\n")
                .find("s.toml:4:14: 'culture.traits': expected an integer in [1, 255], got 300"),
            std::string::npos);
  EXPECT_NE(error_of("[culture]\n[[sweep]]\nkey = \"culture.trait\"\nvalues = [5]\n").find("did you mean 'culture.traits'?"),
            std::string::npos);
  EXPECT_NE(error_of("[culture]\ntraits = 4\n[[sweep]]\nkey = \"culture.traits\"\nvalues = [5]\n").find("both set"), std::string::npos);
  EXPECT_NE(error_of("[culture]\n[[sweep]]\nkey = \"culture.traits\"\n").find("non-empty `values"), std::string::npos);
  EXPECT_NE(error_of("[culture]\n[[sweep]]\nkey = \"run.seed\"\nvalues = [1, 2]\n").find("cannot be swept"), std::string::npos);
  // Cross-key checks run at every point: side 2 is too small for a periodic lattice.
  EXPECT_NE(error_of("[world.lattice]\nboundary = \"periodic\"\n[culture]\n[[sweep]]\nkey = \"world.lattice.side\"\nvalues = [10, 2]\n")
                .find("needs a side greater than 2"),
            std::string::npos);
}

TEST(Sweep, SetPinsASweptKey) {
  Scenario s = Scenario::parse("[culture]\n[[sweep]]\nkey = \"culture.traits\"\nvalues = [5, 10]\n", "s.toml");
  EXPECT_EQ(s.point_count(), 2U);
  s.set("culture.traits=7");
  EXPECT_EQ(s.point_count(), 1U);
  EXPECT_EQ(s.integer("culture.traits"), 7);
}

TEST(ScheduleTest, LinearAndStepValues) {
  Schedule linear{"k", Schedule::Mode::linear, {{0, 1.0}, {10, 3.0}, {20, 3.0}}, {}};
  EXPECT_DOUBLE_EQ(linear.value_at(-5), 1.0);
  EXPECT_DOUBLE_EQ(linear.value_at(5), 2.0);
  EXPECT_DOUBLE_EQ(linear.value_at(10), 3.0);
  EXPECT_DOUBLE_EQ(linear.value_at(99), 3.0);
  Schedule step{"k", Schedule::Mode::step, {{0, 1.0}, {10, 3.0}}, {}};
  EXPECT_DOUBLE_EQ(step.value_at(9.99), 1.0);
  EXPECT_DOUBLE_EQ(step.value_at(10), 3.0);
}

TEST(ScheduleTest, ParsedCheckedAndPinnable) {
  Scenario s = Scenario::parse(
      "[run]\nstart_year = 1960\n[culture]\n[[schedule]]\nkey = \"culture.reach.world\"\npoints = [[1960, 0.01], [2000, 0.2]]\n", "s.toml");
  ASSERT_EQ(s.schedules().size(), 1U);
  EXPECT_DOUBLE_EQ(s.real("culture.reach.world"), 0.01);  // the value at the start
  EXPECT_DOUBLE_EQ(s.time_of_tick(1), 1960.0);
  EXPECT_DOUBLE_EQ(s.schedules()[0].value_at(s.time_of_tick(21)), 0.105);
  s.set("culture.reach.world=0.5");
  EXPECT_TRUE(s.schedules().empty());
  EXPECT_NE(error_of("[culture]\n[[schedule]]\nkey = \"culture.traits\"\npoints = [[0, 5]]\n").find("cannot follow a schedule"),
            std::string::npos);
  EXPECT_NE(error_of("[culture]\n[[schedule]]\nkey = \"culture.drift\"\npoints = [[0, 0.1], [0, 0.2]]\n").find("times must increase"),
            std::string::npos);
  EXPECT_NE(error_of("[culture]\n[[schedule]]\nkey = \"culture.drift\"\npoints = [[0, 0.1], [5, 2.0]]\n")
                .find("s.toml:4:21: 'culture.drift': expected a number in [0, 1], got 2"),
            std::string::npos);
  // Cross-key checks hold at every breakpoint: world + nation reach may not exceed 1 at t = 10.
  EXPECT_NE(error_of("[culture]\nreach.nation = 0.5\n[[schedule]]\nkey = \"culture.reach.world\"\npoints = [[0, 0.1], [10, 0.9]]\n")
                .find("more than 1"),
            std::string::npos);
  EXPECT_NE(error_of("[run]\nstop = \"absorbing\"\n[culture]\n[[schedule]]\nkey = \"culture.drift\"\nmode = \"step\"\npoints = [[0, 0.0], "
                     "[10, 0.1]]\n")
                .find("no absorbing state"),
            std::string::npos);
}

TEST(EditDistance, Basics) {
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3U);
  EXPECT_EQ(closest_match("run.seeds", {"run.seed", "run.stop"}), "run.seed");
  EXPECT_EQ(closest_match("zzzzzz", {"run.seed"}), "");
}

}  // namespace
}  // namespace glocal

namespace glocal {
namespace {

TEST(Registry, MetricNamesAreUniqueAcrossProcesses) {
  // model.csv and places.csv have one column per metric: two processes must never share a name.
  std::set<std::string> metrics, place_metrics;
  for (const auto& process : process_registry()) {
    for (const auto& m : process.metrics) EXPECT_TRUE(metrics.insert(m.name).second) << process.name << ": " << m.name;
    for (const auto& m : process.place_metrics) EXPECT_TRUE(place_metrics.insert(m.name).second) << process.name << ": " << m.name;
  }
}

}  // namespace
}  // namespace glocal

namespace glocal {
namespace {

/// A data world of 30,000 agents in 1960, with `world` lines added to its [world] table and `tables` after it.
std::string data_world(const std::string& world = "", const std::string& tables = "") {
  return "[run]\nstart_year = 1960\n[world]\ndata = \"maddison\"\n" + world + "[world.network]\nkind = \"random\"\n[culture]\n" + tables;
}
const std::string kDataWorld = data_world("agents = 30000\n");

TEST(DataWorld, BuildsOneNationPerUnitWithAgentsInProportionToPopulation) {
  const Scenario s = Scenario::parse(kDataWorld, "s.toml");
  ASSERT_NE(s.country_data(), nullptr);
  EXPECT_EQ(s.nations().size(), 145U);  // the 146 units of 1960 less PRK, which has no GDP per head then
  ASSERT_EQ(s.warnings().size(), 1U);
  EXPECT_NE(s.warnings()[0].find("PRK"), std::string::npos);
  const NationSpec* usa = nullptr;
  double agents = 0;
  for (const auto& nation : s.nations()) {
    agents += static_cast<double>(nation.population);
    if (nation.name == "USA") usa = &nation;
  }
  ASSERT_NE(usa, nullptr);
  EXPECT_EQ(usa->bloc, "Western Offshoots");
  EXPECT_EQ(usa->group, "north");
  EXPECT_DOUBLE_EQ(usa->productivity, s.country_data()->gdppc(*usa->data_unit, 1960) / 1000.0);
  EXPECT_EQ(usa->population, std::llround(s.country_data()->population(*usa->data_unit, 1960) / s.people_per_agent()));
  EXPECT_NEAR(agents, 30000.0, 150.0);                    // rounding, and at least two agents for every nation
  EXPECT_EQ(s.nations().front().bloc, "Western Europe");  // blocs in the data's order of regions
}

TEST(DataWorld, ASelectionKeepsUnitsByCodeOrRegion) {
  const Scenario s = Scenario::parse(data_world("agents = 30000\nnations = [\"USA\", \"CHN\", \"Sub Saharan Africa\"]\n"), "s.toml");
  EXPECT_EQ(s.nations().size(), 48U);  // 46 African units, the US and China
  EXPECT_NE(s.canonical_point().find("world.nations=USA,CHN,Sub Saharan Africa"), std::string::npos);
  Scenario set = Scenario::parse(kDataWorld, "s.toml");
  set.set("world.nations=JPN, KOR");
  EXPECT_EQ(set.nations().size(), 2U);
  EXPECT_EQ(set.people_per_agent(), (set.country_data()->population(*set.country_data()->find("JPN"), 1960) +
                                     set.country_data()->population(*set.country_data()->find("KOR"), 1960)) /
                                        30000.0);
}

TEST(Scenario, AScheduleTimeMustBeFinite) {
  const std::string e = error_of("[culture]\n[[schedule]]\nkey = \"culture.drift\"\npoints = [[0, 0.0], [nan, 0.1]]\n");
  EXPECT_NE(e.find("'culture.drift': expected a finite time, got nan"), std::string::npos) << e;
  EXPECT_NE(error_of("[culture]\n[[schedule]]\nkey = \"culture.drift\"\npoints = [[inf, 0.0]]\n").find("expected a finite time"),
            std::string::npos);
}

TEST(DataWorld, MistakesNameTheirKey) {
  EXPECT_NE(error_of(data_world("nations = [\"USAA\"]\n"))
                .find("'world.nations': 'USAA' is neither a unit code nor a region of the data; did you mean 'USA'?"),
            std::string::npos)
      << error_of(data_world("nations = [\"USAA\"]\n"));
  EXPECT_NE(error_of("[world]\ndata = \"maddison\"\n[world.network]\nkind = \"random\"\n[culture]\n").find("set run.start_year"),
            std::string::npos);
  EXPECT_NE(error_of("[run]\nstart_year = 1900\n[world]\ndata = \"maddison\"\n[world.network]\nkind = \"random\"\n[culture]\n")
                .find("the data cover 1950 to 2010"),
            std::string::npos);
  EXPECT_NE(error_of(data_world("agents = 100\npeople_per_agent = 1000.0\n")).find("give the scale once"), std::string::npos);
  EXPECT_NE(error_of("[world]\nagents = 100\n[culture]\n").find("'world.agents': applies to a data world"), std::string::npos);
  EXPECT_NE(error_of(data_world("data_file = \"no-such.csv\"\n")).find("'world.data_file': no-such.csv: no such data file"),
            std::string::npos)
      << error_of(data_world("data_file = \"no-such.csv\"\n"));
  EXPECT_NE(error_of("[run]\nstart_year = 1960\n[world]\ndata = \"maddison\"\n[culture]\n").find("expected \"random\" or \"complete\""),
            std::string::npos);
  EXPECT_NE(error_of(kDataWorld + "[[world.nation]]\nname = \"A\"\n").find("builds its own nations"), std::string::npos);
}

}  // namespace
}  // namespace glocal
