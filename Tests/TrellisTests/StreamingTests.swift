import Foundation
import Testing
@testable import Trellis

/// NDJSON read, evaluated and written as a stream: the same results as the whole-roster path,
/// in input order for any number of workers, and damaged lines named without losing the rest.
struct StreamingTests {
    /// 150 generated students as NDJSON, with damage at known lines.
    static let synthetic = SyntheticRoster(students: 150, seed: 11)
    static let ndjson: String = {
        var lines = (0..<150).map { DocumentJSON.student(synthetic.student($0)) }
        lines[20] = "{\"id\": \"broken\", \"skills\": [ {\"id\": 1 } ]}"  // a student of the wrong shape (line 21)
        lines[40] = "{not json"  // a malformed line (line 41)
        lines[60] = lines[59]  // a duplicate id (line 61)
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\n\n"
    }()

    /// With `streamingClass`, class-level recommendations go to the writer as they are made.
    func stream(_ engine: Engine, format: ReportFormat, jobs: Int, text: String = ndjson, streamingClass: Bool = false) throws -> (text: String, result: StreamedEvaluation) {
        let sink = StringSink()
        let writer = ReportWriter(format: format, sink: sink, asOf: Self.synthetic.context.asOf)
        var deliverClass: (@Sendable (Recommendation) -> Void)?
        if streamingClass { deliverClass = { writer.write(classRecommendation: $0) } }
        let result = try withTemporaryInput(text) { descriptor in
            try engine.evaluate(
                NDJSONInput(descriptor: descriptor, sourceName: "roster.ndjson"), context: Self.synthetic.context, jobs: jobs, deliver: { writer.write($0) },
                deliverClass: deliverClass)
        }
        try writer.finish(asOf: result.asOf, classResult: result.classResult, summary: result.summary)
        return (sink.text, result)
    }

    @Test(arguments: ReportFormat.allCases, [false, true])
    func aStreamWritesWhatTheWholeRosterPathWrites(format: ReportFormat, streamingClass: Bool) throws {
        let engine = try Engine()
        let roster = try RosterReader.read(Array(Self.ndjson.utf8), sourceName: "roster.ndjson", format: .ndjson, header: Self.synthetic.context)
        let report = engine.evaluate(roster, jobs: 1)
        let whole = format.render(report)
        let (streamed, result) = try stream(engine, format: format, jobs: 2, streamingClass: streamingClass)
        // The bundled pack's class-level rules recommend something here (independent work).
        #expect(report.classResult?.recommendations.count ?? 0 > 10)
        #expect(result.classResult?.recommendations.isEmpty == streamingClass)
        #expect(result.summary == report.summary)
        #expect(result.summary.students == 150)
        #expect(result.summary.skipped == 3)
        #expect(result.summary.recommendations > 1000)
        #expect(streamed == whole)
    }

    @Test func oneTwoAndFourWorkersWriteTheSameBytes() throws {
        let engine = try Engine()
        let one = try stream(engine, format: .ndjson, jobs: 1).text
        #expect(try stream(engine, format: .ndjson, jobs: 2).text == one)
        #expect(try stream(engine, format: .ndjson, jobs: 4).text == one)
        let ids = one.split(separator: "\n").compactMap { line -> String? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return object["student"] as? String
        }
        // Input order: the generated ids, less the malformed line, which has no id.
        var expected = (0..<150).map { Self.synthetic.student($0).id }
        expected[20] = "broken"
        expected.remove(at: 40)
        expected[59] = expected[58]
        #expect(ids == expected)
    }

