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

    /// Calls every helper on input tables (and on lists and sessions of them), taints every
    /// writable table the helpers hand back or pass to a predicate, then reads the input through
    /// its proxies: a helper that handed out the real table behind one would show the taint.
    static let helperProbe = """
        local taints = 0
        local function taint(value, seen)
          if type(value) ~= "table" or seen[value] then return end
          seen[value] = true
          if pcall(function() value.__taint = true end) then taints = taints + 1 end
          for _, member in pairs(value) do taint(member, seen) end
        end
        local function tainted(value, seen)
          if type(value) ~= "table" or seen[value] then return false end
          seen[value] = true
          if value.__taint ~= nil then return true end
          for _, member in pairs(value) do
            if tainted(member, seen) then return true end
          end
          return false
        end
        local function predicate(session)
          taint(session, {})
          return true
        end
        local function call_every_helper(argument_lists)
          local seen = {}
          local function walk(library)
            for _, member in pairs(library) do
              if type(member) == "function" then
                for _, arguments in ipairs(argument_lists) do
                  local results = table.pack(pcall(member, table.unpack(arguments, 1, arguments.n)))
                  for i = 2, results.n do taint(results[i], seen) end
                end
              elseif type(member) == "table" then
                walk(member)
              end
            end
          end
          walk(trellis)
        end
        local function arguments_for(student, ctx)
          local skill = student.skills[1] or {}
          local sessions, ladder = skill.sessions or {}, ctx.ladders.prompt
          return {
            table.pack(student, "k0"), table.pack(student, "a"), table.pack(student, 2), table.pack(student, "k0", ctx.catalog),
            table.pack(skill, "prompt_level"), table.pack(skill, "prompt_level", "verbal"),
            table.pack(skill, "prompt_level", "verbal", 2), table.pack(skill, ctx.ladders),
            table.pack(skill, "prompt_level", ladder), table.pack(sessions), table.pack(sessions, 2),
            table.pack(sessions, 2, predicate), table.pack(sessions, 1), table.pack(sessions[1]),
            table.pack(sessions[1], 50, 1), table.pack(ladder, "verbal"), table.pack(ladder, "gestural"),
            table.pack(ladder), table.pack(student.flags), table.pack(ctx.catalog, "k0"),
          }
        end
        local function verdict(inputs)
          for _, input in ipairs(inputs) do
            if tainted(input, {}) then return "a helper handed out a writable input table" end
          end
          return taints > 0 and "sealed" or "the probe tainted nothing"
        end
        return {
          id = "helper-probe",
          evaluate = function(student, ctx)
            call_every_helper(arguments_for(student, ctx))
            -- A result with a skill, for class.results to find.
            local skill = (student.skills[1] or {}).id
            return { { skill = skill, kind = "k", action = "student", reason = verdict({ student, ctx }) } }
          end,
          evaluate_class = function(class, ctx)
            local first = class.students[1]
            local argument_lists = arguments_for(first, ctx)
            argument_lists[#argument_lists + 1] = table.pack(class, first.id, "k0")
            argument_lists[#argument_lists + 1] = table.pack(class, first.id, "k0", "student")
            argument_lists[#argument_lists + 1] = table.pack(class.students)
            call_every_helper(argument_lists)
            return { { kind = "k", action = "class", reason = verdict({ class, ctx }) } }
          end,
        }
        """

    @Test("no helper hands a rule a writable input table, from a student's proxies or a class's")
    func helpersHandOutNoWritableInput() throws {
        let rule = RuleSource(path: "rules/helper-probe.lua", source: Self.helperProbe)
        var document = ClassDocument(context: ClassContext(asOf: "2026-11-20"), students: Self.students)
        document.context.catalog = [CatalogItem(id: "c", title: "C", modality: "video", skills: ["k0"])]
        let report = try Engine(rulePack: RulePack(sources: [rule]), limits: Self.roomy).evaluate(document)
        for result in report.results {
            #expect(result.errors == [])
            #expect(result.recommendations.first?.reason == "sealed", "\(result.student)")
        }
        let classResult = try #require(report.classResult)
        #expect(classResult.errors == [])
        #expect(classResult.recommendations.first?.reason == "sealed")
    }

    @Test("the helpers' way through a proxy is out of every rule's reach")
    func inputTableIsHidden() throws {
        let rule = RuleSource(
            path: "rules/reach.lua",
            source: """
                local function find(library, seen)
                  if type(library) ~= "table" or seen[library] then return nil end
                  seen[library] = true
                  for key, member in pairs(library) do
                    if key == "input_table" then return "found" end
                    local inner = find(member, seen)
                    if inner then return inner end
                  end
                  return nil
                end
                return { id = "reach", evaluate = function(student)
                  local reached = input_table ~= nil or rawget(_ENV, "input_table") ~= nil or find(trellis, {}) ~= nil
                    or find(_ENV, {}) ~= nil or getmetatable(_ENV) ~= false
                  return { { kind = "k", action = "a", reason = reached and "reached" or "hidden" } }
                end }
                """)
        let report = try Engine(rulePack: RulePack(sources: [rule])).evaluate(ClassDocument(context: ClassContext(asOf: "2026-11-20"), students: [Student(id: "s")]))
        #expect(report.results.first?.errors == [])
        #expect(report.results.first?.recommendations.first?.reason == "hidden")
    }

    @Test("a class student's nested tables are sealed when first read, by `.`, ipairs, pairs or next")
    func classStudentTablesAreSealedOnRead() throws {
        let rule = RuleSource(
            path: "rules/seal.lua",
            source: """
                return { id = "seal", evaluate = function() return {} end, evaluate_class = function(class)
                  local student = class.students[1]
                  local reached = { student, student.skills, student.preferences }
                  for _, skill in ipairs(student.skills) do reached[#reached + 1] = skill end
                  for _, value in pairs(student.skills[1]) do
                    if type(value) == "table" then reached[#reached + 1] = value end
                  end
                  local _, session = next(student.skills[1].sessions)
                  reached[#reached + 1] = session
                  for key, goal in pairs(student.skills[2]) do
                    if key == "goal" then reached[#reached + 1] = goal; reached[#reached + 1] = goal.steps end
                  end
                  local out = {}
                  for _, t in ipairs(reached) do
                    local ok, message = pcall(function() t.x = 1 end)
                    out[#out + 1] = ok and "writable" or (tostring(message):find("cannot set field 'x'", 1, true) and "sealed" or tostring(message))
                  end
                  out[#out + 1] = rawequal(student.skills, student.skills) and rawequal(class.students[1], student) and "same" or "different"
                  out[#out + 1] = tostring(#student.skills[1].sessions) .. " " .. tostring(student.skills[1].sessions[2].trials)
                  return { { kind = "k", action = "a", reason = table.concat(out, " ") } }
                end }
                """)
        let student = Student(
            id: "s", preferredModalities: ["video"],
            skills: [
                Skill(id: "k0", promptLevel: "verbal", sessions: [Self.session(1, trials: 4), Self.session(2, trials: 6)]),
                Skill(id: "k1", extra: ["goal": .object(["text": .string("g"), "steps": .array([.integer(1)])])]),
            ])
        let report = try Engine(rulePack: RulePack(sources: [rule])).evaluate(ClassDocument(context: ClassContext(asOf: "2026-11-20"), students: [student]))
        let classResult = try #require(report.classResult)
        #expect(classResult.errors == [])
        let verdicts = try #require(classResult.recommendations.first?.reason).split(separator: " ")
        #expect(verdicts.count == 12)
        #expect(verdicts.prefix(9).allSatisfy { $0 == "sealed" }, "\(verdicts)")
        #expect(verdicts.suffix(3) == ["same", "2", "6"])
    }
}
