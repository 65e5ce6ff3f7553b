import ArgumentParser
import Foundation
import SocketTapeTape

/// `sockettape inspect`: what is on a tape.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Summarise a tape, or list its sessions or messages.",
        discussion: """
            Without a view: sessions, duration, messages and bytes by direction and opcode, close \
            codes, policy decisions, and whether the tape was sealed or recovered after a crash.
            """
    )

    enum View: String, ExpressibleByArgument, CaseIterable {
        case summary, sessions, messages
    }

    @Argument(help: "The tape file.")
    var tape: String

    @Argument(help: "What to show: summary (default), sessions or messages.")
    var view: View = .summary

    @Option(help: "Only this session's messages.")
    var session: String?

    @Option(help: "Only messages from this side: client or server.")
    var from: String?

    @Option(help: "Only messages whose payload contains this text.")
    var grep: String?

    @Flag(help: "Print JSON (JSON Lines for messages and sessions) instead of text.")
    var json = false

    @Flag(help: "Keep reading as the tape grows, until it is sealed or you press Ctrl-C.")
    var follow = false

    func validate() throws {
        if let from, Peer(name: from) == nil || from == "proxy" {
            throw ValidationError("--from must be client or server, not '\(from)'")
        }
        if view != .messages, session != nil || from != nil || grep != nil {
            throw ValidationError("--session, --from and --grep filter the messages view: inspect TAPE messages …")
        }
    }

    func run() throws {
        var reader = try TapeInput.open(tape)
        switch view {
        case .summary:
            var summary = TapeSummary()
            while let record = try reader.next(follow: follow) {
                summary.add(record)
            }
            let report = SummaryReport(path: tape, summary: summary, sealed: reader.sealed, damage: reader.damage)
            print(json ? report.json() : report.text())
        case .sessions:
            var sessions = SessionListing()
            while let record = try reader.next(follow: follow) {
                if let line = sessions.add(record, json: json) { emit(line) }
            }
            for line in sessions.finish(json: json) { emit(line) }
            TapeInput.reportDamage(of: reader, path: tape)
        case .messages:
            let filter = MessageFilter(session: session, from: from.flatMap(Peer.init(name:)), grep: grep)
            while let record = try reader.next(follow: follow) {
                guard filter.matches(record) else { continue }
                emit(json ? JSONLines.encode(record) : MessageLine.text(record))
            }
            TapeInput.reportDamage(of: reader, path: tape)
        }
    }

    private func emit(_ line: String) {
        print(line)
        if follow { fflush(nil) }
    }
}
