import NIOCore

extension JSONValue {
    /// Parses one JSON document (optionally surrounded by whitespace) from UTF-8 bytes, in place.
    ///
    /// - Throws: ``JSONSyntaxError`` with the byte offset of the first problem.
    public init(parsing bytes: UnsafeRawBufferPointer) throws(JSONSyntaxError) {
        var parser = JSONParser(bytes: bytes)
        self = try parser.document()
    }

    /// Parses the readable bytes of `buffer`, without copying them.
    public init(parsing buffer: ByteBuffer) throws(JSONSyntaxError) {
        let result = buffer.withUnsafeReadableBytes { bytes -> Result<JSONValue, JSONSyntaxError> in
            Result { () throws(JSONSyntaxError) in try JSONValue(parsing: bytes) }
        }
        self = try result.get()
    }

    /// Parses UTF-8 bytes.
    public init(parsing bytes: [UInt8]) throws(JSONSyntaxError) {
        let result = bytes.withUnsafeBytes { bytes -> Result<JSONValue, JSONSyntaxError> in
            Result { () throws(JSONSyntaxError) in try JSONValue(parsing: bytes) }
        }
        self = try result.get()
    }

    /// Parses text; native strings and substrings are read in place.
    public init(parsing text: some StringProtocol) throws(JSONSyntaxError) {
        let result = text.utf8.withContiguousStorageIfAvailable { utf8 -> Result<JSONValue, JSONSyntaxError> in
            Result { () throws(JSONSyntaxError) in try JSONValue(parsing: UnsafeRawBufferPointer(utf8)) }
        }
        self = try (result ?? Result { () throws(JSONSyntaxError) in try JSONValue(parsing: Array(text.utf8)) }).get()
    }
}
