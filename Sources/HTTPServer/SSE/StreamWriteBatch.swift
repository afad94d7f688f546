import EventLoop
import Glibc

/// Writes to many streams as one batch: with io_uring on (`StreamSends`), each stream whose
/// socket has nothing queued gets one send in a ring, and one `io_uring_enter(2)` issues them
/// all instead of a `send(2)` per stream; otherwise, and for a stream with bytes queued, a
/// write is the stream's plain `write`.
///
/// A batch is used on one thread and flushed before that thread moves on: `flush()` (or the
/// batch's end) issues what is left and queues what a socket did not take, as a plain write
/// would. A stream's writes keep their order: while its batched send is out, later writes queue
/// behind it.
public final class StreamWriteBatch {
    /// A send in the ring: whose it is and the bytes it names.
    private struct Send {
        let output: ConnectionOutput
        let bytes: UnsafeRawBufferPointer
    }

    private var ring: SendRing?
    /// The ring's sends since the last submit; a send's token is its index here.
    private var sends: [Send] = []
    /// Copies of the distinct byte arrays written, which the ring's sends point into; freed
    /// when the batch is flushed. A round writes the same bytes to every stream, so one copy
    /// serves them all.
    private var copies: [UnsafeMutableRawBufferPointer] = []
    private var lastBytes: [UInt8] = []

    /// A batch that sends as `sends` says; nil is the process's default (`StreamSends.useByDefault`).
    public init(sends: StreamSends? = nil) {
        ring = SendRings.borrow(sends?.mode ?? SendRings.defaultMode)
    }

    deinit {
        flush()
    }

    /// Writes `bytes` to `stream` in this batch.
    public func write(_ bytes: [UInt8], to stream: any ResponseStream) {
        if ring == nil { stream.write(bytes) } else { stream.write(bytes, in: self) }
    }

    /// Issues the sends not yet issued, waits for them and gives the ring back; writes after it
    /// are plain ones.
    public func flush() {
        submit()
        for copy in copies { copy.deallocate() }
        copies.removeAll()
        lastBytes = []
        if let ring {
            self.ring = nil
            SendRings.giveBack(ring)
        }
    }

    // MARK: For `ConnectionOutput`

    /// Whether writes go through the ring.
    var isBatching: Bool { ring != nil }

    /// Adds a send of `bytes` to `socket` for `output`, which reserved it and hears how it went
    /// through `finishBatchedSend`. Only while `isBatching`.
    func send(_ bytes: [UInt8], to socket: Int32, for output: ConnectionOutput) {
        if ring?.space == 0 { submit() }
        // A failed submit drops the ring: this send is queued whole, as after a full socket.
        guard let ring else {
            bytes.withUnsafeBytes { output.finishBatchedSend($0, result: -EAGAIN) }
            return
        }
        let copy = self.copy(of: bytes)
        ring.prepareSend(socket, copy, token: UInt64(sends.count))
        sends.append(Send(output: output, bytes: copy))
    }

    // MARK: Inside

    /// Submits the ring's sends, waits for them, and reports each to its output. If the ring
    /// fails (never seen), a send is still reported once, never both sent and queued:
    /// - the ones it completed, as they completed;
    /// - the ones the kernel never took (the last ones prepared), queued whole, as after a full
    ///   socket;
    /// - the ones it took but did not report (a polling ring's kernel thread may still run
    ///   them): not at all. Their connections keep their descriptors, so no number is reused
    ///   while a send names it, and the ring and its bytes are kept (`SendRings.abandon`); such
    ///   a stream stalls until its client goes.
    /// Then the batch goes on without a ring, and so does every later one (`fallBackToPlain`).
    private func submit() {
        guard let ring, !sends.isEmpty else { return }
        var failed = false
        do throws(SystemError) {
            try ring.submitAndWait()
        } catch {
            failed = true
        }
        var reported = failed ? [Bool](repeating: false, count: sends.count) : []
        ring.reap { token, result in
            let send = sends[Int(token)]
            send.output.finishBatchedSend(send.bytes, result: result)
            if failed { reported[Int(token)] = true }
        }
        if failed {
            self.ring = nil
            SendRings.fallBackToPlain()
            let firstUntaken = sends.count - min(ring.untaken, sends.count)
            for index in firstUntaken..<sends.count where !reported[index] {
                sends[index].output.finishBatchedSend(sends[index].bytes, result: -EAGAIN)
            }
            if reported[..<firstUntaken].contains(false) {
                SendRings.abandon(ring)
                copies = []
            }
        }
        sends.removeAll(keepingCapacity: true)
    }

    /// `bytes` in memory that stays put until `flush`, copied once per distinct array.
    private func copy(of bytes: [UInt8]) -> UnsafeRawBufferPointer {
        // Array equality compares storage identity first: the same event's bytes cost nothing.
        if let last = copies.last, bytes == lastBytes { return UnsafeRawBufferPointer(last) }
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        bytes.withUnsafeBytes { copy.copyMemory(from: $0) }
        copies.append(copy)
        lastBytes = bytes
        return UnsafeRawBufferPointer(copy)
    }
}

/// How a `StreamWriteBatch` hands its sends to the kernel.
public enum StreamSends: String, Sendable, CaseIterable {
    /// A `send(2)` per stream, as a plain `write`.
    case send
    /// One `io_uring_enter(2)` for a batch's sends (up to 1,024 at a time).
    case ioUring = "io-uring"
    /// io_uring with a kernel thread that polls for the submissions (`IORING_SETUP_SQPOLL`).
    case ioUringSQPoll = "io-uring-sqpoll"

    /// Makes `sends` every batch's default from now on, if the kernel allows it (a container
    /// may refuse io_uring); returns the way in effect, `send` where io_uring is refused.
    @discardableResult
    public static func useByDefault(_ sends: StreamSends) -> StreamSends {
        switch SendRings.setDefault(sends.mode) {
        case .plain: .send
        case .ioUring: .ioUring
        case .ioUringPolling: .ioUringSQPoll
        }
    }

    var mode: SendRings.Mode {
        switch self {
        case .send: .plain
        case .ioUring: .ioUring
        case .ioUringSQPoll: .ioUringPolling
        }
    }
}

extension ResponseStream {
    /// Writes `bytes` at once: a stream that is not a socket's gains nothing from a batch.
    public func write(_ bytes: [UInt8], in batch: StreamWriteBatch) {
        write(bytes)
    }
}