    @Test func damagedLinesAreNamedAndTheOthersEvaluated() throws {
        let engine = try Engine()
        let lines = try stream(engine, format: .ndjson, jobs: 2).text.split(separator: "\n").map(String.init)
        let wrongShape = try #require(lines.first { $0.contains("\"student\":\"broken\"") })
        #expect(wrongShape.contains("roster.ndjson:21:"))
        #expect(wrongShape.contains("skills[0].id"))
        let malformed = try #require(lines.first { $0.contains("roster.ndjson:41:") })
        #expect(malformed.contains("invalid JSON"))
        let duplicate = try #require(lines.first { $0.contains("duplicate student id") })
        #expect(duplicate.contains("roster.ndjson:61:1"))
        #expect(duplicate.contains("first at line 60"))
        let evaluated = lines.filter { !$0.contains("\"skipped\":true") && $0.hasPrefix("{\"student\"") }
        #expect(evaluated.count == 147)
    }

    @Test func progressCountsStudentsInOrderThenSaysTheClassRulesRun() throws {
        let engine = try Engine()
        let seen = ProgressLog()
        let size = Self.ndjson.utf8.count
        _ = try withTemporaryInput(Self.ndjson) { descriptor in
            try engine.evaluate(
                NDJSONInput(descriptor: descriptor, sourceName: "roster.ndjson", totalBytes: size), context: Self.synthetic.context, jobs: 2,
                progress: { seen.append($0) }, deliver: { _ in })
        }
        let reports = seen.all
        let students = reports.filter { $0.phase == .students }
        #expect(students.count >= 3)  // 150 lines in batches of 64
        #expect(students.map(\.students) == students.map(\.students).sorted())
        #expect(students.last?.students == 150)
        #expect(students.last?.bytesRead == size)
        #expect(reports.last?.phase == .classRules)
        #expect(reports.last?.students == 150)
    }

    @Test func aStreamWithNoStudentsEndsCleanly() throws {
        let engine = try Engine()
        let (text, result) = try stream(engine, format: .json, jobs: 2, text: "\n  \n")
        #expect(result.summary.students == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect((document["results"] as? [Any])?.isEmpty == true)
    }
}

/// How many batches a stream hands out before one is done.
struct StreamPipelineTests {
    /// Every worker can hold a batch while each waits for an earlier one, however many workers
    /// there are (a fixed bound of 8 left the 9th and later workers of a larger machine idle).
    @Test(arguments: [1, 4, 12])
    func eachWorkerGetsABatchBeforeAnyIsDone(workers: Int) throws {
        let text = String(repeating: "{}\n", count: 64 * 40)
        let handedOut = try withTemporaryInput(text) { descriptor in
            let input = NDJSONInput(descriptor: descriptor, sourceName: "roster.ndjson")
            let pipeline = StreamPipeline(
                reader: LineReader(descriptor: descriptor), input: input, workers: workers, spill: nil, progress: nil, deliver: { _ in })
            let taken = Taken()
            let stopped = DispatchSemaphore(value: 0)
            // Taken on another thread: a pipeline that blocks stops the taking, not the test.
            let taker = Thread {
                while !taken.stop, let (sequence, _) = pipeline.nextBatch() { taken.append(sequence) }
                stopped.signal()
            }
            taker.start()
            // Waits for the batches each worker may hold (on a loaded machine the taker may be
            // slow to get them), then a little longer, for any it should not have got.
            let deadline = Date.now.addingTimeInterval(20)
            while taken.sequences.count < 2 * workers, Date.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
            Thread.sleep(forTimeInterval: 0.3)
            let count = taken.sequences.count
            taken.stop = true
            for sequence in taken.sequences { pipeline.complete(sequence, [], bytesReadSoFar: 0) }
            #expect(stopped.wait(timeout: .now() + 10) == .success)
            return count
        }
        #expect(handedOut == 2 * workers)
    }
}

private final class Taken: @unchecked Sendable {
    private let lock = NSLock()
    private var taken: [Int] = []
    private var stopping = false
    var sequences: [Int] { lock.withLock { taken } }
    var stop: Bool {
        get { lock.withLock { stopping } }
        set { lock.withLock { stopping = newValue } }
    }
    func append(_ sequence: Int) { lock.withLock { taken.append(sequence) } }
}

