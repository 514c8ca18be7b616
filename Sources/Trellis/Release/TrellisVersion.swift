/// The version of Trellis: the one place it is written.
///
/// `trellis --version` prints it, and CHANGELOG.md's latest release heading names it (a test
/// keeps the two the same).
public enum TrellisVersion {
    /// Semantic versioning: `major.minor.patch`.
    public static let current = "0.1.0"
}
