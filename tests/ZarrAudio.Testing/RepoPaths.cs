namespace ZarrAudio.Testing;

/// <summary>Finds the repository and the shared test data from a test's output folder.</summary>
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

    /// <summary>The real field recordings beside the project (../shared/testdata).</summary>
    public static string SharedTestData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "testdata"));
}
