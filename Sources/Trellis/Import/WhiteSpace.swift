extension String {
    /// The text without white space (Unicode's White_Space: spaces, tabs, line breaks, no-break
    /// spaces) at either end. Foundation's `trimmingCharacters(in:)` does the same through
    /// NSString, and was a third of a large sheet import's time; most cells have nothing to trim.
    var trimmingWhiteSpace: String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return self }
        if !first.properties.isWhitespace, !last.properties.isWhitespace { return self }
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[start...end])
    }
}
