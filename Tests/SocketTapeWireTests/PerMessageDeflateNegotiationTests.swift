import SocketTapeWire
import Testing

struct PerMessageDeflateNegotiationTests {
    func negotiated(_ header: String) throws -> PerMessageDeflateParameters? {
        try PerMessageDeflateParameters.negotiated(fromResponseHeader: header)
    }

    @Test func plainAcceptanceUsesDefaults() throws {
        #expect(try negotiated("permessage-deflate") == PerMessageDeflateParameters())
    }

    @Test(arguments: ["", "  ", "x-webkit-deflate-frame", "permessage-deflatex", "foo; permessage-deflate"])
    func notAccepted(header: String) throws {
        #expect(try negotiated(header) == nil)
    }

    @Test func allParameters() throws {
        let header = "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=8"
        #expect(
            try negotiated(header)
                == PerMessageDeflateParameters(
                    serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 10, clientMaxWindowBits: 8
                )
        )
    }

    @Test func quotedValues() throws {
        let parameters = try negotiated(#"permessage-deflate; client_max_window_bits="12"; server_max_window_bits="1\5""#)
        #expect(parameters?.clientMaxWindowBits == 12)
        #expect(parameters?.serverMaxWindowBits == 15)
    }

    @Test func whitespaceAndCase() throws {
        let parameters = try negotiated(" \tPerMessage-Deflate ;Server_Max_Window_Bits = 9 ;  CLIENT_NO_CONTEXT_TAKEOVER \t")
        #expect(parameters == PerMessageDeflateParameters(clientNoContextTakeover: true, serverMaxWindowBits: 9))
    }

    @Test func otherExtensionsAndEmptyElementsAreSkipped() throws {
        let parameters = try negotiated(#", foo; bar="a,b;c", , permessage-deflate; server_max_window_bits=11, baz"#)
        #expect(parameters == PerMessageDeflateParameters(serverMaxWindowBits: 11))
    }

    @Test(arguments: [
        "permessage-deflate, permessage-deflate",
        "permessage-deflate; client_max_window_bits",
        "permessage-deflate; server_max_window_bits",
        "permessage-deflate; server_max_window_bits=",
        "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; server_max_window_bits=16",
        "permessage-deflate; server_max_window_bits=010",
        "permessage-deflate; server_max_window_bits=+9",
        #"permessage-deflate; server_max_window_bits="1 0""#,
        "permessage-deflate; server_no_context_takeover=true",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
        "permessage-deflate; mystery",
        #"permessage-deflate; client_max_window_bits="10"#,
        "permessage-deflate;",
        "permessage-deflate; =10",
        "permessage-deflate server_no_context_takeover",
        "; permessage-deflate",
    ])
    func malformedResponsesThrow(header: String) {
        #expect(throws: WebSocketExtensionNegotiationError.self) { try negotiated(header) }
    }

    @Test func errorsNameTheProblem() {
        #expect(throws: WebSocketExtensionNegotiationError("unknown permessage-deflate parameter mystery")) {
            try negotiated("permessage-deflate; mystery")
        }
    }
}
