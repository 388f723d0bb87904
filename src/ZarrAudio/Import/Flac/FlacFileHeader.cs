using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace ZarrAudio.Import.Flac;

/// <summary>
/// The metadata blocks of a native FLAC file (after an optional ID3v2 tag), read by hand: libFLAC hands them over as
/// C unions, and what is needed here is a few fields and an honest account of the rest. A block whose length runs
/// past the end of the file is an error naming it, not "no audio". A stream that starts with a frame (no fLaC, no
/// STREAMINFO, as received from a multicast) has no blocks. An Ogg FLAC file's header packets are the same blocks
/// (<see cref="OggFlacStream"/>); its <see cref="OggSerial"/> tells the decoder which stream to follow.
/// </summary>
internal sealed record FlacFileHeader(
    StreamInfoBlock? StreamInfo, string? Vendor, IReadOnlyList<KeyValuePair<string, string>> Comments,
    IReadOnlyList<FlacPicture> Pictures, JsonObject? CueSheet, IReadOnlyList<(string Id, long Length)> Applications,
    long AudioOffset)
{
    /// <summary>Pictures up to this size are kept in the file metadata (base64); larger ones are described, and reported dropped.</summary>
    public const int KeptPictureBytes = 256 * 1024;

    /// <summary>The serial number of an Ogg FLAC file's stream; null for a native FLAC file.</summary>
    public int? OggSerial { get; init; }

    /// <summary>True when the file starts as FLAC does: fLaC (after an ID3v2 tag), a frame sync code, or an Ogg FLAC page.</summary>
    public static bool LooksLikeFlac(string path)
    {
        if (OggFlacStream.LooksLikeOggFlac(path)) return true;
        using var file = File.OpenRead(path);
        Span<byte> head = stackalloc byte[10];
        if (file.ReadAtLeast(head, 10, throwOnEndOfStream: false) < 4) return false;
        var start = Id3Length(head);
        if (start > 0)
        {
            file.Position = start;
            if (file.ReadAtLeast(head, 4, throwOnEndOfStream: false) < 4) return false;
        }
        return head[..4].SequenceEqual("fLaC"u8) || (head[0] == 0xFF && (head[1] & 0xFE) == 0xF8);
    }

    /// <summary>The blocks of a native or Ogg FLAC file; null for an Ogg file that holds other streams too (ffmpeg's).</summary>
    public static FlacFileHeader? Read(string path, CancellationToken ct = default)
    {
        if (OggFlacStream.LooksLikeOggFlac(path))
        {
            if (OggFlacStream.Read(path, ct) is not { } ogg) return null;
            using var packets = new MemoryStream(ogg.NativeHeader, writable: false);
            return Read(path, packets) with { OggSerial = ogg.Serial };
        }
        using var file = File.OpenRead(path);
        return Read(path, file);
    }

    private static FlacFileHeader Read(string path, Stream file)
    {
        var length = file.Length;
        var head = new byte[10];
        file.ReadAtLeast(head, 10, throwOnEndOfStream: false);
        long at = Id3Length(head);
        file.Position = at;
        var magic = new byte[4];
        file.ReadExactly(magic);
        var empty = new FlacFileHeader(null, null, [], [], null, [], at);
        if (!magic.AsSpan().SequenceEqual("fLaC"u8)) return empty; // frames from the first byte
        at += 4;
        StreamInfoBlock? info = null;
        string? vendor = null;
        var (comments, pictures, applications) = (new List<KeyValuePair<string, string>>(), new List<FlacPicture>(), new List<(string, long)>());
        JsonObject? cueSheet = null;
        var header = new byte[4];
        for (var index = 0; ; index++)
        {
            if (at + 4 > length) throw new UnsupportedSourceException($"'{path}' ends inside its FLAC metadata (block {index} at byte {at:N0}): it holds no audio frames.");
            file.Position = at;
            file.ReadExactly(header);
            var (last, type, size) = ((header[0] & 0x80) != 0, header[0] & 0x7F, (long)(header[1] << 16 | header[2] << 8 | header[3]));
            if (at + 4 + size > length)
                throw new UnsupportedSourceException($"'{path}' is not a valid FLAC file: its metadata block {index} ({BlockName(type)}) at byte {at:N0} says it is {size:N0} bytes long, past the end of the file ({length:N0} bytes).");
            if (type == 127) throw new UnsupportedSourceException($"'{path}' is not a valid FLAC file: metadata block {index} at byte {at:N0} has the invalid type 127.");
            // Only what is read is loaded: a 16 MB picture is hashed in pieces, not held.
            var body = type is 0 or 4 or 5 || (type == 6 && size <= KeptPictureBytes + 64 * 1024) ? new byte[size] : null;
            if (body is not null) file.ReadExactly(body);
            try
            {
                switch (type)
                {
                    case 0 when index == 0: info = StreamInfoBlock.Parse(body!); break;
                    case 2: applications.Add((size >= 4 ? Encoding.ASCII.GetString(Id(file, at + 4)) : "", size)); break;
                    case 4: vendor = ReadComments(body!, comments); break;
                    case 5: cueSheet = CueSheetBlock.Parse(body!); break;
                    case 6: pictures.Add(FlacPicture.Read(file, at + 4, size, body)); break;
                }
            }
            catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or EndOfStreamException or DecoderFallbackException or OverflowException)
            {
                throw new UnsupportedSourceException($"'{path}' is not a valid FLAC file: its {BlockName(type)} block (metadata block {index}, byte {at:N0}) is malformed.", e);
            }
            at += 4 + size;
            if (last) break;
        }
        return new FlacFileHeader(info, vendor, comments, pictures, cueSheet, applications, at);
    }

    private static byte[] Id(Stream file, long at)
    {
        var id = new byte[4];
        file.Position = at;
        file.ReadExactly(id);
        return id;
    }

    private static string BlockName(int type) => type switch
    {
        0 => "STREAMINFO", 1 => "PADDING", 2 => "APPLICATION", 3 => "SEEKTABLE", 4 => "VORBIS_COMMENT", 5 => "CUESHEET", 6 => "PICTURE",
        _ => $"type {type}",
    };

    /// <summary>The Vorbis comment block (little-endian lengths, as in Ogg Vorbis); returns the vendor string.</summary>
    private static string ReadComments(byte[] body, List<KeyValuePair<string, string>> comments)
    {
        var at = 0;
        string Next()
        {
            var n = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan(at)));
            var s = Encoding.UTF8.GetString(body, at + 4, n);
            at += 4 + n;
            return s;
        }
        var vendor = Next();
        var count = BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan(at));
        at += 4;
        for (var i = 0u; i < count; i++)
        {
            var comment = Next();
            var eq = comment.IndexOf('=');
            if (eq > 0) comments.Add(new(comment[..eq], comment[(eq + 1)..]));
        }
        return vendor;
    }

    // An ID3v2 tag some taggers put before fLaC: "ID3", version, flags, and a 28-bit syncsafe size.
    private static int Id3Length(ReadOnlySpan<byte> head) =>
        head.Length >= 10 && head[..3].SequenceEqual("ID3"u8)
            ? 10 + (head[6] << 21 | head[7] << 14 | head[8] << 7 | head[9]) + ((head[5] & 0x10) != 0 ? 10 : 0)
            : 0;
}

/// <summary>STREAMINFO: the stream's format, its length (0: unknown) and the MD5 of its samples (all zero: none).</summary>
internal sealed record StreamInfoBlock(int MinBlocksize, int MaxBlocksize, int SampleRate, int Channels, int BitsPerSample, long TotalSamples, byte[] Md5)
{
    public bool HasMd5 => Md5.Any(b => b != 0);

    public static StreamInfoBlock Parse(byte[] b)
    {
        if (b.Length < 34) throw new ArgumentOutOfRangeException(nameof(b), "STREAMINFO is 34 bytes");
        var packed = BinaryPrimitives.ReadUInt64BigEndian(b.AsSpan(10));
        return new StreamInfoBlock(b[0] << 8 | b[1], b[2] << 8 | b[3],
            (int)(packed >> 44), (int)((packed >> 41) & 7) + 1, (int)((packed >> 36) & 31) + 1, (long)(packed & 0xF_FFFF_FFFF), b[18..34]);
    }
}
