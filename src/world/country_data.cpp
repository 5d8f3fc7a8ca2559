#include "glocal/world/country_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

namespace glocal {

/// The shipped extract's text (generated at build time from data/maddison/countries-1950-2010.csv).
std::string_view maddison_csv() noexcept;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::string_view kHeader = "iso3,country,region,year,gdppc,pop";

// The MPD's regions in its own order (data/maddison/README.md).
const std::vector<std::string>& mpd_regions() {
  static const std::vector<std::string> regions = {"Western Europe",
                                                   "Eastern Europe",
                                                   "Western Offshoots",
                                                   "Latin America",
                                                   "East Asia",
                                                   "South and South East Asia",
                                                   "Middle East and North Africa",
                                                   "Sub Saharan Africa"};
  return regions;
}

/// The fields of one CSV line (RFC 4180: a field may be quoted, "" inside quotes is one quote).
/// Returns false on an unterminated quote.
bool split_csv(std::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool quoted = false;
  for (std::size_t k = 0; k < line.size(); ++k) {
    const char c = line[k];
    if (quoted) {
      if (c != '"') {
        field += c;
      } else if (k + 1 < line.size() && line[k + 1] == '"') {
        field += '"';
        ++k;
      } else {
        quoted = false;
      }
    } else if (c == '"' && field.empty()) {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else {
      field += c;
    }
  }
  fields.push_back(std::move(field));
  return !quoted;
}

}  // namespace

DataError::DataError(std::string file, int line, std::string message)
    : Error(line > 0 ? fmt::format("{}:{}: {}", file, line, message) : fmt::format("{}: {}", file, message)),
      file_(std::move(file)),
      line_(line) {}

CountryData CountryData::load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw DataError(path.string(), 0,
                    std::filesystem::exists(path) ? "cannot read the data file (permission denied or not a file)" : "no such data file");
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse(buffer.str(), path.string());
}

CountryData CountryData::parse(std::string_view text, const std::string& source) {
  CountryData data;
  std::vector<std::string> fields;
  int line_number = 0;
  bool header_seen = false;
  int expected_year = 0;  // the next year of the current unit
  const auto fail = [&](const std::string& message) { throw DataError(source, line_number, message); };
  const auto number = [&](const std::string& field, const char* column) {
    if (field.empty()) return kNaN;
    double value = 0;
    const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (error != std::errc{} || end != field.data() + field.size() || !std::isfinite(value) || value <= 0.0) {
      fail(fmt::format("{}: expected a positive number or an empty cell, got \"{}\"", column, field));
    }
    return value;
  };
  const auto close_unit = [&] {  // the unit just read covers the span of the first unit
    if (data.countries_.empty()) return;
    const CountrySeries& unit = data.countries_.back();
    if (data.countries_.size() == 1) {
      data.last_year_ = expected_year - 1;
    } else if (expected_year - 1 != data.last_year_) {
      fail(fmt::format("unit {} ends in {}, the others in {}: every unit needs a row for every year from {} to {}", unit.code,
                       expected_year - 1, data.last_year_, data.first_year_, data.last_year_));
    }
  };
  std::size_t position = 0;
  while (position < text.size()) {
    std::size_t end = text.find('\n', position);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(position, end - position);
    position = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!header_seen) {
      if (line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);  // a UTF-8 byte-order mark
      if (line != kHeader) fail(fmt::format("expected the header \"{}\", got \"{}\"", kHeader, line));
      header_seen = true;
      continue;
    }
    if (line.empty()) continue;
    if (!split_csv(line, fields)) fail("a quoted field is not closed");
    if (fields.size() != 6) fail(fmt::format("expected 6 fields ({}), got {}", kHeader, fields.size()));
    const std::string& code = fields[0];
    if (code.empty()) fail("iso3: expected a unit code, got an empty cell");
    int year = 0;
    const auto [year_end, year_error] = std::from_chars(fields[3].data(), fields[3].data() + fields[3].size(), year);
    if (year_error != std::errc{} || year_end != fields[3].data() + fields[3].size())
      fail(fmt::format("year: expected an integer, got \"{}\"", fields[3]));
    const double gdppc = number(fields[4], "gdppc");
    const double thousands = number(fields[5], "pop");
    if (std::isnan(gdppc) && std::isnan(thousands)) fail(fmt::format("{} {}: both gdppc and pop are empty", code, year));

    if (data.countries_.empty() || data.countries_.back().code != code) {
      close_unit();
      if (data.find(code) != nullptr) fail(fmt::format("unit {} appears again after other units: a unit's rows must be together", code));
      if (data.countries_.empty()) {
        data.first_year_ = year;
      } else if (year != data.first_year_) {
        fail(fmt::format("unit {} starts in {}, the others in {}: every unit needs a row for every year of one span", code, year,
                         data.first_year_));
      }
      if (fields[2].empty()) fail(fmt::format("region: expected the region of {}, got an empty cell", code));
      data.countries_.push_back({code, fields[1], fields[2], {}, {}});
      if (std::find(data.regions_.begin(), data.regions_.end(), fields[2]) == data.regions_.end()) data.regions_.push_back(fields[2]);
      expected_year = year;
    }
    CountrySeries& unit = data.countries_.back();
    if (year != expected_year)
      fail(fmt::format("{}: expected the year {} next, got {} (years in order, none missing or repeated)", code, expected_year, year));
    if (fields[1] != unit.name || fields[2] != unit.region) {
      fail(fmt::format("{}: country and region must be the same on every row (\"{}\", \"{}\" before)", code, unit.name, unit.region));
    }
    unit.gdppc.push_back(gdppc);
    unit.population.push_back(thousands * 1000.0);
    ++expected_year;
  }
  if (!header_seen) throw DataError(source, 0, fmt::format("the file is empty: expected the header \"{}\"", kHeader));
  if (data.countries_.empty()) throw DataError(source, 0, "no data rows after the header");
  close_unit();
  // Regions in the MPD's order, then any others as they appeared.
  std::vector<std::string> ordered;
  for (const auto& region : mpd_regions()) {
    if (std::find(data.regions_.begin(), data.regions_.end(), region) != data.regions_.end()) ordered.push_back(region);
  }
  for (const auto& region : data.regions_) {
    if (std::find(ordered.begin(), ordered.end(), region) == ordered.end()) ordered.push_back(region);
  }
  data.regions_ = std::move(ordered);
  return data;
}

