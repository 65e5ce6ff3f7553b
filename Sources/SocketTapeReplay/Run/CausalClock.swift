import NIOConcurrencyHelpers

/// Causal pacing across the sessions of a run: a client message goes once every server message
/// that came before it on the tape — in any session — has arrived, so that in a chat room alice
/// shouts only after bob's join was answered, as on the tape.
///
/// All expected server messages of the run are lined up by their tape time. The *frontier* is
/// how many of them, from the earliest, have all arrived; a client message recorded at time T
/// waits until the frontier has passed every expected message before T. Arrivals advance the
/// frontier in amortised O(1), and a check is O(1), so the cost does not grow with the number of
/// sessions. A session that ends (or fails) no longer holds anyone back, and a wait that times
/// out moves the frontier past what it waited for, so a missing message delays the run once.
final class CausalClock: Sendable {
    private struct State {
        /// Per expected message in tape-time order: whether it arrived (or was given up).
        var arrived: [Bool]
        var frontier = 0
        /// Per session: how many of its expected messages have arrived.
        var counts: [String: Int] = [:]
    }

    /// Per session: the global position of each of its expected messages.
    private let positions: [String: [Int]]
    /// Per session: per outgoing message, the frontier it needs.
    private let needs: [String: [Int]]
    private let state: NIOLockedValueBox<State>
    /// Whether a session can wait for another's messages (more than one session expects some).
    let spansSessions: Bool

    init(plan: ReplayPlan) {
        var timeline: [(time: UInt64, session: String, index: Int)] = []
        for script in plan.scripts {
            for (index, expected) in script.expected.enumerated() {
                timeline.append((script.start &+ expected.offset, script.session, index))
            }
        }
        timeline.sort { ($0.time, $0.session, $0.index) < ($1.time, $1.session, $1.index) }
        var positions: [String: [Int]] = [:]
        for script in plan.scripts { positions[script.session] = Array(repeating: 0, count: script.expected.count) }
        for (position, entry) in timeline.enumerated() { positions[entry.session]![entry.index] = position }
        let times = timeline.map(\.time)
        var needs: [String: [Int]] = [:]
        for script in plan.scripts {
            needs[script.session] = script.outgoing.map { Self.count(of: times, before: script.start &+ $0.offset) }
        }
        self.positions = positions
        self.needs = needs
        spansSessions = plan.scripts.filter { !$0.expected.isEmpty }.count > 1
        state = NIOLockedValueBox(State(arrived: Array(repeating: false, count: timeline.count)))
    }

    /// Whether `session`'s outgoing message `index` may go.
    func mayGo(_ session: String, outgoing index: Int) -> Bool {
        let need = needs[session]?[index] ?? 0
        return state.withLockedValue { $0.frontier >= need }
    }

    /// `session` received its next expected message.
    func arrived(_ session: String) {
        guard let positions = positions[session] else { return }
        state.withLockedValue { state in
            let count = state.counts[session, default: 0]
            guard count < positions.count else { return }
            state.counts[session] = count + 1
            state.arrived[positions[count]] = true
            Self.advance(&state)
        }
    }

    /// `session` ended: what it has not received will not come.
    func ended(_ session: String) {
        guard let positions = positions[session] else { return }
        state.withLockedValue { state in
            for position in positions[state.counts[session, default: 0]...] { state.arrived[position] = true }
            state.counts[session] = positions.count
            Self.advance(&state)
        }
    }

    /// A wait for `session`'s outgoing message `index` timed out: whatever it waited for is given up.
    func giveUp(_ session: String, outgoing index: Int) {
        let need = needs[session]?[index] ?? 0
        state.withLockedValue { state in
            while state.frontier < need {
                state.arrived[state.frontier] = true
                state.frontier += 1
            }
            Self.advance(&state)
        }
    }

    private static func advance(_ state: inout State) {
        while state.frontier < state.arrived.count, state.arrived[state.frontier] { state.frontier += 1 }
    }

    /// How many of the sorted `times` are earlier than `time`.
    private static func count(of times: [UInt64], before time: UInt64) -> Int {
        var low = 0
        var high = times.count
        while low < high {
            let middle = (low + high) / 2
            if times[middle] < time { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
