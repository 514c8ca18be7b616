import Testing
@testable import Trellis

@Test func bundledPackLoads() throws {
    let engine = try Engine()
    #expect(engine.rules.map(\.id).sorted() == ["choice-menu", "prompt-fading", "scaffold-stage"])
}
