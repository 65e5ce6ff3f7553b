import NIOCore
import SocketTapeWire

/// The decoded Socket.io fields at the end of a message line (docs/tape-format.md, "Socket.io
/// fields"):
///
/// ```
/// "eio":{"type":T[,"data":D]}
/// "sio":{"type":T,"nsp":N[,"event":E][,"args":[…]][,"id":I][,"data":D][,"attachments":K][,"pending":true][,"attachment":i,"of":K]}
/// "eio_error":"Engine.IO: …"   "sio_error":"Socket.IO: …"
/// ```
extension JSONOutput {
    mutating func writeSocketIO(_ annotation: SocketIOAnnotation) {
        if let packet = annotation.engineIO {
            key("eio")
            writeEngineIO(packet)
        }
        switch annotation.socketIO {
        case .none:
            break
        case .packet(let packet):
            key("sio")
            beginObject()
            writeSocketIOFields(packet)
            endObject()
        case .awaitingAttachments(let header, _):
            key("sio")
            beginObject()
            writeSocketIOFields(header)
            key("pending")
            bool(true)
            endObject()
        case .attachment(let index, let count, let completed):
            key("sio")
            beginObject()
            if let completed { writeSocketIOFields(completed) }
            key("attachment")
            number(index)
            key("of")
            number(count)
            endObject()
        }
        if let error = annotation.engineIOError {
            key("eio_error")
            string(error)
        }
        if let error = annotation.socketIOError {
            key("sio_error")
            string(error)
        }
    }

    /// `{"type":…}` plus `data` when the packet has any: the open packet's handshake as an
    /// object, other text as a string, binary data as `{"$bytes":"<base64>"}`.
    private mutating func writeEngineIO(_ packet: EngineIOPacket) {
        beginObject()
        key("type")
        string(packet.type.name)
        switch packet.data {
        case .empty:
            break
        case .text(let text):
            key("data")
            if packet.type == .open, let handshake = try? JSONValue(parsing: text), case .object = handshake {
                json(handshake)
            } else {
                string(text)
            }
        case .binary(let bytes):
            key("data")
            writeBytes(bytes)
        }
        endObject()
    }

    /// The members of a Socket.IO packet: `type`, `nsp`, then `event` and `args` for events,
    /// `args` for acks, `id` when present, `data` for the other types' payload, `attachments`
    /// for the binary types.
    private mutating func writeSocketIOFields(_ packet: SocketIOPacket) {
        key("type")
        string(packet.type.name)
        key("nsp")
        string(packet.namespace)
        let isEventOrAck = packet.type.isEvent || packet.type.isAck
        if isEventOrAck, case .array(let elements)? = packet.data {
            if packet.type.isEvent, let name = elements.first {
                key("event")
                json(name)
            }
            key("args")
            beginArray()
            for argument in elements.dropFirst(packet.type.isEvent ? 1 : 0) { json(argument) }
            endArray()
        }
        if let id = packet.id {
            key("id")
            number(id)
        }
        if !isEventOrAck, let data = packet.data {
            key("data")
            json(data)
        }
        if packet.type.isBinary {
            key("attachments")
            number(packet.attachments)
        }
    }

    private mutating func writeBytes(_ bytes: ByteBuffer) {
        beginObject()
        key("$bytes")
        base64(bytes)
        endObject()
    }
}
