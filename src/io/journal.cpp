#include "glocal/io/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "glocal/core/error.hpp"

namespace glocal {

namespace fs = std::filesystem;

namespace {

static_assert(std::endian::native == std::endian::little, "the journal is little-endian");

constexpr std::array<char, 8> kMagic = {'G', 'L', 'J', 'O', 'U', 'R', 'N', '1'};
constexpr std::uint32_t kByteOrder = 0x01020304u;
constexpr std::uint32_t kRecordMagic = 0x4E555247u;  // "GRUN"
constexpr std::uint64_t kHeaderBytes = 16;
constexpr std::uint64_t kRecordHeadBytes = 16;  // magic, reserved, payload size
constexpr std::uint64_t kRecordTailBytes = 8;   // checksum
/// Larger payloads are taken as damage, not read (a run's series would be 2^40 bytes).
constexpr std::uint64_t kMaxPayload = std::uint64_t{1} << 40;

std::uint64_t fnv1a(std::string_view bytes) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

template <class T>
void put(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

void put_text(std::string& out, const std::string& text) {
  put<std::uint64_t>(out, text.size());
  out += text;
}

void put_values(std::string& out, const std::vector<double>& values) {
  put<std::uint64_t>(out, values.size());
  out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(double));
}

/// Reads a payload front to back; every read is bounds-checked.
class Cursor {
 public:
  explicit Cursor(std::string_view bytes) : bytes_(bytes) {}
  template <class T>
  T get() {
    need(sizeof(T));
    T value;
    std::memcpy(&value, bytes_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return value;
  }
  std::string text() {
    const auto size = get<std::uint64_t>();
    need(size);
    std::string out(bytes_.substr(at_, size));
    at_ += size;
    return out;
  }
  std::vector<double> values() {
    const auto count = get<std::uint64_t>();
    if (count > (bytes_.size() - at_) / sizeof(double)) fail();
    std::vector<double> out(count);
    std::memcpy(out.data(), bytes_.data() + at_, count * sizeof(double));
    at_ += count * sizeof(double);
    return out;
  }
  [[nodiscard]] bool done() const noexcept { return at_ == bytes_.size(); }
  [[noreturn]] static void fail() { throw OutputError("runs.journal: a record does not decode (damaged file)"); }

 private:
  void need(std::uint64_t n) const {
    if (n > bytes_.size() - at_) fail();
  }
  std::string_view bytes_;
  std::size_t at_ = 0;
};

void write_all(int fd, const std::string& bytes, const fs::path& path) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw OutputError("cannot append to '" + path.string() + "': " + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

std::string encode_run(const RunResult& run) {
  std::string out;
  put<std::uint64_t>(out, run.run_id);
  put<std::uint64_t>(out, run.point);
  put<std::uint64_t>(out, run.replicate);
  put<std::uint64_t>(out, run.point_key);
  put<std::uint8_t>(out, static_cast<std::uint8_t>(run.status));
  put_text(out, run.stop_reason);
  put_text(out, run.error);
  put<std::uint64_t>(out, run.ticks);
  put<double>(out, run.wall_seconds);
  put<std::uint64_t>(out, run.series.size());
  for (const auto& record : run.series) {
    put<std::uint64_t>(out, record.tick);
    put_values(out, record.metrics);
  }
  put<std::uint64_t>(out, run.places.size());
  for (const auto& record : run.places) {
    put<std::uint64_t>(out, record.tick);
    put<std::uint8_t>(out, static_cast<std::uint8_t>(record.scale));
    put<std::uint32_t>(out, record.place);
    put_values(out, record.metrics);
  }
  return out;
}

RunResult decode_run(std::string_view payload) {
  Cursor in(payload);
  RunResult run;
  run.run_id = in.get<std::uint64_t>();
  run.point = in.get<std::uint64_t>();
  run.replicate = in.get<std::uint64_t>();
  run.point_key = in.get<std::uint64_t>();
  const auto status = in.get<std::uint8_t>();
  if (status > static_cast<std::uint8_t>(RunStatus::cancelled)) Cursor::fail();
  run.status = static_cast<RunStatus>(status);
  run.stop_reason = in.text();
  run.error = in.text();
  run.ticks = in.get<std::uint64_t>();
  run.wall_seconds = in.get<double>();
  const auto series = in.get<std::uint64_t>();
  for (std::uint64_t k = 0; k < series; ++k) {
    TickRecord record;
    record.tick = in.get<std::uint64_t>();
    record.metrics = in.values();
    run.series.push_back(std::move(record));
  }
  const auto places = in.get<std::uint64_t>();
  for (std::uint64_t k = 0; k < places; ++k) {
    PlaceRecord record;
    record.tick = in.get<std::uint64_t>();
    const auto scale = in.get<std::uint8_t>();
    if (scale >= kScaleCount) Cursor::fail();
    record.scale = static_cast<Scale>(scale);
    record.place = in.get<std::uint32_t>();
    record.metrics = in.values();
    run.places.push_back(std::move(record));
  }
  if (!in.done()) Cursor::fail();
  return run;
}

JournalScan scan_journal(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw OutputError("cannot read '" + path.string() + "'");
  JournalScan scan;
  std::error_code ec;
  scan.file_bytes = fs::file_size(path, ec);
  if (ec) throw OutputError("cannot read '" + path.string() + "': " + ec.message());
  std::array<char, 8> magic{};
  std::uint32_t order = 0;
  std::uint32_t reserved = 0;
  in.read(magic.data(), magic.size());
  in.read(reinterpret_cast<char*>(&order), sizeof order);
  in.read(reinterpret_cast<char*>(&reserved), sizeof reserved);
  if (!in || magic != kMagic || order != kByteOrder) throw OutputError("'" + path.string() + "' is not a glocal run journal");
  scan.valid_bytes = kHeaderBytes;
  std::string payload;
  for (;;) {
    const std::uint64_t at = scan.valid_bytes;
    if (scan.file_bytes - at < kRecordHeadBytes + kRecordTailBytes) break;
    std::uint32_t head[2];
    std::uint64_t size = 0;
    in.read(reinterpret_cast<char*>(head), sizeof head);
    in.read(reinterpret_cast<char*>(&size), sizeof size);
    if (!in || head[0] != kRecordMagic || size > kMaxPayload || size > scan.file_bytes - at - kRecordHeadBytes - kRecordTailBytes) {
      break;
    }
    payload.resize(size);
    std::uint64_t checksum = 0;
    in.read(payload.data(), static_cast<std::streamsize>(size));
    in.read(reinterpret_cast<char*>(&checksum), sizeof checksum);
    if (!in || checksum != fnv1a(payload) || size < sizeof(std::uint64_t)) break;
    std::uint64_t run_id = 0;
    std::memcpy(&run_id, payload.data(), sizeof run_id);
    scan.entries.push_back({run_id, at + kRecordHeadBytes, size});
    scan.valid_bytes = at + kRecordHeadBytes + size + kRecordTailBytes;
  }
  return scan;
}

JournalWriter JournalWriter::create(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw OutputError("cannot create '" + path.string() + "': " + std::strerror(errno));
  JournalWriter writer(path, fd);
  std::string header(kMagic.begin(), kMagic.end());
  put<std::uint32_t>(header, kByteOrder);
  put<std::uint32_t>(header, 0);
  write_all(fd, header, path);
  return writer;
}

JournalWriter JournalWriter::open_for_append(const fs::path& path, const JournalScan& scan) {
  if (::truncate(path.c_str(), static_cast<off_t>(scan.valid_bytes)) != 0) {
    throw OutputError("cannot cut the torn tail of '" + path.string() + "': " + std::strerror(errno));
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) throw OutputError("cannot open '" + path.string() + "': " + std::strerror(errno));
  return JournalWriter(path, fd);
}

JournalWriter::~JournalWriter() {
  if (fd_ >= 0) ::close(fd_);
}

JournalWriter::JournalWriter(JournalWriter&& other) noexcept : path_(std::move(other.path_)), fd_(other.fd_) { other.fd_ = -1; }

void JournalWriter::append(const RunResult& run) {
  const std::string payload = encode_run(run);
  std::string record;
  record.reserve(payload.size() + kRecordHeadBytes + kRecordTailBytes);
  put<std::uint32_t>(record, kRecordMagic);
  put<std::uint32_t>(record, 0);
  put<std::uint64_t>(record, payload.size());
  record += payload;
  put<std::uint64_t>(record, fnv1a(payload));
  write_all(fd_, record, path_);
}

void JournalWriter::sync() {
  if (::fsync(fd_) != 0) throw OutputError("cannot flush '" + path_.string() + "': " + std::strerror(errno));
}

JournalReader::JournalReader(const fs::path& path) : path_(path), fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
  if (fd_ < 0) throw OutputError("cannot read '" + path.string() + "': " + std::strerror(errno));
}

JournalReader::~JournalReader() {
  if (fd_ >= 0) ::close(fd_);
}

RunResult JournalReader::read(const JournalEntry& entry) const {
  std::string payload(entry.size, '\0');
  std::uint64_t done = 0;
  while (done < entry.size) {
    const ssize_t n = ::pread(fd_, payload.data() + done, entry.size - done, static_cast<off_t>(entry.offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw OutputError("cannot read '" + path_.string() + "': " + std::strerror(errno));
    done += static_cast<std::uint64_t>(n);
  }
  return decode_run(payload);
}

}  // namespace glocal
