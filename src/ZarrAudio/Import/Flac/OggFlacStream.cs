using System.Buffers.Binary;

namespace ZarrAudio.Import.Flac;

/// <summary>
/// An Ogg FLAC file (the FLAC-to-Ogg mapping, as <c>flac --ogg</c> writes it) as libFLAC can decode it: one logical
/// stream whose first packet is <c>0x7F "FLAC"</c>. Its header packets are FLAC metadata blocks, so they are returned
/// laid out as a native file's metadata (<c>fLaC</c> + blocks) for <see cref="FlacFileHeader"/>. A file with other
/// logical streams (multiplexed with video, or chained one after another) is not one: libFLAC follows a single
/// serial number and would skip the rest silently, so such files stay with ffmpeg, whose format watch sees a chain.
/// Every page's CRC and sequence number are checked on the way: libogg drops a damaged page without a word.
/// Written by hand: the Ogg page layout is 27 bytes and a segment table, and no reachable package reads Ogg FLAC.
/// </summary>
internal sealed record OggFlacStream(int Serial, byte[] NativeHeader)
{
    private const int PageHeader = 27;
    // A FLAC metadata block is at most 16 MiB; a header larger than this is not one a recorder or tagger writes.
    private const int MaxHeaderBytes = 64 << 20;

    /// <summary>True when the file's first Ogg page starts a FLAC stream (cheap: reads the first page's head only).</summary>
    public static bool LooksLikeOggFlac(string path) => FirstSerial(path) is not null;

    /// <summary>The serial number of the first page when that page starts a FLAC stream; else null.</summary>
    public static int? FirstSerial(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> head = stackalloc byte[PageHeader + 255 + 5];
        var n = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (n < PageHeader || !head[..4].SequenceEqual("OggS"u8)) return null;
        var body = PageHeader + head[26];
        return n >= body + 5 && head[body] == 0x7F && head.Slice(body + 1, 4).SequenceEqual("FLAC"u8)
            ? BinaryPrimitives.ReadInt32LittleEndian(head[14..]) : null;
    }

    /// <summary>
    /// The FLAC stream of an Ogg file that holds only it; null when the file holds other logical streams. Malformed
    /// pages or header packets are an error naming the byte, never "no audio".
    /// </summary>
    public static OggFlacStream? Read(string path, CancellationToken ct = default)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var length = file.Length;
        int? serial = null;
        var header = new MemoryStream();
        var packet = new MemoryStream();
        var headerDone = false;
        var page = new byte[PageHeader + 255 * 256];
        uint sequence = 0;
        for (long at = 0; at + PageHeader <= length;)
        {
            ct.ThrowIfCancellationRequested(); // the walk reads the whole file: a stopped import stops it
            file.Position = at;
            file.ReadExactly(page, 0, PageHeader);
            if (!page.AsSpan(0, 4).SequenceEqual("OggS"u8) || page[4] != 0)
            {
                if (headerDone) break; // junk after the audio: libFLAC decides what it holds
                throw Malformed(path, at, "an Ogg page does not start here");
            }
            var pageSerial = BinaryPrimitives.ReadInt32LittleEndian(page.AsSpan(14));
            serial ??= pageSerial;
            if (pageSerial != serial) return null; // multiplexed or chained: not for libFLAC alone
            var segments = page[26];
            if (at + PageHeader + segments > length) break; // cut inside a page's header: as for a cut body below
            file.ReadExactly(page, PageHeader, segments);
            var bodyLength = 0;
            for (var i = 0; i < segments; i++) bodyLength += page[PageHeader + i];
            var body = at + PageHeader + segments;
            if (body + bodyLength > length) break; // a truncated last page: the decode reports what is missing
            // Every page is checked here: libogg drops a page that fails its CRC, and libFLAC fills the frames it held
            // with silence, reporting neither; a page missing from the sequence is the same loss.
            var size = PageHeader + segments + bodyLength;
            file.ReadExactly(page, PageHeader + segments, bodyLength);
            if (BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(22)) != Checksum(page.AsSpan(0, size)))
                throw headerDone
                    ? Damaged(path, at, "an audio page fails its checksum, so the samples it held are missing (libFLAC would fill them with silence)")
                    : Malformed(path, at, "a page of its FLAC header fails its checksum");
            var number = BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(18));
            if (at > 0 && number != sequence + 1)
                throw Damaged(path, at, $"pages {sequence + 1:N0} to {number - 1:N0} are missing, so samples in the middle are missing");
            sequence = number;
            if (!headerDone)
            {
                if (packet.Length + bodyLength > MaxHeaderBytes) throw Malformed(path, at, $"its FLAC header packets exceed {MaxHeaderBytes >> 20} MiB");
                var offset = PageHeader + segments;
                for (var i = 0; i < segments && !headerDone; i++)
                {
                    var lace = page[PageHeader + i];
                    packet.Write(page, offset, lace);
                    offset += lace;
                    if (lace == 255) continue;
                    headerDone = HeaderPacket(path, at, packet.ToArray(), header);
                    packet.SetLength(0);
                }
            }
            at = body + bodyLength;
        }
        if (!headerDone) throw Malformed(path, 0, "it ends before its FLAC header packets do");
        return new OggFlacStream(serial!.Value, header.ToArray());
    }

    /// <summary>Appends one header packet as native metadata; true after the block marked last.</summary>
    private static bool HeaderPacket(string path, long page, byte[] packet, MemoryStream header)
    {
        if (header.Length == 0)
        {
            // 0x7F "FLAC", mapping version (2 bytes), header packet count (2), then "fLaC" and STREAMINFO.
            if (packet.Length < 13 + 4 + 34 || packet[0] != 0x7F || !packet.AsSpan(1, 4).SequenceEqual("FLAC"u8) || !packet.AsSpan(9, 4).SequenceEqual("fLaC"u8))
                throw Malformed(path, page, "its first packet is not an Ogg FLAC identification header");
            if (packet[5] != 1) throw Malformed(path, page, $"it uses Ogg FLAC mapping version {packet[5]}.{packet[6]} (1.x is defined)");
            header.Write(packet.AsSpan(9));
            return (packet[13] & 0x80) != 0;
        }
        if (packet.Length < 4) throw Malformed(path, page, "a FLAC header packet is shorter than a block header");
        if (packet[0] == 0xFF && (packet[1] & 0xFE) == 0xF8)
            throw Malformed(path, page, "an audio frame comes before the metadata block marked last");
        header.Write(packet);
        return (packet[0] & 0x80) != 0;
    }

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(i =>
    {
        var crc = (uint)i << 24;
        for (var b = 0; b < 8; b++) crc = (crc & 0x8000_0000) != 0 ? crc << 1 ^ 0x04C1_1DB7 : crc << 1;
        return crc;
    }).ToArray();

    /// <summary>Ogg's page checksum (CRC-32, polynomial 0x04C11DB7, not reflected: not System.IO.Hashing's), its own field as zero.</summary>
    private static uint Checksum(ReadOnlySpan<byte> page)
    {
        var crc = 0u;
        for (var i = 0; i < page.Length; i++) crc = crc << 8 ^ CrcTable[(crc >> 24) ^ (i is >= 22 and < 26 ? 0 : page[i])];
        return crc;
    }

    private static UnsupportedSourceException Damaged(string path, long at, string what) =>
        new($"'{path}' is damaged: {what} (page at byte {at:N0}). Nothing was stored.");

    private static UnsupportedSourceException Malformed(string path, long at, string what) =>
        new($"'{path}' is not a valid Ogg FLAC file: {what} (page at byte {at:N0}).");
}
