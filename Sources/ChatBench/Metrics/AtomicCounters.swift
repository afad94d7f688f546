import Synchronization

/// A fixed number of integer counters that any thread may add to and read.
///
/// `@unchecked Sendable`: the buffer is allocated and initialised in `init` and never replaced;
/// every read and write of its elements goes through `Atomic`.
final class AtomicCounters: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<Atomic<Int>>
    /// How many counters there are.
    let count: Int

    /// `count` counters, all `initialValue`.
    init(count: Int, initialValue: Int = 0) {
        self.count = count
        storage = .allocate(capacity: max(1, count))
        for index in 0..<count { (storage + index).initialize(to: Atomic(initialValue)) }
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    /// Adds `delta` to counter `index`; returns the new value.
    @inline(__always)
    @discardableResult
    func add(_ index: Int, _ delta: Int = 1) -> Int {
        storage[index].wrappingAdd(delta, ordering: .acquiringAndReleasing).newValue
    }

    /// Counter `index`.
    @inline(__always)
    func load(_ index: Int) -> Int {
        storage[index].load(ordering: .acquiring)
    }

    /// Sets counter `index`.
    func store(_ index: Int, _ value: Int) {
        storage[index].store(value, ordering: .releasing)
    }
}
