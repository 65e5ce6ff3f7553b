/// libpcap's counters for a live capture (`pcap_stats`), since the capture opened.
///
/// What each counts depends on the platform (see `man pcap_stats`); on Linux `received` counts
/// packets that passed the filter, including those dropped for lack of buffer space. The
/// counters are 32 bits wide and wrap.
public struct CaptureStatistics: Sendable, Equatable {
    /// Packets received (`ps_recv`).
    public var received: UInt32
    /// Packets the kernel dropped because the capture buffer was full (`ps_drop`): they are lost.
    public var droppedByKernel: UInt32
    /// Packets the network interface or its driver dropped (`ps_ifdrop`); not supported everywhere.
    public var droppedByInterface: UInt32

    public init(received: UInt32, droppedByKernel: UInt32, droppedByInterface: UInt32) {
        self.received = received
        self.droppedByKernel = droppedByKernel
        self.droppedByInterface = droppedByInterface
    }
}
