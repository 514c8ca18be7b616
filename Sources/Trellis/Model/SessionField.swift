/// The contract's session fields, in the one order every compact form of a session uses: the
/// Lua table a rule reads, packed sessions (bit `rawValue` of a record's flags), the student
/// image of a streamed class, and the documents `DocumentJSON` writes. CLuaShim's packed-session
/// decoder names the same fields in the same order (`LuaState.packedSessionFields`);
/// `SessionFieldTests` checks that the two agree. A new session field is a case here, its
/// property on `Session`, and its row in the C table.
enum SessionField: Int, CaseIterable, Sendable {
    case date, promptLevel, stage, trials, correct, independent, setting, staff

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

    /// A whole number (the others are text).
    var isInteger: Bool {
        switch self {
        case .trials, .correct, .independent: true
        case .date, .promptLevel, .stage, .setting, .staff: false
        }
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
