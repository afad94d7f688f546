import Dispatch

/// A task executor over one of the server's serial I/O queues. A responder's task prefers it,
/// so the task runs on its connection's queue from start to end: no hop to another thread to
/// start, none to resume after a wait, none to hand the answer back.
public final class QueueExecutor: TaskExecutor {
    public let queue: DispatchQueue

    public init(queue: DispatchQueue) {
        self.queue = queue
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { [self] in job.runSynchronously(on: asUnownedTaskExecutor()) }
    }
}
