import SocketTapeWire
import Testing

struct JSONPointerTests {
    @Test func tokensAreEscapedAndReadBack() throws {
        #expect(JSONPointer.escape("a/b~c") == "a~1b~0c")
        #expect(JSONPointer.escape("plain") == "plain")
        #expect(JSONPointer.pointer(["args", "0", "a/b~c"]) == "/args/0/a~1b~0c")
        #expect(JSONPointer.pointer([String]()) == "")
        #expect(try JSONPointer.tokens(of: "/args/0/a~1b~0c") == ["args", "0", "a/b~c"])
        #expect(try JSONPointer.tokens(of: "") == [])
        #expect(try JSONPointer.tokens(of: "/") == [""])
        #expect(try JSONPointer.tokens(of: "/a//b") == ["a", "", "b"])
        // "~01" is "~1" unescaped once, not "/".
        #expect(try JSONPointer.tokens(of: "/~01") == ["~1"])
    }

    @Test(arguments: [
        ("args/0", "JSON pointer: does not start with '/' (at byte 0)"),
        ("/a/~2", "JSON pointer: '~' must be followed by '0' or '1' (write '~0' for '~', '~1' for '/') (at byte 3)"),
        ("/a~", "JSON pointer: '~' must be followed by '0' or '1' (write '~0' for '~', '~1' for '/') (at byte 2)"),
    ])
    func malformedPointersSayWhereAndWhy(pointer: String, message: String) {
        #expect(throws: JSONPointerError.self) { try JSONPointer.tokens(of: pointer) }
        do {
            _ = try JSONPointer.tokens(of: pointer)
        } catch {
            #expect(error.description == message)
        }
    }
}
