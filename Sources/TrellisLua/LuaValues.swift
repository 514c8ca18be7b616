import CLuaShim

/// A value kept in a state's registry: what `LuaState.reference()` returns and
/// `LuaState.push(_:)` pushes back. Only meaningful for the state that made it.
package struct LuaReference: Hashable, Sendable {
    let raw: Int32

    /// No value: what a reference holds before it is set (pushing it pushes nil).
    package static let none = LuaReference(raw: LUA_NOREF)
}

/// A position on a state's stack: positive counts from the bottom, negative from the top
/// (`-1` is the top value). Integer literals are slots, so `string(at: -1)` reads the top.
package struct LuaSlot: Hashable, Sendable, ExpressibleByIntegerLiteral {
    package let index: Int32

    package init(_ index: Int32) { self.index = index }
    package init(integerLiteral index: Int32) { self.index = index }

    /// The value at the top of the stack.
    package static let top: LuaSlot = -1
    /// The value just below the top.
    package static let belowTop: LuaSlot = -2
}

/// The type of a Lua value, as `lua_type` tells it.
package enum LuaType: Sendable {
    case none, `nil`, boolean, lightUserdata, number, string, table, function, userdata, thread

    @inlinable
    init(_ raw: Int32) {
        switch raw {
        case LUA_TNIL: self = .nil
        case LUA_TBOOLEAN: self = .boolean
        case LUA_TLIGHTUSERDATA: self = .lightUserdata
        case LUA_TNUMBER: self = .number
        case LUA_TSTRING: self = .string
        case LUA_TTABLE: self = .table
        case LUA_TFUNCTION: self = .function
        case LUA_TUSERDATA: self = .userdata
        case LUA_TTHREAD: self = .thread
        default: self = .none
        }
    }
}

/// What one rule may spend on one call (and on loading). Zero means no limit.
package struct LuaLimits: Sendable, Hashable {
    package var instructions: Int64
    package var memoryBytes: Int
    package var milliseconds: Int

    package init(instructions: Int64, memoryBytes: Int, milliseconds: Int) {
        self.instructions = instructions
        self.memoryBytes = memoryBytes
        self.milliseconds = milliseconds
    }

    /// No limits at all.
    package static let none = LuaLimits(instructions: 0, memoryBytes: 0, milliseconds: 0)
}

/// Why a call into Lua failed.
package struct LuaFailure: Error {
    package enum Kind: Sendable {
        /// The code raised an error (or `error()` was called).
        case runtime
        /// The code asked for more memory than its cap.
        case memoryLimit
        /// The code ran past its instruction budget.
        case instructionLimit
        /// The code ran past its wall-clock deadline.
        case timeLimit
        /// The chunk does not compile.
        case syntax
    }

    package var kind: Kind
    package var message: String
    /// `file:line` where it happened, when known.
    package var location: String?
    package var traceback: String?

    package init(kind: Kind, message: String, location: String? = nil, traceback: String? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
        self.traceback = traceback
    }
}

extension LuaFailure {
    /// Longer messages are cut: an error is for reading, and a rule must not fill a report.
    package static let maximumMessageLength = 2000

    /// Splits Lua's `chunk:line: message` into the location and the message.
    package static func fromMessage(_ fullText: String, kind: Kind) -> LuaFailure {
        var text = fullText
        if text.utf8.count > maximumMessageLength {
            let kept = String(decoding: text.utf8.prefix(maximumMessageLength), as: UTF8.self)
            text = kept + "... (\(fullText.utf8.count - kept.utf8.count) more bytes)"
        }
        // Lua prefixes errors with "source:line: "; sources here are file paths.
        if let colon = text.firstRange(of: ": "), let lineColon = text[..<colon.lowerBound].lastIndex(of: ":") {
            let line = text[text.index(after: lineColon)..<colon.lowerBound]
            if !line.isEmpty, line.allSatisfy(\.isNumber) {
                return LuaFailure(kind: kind, message: String(text[colon.upperBound...]), location: String(text[..<colon.lowerBound]))
            }
        }
        return LuaFailure(kind: kind, message: text, location: nil)
    }
}
