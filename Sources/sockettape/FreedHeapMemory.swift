import CSocketTapeShims

/// What glibc's allocator does with the memory a command frees.
///
/// By default glibc gives the top of its heap back to the kernel (`brk`) once 128 KiB there are
/// free, and maps blocks of 128 KiB and more on their own, unmapping them when freed; memory taken
/// back later is faulted in and zeroed anew. An import makes and frees records by the thousand
/// many times a second, so its heap went up and down all along: 3,266 `brk` calls importing a
/// 100 MB permessage-deflate capture (docs/benchmarks.md, "Session 7").
enum FreedHeapMemory {
    /// Keeps up to 32 MiB of freed memory for reuse: for commands that run to an end, such as
    /// `import`, not for the proxy, whose memory should go back after a peak.
    static func keepForBatchWork() {
        _ = sockettape_keep_freed_heap_memory(32 << 20)
    }
}
