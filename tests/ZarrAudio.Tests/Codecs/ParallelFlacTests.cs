using ZarrAudio.Archive;
using ZarrAudio.Codecs.Flac;
using ZarrAudio.Testing;
using ZarrAudio.Zarr;

namespace ZarrAudio.Tests;

/// <summary>
/// A long recording's FLAC stream is encoded in runs on every core and joined: it must be the stream one libFLAC encoder
/// (the flac tool) makes of the same samples, frame for frame, with the same STREAMINFO, and pass flac -t.
/// </summary>
public class ParallelFlacTests
{
    [Theory]
    [InlineData(48_000, 16, 2, 31.3)]
    [InlineData(384_000, 24, 1, 5.1)]
    public async Task RunsEncodedInParallelJoinIntoTheStreamOneEncoderMakes(int rate, int bits, int channels, double seconds)
    {
        using var dir = new TempDirectory();
        var wav = AudioFixtures.MakeWav(dir, "long.wav", rate, bits, channels, seconds);
        using var archive = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true);
        var recording = await archive.ImportFileAsync(wav);
        var stream = await ZarrArray.OpenAsync(archive.Store, "1/flac0");
        var frames = await stream.ReadRegionAsync([0], stream.Shape);
        var ours = StreamInfo.FromHeader(Convert.FromBase64String(stream.Attributes["flac_header"]!.GetValue<string>()));
        Assert.True(frames.Length > 4 * 1024 * 1024 / 8, "long enough for several runs");

        var reference = dir.Combine("reference.flac");
        ProcessRunner.Run("flac", ["-5", "-s", "-f", "--no-seektable", "--no-padding", "-o", reference, wav]);
        var file = File.ReadAllBytes(reference);
        var theirs = StreamInfo.FromHeader(file.AsSpan(0, StreamInfo.HeaderLength));
        // The flac tool writes a VORBIS_COMMENT after STREAMINFO; its frames follow the last metadata block.
        var at = 4;
        while (true)
        {
            var last = (file[at] & 0x80) != 0;
            at += 4 + ((file[at + 1] << 16) | (file[at + 2] << 8) | file[at + 3]);
            if (last) break;
        }
        Assert.Equal(file.AsSpan(at).ToArray(), frames);
        Assert.Equal(theirs with { Md5 = [] }, ours with { Md5 = [] });
        Assert.Equal(theirs.Md5Hex, ours.Md5Hex);

        var joined = dir.Combine("joined.flac");
        File.WriteAllBytes(joined, [.. ours.ToHeader(), .. frames]);
        ProcessRunner.Run("flac", ["-t", "-s", joined]);
        Assert.Equal(AudioFixtures.FfmpegDecode(wav, bits), AudioFixtures.Flatten((await recording.ReadAsync(0, recording.SampleCount)).Samples));
    }
}
