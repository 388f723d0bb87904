using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace ZarrAudio.Metadata;

/// <summary>
/// Reads the wildlife metadata that ffprobe does not parse from RIFF/WAVE files: GUANO ("guan" chunk,
/// bat detectors), BWF "bext", and the LIST/INFO comment AudioMoth writes. Written by hand: no package
/// parses these chunks.
/// </summary>
public static class RiffChunks
{
    private const int MaxChunk = 1 << 20;

    /// <summary>The metadata chunks of a WAVE file, or an empty object for anything else.</summary>
    public static JsonObject Read(string path)
    {
        var result = new JsonObject();
        using var file = File.OpenRead(path);
        Span<byte> header = stackalloc byte[12];
        if (file.Read(header) < 12 || !header[..4].SequenceEqual("RIFF"u8) || !header[8..12].SequenceEqual("WAVE"u8)) return result;
        Span<byte> chunkHeader = stackalloc byte[8];
        while (file.Read(chunkHeader) == 8)
        {
            var id = Encoding.ASCII.GetString(chunkHeader[..4]);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(chunkHeader[4..]);
            var next = file.Position + size + (size & 1);
            if (id is "guan" or "bext" or "LIST" && size <= MaxChunk)
            {
                var body = new byte[size];
                file.ReadExactly(body);
                switch (id)
                {
                    case "guan": result["guano"] = ParseGuano(body); break;
                    case "bext": result["bext"] = ParseBext(body); break;
                    case "LIST" when body.AsSpan(0, 4).SequenceEqual("INFO"u8): result["riff_info"] = ParseInfo(body.AsSpan(4)); break;
                }
            }
            if (next > file.Length) break;
            file.Position = next;
        }
        return result;
    }

    /// <summary>GUANO: "GUANO|Version: 1.0" then "Key: value" lines; namespaced keys keep their "NS|Key" name.</summary>
    public static JsonObject ParseGuano(ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body).TrimEnd('\0', ' ', '\n', '\r');
        var result = new JsonObject();
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var key = line[..colon].Trim();
            if (key.StartsWith("GUANO|", StringComparison.Ordinal) && key != "GUANO|Version") continue;
            result[key] = line[(colon + 1)..].Trim();
        }
        return result;
    }

    /// <summary>BWF bext (EBU Tech 3285): fixed-width ASCII fields then the coding history.</summary>
    public static JsonObject ParseBext(ReadOnlySpan<byte> span)
    {
        var body = span.ToArray();
        string Text(int offset, int length) =>
            body.Length >= offset + length ? Encoding.ASCII.GetString(body, offset, length).TrimEnd('\0', ' ') : "";
        var result = new JsonObject
        {
            ["description"] = Text(0, 256),
            ["originator"] = Text(256, 32),
            ["originator_reference"] = Text(288, 32),
            ["origination_date"] = Text(320, 10),
            ["origination_time"] = Text(330, 8),
        };
        if (body.Length >= 346) result["time_reference"] = BinaryPrimitives.ReadUInt64LittleEndian(body.AsSpan(338));
        if (body.Length >= 348) result["version"] = BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(346));
        if (body.Length > 602) result["coding_history"] = Encoding.ASCII.GetString(body, 602, body.Length - 602).TrimEnd('\0', ' ', '\r', '\n');
        return result;
    }

    private static JsonObject ParseInfo(ReadOnlySpan<byte> body)
    {
        var result = new JsonObject();
        while (body.Length >= 8)
        {
            var id = Encoding.ASCII.GetString(body[..4]);
            var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
            if (size > body.Length - 8) break;
            result[id] = Encoding.UTF8.GetString(body.Slice(8, size)).TrimEnd('\0');
            body = body[Math.Min(body.Length, 8 + size + (size & 1))..];
        }
        return result;
    }
}
