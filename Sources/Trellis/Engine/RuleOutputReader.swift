import TrellisLua

/// A rule's return value that breaks the rule API.
struct RuleOutputError: Error {
    var message: String
}

/// Reads what `evaluate` returned (a list of recommendations and notes) with type checks and
/// raw access only, so no metamethod of the rule's runs while Swift is on the stack.
final class RuleOutputReader {
    let lua: LuaState
    let rule: RuleDefinition
    let level: Level
    let ladders: Ladders
    /// Shared by all of one evaluation's output, so many small items cannot add up to too much.
    private var budget: Int

    /// Whose output it is: a student's (`evaluate`) or the class's (`evaluate_class`).
    enum Level {
        case student
        case `class`
    }

    init(lua: LuaState, rule: RuleDefinition, level: Level, ladders: Ladders, budget: Int = LuaState.outputBudget) {
        self.lua = lua
        self.rule = rule
        self.level = level
        self.ladders = ladders
        self.budget = budget
    }

    /// Why `priority` cannot rank recommendations, or nil: NaN and the infinities have no JSON
    /// form and would win or lose every conflict by the order of comparison, not by their value.
    static func priorityProblem(_ priority: Double) -> String? {
        guard !priority.isFinite else { return nil }
        let value = priority.isNaN ? "NaN (0/0)" : priority > 0 ? "math.huge" : "-math.huge"
        return "priority must be a finite number, not \(value)"
    }

    /// The actions the built-in kinds allow; custom kinds may use any action.
    static func actions(of kind: String) -> [String]? {
        switch kind {
        case "prompt": ["fade", "step_back", "hold", "mastered"]
        case "scaffold": ["advance", "step_back", "hold", "mastered"]
        case "choices": ["offer"]
        default: nil
        }
    }

    /// Field names the engine reads itself; every other field passes through to the output.
    /// (`rule` is always the rule's own id: what an item says there is not read.)
    private static func isKnownField(_ key: String) -> Bool {
        switch key {
        case "skill", "kind", "action", "from", "to", "options", "reason", "evidence", "priority", "rule", "note": true
        default: false
        }
    }

    /// Fields the engine writes beside a recommendation, which a rule must not fake, in the
    /// order they are checked: a student's result names its student, and only the conflict
    /// resolution says what overrode what. A class-level recommendation names the students it
    /// is about in `student` or `students`.
    private var engineFields: [String] {
        switch level {
        case .student: ["overridden_by", "student", "students"]
        case .class: ["overridden_by"]
        }
    }

    func read(at index: LuaSlot) throws(RuleOutputError) -> (recommendations: [Recommendation], notes: [RuleNote]) {
        switch lua.type(at: index) {
        case .nil: return ([], [])
        case .table: break
        default: throw RuleOutputError(message: "evaluate must return a list of recommendations, not a \(typeName(at: index))")
        }
        let list = lua.pushUnwrapped(index)
        defer { lua.pop() }
        let count = lua.rawLength(at: list)
        if count == 0 {
            let looksLikeOneRecommendation = lua.rawField("kind", of: list) != .nil
            lua.pop()
            if looksLikeOneRecommendation {
                throw RuleOutputError(message: "evaluate returned a single recommendation; return a list of them: { recommendation }")
            }
            return ([], [])
        }
        var recommendations: [Recommendation] = []
        var notes: [RuleNote] = []
        for position in 1...count {
            lua.rawElement(position, of: list)
            defer { lua.pop() }
            switch try readItem(at: lua.top, position: position) {
            case .recommendation(let recommendation): recommendations.append(recommendation)
            case .note(let note): notes.append(note)
            }
        }
        return (recommendations, notes)
    }

    /// One item of a rule's output: a recommendation, or a note (a table with `note`).
    enum Item {
        case recommendation(Recommendation)
        case note(RuleNote)
    }

    /// The item at `index`: one element of a returned list, or what `ctx.emit` was given. Its
    /// text counts against the same budget as the rest of this reader's output.
    func readItem(at index: LuaSlot, position: Int) throws(RuleOutputError) -> Item {
        let item = lua.pushUnwrapped(index)
        defer { lua.pop() }
        guard lua.type(at: item) == .table else {
            throw RuleOutputError(message: "item \(position) of the returned list must be a table, not a \(typeName(at: item))")
        }
        if let note = try optionalString("note", of: item, position: position) {
            return .note(RuleNote(rule: rule.id, skill: try optionalString("skill", of: item, position: position), message: note))
        }
        return .recommendation(try recommendation(at: item, position: position))
    }

