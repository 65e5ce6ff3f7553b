#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import SocketTapeCapture
import SocketTapeTape

extension ExportCommand {
    /// `export --format pcap`: the tape as synthesised packets (``PcapSynthesizer``).
    ///
    /// Without `-o` the capture goes to standard output, unless that is a terminal. A failure after
    /// the output file was created removes it: no partial capture is left behind.
    func exportPcap() throws {
        if output == nil, isatty(STDOUT_FILENO) == 1 {
            throw ValidationError("--format pcap writes binary data: name a file with -o, or redirect standard output")
        }
        var reader = try TapeInput.open(tape)
        let writer: PcapFileWriter
        do {
            writer = try PcapFileWriter(path: output)
        } catch {
            throw ValidationError("-o \(error)")
        }
        var synthesizer = PcapSynthesizer()
        do {
            while let record = try reader.next(follow: false) {
                for packet in try synthesizer.packets(for: record) { writer.write(packet) }
            }
            try writer.close()
        } catch {
            if let output { unlink(output) }
            throw ValidationError("\(tape): \(error)")
        }
        TapeInput.reportDamage(of: reader, path: tape)
        let leftOut = synthesizer.leftOut
        if leftOut.total > 0 {
            StandardError.write("sockettape: \(tape): \(leftOut.total) record(s) with no wire form left out of the pcap: \(leftOut)")
        }
    }
}
