// libFuzzer target for the scenario loader: any text must either load or be refused with a
// ScenarioError (file, line, key, what was expected). Anything else (another exception, a crash,
// undefined behaviour, a leak) is a bug. Built by `make fuzz` (clang, Debian's libFuzzer).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "glocal/core/error.hpp"
#include "glocal/model/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const glocal::Scenario scenario = glocal::Scenario::parse(text, "fuzz.toml");
    (void)scenario.point_count();
    (void)scenario.canonical_point();
  } catch (const glocal::ScenarioError&) {
    // refused with a located message: what bad input must get
  }
  return 0;
}
