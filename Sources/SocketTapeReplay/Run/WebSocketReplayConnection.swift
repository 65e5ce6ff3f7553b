import NIOCore
import NIOHTTP1
import SocketTapeTape
import SocketTapeWire

/// A plain WebSocket session replayed over a ``WebSocketClientConnection``.
///
/// Messages the connection cannot take yet (its write buffer is over the high water mark) wait
/// here in order and go when it becomes writable; they are the script's own messages, so what
/// waits is bounded by the script.
final class WebSocketReplayConnection: ReplayConnection, WebSocketClientDelegate {
    private weak var delegate: (any ReplayConnectionDelegate)?
    private var socket: WebSocketClientConnection?
    private var waiting = CircularBuffer<ReplayMessage>()

    private init(delegate: any ReplayConnectionDelegate) {
        self.delegate = delegate
    }

    /// Connects for `script` (its recorded target and headers); failures reach `delegate` as a close.
    static func open(
        _ script: ReplayScript, using connector: ReplayConnector, options: WebSocketClientOptions,
        on eventLoop: any EventLoop, delegate: any ReplayConnectionDelegate
    ) -> WebSocketReplayConnection {
        let connection = WebSocketReplayConnection(delegate: delegate)
        do throws(ReplayClientError) {
            connection.socket = try WebSocketClientConnection.connect(
                using: connector, target: script.request.target, headers: script.request.headers,
                options: options, on: eventLoop, delegate: connection
            )
        } catch {
            eventLoop.assumeIsolated().execute { delegate.connectionClosed(code: nil, reason: "", error: error.description) }
        }
        return connection
    }

    func send(_ message: ReplayMessage) {
        if waiting.isEmpty, let socket, socket.send(opcode: message.opcode, payload: message.payload) != .notWritable {
            return
        }
        waiting.append(message)
    }

    func close(code: UInt16?, reason: String) {
        socket?.close(code: code ?? 1000, reason: reason)
    }

    // MARK: WebSocketClientDelegate

    func webSocketDidConnect(_ connection: WebSocketClientConnection, at time: NIODeadline) {
        delegate?.connectionConnected(at: time)
    }

    func webSocketDidOpen(_ connection: WebSocketClientConnection, response: HTTPResponseHead) {
        delegate?.connectionOpened(at: connection.openedAt ?? .now(), openPacket: nil)
    }

    func webSocket(_ connection: WebSocketClientConnection, didReceive message: WebSocketMessage, at time: NIODeadline) {
        delegate?.connectionReceived(ReplayMessage(opcode: message.opcode, payload: message.payload.owned()), at: time)
    }

    func webSocketWritabilityChanged(_ connection: WebSocketClientConnection) {
        while let message = waiting.first, connection.send(opcode: message.opcode, payload: message.payload) == .sent {
            waiting.removeFirst()
        }
    }

    func webSocket(_ connection: WebSocketClientConnection, didCloseWith closure: WebSocketClientClosure) {
        socket = nil
        delegate?.connectionClosed(code: closure.code, reason: closure.reason, error: closure.error?.description)
    }
}
