/// The version of Trellis: the one place it is written.
///
/// `trellis --version` prints it, and CHANGELOG.md's latest release heading names it (a test
/// keeps the two the same).
package enum TrellisVersion {
    /// Semantic versioning: `major.minor.patch`.
    package static let current = "0.1.0"
}
