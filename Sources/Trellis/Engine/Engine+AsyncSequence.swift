import Dispatch
import Foundation
import Synchronization

extension Engine {
    /// Evaluates students as an asynchronous sequence delivers them: one result per student, in
    /// the sequence's order.
    ///
    /// For an app that receives records one by one (a tablet syncing a session, a queue). The
    /// student-level rules run; class-level rules need the whole class, so use
    /// `evaluate(_:jobs:)` with a `ClassDocument` for them. A rule's failure is in its student's
    /// `errors`; iterating throws only what `students` throws, and ends once the consuming task
    /// is cancelled.
    ///
    /// The rules run on a thread of the sequence's own, never on Swift's cooperative pool, since a
    /// rule may run up to its time limit. A student is taken from `students` only when the next
    /// result is asked for, so a consumer that stops asking stops the reading too. When the
    /// consumer stops (at the end, by leaving its loop, or cancelled), that thread finishes the
    /// student in hand, gives its Lua state back to the engine and ends.
    ///
    /// ```swift
    /// for try await result in engine.results(for: incoming, context: context) {
    ///     show(result.recommendations)
    /// }
    /// ```
    public func results<Students: AsyncSequence & Sendable>(
        for students: Students, context: ClassContext
    ) -> some AsyncSequence<StudentResult, any Error> & Sendable where Students.Element == Student {
        StudentResults(engine: self, students: students, context: context)
    }
}

/// The sequence `Engine.results(for:context:)` returns: each iterator pulls a student, hands it
/// to its `StudentEvaluationThread` and awaits the result.
struct StudentResults<Students: AsyncSequence & Sendable>: AsyncSequence, Sendable where Students.Element == Student {
    typealias Element = StudentResult
    typealias Failure = any Error

    let engine: Engine
    let students: Students
    let context: ClassContext

    func makeAsyncIterator() -> Iterator {
        Iterator(upstream: students.makeAsyncIterator(), evaluation: StudentEvaluationThread(engine: engine, context: context))
    }

    struct Iterator: AsyncIteratorProtocol {
        typealias Element = StudentResult
        typealias Failure = any Error

        var upstream: Students.AsyncIterator
        let evaluation: StudentEvaluationThread
        var finished = false

        mutating func next() async throws -> StudentResult? {
            try await next(isolation: nil)
        }

        mutating func next(isolation actor: isolated (any Actor)?) async throws -> StudentResult? {
            guard !finished, !Task.isCancelled else { return finish() }
            let student: Student?
            do {
                student = try await upstream.next(isolation: actor)
            } catch {
                _ = finish()
                throw error
            }
            guard let student else { return finish() }
            let result = await evaluation.evaluate(student)
            // Cancelled while the rules ran: the student is done, but nobody wants its result.
            return Task.isCancelled ? finish() : result
        }

        /// Ends the sequence (nil): the thread gives its runner back and stops.
        private mutating func finish() -> StudentResult? {
            finished = true
            evaluation.close()
            return nil
        }
    }
}

/// The thread on which one `results(for:context:)` iterator's rules run, off Swift's cooperative
/// pool: a rule may keep its thread busy up to its time limit, and the pool has only a thread a
/// core for every task of the process.
///
/// Its runner is made, used and given back on that thread. Started by the first student; ended by
/// `close` (or when its iterator is dropped), after the student in hand.
final class StudentEvaluationThread: Sendable {
    private let shared: Shared

    init(engine: Engine, context: ClassContext) {
        shared = Shared(engine: engine, context: context)
    }

    deinit {
        shared.close()
    }

    /// The student's result, from the thread.
    func evaluate(_ student: Student) async -> StudentResult {
        await withCheckedContinuation { continuation in
            shared.hand(student, to: continuation)
        }
    }

    func close() {
        shared.close()
    }

    /// What the thread shares with its iterator; the thread holds it, not the iterator's handle,
    /// so that dropping the iterator ends the thread.
    private final class Shared: Sendable {
        private struct State {
            var student: (Student, CheckedContinuation<StudentResult, Never>)?
            var started = false
            var closed = false
        }

        private let state = Mutex(State())
        /// Signalled once for each student handed over and once for `close`.
        private let wake = DispatchSemaphore(value: 0)
        private let engine: Engine
        private let context: ClassContext

        init(engine: Engine, context: ClassContext) {
            self.engine = engine
            self.context = context
        }

        func hand(_ student: Student, to continuation: CheckedContinuation<StudentResult, Never>) {
            let start = state.withLock { state in
                state.student = (student, continuation)
                defer { state.started = true }
                return !state.started
            }
            if start {
                let thread = Thread { [self] in run() }
                thread.name = "trellis-results"
                thread.start()
            }
            wake.signal()
        }

        func close() {
            let running = state.withLock { state in
                defer { state.closed = true }
                return state.started && !state.closed
            }
            if running { wake.signal() }
        }

        private func run() {
            engine.withStudentEvaluator(context: context) { evaluate in
                while let (student, continuation) = nextStudent() {
                    continuation.resume(returning: evaluate(student))
                }
            }
        }

        /// The student handed over, once there is one; nil once closed with none waiting.
        private func nextStudent() -> (Student, CheckedContinuation<StudentResult, Never>)? {
            while true {
                wake.wait()
                let (next, closed) = state.withLock { state in
                    defer { state.student = nil }
                    return (state.student, state.closed)
                }
                if let next { return next }
                if closed { return nil }
            }
        }
    }
}
