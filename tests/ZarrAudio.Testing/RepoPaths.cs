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

    /// <summary>An archive of layout 1 (before the catalog and the codec seam), kept to prove it still reads.</summary>
    public static string LayoutOneArchive => Path.Combine(Root, "tests", "fixtures", "layout1", "archive");

    /// <summary>Copies every file of the layout-1 archive under <paramref name="target"/>, to change or serve it.</summary>
    public static void CopyLayoutOneArchive(string target)
    {
        foreach (var file in Directory.EnumerateFiles(LayoutOneArchive, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(LayoutOneArchive, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }
}
