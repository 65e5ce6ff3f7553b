import NIOCore

extension TapeEntry {
    /// Decodes one record body (the bytes after length and CRC).
    ///
    /// Trailing bytes after the fields this version knows are ignored (later minor versions append
    /// fields at the end of a kind's body); unknown kinds decode to ``TapeEntry/unknown(kind:)``.
    init(decodingBody body: ByteBuffer) throws(TapeFieldError) {
        var body = body
        let rawKind = try body.readEnum("kind") { $0 }
        guard let kind = TapeFormat.Kind(rawValue: rawKind) else {
            self = .unknown(kind: rawKind)
            return
        }
        switch kind {
        case .end:
            self = .end(TapeSeal(records: try body.readVarint(), droppedRecords: try body.readVarint()))
        case .segmentNext:
            self = .segmentNext(try body.readVarint(as: UInt32.self))
        case .open, .frame, .message, .http, .policy, .close, .gap, .upgrade:
            let session = try body.readTapeString()
            let time = RecordTime(wallMicros: try body.readSignedVarint(), offsetNanos: try body.readVarint())
            self = .record(TapeRecord(session: session, time: time, body: try body.readRecordBody(kind)))
        }
    }
}

extension ByteBuffer {
    fileprivate mutating func readRecordBody(_ kind: TapeFormat.Kind) throws(TapeFieldError) -> TapeRecord.Body {
        switch kind {
        case .open:
            return .open(
                SessionOpen(
                    client: try readTapeString(),
                    transport: try readEnum("transport", Transport.init(rawValue:)),
                    upstream: try readTapeString(),
                    request: try readRequest(),
                    response: try readOptionalResponse(),
                    engineIOVersion: try readAppendedEngineIOVersion()
                )
            )
        case .frame:
            let from = try readPeer()
            let opcode = try readEnum("opcode") { $0 <= 0x0F ? $0 : nil }
            let fin = try readBool()
            let rsv = try readEnum("rsv") { $0 <= 0b111 ? $0 : nil }
            let maskingKey: UInt32? = try readBool() ? try readFixed(UInt32.self) : nil
            return .frame(
                FrameInfo(from: from, opcode: opcode, fin: fin, rsv: rsv, maskingKey: maskingKey, payloadLength: try readVarint())
            )
        case .message:
            let from = try readPeer()
            let opcode = try readEnum("opcode") { $0 <= 0x0F ? $0 : nil }
            let frames = try readVarint(as: UInt32.self)
            let compressed = try readBool()
            let payload = try readBlob()
            let transport = readableBytes > 0 ? try readEnum("transport", Transport.init(rawValue:)) : .websocket  // v1.1
            return .message(
                MessageRecord(from: from, opcode: opcode, payload: payload, frames: frames, compressed: compressed, transport: transport)
            )
        case .http:
            return .http(HTTPExchange(request: try readRequest(), response: try readOptionalResponse()))
        case .policy:
            var decision = PolicyDecision(from: try readPeer(), rule: try readTapeString(), action: try readTapeString(), detail: try readTapeString())
            if readableBytes > 0, try readBool() {  // v1.1
                decision.identity = try readTapeString()
            }
            return .policy(decision)
        case .close:
            return .close(
                SessionClose(
                    by: try readPeer(),
                    code: try readBool() ? try readVarint(as: UInt16.self) : nil,
                    reason: try readTapeString(),
                    error: try readBool() ? try readTapeString() : nil
                )
            )
        case .upgrade:
            return .upgrade(
                TransportUpgrade(
                    transport: try readEnum("transport", Transport.init(rawValue:)),
                    request: try readRequest(),
                    response: try readOptionalResponse()
                )
            )
        case .gap:
            return .gap(Gap(records: try readVarint(), bytes: try readVarint(), reason: try readTapeString()))
        case .segmentNext, .end:
            preconditionFailure("not a session record kind: \(kind)")
        }
    }

    /// The open record's Engine.IO version, appended in v1.1 (absent in v1.0 tapes; 0 means none).
    private mutating func readAppendedEngineIOVersion() throws(TapeFieldError) -> Int? {
        guard readableBytes > 0 else { return nil }
        let version = try readVarint(as: Int.self)
        return version == 0 ? nil : version
    }

    private mutating func readPeer() throws(TapeFieldError) -> Peer {
        try readEnum("peer", Peer.init(rawValue:))
    }

    private mutating func readFixed<T: FixedWidthInteger>(_: T.Type) throws(TapeFieldError) -> T {
        guard let value = readInteger(endianness: .big, as: T.self) else { throw .truncated }
        return value
    }

    private mutating func readHeaders() throws(TapeFieldError) -> [HeaderField] {
        let count = try readVarint(as: Int.self)
        guard count <= readableBytes / 2 else { throw .truncated }
        var headers: [HeaderField] = []
        headers.reserveCapacity(count)
        for _ in 0..<count {
            headers.append(HeaderField(try readTapeString(), try readTapeString()))
        }
        return headers
    }

    private mutating func readRequest() throws(TapeFieldError) -> HTTPRequestRecord {
        HTTPRequestRecord(method: try readTapeString(), target: try readTapeString(), headers: try readHeaders(), body: try readBlob())
    }

    private mutating func readOptionalResponse() throws(TapeFieldError) -> HTTPResponseRecord? {
        guard try readBool() else { return nil }
        return HTTPResponseRecord(status: try readVarint(as: Int.self), headers: try readHeaders(), body: try readBlob())
    }
}
