@testable import SocketTapeCapture
import Testing

@Suite("The decoder's open connections")
struct CapturedConnectionsTests {
    private static func connection(port: UInt16) -> CapturedConnection {
        CapturedConnection(
            client: IPEndpoint(address: [127, 0, 0, 1], port: port), server: IPEndpoint(address: [127, 0, 0, 1], port: 80),
            handshakeSeen: true
        )
    }

    @Test("connections whose ids share a slot of the table are told apart, and removing one keeps the other")
    func idsSharingASlot() {
        var connections = CapturedConnections()
        let first = Self.connection(port: 40001)
        let second = Self.connection(port: 40002)
        connections.add(first, id: TCPConnectionID(1))
        connections.add(second, id: TCPConnectionID(257))  // 1 + 256: the same slot
        #expect(connections.connection(TCPConnectionID(1)) === first)
        #expect(connections.connection(TCPConnectionID(257)) === second)
        #expect(connections.connection(TCPConnectionID(1)) === first)
        connections.remove(TCPConnectionID(1))
        #expect(connections.connection(TCPConnectionID(1)) == nil)
        #expect(connections.connection(TCPConnectionID(257)) === second)
        connections.remove(TCPConnectionID(257))
        #expect(connections.connection(TCPConnectionID(257)) == nil)
        #expect(connections.connection(TCPConnectionID(513)) == nil)
    }
}
