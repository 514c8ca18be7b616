import Synchronization

/// Writes a report as the students' outcomes arrive, so that a roster of any size is written
/// with memory bounded by one buffer. The text is the same as `ReportFormat.render` of the
/// whole report.
///
/// Calls take turns (a lock a call); they must come in order: `write` for each outcome, then
/// `finish` (`Engine.evaluate(_:context:jobs:progress:deliver:deliverClass:)` calls `deliver`
/// that way).
public final class ReportWriter: Sendable {
    private let stream: Mutex<ReportStream>

    /// - Parameters:
    ///   - format: the output format.
    ///   - sink: where the text goes.
    ///   - asOf: the date of the run, for the JSON document's head.
    ///   - options: what the table and CSV show, the table's width, and Excel's byte-order mark.
    ///   - replacedRules: bundled rules a folder's rule replaced (`Engine.replacedRules`), listed
    ///     in the JSON document's head as `replaced_rules` when there are any.
    public init(format: ReportFormat, sink: any OutputSink, asOf: String, options: ReportOptions = ReportOptions(), replacedRules: [RuleReplacement] = []) {
        stream = Mutex(ReportStream(format: format, sink: WriterSink(sink: sink), asOf: asOf, options: options, replacedRules: replacedRules))
    }

    /// Adds one student's outcome.
    public func write(_ outcome: StudentOutcome) {
        stream.withLock { $0.write(outcome) }
    }

    /// Adds one class-level recommendation, after the last student's outcome (see the
    /// `deliverClass` of `Engine.evaluate(_:context:jobs:progress:deliver:deliverClass:)`).
    /// `finish` then writes the class's notes and errors after them.
    public func write(classRecommendation recommendation: Recommendation) {
        stream.withLock { $0.write(classRecommendation: recommendation) }
    }

    /// Writes the end of the report and commits the sink.
    ///
    /// - Throws: the first write error of the run; the sink is then aborted.
    public func finish(asOf: String, classResult: ClassResult?, summary: EvaluationSummary) throws {
        try stream.withLock { try $0.finish(asOf: asOf, classResult: classResult, summary: summary) }
    }

    /// Gives up: nothing of this report is committed.
    public func abort() {
        stream.withLock { $0.abort() }
    }
}

/// The caller's sink, which is not `Sendable` and which the caller may keep (to read what was
/// written): unchecked because the writer touches it only under its lock, one call at a time.
struct WriterSink: @unchecked Sendable {
    let sink: any OutputSink
}

/// A `ReportWriter`'s state and text, used under its lock.
final class ReportStream {
    private let format: ReportFormat
    private let options: ReportOptions
    /// Names by student id, for the CSV's class-level rows (only the CSV keeps them).
    private var csvNames: [String: String] = [:]
    private let sink: any OutputSink
    private var json = JSONWriter(pretty: true)
    /// NDJSON lines are written here, then moved to `buffer`.
    private var lines = JSONWriter(pretty: false)
    /// UTF-8 text on its way to the sink, handed over as bytes past `flushThreshold`.
    private var buffer: [UInt8] = []
    /// Issues of skipped students, which the JSON document lists after the results: written as
    /// they come into a writer that stands where they will go, and past `flushThreshold` moved to
    /// a temporary file, so that a roster with a million skipped lines is not held in memory.
    private var inputIssues = ReportStream.issueListWriter()
    private var inputIssueCount = 0
    private var inputIssueFile: TemporaryFile?
    /// Only the table, which sizes its columns to every row, keeps the outcomes.
    private var tableOutcomes: [StudentOutcome] = []
    private var tableClassRecommendations: [Recommendation] = []
    /// Whether `write(classRecommendation:)` has opened the class section.
    private var classOpened = false
    /// The NDJSON report's class line, written out as it grows.
    private var classLine = JSONWriter(pretty: false)
    private var failure: (any Error)?
    private let flushThreshold = 1 << 18

    init(format: ReportFormat, sink: WriterSink, asOf: String, options: ReportOptions, replacedRules: [RuleReplacement]) {
        self.format = format
        self.options = options
        self.sink = sink.sink
        switch format {
        case .json:
            json.beginObject()
            json.key("trellis")
            json.integer(ReportJSON.contractVersion)
            json.member("as_of", asOf)
            if !replacedRules.isEmpty {
                json.key("replaced_rules")
                json.beginArray()
                for replacement in replacedRules { json.object(["id": replacement.id, "bundled_path": replacement.bundledPath, "path": replacement.path]) }
                json.endArray()
            }
            json.key("results")
            json.beginArray()
        case .csv:
            var header = ""
            ReportCSV.appendHeader(options: options, to: &header)
            buffer.append(contentsOf: header.utf8)
        case .ndjson, .table: break
        }
    }

    func write(_ outcome: StudentOutcome) {
        switch format {
        case .json:
            switch outcome {
            case .evaluated(let result): ReportJSON.write(result, to: &json)
            case .skipped(_, let issues):
                for issue in issues { ReportJSON.write(issue, to: &inputIssues) }
                inputIssueCount += issues.count
                if inputIssues.bytes.count >= flushThreshold { spillInputIssues() }
            }
            if json.bytes.count >= flushThreshold { json.take(into: &buffer) }
        case .ndjson:
            ReportJSON.writeLine(outcome, to: &lines)
            lines.take(into: &buffer)
        case .csv:
            if case .evaluated(let result) = outcome {
                if let name = result.name { csvNames[result.student] = name }
                appendCSV { ReportCSV.appendRows(of: result, filter: options.filter, to: &$0) }
            }
        case .table: tableOutcomes.append(outcome)
        }
        if buffer.count >= flushThreshold { flush() }
    }

