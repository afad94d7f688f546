// Linux only (epoll, SOCK_NONBLOCK, MSG_NOSIGNAL, /proc); this file is the tool's only C.
import Glibc

/// A system call failed: which one, and `errno`.
struct SystemError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The call's name, as in its man page.
    let call: String
    /// `errno` after the call.
    let errno: Int32

    var description: String { "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))" }
}

/// The outcome of a call on a non-blocking descriptor.
enum IOResult<Value> {
    /// The call did its work.
    case processed(Value)
    /// The descriptor is not ready; wait for epoll.
    case wouldBlock
}

/// The one door to the C library: every system call goes through here, retried on `EINTR`,
/// with "would block" as a value and failures as `SystemError`.
enum System {
    @inline(__always)
    private static func nonBlocking<T: FixedWidthInteger>(_ name: String, _ call: () -> T) throws(SystemError) -> IOResult<T> {
        while true {
            let result = call()
            if result >= 0 { return .processed(result) }
            let code = Glibc.errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            throw SystemError(call: name, errno: code)
        }
    }

    @inline(__always)
    @discardableResult
    private static func blocking<T: FixedWidthInteger>(_ name: String, _ call: () -> T) throws(SystemError) -> T {
        while true {
            let result = call()
            if result >= 0 { return result }
            let code = Glibc.errno
            if code == EINTR { continue }
            throw SystemError(call: name, errno: code)
        }
    }

    // MARK: Process

