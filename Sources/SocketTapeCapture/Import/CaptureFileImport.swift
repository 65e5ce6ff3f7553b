import SocketTapeTape
import SocketTapeWire

/// Imports a capture file on two threads: a reading thread runs libpcap, packet decoding and TCP
/// reassembly (``CaptureReassembly``) and hands the stream events over in batches; the calling
/// thread decodes the sessions (``CaptureDecoder``) and gives the records to `write`, which
/// encodes them on that same thread, ``recordsPerWrite`` at a time.
///
/// Packets are read in batches sharing one buffer, and the records never change threads, so the
/// memory allocator is not asked to free, on one thread, millions of small blocks another one made.
/// At most ``queuedBatches`` batches wait between the threads.
public enum CaptureFileImport {
    /// Captured bytes per batch of packets.
    static let batchBytes = 256 * 1024
    /// Batches of events waiting for the decoding thread, at most.
    static let queuedBatches = 8
    /// Records decoded before they are encoded: few enough that the payloads inflated or
    /// unmasked for them are still in the cache when they are copied into the tape.
    static let recordsPerWrite = 256

    /// What the reading thread hands over: the events of one batch of packets, and at the end
    /// what it read.
    private enum Handoff: Sendable {
        case events([TCPStreamEvent], firstWallMicros: Int64?)
        case end(CaptureSummary, CaptureFileDamage?)
    }

    /// The reader, moved to the reading thread, which alone uses it from then on.
    private struct ReaderTransfer: @unchecked Sendable {
        let reader: PcapFileReader
    }

    /// Reads every packet of `reader` and writes the records decoded from them.
    ///
    /// - Parameters:
    ///   - ports: the server ports to decode (`--port`); empty: every TCP connection.
    ///   - write: takes each batch of records in order; an error it throws stops the import (the
    ///     reading thread ends too) and is rethrown.
    /// - Returns: what was read, decoded and skipped, and the damage that ended reading early, if any.
    public static func run(
        _ reader: PcapFileReader, ports: Set<UInt16>, options: CaptureDecoderOptions,
        limits: TCPReassemblyLimits = .init(), write: ([TapeRecord]) throws -> Void
    ) throws -> (summary: CaptureSummary, damage: CaptureFileDamage?) {
        let handoff = BlockingHandoff<Handoff>(capacity: queuedBatches)
        let transfer = ReaderTransfer(reader: reader)
        let linkType = reader.linkType
        if let failure = DetachedThread.start({ read(transfer.reader, linkType: linkType, ports: ports, limits: limits, into: handoff) }) {
            throw CaptureFileError.unreadable(path: reader.path, reason: "cannot start a reading thread (error \(failure))")
        }
        var decoder: CaptureDecoder?
        // Swapped with the decoder's at every write: two arrays reused, none allocated.
        var records: [TapeRecord] = []
        do {
            while true {
                switch handoff.take() {
                case .events(let events, let firstWallMicros):
                    // No packet read yet: no events either.
                    guard let firstWallMicros else { continue }
                    // Moved out while it decodes the batch, not copied in and out for every event.
                    var batchDecoder = decoder.take() ?? CaptureDecoder(options: options, startWallMicros: firstWallMicros)
                    for index in events.indices {
                        batchDecoder.process(events[index])
                        // Written while their payloads are still in the cache.
                        if batchDecoder.pendingRecordCount >= recordsPerWrite {
                            try writePending(&batchDecoder, with: &records, to: write)
                        }
                    }
                    try writePending(&batchDecoder, with: &records, to: write)
                    decoder = batchDecoder
                case .end(var summary, let damage):
                    summary.decoding = decoder?.statistics ?? CaptureDecodingStatistics()
                    return (summary, damage)
                }
            }
        } catch {
            handoff.cancel()
            throw error
        }
    }

    /// Writes the records `decoder` made since the last call, through `records` (empty before
    /// and after, its storage reused).
    private static func writePending(
        _ decoder: inout CaptureDecoder, with records: inout [TapeRecord], to write: ([TapeRecord]) throws -> Void
    ) rethrows {
        decoder.moveRecords(into: &records)
        if !records.isEmpty { try write(records) }
        records.removeAll(keepingCapacity: true)
    }

    /// The reading thread: packets in batches, their events handed over, then the summary.
    private static func read(
        _ reader: PcapFileReader, linkType: LinkType, ports: Set<UInt16>, limits: TCPReassemblyLimits,
        into handoff: BlockingHandoff<Handoff>
    ) {
        var reassembly = CaptureReassembly(linkType: linkType, ports: ports, limits: limits)
        while true {
            let packets = reader.nextBatch(byteLimit: batchBytes)
            var events: [TCPStreamEvent] = []
            if packets.isEmpty {
                reassembly.finish(into: &events)
            } else {
                // By index: the packets are read in place, not copied out of the array.
                for index in packets.indices { reassembly.process(packets[index], into: &events) }
            }
            guard handoff.put(.events(events, firstWallMicros: reassembly.firstWallMicros)) else { return }
            if packets.isEmpty { break }
        }
        _ = handoff.put(.end(reassembly.counts, reader.damage))
    }
}
