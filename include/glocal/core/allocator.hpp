#pragma once
// The C library's allocator, told to keep what a run frees.

namespace glocal {

/// Tells glibc's malloc to serve blocks below 32 MiB from its heaps and to keep up to 128 MiB of
/// freed memory instead of returning it to the system (M_MMAP_THRESHOLD, M_TRIM_THRESHOLD). A
/// run frees and allocates the same tables every tick (the renewed network, the sorted incomes
/// of a record); by default each of those above the adaptive mmap threshold is mapped afresh and
/// every page faulted in again, which on a virtual machine cost about a third of a run of the
/// 20,000-agent real world (bench/README.md). Blocks on huge pages (HugeVector) give their pages
/// back when freed, so what the heap keeps of them is not resident. No effect on results; without
/// glibc it does nothing. Called once by run_command_line(), the tests' and the benchmarks' mains.
void keep_freed_memory() noexcept;

}  // namespace glocal
