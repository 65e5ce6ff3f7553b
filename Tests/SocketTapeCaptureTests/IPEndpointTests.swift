import SocketTapeCapture
import Testing

@Suite struct IPEndpointTests {
    @Test func ipv4IsDottedQuadAndPort() {
        #expect(IPEndpoint(address: [127, 0, 0, 1], port: 3000).description == "127.0.0.1:3000")
    }

    @Test func ipv6CompressesTheLongestZeroRun() {
        let loopback = [UInt8](repeating: 0, count: 15) + [1]
        #expect(IPEndpoint(address: loopback, port: 80).description == "[::1]:80")
        let address: [UInt8] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]
        #expect(IPEndpoint(address: address, port: 443).description == "[2001:db8::1:0:0:1]:443")
    }

    @Test func ipv6KeepsASingleZeroGroup() {
        let address: [UInt8] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]
        #expect(IPEndpoint(address: address, port: 1).description == "[2001:db8:0:1:1:1:1:1]:1")
    }
}
