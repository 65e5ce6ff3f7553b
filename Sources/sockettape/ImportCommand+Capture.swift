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
                // The tape starts at the first packet, which the first record's offset counts from.
                writer = try openTape(startingAt: records[0].time)
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
        let tape = try writer ?? openTape(startingAt: nil)
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
}

extension RecordingArguments {
    /// The capture decoder's options from the flags.
    var captureOptions: CaptureDecoderOptions {
        CaptureDecoderOptions(socketIO: socketio, redaction: headerRedaction, redactsSocketIOAuth: redactsSocketIOAuth)
    }
}