    func write(classRecommendation recommendation: Recommendation) {
        switch format {
        case .json:
            if !classOpened {
                endResults()
                json.key("class")
                json.beginObject()
                json.key("recommendations")
                json.beginArray()
            }
            ReportJSON.write(recommendation, to: &json)
            if json.bytes.count >= flushThreshold { json.take(into: &buffer) }
        case .ndjson:
            if !classOpened {
                classLine.beginObject()
                classLine.key("class")
                classLine.beginObject()
                classLine.key("recommendations")
                classLine.beginArray()
            }
            ReportJSON.write(recommendation, to: &classLine)
            classLine.take(into: &buffer)
        case .csv: appendCSV { ReportCSV.appendRow(ofClass: recommendation, names: csvNames, filter: options.filter, to: &$0) }
        case .table: tableClassRecommendations.append(recommendation)
        }
        classOpened = true
        if buffer.count >= flushThreshold { flush() }
    }

    /// Appends the CSV text `append` writes.
    private func appendCSV(_ append: (inout String) -> Void) {
        var text = ""
        append(&text)
        buffer.append(contentsOf: text.utf8)
    }

    /// Closes the results and lists the skipped students' issues (JSON).
    private func endResults() {
        json.endArray()
        json.key("errors")
        json.beginArray()
        if inputIssueCount > 0 {
            flush()
            if let inputIssueFile, failure == nil {
                do {
                    try inputIssueFile.forEachPiece { try sink.write($0) }
                } catch {
                    failure = error
                }
            }
            inputIssues.take(into: &buffer)
            json.continueAfterElementsWrittenElsewhere()
        }
        json.endArray()
    }

    /// A writer placed as the top-level `errors` list's elements are, so that what it writes is
    /// exactly the document's text there.
    private static func issueListWriter() -> JSONWriter {
        var writer = JSONWriter(pretty: true)
        writer.beginObject()
        writer.key("errors")
        writer.beginArray()
        var opening: [UInt8] = []
        writer.take(into: &opening)
        return writer
    }

    private func spillInputIssues() {
        var text: [UInt8] = []
        inputIssues.take(into: &text)
        guard failure == nil else { return }
        do {
            if inputIssueFile == nil { inputIssueFile = try TemporaryFile(for: "the skipped students' errors until the results are written") }
            try inputIssueFile?.append(text)
        } catch {
            failure = error
        }
    }

    func finish(asOf: String, classResult: ClassResult?, summary: EvaluationSummary) throws {
        if classOpened {
            for recommendation in classResult?.recommendations ?? [] { write(classRecommendation: recommendation) }
        }
        switch format {
        case .json:
            if classOpened {
                json.endArray()
                ReportJSON.writeErrorsAndNotes(errors: classResult?.errors ?? [], notes: classResult?.notes ?? [], to: &json)
                json.endObject()
            } else {
                endResults()
                if let classResult {
                    json.key("class")
                    ReportJSON.write(classResult, to: &json)
                }
            }
            json.key("summary")
            ReportJSON.write(summary, to: &json)
            json.endObject()
            json.newlineAfterDocument()
            json.take(into: &buffer)
        case .ndjson:
            if classOpened {
                classLine.endArray()
                ReportJSON.writeErrorsAndNotes(errors: classResult?.errors ?? [], notes: classResult?.notes ?? [], to: &classLine)
                classLine.endObject()
                classLine.endObject()
                classLine.newlineAfterDocument()
                classLine.take(into: &buffer)
            } else if let classResult {
                ReportJSON.writeClassLine(classResult, to: &lines)
                lines.take(into: &buffer)
            }
        case .csv:
            // Opened: every recommendation is written already; the notes follow them.
            if let classResult {
                let rows = classOpened ? ClassResult(notes: classResult.notes) : classResult
                appendCSV { ReportCSV.appendRows(of: rows, names: csvNames, filter: options.filter, to: &$0) }
            }
        case .table:
            var classResult = classResult
            if classOpened {
                classResult = ClassResult(
                    recommendations: tableClassRecommendations, notes: classResult?.notes ?? [],
                    errors: classResult?.errors ?? [])
            }
            buffer.append(contentsOf: ReportTable.render(EvaluationReport(asOf: asOf, outcomes: tableOutcomes, classResult: classResult), options: options).utf8)
        }
        flush()
        if let failure {
            sink.abort()
            throw failure
        }
        do {
            try sink.commit()
        } catch {
            sink.abort()
            throw error
        }
    }

    func abort() {
        sink.abort()
    }

    private func flush() {
        if format == .json { json.take(into: &buffer) }
        defer { buffer.removeAll(keepingCapacity: true) }
        guard !buffer.isEmpty, failure == nil else { return }
        do {
            try sink.write(bytes: buffer)
        } catch {
            failure = error
        }
    }
}
