extension Engine {
    /// Evaluates students as an asynchronous sequence delivers them: one result per student, in
    /// the sequence's order, as soon as it is ready.
    ///
    /// For an app that receives records one by one (a tablet syncing a session, a queue). The
    /// student-level rules run; class-level rules need the whole class, so use
    /// `evaluate(_:jobs:)` with a `ClassDocument` for them. A rule's failure is in its student's
    /// `errors`; the stream ends with an error only when `students` throws one, and cancelling
    /// the consuming task stops the evaluation.
    ///
    /// ```swift
    /// for try await result in engine.results(for: incoming, context: context) {
    ///     show(result.recommendations)
    /// }
    /// ```
    public func results<Students: AsyncSequence & Sendable>(
        for students: Students, context: ClassContext
    ) -> AsyncThrowingStream<StudentResult, any Error> where Students.Element == Student {
        AsyncThrowingStream { continuation in
            let task = Task {
                let runner: RuleRunner
                do throws(TrellisError) {
                    runner = try self.makeRunner(context: context)
                } catch {
                    continuation.finish(throwing: error)
                    return
                }
                defer { self.recycle(runner) }
                do {
                    for try await student in students {
                        try Task.checkCancellation()
                        continuation.yield(Self.result(for: student, runner: runner))
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
