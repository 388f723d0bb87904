namespace ZarrAudio.Testing;

/// <summary>Finds the repository and its test data from a test's output folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ZarrAudio.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root (ZarrAudio.slnx) above " + AppContext.BaseDirectory);
    }

    public static string Conformance => Path.Combine(Root, "tests", "conformance");

    /// <summary>The field recordings kept in the repository (tests/data, with their sources and licences).</summary>
    public static string TestDataFolder => Path.Combine(Root, "tests", "data");

    /// <summary>A field recording: from tests/data, or written by <see cref="GeneratedRecordings"/> for the ones not redistributable.</summary>
    public static string TestData(string name) =>
        GeneratedRecordings.IsGenerated(name) ? GeneratedRecordings.PathOf(name) : Path.Combine(TestDataFolder, name);
}
