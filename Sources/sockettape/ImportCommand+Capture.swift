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
        var tape: TapeFileWriter?
        var written = 0
        let (summary, damage) = try writingTape {
            let imported = try CaptureFileImport.run(reader, ports: Set(port), options: recording.captureOptions) { records in
                // The tape starts at the first packet, which the first record's offset counts from.
                let writer = try tape ?? openTape(startingAt: records[0].time)
                tape = writer
                try writer.append(contentsOf: records)
                written += records.count
            }
            try (tape ?? openTape(startingAt: nil)).close()
            return imported
        }
        print("imported \(written) record(s) into \(output)")
        for line in summary.lines { print("  " + line) }
        if let damage {
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
