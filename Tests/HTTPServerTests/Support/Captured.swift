import Synchronization

/// A value shared between a test and the server's threads.
final class Captured<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) { storage = Mutex(value) }

    var value: Value {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }

    func update(_ body: (inout Value) -> Void) {
        storage.withLock { body(&$0) }
    }
}

/// A weak reference that can cross threads.
final class WeakBox: @unchecked Sendable {
    // @unchecked: `object` is guarded by `lock`.
    private let lock = Mutex(())
    private weak var object: AnyObject?

    init(_ object: AnyObject) { self.object = object }

    var isReleased: Bool { lock.withLock { _ in object == nil } }
}
