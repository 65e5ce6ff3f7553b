/// Gives every connection of a synthesised capture its own address/port 4-tuple, so no connection
/// looks like the reuse of an earlier one.
///
/// A connection keeps its recorded client port when that tuple is still unused; otherwise (a later
/// polling request of the same client, or a port the client's system reused) the next free port
/// above it, wrapping within the dynamic range 49152–65535.
struct ClientPortAllocator {
    private struct Tuple: Hashable {
        var client: IPEndpoint
        var server: IPEndpoint
    }

    private var used: Set<Tuple> = []

    /// `client` with a port no earlier connection to `server` used.
    mutating func claim(_ client: IPEndpoint, to server: IPEndpoint) -> IPEndpoint {
        var candidate = client
        while used.contains(Tuple(client: candidate, server: server)) {
            candidate.port = candidate.port == 65535 ? 49152 : candidate.port + 1
        }
        used.insert(Tuple(client: candidate, server: server))
        return candidate
    }
}
