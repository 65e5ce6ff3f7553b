import NIOSSL

/// Recognises and describes errors of the TLS layer.
enum TLSFailure {
    /// Whether NIOSSL raised `error`.
    static func isTLSError(_ error: any Error) -> Bool {
        error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError
    }

    /// `TLS with 127.0.0.1:8443 failed: the server's certificate is not for chat.example`, and
    /// the like; errors without a plainer wording keep NIOSSL's.
    static func describe(_ error: any Error, connector: ReplayConnector) -> ReplayClientError {
        let text = "\(error)"
        let cause: String
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            cause = "the server's certificate did not verify (an unknown issuer, expired or not yet valid; a private CA needs its CA file)"
        } else if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            cause = "the server's certificate is not for \(connector.verifiedName)"
        } else {
            cause = text
        }
        return ReplayClientError(.tls, "TLS with \(connector.target.authority) failed: \(cause)")
    }
}
