#include "glocal/core/allocator.hpp"

#include <cstdlib>  // glibc's <features.h>: __GLIBC__

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace glocal {

void keep_freed_memory() noexcept {
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
  constexpr int kMib = 1 << 20;
  // 32 MiB is the largest threshold glibc accepts on 64-bit systems (HEAP_MAX_SIZE / 2); larger
  // blocks (the agent columns of a large world) are still mapped and unmapped whole.
  mallopt(M_MMAP_THRESHOLD, 32 * kMib);
  mallopt(M_TRIM_THRESHOLD, 128 * kMib);
#endif
}

}  // namespace glocal
