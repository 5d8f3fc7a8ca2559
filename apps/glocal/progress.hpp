#pragma once
// Progress of a batch on stderr: a bar redrawn in place on a terminal; a plain line every
// `plain_every` seconds otherwise (logs, CI), so that long runs are never silent.
#include <cstdio>

#include "glocal/run/simulation.hpp"

namespace glocal::cli {

class ProgressReporter {
 public:
  explicit ProgressReporter(std::FILE* stream, double plain_every = 10.0);
  void operator()(const BatchProgress& progress);
  /// Ends the bar's line (terminal only).
  void finish();

 private:
  std::FILE* stream_;
  bool terminal_;
  double plain_every_;
  double last_plain_ = -1.0;
  bool drew_ = false;
};

}  // namespace glocal::cli
