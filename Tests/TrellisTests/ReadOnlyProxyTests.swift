import Testing
@testable import Trellis

/// The read-only proxies behind every input table: recycled from one student to the next in
/// the student pass, light (one shared metatable) for the students of class-level rules. Either
/// way a rule must read exactly its own student's data, through `.`, `#`, `ipairs`, `pairs` and
/// `next`, and must never reach a writable table.
struct ReadOnlyProxyTests {
    /// Writes everything a rule can see of a value, walking it with `pairs` (keys sorted) and
    /// `ipairs`, as text.
    static let dump = """
        local function dump(value, depth)
          if type(value) ~= "table" then return tostring(value) end
          if depth > 8 then return "..." end
          local keys = {}
          for key in pairs(value) do keys[#keys + 1] = tostring(key) end
          table.sort(keys)
          local parts = {}
          for _, key in ipairs(keys) do
            local member = value[key]
            if member == nil then member = value[tonumber(key)] end
            parts[#parts + 1] = key .. "=" .. dump(member, depth + 1)
          end
          local listed = 0
          for _ in ipairs(value) do listed = listed + 1 end
          return "{" .. table.concat(parts, ",") .. " #" .. #value .. " i" .. listed .. "}"
        end
        """

    static let dumpRule = RuleSource(
        path: "rules/dump.lua",
        source: dump + """

            -- Long dumps as their length, a checksum and their start: a report must stay readable.
            local function digest(text)
              if #text <= 4000 then return text end
              local sum = 0
              for i = 1, #text, 7 do sum = (sum * 31 + text:byte(i)) % 2147483647 end
              return #text .. " bytes, checksum " .. sum .. ": " .. text:sub(1, 300)
            end
            return { id = "dump", evaluate = function(student)
              return { { kind = "dump", action = "report", reason = digest(dump(student, 0)) } }
            end }
            """)

    static func session(_ day: Int, trials: Int) -> Session {
        Session(
            date: "2026-10-\(10 + day % 20)", promptLevel: day % 2 == 0 ? "gestural" : "verbal", trials: trials, correct: trials / 2,
            setting: "room \(day)", extra: ["note": .string("n\(day)")])
    }

    /// Students of different shapes in a row: more tables than the one before, fewer, none.
    static let students: [Student] = [
        Student(
            id: "big", name: "Big", flags: ["a", "b"],
            skills: (0..<3).map { skill in Skill(id: "k\(skill)", promptLevel: "verbal", sessions: (0..<4).map { session(skill * 4 + $0, trials: 10) }) },
            work: [WorkItem(id: "w1", skill: "k0", status: .graded, score: 0.5)]),
        Student(id: "small", skills: [Skill(id: "only", sessions: [session(1, trials: 3)])]),
        Student(id: "empty"),
        Student(
            id: "middle", preferredModalities: ["visual"],
            skills: [Skill(id: "k9", stage: "guided", extra: ["goal": .object(["text": .string("g"), "steps": .array([.integer(1), .integer(2)])])])]),
        // More tables than the pool keeps, then a small student again.
        Student(id: "huge", skills: [Skill(id: "long", sessions: (0..<8300).map { session($0, trials: $0 % 7) })]),
        Student(id: "after", skills: [Skill(id: "k0", sessions: [session(5, trials: 8)])]),
    ]

    /// Dumping a student of 8,300 sessions takes far more than a rule's default budget.
    static let roomy = RuleLimits(instructions: 2_000_000_000, memoryBytes: 1 << 30, milliseconds: 120_000)

    @Test("each student in a run reads exactly what it reads when evaluated alone")
    func recycledProxiesShowEachStudentItsOwnData() throws {
        let context = ClassContext(asOf: "2026-11-20")
        let engine = try Engine(rulePack: RulePack(sources: [Self.dumpRule]), limits: Self.roomy)
        let report = engine.evaluate(ClassDocument(context: context, students: Self.students))
        let inRun = report.results.map { $0.recommendations.first?.reason }
        #expect(report.results.allSatisfy { $0.errors.isEmpty }, "\(report.results.flatMap(\.errors).map(\.message))")
        for (index, student) in Self.students.enumerated() {
            let alone = try Engine(rulePack: RulePack(sources: [Self.dumpRule]), limits: Self.roomy).evaluate(student, context: context)
            #expect(alone.errors == [])
            #expect(inRun[index] == alone.recommendations.first?.reason, "\(student.id)")
        }
        // The dump shows real data, not empty proxies.
        let small = try #require(inRun[1])
        #expect(small.contains("id=small"))
        #expect(small.contains("trials=3"))
        #expect(small.contains("setting=room 1"))
        #expect(try #require(inRun[2]).contains("skills={ #0 i0}"))
    }

    @Test("next over an input table gives its fields, never a hidden key or a writable table")
    func nextSeesFields() throws {
        let rule = RuleSource(
            path: "rules/next.lua",
            source: """
                local function keys(t)
                  local out, key = {}, nil
                  repeat
                    key = next(t, key)
                    if key ~= nil then out[#out + 1] = type(key) .. ":" .. tostring(key) end
                  until key == nil
                  table.sort(out)
                  return table.concat(out, " ")
                end
                local function writable(t)
                  for _, value in next, t do
                    if type(value) == "table" and pcall(function() value.x = 1 end) then return "writable" end
                  end
                  return "sealed"
                end
                return {
                  id = "next",
                  evaluate = function(student)
                    return { { kind = "k", action = "student", reason = keys(student) .. " / " .. keys(student.skills[1]) .. " / " .. writable(student) } }
                  end,
                  evaluate_class = function(class)
                    local first = class.students[1]
                    return { { kind = "k", action = "class", reason = keys(first) .. " / " .. keys(first.skills[1]) .. " / " .. writable(first)
                      .. " / " .. tostring(next({})) } }
                  end,
                }
                """)
        let student = Student(id: "s", name: "N", skills: [Skill(id: "k", stage: "guided")])
        let report = try Engine(rulePack: RulePack(sources: [rule])).evaluate(ClassDocument(context: ClassContext(asOf: "2026-11-20"), students: [student]))
        let expected = "string:flags string:id string:name string:preferences string:self_assessments string:skills string:work / string:id string:sessions string:stage / sealed"
        #expect(report.results.first?.errors == [])
        #expect(report.results.first?.recommendations.first?.reason == expected)
        let classResult = try #require(report.classResult)
        #expect(classResult.errors == [])
        #expect(classResult.recommendations.first?.reason == expected + " / nil")
    }

    @Test("a class-level rule can hand back a student's table as evidence")
    func classStudentTablesAreJSON() throws {
        let rule = RuleSource(
            path: "rules/evidence.lua",
            source: """
                return { id = "evidence", evaluate = function() return {} end, evaluate_class = function(class)
                  local skill = class.students[1].skills[1]
                  return { { kind = "k", action = "a", reason = "r", evidence = skill } }
                end }
                """)
        let student = Student(id: "s", skills: [Skill(id: "k", stage: "guided", sessions: [Session(date: "2026-11-01", trials: 4, correct: 3)])])
        let report = try Engine(rulePack: RulePack(sources: [rule])).evaluate(ClassDocument(context: ClassContext(asOf: "2026-11-20"), students: [student]))
        let classResult = try #require(report.classResult)
        #expect(classResult.errors == [])
        let evidence = try #require(classResult.recommendations.first?.evidence)
        #expect(evidence == .object(["id": .string("k"), "stage": .string("guided"), "sessions": .array([.object(["date": .string("2026-11-01"), "trials": .integer(4), "correct": .integer(3)])])]))
    }
}
