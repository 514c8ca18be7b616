import Foundation

/// Ladders a sheet's levels are recognised on without a map: the contract's defaults and the
/// ladders schools commonly keep, each level with the names and abbreviations data sheets use
/// for it (`FP`, `Full Physical`, `full-physical`).
struct KnownLadder {
    var levels: [String]
    /// Normalised spelling → level.
    var spellings: [String: String]

    init(_ levels: [(String, [String])]) {
        self.levels = levels.map(\.0)
        var spellings: [String: String] = [:]
        for (level, others) in levels {
            spellings[SheetField.normalise(level)] = level
            for other in others { spellings[SheetField.normalise(other)] = level }
        }
        self.spellings = spellings
    }

    /// A ladder given by its levels only (a map's or a header's).
    init(levels: [String]) {
        self.init(levels.map { ($0, []) })
    }

    func level(_ text: String) -> String? { spellings[SheetField.normalise(text)] }

    static let prompt: [KnownLadder] = [
        KnownLadder([
            ("full_physical", ["FP", "FPP", "full physical", "physical", "full"]),
            ("partial_physical", ["PP", "PPP", "partial physical", "partial"]),
            ("model", ["M", "MOD", "modeling", "modelling", "modeled"]),
            ("gestural", ["G", "GES", "gesture", "gest"]),
            ("verbal", ["V", "VER", "VP", "verbal prompt"]),
            ("independent", ["I", "IND", "indep", "independently"]),
        ]),
        KnownLadder([
            ("hand_over_hand", ["HOH", "hand over hand", "hand-over-hand"]),
            ("model", ["M", "MOD", "modeling", "modelling"]),
            ("verbal", ["V", "VP", "verbal prompt"]),
            ("independent", ["I", "IND", "indep", "independently"]),
        ]),
    ]

    static let stage: [KnownLadder] = [
        KnownLadder([
            ("modeled", ["modelled", "modeling", "modelling", "model"]),
            ("guided", ["guide", "guided practice"]),
            ("collaborative", ["collab", "collaborative practice", "you do together"]),
            ("structured", ["structured practice"]),
            ("independent", ["I", "IND", "indep", "independent practice"]),
        ]),
        KnownLadder([("i_do", ["I do", "I-do"]), ("we_do", ["we do", "we-do"]), ("you_do", ["you do", "you-do"])]),
    ]

    /// The ladder for the levels a sheet holds: `given` (a map's, else the header's) when every
    /// level is on it; else the first known ladder they all fit; else `given`, on which the
    /// levels that are not become faults.
    static func choose(given: [String], explicit: Bool, known: [KnownLadder], for texts: Set<String>) -> KnownLadder {
        let givenLadder = known.first { $0.levels == given } ?? KnownLadder(levels: given)
        if explicit || texts.isEmpty { return givenLadder }
        if texts.allSatisfy({ givenLadder.level($0) != nil }) { return givenLadder }
        return known.first { ladder in texts.allSatisfy { ladder.level($0) != nil } } ?? givenLadder
    }
}
