import SocketTapeTape
import SocketTapeWire

/// Every difference between two message contents, before any rule says what to ignore.
///
/// Text exactly; binary byte for byte; JSON structurally (``JSONDiffer``); Socket.IO by packet
/// type, namespace, event name, ack id presence, then arguments (events and acks) or data (the
/// other types); Engine.IO by packet type and data. Contents of different kinds give one
/// ``DifferenceKind/messageKind`` difference.
enum ContentDiffer {
    static func differences(_ expected: MessageContent, _ actual: MessageContent) -> [Difference] {
        var differences: [Difference] = []
        switch (expected, actual) {
        case (.text(let left), .text(let right)):
            guard left != right else { break }
            let excerpt = Excerpt.strings(left, right)
            differences.append(Difference(path: JSONPath(), kind: .text, expected: excerpt.expected, actual: excerpt.actual, offset: excerpt.offset))
        case (.binary(let left), .binary(let right)):
            guard left != right else { break }
            let excerpt = Excerpt.bytes(left, right)
            differences.append(Difference(path: JSONPath(), kind: .bytes, expected: excerpt.expected, actual: excerpt.actual, offset: excerpt.offset))
        case (.json(let left), .json(let right)):
            JSONDiffer.differences(left, right, at: JSONPath(), into: &differences)
        case (.socketIO(let left), .socketIO(let right)):
            socketIODifferences(left, right, into: &differences)
        case (.engineIO(let left), .engineIO(let right)):
            if left.type != right.type {
                differences.append(Difference(path: path("type"), kind: .packetType, expected: left.type.name, actual: right.type.name))
            }
            dataDifferences(MessageContent.dataView(left.data), MessageContent.dataView(right.data), at: path("data"), into: &differences)
        default:
            differences.append(
                Difference(path: JSONPath(), kind: .messageKind, expected: "\(expected.kindName) \(expected.preview)", actual: "\(actual.kindName) \(actual.preview)")
            )
        }
        return differences
    }

    private static func socketIODifferences(_ left: SocketIOPacket, _ right: SocketIOPacket, into differences: inout [Difference]) {
        if left.type != right.type {
            differences.append(Difference(path: path("type"), kind: .packetType, expected: left.type.name, actual: right.type.name))
        }
        if left.namespace != right.namespace {
            differences.append(Difference(path: path("nsp"), kind: .namespace, expected: quoted(left.namespace), actual: quoted(right.namespace)))
        }
        if left.type.isEvent, right.type.isEvent, left.eventName != right.eventName {
            differences.append(Difference(path: path("event"), kind: .event, expected: quoted(left.eventName ?? ""), actual: quoted(right.eventName ?? "")))
        }
        if (left.id == nil) != (right.id == nil) {
            differences.append(
                Difference(path: path("id"), kind: .ackID, expected: left.id == nil ? "no ack id" : "an ack id", actual: right.id == nil ? "none" : "one")
            )
        }
        let hasArguments = { (packet: SocketIOPacket) in packet.type.isEvent || packet.type.isAck }
        if hasArguments(left), hasArguments(right) {
            JSONDiffer.differences(.array(left.args), .array(right.args), at: path("args"), into: &differences)
        } else {
            dataDifferences(left.data, right.data, at: path("data"), into: &differences)
        }
    }

    /// Data that either side may lack: a missing or unexpected member where one has none.
    private static func dataDifferences(_ left: JSONValue?, _ right: JSONValue?, at path: JSONPath, into differences: inout [Difference]) {
        switch (left, right) {
        case (nil, nil):
            break
        case (let left?, nil):
            differences.append(Difference(path: path, kind: .missingMember, expected: Excerpt.json(left), actual: nil))
        case (nil, let right?):
            differences.append(Difference(path: path, kind: .unexpectedMember, expected: nil, actual: Excerpt.json(right)))
        case (let left?, let right?):
            JSONDiffer.differences(left, right, at: path, into: &differences)
        }
    }

    private static func path(_ member: String) -> JSONPath {
        JSONPath([.member(member)])
    }

    private static func quoted(_ text: String) -> String {
        JSONValue.string(text).jsonText
    }
}
