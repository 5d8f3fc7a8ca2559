#include "processes/demography/demography.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "glocal/metrics/culture_metrics.hpp"
#include "glocal/run/simulation.hpp"
#include "glocal/world/data_world.hpp"
#include "processes/culture/culture.hpp"
#include "processes/demography/demographic_model.hpp"
#include "processes/economy/economy.hpp"
#include "support/same_runs.hpp"

namespace glocal {
namespace {

TEST(DemographicModel, FitsTheDataAndProjectsTheNinetiesFromTheEighties) {
  // Stated before the first fit: fitted on 1952-1990 and run forward from 1990 with the data's
  // GDP per head, it projects the world's 2010 population (the units of 2010) within 5 % of the
  // data, and half of the nations within 15 % of theirs. The first specification (unweighted, no
  // time term) failed it: +13.5 % for the world, 14.8 % median; the population weights and the
  // time term were added after that (docs/model/demography.md says why and what each gave), so
  // this backtest helped choose the model and is not a clean out-of-sample test.
  const CountryData& data = CountryData::maddison();
  const demography::DemographicModel all = demography::fit_demographic_model(data, 1952, 2010);
  const demography::DemographicModel early = demography::fit_demographic_model(data, 1952, 1990);
  std::printf(
      "demographic model 1952-2010: n = %.5f + %.4f n_-1 + %.5f x + %.5f x^2 + %.6f (t - 1950) / 10, R^2 %.3f, sd %.4f, %zu nation-years\n",
      all.coefficients[0], all.coefficients[1], all.coefficients[2], all.coefficients[3], all.coefficients[4], all.r_squared,
      all.residual_sd, all.observations);
  EXPECT_GT(all.observations, 8000U);
  double projected_world = 0, data_world = 0;
  std::vector<double> errors;
  for (const auto* unit : world_units(data, 2010, FederationRule::as_of_year)) {
    double people = data.population(*unit, 1990);
    double growth = people / data.population(*unit, 1989) - 1.0;
    bool incomes = true;
    for (int year = 1991; year <= 2010; ++year) {
      const double income = data.gdppc(*unit, year);
      incomes = incomes && !std::isnan(income);
      if (!incomes) break;
      growth = early.growth(growth, income, year);
      people *= 1.0 + growth;
    }
    if (!incomes) people = data.population(*unit, 2010);  // no income path: counted as the data (few units)
    projected_world += people;
    data_world += data.population(*unit, 2010);
    if (incomes) errors.push_back(std::abs(people / data.population(*unit, 2010) - 1.0));
  }
  std::nth_element(errors.begin(), errors.begin() + static_cast<std::ptrdiff_t>(errors.size() / 2), errors.end());
  const double median = errors[errors.size() / 2];
  std::printf("projected 1990 -> 2010: world %.3f bn (data %.3f bn), median nation error %.3f over %zu nations\n", projected_world / 1e9,
              data_world / 1e9, median, errors.size());
  EXPECT_NEAR(projected_world / data_world, 1.0, 0.05);
  EXPECT_LT(median, 0.15);
}

Scenario data_world(const std::string& extra) {
  return Scenario::parse(
      "[run]\nstart_year = 1960\nticks = 50\n[world]\ndata = \"maddison\"\nagents = 20000\nlocalities_per_nation = 2\n"
      "[world.network]\nkind = \"random\"\nmean_degree = 4\n[demography]\n" +
          extra,
      "data-world.toml");
}

TEST(Demography, EveryNationFollowsItsDataPathToTheAgent) {
  // Each nation holds max(2 per locality, round(P_n(year) / s)) agents at every tick (exact by
  // construction), so each decade's world population is within 1 % of the data's for its units.
  const Scenario scenario = data_world("");
  Simulation simulation(scenario, 0);
  const CountryData& data = *scenario.country_data();
  const double scale = scenario.people_per_agent();
  for (int tick = 1; tick <= 50; ++tick) {
    simulation.step();
    const int year = 1960 + tick;
    double model = 0, truth = 0;
    for (std::uint32_t n = 0; n < simulation.places().count(Scale::nation); ++n) {
      const auto& spec = scenario.nations()[n];
      ASSERT_EQ(spec.name, simulation.places().name(Scale::nation, n));
      const double people = data.population(*spec.data_unit, year);
      const auto expected = std::max<double>(2.0 * static_cast<double>(spec.localities), std::round(people / scale));
      ASSERT_EQ(simulation.places().place(Scale::nation, n).size, static_cast<AgentIndex>(expected)) << spec.name << " " << year;
      model += simulation.places().place(Scale::nation, n).size * scale;
      truth += people;
    }
    if (tick % 10 == 0) {
      EXPECT_NEAR(model / truth, 1.0, 0.01) << year;
      EXPECT_NEAR(simulation.measure()[simulation.metric_index("population")], model, 1e-6 * model);
    }
  }
}

TEST(Demography, BeyondTheDataTheFittedModelCarriesThePopulation) {
  // From 2000 to 2030 (20 years past the data): the world keeps growing, more slowly than in the
  // 1960s (the model's growth falls with income), and every nation keeps at least its minimum.
  const Scenario scenario = Scenario::parse(
      "[run]\nstart_year = 2000\nticks = 30\n[world]\ndata = \"maddison\"\nagents = 20000\n[world.network]\nkind = "
      "\"random\"\n[demography]\n",
      "projection.toml");
  Simulation simulation(scenario, 0);
  const std::size_t population = simulation.metric_index("population");
  std::vector<double> path = {simulation.measure()[population]};
  for (int tick = 1; tick <= 30; ++tick) {
    simulation.step();
    path.push_back(simulation.measure()[population]);
  }
  const double growth_2010s = std::pow(path[20] / path[10], 0.1) - 1.0;
  const double growth_2020s = std::pow(path[30] / path[20], 0.1) - 1.0;
  std::printf("world population 2000 %.3f bn, 2010 %.3f, 2020 %.3f, 2030 %.3f; growth 2010s %.4f, 2020s %.4f a year\n", path[0] / 1e9,
              path[10] / 1e9, path[20] / 1e9, path[30] / 1e9, growth_2010s, growth_2020s);
  EXPECT_GT(growth_2010s, 0.0);
  EXPECT_LT(growth_2010s, 0.02);
  EXPECT_GT(growth_2020s, 0.0);
}

TEST(Demography, ChildrenCarryTheirParentsCultureAndHalfTheirWealth) {
  // One renewal applied by hand to a culture and a dy economy on a data world: each newborn's
  // culture row is its parent's; the parent's wealth is split evenly with the child (in order of
  // birth), every estate goes to its heir, and the world's wealth is unchanged.
  const Scenario scenario = data_world("[culture]\ntraits = 50\n[economy]\n");
  const WorldSpec world = world_spec(scenario);
  Places places = world.places();
  const Rng rng(4, 4);
  Network network = world.network_of(places, rng);
  culture::Parameters cp;
  cp.features = 5;
  cp.traits = 50;
  culture::CultureProcess culture(cp, network, rng, &places);
  economy::Parameters ep;
  economy::EconomyProcess economy(ep, network, places, rng, std::vector<double>(places.count(Scale::nation), 1.0));
  economy.step(TickContext{1, rng});  // unequal wealth
  std::vector<std::uint8_t> rows_before(culture.view().traits, culture.view().traits + static_cast<std::size_t>(places.agents()) * 5);
  const std::vector<double> wealth_before(economy.wealth().begin(), economy.wealth().end());

  std::vector<AgentIndex> targets;
  for (std::uint32_t l = 0; l < places.count(Scale::locality); ++l) targets.push_back(places.place(Scale::locality, l).size * 11 / 10 + 1);
  const Renewal renewal = plan_renewal(places, targets, 0.02, rng, 2);
  WorldLayout layout = world.layout;
  std::size_t l = 0;
  for (auto& nation : layout.nations) {
    for (auto& size : nation.localities) size = targets[l++];
  }
  places = Places(layout);
  network = renew_random_network(network, renewal, 4.0, rng);
  culture.renew(renewal, TickContext{2, rng});
  economy.renew(renewal, TickContext{2, rng});

  ASSERT_GT(renewal.born.size(), 1000U);
  ASSERT_GT(renewal.estates.size(), 100U);
  for (AgentIndex i = 0; i < renewal.agents(); ++i) {
    EXPECT_EQ(std::memcmp(culture.view().of(i), rows_before.data() + static_cast<std::size_t>(renewal.source[i]) * 5, 5), 0);
  }
  std::vector<double> expected(renewal.agents(), 0.0);
  for (AgentIndex i = 0; i < renewal.agents(); ++i) expected[i] = renewal.is_born(i) ? 0.0 : wealth_before[renewal.source[i]];
  for (const AgentIndex child : renewal.born) {
    const AgentIndex parent = renewal.after[renewal.source[child]];
    expected[child] = 0.5 * expected[parent];
    expected[parent] -= expected[child];
  }
  for (const auto& [dead, heir] : renewal.estates) expected[heir] += wealth_before[dead];
  for (AgentIndex i = 0; i < renewal.agents(); ++i) EXPECT_DOUBLE_EQ(economy.wealth()[i], expected[i]);
  double before = 0, after = 0;
  for (const double w : wealth_before) before += w;
  for (const double w : economy.wealth()) after += w;
  EXPECT_NEAR(after, before, 1e-9 * before);
}

TEST(Demography, TheActiveLinksAreCountedAcrossRenewalsAsAfresh) {
  // On a random network a renewal keeps the survivors' ties, so the culture's count of active
  // links is carried over (the dead's links taken away, the newborns' added) rather than made
  // afresh: after every tick it equals a fresh count on the network and cultures of that tick.
  // Few traits and partners beyond the network too, so links turn active and inactive all along.
  Scenario scenario = data_world("[culture]\ntraits = 3\nreach.world = 0.2\n");
  scenario.set_all({"world.agents=5000"});
  Simulation simulation(scenario, 0);
  const auto* culture = dynamic_cast<const culture::CultureProcess*>(simulation.process("culture"));
  ASSERT_NE(culture, nullptr);
  std::uint64_t changed = 0;
  std::uint64_t last = culture->active_edge_count();
  for (int tick = 1; tick <= 20; ++tick) {
    simulation.step();
    const std::uint64_t fresh = active_edges(culture->view(), simulation.network());
    ASSERT_EQ(culture->active_edge_count(), fresh) << "tick " << tick;
    changed += fresh != last ? 1 : 0;
    last = fresh;
  }
  EXPECT_GE(changed, 10U);  // the count moved: the test saw renewals at work
}

TEST(Demography, BirthsAndDeathsDoNotDependOnThreads) {
  Scenario scenario = data_world("[culture]\n[economy]\nproduction = true\n[movements]\nthresholds = \"normal\"\nthreshold_sd = 0.1\n");
  scenario.set_all({"run.ticks=12", "run.record_every=4", "run.record_places=nation", "world.agents=5000"});
  BatchOptions one;
  one.threads = 1;
  BatchOptions two;
  two.threads = 2;
  testing::expect_same(run_batch(scenario, 3, one), run_batch(scenario, 3, two), 3);
}

TEST(Demography, NeedsADataWorldAndProcessesThatFollowIt) {
  const auto error_of = [](const std::string& text) {
    try {
      (void)Scenario::parse(text, "d.toml");
    } catch (const ScenarioError& error) {
      return std::string(error.what());
    }
    return std::string();
  };
  EXPECT_NE(error_of("[demography]\n").find("follows the populations of a data world"), std::string::npos);
  EXPECT_NE(error_of("[run]\nstart_year = 1960\n[world]\ndata = \"maddison\"\n[demography]\n").find("\"random\" or \"complete\""),
            std::string::npos);
  EXPECT_NE(error_of("[run]\nstart_year = 1960\n[world]\ndata = \"maddison\"\n[world.network]\nkind = "
                     "\"random\"\n[demography]\n[culture]\nupdate = \"blocks\"\n")
                .find("cannot follow a changing population"),
            std::string::npos);
}

}  // namespace
}  // namespace glocal
