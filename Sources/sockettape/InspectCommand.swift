import ArgumentParser
import SocketTapeTape

/// `sockettape inspect`: what is on a tape.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Summarise a tape, or list its sessions or messages.",
        discussion: """
            Without a view: sessions, duration, messages and bytes by direction and opcode, close \
            codes, policy decisions, and whether the tape was sealed or recovered after a crash; \
            for Socket.io sessions also Engine.IO versions, transports and handshakes, and \
            Socket.IO packets and events by namespace and direction.

            Messages of Socket.io sessions are shown decoded (Engine.IO and Socket.IO packets, \
            binary attachments put back); --event, --namespace and --acks filter on that.
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

    @Option(help: "Only Socket.IO events (EVENT, BINARY_EVENT) with this name.")
    var event: String?

    @Option(help: "Only Socket.IO packets of this namespace, such as / or /admin.")
    var namespace: String?

    @Flag(help: "Only Socket.IO acknowledgements (ACK, BINARY_ACK) and events that ask for one.")
    var acks = false

    @Flag(help: "Print JSON (JSON Lines for messages and sessions) instead of text.")
    var json = false

    @Flag(help: "Keep reading as the tape grows, until it is sealed or you press Ctrl-C.")
    var follow = false

    func validate() throws {
        if let from, Peer(name: from) == nil || from == "proxy" {
            throw ValidationError("--from must be client or server, not '\(from)'")
        }
        if view != .messages, session != nil || from != nil || grep != nil || event != nil || namespace != nil || acks {
            throw ValidationError(
                "--session, --from, --grep, --event, --namespace and --acks filter the messages view: inspect TAPE messages …"
            )
        }
    }

    func run() throws {
        var reader = try TapeInput.open(tape)
        // Every record goes through the annotator, in order, whatever is shown.
        var annotator = SocketIOAnnotator()
        switch view {
        case .summary:
            var summary = TapeSummary()
            while let record = try reader.next(follow: follow) {
                summary.add(record, socketIO: annotator.annotate(record))
            }
            let report = SummaryReport(path: tape, summary: summary, sealed: reader.sealed, damage: reader.damage)
            print(json ? report.json() : report.text())
        case .sessions:
            var sessions = SessionListing()
            while let record = try reader.next(follow: follow) {
                if let line = sessions.add(record, socketIO: annotator.annotate(record), json: json) { emit(line) }
            }
            for line in sessions.finish(json: json) { emit(line) }
            TapeInput.reportDamage(of: reader, path: tape)
        case .messages:
            let filter = MessageFilter(
                session: session, from: from.flatMap(Peer.init(name:)), grep: grep, event: event, namespace: namespace, acks: acks
            )
            while let record = try reader.next(follow: follow) {
                let socketIO = annotator.annotate(record)
                guard filter.matches(record, socketIO: socketIO) else { continue }
                emit(json ? JSONLines.encode(record, socketIO: socketIO) : MessageLine.text(record, socketIO: socketIO))
            }
            TapeInput.reportDamage(of: reader, path: tape)
        }
    }

    private func emit(_ line: String) {
        print(line)
        if follow { StandardOutput.flush() }
    }
}