    private func recommendation(at item: LuaSlot, position: Int) throws(RuleOutputError) -> Recommendation {
        func fail(_ message: String) -> RuleOutputError {
            RuleOutputError(message: "recommendation \(position): \(message)")
        }
        let skill = try optionalString("skill", of: item, position: position)
        guard let kind = try optionalString("kind", of: item, position: position), !kind.isEmpty else { throw fail("kind is required (a string such as \"prompt\")") }
        guard let action = try optionalString("action", of: item, position: position), !action.isEmpty else { throw fail("action is required (a string such as \"fade\")") }
        guard let reason = try optionalString("reason", of: item, position: position), !reason.isEmpty else {
            throw fail("reason is required: say why, in words a teacher reads")
        }
        if let allowed = Self.actions(of: kind), !allowed.contains(action) {
            throw fail("a \(kind) recommendation's action is one of \(allowed.joined(separator: ", ")), not \"\(action)\"")
        }
        let from = try optionalString("from", of: item, position: position)
        let to = try optionalString("to", of: item, position: position)
        let ladder: (name: String, levels: [String])? = switch kind {
        case "prompt": ("prompt", ladders.prompt)
        case "scaffold": ("stage", ladders.stage)
        default: nil
        }
        if let ladder {
            for (field, level) in [("from", from), ("to", to)] {
                if let level, !ladder.levels.contains(level) {
                    throw fail("\(field) \"\(level)\" is not on the \(ladder.name) ladder (\(ladder.levels.joined(separator: ", ")))")
                }
            }
        }
        var priority = rule.priority
        switch lua.rawField("priority", of: item) {
        case .nil: break
        case .number:
            priority = lua.number(at: .top)
            if let problem = Self.priorityProblem(priority) {
                lua.pop()
                throw fail(problem)
            }
        default:
            lua.pop()
            throw fail("priority must be a number")
        }
        lua.pop()
        let options = try readOptions(of: item, fail: fail)
        if kind == "choices", options?.isEmpty ?? true {
            throw fail("a choices recommendation needs options: a list of catalog items")
        }
        var evidence: JSONValue?
        var extra: [String: JSONValue] = [:]
        do {
            if lua.rawField("evidence", of: item) != .nil { evidence = try lua.jsonValue(at: -1, path: "evidence", budget: &budget) }
            lua.pop()
            extra = try extraFields(of: item)
        } catch {
            throw fail("\(error.path): \(error.message)")
        }
        for field in engineFields where !extra.isEmpty && extra[field] != nil {
            throw fail("\(field) is set by the engine, not by a rule")
        }
        if level == .class {
            if let student = extra["student"], student.stringValue == nil {
                throw fail("student must be the id of a student (a string), not \(student.briefDescription)")
            }
            if let students = extra["students"] {
                guard case .array(let ids) = students, ids.allSatisfy({ $0.stringValue != nil }) else {
                    throw fail("students must be a list of student ids (strings), not \(students.briefDescription)")
                }
            }
        }
        return Recommendation(
            skill: skill, kind: kind, action: action, from: from, to: to, options: options, rule: rule.id, priority: priority, reason: reason,
            evidence: evidence, extra: extra)
    }

    private func readOptions(of item: LuaSlot, fail: (String) -> RuleOutputError) throws(RuleOutputError) -> [MenuOption]? {
        let type = lua.rawField("options", of: item)
        defer { lua.pop() }
        if type == .nil { return nil }
        guard type == .table else { throw fail("options must be a list of catalog items") }
        let list = lua.pushUnwrapped(-1)
        defer { lua.pop() }
        var options: [MenuOption] = []
        for position in 0..<lua.rawLength(at: list) {
            lua.rawElement(position + 1, of: list)
            let option = lua.pushUnwrapped(-1)
            defer { lua.pop(2) }
            guard lua.type(at: option) == .table else { throw fail("options[\(position + 1)] must be a table with an id") }
            func field(_ key: String) throws(RuleOutputError) -> String? {
                lua.rawField(key, of: option)
                defer { lua.pop() }
                guard let text = lua.string(at: -1) else { return nil }
                budget -= text.utf8.count + 16
                if budget < 0 { throw fail("options: the output is larger than \(LuaState.outputBudget >> 20) MB, the most a rule may return per student") }
                return text
            }
            guard let id = try field("id") else { throw fail("options[\(position + 1)] needs an id (a string)") }
            options.append(MenuOption(id: id, title: try field("title"), modality: try field("modality")))
        }
        return options
    }

    private func extraFields(of item: LuaSlot) throws(LuaValueError) -> [String: JSONValue] {
        var extra: [String: JSONValue] = [:]
        try lua.forEachEntry(in: item) { () throws(LuaValueError) in
            if let key = lua.string(at: .belowTop), !Self.isKnownField(key) {
                extra[key] = try lua.jsonValue(at: .top, path: key, budget: &budget)
            }
        }
        return extra
    }

    private func optionalString(_ key: String, of item: LuaSlot, position: Int) throws(RuleOutputError) -> String? {
        let type = lua.rawField(key, of: item)
        defer { lua.pop() }
        switch type {
        case .nil: return nil
        case .string:
            try charge(lua.rawLength(at: .top), position: position)
            return lua.string(at: -1)
        default: throw RuleOutputError(message: "item \(position): \(key) must be a string, not a \(typeName(at: -1))")
        }
    }

    /// Counts text against the output budget, with 16 bytes for the value itself.
    private func charge(_ bytes: Int, position: Int) throws(RuleOutputError) {
        budget -= bytes + 16
        if budget < 0 {
            throw RuleOutputError(message: "item \(position): the output is larger than \(LuaState.outputBudget >> 20) MB, the most a rule may return per student")
        }
    }

    private func typeName(at index: LuaSlot) -> String {
        lua.typeName(at: index)
    }
}
