import ArgumentParser
import SocketTapeTape

extension ImportCommand {
    /// `--format har`: the WebSocket sessions and Engine.IO polling sessions of a HAR document.
    ///
    /// Header credentials are redacted unless `--no-redact` (and `--redact` adds more). A document that cannot be read stops
    /// the import naming the entry (and message); no tape is written then.
    func importHAR() throws {
        let imported: HARImport
        do {
            imported = try HAR.decode(try inputBytes(), redaction: recording.headerRedaction)
        } catch let error as HARError {
            throw ValidationError("\(input): \(error)")
        }
        try writeTape(imported.records)
        print(
            "imported \(imported.sessions) session(s), \(imported.records.count) record(s) into \(output); "
                + "skipped \(imported.skippedEntries) entr\(imported.skippedEntries == 1 ? "y" : "ies") (not WebSocket or Engine.IO polling)"
        )
    }
}
