using System.IO.MemoryMappedFiles;
using ZarrAudio.Codecs.Flac;

namespace ZarrAudio.Import.Flac;

/// <summary>
/// Finds a FLAC file's frames without decoding them, to keep them as they are: each frame's header is parsed and
/// its CRC-8 checked, and a frame ends where the CRC-16 over its bytes comes out zero just before the next valid
/// header (or the end of the file). The frames can be kept only when the whole stream is what the archive's index
/// and reader expect: every frame intact and in the STREAMINFO's format, numbered from zero without a gap, fixed
/// block sizes as STREAMINFO says (or sample-numbered variable ones), and as many samples as it declares.
/// Anything else returns null with the reason, and the source is decoded and encoded again.
/// </summary>
internal static class FlacFrameScanner
{
    private static readonly byte[] Crc8Table = FlacFrameNumbering.Crc8Table;
    private static readonly ushort[] Crc16Table = FlacFrameNumbering.Crc16Table;

    public sealed record Scan(IReadOnlyList<SourceFrame> Frames, StreamInfo Info);

    public static unsafe Scan? TryScan(string path, FlacFileHeader header, out string? reason)
    {
        reason = null;
        if (header.StreamInfo is not { } si) { reason = "no STREAMINFO"; return null; }
        if (header.OggSerial is not null) { reason = "Ogg pages around the frames"; return null; }
        var length = new FileInfo(path).Length;
        if (length <= header.AudioOffset) { reason = "no frames"; return null; }
        using var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using var view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        byte* data = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref data);
        try
        {
            var bytes = new ReadOnlySpan<byte>(data + view.PointerOffset, checked((int)Math.Min(length, int.MaxValue)));
            if (length > int.MaxValue) { reason = "over 2 GiB"; return null; }
            return ScanFrames(bytes, (int)header.AudioOffset, si, out reason);
        }
        finally { view.SafeMemoryMappedViewHandle.ReleasePointer(); }
    }

    private static Scan? ScanFrames(ReadOnlySpan<byte> file, int start, StreamInfoBlock si, out string? reason)
    {
        reason = null;
        var frames = new List<SourceFrame>();
        var format = (si.SampleRate, si.Channels, si.BitsPerSample);
        var fixedSize = si.MinBlocksize == si.MaxBlocksize;
        long total = 0;
        var (minFrame, maxFrame) = (int.MaxValue, 0);
        bool? variable = null;
        var p = start;
        if (Header(file, p, si) is not { } current) { reason = "the first frame's header is not valid"; return null; }
        while (true)
        {
            if ((current.Rate, current.Channels, current.Bits) != format) { reason = "a frame's format differs from STREAMINFO's"; return null; }
            variable ??= current.Variable;
            if (current.Variable != variable) { reason = "the blocking strategy changes"; return null; }
            var expected = current.Variable ? total : frames.Count;
            if (current.Number != expected) { reason = $"frame {frames.Count} is numbered {current.Number}"; return null; }
            if (!current.Variable && (!fixedSize || current.Blocksize > si.MaxBlocksize)) { reason = "block sizes are not fixed as STREAMINFO says"; return null; }
            // The frame ends where its CRC-16 comes out zero before another valid header, or at the end of the file.
            ushort crc = 0;
            var q = p;
            for (; q < current.HeaderEnd; q++) crc = (ushort)((crc << 8) ^ Crc16Table[(crc >> 8) ^ file[q]]);
            FrameHeader? next = null;
            for (; q < file.Length; q++)
            {
                if (crc == 0 && file[q] == 0xFF && q + 1 < file.Length && (file[q + 1] & 0xFE) == 0xF8 && Header(file, q, si) is { } found)
                {
                    next = found;
                    break;
                }
                crc = (ushort)((crc << 8) ^ Crc16Table[(crc >> 8) ^ file[q]]);
            }
            if (next is null && crc != 0) { reason = "the last frame does not end the file intact (trailing bytes or damage)"; return null; }
            var frameLength = q - p;
            if (frames.Count > 0 && !current.Variable && frames[^1].Samples != si.MaxBlocksize) { reason = "a short frame before the last"; return null; }
            frames.Add(new SourceFrame(p, frameLength, total, current.Blocksize));
            (minFrame, maxFrame) = (Math.Min(minFrame, frameLength), Math.Max(maxFrame, frameLength));
            total += current.Blocksize;
            if (next is null) break;
            (p, current) = (q, next.Value);
        }
        if (si.TotalSamples != 0 && si.TotalSamples != total) { reason = $"STREAMINFO declares {si.TotalSamples:N0} samples and the frames hold {total:N0}"; return null; }
        var info = new StreamInfo(si.MinBlocksize, si.MaxBlocksize, minFrame, maxFrame, si.SampleRate, si.Channels, si.BitsPerSample, total, si.Md5);
        return new Scan(frames, info);
    }

    private readonly record struct FrameHeader(bool Variable, long Number, int Blocksize, int Rate, int Channels, int Bits, int HeaderEnd);

    /// <summary>The frame header at <paramref name="p"/> when it is one (sync, valid codes, CRC-8), else null.</summary>
    private static FrameHeader? Header(ReadOnlySpan<byte> f, int p, StreamInfoBlock si)
    {
        if (p + 6 > f.Length || f[p] != 0xFF || (f[p + 1] & 0xFE) != 0xF8) return null;
        var variable = (f[p + 1] & 1) == 1;
        var (bsCode, rateCode) = (f[p + 2] >> 4, f[p + 2] & 15);
        var (chCode, bitsCode) = (f[p + 3] >> 4, (f[p + 3] >> 1) & 7);
        if (bsCode == 0 || rateCode == 15 || chCode > 10 || bitsCode == 3 || (f[p + 3] & 1) != 0) return null;
        var q = p + 4;
        // The frame or sample number, UTF-8 coded (up to 36 bits in 7 bytes).
        int lead = f[q], extra = lead < 0x80 ? 0 : lead >= 0xFE ? 6 : lead >= 0xFC ? 5 : lead >= 0xF8 ? 4 : lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : -1;
        if (extra < 0 || q + 1 + extra + 4 > f.Length) return null;
        long number = extra == 0 ? lead : lead & (0x3F >> extra);
        for (var i = 1; i <= extra; i++)
        {
            if ((f[q + i] & 0xC0) != 0x80) return null;
            number = (number << 6) | (long)(f[q + i] & 0x3F);
        }
        q += 1 + extra;
        var blocksize = bsCode switch
        {
            1 => 192, >= 2 and <= 5 => 576 << (bsCode - 2), 6 => f[q++] + 1, 7 => (f[q++] << 8 | f[q++]) + 1, _ => 256 << (bsCode - 8),
        };
        var rate = rateCode switch
        {
            0 => si.SampleRate, 1 => 88200, 2 => 176400, 3 => 192000, 4 => 8000, 5 => 16000, 6 => 22050, 7 => 24000, 8 => 32000,
            9 => 44100, 10 => 48000, 11 => 96000, 12 => f[q++] * 1000, 13 => f[q++] << 8 | f[q++], _ => (f[q++] << 8 | f[q++]) * 10,
        };
        var channels = chCode < 8 ? chCode + 1 : 2;
        var bits = bitsCode switch { 0 => si.BitsPerSample, 1 => 8, 2 => 12, 4 => 16, 5 => 20, 6 => 24, _ => 32 };
        if (q >= f.Length) return null;
        byte crc = 0;
        for (var i = p; i < q; i++) crc = Crc8Table[crc ^ f[i]];
        return crc == f[q] ? new FrameHeader(variable, number, blocksize, rate, channels, bits, q + 1) : null;
    }
}
