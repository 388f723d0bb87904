using System.Text.Json.Nodes;
using ZarrAudio.Import;
using ZarrAudio.Testing;

namespace ZarrAudio.Tests;

/// <summary>A plain WAV's probe made without ffprobe must be what ffprobe reports, field for field.</summary>
public class WavProbeTests
{
    public static TheoryData<string> SharedWavs() =>
    [
        "spinetail.wav", GeneratedRecordings.EchoMeter, GeneratedRecordings.Batlogger, "Rhinolophus_refulgens_RHRE92VA_20kHzHP_0.wav",
        "SPKRPLAYBACK_multichirp_2018-08-18_09-15-06_ch9-12_first2s.wav", "GRAS_1Pa_240819_0331.wav", "deermouse-go.wav",
    ];

    [Theory]
    [MemberData(nameof(SharedWavs))]
    public async Task TheReportOfEveryPlainFieldRecordingIsFfprobes(string name) => await AssertSameReport(RepoPaths.TestData(name));

    [Theory]
    [InlineData(8000, 8, 1, "unsigned-integer")]
    [InlineData(48000, 16, 2, "signed-integer")]
    [InlineData(96000, 24, 1, "signed-integer")]
    [InlineData(44100, 32, 2, "signed-integer")]
    [InlineData(192000, 32, 1, "floating-point")]
    [InlineData(22050, 64, 2, "floating-point")]
    public async Task TheReportOfGeneratedWavsIsFfprobes(int rate, int bits, int channels, string encoding)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("g.wav");
        ProcessRunner.Run("sox", ["-n", "-r", rate.ToString(), "-b", bits.ToString(), "-c", channels.ToString(), "-e", encoding,
            path, "synth", "0.37", "pinknoise", "vol", "0.2"]);
        await AssertSameReport(path, allowFallback: channels > 2 || bits > 16 && encoding != "floating-point");
        // With the LIST/INFO chunk an AudioMoth writes (and a key ffmpeg does not rename), after the samples.
        AppendInfo(path, ("IART", "AudioMoth 24526B065D325963"), ("ICMT", "Recorded at 04:25:00 by AudioMoth at gain 2."), ("IXYZ", "odd key"));
        var tagged = await AssertSameReport(path, allowFallback: channels > 2 || bits > 16 && encoding != "floating-point");
        if (tagged is not null) Assert.Equal("odd key", tagged.Report["format"]!["tags"]!["IXYZ"]!.GetValue<string>());
    }

    private static void AppendInfo(string path, params (string Key, string Value)[] entries)
    {
        using var body = new MemoryStream();
        body.Write("INFO"u8);
        foreach (var (key, value) in entries)
        {
            var text = System.Text.Encoding.UTF8.GetBytes(value + "\0");
            body.Write(System.Text.Encoding.ASCII.GetBytes(key));
            body.Write(BitConverter.GetBytes(text.Length));
            body.Write(text);
            if (text.Length % 2 == 1) body.WriteByte(0);
        }
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Seek(0, SeekOrigin.End);
        if (file.Length % 2 == 1) file.WriteByte(0);
        file.Write("LIST"u8);
        file.Write(BitConverter.GetBytes((int)body.Length));
        file.Write(body.ToArray());
        file.Seek(4, SeekOrigin.Begin);
        file.Write(BitConverter.GetBytes((int)(file.Length - 8)));
    }

    [Fact]
    public async Task FilesWhoseReportItCannotReproduceAreLeftToFfprobe()
    {
        // metadata.wav carries an id3 chunk, whose tags ffmpeg reads.
        var path = RepoPaths.TestData("metadata.wav");
        Assert.Null(WavProbe.TryProbe(path));
        var probe = await SourceProbe.ProbeAsync(path, null, CancellationToken.None);
        Assert.Equal("AudioMoth 24526B065D325963", probe.Report["format"]!["tags"]!["artist"]!.GetValue<string>());
    }

    private static async Task<SourceProbe?> AssertSameReport(string path, bool allowFallback = false)
    {
        var native = WavProbe.TryProbe(path);
        if (native is null && allowFallback) return null;
        Assert.NotNull(native);
        var ffprobe = await SourceProbe.ProbeWithFfprobeAsync(path, null, CancellationToken.None);
        Assert.True(JsonNode.DeepEquals(ffprobe.Report, native.Report), $"ffprobe: {ffprobe.Report.ToJsonString()}\nnative:  {native.Report.ToJsonString()}");
        // The sample count is exact from the header; FFMpegCore's estimate comes from a millisecond duration.
        Assert.Equal(ffprobe with { Report = native.Report, EstimatedSamples = native.EstimatedSamples }, native);
        Assert.Equal(native.Report["streams"]![0]!["duration_ts"]!.GetValue<long>(), native.EstimatedSamples);
        Assert.InRange(native.EstimatedSamples - ffprobe.EstimatedSamples, -native.SampleRate / 100, native.SampleRate / 100);
        return native;
    }
}
