#include "glocal/world/country_data.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "glocal/metrics/inequality.hpp"

namespace glocal {
namespace {

TEST(CountryData, TheShippedExtractHoldsItsDocumentedUnitsYearsAndGaps) {
  // data/maddison/README.md: 169 units x 61 years (1950-2010), 8 regions, 515 rows without gdppc,
  // every unit with a population in every year.
  const CountryData& data = CountryData::maddison();
  EXPECT_EQ(data.first_year(), 1950);
  EXPECT_EQ(data.last_year(), 2010);
  EXPECT_EQ(data.countries().size(), 169U);
  EXPECT_EQ(data.regions().size(), 8U);
  EXPECT_EQ(data.regions().front(), "Western Europe");
  std::size_t missing = 0;
  for (const auto& country : data.countries()) {
    ASSERT_EQ(country.gdppc.size(), 61U);
    for (int year = 1950; year <= 2010; ++year) {
      missing += std::isnan(data.gdppc(country, year)) ? 1 : 0;
      EXPECT_GT(data.population(country, year), 0.0) << country.code << " " << year;
    }
  }
  EXPECT_EQ(missing, 515U);
  const CountrySeries* usa = data.find("USA");
  ASSERT_NE(usa, nullptr);
  EXPECT_EQ(usa->region, "Western Offshoots");
  EXPECT_TRUE(std::isnan(data.gdppc(*data.find("PRK"), 1960)));
  EXPECT_TRUE(std::isnan(data.gdppc(*usa, 1949)));
  EXPECT_EQ(data.find("CIV")->name, "C\xC3\xB4te d'Ivoire");             // UTF-8 kept
  EXPECT_EQ(data.find("HKG")->name, "China, Hong Kong SAR");             // a quoted field
  EXPECT_DOUBLE_EQ(data.population(*data.find("ISL"), 1960), 175860.0);  // 175.86 thousand
}

TEST(CountryData, AFederationAndItsSuccessorsAreNeverBothInTheWorld) {
  const CountryData& data = CountryData::maddison();
  const auto codes = [&](int year, FederationRule rule) {
    std::set<std::string> out;
    for (const auto* unit : world_units(data, year, rule)) out.insert(unit->code);
    return out;
  };
  EXPECT_EQ(codes(1960, FederationRule::as_of_year).size(), 146U);      // 169 - 23 successors
  EXPECT_EQ(codes(1997, FederationRule::as_of_year).size(), 166U);      // 169 - 3 federations
  EXPECT_EQ(codes(1992, FederationRule::as_of_year).count("CSK"), 1U);  // Czechoslovakia until 1993
  EXPECT_EQ(codes(1992, FederationRule::as_of_year).count("SUN"), 0U);
  EXPECT_EQ(codes(2005, FederationRule::federations), codes(1960, FederationRule::as_of_year));
  EXPECT_EQ(codes(1960, FederationRule::successors), codes(2000, FederationRule::as_of_year));
  for (const int year : {1960, 1991, 1992, 1993}) {
    const auto world = codes(year, FederationRule::as_of_year);
    for (const auto& federation : maddison_federations()) {
      for (const auto& successor : federation.successors) EXPECT_FALSE(world.contains(federation.code) && world.contains(successor));
      EXPECT_TRUE(world.contains(federation.code) || world.contains(federation.successors.front()));
    }
  }
}

TEST(CountryData, TheBetweenCountryFiguresOfItsReadmeFollowFromTheLoadedValues) {
  // data/maddison/README.md (ratios.py): units with both values, federations before their
  // break-up: 20:20 ratio 13.1 / 17.1 and Theil T 0.511 / 0.545 in 1960 / 1997, to the README's
  // rounding; glocal's country_ratio and theil must compute the same statistics.
  const CountryData& data = CountryData::maddison();
  const auto figures = [&](int year) {
    std::vector<CountryIncome> countries;
    for (const auto* unit : world_units(data, year, FederationRule::as_of_year)) {
      const double y = data.gdppc(*unit, year);
      if (std::isnan(y)) continue;
      countries.push_back({data.population(*unit, year), y});
    }
    return std::pair{country_ratio(countries), country_theil(countries)};
  };
  EXPECT_NEAR(figures(1960).first, 13.1, 0.05);
  EXPECT_NEAR(figures(1960).second, 0.511, 0.0005);
  EXPECT_NEAR(figures(1997).first, 17.1, 0.05);
  EXPECT_NEAR(figures(1997).second, 0.545, 0.0005);
  EXPECT_NEAR(figures(2010).first, 13.0, 0.05);
}

/// The error a malformed text gives, or "" when it loads.
std::string error_of(const std::string& text) {
  try {
    (void)CountryData::parse(text, "bad.csv");
  } catch (const DataError& error) {
    return error.what();
  }
  return "";
}

TEST(CountryData, AMalformedFileIsRefusedWithItsLine) {
  const std::string header = "iso3,country,region,year,gdppc,pop\n";
  const std::string good = header + "AAA,A,R1,2000,10,5\nAAA,A,R1,2001,,6\nBBB,\"B, the\",R2,2000,20,\nBBB,\"B, the\",R2,2001,21,7\n";
  EXPECT_EQ(error_of(good), "");
  const CountryData data = CountryData::parse(good, "good.csv");
  EXPECT_EQ(data.find("BBB")->name, "B, the");
  EXPECT_TRUE(std::isnan(data.gdppc(*data.find("AAA"), 2001)));
  EXPECT_TRUE(std::isnan(data.population(*data.find("BBB"), 2000)));

  EXPECT_EQ(error_of(""), "bad.csv: the file is empty: expected the header \"iso3,country,region,year,gdppc,pop\"");
  EXPECT_EQ(error_of(header), "bad.csv: no data rows after the header");
  EXPECT_EQ(error_of("iso,country\n"), "bad.csv:1: expected the header \"iso3,country,region,year,gdppc,pop\", got \"iso,country\"");
  EXPECT_EQ(error_of(header + "AAA,A,R1,2000,10\n"), "bad.csv:2: expected 6 fields (iso3,country,region,year,gdppc,pop), got 5");
  EXPECT_EQ(error_of(header + "AAA,A,R1,2000,ten,5\n"), "bad.csv:2: gdppc: expected a positive number or an empty cell, got \"ten\"");
  EXPECT_EQ(error_of(header + "AAA,A,R1,2000,10,-5\n"), "bad.csv:2: pop: expected a positive number or an empty cell, got \"-5\"");
  EXPECT_EQ(error_of(header + "AAA,A,R1,20x0,10,5\n"), "bad.csv:2: year: expected an integer, got \"20x0\"");
  EXPECT_EQ(error_of(header + "AAA,A,R1,2000,,\n"), "bad.csv:2: AAA 2000: both gdppc and pop are empty");
  EXPECT_EQ(error_of(header + "AAA,A,R1,2000,1,1\nAAA,A,R1,2002,1,1\n"),
            "bad.csv:3: AAA: expected the year 2001 next, got 2002 (years in order, none missing or repeated)");
  EXPECT_EQ(error_of(header + "AAA,A,R1,2000,1,1\nAAA,A,R1,2001,1,1\nBBB,B,R1,2000,1,1\n"),
            "bad.csv:4: unit BBB ends in 2000, the others in 2001: every unit needs a row for every year from 2000 to 2001");
  EXPECT_EQ(error_of(header + "AAA,A,R1,2000,1,1\nBBB,B,R1,2000,1,1\nAAA,A,R1,2000,1,1\n"),
            "bad.csv:4: unit AAA appears again after other units: a unit's rows must be together");
  EXPECT_EQ(error_of(header + "AAA,\"A,R1,2000,1,1\n"), "bad.csv:2: a quoted field is not closed");
  EXPECT_EQ(error_of(header + "AAA,A,R1,2000,1,1\nAAA,A,R2,2001,1,1\n"),
            "bad.csv:3: AAA: country and region must be the same on every row (\"A\", \"R1\" before)");
}

TEST(CountryData, AMissingFileIsNamed) {
  const auto path = std::filesystem::temp_directory_path() / "glocal-no-such-data.csv";
  std::filesystem::remove(path);
  try {
    (void)CountryData::load(path);
    FAIL() << "loaded a missing file";
  } catch (const DataError& error) {
    EXPECT_EQ(std::string(error.what()), path.string() + ": no such data file");
  }
}

}  // namespace
}  // namespace glocal