/// Batches of whole lines, whatever the read size: line numbers, CRLF, a byte-order mark, blank
/// lines and a last line without a newline.
struct LineReaderTests {
    func lines(of text: String, chunkSize: Int, linesPerBatch: Int) throws -> [(Int, String)] {
        var pipe: [Int32] = [0, 0]
        #expect(Foundation.pipe(&pipe) == 0)
        let bytes = Array(text.utf8)
        let writeEnd = pipe[1]
        let writer = Thread {
            bytes.withUnsafeBytes { _ = write(writeEnd, $0.baseAddress, $0.count) }
            close(writeEnd)
        }
        writer.start()
        defer { close(pipe[0]) }
        var reader = LineReader(descriptor: pipe[0], linesPerBatch: linesPerBatch, chunkSize: chunkSize)
        var found: [(Int, String)] = []
        while let batch = try reader.next() {
            #expect(!batch.lines.isEmpty)
            #expect(batch.lines.count <= linesPerBatch)
            for line in batch.lines { found.append((line.number, String(decoding: batch.bytes[line.range], as: UTF8.self))) }
        }
        return found
    }

    @Test(arguments: [1, 2, 3, 7, 4096])
    func linesAreWholeAndNumberedForAnyReadSize(chunkSize: Int) throws {
        let text = "\u{FEFF}{\"a\":1}\r\n\n  \n{\"b\":2}\n{\"c\":\"x\"}"
        let found = try lines(of: text, chunkSize: chunkSize, linesPerBatch: 2)
        #expect(found.map(\.0) == [1, 4, 5])
        #expect(found.map(\.1) == ["{\"a\":1}\r", "{\"b\":2}", "{\"c\":\"x\"}"])
    }

    @Test func emptyAndBlankStreamsHaveNoLines() throws {
        #expect(try lines(of: "", chunkSize: 4, linesPerBatch: 3).isEmpty)
        #expect(try lines(of: "\u{FEFF}\n \r\n", chunkSize: 4, linesPerBatch: 3).isEmpty)
    }
}

/// `class.students` and `class.results` of a streamed roster are built as a class-level rule
/// reads them: they read like lists and maps, and stay read-only.
struct LazyClassTests {
    func classResult(of rule: String) throws -> ClassResult {
        let engine = try Engine(rulePack: RulePack(sources: [RuleSource(path: "class-rule.lua", source: rule)]))
        let text = (0..<5).map { DocumentJSON.student(StreamingTests.synthetic.student($0)) }.joined(separator: "\n")
        let result = try withTemporaryInput(text) { descriptor in
            try engine.evaluate(NDJSONInput(descriptor: descriptor, sourceName: "five.ndjson"), context: StreamingTests.synthetic.context, deliver: { _ in })
        }
        return try #require(result.classResult)
    }

    func reason(of rule: String) throws -> String {
        let result = try classResult(of: rule)
        #expect(result.errors.isEmpty, "\(result.errors)")
        return try #require(result.recommendations.first?.reason)
    }

    @Test func theyReadLikeListsAndMaps() throws {
        let ids = (0..<5).map { StreamingTests.synthetic.student($0).id }
        let reason = try reason(
            of: """
                return { id = "c", evaluate = function() return {} end, evaluate_class = function(class)
                  local seen = {}
                  for i, s in ipairs(class.students) do seen[#seen + 1] = i .. "=" .. s.id end
                  local keyed = 0
                  for id, recs in pairs(class.results) do keyed = keyed + (class.results[id] == recs and 1 or 0) end
                  local same = class.students[2] == class.students[2]
                  return { { kind = "k", action = "a", reason = table.concat(seen, ",") .. " #" .. #class.students
                    .. " keyed " .. keyed .. " same " .. tostring(same) .. " none " .. tostring(class.students[6]) .. tostring(class.results["nobody"]) } }
                end }
                """)
        let listed = ids.enumerated().map { "\($0.offset + 1)=\($0.element)" }.joined(separator: ",")
        #expect(reason == "\(listed) #5 keyed 5 same true none nilnil")
    }

