using System.Buffers.Binary;
using ZarrAudio.Archive;
using ZarrAudio.Testing;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Tests;

/// <summary>
/// Headers that lie, found by <see cref="SourceFuzzTests"/>: each was an untyped exception (an out-of-memory among
/// them) and is now an <see cref="UnsupportedSourceException"/> naming what is wrong, before anything is allocated.
/// </summary>
public sealed class DamagedHeaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Task<AudioArchive> NewArchive() => AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);

    /// <summary>A plain 16-bit stereo WAV with its fmt chunk's fields (at bytes 20–35) rewritten.</summary>
    private string Wav(string name, Action<Span<byte>> change)
    {
        var path = AudioFixtures.MakeWav(_dir, name, 48_000, 16, 2, 0.2);
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan(12, 4).SequenceEqual("fmt "u8));
        change(bytes.AsSpan(20, 16));
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public async Task AWavWhoseFrameSizeDisagreesWithItsChannelsIsRefused()
    {
        // 65,282 channels in blocks of 4 bytes: the FLAC encoders' buffers for them were an OutOfMemoryException.
        var path = Wav("channels.wav", fmt => BinaryPrimitives.WriteUInt16LittleEndian(fmt[2..], 65_282));
        using var archive = await NewArchive();
        var e = await Assert.ThrowsAsync<UnsupportedSourceException>(() => archive.ImportFileAsync(path));
        Assert.Contains("65,282 channel(s) of 16 bits, which make frames of 130,564 bytes, but gives 4 bytes a frame", e.Message);
        // The same lie in the other direction: 2 channels said, blocks of 6 bytes.
        var wide = Wav("align.wav", fmt => BinaryPrimitives.WriteUInt16LittleEndian(fmt[12..], 6));
        Assert.Contains("gives 6 bytes a frame", (await Assert.ThrowsAsync<UnsupportedSourceException>(() => archive.ImportFileAsync(wide))).Message);
    }

    [Fact]
    public async Task AWavInAFormatFfmpegCannotDecodeIsRefusedBeforeAnyEncoderIsMade()
    {
        // An unknown format tag and 65,535 channels: ffprobe reports both, and an encoder for them ran out of memory.
        var path = Wav("unknown.wav", fmt =>
        {
            BinaryPrimitives.WriteUInt16LittleEndian(fmt, 0xFF01);
            BinaryPrimitives.WriteUInt16LittleEndian(fmt[2..], 65_535);
        });
        using var archive = await NewArchive();
        var e = await Assert.ThrowsAsync<UnsupportedSourceException>(() => archive.ImportFileAsync(path));
        Assert.Contains("in a format ffmpeg has no decoder for", e.Message);
        var many = Wav("many.wav", fmt =>
        {
            BinaryPrimitives.WriteUInt16LittleEndian(fmt[2..], 600);
            BinaryPrimitives.WriteUInt16LittleEndian(fmt[12..], 1_200);
        });
        // More channels than ffmpeg decodes: left to ffprobe, whose refusal is the error.
        Assert.Contains("Too many channels", (await Assert.ThrowsAsync<UnsupportedSourceException>(() => archive.ImportFileAsync(many))).Message);
    }

    [Fact]
    public async Task AFlacCommentLongerThanAnyBlockIsNamedAsMalformed()
    {
        var wav = AudioFixtures.MakeWav(_dir, "comment.wav", 48_000, 16, 1, 0.2);
        var flac = _dir.Combine("comment.flac");
        ProcessRunner.Run("flac", ["-s", "-f", "-5", "-T", "SITE=Wytham Woods", "-o", flac, wav]);
        var bytes = File.ReadAllBytes(flac);
        // The VORBIS_COMMENT block (after STREAMINFO and flac's SEEKTABLE): its vendor string's length goes past 2 GiB.
        var (block, index) = (4, 0);
        while ((bytes[block] & 0x7F) != 4) (block, index) = (block + 4 + (bytes[block + 1] << 16 | bytes[block + 2] << 8 | bytes[block + 3]), index + 1);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(block + 4), 0xFFFF_FFF0);
        var damaged = _dir.Combine("comment-damaged.flac");
        File.WriteAllBytes(damaged, bytes);
        using var archive = await NewArchive();
        // Before: an OverflowException.
        var e = await Assert.ThrowsAsync<UnsupportedSourceException>(() => archive.ImportFileAsync(damaged));
        Assert.Contains($"its VORBIS_COMMENT block (metadata block {index}, byte {block}) is malformed", e.Message);
    }
}
