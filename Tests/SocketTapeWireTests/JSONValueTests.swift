import NIOCore
import SocketTapeWire
import Testing

struct JSONValueTests {
    @Test func objectsKeepTheirMemberOrder() throws {
        let value = try JSONValue(parsing: #"{"z":1,"a":[true,false,null],"m":{"y":"é","b":-0.5e+3}}"#)
        guard case .object(let object) = value else {
            Issue.record("not an object")
            return
        }
        #expect(object.map(\.key) == ["z", "a", "m"])
        #expect(object["m"]?.objectValue?.map(\.key) == ["y", "b"])
        #expect(object["m"]?.objectValue?["b"] == .number("-0.5e+3"))
        #expect(value.jsonText == #"{"z":1,"a":[true,false,null],"m":{"y":"é","b":-0.5e+3}}"#)
    }

    /// Strings are scanned eight bytes at a time: an escape, a non-ASCII character or a control
    /// character must be found at every offset of a long string.
    @Test func longStringsAreReadWhereverTheirSpecialBytesStand() throws {
        for length in [7, 8, 9, 15, 16, 17, 40] {
            for position in 0..<length {
                let before = String(repeating: "a", count: position)
                let after = String(repeating: "b", count: length - position - 1)
                #expect(try JSONValue(parsing: "\"\(before)\\n\(after)\"") == .string(before + "\n" + after))
                #expect(try JSONValue(parsing: "\"\(before)é\(after)\"") == .string(before + "é" + after))
                #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: "\"\(before)\u{1}\(after)\"") }
                #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: [0x22] + Array(before.utf8) + [0xFF] + Array(after.utf8) + [0x22]) }
            }
        }
    }

    @Test func orderMattersForEquality() throws {
        #expect(try JSONValue(parsing: #"{"a":1,"b":2}"#) != JSONValue(parsing: #"{"b":2,"a":1}"#))
        #expect(try JSONValue(parsing: #"{"a":1,"b":2}"#) == ["a": 1, "b": 2])
    }

    @Test func duplicateNamesAreKeptAndTheLastWins() throws {
        let value = try JSONValue(parsing: #"{"a":1,"a":2}"#)
        #expect(value.objectValue?["a"] == 2)
        #expect(value.objectValue?.count == 2)
        #expect(value.jsonText == #"{"a":1,"a":2}"#)
    }

    @Test func subscriptSetReplacesAppendsAndRemoves() {
        var object: JSONObject = ["a": 1, "b": 2]
        object["a"] = "x"
        object["c"] = .null
        #expect(JSONValue.object(object).jsonText == #"{"a":"x","b":2,"c":null}"#)
        object["b"] = nil
        #expect(JSONValue.object(object).jsonText == #"{"a":"x","c":null}"#)
    }

    static let roundTrips = [
        #"null"#, #"true"#, #"0"#, #"-0"#, #"1.5E-7"#, #"18446744073709551615"#, #""""#, #"[]"#, #"{}"#,
        #"["chat",{"roomId":"r1","text":"hello world"}]"#,
        #"[[[[1]]],{"":{"":""}}]"#,
        #""\"\\\b\f\n\r\t\u0000\u001f"# + "\u{7F}" + #"/ é 😀""#,
    ]

    @Test(arguments: roundTrips)
    func compactTextRoundTripsByteForByte(_ text: String) throws {
        let value = try JSONValue(parsing: text)
        #expect(value.jsonText == text)
        #expect(try JSONValue(parsing: value.jsonText) == value)
    }

    @Test func whitespaceAndEscapesParseToTheSameValue() throws {
        let spaced = try JSONValue(parsing: " \t\r\n[ \"\\u0041\\/\\ud83d\\ude00\" , { \"k\" : 1 } ] \n")
        #expect(spaced == ["A/😀", ["k": 1]])
        #expect(spaced.jsonText == #"["A/😀",{"k":1}]"#)
    }

    @Test func everyInputFormParsesAlike() throws {
        let text = #"{"a":[1,"b"]}"#
        let expected: JSONValue = ["a": [1, "b"]]
        #expect(try JSONValue(parsing: text) == expected)
        #expect(try JSONValue(parsing: text[...]) == expected)
        #expect(try JSONValue(parsing: Array(text.utf8)) == expected)
        var buffer = ByteBuffer(string: "xx" + text)
        buffer.moveReaderIndex(forwardBy: 2)
        #expect(try JSONValue(parsing: buffer) == expected)
    }

    @Test func writingToAByteBuffer() {
        var buffer = ByteBuffer(string: ">")
        let value: JSONValue = ["a": [true, .null]]
        value.write(to: &buffer)
        #expect(String(buffer: buffer) == #">{"a":[true,null]}"#)
    }

    @Test func accessors() {
        let value: JSONValue = ["n": 12, "f": .number("1.0"), "s": "x", "a": [1]]
        #expect(value.objectValue?["n"]?.intValue == 12)
        #expect(value.objectValue?["f"]?.intValue == nil)
        #expect(value.objectValue?["s"]?.stringValue == "x")
        #expect(value.objectValue?["a"]?.arrayValue == [1])
        #expect(value.stringValue == nil)
    }

    static let malformed: [(String, JSONSyntaxError)] = [
        ("", .init(offset: 0, reason: "unexpected end of the text")),
        (" ", .init(offset: 1, reason: "unexpected end of the text")),
        ("[1,]", .init(offset: 3, reason: "unexpected ']'")),
        ("[1 2]", .init(offset: 3, reason: "expected ',' or ']'")),
        ("{\"a\" 1}", .init(offset: 5, reason: "expected ':'")),
        ("{\"a\":1,}", .init(offset: 7, reason: "expected a member name")),
        ("{\"a\":1", .init(offset: 6, reason: "unexpected end of the text in an object")),
        ("[1", .init(offset: 2, reason: "unexpected end of the text in an array")),
        ("01", .init(offset: 1, reason: "leading zero in a number")),
        ("-", .init(offset: 1, reason: "expected a digit")),
        ("1.", .init(offset: 2, reason: "expected a digit after '.'")),
        ("1e+", .init(offset: 3, reason: "expected a digit in the exponent")),
        ("+1", .init(offset: 0, reason: "unexpected '+'")),
        ("tru", .init(offset: 0, reason: "invalid literal (expected true)")),
        ("nul1", .init(offset: 0, reason: "invalid literal (expected null)")),
        ("'a'", .init(offset: 0, reason: "unexpected '''")),
        ("1 2", .init(offset: 2, reason: "unexpected text after the JSON value")),
        ("\"abc", .init(offset: 0, reason: "unterminated string")),
        ("\"a\nb\"", .init(offset: 2, reason: "control character byte 0xA in a string")),
        (#""\x""#, .init(offset: 1, reason: "invalid escape: 'x' after a backslash")),
        (#""\u12g4""#, .init(offset: 5, reason: #"invalid \u escape: 'g' is not a hex digit"#)),
        (#""\u12"#, .init(offset: 1, reason: #"unterminated \u escape"#)),
        (#""\ud800""#, .init(offset: 1, reason: #"lone surrogate \ud800"#)),
        (#""\udc00x""#, .init(offset: 1, reason: #"lone surrogate \udc00"#)),
        (#""\ud800\u0041""#, .init(offset: 1, reason: #"\ud800 is not followed by a low surrogate"#)),
        (String(repeating: "[", count: 129) + String(repeating: "]", count: 129), .init(offset: 128, reason: "nested deeper than 128 levels")),
    ]

    @Test(arguments: malformed)
    func malformedTextGivesItsOffsetAndReason(_ text: String, _ expected: JSONSyntaxError) {
        #expect(throws: expected) { try JSONValue(parsing: text) }
    }

    @Test func invalidUTF8InAStringIsAnError() {
        #expect(throws: JSONSyntaxError(offset: 1, reason: "invalid UTF-8 in a string")) {
            try JSONValue(parsing: [0x5B, 0x22, 0xC3, 0x28, 0x22, 0x5D])
        }
        #expect(throws: JSONSyntaxError(offset: 0, reason: "invalid UTF-8 in a string")) {
            try JSONValue(parsing: [0x22, 0x5C, 0x6E, 0xED, 0xA0, 0x80, 0x22])
        }
    }

    @Test func nestingUpToTheLimitParses() throws {
        let text = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        #expect(try JSONValue(parsing: text).jsonText == text)
    }
}

struct Base64Tests {
    @Test(arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")])
    func rfc4648TestVectors(_ plain: String, _ encoded: String) throws {
        #expect(Base64.encode(ByteBuffer(string: plain)) == encoded)
        #expect(try Base64.decode(encoded) == ByteBuffer(string: plain))
        #expect(try Base64.decode(String(encoded.prefix { $0 != "=" })) == ByteBuffer(string: plain))
    }

    @Test func allByteValuesRoundTrip() throws {
        let bytes = ByteBuffer(bytes: (0...255).map { UInt8($0) })
        #expect(try Base64.decode(Base64.encode(bytes)) == bytes)
    }

    @Test(arguments: [
        ("Zm9v!", Base64DecodingError(offset: 4, reason: "'!' is not a base64 character")),
        ("Z", Base64DecodingError(offset: 0, reason: "a lone base64 character in the last group")),
        ("Zg=", Base64DecodingError(offset: 2, reason: "base64 padding makes the length 3, not a multiple of 4")),
        ("Zg==Zg==", Base64DecodingError(offset: 2, reason: "'=' is not a base64 character")),
    ])
    func invalidBase64(_ text: String, _ expected: Base64DecodingError) {
        #expect(throws: expected) { try Base64.decode(text) }
    }
}
