#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing

struct LoopbackListenerError: Error, CustomStringConvertible {
    var reason: String
    var description: String { "cannot listen on 127.0.0.1: \(reason)" }
}

/// A listening TCP socket on 127.0.0.1 (an ephemeral port) and blocking POSIX calls to connect to
/// it and send bytes over a real connection.
final class LoopbackListener {
    let port: UInt16
    private let listener: Int32

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(listener >= 0, "socket: \(String(cString: strerror(errno)))")
        var address = Self.loopback(port: 0)
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        guard
            Self.withSocketAddress(&address, { bind(listener, $0, $1) }) == 0,
            listen(listener, 4) == 0,
            Self.withSocketAddress(&bound, { address, _ in getsockname(listener, address, &length) }) == 0
        else {
            let reason = String(cString: strerror(errno))
            close(listener)
            throw LoopbackListenerError(reason: reason)
        }
        self.listener = listener
        self.port = UInt16(bigEndian: bound.sin_port)
    }

    deinit {
        close(listener)
    }

    /// Connects, sends `bytes` from the client side, reads them on the server side and closes both.
    func sendOverNewConnection(_ bytes: [UInt8]) throws {
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(client) }
        var address = Self.loopback(port: port)
        try #require(Self.withSocketAddress(&address) { connect(client, $0, $1) } == 0, "connect: \(String(cString: strerror(errno)))")
        let server = accept(listener, nil, nil)
        try #require(server >= 0, "accept: \(String(cString: strerror(errno)))")
        defer { close(server) }
        try #require(send(client, bytes, bytes.count, 0) == bytes.count)
        var received = [UInt8](repeating: 0, count: bytes.count)
        var count = 0
        while count < bytes.count {
            let result = received.withUnsafeMutableBytes { recv(server, $0.baseAddress! + count, bytes.count - count, 0) }
            try #require(result > 0, "recv: \(String(cString: strerror(errno)))")
            count += result
        }
        #expect(received == bytes)
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    private static func withSocketAddress<Result>(
        _ address: inout sockaddr_in, _ body: (UnsafeMutablePointer<sockaddr>, socklen_t) -> Result
    ) -> Result {
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
}
