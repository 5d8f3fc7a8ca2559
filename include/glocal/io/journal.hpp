#pragma once
// The run journal: finished runs, appended to disk as they finish, so a batch holds only the runs
// in flight in memory and an interrupted batch (Ctrl-C, kill -9, a crash) keeps every finished run.
//
// Format ("runs.journal", little-endian, see docs/architecture.md "Results on disk"):
//   header: 8 bytes "GLJOURN1", u32 byte-order mark 0x01020304, u32 0
//   record: u32 "GRUN", u32 0, u64 payload size, payload, u64 FNV-1a-64 of the payload
// A record is written with one write(2); a torn last record (a process killed mid-write) fails
// its size or checksum and is dropped by open_for_append, never read as a run.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "glocal/run/simulation.hpp"

namespace glocal {

/// Encodes one run as a journal payload, and back (exact: doubles by their bits).
[[nodiscard]] std::string encode_run(const RunResult& run);
/// Throws OutputError on a malformed payload.
[[nodiscard]] RunResult decode_run(std::string_view payload);

/// Where one run's record lies.
struct JournalEntry {
  std::uint64_t run_id = 0;
  std::uint64_t offset = 0;  ///< of the payload
  std::uint64_t size = 0;    ///< of the payload
};

/// What a scan of a journal found.
struct JournalScan {
  std::vector<JournalEntry> entries;  ///< in file order
  std::uint64_t valid_bytes = 0;      ///< the length of the file up to the end of its last good record
  std::uint64_t file_bytes = 0;       ///< the length of the file (> valid_bytes: a torn tail)
};

/// Reads every good record's place (header checked, each record's size and checksum checked,
/// stopping at the first bad one). Throws OutputError for a file that is missing or not a journal.
[[nodiscard]] JournalScan scan_journal(const std::filesystem::path& path);

/// Appends runs to a journal. Not thread-safe: one appender per file (the folder's lock).
class JournalWriter {
 public:
  /// Creates the file with its header; throws OutputError if it exists or cannot be created.
  static JournalWriter create(const std::filesystem::path& path);
  /// Opens an existing journal to go on: cuts a torn tail (scan.valid_bytes) and appends after it.
  static JournalWriter open_for_append(const std::filesystem::path& path, const JournalScan& scan);
  ~JournalWriter();
  JournalWriter(JournalWriter&& other) noexcept;
  JournalWriter& operator=(JournalWriter&&) = delete;
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  /// Appends one run (one write). Throws OutputError.
  void append(const RunResult& run);
  /// Flushes to stable storage (fsync). Throws OutputError.
  void sync();

 private:
  JournalWriter(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::filesystem::path path_;
  int fd_ = -1;
};

/// Reads records by their entries (pread; safe from several threads).
class JournalReader {
 public:
  explicit JournalReader(const std::filesystem::path& path);
  ~JournalReader();
  JournalReader(const JournalReader&) = delete;
  JournalReader& operator=(const JournalReader&) = delete;

  [[nodiscard]] RunResult read(const JournalEntry& entry) const;
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace glocal
