import TrellisLua

/// The contract's input as Lua tables, shaped as the rule API documents them: JSON field
/// names, lists always present (empty when the input has none), absent values nil. In a
/// sandboxed state every table is a read-only proxy, sealed bottom-up.
extension LuaState {
    /// Pushes one student's table. Built once per student and handed to every rule.
    /// - Parameter packedSessions: by skill index, the skill's sessions packed (`PackedSessions`),
    ///   pushed as a list built when read (the students of a streamed class's class-level rules).
    func push(_ student: Student, packedSessions: [ArraySlice<UInt8>?] = []) {
        newTable(fields: 8)
        set("id", student.id)
        set("name", student.name)
        set("flags", student.flags)
        newTable(fields: 1)
        set("modalities", student.preferredModalities)
        set(extra: student.preferenceExtra)
        seal()
        setField("preferences")
        var skillIndex = 0
        pushList(student.skills) { skill in
            push(skill, packedSessions: skillIndex < packedSessions.count ? packedSessions[skillIndex] : nil)
            skillIndex += 1
        }
        setField("skills")
        pushList(student.work) { push($0) }
        setField("work")
        pushList(student.selfAssessments) { push($0) }
        setField("self_assessments")
        set(extra: student.extra)
        seal()
    }

    func push(_ skill: Skill, packedSessions: ArraySlice<UInt8>? = nil) {
        newTable(fields: 5)
        set("id", skill.id)
        set("domain", skill.domain)
        set("prompt_level", skill.promptLevel)
        set("stage", skill.stage)
        if let packedSessions { pushPackedSessions(packedSessions) } else { pushList(skill.sessions) { push($0) } }
        setField("sessions")
        set("badge", skill.badge?.rawValue)
        set(extra: skill.extra)
        seal()
    }

    func push(_ session: Session) {
        newTable(fields: 8)
        for field in SessionField.allCases {
            if field.isInteger { set(field.key, field.integer(of: session)) } else { set(field.key, field.text(of: session)) }
        }
        set(extra: session.extra)
        seal()
    }

    func push(_ item: WorkItem) {
        newTable(fields: 6)
        set("id", item.id)
        set("skill", item.skill)
        set("status", item.status?.rawValue)
        set("score", item.score)
        set("due", item.due)
        set("modality", item.modality)
        if let checklist = item.checklist {
            newTable(fields: 2)
            set("done", checklist.done)
            set("total", checklist.total)
            set(extra: checklist.extra)
            seal()
            setField("checklist")
        }
        set(extra: item.extra)
        seal()
    }

    func push(_ assessment: SelfAssessment) {
        newTable(fields: 3)
        set("date", assessment.date)
        set("skill", assessment.skill)
        set("rating", assessment.rating?.rawValue)
        set(extra: assessment.extra)
        seal()
    }

    func push(_ item: CatalogItem) {
        newTable(fields: 5)
        set("id", item.id)
        set("title", item.title)
        set("kind", item.kind)
        set("modality", item.modality)
        set("skills", item.skills)
        set("minutes", item.minutes)
        set(extra: item.extra)
        seal()
    }

    func push(_ info: ClassInfo) {
        newTable(fields: 3)
        set("id", info.id)
        set("title", info.title)
        set("staff", info.staff)
        set(extra: info.extra)
        seal()
    }

    func push(_ ladders: Ladders) {
        let all = ladders.all
        newTable(fields: all.count)
        for (name, levels) in all { set(name, levels) }
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
