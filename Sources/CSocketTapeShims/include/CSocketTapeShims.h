#ifndef C_SOCKETTAPE_SHIMS_H
#define C_SOCKETTAPE_SHIMS_H

#include <stddef.h>
#include <stdint.h>

/// Whether this CPU has a CRC-32C instruction (x86-64 SSE4.2, or the AArch64 CRC extension).
int sockettape_crc32c_hardware_available(void);

/// Continues a CRC-32C over `length` bytes with the CPU's instruction.
///
/// `crc` is the running value before the final inversion (start with 0xFFFFFFFF; invert the
/// result when done). Call only when `sockettape_crc32c_hardware_available()` returned 1.
uint32_t sockettape_crc32c_hardware(uint32_t crc, const void *bytes, size_t length);

/// Lets the kernel write back and forget a tape's pages once they are on their way to disk.
///
/// Starts write-back of `[start, start + length)` without waiting for it (Linux
/// `sync_file_range(SYNC_FILE_RANGE_WRITE)`), then advises the kernel that the pages of
/// `[forget_from, start)` are not needed again (`posix_fadvise(POSIX_FADV_DONTNEED)`; pages still
/// being written are kept, and dropped by a later call whose range still covers them). Returns 0,
/// or an errno; does nothing and returns 0 where these calls do not exist.
int sockettape_release_written_pages(int descriptor, int64_t start, int64_t length, int64_t forget_from);

/// Has glibc's allocator keep the memory a batch job frees: blocks under `bytes` (at most 32 MiB)
/// come from the heap rather than their own `mmap`, and up to `bytes` free at the heap's top stay
/// there rather than going back to the kernel (`mallopt` `M_MMAP_THRESHOLD`, `M_TRIM_THRESHOLD`,
/// which Swift's Glibc module does not show). Returns 1 on success, 0 on failure or where there
/// are no such settings.
int sockettape_keep_freed_heap_memory(size_t bytes);

#endif
