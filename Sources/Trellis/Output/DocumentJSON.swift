/// The contract's input (section 1) written back as JSON: a whole class document, its
/// class-level header alone, or one student a line for NDJSON.
public enum DocumentJSON {
    /// One student as a compact JSON object, without a newline.
    public static func student(_ student: Student) -> String {
        var writer = JSONWriter(pretty: false)
        write(student, to: &writer)
        return writer.output
    }

    /// The class-level fields alone: the header of an NDJSON roster.
    public static func header(_ context: ClassContext) -> String {
        var writer = JSONWriter(pretty: true)
        writer.beginObject()
        writeContext(context, to: &writer)
        writer.endObject()
        return writer.output + "\n"
    }

    /// A whole class document, one student a line.
    public static func document(_ document: ClassDocument) -> String {
        var text = documentOpening(document.context)
        for (index, student) in document.students.enumerated() { text += documentStudent(student, first: index == 0) }
        return text + documentClosing(hasStudents: !document.students.isEmpty)
    }

    /// A class document written in pieces, for a class too large to hold: its class-level
    /// fields and the opening of `students`, then ``documentStudent(_:first:)`` for each student,
    /// then ``documentClosing(hasStudents:)``. The pieces make exactly ``document(_:)``'s text.
    public static func documentOpening(_ context: ClassContext) -> String {
        var writer = JSONWriter(pretty: true)
        writer.beginObject()
        writeContext(context, to: &writer)
        writer.key("students")
        writer.beginArray()
        writer.endArray()
        writer.endObject()
        // Students go one a line inside the array: readable, and no slower to write.
        let text = writer.output
        guard let range = text.range(of: "\"students\": []", options: .backwards) else { preconditionFailure("the writer wrote no students array") }
        return String(text[..<range.lowerBound]) + "\"students\": ["
    }

    /// One student of a class document written in pieces: its line, after a comma unless it is the first.
    public static func documentStudent(_ student: Student, first: Bool) -> String {
        (first ? "\n    " : ",\n    ") + self.student(student)
    }

    /// The end of a class document written in pieces.
    public static func documentClosing(hasStudents: Bool) -> String {
        hasStudents ? "\n  ]\n}\n" : "]\n}\n"
    }

    private static func writeContext(_ context: ClassContext, to writer: inout JSONWriter) {
        writer.key("trellis")
        writer.integer(1)
        writer.member("as_of", context.asOf)
        if let info = context.classInfo {
            writer.key("class")
            writer.beginObject()
            writer.member("id", info.id)
            writer.member("title", info.title)
            writer.key("staff")
            writer.value(.array(info.staff.map(JSONValue.string)))
            writeExtra(info.extra, to: &writer)
            writer.endObject()
        }
        writer.key("ladders")
        writer.value(.object(context.ladders.all.mapValues { .array($0.map(JSONValue.string)) }))
        writer.key("catalog")
        writer.beginArray()
        for item in context.catalog {
            writer.beginObject()
            writer.member("id", item.id)
            writer.member("title", item.title)
            writer.member("kind", item.kind)
            writer.member("modality", item.modality)
            writer.key("skills")
            writer.value(.array(item.skills.map(JSONValue.string)))
            if let minutes = item.minutes {
                writer.key("minutes")
                writer.number(minutes)
            }
            writeExtra(item.extra, to: &writer)
            writer.endObject()
        }
        writer.endArray()
    }

    private static func write(_ student: Student, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("id", student.id)
        writer.member("name", student.name)
        if !student.flags.isEmpty { writer.member("flags", .array(student.flags.map(JSONValue.string))) }
        if !student.preferredModalities.isEmpty || !student.preferenceExtra.isEmpty {
            var preferences = student.preferenceExtra
            preferences["modalities"] = .array(student.preferredModalities.map(JSONValue.string))
            writer.member("preferences", .object(preferences))
        }
        writer.key("skills")
        writer.beginArray()
        for skill in student.skills {
            writer.beginObject()
            writer.member("id", skill.id)
            writer.member("domain", skill.domain)
            writer.member("prompt_level", skill.promptLevel)
            writer.member("stage", skill.stage)
            writer.member("badge", skill.badge?.rawValue)
            writer.key("sessions")
            writer.beginArray()
            for session in skill.sessions {
                writer.beginObject()
                for field in SessionField.all {
                    if field.isInteger {
                        writer.member(field.key, field.integer(of: session).map { JSONValue.integer(Int64($0)) })
                    } else {
                        writer.member(field.key, field.text(of: session))
                    }
                }
                writeExtra(session.extra, to: &writer)
                writer.endObject()
            }
            writer.endArray()
            writeExtra(skill.extra, to: &writer)
            writer.endObject()
        }
        writer.endArray()
        if !student.work.isEmpty {
            writer.key("work")
            writer.beginArray()
            for item in student.work {
                writer.beginObject()
                writer.member("id", item.id)
                writer.member("skill", item.skill)
                writer.member("status", item.status?.rawValue)
                writer.key("score")
                if let score = item.score { writer.number(score) } else { writer.null() }
                writer.member("due", item.due)
                writer.member("modality", item.modality)
                if let checklist = item.checklist {
                    var fields = checklist.extra
                    fields["done"] = .integer(Int64(checklist.done))
                    fields["total"] = .integer(Int64(checklist.total))
                    writer.member("checklist", .object(fields))
                }
                writeExtra(item.extra, to: &writer)
                writer.endObject()
            }
            writer.endArray()
        }
        if !student.selfAssessments.isEmpty {
            writer.key("self_assessments")
            writer.beginArray()
            for assessment in student.selfAssessments {
                writer.beginObject()
                writer.member("date", assessment.date)
                writer.member("skill", assessment.skill)
                writer.member("rating", assessment.rating?.rawValue)
                writeExtra(assessment.extra, to: &writer)
                writer.endObject()
            }
            writer.endArray()
        }
        if !student.incomplete.isEmpty {
            writer.key(IncompleteSkillDecoding.key)
            writer.beginArray()
            for entry in student.incomplete {
                writer.beginObject()
                writer.member("skill", entry.skill)
                writer.member("message", entry.message)
                writer.member("location", entry.location)
                writer.member("path", entry.path)
                writer.member("text", entry.text)
                writer.endObject()
            }
            writer.endArray()
        }
        writeExtra(student.extra, to: &writer)
        writer.endObject()
    }

    private static func writeExtra(_ extra: [String: JSONValue], to writer: inout JSONWriter) {
        for key in extra.keys.sorted() { writer.member(key, extra[key]) }
    }
}
