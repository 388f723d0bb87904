using System.Security.Cryptography;
using ZarrAudio.Archive;

namespace ZarrAudio.Segments.LabelFiles;

/// <summary>
/// Finds the recording each label-file row is about: an id the user gives; else the audio file the row names (Begin
/// Path, Begin File, File), or the one the label file is named after (calls.Table.1.selections.txt, calls.txt,
/// calls.BirdNET.results.csv are about calls.*): by full source path, then by SHA-256 when that file is here to hash,
/// then by file name. A name that fits several recordings is ambiguous, never guessed. Rows that match nothing are
/// returned with why, not dropped.
/// </summary>
public sealed class LabelFileMatcher
{
    private static readonly string[] LabelSuffixes =
        [".BirdNET.selection.table.txt", ".BirdNET.results.csv", ".BirdNET.results.txt", ".selections.txt", ".txt", ".csv"];

    private readonly IReadOnlyList<Recording> _recordings;
    private readonly Dictionary<string, string?> _hashes = new(StringComparer.Ordinal);

    public LabelFileMatcher(IReadOnlyList<Recording> recordings) => _recordings = recordings;

    public (List<SegmentInput> Matched, List<(LabelFileRow Row, string Why)> Unmatched) Match(IEnumerable<LabelFileRow> rows, long? id)
    {
        var matched = new List<SegmentInput>();
        var unmatched = new List<(LabelFileRow, string)>();
        foreach (var row in rows)
        {
            var (recording, why) = id is { } given ? (given, null) : Find(row);
            if (recording is not { } found) { unmatched.Add((row, why!)); continue; }
            matched.Add(new SegmentInput
            {
                Id = found, StartTime = row.Start, Duration = row.End - row.Start, Channel = row.Channel,
                LowFrequency = row.LowFrequency, HighFrequency = row.HighFrequency, Labels = row.Labels, Origin = row.Origin,
            });
        }
        return (matched, unmatched);
    }

    /// <summary>The audio a row is about: the file it names, or the one its label file is named after.</summary>
    public static string AudioNameOf(LabelFileRow row)
    {
        if (row.AudioFile is { } named) return named;
        var name = Path.GetFileName(row.File);
        foreach (var suffix in LabelSuffixes)
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                name = name[..^suffix.Length];
                break;
            }
        // Raven names a table "<audio>.Table.1.selections.txt".
        var table = name.LastIndexOf(".Table.", StringComparison.OrdinalIgnoreCase);
        return table > 0 ? name[..table] : name;
    }

    private (long? Id, string? Why) Find(LabelFileRow row)
    {
        var audio = AudioNameOf(row);
        var byPath = _recordings.Where(r => r.Metadata.Source.FullPath is { } p && p == audio).ToList();
        if (byPath.Count == 1) return (byPath[0].Id, null);
        foreach (var local in AudioBeside(row.File, audio))
            if (Sha256Of(local) is { } sha && _recordings.Where(r => r.Metadata.Source.Sha256 == sha).ToList() is { Count: > 0 } same)
                return same.Count == 1 ? (same[0].Id, null) : (null, $"'{audio}' was imported {same.Count} times (ids {string.Join(", ", same.Select(r => r.Id))}); give -Id");
        var stem = Path.GetFileNameWithoutExtension(audio.Replace('\\', '/').Split('/')[^1]);
        var hasExtension = Path.HasExtension(audio);
        var byName = _recordings.Where(r => r.Metadata.Source.FileName is { } f && (hasExtension
            ? string.Equals(f, Path.GetFileName(audio), StringComparison.OrdinalIgnoreCase)
            : string.Equals(Path.GetFileNameWithoutExtension(f), stem, StringComparison.OrdinalIgnoreCase))).ToList();
        return byName.Count switch
        {
            1 => (byName[0].Id, null),
            0 => (null, $"no recording of the archive was imported from '{audio}'"),
            _ => (null, $"{byName.Count} recordings were imported from files named '{Path.GetFileName(audio)}' (ids {string.Join(", ", byName.Select(r => r.Id))}); give -Id, or keep the audio beside the labels so its SHA-256 decides"),
        };
    }

    /// <summary>The audio file a name means on this machine: the path itself, or beside the label file (any extension but a label file's).</summary>
    private static IEnumerable<string> AudioBeside(string labelFile, string audio)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(labelFile)) ?? ".";
        var path = Path.IsPathRooted(audio) ? audio : Path.Combine(folder, audio);
        if (Path.HasExtension(audio)) return File.Exists(path) ? [path] : [];
        var stem = Path.GetFileName(path);
        var dir = Path.GetDirectoryName(path) ?? folder;
        if (!Directory.Exists(dir)) return [];
        return Directory.EnumerateFiles(dir, stem + ".*")
            .Where(f => Path.GetFileNameWithoutExtension(f) == stem && !f.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) && !f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
    }

    private string? Sha256Of(string path)
    {
        if (_hashes.TryGetValue(path, out var known)) return known;
        string? sha = null;
        if (File.Exists(path))
        {
            using var stream = File.OpenRead(path);
            sha = Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
        }
        return _hashes[path] = sha;
    }
}
