import NIOCore
import SocketTapeTape
import SocketTapeWire
import Testing

@Suite struct SocketIOFilterTests {
    private func shown(_ filter: MessageFilter) -> [String] {
        SocketIOTape.annotated(SocketIOTape.session).filter { filter.matches($0.0, socketIO: $0.1) }.map {
            guard case .message(let message) = $0.0.body else { return "" }
            return String(buffer: message.payload)
        }
    }

    @Test func eventNamespaceAndAcks() {
        #expect(shown(MessageFilter(event: "chat")) == [#"427["chat",{"text":"hi"}]"#])
        #expect(shown(MessageFilter(event: "upload")).count == 3)  // the header and both attachments
        #expect(shown(MessageFilter(namespace: "/admin")) == [#"40/admin,{"token":"wrong"}"#, #"44/admin,{"message":"Not authorized"}"#])
        #expect(shown(MessageFilter(acks: true)) == [#"427["chat",{"text":"hi"}]"#, #"437[{"ok":true}]"#])
        #expect(shown(MessageFilter(from: .server, acks: true)) == [#"437[{"ok":true}]"#])
        #expect(shown(MessageFilter(event: "chat", namespace: "/admin")).isEmpty)
    }

    @Test func aQueryInTheNamespaceIsNotCompared() {
        var annotator = SocketIOAnnotator()
        _ = annotator.annotate(SocketIOTape.open("a", engineIO: 3, transport: .websocket))
        let connect = SocketIOTape.text("a", .client, "40/admin?token=1,")
        #expect(MessageFilter(namespace: "/admin").matches(connect, socketIO: annotator.annotate(connect)))
    }

    @Test func socketIOCriteriaNeverMatchMessagesWithoutAPacket() {
        let plain = SocketIOTape.text("ws", .client, #"42["chat"]"#)
        #expect(MessageFilter().matches(plain, socketIO: nil))
        #expect(!MessageFilter(event: "chat").matches(plain, socketIO: nil))
        #expect(!MessageFilter(acks: true).matches(plain, socketIO: SocketIOAnnotation(engineIO: EngineIOPacket(type: .ping))))
    }
}

@Suite struct SocketIOSummaryTests {
    @Test func countsSessionsHandshakesPacketsEventsAndErrors() {
        var summary = TapeSummary()
        var records = SocketIOTape.session
        records.append(SocketIOTape.open("ws-only", engineIO: 4, transport: .websocket, at: 30))
        records.append(SocketIOTape.open("polling-only", engineIO: 3, transport: .polling, at: 31))
        records.append(SocketIOTape.close("polling-only", at: 32))
        records.append(SocketIOTape.open("plain", engineIO: nil, transport: .websocket, at: 33))
        for (record, annotation) in SocketIOTape.annotated(records) {
            summary.add(record, socketIO: annotation)
        }
        let sio = summary.socketIO
        #expect(sio.sessions == 3)
        #expect(sio.sessionsByVersion == [4: 2, 3: 1])
        #expect(sio.transportPaths == [.upgraded: 1, .websocketOnly: 1, .pollingOnly: 1])
        #expect(sio.handshakes == 1)
        #expect(sio.pingIntervals == [25000: 1])
        #expect(sio.pingTimeouts == [20000: 1])
        #expect(sio.maxPayloads == [1_000_000: 1])
        #expect(sio.upgrades == ["websocket": 1])
        let packets = SocketIOPacketType.allCases.map { type in "\(type.name) \(sio.packets(type, from: .client)) \(sio.packets(type, from: .server))" }
        #expect(packets == ["CONNECT 2 1", "DISCONNECT 1 0", "EVENT 1 0", "ACK 0 1", "CONNECT_ERROR 0 1", "BINARY_EVENT 1 0", "BINARY_ACK 0 0"])
        #expect(sio.events.sorted { $0.key < $1.key }.map { "\($0.key.namespace) \($0.key.event) \($0.key.from.name) \($0.value)" } == ["/ chat client 1", "/ upload client 1"])
        #expect(sio.decodeErrors == [.client: 2])
        #expect(sio.firstDecodeError?.error == "Socket.IO: EVENT payload must be an array, not an object (at byte 2)")
        #expect(sio.firstDecodeError?.offsetNanos == 13_000_000)
    }

    @Test func aTapeWithoutEngineIOHasAnEmptySocketIOPart() {
        var summary = TapeSummary()
        for record in Fixtures.records.filter({ if case .open(let open) = $0.body { open.engineIOVersion == nil } else { true } }) {
            summary.add(record)
        }
        #expect(summary.socketIO == SocketIOSummary())
    }
}
