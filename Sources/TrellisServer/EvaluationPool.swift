import Dispatch
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
    enum Failure: Error, Equatable {
        /// Every worker is busy and the queue is full.
        case busy
        /// Not answered within the timeout.
        case timedOut
    }

    let workers: Int
    let maxWaiting: Int
    private let queue = DispatchQueue(label: "trellis.evaluation", attributes: .concurrent)
    private let state = Mutex(State())

    private struct State {
        var running = 0
        var waiting: [(id: UInt64, job: @Sendable () -> Void)] = []
        var nextID: UInt64 = 0
    }

    init(workers: Int, maxWaiting: Int) {
        self.workers = max(1, workers)
        self.maxWaiting = max(0, maxWaiting)
    }

    /// Jobs running and waiting now, for the metrics.
    var load: (running: Int, waiting: Int) { state.withLock { ($0.running, $0.waiting.count) } }

    /// Runs `work` on a worker and returns its value, or fails with `.busy` or `.timedOut`.
    func run<T: Sendable>(timeout: Duration, _ work: @escaping @Sendable () -> T) async throws(Failure) -> T {
        let answer = OneShot<T>()
        let result: Result<T, Failure> = await withCheckedContinuation { continuation in
            answer.arm(continuation)
            let job: @Sendable () -> Void = { answer.resolve(.success(work())) }
            let admitted: (id: UInt64, start: Bool)? = state.withLock { state in
                state.nextID += 1
                if state.running < workers {
                    state.running += 1
                    return (state.nextID, true)
                }
                guard state.waiting.count < maxWaiting else { return nil }
                state.waiting.append((state.nextID, job))
                return (state.nextID, false)
            }
            guard let admitted else {
                answer.resolve(.failure(.busy))
                return
            }
            if admitted.start { start(job) }
            let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
            queue.asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: nanoseconds))) { [self] in
                // A job still waiting is dropped: nobody will read its answer.
                state.withLock { state in state.waiting.removeAll { $0.id == admitted.id } }
                answer.resolve(.failure(.timedOut))
            }
        }
        return try result.get()
    }

    private func start(_ job: @escaping @Sendable () -> Void) {
        queue.async { [self] in
            job()
            // Hand the worker to the next job in line, or give it back.
            let next: (@Sendable () -> Void)? = state.withLock { state in
                if state.waiting.isEmpty {
                    state.running -= 1
                    return nil
                }
                return state.waiting.removeFirst().job
            }
            if let next { start(next) }
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
