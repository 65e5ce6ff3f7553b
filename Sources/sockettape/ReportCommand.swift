import ArgumentParser
import SocketTapeReplay

/// `sockettape report`: work with the reports `replay` writes.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Work with replay reports.",
        subcommands: [ReportMergeCommand.self]
    )
}

/// `sockettape report merge A.json B.json …`: the JSON load reports of the shards of one load
/// test (`replay --shard i/n --report FILE`) as one report.
struct ReportMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the JSON load reports of a sharded load test into one.",
        discussion: """
            Counts are added, histograms merged exactly, timelines added second by second (each \
            report placed by its start time). Prints the merged text report. Exit 0, or 1 when a \
            session failed in any shard; 2 when a report cannot be read.
            """
    )

    @Argument(help: "The JSON reports (replay --report FILE) of the shards.")
    var reports: [String]

    @Option(name: .shortAndLong, help: "Write the merged JSON report here.")
    var output: String?

    @Option(help: "Write the merged report as a self-contained HTML page here.")
    var html: String?

    func validate() throws {
        if reports.isEmpty { throw ValidationError("give the JSON reports to merge") }
    }

    func run() throws {
        let merged = LoadReport.merging(try reports.map(Self.read))
        print(LoadTextRenderer.render(merged), terminator: "")
        if let output { try FileContents.write(merged.jsonText, to: output) }
        if let html { try FileContents.write(LoadHTMLRenderer.render(merged), to: html) }
        if merged.exitStatus != 0 { throw ExitCode(Int32(merged.exitStatus)) }
    }

    private static func read(_ path: String) throws -> LoadReport {
        let text = try FileContents.readIfPresent(path, required: true) ?? ""
        do throws(ReplayFileError) {
            return try LoadReport(jsonText: text)
        } catch {
            throw ValidationError("\(path): \(error)")
        }
    }
}
