/// The class-level part of a document: what every student of the run shares.
public struct ClassContext: Sendable, Hashable {
    /// The date the recommendations are for, `YYYY-MM-DD`.
    public var asOf: String
    /// The class, when the document names one.
    public var classInfo: ClassInfo?
    public var ladders: Ladders
    public var catalog: [CatalogItem]

    public init(asOf: String, classInfo: ClassInfo? = nil, ladders: Ladders = Ladders(), catalog: [CatalogItem] = []) {
        self.asOf = asOf
        self.classInfo = classInfo
        self.ladders = ladders
        self.catalog = catalog
    }
}

/// The class a document is about.
public struct ClassInfo: Sendable, Hashable {
    public var id: String?
    public var title: String?
    /// Staff ids: teachers and paraprofessionals.
    public var staff: [String]
    /// Fields beyond the contract, handed to rules unchanged.
    public var extra: [String: JSONValue]

    public init(id: String? = nil, title: String? = nil, staff: [String] = [], extra: [String: JSONValue] = [:]) {
        self.id = id
        self.title = title
        self.staff = staff
        self.extra = extra
    }
}

/// A whole class document: the class-level fields and the students.
public struct ClassDocument: Sendable, Hashable {
    public var context: ClassContext
    public var students: [Student]

    public init(context: ClassContext, students: [Student]) {
        self.context = context
        self.students = students
    }
}
