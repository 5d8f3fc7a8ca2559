#include <unistd.h>

#include <system_error>

#include "glocal/core/error.hpp"
#include "glocal/io/output.hpp"

namespace glocal {

namespace fs = std::filesystem;

AtomicDirectory::AtomicDirectory(fs::path final_path) : final_(std::move(final_path)) {
  std::error_code ec;
  if (fs::exists(final_, ec) && !(fs::is_directory(final_, ec) && fs::is_empty(final_, ec))) {
    throw OutputError("output folder '" + final_.string() + "' already exists and is not empty; choose another --out");
  }
  const fs::path parent = final_.has_parent_path() ? final_.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  if (ec) throw OutputError("cannot create '" + parent.string() + "': " + ec.message());
  staging_ = parent / (final_.filename().string() + ".partial-" + std::to_string(::getpid()));
  fs::remove_all(staging_, ec);
  if (!fs::create_directory(staging_, ec) || ec) {
    throw OutputError("cannot create '" + staging_.string() + "': " + (ec ? ec.message() : "already exists"));
  }
}

AtomicDirectory::~AtomicDirectory() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

void AtomicDirectory::commit() {
  std::error_code ec;
  if (fs::exists(final_, ec)) fs::remove(final_, ec);  // an empty folder (checked at construction)
  fs::rename(staging_, final_, ec);
  if (ec) throw OutputError("cannot move results into '" + final_.string() + "': " + ec.message());
  committed_ = true;
}

}  // namespace glocal
