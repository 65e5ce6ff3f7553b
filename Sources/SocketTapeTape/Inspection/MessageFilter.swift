import NIOCore
import SocketTapeWire

/// Which records `inspect … messages` shows.
///
/// Every set criterion must match. `grep` looks for a substring in the message's text, or in its
/// payload read as UTF-8 (lossily) when it is binary.
///
/// The Socket.IO criteria (`event`, `namespace`, `acks`) look at the packet the message carries
/// or belongs to (``SocketIOAnnotation/packet``: a binary packet's header and attachments
/// belong to it), so they need the message's annotation from ``SocketIOAnnotator``; a message
/// without a Socket.IO packet (plain WebSocket, Engine.IO pings, decode errors) never matches them.
public struct MessageFilter: Sendable, Equatable {
    public var session: String?
    public var from: Peer?
    public var grep: String?
    /// Only EVENT and BINARY_EVENT packets with this event name.
    public var event: String?
    /// Only packets of this namespace (`/admin`; a v4 CONNECT's query is not compared).
    public var namespace: String?
    /// Only ACK and BINARY_ACK packets, and events that ask for an ack (have an id).
    public var acks: Bool

    public init(
        session: String? = nil, from: Peer? = nil, grep: String? = nil, event: String? = nil, namespace: String? = nil,
        acks: Bool = false
    ) {
        self.session = session
        self.from = from
        self.grep = grep
        self.event = event
        self.namespace = namespace
        self.acks = acks
    }

    /// Whether a Socket.IO criterion is set.
    public var needsSocketIO: Bool { event != nil || namespace != nil || acks }

    /// Whether `record` is a message the filter lets through; `socketIO` is its annotation.
    public func matches(_ record: TapeRecord, socketIO: SocketIOAnnotation? = nil) -> Bool {
        guard case .message(let message) = record.body else { return false }
        if let session, record.session != session { return false }
        if let from, message.from != from { return false }
        if let grep, !grep.isEmpty {
            let text = String(decoding: message.payload.readableBytesView, as: UTF8.self)
            guard text.contains(grep) else { return false }
        }
        guard needsSocketIO else { return true }
        guard let packet = socketIO?.packet else { return false }
        if let event, packet.eventName != event { return false }
        if let namespace, packet.namespaceName != namespace { return false }
        if acks, !packet.isAckRelated { return false }
        return true
    }
}
