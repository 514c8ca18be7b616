extension JSONValue {
    /// Parses JSON text; nil when it is not exactly one JSON value.
    public init?(parsing text: String) {
        var bytes = Array(text.utf8)
        let value: JSONValue? = bytes.withUnsafeMutableBufferPointer { buffer in
            var scanner = JSONScanner(UnsafeBufferPointer(buffer))
            guard let value = try? scanner.readValue(), (try? scanner.expectEnd()) != nil else { return nil }
            return value
        }
        guard let value else { return nil }
        self = value
    }
}
