import NIOCore
import SocketTapeWire
import Testing

@testable import SocketTapeProxy

@Suite struct ClientInjectionTests {
    @Test(arguments: [
        ("451-[\"bin\",{\"_placeholder\":true,\"num\":0}]", 1),
        ("4612-/admin,3[{\"_placeholder\":true,\"num\":0}]", 12),
        ("42[\"chat\",\"451-\"]", nil),
        ("45-[]", nil),
        ("453", nil),
        ("3probe", nil),
    ] as [(String, Int?)])
    func attachmentCountsOfBinaryPackets(text: String, count: Int?) {
        #expect(ClientInjection.attachmentCount(ByteBuffer(string: text)) == count)
    }

    @Test func framesWaitForTheEndOfAFragmentedServerMessage() {
        var injection = ClientInjection(socketIO: false)
        injection.forwardedFrame(fin: false)
        injection.hold(ByteBuffer(string: "mine"))
        #expect(injection.takeReady().isEmpty)
        injection.forwardedFrame(fin: true)
        #expect(injection.takeReady() == [ByteBuffer(string: "mine")])
        #expect(injection.takeReady().isEmpty)
    }

    @Test func framesWaitForTheAttachmentsOfABinaryPacket() {
        var injection = ClientInjection(socketIO: true)
        injection.serverMessage(WebSocketMessage(opcode: .text, payload: ByteBuffer(string: "452-[\"bin\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]")))
        injection.hold(ByteBuffer(string: "mine"))
        injection.serverMessage(WebSocketMessage(opcode: .binary, payload: ByteBuffer(bytes: [1])))
        #expect(injection.takeReady().isEmpty)
        injection.serverMessage(WebSocketMessage(opcode: .binary, payload: ByteBuffer(bytes: [2])))
        #expect(injection.takeReady() == [ByteBuffer(string: "mine")])
    }

    @Test func plainWebSocketBinaryMessagesOweNothing() {
        var injection = ClientInjection(socketIO: false)
        injection.serverMessage(WebSocketMessage(opcode: .text, payload: ByteBuffer(string: "451-[]")))
        #expect(injection.atBoundary)
    }
}
