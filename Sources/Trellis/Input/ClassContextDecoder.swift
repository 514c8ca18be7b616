/// Reads the class-level fields of a document: `trellis`, `as_of`, `class`, `ladders`, `catalog`.
struct ClassContextDecoder {
    /// The contract versions this engine reads.
    static let supportedVersions: ClosedRange<Int64> = 1...1

    /// The top-level keys that make an object a class document rather than a student.
    static let documentKeys: Set<String> = ["trellis", "as_of", "class", "ladders", "catalog", "students"]

    /// Decodes the fields whose values start at the given offsets. Issues land in `reader`.
    func decode(valueOffsets: [String: Int], reader: inout FieldReader, defaultAsOf: String, defaultLadders: Ladders) throws(JSONSyntaxError) -> ClassContext {
        var context = ClassContext(asOf: defaultAsOf, ladders: defaultLadders)
        func at(_ key: String, _ body: (inout FieldReader) throws(JSONSyntaxError) -> Void) throws(JSONSyntaxError) {
            guard let offset = valueOffsets[key] else { return }
            reader.scanner.offset = offset
            reader.path = [.key(key)]
            try body(&reader)
            reader.path = []
        }
        try at("trellis") { (reader: inout FieldReader) throws(JSONSyntaxError) in
            reader.scanner.skipWhitespace()
            let start = reader.scanner.offset
            guard try reader.scanner.peekKind() == .number, case .integer(let version) = try reader.scanner.readNumber() else {
                reader.scanner.offset = start
                try reader.mismatch(expected: "the contract version 1")
                return
            }
            if !Self.supportedVersions.contains(version) {
                reader.fail("version \(version) of the contract is not supported (this Trellis reads version 1)", at: start)
            }
        }
        try at("as_of") { (reader: inout FieldReader) throws(JSONSyntaxError) in
            if let date = try reader.date() { context.asOf = date }
        }
        try at("class") { (reader: inout FieldReader) throws(JSONSyntaxError) in
            if try reader.takeNull() { return }
            var info = ClassInfo()
            try reader.object { (reader: inout FieldReader, key: String) throws(JSONSyntaxError) in
                switch key {
                case "id": info.id = try reader.string()
                case "title": info.title = try reader.string()
                case "staff": info.staff = try reader.strings()
                default: info.extra[key] = try reader.extra()
                }
            }
            context.classInfo = info
        }
        try at("ladders") { (reader: inout FieldReader) throws(JSONSyntaxError) in
            if try reader.takeNull() { return }
            try reader.object { (reader: inout FieldReader, key: String) throws(JSONSyntaxError) in
                guard let ladder = try decodeLadder(&reader) else { return }
                switch key {
                case "prompt": context.ladders.prompt = ladder
                case "stage": context.ladders.stage = ladder
                default: context.ladders.other[key] = ladder
                }
            }
        }
        try at("catalog") { (reader: inout FieldReader) throws(JSONSyntaxError) in
            var seen: [String: Int] = [:]
            var index = 0
            try reader.array { (reader: inout FieldReader) throws(JSONSyntaxError) in
                defer { index += 1 }
                reader.scanner.skipWhitespace()
                let start = reader.scanner.offset
                guard let item = try decodeCatalogItem(&reader) else { return }
                if let first = seen[item.id] {
                    reader.fail("duplicate catalog id \(JSONValue.string(item.id).briefDescription), first at catalog[\(first)]", at: start)
                    return
                }
                seen[item.id] = index
                context.catalog.append(item)
            }
        }
        return context
    }

    private func decodeLadder(_ reader: inout FieldReader) throws(JSONSyntaxError) -> [String]? {
        reader.scanner.skipWhitespace()
        let start = reader.scanner.offset
        let issuesBefore = reader.issues.count
        var levels: [String] = []
        try reader.array { (reader: inout FieldReader) throws(JSONSyntaxError) in
            reader.scanner.skipWhitespace()
            let levelStart = reader.scanner.offset
            if let level = try reader.requiredString() {
                if levels.contains(level) {
                    reader.fail("level \(JSONValue.string(level).briefDescription) appears twice", at: levelStart)
                }
                levels.append(level)
            }
        }
        guard reader.issues.count == issuesBefore else { return nil }
        guard levels.count >= 2 else {
            reader.fail("a ladder needs at least 2 levels, got \(levels.count)", at: start)
            return nil
        }
        return levels
    }

    private func decodeCatalogItem(_ reader: inout FieldReader) throws(JSONSyntaxError) -> CatalogItem? {
        reader.scanner.skipWhitespace()
        let start = reader.scanner.offset
        let issuesBefore = reader.issues.count
        var item = CatalogItem(id: "")
        var id: String?
        var hasID = false
        let isObject = try reader.object { (reader: inout FieldReader, key: String) throws(JSONSyntaxError) in
            switch key {
            case "id":
                hasID = true
                id = try reader.requiredString()
            case "title": item.title = try reader.string()
            case "kind": item.kind = try reader.string()
            case "modality": item.modality = try reader.string()
            case "skills": item.skills = try reader.strings()
            case "minutes":
                reader.scanner.skipWhitespace()
                let start = reader.scanner.offset
                item.minutes = try reader.number()
                if let minutes = item.minutes, !(minutes > 0) {
                    reader.fail("expected a number of minutes above 0, got \(JSONText.number(minutes))", at: start)
                }
            default: item.extra[key] = try reader.extra()
            }
        }
        guard isObject else { return nil }
        if !hasID { reader.fail("required field 'id' is missing", at: start) }
        guard let id, reader.issues.count == issuesBefore else { return nil }
        item.id = id
        return item
    }
}
