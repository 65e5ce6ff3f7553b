// Page-cache hints for the tape writer; `sync_file_range` is not visible from Swift's Glibc module.
#define _GNU_SOURCE
#include "CSocketTapeShims.h"

#include <errno.h>
#include <fcntl.h>

int sockettape_release_written_pages(int descriptor, int64_t start, int64_t length, int64_t forget_from) {
#if defined(__linux__)
    if (length > 0 && sync_file_range(descriptor, start, length, SYNC_FILE_RANGE_WRITE) != 0) {
        return errno;
    }
    if (start > forget_from) {
        return posix_fadvise(descriptor, forget_from, start - forget_from, POSIX_FADV_DONTNEED);
    }
    return 0;
#else
    (void)descriptor;
    (void)start;
    (void)length;
    (void)forget_from;
    return 0;
#endif
}
