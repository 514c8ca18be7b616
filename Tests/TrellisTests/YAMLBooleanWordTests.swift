import Foundation
import Testing
@testable import Trellis

/// `yes`, `no`, `on` and `off` where a boolean belongs are errors that say to write true or false
/// (YAML 1.2 reads them as text; YAML 1.1 habits would otherwise pass unnoticed or be misread).
struct YAMLBooleanWordTests {
    func issues(_ yaml: String, pack: RulePack = .bundled) throws -> [String] {
        do {
            _ = try Engine(rulePack: pack, configuration: try Configuration(yaml: yaml, fileName: "school.yaml"))
            return []
        } catch let error as TrellisError {
            return error.issues.map(\.description)
        }
    }

    @Test func aRuleSwitchOfOffIsAnErrorSayingFalse() throws {
        #expect(try issues("rules:\n  choice-menu: off\n") == ["school.yaml:2:16: rules.choice-menu: off is text, not a boolean, in YAML 1.2: write false"])
        #expect(try issues("rules:\n  choice-menu: On\n") == ["school.yaml:2:16: rules.choice-menu: On is text, not a boolean, in YAML 1.2: write true"])
        #expect(try issues("rules:\n  choice-menu: false\n").isEmpty)
    }

    @Test func enabledYesIsAnErrorSayingTrue() throws {
        #expect(try issues("rules:\n  choice-menu:\n    enabled: yes\n") == ["school.yaml:3:14: rules.choice-menu.enabled: yes is text, not a boolean, in YAML 1.2: write true"])
        #expect(try issues("rules:\n  choice-menu:\n    enabled: no\n") == ["school.yaml:3:14: rules.choice-menu.enabled: no is text, not a boolean, in YAML 1.2: write false"])
    }

    @Test func aBooleanParameterGivenNoSaysFalseInTheConfigurationAndParam() throws {
        let rule = """
            return { id = "quiet", params = { loud = { default = false, type = "boolean" } }, evaluate = function() return {} end }
            """
        let pack = RulePack(sources: [RuleSource(path: "school/quiet.lua", source: rule)])
        let found = try issues("rules:\n  quiet:\n    params:\n      loud: no\n", pack: pack)
        #expect(found.count == 1 && found[0].hasPrefix("school.yaml:4:13: rules.quiet.params.loud: no is text, not a boolean, in YAML 1.2: write false"), "\(found)")
        #expect(throws: TrellisError.self) { try Engine(rulePack: pack, parameters: ["quiet": ["loud": .string("yes")]]) }
        do {
            _ = try Engine(rulePack: pack, parameters: ["quiet": ["loud": .string("yes")]])
        } catch {
            #expect(error.issues.map(\.message) == ["parameter quiet.loud: yes is text, not a boolean, in YAML 1.2: write true"])
        }
        #expect(try issues("rules:\n  quiet:\n    params:\n      loud: true\n", pack: pack).isEmpty)
    }

    @Test func theWordsStayTextWhereTextBelongs() throws {
        let rule = """
            return { id = "words", params = { word = { default = "x", type = "string" } }, evaluate = function() return {} end }
            """
        let pack = RulePack(sources: [RuleSource(path: "school/words.lua", source: rule)])
        #expect(try issues("rules:\n  words:\n    params:\n      word: off\n", pack: pack).isEmpty)
    }
}
