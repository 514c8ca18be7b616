import Dispatch
import Foundation
import Synchronization

/// Runs CPU-bound work (reading a body, running Lua, writing JSON) on threads of its own, at most
/// `workers` at a time, so that the NIO event loops and Swift's cooperative pool never block.
///
/// Work beyond `workers` waits in a queue of at most `maxWaiting`; past that a request is
/// refused at once (503) instead of piling up. A request that is not answered within its
/// timeout gets an error; if its work had not started, it never runs. Work that has started
/// cannot be interrupted from outside (Lua runs under its own per-rule limits), so it finishes
/// and keeps its worker until then: the bound on concurrency holds even for requests given up on.
final class EvaluationPool: Sendable {
    /// Work that returns the handing-over of its answer.
    typealias Job = @Sendable () -> @Sendable () -> Void

    enum Failure: Error, Equatable {
        /// Every worker is busy and the queue is full.
        case busy
        /// Not answered within the timeout.
        case timedOut
    }

    let workers: Int
    let maxWaiting: Int
    /// Threads of the pool's own, not Dispatch's: Dispatch's shared pool has few threads on a
    /// small machine, and jobs that hold one for seconds (or block) would starve everything else
    /// that uses it, the timeouts included (a test saw a 50 ms timeout fire after 30 s).
    private let shared: Shared
    private let timers = DispatchQueue(label: "trellis.evaluation.timeouts")

    init(workers: Int, maxWaiting: Int) {
        self.workers = max(1, workers)
        self.maxWaiting = max(0, maxWaiting)
        shared = Shared()
        for index in 0..<self.workers {
            let thread = Thread { [shared] in shared.work() }
            thread.name = "trellis-evaluation-\(index + 1)"
            thread.start()
        }
    }

    deinit {
        shared.close()
    }

    /// Jobs running and waiting now, for the metrics.
    var load: (running: Int, waiting: Int) {
        shared.withLock { state in (state.running, max(0, state.pending.count - state.idle)) }
    }

    /// Runs `work` on a worker and returns its value, or fails with `.busy` or `.timedOut`.
    func run<T: Sendable>(timeout: Duration, _ work: @escaping @Sendable () -> T) async throws(Failure) -> T {
        let answer = OneShot<T>()
        let result: Result<T, Failure> = await withCheckedContinuation { continuation in
            answer.arm(continuation)
            // The worker counts the job done before the answer is handed over, so whoever
            // receives it sees the pool's load without it.
            let job: Job = {
                let value = work()
                return { answer.resolve(.success(value)) }
            }
            let admitted: UInt64? = shared.withLock { state in
                // Jobs in `pending` beyond the idle workers are the ones waiting.
                guard state.pending.count < state.idle + maxWaiting else { return nil }
                state.nextID += 1
                state.pending.append((state.nextID, job))
                return state.nextID
            }
            guard let admitted else {
                answer.resolve(.failure(.busy))
                return
            }
            shared.signal()
            let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
            timers.asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: nanoseconds))) { [shared] in
                // A job still waiting is dropped: nobody will read its answer.
                shared.withLock { state in state.pending.removeAll { $0.id == admitted } }
                answer.resolve(.failure(.timedOut))
            }
        }
        return try result.get()
    }

    /// The queue and the workers' lock, shared with the threads (which outlive no pool: `close`).
    private final class Shared: @unchecked Sendable {
        struct State {
            var pending: [(id: UInt64, job: Job)] = []
            /// Workers waiting for a job.
            var idle = 0
            /// Jobs running now.
            var running = 0
            var nextID: UInt64 = 0
            var closed = false
        }

        private var state = State()
        private let condition = NSCondition()

        func withLock<T>(_ body: (inout State) -> T) -> T {
            condition.lock()
            defer { condition.unlock() }
            return body(&state)
        }

        func signal() {
            condition.lock()
            condition.signal()
            condition.unlock()
        }

        func close() {
            condition.lock()
            state.closed = true
            condition.broadcast()
            condition.unlock()
        }

        /// A worker thread's life: take the oldest job, run it, again, until the pool is gone.
        func work() {
            while true {
                condition.lock()
                state.idle += 1
                while state.pending.isEmpty && !state.closed { condition.wait() }
                state.idle -= 1
                if state.closed {
                    condition.unlock()
                    return
                }
                let job = state.pending.removeFirst().job
                state.running += 1
                condition.unlock()
                let answer = job()
                condition.lock()
                state.running -= 1
                condition.unlock()
                answer()
            }
        }
    }
}

/// A continuation resumed once, by whichever comes first: the answer or the timeout.
private final class OneShot<T: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<Result<T, EvaluationPool.Failure>, Never>?, done: Bool)>((nil, false))

    func arm(_ continuation: CheckedContinuation<Result<T, EvaluationPool.Failure>, Never>) {
        state.withLock { $0.continuation = continuation }
    }

    func resolve(_ result: Result<T, EvaluationPool.Failure>) {
        let continuation = state.withLock { state -> CheckedContinuation<Result<T, EvaluationPool.Failure>, Never>? in
            guard !state.done else { return nil }
            state.done = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(returning: result)
    }
}
