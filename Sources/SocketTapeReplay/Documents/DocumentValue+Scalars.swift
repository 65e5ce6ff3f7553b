import SocketTapeWire

extension DocumentValue {
    /// A non-negative integer up to `UInt64.max`.
    func unsigned() throws(ReplayFileError) -> UInt64 {
        guard case .number(let text) = value, let number = UInt64(text) else { throw error("expected a non-negative integer") }
        return number
    }

    func number() throws(ReplayFileError) -> Double {
        guard case .number(let text) = value, let number = Double(text) else { throw error("expected a number") }
        return number
    }

    func bool() throws(ReplayFileError) -> Bool {
        guard case .bool(let flag) = value else { throw error("expected true or false") }
        return flag
    }
}
