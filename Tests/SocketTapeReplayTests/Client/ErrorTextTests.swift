import NIOCore
@testable import SocketTapeReplay
import Testing

@Suite("Error texts")
struct ErrorTextTests {
    @Test("durations as errors say them")
    func spoken() {
        #expect(TimeAmount.seconds(5).spoken == "5 s")
        #expect(TimeAmount.milliseconds(1500).spoken == "1.5 s")
        #expect(TimeAmount.milliseconds(1050).spoken == "1.05 s")
        #expect(TimeAmount.milliseconds(250).spoken == "250 ms")
    }

    @Test("addresses are named host:port, IPv6 in brackets")
    func addresses() throws {
        #expect(ConnectFailure.name(of: try SocketAddress(ipAddress: "127.0.0.1", port: 9)) == "127.0.0.1:9")
        #expect(ConnectFailure.name(of: try SocketAddress(ipAddress: "::1", port: 9)) == "[::1]:9")
    }

    @Test("a connect timeout")
    func connectTimeout() throws {
        let address = try SocketAddress(ipAddress: "192.0.2.1", port: 80)
        let error = ConnectFailure.describe(ChannelError.connectTimeout(.seconds(3)), address: address, timeout: .seconds(3))
        #expect(error.kind == .connect)
        #expect(error.description == "connect to 192.0.2.1:80 failed: no connection within 3 s")
    }
}
