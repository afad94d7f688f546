// Linux only (MSG_NOSIGNAL, /proc); this file, System+Epoll.swift and SendRing.swift are the module's only C.
// The transport (`System+Listening`) and the load tool (`System+Connecting`) extend `System`
// with their own calls, through `blocking` and `nonBlocking` here.
import CSystemLinux
import Glibc

/// A system call failed: which one, and `errno`.
package struct SystemError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The call's name, as in its man page.
    package let call: String
    /// `errno` after the call.
    package let errno: Int32

    package init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    package var description: String { "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))" }

    /// The peer went away (reset, broken pipe, timed out): routine, not worth logging.
    package var isPeerGone: Bool {
        errno == ECONNRESET || errno == EPIPE || errno == ETIMEDOUT || errno == ENOTCONN
    }

    /// A connection went away before `accept` returned it: try the next one.
    package var isConnectionAbortedBeforeAccept: Bool {
        errno == ECONNABORTED || errno == EPROTO
    }

    /// The process or system is out of descriptors or memory: accepting must pause.
    package var isResourceExhaustion: Bool {
        errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM
    }
}

/// The outcome of a call on a non-blocking descriptor.
package enum IOResult<Value> {
    /// The call did its work.
    case processed(Value)
    /// The descriptor is not ready; wait for its `SocketWatch`.
    case wouldBlock
}

/// The one door to the C library: every system call of the event loop, the transport and the
/// load tool goes through here (or an extension of it in their module),
/// retried on `EINTR`, with "would block" as a value and failures as `SystemError`.
package enum System {
    /// Runs `call` until it is not interrupted; -1 with EAGAIN is `wouldBlock`.
    @inline(__always)
    package static func nonBlocking<T: FixedWidthInteger>(
        _ name: String, _ call: () -> T
    ) throws(SystemError) -> IOResult<T> {
        while true {
            let result = call()
            if result >= 0 { return .processed(result) }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            throw SystemError(call: name, errno: code)
        }
    }

    /// Runs `call` until it is not interrupted; any -1 is an error.
    @inline(__always)
    @discardableResult
    package static func blocking<T: FixedWidthInteger>(_ name: String, _ call: () -> T) throws(SystemError) -> T {
        while true {
            let result = call()
            if result >= 0 { return result }
            let code = errno
            if code == EINTR { continue }
            throw SystemError(call: name, errno: code)
        }
    }

    // MARK: Process

    /// Raises the soft limit of open descriptors to the hard limit; returns the new soft limit.
    @discardableResult
    package static func raiseOpenFileLimit() throws(SystemError) -> Int {
        var limit = rlimit()
        try blocking("getrlimit") { getrlimit(rlimitResource(RLIMIT_NOFILE), &limit) }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            try blocking("setrlimit") { setrlimit(rlimitResource(RLIMIT_NOFILE), &limit) }
        }
        return Int(clamping: limit.rlim_cur)
    }

    @inline(__always)
    private static func rlimitResource(_ value: __rlimit_resource) -> __rlimit_resource_t {
        __rlimit_resource_t(value.rawValue)
    }

    /// Makes a write to a closed socket an `EPIPE` error instead of a fatal signal.
    package static func ignoreBrokenPipeSignal() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Gives the heap's free pages back to the system (glibc keeps them after a burst of
    /// connections is gone, so RSS would stay at its peak).
    package static func releaseFreeMemory() {
        _ = malloc_trim(0)
    }

    /// Processors available to this process.
    package static var activeProcessorCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// Nanoseconds on the monotonic clock (the same clock in every thread of the process).
    @inline(__always)
    package static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    }

    /// Seconds since 1970 by the wall clock, for the `Date` header.
    package static func wallClockSeconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return now.tv_sec
    }

    // MARK: Descriptors

    /// Sets an integer socket option.
    package static func setOption(_ socket: Int32, level: Int32, name: Int32, value: Int32) throws(SystemError) {
        var value = value
        try blocking("setsockopt") {
            setsockopt(socket, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// Turns off Nagle's algorithm: messages are written whole, and waiting only adds latency.
    package static func setNoDelay(_ socket: Int32) throws(SystemError) {
        try setOption(socket, level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
    }

    /// Reads into `buffer`; `.processed(0)` is end of stream.
    @inline(__always)
    package static func read(_ socket: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> IOResult<Int> {
        try nonBlocking("read") { Glibc.read(socket, buffer.baseAddress, buffer.count) }
    }

    /// Sends from `buffer` without raising `SIGPIPE`; returns how many bytes the kernel took.
    @inline(__always)
    package static func send(_ socket: Int32, _ buffer: UnsafeRawBufferPointer) throws(SystemError) -> IOResult<Int> {
        try nonBlocking("send") { Glibc.send(socket, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Ends the sending direction (a FIN), keeping the socket open for reading.
    package static func shutdownWrite(_ socket: Int32) throws(SystemError) {
        try blocking("shutdown") { Glibc.shutdown(socket, Int32(SHUT_WR)) }
    }

    /// Closes a descriptor. Never retried: on Linux the descriptor is gone even after `EINTR`.
    package static func close(_ descriptor: Int32) throws(SystemError) {
        if Glibc.close(descriptor) == -1, errno != EINTR {
            throw SystemError(call: "close", errno: errno)
        }
    }
}
