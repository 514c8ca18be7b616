/// The one rule by which every spreadsheet import finds a field's column in a header row: the
/// column a map names for the field first, then the field's synonyms in order (the first synonym
/// present wins). Names compare normalised (`SheetField.normalise`), and a column holds one field:
/// a synonym never takes a column already taken or one the map names for another field.
enum HeaderColumns {
    /// Each field's column, by index, and the header normalised.
    static func find<Field: Hashable>(
        in header: [String], fields: [Field], named names: [Field: String], synonyms: (Field) -> [String]
    ) -> (byField: [Field: Int], normalised: [String]) {
        let normalised = header.map(SheetField.normalise)
        var byField: [Field: Int] = [:]
        var taken: Set<Int> = []
        for field in fields {
            if let name = names[field], let index = normalised.firstIndex(of: SheetField.normalise(name)) {
                byField[field] = index
                taken.insert(index)
            }
        }
        let named = Set(names.values)
        for field in fields where byField[field] == nil {
            for synonym in synonyms(field) {
                if let index = normalised.indices.first(where: { normalised[$0] == synonym && !taken.contains($0) && !named.contains(header[$0]) }) {
                    byField[field] = index
                    taken.insert(index)
                    break
                }
            }
        }
        return (byField, normalised)
    }
}
