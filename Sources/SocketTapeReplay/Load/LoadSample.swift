/// What one event loop measured since the last look: counts and the four distributions.
struct LoadSample: Sendable {
    var counts = LoadCounts()
    /// From the start of a session to its TCP connection.
    var connect = LoadHistogram()
    /// From the start of a session to its completed handshake (101, or the Engine.IO open).
    var handshake = LoadHistogram()
    var roundTrip = LoadHistogram()
    /// `recorded` pacing: how late each client message went.
    var pacingError = LoadHistogram()

    /// Adds `other` to this sample.
    mutating func add(_ other: LoadSample) {
        counts.add(other.counts)
        connect.add(other.connect)
        handshake.add(other.handshake)
        roundTrip.add(other.roundTrip)
        pacingError.add(other.pacingError)
    }
}
