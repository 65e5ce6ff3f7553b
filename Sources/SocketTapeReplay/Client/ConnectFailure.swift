import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns what a failed connect threw into a ``ReplayClientError`` people can read.
enum ConnectFailure {
    /// `connect to 127.0.0.1:9 failed: connection refused`, `… failed: no connection within 5 s`.
    static func describe(_ error: any Error, address: SocketAddress, timeout: TimeAmount) -> ReplayClientError {
        ReplayClientError(.connect, "connect to \(name(of: address)) failed: \(cause(of: error, timeout: timeout))")
    }

    private static func cause(of error: any Error, timeout: TimeAmount) -> String {
        if let error = error as? ChannelError, case .connectTimeout = error {
            return "no connection within \(timeout.spoken)"
        }
        guard let error = error as? IOError else { return "\(error)" }
        switch error.errnoCode {
        case ECONNREFUSED: return "connection refused"
        case ETIMEDOUT: return "timed out"
        case EHOSTUNREACH: return "host unreachable"
        case ENETUNREACH: return "network unreachable"
        case ECONNRESET: return "connection reset"
        case EADDRNOTAVAIL: return "no local address or port available"
        default: return "\(error)"
        }
    }

    /// `127.0.0.1:9` or `[::1]:9`.
    static func name(of address: SocketAddress) -> String {
        let ip = address.ipAddress ?? "\(address)"
        let port = address.port.map(String.init) ?? "?"
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}
