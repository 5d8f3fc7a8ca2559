#include "progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace glocal::cli {

namespace {
std::string clock_text(double seconds) {
  if (!std::isfinite(seconds)) return "--:--";
  const auto s = std::llround(seconds);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}
}  // namespace

ProgressReporter::ProgressReporter(std::FILE* stream, double plain_every)
    : stream_(stream), terminal_(::isatty(::fileno(stream)) != 0), plain_every_(plain_every) {}

void ProgressReporter::operator()(const BatchProgress& p) {
  const double rate = p.elapsed_seconds > 0 ? static_cast<double>(p.done) / p.elapsed_seconds : 0.0;
  const double fraction = p.fraction();
  const double left = fraction > 0 ? p.elapsed_seconds * (1.0 - fraction) / fraction : NAN;
  const std::string failed = p.failed > 0 ? fmt::format(", {} failed", p.failed) : "";
  if (terminal_) {
    constexpr int kWidth = 30;
    const int filled = std::clamp(static_cast<int>(kWidth * fraction), 0, kWidth);
    fmt::print(stream_, "\r[{}{}] {}/{} runs{}  {:.3g} runs/s  elapsed {}  left {}   ", std::string(filled, '#'),
               std::string(kWidth - filled, '.'), p.done, p.total, failed, rate, clock_text(p.elapsed_seconds), clock_text(left));
    std::fflush(stream_);
    drew_ = true;
    return;
  }
  const bool finished = p.done == p.total;
  if (!finished && last_plain_ >= 0 && p.elapsed_seconds - last_plain_ < plain_every_) return;
  if (last_plain_ < 0 && (finished || p.elapsed_seconds < plain_every_)) return;  // quick batches stay quiet
  last_plain_ = p.elapsed_seconds;
  fmt::print(stream_, "glocal: {}/{} runs{}, {:.3g} runs/s, elapsed {}, about {} left\n", p.done, p.total, failed, rate,
             clock_text(p.elapsed_seconds), clock_text(finished ? 0.0 : left));
}

void ProgressReporter::finish() {
  if (terminal_ && drew_) fmt::print(stream_, "\n");
}

}  // namespace glocal::cli
