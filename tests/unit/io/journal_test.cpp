// The run journal: exact round trips, a torn tail dropped, damage detected.
#include "glocal/io/journal.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

#include "glocal/core/error.hpp"
#include "support/command.hpp"

namespace glocal {
namespace {

namespace fs = std::filesystem;

RunResult sample_run(std::uint64_t id) {
  RunResult run;
  run.run_id = id;
  run.point = id / 3;
  run.replicate = id % 3;
  run.point_key = 0x0123456789abcdefull ^ id;
  run.stop_reason = "ticks";
  run.ticks = 40 + id;
  run.wall_seconds = 0.25;
  run.series.push_back({0, {1.0, std::numeric_limits<double>::quiet_NaN(), -0.0}});
  run.series.push_back({40, {std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::infinity(), 1e300}});
  run.places.push_back({40, Scale::nation, 7, {0.5, 2.0}});
  return run;
}

void expect_same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t k = 0; k < a.size(); ++k) EXPECT_EQ(std::memcmp(&a[k], &b[k], sizeof(double)), 0) << k;
}

TEST(Journal, ARunRoundTripsBitForBit) {
  RunResult run = sample_run(5);
  run.status = RunStatus::failed;
  run.error = "bad, \"quoted\"\nline";
  const RunResult back = decode_run(encode_run(run));
  EXPECT_EQ(back.run_id, 5U);
  EXPECT_EQ(back.point, 1U);
  EXPECT_EQ(back.replicate, 2U);
  EXPECT_EQ(back.point_key, run.point_key);
  EXPECT_EQ(back.status, RunStatus::failed);
  EXPECT_EQ(back.error, run.error);
  EXPECT_EQ(back.stop_reason, "ticks");
  EXPECT_EQ(back.ticks, 45U);
  ASSERT_EQ(back.series.size(), 2U);
  EXPECT_EQ(back.series[1].tick, 40U);
  for (std::size_t k = 0; k < 2; ++k) expect_same_bits(back.series[k].metrics, run.series[k].metrics);
  ASSERT_EQ(back.places.size(), 1U);
  EXPECT_EQ(back.places[0].scale, Scale::nation);
  EXPECT_EQ(back.places[0].place, 7U);
  expect_same_bits(back.places[0].metrics, run.places[0].metrics);
  const std::string payload = encode_run(run);
  EXPECT_THROW((void)decode_run(payload.substr(0, payload.size() - 1)), OutputError);
  EXPECT_THROW((void)decode_run(payload + "x"), OutputError);
}

TEST(Journal, ATornLastRecordIsDroppedAndAppendingGoesOnAfterTheGoodOnes) {
  testing::TempDir tmp("journal-torn");
  const fs::path path = tmp / "runs.journal";
  {
    JournalWriter writer = JournalWriter::create(path);
    for (std::uint64_t id : {4, 1, 9}) writer.append(sample_run(id));
  }
  const JournalScan whole = scan_journal(path);
  ASSERT_EQ(whole.entries.size(), 3U);
  EXPECT_EQ(whole.entries[2].run_id, 9U);
  EXPECT_EQ(whole.valid_bytes, whole.file_bytes);
  // A process killed in the middle of the third record's write.
  fs::resize_file(path, whole.file_bytes - 11);
  const JournalScan torn = scan_journal(path);
  ASSERT_EQ(torn.entries.size(), 2U);
  EXPECT_LT(torn.valid_bytes, torn.file_bytes);
  {
    JournalWriter writer = JournalWriter::open_for_append(path, torn);
    writer.append(sample_run(2));
  }
  const JournalScan resumed = scan_journal(path);
  ASSERT_EQ(resumed.entries.size(), 3U);
  EXPECT_EQ(resumed.entries[2].run_id, 2U);
  EXPECT_EQ(resumed.valid_bytes, resumed.file_bytes);
  const JournalReader reader(path);
  EXPECT_EQ(reader.read(resumed.entries[1]).ticks, 41U);
}

TEST(Journal, ADamagedRecordEndsTheScanAndAForeignFileIsRefused) {
  testing::TempDir tmp("journal-damage");
  const fs::path path = tmp / "runs.journal";
  {
    JournalWriter writer = JournalWriter::create(path);
    for (std::uint64_t id : {0, 1, 2}) writer.append(sample_run(id));
  }
  const JournalScan scan = scan_journal(path);
  {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(scan.entries[1].offset + 30));
    file.put('\x55');  // one byte of the second run changed: its checksum fails
  }
  EXPECT_EQ(scan_journal(path).entries.size(), 1U);
  EXPECT_THROW((void)JournalWriter::create(path), OutputError);  // never over an existing journal
  std::ofstream(tmp / "other.csv") << "run_id,point\n0,0\n";
  EXPECT_THROW((void)scan_journal(tmp / "other.csv"), OutputError);
  EXPECT_THROW((void)scan_journal(tmp / "absent"), OutputError);
}

}  // namespace
}  // namespace glocal
