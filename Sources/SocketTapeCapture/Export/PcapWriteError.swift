/// Why a capture file could not be written; the text names the file and the cause.
public struct PcapWriteError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
