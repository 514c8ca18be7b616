import Foundation

/// The `--map` of `trellis import classroom` and `trellis import gradebook`: the skill each
/// assignment is about.
///
/// ```yaml
/// skills:                        # assignment title: skill id
///   "Fractions quiz 1": fractions
///   "Exit ticket, Nov 12": fractions
/// topics:                        # Classroom topic: skill id (instead of the topic's own name)
///   "Unit 3 - Fractions": fractions
/// ignore: ["Class rules quiz"]   # assignments to leave out without a warning
/// ```
///
/// Titles and topics match in any case and spacing. An assignment's title wins over its topic.
/// Every key is checked: an unknown one stops the import with its line, and a title or topic
/// that matches nothing in the files read is a warning with its line (a misspelt title would
/// otherwise leave its assignment out unnoticed).
package struct AssignmentMap: Sendable {
    struct Entry: Sendable {
        /// The skill id (empty for an `ignore` entry).
        var skill: String
        /// The key as the map writes it.
        var key: String
        var file: String
        var line: Int?
        var path: String
    }

    var skills: [String: Entry] = [:]
    var topics: [String: Entry] = [:]
    var ignored: [String: Entry] = [:]

    /// An empty map: skills come from topics alone.
    package init() {}

    /// Reads a map; every problem, with its line, in the error.
    package init(contentsOf path: String) throws(YAMLFileError) {
        let (file, places) = try StrictYAMLDecoder.decode(MapFile.self, contentsOf: path)
        try self.init(file, places)
    }

    package init(yaml text: String, fileName: String) throws(YAMLFileError) {
        let (file, places) = try StrictYAMLDecoder.decode(MapFile.self, from: text, fileName: fileName)
        try self.init(file, places)
    }

    private init(_ file: MapFile, _ places: YAMLPlaces) throws(YAMLFileError) {
        var problems: [String] = []
        func entries(_ section: String, _ pairs: [String: String]) -> [String: Entry] {
            var table: [String: Entry] = [:]
            for (key, skill) in pairs.sorted(by: { $0.key < $1.key }) {
                let path = [section, key]
                let location = places.location(path)
                let skill = skill.trimmingCharacters(in: .whitespaces)
                if skill.isEmpty {
                    problems.append("\(location): \(YAMLPlaces.display(path)): expected a skill id")
                    continue
                }
                let normalised = Self.key(key)
                if let other = table[normalised], other.skill != skill {
                    problems.append("\(location): \(YAMLPlaces.display(path)): the same title as \(JSONValue.string(other.key).jsonText) (\(other.path)), with another skill")
                    continue
                }
                table[normalised] = Entry(skill: skill, key: key, file: places.fileName, line: places.line(path), path: YAMLPlaces.display(path))
            }
            return table
        }
        skills = entries("skills", file.skills ?? [:])
        topics = entries("topics", file.topics ?? [:])
        for (index, title) in (file.ignore ?? []).enumerated() {
            let path = ["ignore", "[\(index)]"]
            ignored[Self.key(title)] = Entry(skill: "", key: title, file: places.fileName, line: places.line(path), path: YAMLPlaces.display(path))
        }
        guard problems.isEmpty else { throw YAMLFileError(issues: problems) }
    }

    /// A title or topic as the map matches it: any case, spaces trimmed and collapsed.
    static func key(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// What the map says of an assignment: its skill, that it is ignored, or nothing.
    enum Decision: Equatable {
        case skill(String)
        case ignored
        case unmapped
    }

    /// The skill of an assignment by its title, else by its topic's name (or id).
    func decide(title: String, topics topicKeys: [String]) -> Decision {
        let titleKey = Self.key(title)
        if ignored[titleKey] != nil { return .ignored }
        if let entry = skills[titleKey] { return .skill(entry.skill) }
        for topic in topicKeys {
            if let entry = topics[Self.key(topic)] { return .skill(entry.skill) }
        }
        return .unmapped
    }

    /// Warnings for the map's titles and topics that matched nothing read.
    func unmatched(titles: Set<String>, topics topicNames: Set<String>) -> [ImportIssue] {
        let titleKeys = Set(titles.map(Self.key))
        let topicKeys = Set(topicNames.map(Self.key))
        var issues: [ImportIssue] = []
        for entry in (skills.values.filter { !titleKeys.contains(Self.key($0.key)) } + ignored.values.filter { !titleKeys.contains(Self.key($0.key)) })
            .sorted(by: { ($0.line ?? 0) < ($1.line ?? 0) })
        {
            issues.append(ImportIssue(severity: .warning, file: entry.file, line: entry.line, field: entry.path, message: "no assignment read has this title"))
        }
        for entry in topics.values.filter({ !topicKeys.contains(Self.key($0.key)) }).sorted(by: { ($0.line ?? 0) < ($1.line ?? 0) }) {
            issues.append(ImportIssue(severity: .warning, file: entry.file, line: entry.line, field: entry.path, message: "no topic read has this name (or id)"))
        }
        return issues
    }

    private struct MapFile: Decodable {
        var skills: [String: String]?
        var topics: [String: String]?
        var ignore: [String]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case skills, topics, ignore
        }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            skills = try container.decodeIfPresent([String: String].self, forKey: .skills)
            topics = try container.decodeIfPresent([String: String].self, forKey: .topics)
            ignore = try container.decodeIfPresent([String].self, forKey: .ignore)
        }
    }
}
