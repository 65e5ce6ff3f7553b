extension String {
    /// The longest prefix of whole characters whose UTF-8 encoding has at most `maxBytes` bytes.
    func truncatedUTF8(toAtMost maxBytes: Int) -> String {
        guard utf8.count > maxBytes else { return self }
        var result = ""
        var count = 0
        for character in self {
            count += character.utf8.count
            guard count <= maxBytes else { break }
            result.append(character)
        }
        return result
    }
}
