import EventLoop

/// A non-blocking TCP connection to the server: the connect, output the kernel has not taken
/// yet, and reads. Owned by one connection object on one loop thread.
final class ClientSocket {
    /// How a read went.
    enum ReadOutcome {
        /// This many bytes are at the start of the buffer.
        case data(Int)
        /// Nothing more for now.
        case wouldBlock
        /// The server closed its side.
        case endOfStream
    }

    /// The descriptor; -1 once closed.
    private(set) var descriptor: Int32
    /// True once the connect has completed.
    private(set) var isConnected = false
    private var pending: [UInt8] = []
    private var pendingOffset = 0

    /// Opens a socket and starts connecting to `address`; the owner then registers
    /// `descriptor` with its loop.
    init(to address: LoopbackAddress) throws {
        descriptor = try System.makeStreamSocket(family: address.family)
        do {
            isConnected = try System.connect(descriptor, to: address)
        } catch {
            System.discard(descriptor)
            descriptor = -1
            throw error
        }
    }

    /// True once `close()` was called.
    var isClosed: Bool { descriptor < 0 }

    /// Whether output is waiting for the socket to become writable.
    var hasPendingOutput: Bool { pendingOffset < pending.count }

    /// Handles "writable": finishes the connect (throwing its error), then flushes pending
    /// output.
    func handleWritable() throws {
        guard !isClosed else { return }
        if !isConnected {
            let code = System.pendingError(descriptor)
            guard code == 0 else { throw SystemError(call: "connect", errno: code) }
            isConnected = true
        }
        try flush()
    }

    /// Sends `bytes`, keeping whatever the kernel does not take for the next "writable".
    func send(_ bytes: [UInt8]) throws {
        guard !isClosed else { return }
        if !isConnected || hasPendingOutput {
            pending.append(contentsOf: bytes)
            if isConnected { try flush() }
            return
        }
        let written = try bytes.withUnsafeBytes { buffer -> Int in
            switch try System.send(descriptor, buffer) {
            case .processed(let count): return count
            case .wouldBlock: return 0
            }
        }
        if written < bytes.count {
            pending.removeAll(keepingCapacity: true)
            pending.append(contentsOf: bytes[written...])
            pendingOffset = 0
        }
    }

    private func flush() throws {
        while hasPendingOutput {
            let result = try pending.withUnsafeBytes { buffer in
                try System.send(descriptor, UnsafeRawBufferPointer(rebasing: buffer[pendingOffset...]))
            }
            guard case .processed(let count) = result else { return }
            pendingOffset += count
        }
        pending.removeAll(keepingCapacity: true)
        pendingOffset = 0
    }

    /// Reads once into `buffer`.
    @inline(__always)
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> ReadOutcome {
        guard !isClosed else { return .endOfStream }
        switch try System.read(descriptor, into: buffer) {
        case .processed(0): return .endOfStream
        case .processed(let count): return .data(count)
        case .wouldBlock: return .wouldBlock
        }
    }

    /// Handles one epoll wake-up: finishes a pending connect or write, then reads until the socket
    /// has nothing more, handing each chunk to `consume`. Returns whether the server closed its
    /// side.
    func service(
        events: UInt32, buffer: UnsafeMutableRawBufferPointer, consume: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Bool {
        if events & System.writableEvents != 0 { try handleWritable() }
        guard events & System.readableEvents != 0 else { return false }
        while !isClosed {
            switch try read(into: buffer) {
            case .data(let count):
                try consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                if count < buffer.count { return false }
            case .wouldBlock:
                return false
            case .endOfStream:
                return true
            }
        }
        return false
    }

    /// Closes the socket (which also removes it from epoll); further calls do nothing.
    func close() {
        guard !isClosed else { return }
        System.discard(descriptor)
        descriptor = -1
    }

    deinit { close() }
}
