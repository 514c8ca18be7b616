import Foundation

/// A skill id made from a name (a Classroom topic), written as the contract's skill ids are:
/// lower case, accents dropped, words joined by hyphens. `Unit 3: Fractions & Decimals` is
/// `unit-3-fractions-decimals`; `Writer's Workshop` is `writers-workshop`.
enum SkillSlug {
    static func make(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX")).lowercased()
        var slug = String.UnicodeScalarView()
        var gap = false
        for scalar in folded.unicodeScalars {
            // An apostrophe joins its word (writer's), it does not end it.
            if scalar == "'" || scalar == "\u{2019}" { continue }
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                if gap, !slug.isEmpty { slug.append("-") }
                gap = false
                slug.append(scalar)
            } else {
                gap = true
            }
        }
        return String(slug)
    }
}
