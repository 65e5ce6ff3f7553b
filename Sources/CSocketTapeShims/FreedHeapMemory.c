// glibc's allocator settings; `mallopt` is not visible from Swift's Glibc module.
#include "CSocketTapeShims.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int sockettape_keep_freed_heap_memory(size_t bytes) {
#if defined(__GLIBC__)
    // glibc refuses an mmap threshold above 32 MiB on 64-bit systems.
    const size_t mmap_threshold_max = (size_t)32 << 20;
    const size_t trim = bytes < (size_t)1 << 30 ? bytes : (size_t)1 << 30;
    const size_t mmap_threshold = bytes < mmap_threshold_max ? bytes : mmap_threshold_max;
    return mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold) && mallopt(M_TRIM_THRESHOLD, (int)trim);
#else
    (void)bytes;
    return 0;
#endif
}
