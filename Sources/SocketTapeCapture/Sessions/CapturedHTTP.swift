import NIOCore
import SocketTapeTape

/// The HTTP/1.x phase of a captured connection: requests and responses read from each direction
/// and paired in order (HTTP/1.1 answers pipelined requests in order), until an upgrade succeeds.
struct CapturedHTTP {
    private var requests: HTTPMessageReader
    private var responses: HTTPMessageReader
    /// Requests waiting for their response, oldest first; `nil` for a request the capture lost
    /// (its response, when it comes, is skipped so the others stay paired).
    private var pending: [(message: HTTPMessageReader.Message, at: Int64)?] = []
    /// An upgrade request is waiting for its answer: bytes after it may not be HTTP.
    private var upgradePending = false
    /// A direction lost bytes and is looking for the next start line.
    private var requestsNeedSync: Bool
    private var responsesNeedSync: Bool

    /// What the bytes so far led to.
    enum Outcome {
        case continuing
        /// The connection switched to WebSocket; the bytes after the handshake in each direction come along.
        case switched(CapturedWebSocket, client: ByteBuffer, server: ByteBuffer)
    }

    /// - Parameter synchronizing: start by looking for a start line (the capture began mid-connection).
    init(bodyLimit: Int, synchronizing: Bool) {
        requests = HTTPMessageReader(kind: .requests, bodyLimit: bodyLimit)
        responses = HTTPMessageReader(kind: .responses, bodyLimit: bodyLimit)
        requestsNeedSync = synchronizing
        responsesNeedSync = synchronizing
    }

    mutating func received(
        _ bytes: ByteBuffer, clientToServer: Bool, at wallMicros: Int64, endpoints: (client: IPEndpoint, server: IPEndpoint),
        tape: inout CaptureTape
    ) -> Outcome {
        if clientToServer {
            requests.append(bytes)
            if requestsNeedSync { requestsNeedSync = synchronize(&requests, tape: &tape) }
        } else {
            responses.append(bytes)
            if responsesNeedSync { responsesNeedSync = synchronize(&responses, tape: &tape) }
        }
        return pair(at: wallMicros, endpoints: endpoints, tape: &tape)
    }

    /// The capture missed bytes of one direction: the message in progress there is lost.
    mutating func missed(_ byteCount: UInt64, clientToServer: Bool, tape: inout CaptureTape) {
        tape.statistics.holes += 1
        tape.statistics.bytesMissed += byteCount
        if clientToServer {
            if requests.isInsideMessage { pending.append(nil) }
            requests.resynchronize()
            requestsNeedSync = true
        } else {
            if responses.isInsideMessage, !pending.isEmpty { pending.removeFirst() }
            responses.resynchronize()
            responsesNeedSync = true
        }
    }

    /// The server closed its side: a response delimited by the close is complete.
    mutating func serverClosed(at wallMicros: Int64, endpoints: (client: IPEndpoint, server: IPEndpoint), tape: inout CaptureTape) {
        guard let response = responses.finishAtClose(), let first = pending.first else { return }
        pending.removeFirst()
        guard let request = first else { return }
        _ = CapturedExchange(
            request: request.message, requestedAt: request.at, response: response, answeredAt: wallMicros,
            client: endpoints.client, server: endpoints.server
        ).record(on: &tape)
    }

    /// The connection ended: requests still waiting for an answer are recorded without one, so a
    /// request (a long poll, a POST's packets) the capture saw is never left out.
    mutating func ended(at wallMicros: Int64, endpoints: (client: IPEndpoint, server: IPEndpoint), tape: inout CaptureTape) {
        serverClosed(at: wallMicros, endpoints: endpoints, tape: &tape)
        for case let request? in pending {
            _ = CapturedExchange(
                request: request.message, requestedAt: request.at, response: nil, answeredAt: wallMicros,
                client: endpoints.client, server: endpoints.server
            ).record(on: &tape)
        }
        pending.removeAll()
    }

    /// Drops bytes up to the next start line; returns whether the reader still needs one.
    private func synchronize(_ reader: inout HTTPMessageReader, tape: inout CaptureTape) -> Bool {
        tape.statistics.bytesSkipped += UInt64(reader.resynchronize())
        return reader.bufferedByteCount == 0
    }

    private mutating func pair(at wallMicros: Int64, endpoints: (client: IPEndpoint, server: IPEndpoint), tape: inout CaptureTape) -> Outcome {
        while true {
            readRequests(at: wallMicros, tape: &tape)
            guard !pending.isEmpty, !responsesNeedSync else { return .continuing }
            let method: String? = pending[0].flatMap { entry in
                if case .request(let method, _) = entry.message.head.startLine { method } else { nil }
            }
            let response: HTTPMessageReader.Message?
            do {
                response = try responses.next(requestMethod: method)
            } catch {
                skipBadMessage(&responses, tape: &tape)
                responsesNeedSync = responses.bufferedByteCount == 0
                pending.removeFirst()
                continue
            }
            guard let response else { return .continuing }
            guard let request = pending.removeFirst() else { continue }
            let exchange = CapturedExchange(
                request: request.message, requestedAt: request.at, response: response, answeredAt: wallMicros,
                client: endpoints.client, server: endpoints.server
            )
            if let webSocket = exchange.record(on: &tape) {
                return .switched(webSocket, client: requests.takeRemainingBytes(), server: responses.takeRemainingBytes())
            }
            if request.message.head.isWebSocketUpgrade { upgradePending = false }
        }
    }

    private mutating func readRequests(at wallMicros: Int64, tape: inout CaptureTape) {
        while !upgradePending, !requestsNeedSync {
            do {
                guard let request = try requests.next() else { return }
                pending.append((request, wallMicros))
                upgradePending = request.head.isWebSocketUpgrade
            } catch {
                skipBadMessage(&requests, tape: &tape)
                requestsNeedSync = requests.bufferedByteCount == 0
            }
        }
    }

    /// Bytes that are not HTTP: skip to the next start line after them.
    private func skipBadMessage(_ reader: inout HTTPMessageReader, tape: inout CaptureTape) {
        var skip = reader.takeRemainingBytes()
        if skip.readableBytes > 0 { skip.moveReaderIndex(forwardBy: 1) }
        tape.statistics.bytesSkipped += 1
        reader.append(skip)
        tape.statistics.bytesSkipped += UInt64(reader.resynchronize())
    }
}
