// Linux only: epoll (through the CSystemLinux shim), a plain thread and /proc for `SocketWatcher`
// and the load tool's loop.
import CSystemLinux
import Glibc

extension System {
    /// The `epoll_event.events` bits the event loops use.
    package struct EpollEvents: OptionSet, Sendable {
        package let rawValue: UInt32
        package init(rawValue: UInt32) { self.rawValue = rawValue }
        package static let input = EpollEvents(rawValue: EPOLLIN.rawValue)
        package static let output = EpollEvents(rawValue: EPOLLOUT.rawValue)
        package static let error = EpollEvents(rawValue: EPOLLERR.rawValue)
        package static let hangUp = EpollEvents(rawValue: EPOLLHUP.rawValue)
        package static let peerClosedWriting = EpollEvents(rawValue: EPOLLRDHUP.rawValue)
        /// Disabled after one report until the next `epollModify`.
        package static let oneShot = EpollEvents(rawValue: EPOLLONESHOT.rawValue)
        /// Reported once per change of readiness, not while it lasts.
        package static let edgeTriggered = EpollEvents(rawValue: EPOLLET.rawValue)
    }

    /// Room for the events of one `epollWait`, allocated once and reused.
    package typealias EpollEventBuffer = UnsafeMutableBufferPointer<epoll_event>

    /// A buffer for `capacity` events (deallocate it when done).
    package static func makeEpollEventBuffer(capacity: Int) -> EpollEventBuffer {
        .allocate(capacity: capacity)
    }

    /// A new close-on-exec epoll instance.
    package static func epollCreate() throws(SystemError) -> Int32 {
        try blocking("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
    }

    /// Adds `socket` to `epoll` with `events`, tagged with `token`.
    package static func epollAdd(_ epoll: Int32, _ socket: Int32, events: EpollEvents, token: UInt64) throws(SystemError) {
        try epollControl(EPOLL_CTL_ADD, epoll, socket, events: events, token: token)
    }

    /// Changes the events (and re-enables a one-shot registration) of `socket` in `epoll`.
    package static func epollModify(_ epoll: Int32, _ socket: Int32, events: EpollEvents, token: UInt64) throws(SystemError) {
        try epollControl(EPOLL_CTL_MOD, epoll, socket, events: events, token: token)
    }

    /// Removes `socket` from `epoll`.
    package static func epollDelete(_ epoll: Int32, _ socket: Int32) throws(SystemError) {
        try epollControl(EPOLL_CTL_DEL, epoll, socket, events: [], token: 0)
    }

    private static func epollControl(
        _ operation: Int32, _ epoll: Int32, _ socket: Int32, events: EpollEvents, token: UInt64
    ) throws(SystemError) {
        var event = epoll_event()
        event.events = events.rawValue
        event.data.u64 = token
        try blocking("epoll_ctl") { epoll_ctl(epoll, operation, socket, &event) }
    }

    /// Waits up to `milliseconds` (-1: without a time limit) for events into `buffer`; returns
    /// how many came (0 when interrupted or timed out).
    @inline(__always)
    package static func epollWait(_ epoll: Int32, _ buffer: EpollEventBuffer, milliseconds: Int32 = -1) throws(SystemError) -> Int {
        let count = epoll_wait(epoll, buffer.baseAddress, Int32(buffer.count), milliseconds)
        if count >= 0 { return Int(count) }
        let code = errno
        if code == EINTR { return 0 }
        throw SystemError(call: "epoll_wait", errno: code)
    }

    /// The event bits and token of event `index` in a buffer `epollWait` filled.
    @inline(__always)
    package static func epollEvent(_ buffer: EpollEventBuffer, _ index: Int) -> (events: EpollEvents, token: UInt64) {
        let event = buffer[index]
        return (EpollEvents(rawValue: event.events), event.data.u64)
    }

    /// `accept4(2)`: accepts one pending connection with `flags` (`SOCK_NONBLOCK`, `SOCK_CLOEXEC`)
    /// applied atomically.
    package static func accept(_ socket: Int32, flags: Int32) throws(SystemError) -> IOResult<Int32> {
        try nonBlocking("accept4") { CSystemLinux_accept4(socket, nil, nil, flags) }
    }

    /// The whole of a small text file, such as one under `/proc`.
    package static func readTextFile(_ path: String) throws(SystemError) -> String {
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
    package static func startThread(_ body: @escaping @Sendable () -> Void) throws(SystemError) {
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
