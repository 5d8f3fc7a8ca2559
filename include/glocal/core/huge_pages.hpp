#pragma once
// Large arrays on transparent huge pages. Touching fresh memory costs a page fault per 4 KiB page,
// which on a virtual machine can cost more than the work done on the page: a zeroed 20 MB vector
// took 62-70 ms on the 2-core VM, the same vector advised onto 2 MiB pages 1.4-1.8 ms. The
// advice (madvise MADV_HUGEPAGE) is only advice: where the kernel has no huge page at hand, or
// transparent huge pages are off, the pages are ordinary ones, and nothing else changes.
#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <limits>
#include <memory>
#include <new>
#include <vector>

namespace glocal {

inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

/// std::allocator below 2 MiB; at and above it, memory aligned to 2 MiB and advised onto huge pages.
template <typename T>
class HugePageAllocator {
 public:
  using value_type = T;
  HugePageAllocator() noexcept = default;
  template <typename U>
  explicit HugePageAllocator(const HugePageAllocator<U>& /*other*/) noexcept {}

  [[nodiscard]] T* allocate(std::size_t n) {
    if (!huge(n)) return std::allocator<T>{}.allocate(n);
    if (n > (std::numeric_limits<std::ptrdiff_t>::max() - kHugePageBytes) / sizeof(T)) throw std::bad_array_new_length();
    // Through the aligned operator new, so that whatever counts allocations counts these too.
    void* memory = ::operator new (rounded(n), std::align_val_t{kHugePageBytes});
#ifdef MADV_HUGEPAGE
    ::madvise(memory, rounded(n), MADV_HUGEPAGE);  // advice: an error only means ordinary pages
#endif
    return static_cast<T*>(memory);
  }
  void deallocate(T* memory, std::size_t n) noexcept {
    if (!huge(n)) {
      std::allocator<T>{}.deallocate(memory, n);
      return;
    }
#ifdef MADV_DONTNEED
    // Give the pages back now: where the C library keeps freed memory for reuse
    // (keep_freed_memory, glocal/core/allocator.hpp), a freed block on huge pages would stay
    // resident 2 MiB at a time. The next use of the range faults in fresh pages.
    ::madvise(memory, rounded(n), MADV_DONTNEED);
#endif
    ::operator delete (memory, std::align_val_t{kHugePageBytes});
  }
  friend bool operator==(const HugePageAllocator& /*a*/, const HugePageAllocator& /*b*/) noexcept { return true; }

 private:
  [[nodiscard]] static bool huge(std::size_t n) noexcept { return n >= kHugePageBytes / sizeof(T); }
  [[nodiscard]] static std::size_t rounded(std::size_t n) noexcept {
    return (n * sizeof(T) + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
  }
};

/// A vector whose storage, once it reaches 2 MiB, lies on huge pages where the kernel has them.
template <typename T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace glocal
