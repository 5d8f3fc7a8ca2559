// The tests' main: GoogleTest's, after the allocator set as `glocal` sets it (glocal/core/allocator.hpp),
// so that the tests run the library as the command line runs it.
#include <gtest/gtest.h>

#include "glocal/core/allocator.hpp"

int main(int argc, char** argv) {
  glocal::keep_freed_memory();
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
