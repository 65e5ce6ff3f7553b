import NIOSSL

/// Recognises and describes errors of the TLS layer.
enum TLSFailure {
    /// Whether NIOSSL raised `error`.
    static func isTLSError(_ error: any Error) -> Bool {
        error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError
    }

    /// `TLS with localhost:8443 failed: the server's certificate is not trusted (…)`.
    static func describe(_ error: any Error, authority: String) -> ReplayClientError {
        let text = "\(error)"
        let cause = text.contains("CERTIFICATE_VERIFY_FAILED")
            ? "the server's certificate is not trusted (give its CA file?): \(text)"
            : text
        return ReplayClientError(.tls, "TLS with \(authority) failed: \(cause)")
    }
}
