import NIOCore

extension TapeRecord {
    /// An upper bound of the record's encoded size, computed without encoding it.
    ///
    /// Counts every string and blob with a maximal (10 byte) varint length and every other field
    /// as 10 bytes, so queue accounting never undercounts.
    var estimatedEncodedSize: Int {
        let prefix = TapeFormat.recordPrefixLength + 1 + Self.size(session) + 20
        return prefix + body.estimatedFieldsSize
    }

    fileprivate static func size(_ string: String) -> Int { string.utf8.count + 10 }
    fileprivate static func size(_ blob: ByteBuffer) -> Int { blob.readableBytes + 10 }
    fileprivate static func size(_ headers: [HeaderField]) -> Int {
        headers.reduce(10) { $0 + size($1.name) + size($1.value) }
    }
    fileprivate static func size(_ request: HTTPRequestRecord) -> Int {
        size(request.method) + size(request.target) + size(request.headers) + size(request.body)
    }
    fileprivate static func size(_ response: HTTPResponseRecord?) -> Int {
        guard let response else { return 1 }
        return 11 + size(response.headers) + size(response.body)
    }
}

extension TapeRecord.Body {
    fileprivate var estimatedFieldsSize: Int {
        switch self {
        case .open(let open):
            TapeRecord.size(open.client) + 1 + TapeRecord.size(open.upstream) + TapeRecord.size(open.request)
                + TapeRecord.size(open.response) + 10
        case .frame: 30
        case .message(let message): 24 + TapeRecord.size(message.payload)
        case .http(let exchange): TapeRecord.size(exchange.request) + TapeRecord.size(exchange.response)
        case .policy(let policy):
            2 + TapeRecord.size(policy.rule) + TapeRecord.size(policy.action) + TapeRecord.size(policy.detail)
                + TapeRecord.size(policy.identity ?? "")
        case .close(let close): 14 + TapeRecord.size(close.reason) + TapeRecord.size(close.error ?? "")
        case .upgrade(let upgrade): 1 + TapeRecord.size(upgrade.request) + TapeRecord.size(upgrade.response)
        case .gap(let gap): 20 + TapeRecord.size(gap.reason)
        }
    }
}
