/// The ordered levels of support a class uses, from most support to least.
///
/// A document may replace either ladder (a school may use four prompt levels) and may add
/// ladders of its own; rules see them all as `ctx.ladders`.
public struct Ladders: Sendable, Hashable {
    /// The prompt hierarchy, most support first.
    public var prompt: [String]
    /// The gradual-release stages, most support first.
    public var stage: [String]
    /// Further ladders a document names, for custom rules.
    public var other: [String: [String]]

    /// The contract's default prompt hierarchy.
    public static let defaultPrompt = ["full_physical", "partial_physical", "model", "gestural", "verbal", "independent"]
    /// The contract's default stages of gradual release.
    public static let defaultStage = ["modeled", "guided", "collaborative", "structured", "independent"]

    /// Creates ladders; either one left out is the contract's default.
    public init(prompt: [String] = Ladders.defaultPrompt, stage: [String] = Ladders.defaultStage, other: [String: [String]] = [:]) {
        self.prompt = prompt
        self.stage = stage
        self.other = other
    }

    /// Every ladder by the name rules use for it.
    public var all: [String: [String]] {
        var ladders = other
        ladders["prompt"] = prompt
        ladders["stage"] = stage
        return ladders
    }
}
