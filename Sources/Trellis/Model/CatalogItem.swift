/// An activity a choice menu can offer, from the document's `catalog`.
public struct CatalogItem: Sendable, Hashable {
    public var id: String
    public var title: String?
    /// What the student does: `show`, `practice`, `explain`... (free text); `mini_lesson` is a
    /// short recorded lesson, with its `minutes`.
    public var kind: String?
    /// How the student does it: `video`, `drawing`, `worksheet`... (free text).
    public var modality: String?
    /// The skills the item practises.
    public var skills: [String]
    /// How long it takes, in minutes: the length of a `mini_lesson` (contract section 5).
    public var minutes: Double?
    /// Fields beyond the contract, handed to rules unchanged.
    public var extra: [String: JSONValue]

    public init(
        id: String, title: String? = nil, kind: String? = nil, modality: String? = nil, skills: [String] = [], minutes: Double? = nil,
        extra: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.title = title
        self.kind = kind
        self.modality = modality
        self.skills = skills
        self.minutes = minutes
        self.extra = extra
    }
}
