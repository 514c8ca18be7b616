import Dispatch
import Foundation
import Synchronization

/// An NDJSON roster read as a stream: one student a line, from a file or standard input.
public struct NDJSONInput: Sendable {
    let descriptor: Int32
    let prefix: [UInt8]
    /// The name used in every error location (a path, or `<stdin>`).
    public let sourceName: String
    /// The stream's size in bytes when known (a regular file), for progress.
    public let totalBytes: Int?

    /// - Parameters:
    ///   - descriptor: an open file descriptor; the caller closes it after the run.
    ///   - sourceName: the name used in every error location (a path, or `<stdin>`).
    ///   - totalBytes: the stream's size when known, for progress.
    ///   - prefix: bytes already read from `descriptor` (to tell the format), read first.
    public init(descriptor: Int32, prefix: [UInt8] = [], sourceName: String, totalBytes: Int? = nil) {
        self.descriptor = descriptor
        self.prefix = prefix
        self.sourceName = sourceName
        self.totalBytes = totalBytes
    }
}

/// How far a streamed run is.
public struct StreamProgress: Sendable {
    /// What the run is doing.
    public enum Phase: Sendable, Hashable {
        /// Reading and evaluating students.
        case students
        /// Every student is done; the class-level rules run over the class.
        case classRules
    }

    /// What the run is doing now.
    public var phase: Phase = .students
    /// Students whose outcome has been delivered.
    public var students: Int
    /// Bytes of input read so far.
    public var bytesRead: Int
    /// The input's size when known.
    public var totalBytes: Int?
}

/// What a streamed run ends with; each student's outcome went to `deliver` as it was ready.
public struct StreamedEvaluation: Sendable {
    public var asOf: String
    public var summary: EvaluationSummary
    /// The class-level rules' result; nil when the pack has none. With `deliverClass`, its
    /// recommendations went there and it holds their notes and errors only.
    public var classResult: ClassResult?
}

extension Engine {
    /// Evaluates an NDJSON roster as it is read, with memory bounded by the batches in flight,
    /// not by the roster's size. For class-level rules the evaluated students wait in a
    /// temporary file, and `class.students` builds a student's table when a rule reads it.
    ///
    /// Workers read, check and evaluate batches of lines in parallel; `deliver` receives each
    /// student's outcome in input order, one call at a time, so the output is the same for any
    /// number of workers. A line that is not a valid student becomes a `.skipped` outcome that
    /// names the line and field; the other lines are evaluated.
    ///
    /// Class-level rules run after the last student. With `deliverClass`, their recommendations go
    /// to it one at a time as the rules make them (in rule order; a rule's `ctx.emit` items before
    /// those it returns), after the last `deliver`, and `StreamedEvaluation.classResult` holds only
    /// their notes and errors: memory stays flat even for a rule that recommends something for
    /// every student. Without it, they are collected in `classResult`.
    ///
    /// - Throws: an I/O error when the stream cannot be read; a `TemporaryFileError` when the
    ///   temporary file that keeps the students for class-level rules cannot be made or written.
    public func evaluate(
        _ input: NDJSONInput, context: ClassContext, jobs: Int = 1, progress: (@Sendable (StreamProgress) -> Void)? = nil,
        deliver: @escaping @Sendable (StudentOutcome) -> Void, deliverClass: (@Sendable (Recommendation) -> Void)? = nil
    ) throws -> StreamedEvaluation {
        let keepsStudents = hasClassRules
        let workers = max(1, jobs)
        let pipeline = StreamPipeline(
            reader: LineReader(descriptor: input.descriptor, prefix: input.prefix), input: input, workers: workers,
            spill: keepsStudents ? try ClassSpill() : nil, progress: progress, deliver: deliver)
        let decoder = StudentDecoder(ladders: context.ladders)
        let work: @Sendable (Int) -> Void = { _ in
            self.withEvaluator(context: context) { evaluate in
                while let (sequence, batch) = pipeline.nextBatch() {
                    var done: [StreamPipeline.Evaluated] = []
                    done.reserveCapacity(batch.lines.count)
                    batch.bytes.withUnsafeBufferPointer { buffer in
                        for line in batch.lines {
                            let entry = RosterReader.readLine(
                                UnsafeBufferPointer(rebasing: buffer[line.range]), number: line.number, sourceName: input.sourceName, decoder: decoder)
                            var image: [UInt8]?
                            if keepsStudents, case .student(let student) = entry { image = StudentImage.encode(student.decidable) }
                            done.append(StreamPipeline.Evaluated(line: line.number, outcome: evaluate(entry), image: image, lineLength: line.range.count))
                        }
                    }
                    pipeline.complete(sequence, done, bytesReadSoFar: batch.bytesReadSoFar)
                }
            }
        }
        if workers == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers, execute: work)
        }
        let ended = try pipeline.end()
        var summary = ended.summary
        var classResult: ClassResult?
        if let spill = ended.spill {
            if let error = spill.writeError { throw error }
            progress?(StreamProgress(phase: .classRules, students: summary.students, bytesRead: input.totalBytes ?? 0, totalBytes: input.totalBytes))
            var delivered = 0
            let result = evaluateClass(.spilled(spill), context: context, deliver: deliverClass.map { deliverClass in
                { recommendation in
                    delivered += 1
                    deliverClass(recommendation)
                }
            })
            summary.classRecommendations = delivered + result.recommendations.count
            summary.errors += result.errors.count
            classResult = result
        }
        return StreamedEvaluation(asOf: context.asOf, summary: summary, classResult: classResult)
    }
}

