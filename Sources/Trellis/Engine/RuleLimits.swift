import TrellisLua

/// What one rule may spend on one student (and on loading). Zero means no limit.
public struct RuleLimits: Sendable, Hashable {
    /// Lua VM instructions, counted by a hook that `pcall` and coroutines cannot escape.
    public var instructions: Int64
    /// Bytes of Lua memory the state may hold while rule code runs.
    public var memoryBytes: Int
    /// Wall-clock milliseconds.
    public var milliseconds: Int

    /// The defaults: 10 million instructions, 64 MB, one second.
    public init(instructions: Int64 = 10_000_000, memoryBytes: Int = 64 << 20, milliseconds: Int = 1000) {
        self.instructions = instructions
        self.memoryBytes = memoryBytes
        self.milliseconds = milliseconds
    }

    /// No limits at all.
    public static let none = RuleLimits(instructions: 0, memoryBytes: 0, milliseconds: 0)

    /// The same limits, for a Lua state.
    var lua: LuaLimits { LuaLimits(instructions: instructions, memoryBytes: memoryBytes, milliseconds: milliseconds) }
}
