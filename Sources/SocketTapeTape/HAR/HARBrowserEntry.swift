import SocketTapeWire

extension HARBrowserSessions {
    /// A browser entry that is a WebSocket session or an Engine.IO polling request.
    struct Entry {
        var request: HTTPRequestRecord
        var response: HTTPResponseRecord?
        var isWebSocket: Bool
        /// The Engine.IO revision the URL's `EIO` names.
        var engineIOVersion: EngineIOVersion?
        var sid: String?
        var upstream: String
        var start: Int64
        /// When the response had arrived: `startedDateTime` + `time`.
        var end: Int64
        /// `_webSocketMessages`, for a WebSocket entry.
        var messages: [HARWebSocketMessage.Decoded] = []

        /// Reads the entry; nil when it is neither WebSocket nor Engine.IO polling.
        init?(_ fields: JSONFields) throws(JSONLinesError) {
            let requestFields = try fields.object("request")
            let url = try requestFields.string("url")
            let target = HARURL.target(of: url)
            response = try fields.object("response").harResponse()
            isWebSocket = try fields.optionalString("_resourceType") == "websocket" || response?.status == 101
                || fields.optional("_webSocketMessages") != nil
            engineIOVersion = try? EngineIOVersion(requestTarget: target)
            guard isWebSocket || (engineIOVersion != nil && EngineIOTransport(requestTarget: target) == .polling) else { return nil }
            guard let start = TimeText.wallMicros(timestamp: try fields.string("startedDateTime")) else {
                throw fields.invalid("startedDateTime", "an ISO 8601 time such as \"2026-11-26T12:00:00.123Z\"")
            }
            let milliseconds: Double
            switch fields.optional("time") {
            case nil: milliseconds = 0
            case .number(let text)?: milliseconds = Double(text) ?? 0
            default: throw fields.invalid("time", "a number of milliseconds")
            }
            self.start = start
            end = start + Int64(max(0, milliseconds) * 1000)
            request = try requestFields.harRequest(target: target)
            sid = queryParameter("sid", in: target).map(String.init)
            upstream = HARURL.upstream(url: url, serverIPAddress: try fields.optionalString("serverIPAddress"))
        }

        /// The sid a polling handshake's answer names (its first packet is the open packet).
        func handshakeSid() -> String? {
            guard let version = engineIOVersion, let response, response.status == 200 else { return nil }
            return PollingTranscript.handshake(in: HAREngineIOBody.packets(response.body, headers: response.headers, version: version))?.sid
        }
    }
}
