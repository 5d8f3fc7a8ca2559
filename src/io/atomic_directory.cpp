#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>

#include <system_error>

#include "glocal/core/error.hpp"
#include "glocal/io/output.hpp"

namespace glocal {

namespace fs = std::filesystem;

void write_file_atomically(const fs::path& path, std::string_view text) {
  const fs::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary);
    out << text;
    out.flush();
    if (!out) throw OutputError("cannot write '" + temporary.string() + "'");
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) throw OutputError("cannot write '" + path.string() + "': " + ec.message());
}

AtomicDirectory::AtomicDirectory(const fs::path& final_path, Mode mode) : final_(final_path.lexically_normal()) {
  std::error_code ec;
  if (!final_.has_filename()) final_ = final_.parent_path();  // "out/" names the folder out
  if (final_.empty() || final_.filename() == "." || final_.filename() == "..") {
    throw OutputError("'" + final_path.string() + "' names no folder to write into; choose another --out");
  }
  if (fs::exists(final_, ec) && !(fs::is_directory(final_, ec) && fs::is_empty(final_, ec))) {
    throw OutputError("output folder '" + final_.string() + "' already exists and is not empty; choose another --out");
  }
  const fs::path parent = final_.has_parent_path() ? final_.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  if (ec) throw OutputError("cannot create '" + parent.string() + "': " + ec.message());
  // One writer per folder: a lock beside it, taken atomically; a lock whose process is gone is stale.
  lock_ = parent / (final_.filename().string() + ".lock");
  for (int attempt = 0; attempt < 2; ++attempt) {
    const int fd = ::open(lock_.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd >= 0) {
      const std::string pid = std::to_string(::getpid()) + "\n";
      const ssize_t written = ::write(fd, pid.data(), pid.size());
      ::close(fd);
      if (written != static_cast<ssize_t>(pid.size())) throw OutputError("cannot write the lock '" + lock_.string() + "'");
      locked_ = true;
      break;
    }
    long holder = 0;
    if (FILE* in = std::fopen(lock_.c_str(), "r")) {
      if (std::fscanf(in, "%ld", &holder) != 1) holder = 0;
      std::fclose(in);
    }
    if (holder > 0 && (::kill(static_cast<pid_t>(holder), 0) == 0 || errno == EPERM)) {
      throw OutputError("another glocal (process " + std::to_string(holder) + ") is writing '" + final_.string() +
                        "'; choose another --out");
    }
    fs::remove(lock_, ec);  // stale: its process is gone
  }
  if (!locked_) throw OutputError("cannot take the lock '" + lock_.string() + "'");
  try {
    prepare_staging(parent / (final_.filename().string() + ".partial"), mode);
  } catch (...) {
    fs::remove(lock_, ec);  // the destructor does not run for a constructor that throws
    throw;
  }
}

void AtomicDirectory::prepare_staging(const fs::path& staging, Mode mode) {
  std::error_code ec;
  staging_ = staging;
  if (mode == Mode::resume) {
    if (!fs::is_directory(staging_, ec) || !fs::exists(staging_ / "manifest.json", ec)) {
      staging_.clear();  // nothing of ours to remove
      throw OutputError("no interrupted run to resume at '" + final_.string() + "' (no " + (final_.filename().string() + ".partial") +
                        "/manifest.json beside it)");
    }
    kept_ = true;  // an interrupted batch's finished runs: kept on any failure of this invocation
    return;
  }
  if (fs::exists(staging_ / "manifest.json", ec)) {
    const std::string kept = staging_.string();
    staging_.clear();  // an interrupted run's finished runs: never removed here
    throw OutputError("'" + kept + "' holds an interrupted run of this folder: complete it with `glocal run --resume " + final_.string() +
                      "`, or remove it to start again");
  }
  fs::remove_all(staging_, ec);  // a staging folder from a process killed before its manifest: nothing to keep
  if (!fs::create_directory(staging_, ec) || ec) {
    throw OutputError("cannot create '" + staging_.string() + "': " + (ec ? ec.message() : "already exists"));
  }
}

AtomicDirectory::~AtomicDirectory() {
  std::error_code ec;
  if (!committed_ && !kept_ && !staging_.empty()) fs::remove_all(staging_, ec);
  if (locked_) fs::remove(lock_, ec);
}

void AtomicDirectory::commit() {
  std::error_code ec;
  if (fs::exists(final_, ec)) fs::remove(final_, ec);  // an empty folder (checked at construction)
  fs::rename(staging_, final_, ec);
  if (ec) throw OutputError("cannot move results into '" + final_.string() + "': " + ec.message());
  committed_ = true;
}

}  // namespace glocal
