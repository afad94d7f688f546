// Linux only: epoll, a plain thread and /proc for `SocketWatcher`.
import Glibc

extension System {
    // Glibc's Swift module does not export <sys/epoll.h>, so the three calls are looked up once
    // by name, and `struct epoll_event` is laid out by hand: packed (12 bytes) on x86_64, where
    // the kernel ABI packs it (and on i386, where 8-byte fields align to 4), naturally aligned
    // (16 bytes) elsewhere.
    private typealias EpollCreate1 = @convention(c) (Int32) -> Int32
    private typealias EpollControl = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    private typealias EpollWait = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32

    private static let epollCreate1 = libcSymbol("epoll_create1", as: EpollCreate1.self)
    private static let epollControl = libcSymbol("epoll_ctl", as: EpollControl.self)
    private static let epollWaitCall = libcSymbol("epoll_wait", as: EpollWait.self)

    #if arch(x86_64) || arch(i386)
    /// Bytes of one `struct epoll_event`.
    static let epollEventSize = 12
    private static let epollDataOffset = 4
    #else
    /// Bytes of one `struct epoll_event`.
    static let epollEventSize = 16
    private static let epollDataOffset = 8
    #endif

    /// The `epoll_event.events` bits the transport uses.
    struct EpollEvents: OptionSet, Sendable {
        let rawValue: UInt32
        static let input = EpollEvents(rawValue: 0x001)
        static let output = EpollEvents(rawValue: 0x004)
        static let error = EpollEvents(rawValue: 0x008)
        static let hangUp = EpollEvents(rawValue: 0x010)
        static let peerClosedWriting = EpollEvents(rawValue: 0x2000)
        /// Disabled after one report until the next `epollModify`.
        static let oneShot = EpollEvents(rawValue: 1 << 30)
    }

    private enum EpollOperation: Int32 {
        case add = 1, delete = 2, modify = 3
    }

    private static func missing(_ name: String) -> SystemError {
        SystemError(call: name, errno: ENOSYS)
    }

    /// A new close-on-exec epoll instance.
    static func epollCreate() throws(SystemError) -> Int32 {
        guard let epollCreate1 else { throw missing("epoll_create1") }
        return try blocking("epoll_create1") { epollCreate1(Int32(O_CLOEXEC)) }
    }

    /// Adds `socket` to `epoll` with `events`, tagged with `token`.
    static func epollAdd(_ epoll: Int32, _ socket: Int32, events: EpollEvents, token: UInt64) throws(SystemError) {
        try epollControl(.add, epoll, socket, events: events, token: token)
    }

    /// Changes the events (and re-enables a one-shot registration) of `socket` in `epoll`.
    static func epollModify(_ epoll: Int32, _ socket: Int32, events: EpollEvents, token: UInt64) throws(SystemError) {
        try epollControl(.modify, epoll, socket, events: events, token: token)
    }

    /// Removes `socket` from `epoll`.
    static func epollDelete(_ epoll: Int32, _ socket: Int32) throws(SystemError) {
        try epollControl(.delete, epoll, socket, events: [], token: 0)
    }

    private static func epollControl(
        _ operation: EpollOperation, _ epoll: Int32, _ socket: Int32, events: EpollEvents, token: UInt64
    ) throws(SystemError) {
        guard let epollControl else { throw missing("epoll_ctl") }
        var event = (UInt64(0), UInt64(0))
        try withUnsafeMutableBytes(of: &event) { raw throws(SystemError) in
            raw.storeBytes(of: events.rawValue, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: token, toByteOffset: epollDataOffset, as: UInt64.self)
            try blocking("epoll_ctl") { epollControl(epoll, operation.rawValue, socket, raw.baseAddress) }
        }
    }

    /// Waits, without a time limit, for events into `buffer` (room for `capacity` events of
    /// `epollEventSize` bytes); returns how many came (0 when interrupted).
    static func epollWait(_ epoll: Int32, _ buffer: UnsafeMutableRawPointer, capacity: Int32) throws(SystemError) -> Int {
        guard let epollWaitCall else { throw missing("epoll_wait") }
        let count = epollWaitCall(epoll, buffer, capacity, -1)
        if count >= 0 { return Int(count) }
        let code = errno
        if code == EINTR { return 0 }
        throw SystemError(call: "epoll_wait", errno: code)
    }

    /// The event bits and token of event `index` in a buffer `epollWait` filled.
    @inline(__always)
    static func epollEvent(_ buffer: UnsafeMutableRawPointer, _ index: Int) -> (events: EpollEvents, token: UInt64) {
        let base = buffer + index * epollEventSize
        return (
            EpollEvents(rawValue: base.loadUnaligned(as: UInt32.self)),
            base.loadUnaligned(fromByteOffset: epollDataOffset, as: UInt64.self)
        )
    }

    /// The whole of a small text file, such as one under `/proc`.
    static func readTextFile(_ path: String) throws(SystemError) -> String {
        let descriptor = try blocking("open") { open(path, O_RDONLY | O_CLOEXEC) }
        defer { _ = Glibc.close(descriptor) }
        var bytes: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            let count = try blocking("read") { Glibc.read(descriptor, chunk.baseAddress, chunk.count) }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Threads

    /// Runs `body` on a new detached thread of its own.
    static func startThread(_ body: @escaping @Sendable () -> Void) throws(SystemError) {
        final class Start {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let start = Unmanaged.passRetained(Start(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            Unmanaged<Start>.fromOpaque(context).takeRetainedValue().body()
            return nil
        }, start)
        guard result == 0 else {
            Unmanaged<Start>.fromOpaque(start).release()
            throw SystemError(call: "pthread_create", errno: result)
        }
        pthread_detach(thread)
    }
}
