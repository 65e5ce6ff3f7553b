import ArgumentParser
import SocketTapeTape

extension ExportCommand {
    /// `--format har`: the whole tape as one HAR 1.2 document (docs/tape-format.md, "HAR").
    func exportHAR() throws {
        if frames { throw ValidationError("--frames: HAR has no place for frame records") }
        var reader = try TapeInput.open(tape)
        var records: [TapeRecord] = []
        while let record = try reader.next(follow: false) { records.append(record) }
        let sink = try LineSink(path: output)
        try sink.write { $0.append(contentsOf: HAR.encode(records)) }
        try sink.close()
        TapeInput.reportDamage(of: reader, path: tape)
    }
}
