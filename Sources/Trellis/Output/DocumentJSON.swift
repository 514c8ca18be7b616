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
            writer.members(["id": info.id, "title": info.title])
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
            writer.members(["id": item.id, "title": item.title, "kind": item.kind, "modality": item.modality])
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
            writer.members(["id": skill.id, "domain": skill.domain, "prompt_level": skill.promptLevel, "stage": skill.stage, "badge": skill.badge?.rawValue])
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
        writeObjects("work", student.work, to: &writer) { item, writer in
            writer.members(["id": item.id, "skill": item.skill, "status": item.status?.rawValue])
            writer.key("score")
            if let score = item.score { writer.number(score) } else { writer.null() }
            writer.members(["due": item.due, "modality": item.modality])
            if let checklist = item.checklist {
                var fields = checklist.extra
                fields["done"] = .integer(Int64(checklist.done))
                fields["total"] = .integer(Int64(checklist.total))
                writer.member("checklist", .object(fields))
            }
            writeExtra(item.extra, to: &writer)
        }
        writeObjects("self_assessments", student.selfAssessments, to: &writer) { assessment, writer in
            writer.members(["date": assessment.date, "skill": assessment.skill, "rating": assessment.rating?.rawValue])
            writeExtra(assessment.extra, to: &writer)
        }
        writeObjects(IncompleteSkillDecoding.key, student.incomplete, to: &writer) { entry, writer in
            writer.members(["skill": entry.skill, "message": entry.message, "location": entry.location, "path": entry.path, "text": entry.text])
        }
        writeExtra(student.extra, to: &writer)
        writer.endObject()
    }

    /// `key: [{...}, ...]`, each object's members written by `members`; nothing when `items` is empty.
    private static func writeObjects<Item>(_ key: String, _ items: [Item], to writer: inout JSONWriter, members: (Item, inout JSONWriter) -> Void) {
        guard !items.isEmpty else { return }
        writer.key(key)
        writer.beginArray()
        for item in items {
            writer.beginObject()
            members(item, &writer)
            writer.endObject()
        }
        writer.endArray()
    }

    private static func writeExtra(_ extra: [String: JSONValue], to writer: inout JSONWriter) {
        writer.members(sortedByKey: extra)
    }
}