/// The shared state of a streamed run: hands out batches in order, keeps at most a few batches
/// in flight, and delivers finished batches in input order.
final class StreamPipeline: Sendable {
    struct Evaluated {
        var line: Int
        var outcome: StudentOutcome
        /// The student as a `StudentImage`, kept only for class-level rules.
        var image: [UInt8]?
        /// The length of its input line.
        var lineLength = 0
    }

    private struct State {
        var reader: LineReader
        var nextSequence = 0
        var nextToDeliver = 0
        var finished: [Int: (batch: [Evaluated], bytesRead: Int)] = [:]
        var readingDone = false
        var readError: (any Error)?
        var duplicates = RosterReader.DuplicateChecker(counting: .lines)
        var summary = EvaluationSummary()
        /// Written only here, in input order; handed back by `end`.
        var spill: ClassSpill?
    }

    private let state: Mutex<State>
    /// A slot for each batch that may be in flight (handed out and not yet delivered); bounds
    /// memory. Two a worker: one being evaluated and one done, waiting for an earlier, slower batch.
    private let slots = DispatchSemaphore(value: 0)
    private let input: NDJSONInput
    private let progress: (@Sendable (StreamProgress) -> Void)?
    private let deliver: @Sendable (StudentOutcome) -> Void

    init(
        reader: LineReader, input: NDJSONInput, workers: Int, spill: sending ClassSpill?, progress: (@Sendable (StreamProgress) -> Void)?,
        deliver: @escaping @Sendable (StudentOutcome) -> Void
    ) {
        state = Mutex(State(reader: reader, spill: spill))
        self.input = input
        self.progress = progress
        self.deliver = deliver
        // Given one by one rather than as the semaphore's starting value: Dispatch traps when a
        // semaphore is freed below its starting value, as it is when a run ends early.
        for _ in 0..<(2 * workers) { slots.signal() }
    }

    /// The next batch of lines and its sequence number, or nil when the stream is done.
    func nextBatch() -> (Int, LineReader.Batch)? {
        slots.wait()
        let next = state.withLock { state -> (Int, LineReader.Batch)? in
            // A class's temporary file that cannot grow (a full disk) ends the run: reading on
            // would only evaluate students whose outcome is lost.
            if state.spill?.writeError != nil { state.readingDone = true }
            guard !state.readingDone else { return nil }
            do {
                guard let batch = try state.reader.next() else {
                    state.readingDone = true
                    return nil
                }
                defer { state.nextSequence += 1 }
                return (state.nextSequence, batch)
            } catch {
                state.readError = error
                state.readingDone = true
                return nil
            }
        }
        // Nothing handed out: the slot goes back, for the next worker to find the end too.
        if next == nil { slots.signal() }
        return next
    }

    /// Records a finished batch and delivers every batch that is now next in order.
    func complete(_ sequence: Int, _ batch: [Evaluated], bytesReadSoFar: Int) {
        let delivered = state.withLock { state in
            state.finished[sequence] = (batch, bytesReadSoFar)
            var delivered = 0
            while let ready = state.finished.removeValue(forKey: state.nextToDeliver) {
                for item in ready.batch { deliverInOrder(item, state: &state) }
                state.nextToDeliver += 1
                delivered += 1
                progress?(StreamProgress(students: state.summary.students, bytesRead: ready.bytesRead, totalBytes: input.totalBytes))
            }
            return delivered
        }
        for _ in 0..<delivered { slots.signal() }
    }

    private func deliverInOrder(_ item: Evaluated, state: inout State) {
        var outcome = item.outcome
        let isDuplicate = state.duplicates.check(&outcome, line: item.line, sourceName: input.sourceName)
        state.summary.add(outcome)
        if !isDuplicate, let image = item.image, case .evaluated(let result) = outcome {
            state.spill?.append(image: image, lineLength: item.lineLength, line: item.line, id: result.student, recommendations: result.recommendations)
        }
        deliver(outcome)
    }

    /// After every worker has stopped: the summary, and the class's students for the class-level
    /// rules (with the line where each student id was first used).
    func end() throws -> (summary: EvaluationSummary, spill: ClassSpill?) {
        try state.withLock { state throws -> sending (summary: EvaluationSummary, spill: ClassSpill?) in
            if let readError = state.readError { throw readError }
            let spill = state.spill
            state.spill = nil
            spill?.useFirstLines(state.duplicates.firstPlace)
            return (state.summary, spill)
        }
    }
}