    /// `class.results` finds each student by id past damaged lines and a repeated id: the
    /// repeat's results are the first use's, and an id whose only valid line repeated a damaged
    /// one has none.
    @Test func resultsAreFoundByIDPastDamagedLines() throws {
        var lines = (0..<40).map { DocumentJSON.student(Student(id: "s-\($0)")) }
        lines[5] = "{not json"
        lines[9] = "{\"id\": \"s-9\", \"skills\": [ {\"id\": 1 } ]}"  // damaged, then repeated valid
        lines[30] = DocumentJSON.student(Student(id: "s-9"))
        lines[31] = DocumentJSON.student(Student(id: "s-12", name: "Again"))
        let engine = try Engine(
            rulePack: RulePack(sources: [
                RuleSource(
                    path: "class-rule.lua",
                    source: """
                        return { id = "c",
                          evaluate = function(student) return { { kind = "k", action = "a", reason = "for " .. student.id .. " " .. tostring(student.name) } } end,
                          evaluate_class = function(class)
                            local found = {}
                            for _, s in ipairs(class.students) do
                              local recs = class.results[s.id]
                              found[#found + 1] = s.id .. ":" .. (recs and recs[1].reason or "none")
                            end
                            found[#found + 1] = "s-9:" .. tostring(class.results["s-9"])
                            return { { kind = "k", action = "a", reason = table.concat(found, ",") } }
                          end }
                        """)
            ]))
        let result = try withTemporaryInput(lines.joined(separator: "\n")) { descriptor in
            try engine.evaluate(NDJSONInput(descriptor: descriptor, sourceName: "damaged.ndjson"), context: ClassContext(asOf: "2026-11-20"), jobs: 2, deliver: { _ in })
        }
        let classResult = try #require(result.classResult)
        #expect(classResult.errors.isEmpty, "\(classResult.errors)")
        let kept = (0..<40).filter { ![5, 9, 30, 31].contains($0) }
        let expected = kept.map { "s-\($0):for s-\($0) nil" } + ["s-9:nil"]
        #expect(classResult.recommendations.first?.reason == expected.joined(separator: ","))
    }

    @Test func theyAreReadOnly() throws {
        for write in ["class.students[1] = {}", "class.students[1].id = 'x'", "class.results['x'] = {}", "class.students[1].skills[1].sessions[1].trials = 0"] {
            let result = try classResult(
                of: """
                    return { id = "c", evaluate = function() return {} end, evaluate_class = function(class)
                      \(write)
                      return {}
                    end }
                    """)
            let error = try #require(result.errors.first, "\(write) should fail")
            #expect(error.message.contains("read-only"), "\(write): \(error.message)")
            #expect(error.location == "class-rule.lua:2")
        }
    }

