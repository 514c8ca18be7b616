import Foundation
import Synchronization
import Testing
@testable import Trellis

/// `Engine.results(for:context:)` runs Lua on a thread of its own, never on Swift's cooperative
/// pool, pulls a student only when its consumer asks for the next result, and gives its Lua state
/// back when the consumer stops.
@Suite(.serialized) struct AsyncResultsTests {
    static let synthetic = SyntheticRoster(students: 8, seed: 11)

    /// A rule that keeps its thread busy for about 200 ms of CPU time per student.
    static func slowEngine() throws -> Engine {
        let source = """
            return { id = "slow", api = 1, evaluate = function(student)
              local started = os.clock()
              while os.clock() - started < 0.2 do end
              return nil
            end }
            """
        // No instruction budget (the loop is long), and a time limit far above 200 ms of CPU on a
        // loaded machine.
        return try Engine(
            rulePack: RulePack(sources: [RuleSource(path: "slow.lua", source: source)]),
            limits: RuleLimits(instructions: 0, milliseconds: 60_000))
    }

    @Test("a rule that runs long holds no thread of the cooperative pool")
    func slowRulesLeaveTheCooperativePoolFree() async throws {
        let engine = try Self.slowEngine()
        // More streams than the pool has threads: if each held one while its rule ran, the pool
        // would have none left for anything else until a stream ended.
        let streams = 2 * ProcessInfo.processInfo.activeProcessorCount + 1
        let perStream = 3
        let pulls = PullCounts(streams: streams)
        let seenByProbe = ProbeRecord()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for stream in 0..<streams {
                let results = engine.results(for: CountedStudents(stream: stream, count: perStream, pulls: pulls), context: Self.synthetic.context)
                group.addTask {
                    var count = 0
                    for try await _ in results { count += 1 }
                    return count
                }
            }
            // A task on the cooperative pool that only records how far the streams were when it
            // got a thread.
            group.addTask {
                seenByProbe.record(pulls.snapshot)
                return perStream
            }
            for try await count in group { #expect(count == perStream) }
        }
        let seen = try #require(seenByProbe.recorded)
        // A stream pulls its next student only after the rule is done with the one before (200 ms
        // of CPU at least), so a probe that got a thread while the rules ran saw no stream past
        // its first student. Lua on the pool instead: the probe waits until whole streams end.
        #expect(seen.max() ?? 0 <= 1, "students pulled per stream when the probe ran: \(seen)")
        #expect(pulls.snapshot == Array(repeating: perStream, count: streams))
    }

    @Test("a consumer that stops taking results stops the pulling; cancelled, its Lua state is given back")
    func backPressureAndCancellation() async throws {
        let engine = try Engine()
        let pulls = PullCounts(streams: 1)
        let students = CountedStudents(stream: 0, count: 10_000, pulls: pulls)
        let (holding, signal) = AsyncStream.makeStream(of: Void.self)
        let consumer = Task {
            var taken = 0
            for try await _ in engine.results(for: students, context: Self.synthetic.context) {
                taken += 1
                if taken == 2 {
                    signal.yield()
                    // Holds its second result until cancelled.
                    try await Task.sleep(for: .seconds(3600))
                }
            }
        }
        for await _ in holding { break }
        // The bundled rules take about a millisecond a student: a stream that read ahead would
        // pull hundreds meanwhile.
        try await Task.sleep(for: .milliseconds(500))
        let whileHeld = pulls.snapshot[0]
        #expect(whileHeld == 2, "students pulled while the consumer held its second result: \(whileHeld)")
        consumer.cancel()
        _ = await consumer.result
        try await Self.waitUntil { engine.idleRunnerCount == 1 }
        try await Task.sleep(for: .milliseconds(200))
        #expect(pulls.snapshot[0] == whileHeld)
    }

    @Test("cancelled while a rule runs: the sequence ends, no other student is pulled, and the Lua state is given back")
    func cancellationDuringARule() async throws {
        let engine = try Self.slowEngine()
        let pulls = PullCounts(streams: 1)
        let students = CountedStudents(stream: 0, count: 100, pulls: pulls)
        let consumer = Task {
            var taken = 0
            for try await _ in engine.results(for: students, context: Self.synthetic.context) { taken += 1 }
            return taken
        }
        try await Self.waitUntil { pulls.snapshot[0] >= 1 }
        consumer.cancel()
        // The sequence ends, as a cancelled `AsyncStream` does; the student in hand is not delivered.
        #expect(try await consumer.value == 0)
        try await Self.waitUntil { engine.idleRunnerCount == 1 }
        let pulled = pulls.snapshot[0]
        #expect(pulled <= 2, "students pulled by a stream cancelled during its first: \(pulled)")
        try await Task.sleep(for: .milliseconds(500))
        #expect(pulls.snapshot[0] == pulled)
    }

    static func waitUntil(_ condition: @Sendable () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("the condition never held")
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// How many students each stream has pulled from its sequence.
final class PullCounts: Sendable {
    private let counts: Mutex<[Int]>

    init(streams: Int) {
        counts = Mutex(Array(repeating: 0, count: streams))
    }

    func pulled(by stream: Int) {
        counts.withLock { $0[stream] += 1 }
    }

    var snapshot: [Int] { counts.withLock { $0 } }
}

/// What the probe task saw when it ran.
final class ProbeRecord: Sendable {
    private let seen = Mutex<[Int]?>(nil)

    func record(_ counts: [Int]) {
        seen.withLock { $0 = counts }
    }

    var recorded: [Int]? { seen.withLock { $0 } }
}

/// `count` students, handed out at once (never suspending), each pull counted.
struct CountedStudents: AsyncSequence, Sendable {
    typealias Element = Student
    let stream: Int
    let count: Int
    let pulls: PullCounts

    struct AsyncIterator: AsyncIteratorProtocol {
        let sequence: CountedStudents
        var next = 0

        mutating func next() async -> Student? {
            guard next < sequence.count else { return nil }
            defer { next += 1 }
            sequence.pulls.pulled(by: sequence.stream)
            return AsyncResultsTests.synthetic.student(next % 8)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(sequence: self) }
}
