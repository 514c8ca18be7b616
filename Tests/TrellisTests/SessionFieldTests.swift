import Testing
import TrellisLua
@testable import Trellis

/// The contract's session fields are listed once on each side of the bridge: `SessionField` for
/// the Swift forms, the C decoder's table for packed sessions. They must agree field by field.
@Suite struct SessionFieldTests {
    @Test func theCDecoderReadsTheSwiftFieldsInTheSameOrder() {
        let swift = SessionField.allCases.map { "\($0.key):\($0.isInteger ? "integer" : "text")" }
        let c = LuaState.packedSessionFields.map { "\($0.name):\($0.isInteger ? "integer" : "text")" }
        #expect(swift == c)
        // A record's flags are one byte: at most 8 fields fit the packed form.
        #expect(SessionField.allCases.count <= 8)
    }

    /// Every field goes through each form and comes back: set, read, packed and decoded.
    @Test func everyFieldRoundTrips() throws {
        var session = Session()
        for field in SessionField.allCases {
            if field.isInteger { field.set(field.rawValue + 1, in: &session) } else { field.set("v\(field.rawValue)", in: &session) }
        }
        for field in SessionField.allCases {
            if field.isInteger {
                #expect(field.integer(of: session) == field.rawValue + 1 && field.text(of: session) == nil)
            } else {
                #expect(field.text(of: session) == "v\(field.rawValue)" && field.integer(of: session) == nil)
            }
        }
        let packed = try #require(PackedSessions.encode([session, Session()]))
        #expect(packed.withUnsafeBytes { PackedSessions.decode($0) } == [session, Session()])
        // The Lua table has each field under its key.
        let lua = try LuaState(limits: RuleLimits().lua, readOnlyInput: false)
        lua.push(session)
        for field in SessionField.allCases {
            lua.rawField(field.key, of: -1)
            defer { lua.pop() }
            if field.isInteger { #expect(lua.integer(at: -1) == Int64(field.rawValue + 1)) } else { #expect(lua.string(at: -1) == "v\(field.rawValue)") }
        }
    }
}
