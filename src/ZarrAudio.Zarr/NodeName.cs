namespace ZarrAudio.Zarr;

/// <summary>The rules for node names and paths (core spec, "node names").</summary>
public static class NodeName
{
    public static void Validate(string name, string? parentPath = null)
    {
        var path = parentPath is null or "" ? name : parentPath + "/" + name;
        if (string.IsNullOrEmpty(name)) throw new ZarrInvalidNodeNameException("Node names must not be empty", path);
        if (name is "." or "..") throw new ZarrInvalidNodeNameException($"'{name}' is not a valid node name", path);
        if (name.Contains('/')) throw new ZarrInvalidNodeNameException($"Node name '{name}' must not contain '/'", path);
        if (name.StartsWith("__", StringComparison.Ordinal)) throw new ZarrInvalidNodeNameException($"Node name '{name}' is reserved: names starting with '__' belong to the specification", path);
        if (name == "zarr.json") throw new ZarrInvalidNodeNameException("'zarr.json' is not a valid node name", path);
    }

    /// <summary>Normalises a path inside a store ("/a/b/" → "a/b"; "" or "/" is the root) and checks each segment.</summary>
    public static string NormalizePath(string? path)
    {
        var trimmed = (path ?? "").Trim('/');
        if (trimmed.Length == 0) return "";
        var parts = trimmed.Split('/');
        for (var i = 0; i < parts.Length; i++) Validate(parts[i], string.Join('/', parts[..i]));
        return trimmed;
    }

    public static string Join(string parent, string name) => parent.Length == 0 ? name : parent + "/" + name;
    public static string MetadataKey(string path) => path.Length == 0 ? "zarr.json" : path + "/zarr.json";
}
