import Testing
import TrellisLua
@testable import Trellis

/// `SessionField` is the one table of the contract's session fields: the decoder, the student
/// image, packed sessions, the Lua tables (built in C under the keys the table defines) and the
/// document writer all walk it. Every field, with a value made from its kind, must come through
/// each of them unchanged, so that a field added to the table is checked without a line here.
@Suite struct SessionFieldTests {
    /// A value for `field` of its kind, distinct from the other fields' values.
    static func sample(_ field: SessionField) -> JSONValue {
        switch field.value {
        case .date: .string("2026-03-1\(field.rawValue % 10)")
        case .level(.prompt): .string(Ladders.defaultPrompt[field.rawValue % Ladders.defaultPrompt.count])
        case .level(.stage): .string(Ladders.defaultStage[field.rawValue % Ladders.defaultStage.count])
        // A part of the trials stays below them.
        case .count: .integer(Int64(field.isPartOfTrials ? field.rawValue : 100 + field.rawValue))
        case .text: .string("text of \(field.key)")
        }
    }

    /// Every field of the table, as a session's JSON object; `extra` adds fields beyond it.
    static func sessionObject(extra: [String: JSONValue] = [:]) -> [String: JSONValue] {
        var members = extra
        for field in SessionField.all { members[field.key] = sample(field) }
        return members
    }

    /// A student with two skills: one session with every field (packed for class-level rules),
    /// and one with a field beyond the contract too (never packed).
    static let line: String = {
        func text(_ members: [String: JSONValue]) -> String {
            "{" + members.sorted { $0.key < $1.key }.map { key, value in
                switch value {
                case .string(let string): "\"\(key)\":\"\(string)\""
                case .integer(let integer): "\"\(key)\":\(integer)"
                default: "\"\(key)\":null"
                }
            }.joined(separator: ",") + "}"
        }
        return #"{"id":"s1","skills":[{"id":"a","sessions":["# + text(sessionObject()) + #"]},{"id":"b","sessions":["#
            + text(sessionObject(extra: ["note": .string("beyond")])) + "]}]}"
    }()

    static func decode(_ line: String) throws -> Student {
        var bytes = Array(line.utf8)
        let entry = bytes.withUnsafeMutableBufferPointer {
            RosterReader.readLine(UnsafeBufferPointer($0), number: 1, sourceName: "test", decoder: StudentDecoder(ladders: Ladders()))
        }
        guard case .student(let student) = entry else {
            Issue.record("not decoded: \(entry)")
            throw CancellationError()
        }
        return student
    }

    /// What a rule reads in each skill's first session, field by field in the table's order.
    static func luaValues(of student: Student, packed: [ArraySlice<UInt8>?] = []) throws -> [String] {
        let lua = try LuaState(limits: RuleLimits().lua)
        try lua.load(
            """
            local student, keys = ...
            local out = {}
            for s = 1, #student.skills do
              local session = student.skills[s].sessions[1]
              for i = 1, #keys do out[#out + 1] = tostring(session[keys[i]]) end
              local ok = pcall(function() session.date = "changed" end)
              out[#out + 1] = ok and "writable" or "read-only"
            end
            return table.concat(out, "|")
            """, chunkName: "session-reader.lua")
        if packed.isEmpty {
            lua.withRecycledProxies { lua.push(student) }
        } else {
            lua.withLightProxies { lua.push(student, packedSessions: packed) }
        }
        lua.push(SessionField.all.map(\.key))
        try lua.call(arguments: 2, results: 1, guarded: false)
        defer { lua.pop() }
        return (lua.string(at: -1) ?? "").split(separator: "|").map(String.init)
    }

    @Test func everyFieldGoesThroughDecoderImageLuaAndDocument() throws {
        let student = try Self.decode(Self.line)
        // Decoded: every field set, from the table's own accessors.
        #expect(student.skills.count == 2)
        for skill in student.skills {
            let session = try #require(skill.sessions.first)
            for field in SessionField.all {
                let value = field.isInteger ? field.integer(of: session).map { JSONValue.integer(Int64($0)) } : field.text(of: session).map(JSONValue.string)
                #expect(value == Self.sample(field), "\(skill.id).\(field.key)")
            }
        }
        #expect(student.skills[1].sessions[0].extra == ["note": .string("beyond")])

        // The image, whole and as a class-level rule gets it (the first skill's sessions packed).
        let image = StudentImage.encode(student)
        #expect(StudentImage.decode(image) == student)
        let (classStudent, packed) = try #require(StudentImage.decodeForClass(image))
        #expect(packed.map { $0 != nil } == [true, false])

        // Lua: the same values under the same keys, read-only, on either path.
        let expected = SessionField.all.map { field -> String in
            switch Self.sample(field) {
            case .string(let string): string
            case .integer(let integer): String(integer)
            default: "?"
            }
        } + ["read-only"]
        #expect(try Self.luaValues(of: student) == expected + expected)
        #expect(try Self.luaValues(of: classStudent, packed: packed) == expected + expected)

        // The document: each session written back with every field, value by value, and read
        // again to the same student.
        let document = DocumentJSON.student(student)
        let written = try #require(JSONValue(parsing: document))
        guard case .object(let top) = written, case .array(let skills)? = top["skills"] else {
            Issue.record("not a student: \(document)")
            return
        }
        let sessions = skills.map { skill -> JSONValue? in
            guard case .object(let members) = skill, case .array(let sessions)? = members["sessions"] else { return nil }
            return sessions.first
        }
        #expect(sessions == [.object(Self.sessionObject()), .object(Self.sessionObject(extra: ["note": .string("beyond")]))])
        #expect(try Self.decode(document) == student)
    }

    /// The fields the C builders were given are the table's, in its order.
    @Test func theStateDefinesTheTablesFields() throws {
        let lua = try LuaState(limits: RuleLimits().lua)
        #expect(lua.sessionFieldCount == 0)
        lua.push(Session())
        #expect(lua.sessionFieldCount == SessionField.all.count)
        // A record's flags are a u32: at most 32 fields fit the packed form and the C builders.
        #expect(SessionField.all.count <= 32)
    }

    /// Packed and unpacked again: every field, and a session with none.
    @Test func everyFieldRoundTripsThroughPackedSessions() throws {
        var session = Session()
        for field in SessionField.all {
            if field.isInteger { field.set(field.rawValue + 1, in: &session) } else { field.set("v\(field.rawValue)", in: &session) }
        }
        let packed = try #require(PackedSessions.encode([session, Session()]))
        #expect(packed.withUnsafeBytes { PackedSessions.decode($0) } == [session, Session()])
    }

    /// Each field's key is one the decoder recognises as a contract key, and names that field.
    @Test func everyKeyIsAContractKeyOfItsField() {
        for field in SessionField.all {
            let key = ContractKey(rawValue: field.key)
            #expect(key.flatMap { SessionField($0) } == field, "add '\(field.key)' to ContractKey and to SessionField.init(_:)")
        }
    }
}
