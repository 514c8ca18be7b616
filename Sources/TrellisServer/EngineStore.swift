import Foundation
import Synchronization
import Trellis

/// The pack that new requests run on, swapped whole on reload.
///
/// A request takes `current` once and keeps that reference to the end, so a request in flight
/// finishes on the pack it started with, and a reload never waits for requests. The old engine
/// is freed when its last request lets go of it.
final class EngineStore: Sendable {
    let source: RulePackSource
    private let pack: Mutex<LoadedPack>
    /// Held for a whole reload so that two reloads cannot finish in the wrong order.
    private let reloading = Mutex<Void>(())

    init(source: RulePackSource) throws(TrellisError) {
        self.source = source
        self.pack = Mutex(try source.load(generation: 1))
    }

    var current: LoadedPack { pack.withLock { $0 } }

    /// Loads the source again. A broken pack is refused and the old one keeps serving.
    /// Blocking: it compiles every rule, so call it off the event loops.
    func reload() -> Result<(old: LoadedPack, new: LoadedPack), TrellisError> {
        reloading.withLock { _ in
            let old = current
            do throws(TrellisError) {
                let new = try source.load(generation: old.generation + 1)
                pack.withLock { $0 = new }
                return .success((old, new))
            } catch {
                return .failure(error)
            }
        }
    }
}