const CountryData& CountryData::maddison() {
  static const CountryData data = parse(maddison_csv(), "data/maddison/countries-1950-2010.csv");
  return data;
}

const CountrySeries* CountryData::find(std::string_view code) const noexcept {
  for (const auto& country : countries_) {
    if (country.code == code) return &country;
  }
  return nullptr;
}

double CountryData::gdppc(const CountrySeries& country, int year) const noexcept {
  return year < first_year_ || year > last_year_ ? kNaN : country.gdppc[static_cast<std::size_t>(year - first_year_)];
}

double CountryData::population(const CountrySeries& country, int year) const noexcept {
  return year < first_year_ || year > last_year_ ? kNaN : country.population[static_cast<std::size_t>(year - first_year_)];
}

const std::vector<Federation>& maddison_federations() {
  static const std::vector<Federation> federations = {
      {"SUN", 1992, {"ARM", "AZE", "BLR", "EST", "GEO", "KAZ", "KGZ", "LTU", "LVA", "MDA", "RUS", "TJK", "TKM", "UKR", "UZB"}},
      {"CSK", 1993, {"CZE", "SVK"}},
      {"YUG", 1992, {"BIH", "HRV", "MKD", "MNE", "SRB", "SVN"}},
  };
  return federations;
}

std::vector<const CountrySeries*> world_units(const CountryData& data, int year, FederationRule rule) {
  std::vector<std::string_view> left_out;
  for (const auto& federation : maddison_federations()) {
    if (data.find(federation.code) == nullptr) continue;  // a file without it: nothing overlaps
    const bool successors =
        rule == FederationRule::successors || (rule == FederationRule::as_of_year && year >= federation.first_successor_year);
    if (successors) {
      left_out.push_back(federation.code);
    } else {
      left_out.insert(left_out.end(), federation.successors.begin(), federation.successors.end());
    }
  }
  std::vector<const CountrySeries*> units;
  for (const auto& country : data.countries()) {
    if (std::find(left_out.begin(), left_out.end(), country.code) == left_out.end()) units.push_back(&country);
  }
  return units;
}

}  // namespace glocal
