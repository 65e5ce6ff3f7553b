import NIOCore
import SocketTapeWire

/// A script made ready to be cloned many times: what each clone changes, and what the
/// measurements need to know of each client message, found once instead of per clone.
struct LoadScript: Sendable {
    let script: ReplayScript
    /// Per client message: the ack id of a Socket.IO event that asks for an acknowledgement.
    let acks: [SocketIOAckHeader?]
    /// Client messages that are Socket.IO CONNECTs (their auth changes with `--auth-list`).
    private let connects: [Int]
    /// Client text messages with a `{clone}` or `{session}` placeholder.
    private let templated: [Int]

    init(_ script: ReplayScript) {
        self.script = script
        let socketIO = script.engineIO != nil
        acks = script.outgoing.map { item in
            guard socketIO, let header = SocketIOAckHeader(item.message.payload), header.kind == .event else { return nil }
            return header
        }
        connects = script.engineIO.map { version in
            script.outgoing.indices.filter { script.outgoing[$0].message.replacingConnectAuth(with: .null, version: version) != nil }
        } ?? []
        templated = script.outgoing.indices.filter {
            script.outgoing[$0].message.opcode == .text && CloneIdentity.hasPlaceholder(script.outgoing[$0].message.text)
        }
    }

    /// The script as clone `identity` plays it: its CONNECTs carrying `auth` (when given), then
    /// the placeholders replaced.
    func instance(_ identity: CloneIdentity, auth: JSONValue?) -> ReplayScript {
        var copy = script
        if let auth, let version = script.engineIO {
            for index in connects {
                copy.outgoing[index].message = copy.outgoing[index].message.replacingConnectAuth(with: auth, version: version) ?? copy.outgoing[index].message
            }
        }
        for index in Set(templated + (auth == nil ? [] : connects)) {
            let text = copy.outgoing[index].message.text
            let replaced = identity.apply(to: text)
            if replaced != text { copy.outgoing[index].message = ReplayMessage(opcode: .text, payload: ByteBuffer(string: replaced)) }
        }
        return copy
    }
}