    /// Raises the soft limit of open descriptors to the hard limit; returns the new soft limit.
    @discardableResult
    static func raiseOpenFileLimit() throws(SystemError) -> Int {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        try blocking("getrlimit") { getrlimit(resource, &limit) }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            try blocking("setrlimit") { setrlimit(resource, &limit) }
        }
        return Int(clamping: limit.rlim_cur)
    }

    /// Makes a write to a closed socket an `EPIPE` error instead of a fatal signal.
    static func ignoreBrokenPipeSignal() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Processors available to this process.
    static var activeProcessorCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// Clock ticks per second, the unit of `/proc/PID/stat`'s times.
    static var clockTicksPerSecond: Double {
        Double(max(1, sysconf(Int32(_SC_CLK_TCK))))
    }

    /// Nanoseconds on the monotonic clock (the same clock in every thread of the process).
    @inline(__always)
    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    }

    /// User plus system CPU time this process has used, in seconds (`getrusage`).
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Sleeps the calling thread.
    static func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1, Glibc.errno == EINTR { request = remaining }
    }

    // MARK: Sockets

    /// A new non-blocking, close-on-exec TCP socket of `family` with Nagle's algorithm off.
    static func makeStreamSocket(family: Int32) throws(SystemError) -> Int32 {
        let socket = try blocking("socket") {
            Glibc.socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        var one: Int32 = 1
        _ = setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return socket
    }

    /// Starts connecting `socket` to `address`; true when already connected, false when the
    /// connection is in progress (the socket becomes writable when it is done).
    static func connect(_ socket: Int32, to address: LoopbackAddress) throws(SystemError) -> Bool {
        var storage = address.storage
        let length = address.length
        while true {
            let result = withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, length) }
            }
            if result == 0 { return true }
            let code = Glibc.errno
            if code == EINTR { continue }
            if code == EINPROGRESS { return false }
            throw SystemError(call: "connect", errno: code)
        }
    }

    /// The pending error of a socket (`SO_ERROR`): 0 once a non-blocking connect succeeded.
    static func pendingError(_ socket: Int32) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(socket, SOL_SOCKET, SO_ERROR, &value, &length) == -1 { return Glibc.errno }
        return value
    }

    /// Reads into `buffer`; `.processed(0)` is end of stream.
    @inline(__always)
    static func read(_ socket: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> IOResult<Int> {
        try nonBlocking("read") { Glibc.read(socket, buffer.baseAddress, buffer.count) }
    }

    /// Sends from `buffer` without raising `SIGPIPE`; returns how many bytes the kernel took.
    @inline(__always)
    static func send(_ socket: Int32, _ buffer: UnsafeRawBufferPointer) throws(SystemError) -> IOResult<Int> {
        try nonBlocking("send") { Glibc.send(socket, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Waits up to `milliseconds` for `socket` to have input (or an error); false on timeout.
    static func waitUntilReadable(_ socket: Int32, milliseconds: Int32) throws(SystemError) -> Bool {
        try poll(socket, events: Int16(POLLIN), milliseconds: milliseconds)
    }

    /// Waits up to `milliseconds` for `socket` to take output (or an error); false on timeout.
    static func waitUntilWritable(_ socket: Int32, milliseconds: Int32) throws(SystemError) -> Bool {
        try poll(socket, events: Int16(POLLOUT), milliseconds: milliseconds)
    }

    private static func poll(_ socket: Int32, events: Int16, milliseconds: Int32) throws(SystemError) -> Bool {
        var descriptor = pollfd(fd: socket, events: events, revents: 0)
        return try blocking("poll") { Glibc.poll(&descriptor, 1, milliseconds) } > 0
    }

    /// Closes a descriptor. Never retried: on Linux the descriptor is gone even after `EINTR`.
    static func close(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }

    // MARK: epoll

    // Glibc's Swift module does not export <sys/epoll.h>, so the three calls are looked up once
    // by name, and `struct epoll_event` is laid out by hand: packed (12 bytes) on x86_64, where
    // the kernel ABI packs it, naturally aligned (16 bytes) elsewhere.
    private typealias EpollCreate1 = @convention(c) (Int32) -> Int32
    private typealias EpollControl = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    private typealias EpollWait = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32
    private static func symbol<T>(_ name: String, as type: T.Type) -> T {
        guard let address = dlsym(dlopen(nil, RTLD_NOW), name) else { fatalError("libc has no \(name)") }
        return unsafeBitCast(address, to: type)
    }
    private static let epollCreate1 = symbol("epoll_create1", as: EpollCreate1.self)
    private static let epollControl = symbol("epoll_ctl", as: EpollControl.self)
    private static let epollWaitCall = symbol("epoll_wait", as: EpollWait.self)

    /// Bytes of one `struct epoll_event`.
    #if arch(x86_64)
    static let epollEventSize = 12
    private static let epollDataOffset = 4
    #else
    static let epollEventSize = 16
    private static let epollDataOffset = 8
    #endif

    private static let epollIn: UInt32 = 0x001
    private static let epollOut: UInt32 = 0x004
    private static let epollErr: UInt32 = 0x008
    private static let epollHup: UInt32 = 0x010
    private static let epollReadHup: UInt32 = 0x2000
    private static let epollEdgeTriggered: UInt32 = 1 << 31
    private static let epollControlAdd: Int32 = 1

    /// The readiness bits the loop asks for: input, output, peer hang-up, edge-triggered.
    static let edgeTriggeredReadWrite = epollIn | epollOut | epollReadHup | epollEdgeTriggered
    /// Input ready (or end of stream).
    static let readableEvents = epollIn | epollReadHup | epollHup | epollErr
    /// Output ready (or the connect finished, or failed).
    static let writableEvents = epollOut | epollHup | epollErr

    /// A new close-on-exec epoll instance.
    static func epollCreate() throws(SystemError) -> Int32 {
        try blocking("epoll_create1") { epollCreate1(Int32(O_CLOEXEC)) }
    }

    /// Adds `socket` to `epoll` with `events`, tagged with `token`.
    static func epollAdd(_ epoll: Int32, _ socket: Int32, events: UInt32, token: UInt64) throws(SystemError) {
        var event = (UInt64(0), UInt64(0))
        try withUnsafeMutableBytes(of: &event) { raw throws(SystemError) in
            raw.storeBytes(of: events, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: token, toByteOffset: epollDataOffset, as: UInt64.self)
            try blocking("epoll_ctl") { epollControl(epoll, epollControlAdd, socket, raw.baseAddress) }
        }
    }

    /// Waits up to `milliseconds` for events into `buffer` (room for `capacity` events of
    /// `epollEventSize` bytes); returns how many came (0 when interrupted).
    @inline(__always)
    static func epollWait(_ epoll: Int32, _ buffer: UnsafeMutableRawPointer, capacity: Int32, milliseconds: Int32) throws(SystemError) -> Int {
        let count = epollWaitCall(epoll, buffer, capacity, milliseconds)
        if count >= 0 { return Int(count) }
        let code = Glibc.errno
        if code == EINTR { return 0 }
        throw SystemError(call: "epoll_wait", errno: code)
    }

    /// The event bits and token of event `index` in a buffer `epollWait` filled.
    @inline(__always)
    static func epollEvent(_ buffer: UnsafeMutableRawPointer, _ index: Int) -> (events: UInt32, token: UInt64) {
        let base = buffer + index * epollEventSize
        return (base.loadUnaligned(as: UInt32.self), base.loadUnaligned(fromByteOffset: epollDataOffset, as: UInt64.self))
    }
}
