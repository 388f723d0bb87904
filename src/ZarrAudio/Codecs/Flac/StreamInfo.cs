using System.Buffers.Binary;

namespace ZarrAudio.Codecs.Flac;

/// <summary>
/// A FLAC STREAMINFO block and the 42-byte stream header (<c>fLaC</c> + STREAMINFO) a decoder needs to
/// decode frames on their own.
/// </summary>
public sealed record StreamInfo(int MinBlocksize, int MaxBlocksize, int MinFramesize, int MaxFramesize,
    int SampleRate, int Channels, int BitsPerSample, long TotalSamples, byte[] Md5)
{
    public const int HeaderLength = 42;

    public string Md5Hex => Convert.ToHexString(Md5).ToLowerInvariant();

    public byte[] ToHeader()
    {
        var header = new byte[HeaderLength];
        "fLaC"u8.CopyTo(header);
        header[4] = 0x80; // last metadata block, type 0 (STREAMINFO)
        header[7] = 34;   // 24-bit length
        var body = header.AsSpan(8);
        BinaryPrimitives.WriteUInt16BigEndian(body, (ushort)MinBlocksize);
        BinaryPrimitives.WriteUInt16BigEndian(body[2..], (ushort)MaxBlocksize);
        Write24(body[4..], MinFramesize);
        Write24(body[7..], MaxFramesize);
        var packed = ((ulong)SampleRate << 44) | ((ulong)(Channels - 1) << 41) | ((ulong)(BitsPerSample - 1) << 36) | ((ulong)TotalSamples & 0xFFFFFFFFFul);
        BinaryPrimitives.WriteUInt64BigEndian(body[10..], packed);
        Md5.CopyTo(body[18..]);
        return header;
    }

    public static StreamInfo FromHeader(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderLength || !header[..4].SequenceEqual("fLaC"u8) || (header[4] & 0x7F) != 0)
            throw new CorruptRecordingException("Stored FLAC header is not fLaC + STREAMINFO");
        var body = header[8..];
        var packed = BinaryPrimitives.ReadUInt64BigEndian(body[10..]);
        return new StreamInfo(
            BinaryPrimitives.ReadUInt16BigEndian(body), BinaryPrimitives.ReadUInt16BigEndian(body[2..]),
            Read24(body[4..]), Read24(body[7..]),
            (int)(packed >> 44), (int)((packed >> 41) & 7) + 1, (int)((packed >> 36) & 31) + 1,
            (long)(packed & 0xFFFFFFFFFul), body[18..34].ToArray());
    }

    private static void Write24(Span<byte> s, int v) { s[0] = (byte)(v >> 16); s[1] = (byte)(v >> 8); s[2] = (byte)v; }
    private static int Read24(ReadOnlySpan<byte> s) => (s[0] << 16) | (s[1] << 8) | s[2];
}
