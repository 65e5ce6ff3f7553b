#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import SocketTapeCapture
import SocketTapeTape

extension ImportCommand {
    /// `import --format pcap`: a capture file (pcap or pcapng) decoded into a tape.
    func importCapture() throws {
        let reader: PcapFileReader
        do {
            reader = try PcapFileReader(path: input)
        } catch {
            throw ValidationError("\(error)")
        }
        var pipeline = CapturePipeline(linkType: reader.linkType, ports: Set(port), options: recording.captureOptions)
        var writer: TapeWriter?
        var written = 0
        func write(_ records: [TapeRecord]) throws {
            guard !records.isEmpty else { return }
            if writer == nil {
                // The tape starts at the first packet: the first record's time less its offset.
                let first = records[0].time
                writer = try openTape(startWallMicros: first.wallMicros - Int64(first.offsetNanos / 1000))
            }
            writer?.appendWaitingForRoom(contentsOf: records)
            written += records.count
        }
        for packet in reader {
            pipeline.process(packet)
            try write(pipeline.takeRecords())
        }
        pipeline.finish()
        try write(pipeline.takeRecords())
        let tape = try writer ?? openTape(startWallMicros: TapeClock().startWallMicros)
        do {
            try tape.close()
        } catch {
            unlink(output)
            throw ValidationError("-o \(output): \(error)")
        }
        print("imported \(written) record(s) into \(output)")
        for line in pipeline.summary.lines { print("  " + line) }
        if let damage = reader.damage {
            StandardError.write("sockettape: \(input): recovered: \(damage)")
        }
    }

    private func openTape(startWallMicros: Int64) throws -> TapeWriter {
        do {
            return try TapeWriter(path: output, clock: TapeClock(startWallMicros: startWallMicros))
        } catch {
            throw ValidationError("-o \(output): \(error)")
        }
    }
}

extension RecordingArguments {
    /// The capture decoder's options from the flags.
    var captureOptions: CaptureDecoderOptions {
        CaptureDecoderOptions(socketIO: socketio, redaction: headerRedaction, redactsSocketIOAuth: redactsSocketIOAuth)
    }
}
