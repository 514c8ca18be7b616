/// What a request body for one evaluation holds: a whole class, or one student with the
/// class-level fields beside it.
package enum RequestDocument: Sendable, Hashable {
    /// A class document (section 1 of the contract): `students` and the class-level fields.
    case roster(Roster)
    /// `{"as_of": ..., "ladders": ..., "catalog": ..., "class": ..., "student": {...}}`: one
    /// student record, valid or rejected with its issues, and the class-level fields it runs with.
    case student(context: ClassContext, entry: RosterEntry)
}

extension RosterReader {
    /// Reads a class document, or one student given under `student` beside the class-level fields.
    ///
    /// A server takes both shapes at one address; the top-level key decides. A student's field
    /// paths start with `student`, as a document's start with `students[0]`, and every location
    /// is `sourceName:line:column` in these bytes.
    ///
    /// - Throws: ``TrellisError`` when the body is not JSON, has both or neither of `students` and
    ///   `student`, or a class-level field is broken.
    package static func readRequest(
        _ bytes: [UInt8], sourceName: String, today: String = RosterReader.today(), ladders: Ladders = Ladders()
    ) throws(TrellisError) -> RequestDocument {
        let result: Result<RequestDocument, TrellisError> = bytes.withUnsafeBufferPointer { whole in
            // A UTF-8 byte-order mark is accepted, as for files.
            let body = UnsafeBufferPointer(rebasing: whole[byteOrderMarkLength(whole)...])
            do throws(TrellisError) {
                return .success(try readRequest(body, sourceName: sourceName, today: today, ladders: ladders))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func readRequest(
        _ bytes: UnsafeBufferPointer<UInt8>, sourceName: String, today: String, ladders: Ladders
    ) throws(TrellisError) -> RequestDocument {
        func location(_ offset: Int) -> String {
            RosterReader.location(of: offset, in: bytes, sourceName: sourceName)
        }
        func syntaxError(_ error: JSONSyntaxError) -> TrellisError {
            RosterReader.syntaxError(error, in: bytes, sourceName: sourceName)
        }
        guard !NDJSONLines.isBlank(bytes) else {
            throw emptyInput(sourceName: sourceName, what: "body", expected: "a class document, or one student under \"student\"")
        }
        let offsets = try topLevelOffsets(
            bytes, sourceName: sourceName, notAnObject: "expected a JSON object: a class document, or one student under \"student\"")
        switch (offsets["students"], offsets["student"]) {
        case (.some, .some(let offset)):
            throw TrellisError(.invalidInput, "give either \"students\" (a class) or \"student\" (one student), not both", location: location(offset), path: "student")
        case (.some, nil):
            return .roster(try read(Array(bytes), sourceName: sourceName, format: .document, today: today, ladders: ladders))
        case (nil, nil):
            throw TrellisError(.invalidInput, "required field 'students' (a class) or 'student' (one student) is missing", location: location(0))
        case (nil, .some(let studentOffset)):
            var reader = FieldReader(scanner: JSONScanner(bytes))
            let context: ClassContext
            let student: Student?
            let id: String?
            do {
                context = try ClassContextDecoder().decode(valueOffsets: offsets, reader: &reader, defaultAsOf: today, defaultLadders: ladders)
                guard reader.issues.isEmpty else {
                    throw TrellisError(issues: reader.issues.map {
                        TrellisIssue(kind: .invalidInput, message: $0.message, location: location($0.offset), path: $0.render(after: ""))
                    })
                }
                var studentReader = FieldReader(scanner: JSONScanner(bytes, offset: studentOffset))
                (student, id) = try StudentDecoder(ladders: context.ladders).decode(&studentReader)
                reader = studentReader
            } catch let error as JSONSyntaxError {
                throw syntaxError(error)
            } catch let error as TrellisError {
                throw error
            } catch {
                throw TrellisError(.invalidInput, "\(error)", location: sourceName)
            }
            let prefix = "student" + (id.map { " (\($0))" } ?? "")
            let entry = RosterEntry.decoded(student, id: id, issues: reader.issues) {
                TrellisIssue(kind: .invalidStudent, student: id, message: $0.message, location: location($0.offset), path: $0.render(after: prefix))
            }
            return .student(context: context, entry: entry)
        }
    }
}
