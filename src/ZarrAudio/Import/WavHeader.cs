using System.Buffers.Binary;

namespace ZarrAudio.Import;

/// <summary>
/// The chunks of a RIFF/WAVE file that the native WAV path needs, read in one walk: the format, where the samples are,
/// and the LIST/INFO and bext bodies that ffprobe turns into tags. Null for anything that is not a WAVE with one fmt
/// and one data chunk.
/// </summary>
internal sealed record WavHeader(int Tag, int Channels, int Rate, int ContainerBits, int ValidBits, bool Extensible,
    long DataOffset, long DataLength, byte[]? Info, byte[]? Bext, bool HasOtherTags)
{
    /// <summary>
    /// The data chunk's size as the header gives it, when that is more than the file holds: a truncated file (an SD
    /// card fault, a copy cut short). Null when the file holds it all, or the header gives 0 or all ones (a recorder
    /// that never finished its header: nothing was declared).
    /// </summary>
    public long? DeclaredDataLength { get; init; }

    public const int FormatPcm = 1, FormatFloat = 3, FormatExtensible = 0xFFFE;
    private const int MaxMetadataChunk = 1 << 20;

    public static WavHeader? Read(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            Span<byte> header = stackalloc byte[12];
            if (file.Read(header) < 12 || !header[..4].SequenceEqual("RIFF"u8) || !header[8..12].SequenceEqual("WAVE"u8)) return null;
            (int Tag, int Channels, int Rate, int Container, int Valid, bool Extensible)? format = null;
            var blockAlign = 0;
            (long Offset, long Length)? data = null;
            long? declared = null;
            byte[]? info = null, bext = null;
            var otherTags = false;
            Span<byte> chunk = stackalloc byte[8];
            while (file.Read(chunk) == 8)
            {
                var size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
                var next = file.Position + size + (size & 1);
                switch (System.Text.Encoding.ASCII.GetString(chunk[..4]))
                {
                    case "fmt ":
                        if (size is < 16 or > 1024 || format is not null) return null;
                        var body = ReadBody(file, (int)size);
                        int tag = BinaryPrimitives.ReadUInt16LittleEndian(body), container = BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(14));
                        var valid = container;
                        var extensible = tag == FormatExtensible;
                        if (extensible)
                        {
                            if (size < 40) return null;
                            valid = BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(18));
                            tag = BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(24)); // the sub-format GUID's first two bytes
                        }
                        blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(12));
                        format = (tag, BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(2)), (int)BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan(4)),
                            container, valid, extensible);
                        break;
                    case "data":
                        if (data is not null) return null;
                        // A size of 0 or past the end (a recorder that stopped before finishing its header) reads to the end, as ffmpeg does.
                        data = (file.Position, size == 0 || file.Position + size > file.Length ? file.Length - file.Position : size);
                        if (size is not (0 or uint.MaxValue) && file.Position + size > file.Length) declared = size;
                        break;
                    case "LIST" when size is >= 4 and < MaxMetadataChunk:
                        var list = ReadBody(file, (int)size);
                        if (list.AsSpan(0, 4).SequenceEqual("INFO"u8)) info = list[4..];
                        break;
                    case "bext" when size < MaxMetadataChunk:
                        bext = ReadBody(file, (int)size);
                        break;
                    case "id3 " or "ID3 " or "ds64" or "iXML" or "axml":
                        otherTags = true; // ffmpeg turns these into tags (or sizes) too
                        break;
                }
                if (next > file.Length) break;
                file.Seek(next, SeekOrigin.Begin);
            }
            if (format is { Tag: FormatPcm or FormatFloat } g && g.Container % 8 == 0 && blockAlign != g.Channels * g.Container / 8)
                throw new UnsupportedSourceException($"'{path}' is a damaged WAV file: its fmt chunk says {g.Channels:N0} channel(s) of {g.Container} bits, " +
                    $"which make frames of {g.Channels * g.Container / 8:N0} bytes, but gives {blockAlign:N0} bytes a frame. Nothing was stored.");
            // More channels than ffmpeg decodes: ffprobe's refusal names it, and the encoders' buffers, which grow with
            // the channels, are never allocated for a header that says 65,000.
            if (format is not { } f || data is not { } d || f.Channels is < 1 or > SourceProbe.MaxChannels || f.Rate < 1) return null;
            return new WavHeader(f.Tag, f.Channels, f.Rate, f.Container, f.Valid, f.Extensible, d.Offset, d.Length, info, bext, otherTags)
            {
                DeclaredDataLength = declared,
            };
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static byte[] ReadBody(FileStream file, int count)
    {
        var bytes = new byte[count];
        file.ReadExactly(bytes);
        return bytes;
    }
}
