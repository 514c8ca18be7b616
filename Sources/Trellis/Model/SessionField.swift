/// The contract's session fields: the one table of them, in the one order every form of a
/// session uses. The decoder reads a session's members by it, and the Lua table a rule reads,
/// packed sessions (bit `rawValue` of a record's flags), the student image of a streamed class
/// and the documents `DocumentJSON` writes are all made by walking it; CLuaShim names no field,
/// it builds session tables under the keys `LuaState.defineSessionFields` hands it from here.
/// A new session field is its property on `Session` and a case here with its arms below;
/// `SessionFieldTests` carries every field through decode, image, Lua and document.
enum SessionField: Int, CaseIterable, Sendable {
    case date, promptLevel, stage, trials, correct, independent, setting, staff

    /// `allCases`, made once: the synthesized `allCases` builds a new array on every use, and
    /// this is walked for every session.
    static let all = allCases

    /// Its name in JSON and in Lua.
    var key: String {
        switch self {
        case .date: "date"
        case .promptLevel: "prompt_level"
        case .stage: "stage"
        case .trials: "trials"
        case .correct: "correct"
        case .independent: "independent"
        case .setting: "setting"
        case .staff: "staff"
        }
    }

    /// What a field's value is, which says how the decoder reads and checks it.
    enum Value {
        /// `YYYY-MM-DD`, or an ISO 8601 date and time.
        case date
        /// A level on the header's ladder of that name.
        case level(Ladder)
        /// A whole number, zero or more.
        case count
        /// Any text.
        case text
    }

    /// The ladders of the class's header (`Ladders`).
    enum Ladder {
        case prompt, stage
    }

    var value: Value {
        switch self {
        case .date: .date
        case .promptLevel: .level(.prompt)
        case .stage: .level(.stage)
        case .trials, .correct, .independent: .count
        case .setting, .staff: .text
        }
    }

    /// A count of some of the session's trials: never more than `trials`.
    var isPartOfTrials: Bool {
        switch self {
        case .correct, .independent: true
        case .date, .promptLevel, .stage, .trials, .setting, .staff: false
        }
    }

    /// A whole number (the others are text).
    var isInteger: Bool {
        if case .count = value { true } else { false }
    }

    /// The value of a text field; nil for an integer field.
    func text(of session: Session) -> String? {
        switch self {
        case .date: session.date
        case .promptLevel: session.promptLevel
        case .stage: session.stage
        case .setting: session.setting
        case .staff: session.staff
        case .trials, .correct, .independent: nil
        }
    }

    /// The value of an integer field; nil for a text field.
    func integer(of session: Session) -> Int? {
        switch self {
        case .trials: session.trials
        case .correct: session.correct
        case .independent: session.independent
        case .date, .promptLevel, .stage, .setting, .staff: nil
        }
    }

    /// Sets a text field (an integer field is left alone).
    func set(_ text: String?, in session: inout Session) {
        switch self {
        case .date: session.date = text
        case .promptLevel: session.promptLevel = text
        case .stage: session.stage = text
        case .setting: session.setting = text
        case .staff: session.staff = text
        case .trials, .correct, .independent: break
        }
    }

    /// Sets an integer field (a text field is left alone).
    func set(_ integer: Int?, in session: inout Session) {
        switch self {
        case .trials: session.trials = integer
        case .correct: session.correct = integer
        case .independent: session.independent = integer
        case .date, .promptLevel, .stage, .setting, .staff: break
        }
    }
}

extension SessionField {
    /// The field a contract key names, when a session has it (the decoder matches a member's
    /// key once, as a `ContractKey`; `SessionFieldTests` checks that every field has one).
    init?(_ key: ContractKey) {
        switch key {
        case .date: self = .date
        case .promptLevel: self = .promptLevel
        case .stage: self = .stage
        case .trials: self = .trials
        case .correct: self = .correct
        case .independent: self = .independent
        case .setting: self = .setting
        case .staff: self = .staff
        default: return nil
        }
    }

    /// Its step of a field path.
    var pathComponent: PathComponent { .key(key) }
}
