#pragma once
// Country-year data: population and GDP per head of real nations (the Maddison Project Database
// 2023 extract shipped in data/maddison/, or a file of the same form), and the rule that keeps a
// former federation and its successor states from being counted twice.
//
// The shipped extract is compiled into the library (CountryData::maddison()), so a data world
// needs no path. Thread safety: immutable after construction.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "glocal/core/error.hpp"

namespace glocal {

/// A data file that cannot be used. what() is "file:line: message" (line 0: the whole file).
class DataError : public Error {
 public:
  DataError(std::string file, int line, std::string message);
  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  [[nodiscard]] int line() const noexcept { return line_; }

 private:
  std::string file_;
  int line_ = 0;
};

/// One unit of the data, year by year from CountryData::first_year().
struct CountrySeries {
  std::string code;                ///< ISO 3166 alpha-3 (MPD countrycode; SUN, CSK, YUG for the former federations)
  std::string name;                ///< as the source gives it
  std::string region;              ///< MPD region (one of CountryData::regions())
  std::vector<double> gdppc;       ///< GDP per head, 2011 international dollars (PPP); NaN where missing
  std::vector<double> population;  ///< people (the file gives thousands); NaN where missing
};

class CountryData {
 public:
  /// The Maddison Project Database 2023 extract shipped with glocal (169 units, 1950-2010).
  [[nodiscard]] static const CountryData& maddison();
  /// Reads a CSV file with the header `iso3,country,region,year,gdppc,pop` (pop in thousands;
  /// gdppc or pop may be empty, not both), every unit with a row for every year of one common
  /// span. Throws DataError naming file:line.
  [[nodiscard]] static CountryData load(const std::filesystem::path& path);
  /// The same from text; `source` names it in errors.
  [[nodiscard]] static CountryData parse(std::string_view text, const std::string& source);

  [[nodiscard]] int first_year() const noexcept { return first_year_; }
  [[nodiscard]] int last_year() const noexcept { return last_year_; }
  [[nodiscard]] const std::vector<CountrySeries>& countries() const noexcept { return countries_; }
  /// The unit with this code, or nullptr.
  [[nodiscard]] const CountrySeries* find(std::string_view code) const noexcept;
  /// The value in `year`, NaN when missing or outside [first_year, last_year].
  [[nodiscard]] double gdppc(const CountrySeries& country, int year) const noexcept;
  [[nodiscard]] double population(const CountrySeries& country, int year) const noexcept;
  /// The regions, in the order of the MPD's own list where they are MPD regions, then others in
  /// order of first appearance.
  [[nodiscard]] const std::vector<std::string>& regions() const noexcept { return regions_; }

 private:
  int first_year_ = 0;
  int last_year_ = -1;
  std::vector<CountrySeries> countries_;
  std::vector<std::string> regions_;
};

/// A former federation of the data and the states that succeeded it.
struct Federation {
  std::string code;
  int first_successor_year = 0;  ///< the first year its successors stand for it (MPD: 1992 USSR and Yugoslavia, 1993 Czechoslovakia)
  std::vector<std::string> successors;
};
/// The Maddison data's three federations (data/maddison/README.md).
[[nodiscard]] const std::vector<Federation>& maddison_federations();

/// Which of a federation and its successors stand in a world.
enum class FederationRule {
  as_of_year,   ///< the federation before its successors' first year, the successors from then on
  federations,  ///< always the federations
  successors,   ///< always the successor states
};

/// The units that make up the world: every unit of the data except, for each federation, either
/// the federation or its successors (never both), in data order. `year` applies to as_of_year.
[[nodiscard]] std::vector<const CountrySeries*> world_units(const CountryData& data, int year, FederationRule rule);

}  // namespace glocal