    /// A streamed class's sessions are built as read (`PackedSessions`); a rule reads them exactly
    /// as it reads a class document's, every field, by every way a list is read.
    @Test func sessionsReadAsTheDocumentsDo() throws {
        let rule = """
            return { id = "c", evaluate = function() return {} end, evaluate_class = function(class)
              local out = {}
              for _, student in ipairs(class.students) do
                for _, skill in ipairs(student.skills) do
                  local sessions = skill.sessions
                  out[#out + 1] = student.id .. "/" .. skill.id .. " #" .. #sessions .. " " .. tostring(sessions[0]) .. tostring(sessions[#sessions + 1])
                  for i, session in ipairs(sessions) do
                    local keys = {}
                    for key, value in pairs(session) do keys[#keys + 1] = key .. "=" .. (type(value) == "table" and "table" or tostring(value)) .. ":" .. tostring(math.type(value)) end
                    table.sort(keys)
                    out[#out + 1] = i .. " " .. table.concat(keys, " ") .. " same " .. tostring(sessions[i] == session)
                  end
                  local walked, key = 0, next(sessions)
                  while key ~= nil do walked, key = walked + 1, next(sessions, key) end
                  out[#out + 1] = "next " .. walked
                  local ok, message = pcall(function() sessions[1].trials = 0 end)
                  out[#out + 1] = tostring(ok) .. " " .. tostring(#sessions == 0 or message:find("read-only", 1, true) ~= nil)
                end
              end
              return { { kind = "k", action = "a", reason = table.concat(out, "\\n") } }
            end }
            """
        let lines = [
            #"{"id": "a", "skills": [{"id": "k1", "sessions": [{"date": "2026-11-02", "prompt_level": "model", "stage": "guided", "trials": 10, "correct": 7, "independent": 2, "setting": "gym", "staff": "Ms. Ruiz"}, {"date": "2026-11-03T09:30:00Z"}, {"trials": 0}]}]}"#,
            #"{"id": "b", "skills": [{"id": "k2", "sessions": []}, {"id": "k3", "sessions": [{"date": "2026-11-04", "trials": 4, "correct": 4, "mood": {"calm": true}}]}]}"#,
            #"{"id": "c", "skills": []}"#,
        ]
        let context = ClassContext(asOf: "2026-11-20")
        let engine = try Engine(rulePack: RulePack(sources: [RuleSource(path: "class-rule.lua", source: rule)]))
        let roster = try RosterReader.read(Array(lines.joined(separator: "\n").utf8), sourceName: "three.ndjson", format: .ndjson, header: context)
        let whole = try #require(engine.evaluate(roster).classResult?.recommendations.first?.reason)
        let streamed = try withTemporaryInput(lines.joined(separator: "\n")) { descriptor in
            try engine.evaluate(NDJSONInput(descriptor: descriptor, sourceName: "three.ndjson"), context: context, deliver: { _ in })
        }
        #expect(streamed.classResult?.errors == [])
        #expect(streamed.classResult?.recommendations.first?.reason == whole)
        #expect(whole.contains("a/k1 #3 nilnil"))
        #expect(whole.contains("1 correct=7:integer date=2026-11-02:nil independent=2:integer prompt_level=model:nil setting=gym:nil staff=Ms. Ruiz:nil stage=guided:nil trials=10:integer same true"))
        #expect(whole.contains("next 3\nfalse true"))
        #expect(whole.contains("1 correct=4:integer date=2026-11-04:nil mood=table:nil trials=4:integer same true"))
    }

    @Test func nextWalksThemLikePairs() throws {
        let reason = try reason(
            of: """
                return { id = "c", evaluate = function() return {} end, evaluate_class = function(class)
                  local i, student = next(class.students)
                  local n, key = 0, nil
                  repeat key = next(class.results, key); n = n + (key and 1 or 0) until key == nil
                  return { { kind = "k", action = "a", reason = i .. " " .. student.id .. " " .. n .. " " .. tostring(next(class.students, #class.students)) } }
                end }
                """)
        #expect(reason == "1 \(StreamingTests.synthetic.student(0).id) 5 nil")
    }

    @Test func aCoroutineCanReadThem() throws {
        let reason = try reason(
            of: """
                return { id = "c", evaluate = function() return {} end, evaluate_class = function(class)
                  local co = coroutine.wrap(function() return class.students[3].id, #class.results[class.students[3].id] end)
                  local id, n = co()
                  return { { kind = "k", action = "a", reason = id .. " " .. n } }
                end }
                """)
        #expect(reason == StreamingTests.synthetic.student(2).id + " 0")
    }
}

/// Progress reports as a run gives them.
final class ProgressLog: @unchecked Sendable {
    private var reports: [StreamProgress] = []
    private let lock = NSLock()

    func append(_ report: StreamProgress) { lock.withLock { reports.append(report) } }
    var all: [StreamProgress] { lock.withLock { reports } }
}
