using System.Buffers.Binary;

namespace ZarrAudio.Export;

/// <summary>
/// Sets the length an MP4/MOV file with one audio track says it plays: its edit list's segment duration and the
/// movie and track durations. ffmpeg 5.1 copying AAC frames writes the whole last frame (and with
/// <c>-itsoffset</c> the priming's length again) into them; the true length, in a movie timescale of the sample rate
/// (<c>-movie_timescale</c>), makes a decoder that follows edit lists end on the recording's last sample.
/// </summary>
internal static class Mp4EditList
{
    /// <summary>Writes <paramref name="length"/> (in the movie's timescale) into mvhd, tkhd and the first elst entry.</summary>
    /// <returns>False, and nothing written, when the file is not one track with an edit list in that timescale.</returns>
    public static bool SetLength(string path, long length, int timescale)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var moov = Find(file, 0, file.Length, "moov");
        if (moov is not { } m) return false;
        var mvhd = Find(file, m.Body, m.End, "mvhd");
        var traks = All(file, m.Body, m.End, "trak").ToList();
        if (mvhd is not { } mv || traks.Count != 1) return false;
        var trak = traks[0];
        var tkhd = Find(file, trak.Body, trak.End, "tkhd");
        var edts = Find(file, trak.Body, trak.End, "edts");
        var elst = edts is { } e ? Find(file, e.Body, e.End, "elst") : null;
        if (tkhd is not { } tk || elst is not { } el) return false;

        var v = ReadByte(file, mv.Body);
        var scaleAt = mv.Body + (v == 1 ? 20 : 12);
        if (ReadUInt(file, scaleAt, 4) != (ulong)timescale) return false;
        var writes = new List<(long At, int Width)> { (scaleAt + 4, v == 1 ? 8 : 4) };
        var tv = ReadByte(file, tk.Body);
        writes.Add((tk.Body + (tv == 1 ? 28 : 20), tv == 1 ? 8 : 4));
        var ev = ReadByte(file, el.Body);
        if (ReadUInt(file, el.Body + 4, 4) < 1) return false;
        writes.Add((el.Body + 8, ev == 1 ? 8 : 4));
        if (writes.Any(w => w.Width == 4 && length > uint.MaxValue)) return false;
        foreach (var (at, width) in writes) WriteUInt(file, at, width, (ulong)length);
        return true;
    }

    private readonly record struct Box(long Body, long End);

    private static Box? Find(FileStream file, long start, long end, string type) => All(file, start, end, type).Cast<Box?>().FirstOrDefault();

    private static IEnumerable<Box> All(FileStream file, long start, long end, string type)
    {
        var header = new byte[16];
        for (var at = start; at + 8 <= end;)
        {
            file.Position = at;
            file.ReadExactly(header, 0, 8);
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var name = System.Text.Encoding.ASCII.GetString(header, 4, 4);
            var body = at + 8;
            if (size == 1)
            {
                file.ReadExactly(header, 8, 8);
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8));
                body += 8;
            }
            else if (size == 0) size = end - at;
            if (size < body - at || at + size > end) yield break;
            if (name == type) yield return new Box(body, at + size);
            at += size;
        }
    }

    private static int ReadByte(FileStream file, long at)
    {
        file.Position = at;
        return file.ReadByte();
    }

    private static ulong ReadUInt(FileStream file, long at, int width)
    {
        Span<byte> bytes = stackalloc byte[8];
        file.Position = at;
        file.ReadExactly(bytes[..width]);
        return width == 8 ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static void WriteUInt(FileStream file, long at, int width, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        if (width == 8) BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        else BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)value);
        file.Position = at;
        file.Write(bytes[..width]);
    }
}
