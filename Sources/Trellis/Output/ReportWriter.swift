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
    private var buffer = ""
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
                for replacement in replacedRules {
                    json.beginObject()
                    json.member("id", replacement.id)
                    json.member("bundled_path", replacement.bundledPath)
                    json.member("path", replacement.path)
                    json.endObject()
                }
                json.endArray()
            }
            json.key("results")
            json.beginArray()
        case .csv: ReportCSV.appendHeader(options: options, to: &buffer)
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
                if inputIssues.output.utf8.count >= flushThreshold { spillInputIssues() }
            }
            if json.output.utf8.count >= flushThreshold { buffer += json.takeOutput() }
        case .ndjson: buffer += ReportJSON.line(outcome)
        case .csv:
            if case .evaluated(let result) = outcome {
                if let name = result.name { csvNames[result.student] = name }
                ReportCSV.appendRows(of: result, filter: options.filter, to: &buffer)
            }
        case .table: tableOutcomes.append(outcome)
        }
        if buffer.utf8.count >= flushThreshold { flush() }
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
            if json.output.utf8.count >= flushThreshold { buffer += json.takeOutput() }
        case .ndjson:
            if !classOpened {
                classLine.beginObject()
                classLine.key("class")
                classLine.beginObject()
                classLine.key("recommendations")
                classLine.beginArray()
            }
            ReportJSON.write(recommendation, to: &classLine)
            buffer += classLine.takeOutput()
        case .csv: ReportCSV.appendRow(ofClass: recommendation, names: csvNames, filter: options.filter, to: &buffer)
        case .table: tableClassRecommendations.append(recommendation)
        }
        classOpened = true
        if buffer.utf8.count >= flushThreshold { flush() }
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
            buffer += inputIssues.takeOutput()
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
        _ = writer.takeOutput()
        return writer
    }

    private func spillInputIssues() {
        let text = inputIssues.takeOutput()
        guard failure == nil else { return }
        do {
            if inputIssueFile == nil { inputIssueFile = try TemporaryFile(for: "the skipped students' errors until the results are written") }
            try inputIssueFile?.append(Array(text.utf8))
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
            buffer += json.takeOutput() + "\n"
        case .ndjson:
            if classOpened {
                classLine.endArray()
                ReportJSON.writeErrorsAndNotes(errors: classResult?.errors ?? [], notes: classResult?.notes ?? [], to: &classLine)
                classLine.endObject()
                classLine.endObject()
                buffer += classLine.takeOutput() + "\n"
            } else if let classResult {
                buffer += ReportJSON.classLine(classResult)
            }
        case .csv:
            // Opened: every recommendation is written already; the notes follow them.
            if let classResult {
                if classOpened {
                    ReportCSV.appendRows(of: ClassResult(notes: classResult.notes), names: csvNames, filter: options.filter, to: &buffer)
                } else {
                    ReportCSV.appendRows(of: classResult, names: csvNames, filter: options.filter, to: &buffer)
                }
            }
        case .table:
            var classResult = classResult
            if classOpened {
                classResult = ClassResult(
                    recommendations: tableClassRecommendations, notes: classResult?.notes ?? [],
                    errors: classResult?.errors ?? [])
            }
            buffer += ReportTable.render(EvaluationReport(asOf: asOf, outcomes: tableOutcomes, classResult: classResult), options: options)
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
        if format == .json { buffer += json.takeOutput() }
        guard !buffer.isEmpty, failure == nil else {
            buffer = ""
            return
        }
        do {
            try sink.write(buffer)
        } catch {
            failure = error
        }
        buffer = ""
    }
}
