import CLuaShim

/// The contract's input as Lua tables, shaped as the rule API documents them: JSON field
/// names, lists always present (empty when the input has none), absent values nil. In a
/// sandboxed state every table is a read-only proxy, sealed bottom-up.
extension LuaState {
    /// Pushes one student's table. Built once per student and handed to every rule.
    /// - Parameter packedSessions: by skill index, the skill's sessions packed (`PackedSessions`),
    ///   pushed as a list built when read (the students of a streamed class's class-level rules).
    func push(_ student: Student, packedSessions: [ArraySlice<UInt8>?] = []) {
        lua_createtable(state, 0, 8)
        set("id", student.id)
        set("name", student.name)
        set("flags", student.flags)
        lua_createtable(state, 0, 1)
        set("modalities", student.preferredModalities)
        set(extra: student.preferenceExtra)
        seal()
        lua_setfield(state, -2, "preferences")
        var skillIndex = 0
        pushList(student.skills) { skill in
            push(skill, packedSessions: skillIndex < packedSessions.count ? packedSessions[skillIndex] : nil)
            skillIndex += 1
        }
        lua_setfield(state, -2, "skills")
        pushList(student.work) { push($0) }
        lua_setfield(state, -2, "work")
        pushList(student.selfAssessments) { push($0) }
        lua_setfield(state, -2, "self_assessments")
        set(extra: student.extra)
        seal()
    }

    func push(_ skill: Skill, packedSessions: ArraySlice<UInt8>? = nil) {
        lua_createtable(state, 0, 5)
        set("id", skill.id)
        set("domain", skill.domain)
        set("prompt_level", skill.promptLevel)
        set("stage", skill.stage)
        if let packedSessions { pushPackedSessions(packedSessions) } else { pushList(skill.sessions) { push($0) } }
        lua_setfield(state, -2, "sessions")
        set("badge", skill.badge?.rawValue)
        set(extra: skill.extra)
        seal()
    }

    func push(_ session: Session) {
        lua_createtable(state, 0, 8)
        set("date", session.date)
        set("prompt_level", session.promptLevel)
        set("stage", session.stage)
        set("trials", session.trials)
        set("correct", session.correct)
        set("independent", session.independent)
        set("setting", session.setting)
        set("staff", session.staff)
        set(extra: session.extra)
        seal()
    }

    func push(_ item: WorkItem) {
        lua_createtable(state, 0, 6)
        set("id", item.id)
        set("skill", item.skill)
        set("status", item.status?.rawValue)
        set("score", item.score)
        set("due", item.due)
        set("modality", item.modality)
        if let checklist = item.checklist {
            lua_createtable(state, 0, 2)
            set("done", checklist.done)
            set("total", checklist.total)
            set(extra: checklist.extra)
            seal()
            lua_setfield(state, -2, "checklist")
        }
        set(extra: item.extra)
        seal()
    }

    func push(_ assessment: SelfAssessment) {
        lua_createtable(state, 0, 3)
        set("date", assessment.date)
        set("skill", assessment.skill)
        set("rating", assessment.rating?.rawValue)
        set(extra: assessment.extra)
        seal()
    }

    func push(_ item: CatalogItem) {
        lua_createtable(state, 0, 5)
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
        lua_createtable(state, 0, 3)
        set("id", info.id)
        set("title", info.title)
        set("staff", info.staff)
        set(extra: info.extra)
        seal()
    }

    func push(_ ladders: Ladders) {
        let all = ladders.all
        lua_createtable(state, 0, Int32(clamping: all.count))
        for (name, levels) in all { set(name, levels) }
        seal()
    }

    /// Pushes `elements` as a Lua sequence, each pushed by `pushElement`.
    func pushList<Element>(_ elements: [Element], _ pushElement: (Element) -> Void) {
        lua_createtable(state, Int32(clamping: elements.count), 0)
        for (index, element) in elements.enumerated() {
            pushElement(element)
            lua_rawseti(state, -2, lua_Integer(index + 1))
        }
        seal()
    }
}
