#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CPcap
import NIOCore

/// Reads the packets of a pcap or pcapng file with libpcap, one at a time, timestamps in
/// microseconds (pcapng nanosecond timestamps are scaled by libpcap).
///
/// A file cut off or damaged after its header is not an error: every whole packet before the
/// damage is returned, then ``next()`` returns `nil` and ``damage`` says where and what.
/// libpcap reads a pcapng file only while all its interfaces share the first one's link type: an
/// interface of another link type ends reading there, with ``damage``.
///
/// ```swift
/// let reader = try PcapFileReader(path: "capture.pcapng")
/// for packet in reader { … PacketDecoder.decode(packet.bytes, linkType: reader.linkType, …) }
/// if let damage = reader.damage { print(damage) }
/// ```
public final class PcapFileReader: Sequence, IteratorProtocol {
    /// The file being read.
    public let path: String
    /// The link type of the file's packets.
    public let linkType: LinkType
    /// Set once reading has stopped before the end of the file.
    public private(set) var damage: CaptureFileDamage?
    /// How many packets ``next()`` has returned.
    public private(set) var packetsRead = 0

    private let handle: OpaquePointer
    /// stdio's buffer for the file: glibc ignores the size asked of `setvbuf` unless it is given
    /// the buffer, and reads in 4 KiB system calls otherwise.
    private let readBuffer: UnsafeMutablePointer<CChar>
    private let allocator = ByteBufferAllocator()
    private var finished = false
    /// The buffers of the last batches, oldest first, to be reused once their packets are gone.
    private var batchStorage: [ByteBuffer] = []
    /// How many batch buffers are kept for reuse: more than the batches a reader's consumer holds.
    private static let recycledBatches = 16

    /// Larger than stdio's default so a file is read in few system calls.
    private static let readBufferSize = 1 << 20

    /// Opens the file at `path` and reads its header.
    ///
    /// - Throws: ``CaptureFileError`` ``CaptureFileError/Code/unreadable`` when the file cannot be
    ///   opened or read, ``CaptureFileError/Code/notACaptureFile`` when libpcap does not take it.
    public init(path: String) throws(CaptureFileError) {
        guard let file = fopen(path, "rb") else {
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        let readBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Self.readBufferSize)
        setvbuf(file, readBuffer, _IOFBF, Self.readBufferSize)
        var errorBuffer = LibpcapErrorBuffer()
        let opened = errorBuffer.withPointer {
            pcap_fopen_offline_with_tstamp_precision(file, UInt32(PCAP_TSTAMP_PRECISION_MICRO), $0)
        }
        guard let handle = opened else {
            fclose(file)
            readBuffer.deallocate()
            let libpcapMessage = errorBuffer.message
            // libpcap's words when the header read itself fails (EISDIR, EIO), as opposed to a
            // header it does not recognise.
            let readFailure = "error reading dump file: "
            if libpcapMessage.hasPrefix(readFailure) {
                throw .unreadable(path: path, reason: String(libpcapMessage.dropFirst(readFailure.count)))
            }
            throw .notACaptureFile(path: path, libpcapMessage: libpcapMessage)
        }
        self.path = path
        self.handle = handle
        self.readBuffer = readBuffer
        self.linkType = LinkType(rawValue: pcap_datalink(handle))
    }

    deinit {
        pcap_close(handle)  // closes the file, which no longer reads the buffer
        readBuffer.deallocate()
    }

    /// The next packet, or `nil` at the end of the file or at damage (then see ``damage``).
    public func next() -> CapturedPacket? {
        guard let (header, data) = nextFromLibpcap() else { return nil }
        return CapturedPacket(header: header, data: data, allocator: allocator)
    }

    /// The next packets, about `byteLimit` captured bytes of them, copied into one buffer they
    /// share: one allocation per batch instead of one per packet. Empty at the end of the file or
    /// at damage (then see ``damage``).
    ///
    /// A packet's bytes keep the whole batch's buffer alive: hold on to slices of them only briefly.
    public func nextBatch(byteLimit: Int) -> [CapturedPacket] {
        var storage = recycledBatchStorage(capacity: byteLimit)
        var packets: [(header: pcap_pkthdr, offset: Int)] = []
        while storage.writerIndex < byteLimit, let (header, data) = nextFromLibpcap() {
            packets.append((header, storage.writerIndex))
            storage.writeBytes(UnsafeRawBufferPointer(start: data, count: Int(header.caplen)))
        }
        // Kept, and sliced, only now that the buffer is complete: writing to a shared buffer would copy it.
        batchStorage.append(storage)
        return packets.map { packet in
            CapturedPacket(
                bytes: storage.getSlice(at: packet.offset, length: Int(packet.header.caplen))!,
                wireLength: Int(packet.header.len), wallMicros: packet.header.wallMicros
            )
        }
    }

    /// A buffer for the next batch: the oldest of the last ``recycledBatches`` batches' buffers,
    /// cleared, which reuses its memory when nothing else refers to it any more (still mapped,
    /// maybe still cached), or a new one.
    private func recycledBatchStorage(capacity: Int) -> ByteBuffer {
        guard batchStorage.count >= Self.recycledBatches else { return allocator.buffer(capacity: capacity) }
        var storage = batchStorage.removeFirst()
        // Clearing keeps the storage only when this is its last reference; otherwise it allocates.
        storage.clear(minimumCapacity: capacity)
        return storage
    }

    /// libpcap's next packet, valid until the next call; `nil` at the end or at damage.
    private func nextFromLibpcap() -> (pcap_pkthdr, UnsafePointer<UInt8>)? {
        guard !finished else { return nil }
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        let result = pcap_next_ex(handle, &header, &data)
        guard result == 1, let header, let data else {
            finished = true
            if result != PCAP_ERROR_BREAK {
                damage = CaptureFileDamage(
                    path: path, packetsRead: packetsRead, libpcapMessage: String(cString: pcap_geterr(handle))
                )
            }
            return nil
        }
        packetsRead += 1
        return (header.pointee, data)
    }
}
