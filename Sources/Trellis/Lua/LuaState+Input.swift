import TrellisLua

/// The contract's input as Lua tables, shaped as the rule API documents them: JSON field
/// names, lists always present (empty when the input has none), absent values nil. In a
/// sandboxed state every table is a read-only proxy, sealed bottom-up.
extension LuaState {
    /// Pushes one student's table. Built once per student and handed to every rule.
    /// - Parameter packedSessions: by skill index, the skill's sessions packed (`PackedSessions`),
    ///   pushed as a list built when read (the students of a streamed class's class-level rules).
    func push(_ student: Student, packedSessions: [ArraySlice<UInt8>?] = []) {
        pushRecord(fields: 8, extra: student.extra) {
            set("id", student.id)
            set("name", student.name)
            set("flags", student.flags)
            pushRecord(fields: 1, extra: student.preferenceExtra) { set("modalities", student.preferredModalities) }
            setField(literal: "preferences")
            var skillIndex = 0
            pushList(student.skills) { skill in
                push(skill, packedSessions: skillIndex < packedSessions.count ? packedSessions[skillIndex] : nil)
                skillIndex += 1
            }
            setField(literal: "skills")
            pushList(student.work) { push($0) }
            setField(literal: "work")
            pushList(student.selfAssessments) { push($0) }
            setField(literal: "self_assessments")
        }
    }

    func push(_ skill: Skill, packedSessions: ArraySlice<UInt8>? = nil) {
        pushRecord(fields: 5, extra: skill.extra) {
            set("id", skill.id)
            set("domain", skill.domain)
            set("prompt_level", skill.promptLevel)
            set("stage", skill.stage)
            if let packedSessions { push(packedSessions: packedSessions) } else { pushList(skill.sessions) { push($0) } }
            setField(literal: "sessions")
            set("badge", skill.badge?.rawValue)
        }
    }

    /// Pushes a table of the contract: `fields` set by `setFields`, then the fields beyond the
    /// contract, sealed.
    private func pushRecord(fields: Int, extra: [String: JSONValue], _ setFields: () -> Void) {
        newTable(fields: fields)
        setFields()
        set(extra: extra)
        seal()
    }

    func push(_ session: Session) {
        if sessionFieldCount == 0 { defineSessionFields() }
        // The values go on the stack in field order and C builds the table under the keys
        // defined from `SessionField`: one call a session instead of one lookup a field.
        var present: UInt32 = 0
        for field in SessionField.all {
            if let text = field.text(of: session) {
                push(text)
            } else if let integer = field.integer(of: session) {
                push(integer)
            } else {
                continue
            }
            present |= 1 << UInt32(field.rawValue)
        }
        pushSession(present: present, seal: session.extra.isEmpty)
        if !session.extra.isEmpty {
            set(extra: session.extra)
            seal()
        }
    }

    /// Pushes a skill's packed sessions (`PackedSessions`) as a list whose session tables are
    /// built when read.
    func push(packedSessions: ArraySlice<UInt8>) {
        if sessionFieldCount == 0 { defineSessionFields() }
        pushPackedSessions(packedSessions)
    }

    /// Defines `SessionField`'s fields, in order, for the C builders of session tables (a
    /// session pushed here, and packed sessions).
    func defineSessionFields() {
        for field in SessionField.all { defineSessionField(field.key, isInteger: field.isInteger) }
    }

    func push(_ item: WorkItem) {
        pushRecord(fields: 6, extra: item.extra) {
            set("id", item.id)
            set("skill", item.skill)
            set("status", item.status?.rawValue)
            set("score", item.score)
            set("due", item.due)
            set("modality", item.modality)
            if let checklist = item.checklist {
                pushRecord(fields: 2, extra: checklist.extra) {
                    set("done", checklist.done)
                    set("total", checklist.total)
                }
                setField(literal: "checklist")
            }
        }
    }

    func push(_ assessment: SelfAssessment) {
        pushRecord(fields: 3, extra: assessment.extra) {
            set("date", assessment.date)
            set("skill", assessment.skill)
            set("rating", assessment.rating?.rawValue)
        }
    }

    func push(_ item: CatalogItem) {
        pushRecord(fields: 5, extra: item.extra) {
            set("id", item.id)
            set("title", item.title)
            set("kind", item.kind)
            set("modality", item.modality)
            set("skills", item.skills)
            set("minutes", item.minutes)
        }
    }

    func push(_ info: ClassInfo) {
        pushRecord(fields: 3, extra: info.extra) {
            set("id", info.id)
            set("title", info.title)
            set("staff", info.staff)
        }
    }

    func push(_ ladders: Ladders) {
        let all = ladders.all
        newTable(fields: all.count)
        for (name, levels) in all {
            push(name)
            push(levels)
            setRawPair()
        }
        seal()
    }
}

extension LuaState {
    func push(_ value: JSONValue) {
        // Input is at most 32 levels deep (FieldReader.maximumExtraDepth); grow the stack anyway.
        guard ensureRoom(4) else {
            pushNil()
            return
        }
        switch value {
        case .null: pushNil()
        case .bool(let flag): push(flag)
        case .integer(let integer): push(integer: integer)
        case .number(let number): push(number)
        case .string(let string): push(string)
        case .array(let elements):
            newTable(list: elements.count)
            for (index, element) in elements.enumerated() {
                push(element)
                setElement(index + 1, of: -2)
            }
            seal()
        case .object(let members):
            newTable(fields: members.count)
            for (key, member) in members {
                setRaw(key, member)
            }
            seal()
        }
    }

    /// Copies fields beyond the contract onto the table at the top of the stack.
    func set(extra: [String: JSONValue]) {
        for (key, value) in extra {
            setRaw(key, value)
        }
    }

    /// Sets `table[key] = value` on the table at the top of the stack with the key's full bytes:
    /// a key from the input may hold a NUL, which a C string would cut short (and so overwrite
    /// a validated field such as `id`).
    func setRaw(_ key: String, _ value: JSONValue) {
        push(key)
        push(value)
        setRawPair()
    }
}

/// Generic helpers over TrellisLua's primitives, kept in this module so that the compiler
/// specializes them for each caller (a generic across the module boundary is not, and cost 10%).
extension LuaState {
    /// Pushes `elements` as a Lua sequence, each pushed by `pushElement`.
    func pushList<Element>(_ elements: [Element], _ pushElement: (Element) -> Void) {
        newTable(list: elements.count)
        for (index, element) in elements.enumerated() {
            pushElement(element)
            setElement(index + 1, of: -2)
        }
        seal()
    }

    /// Calls `body` for each entry of the table at `table` (an absolute slot), with the key at -2
    /// and the value at -1, without metamethods; `body` leaves the stack as it found it. When
    /// `body` throws, the entry's key and value are popped first.
    func forEachEntry<Failure: Error>(in table: LuaSlot, _ body: () throws(Failure) -> Void) throws(Failure) {
        pushNil()
        while nextEntry(of: table) {
            do {
                try body()
            } catch {
                pop(2)
                throw error
            }
            pop()
        }
    }
}
