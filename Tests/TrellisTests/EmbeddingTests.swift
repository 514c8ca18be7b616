import Foundation
import Testing
@testable import Trellis

/// The library as an app embeds it: one engine shared by tasks, students from an async
/// sequence, a school's configuration.
struct EmbeddingTests {
    static let synthetic = SyntheticRoster(students: 40, seed: 3)
    static let students = (0..<40).map(synthetic.student)

    @Test func anAsyncSequenceGivesEachStudentsResultInOrder() async throws {
        let engine = try Engine()
        let (incoming, feed) = AsyncStream.makeStream(of: Student.self)
        Task {
            for student in Self.students {
                feed.yield(student)
                await Task.yield()
            }
            feed.finish()
        }
        var streamed: [StudentResult] = []
        for try await result in engine.results(for: incoming, context: Self.synthetic.context) { streamed.append(result) }
        let whole = engine.evaluate(ClassDocument(context: Self.synthetic.context, students: Self.students)).results
        #expect(streamed.count == 40)
        #expect(streamed.map(\.student) == Self.students.map(\.id))
        #expect(streamed == whole)
        #expect(streamed.reduce(0) { $0 + $1.recommendations.count } > 300)
    }

    @Test func aConsumerThatStopsEarlyEndsTheStream() async throws {
        let engine = try Engine()
        let endless = AsyncStream<Student> { continuation in
            for index in 0..<10_000 { continuation.yield(Self.synthetic.student(index % 40)) }
            continuation.finish()
        }
        var seen = 0
        for try await _ in engine.results(for: endless, context: Self.synthetic.context) {
            seen += 1
            if seen == 3 { break }
        }
        #expect(seen == 3)
    }

    @Test func oneEngineServesConcurrentTasksAndEachGetsItsOwnClass() async throws {
        let engine = try Engine()
        let classes = (0..<6).map { index -> ClassDocument in
            let roster = SyntheticRoster(students: 12, seed: UInt64(100 + index))
            var context = roster.context
            if index.isMultiple(of: 2) {
                // Every other class uses a four-level prompt ladder: a runner reused from another
                // class must not keep that class's ladders.
                context.ladders = Ladders(prompt: ["full_physical", "model", "verbal", "independent"])
            }
            return ClassDocument(context: context, students: (0..<12).map(roster.student))
        }
        let expected = try classes.map { try Engine().evaluate($0) }
        let reports = await withTaskGroup(of: (Int, EvaluationReport).self) { group in
            for round in 0..<3 {
                for (index, document) in classes.enumerated() {
                    group.addTask { (index, engine.evaluate(document, jobs: 1 + round % 2)) }
                }
            }
            var collected: [(Int, EvaluationReport)] = []
            for await item in group { collected.append(item) }
            return collected
        }
        #expect(reports.count == 18)
        for (index, report) in reports { #expect(report == expected[index]) }
    }

    @Test func aSchoolsConfigurationShapesTheEngine() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let settings = try Configuration(contentsOf: root.appending(path: "examples/school-config.yaml").path)
        let engine = try Engine(configuration: settings)
        #expect(!engine.rules.contains { $0.id == "self-assessment" })
        #expect(engine.parameterValues["prompt-fading"]?["fade_percent"] == .integer(90))
        #expect(engine.limits.milliseconds == 2000)
        // A value given in code wins over the file's.
        let overridden = try Engine(configuration: settings, parameters: ["prompt-fading": ["fade_percent": .integer(70)]])
        #expect(overridden.parameterValues["prompt-fading"]?["fade_percent"] == .integer(70))
        #expect(throws: TrellisError.self) {
            try Engine(configuration: try Configuration(yaml: "rules:\n  no-such-rule: false\n", fileName: "bad.yaml"))
        }
    }
}
