#pragma once
// Content hashes for provenance (manifest.json records the scenario's SHA-256, so a user can
// compare it with `sha256sum scenario.toml`).
#include <string>
#include <string_view>

namespace glocal {

/// SHA-256 (FIPS 180-4) of the bytes, as 64 lower-case hex digits.
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

}  // namespace glocal
