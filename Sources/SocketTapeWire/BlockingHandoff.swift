#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A bounded queue from one producer thread to one consumer thread. The producer waits while
/// `capacity` items are queued, so a slow consumer slows the producer instead of making it buffer;
/// the consumer waits while none is. ``cancel()`` lets a consumer that stopped early release the
/// producer.
///
/// A mutex and a condition variable (POSIX), not semaphores: libdispatch traps when a semaphore
/// is released below its initial count, which a cancelled handoff would be.
public final class BlockingHandoff<Item: Sendable>: @unchecked Sendable {
    // Guarded by `mutex`.
    private var items: [Item] = []
    private var cancelled = false
    private let capacity: Int
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// Signalled when an item is queued, taken, or the handoff is cancelled.
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    /// - Parameter capacity: the most items queued at once (at least 1).
    public init(capacity: Int) {
        precondition(capacity >= 1, "a handoff holds at least one item")
        self.capacity = capacity
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    /// Waits for room and queues `item`; returns `false`, dropping it, once the consumer cancelled.
    ///
    /// The item is moved into the queue, not copied: the consumer gets the only reference to a
    /// buffer it was given, and can change it in place without a copy-on-write.
    public func put(_ item: consuming Item) -> Bool {
        // Not `locked`: a closure cannot consume the item.
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while items.count >= capacity, !cancelled { pthread_cond_wait(changed, mutex) }
        guard !cancelled else { return false }
        items.append(consume item)
        pthread_cond_broadcast(changed)
        return true
    }

    /// Waits for and takes the oldest item.
    public func take() -> Item {
        locked {
            while items.isEmpty { pthread_cond_wait(changed, mutex) }
            pthread_cond_broadcast(changed)
            return items.removeFirst()
        }
    }

    /// The consumer takes nothing more: a producer waiting for room, and every later ``put(_:)``,
    /// return `false`.
    public func cancel() {
        locked {
            cancelled = true
            items.removeAll()
            pthread_cond_broadcast(changed)
        }
    }

    private func locked<Result>(_ body: () -> Result) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}
