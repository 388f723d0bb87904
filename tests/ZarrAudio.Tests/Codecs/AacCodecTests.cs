using System.Numerics;
using Xunit.Abstractions;
using ZarrAudio.Archive;
using ZarrAudio.Codecs.Aac;
using ZarrAudio.Testing;
using ZarrAudio.Zarr.Stores;

namespace ZarrAudio.Tests;

/// <summary>AAC-LC through fdk-aac: reads land on the exact sample, every channel on equal terms, any rate.</summary>
public class AacCodecTests(ITestOutputHelper output)
{
    private static Task<AudioArchive> NewArchive() => AudioArchive.MountAsync(new MemoryStore(), "", create: true, ownsStore: true);
    private static readonly ImportOptions Aac = new() { Codec = "aac" };

    [Fact]
    public async Task AnImpulseReadsBackAtExactlyItsSampleFromAnyStart()
    {
        const int n = 48_000 * 4;
        var impulses = new[] { 300, 5000, 10 * 1024, 20 * 1024 - 1, 47_999, 100_000, 150_001, n - 1500, n - 1 };
        var data = new short[n];
        foreach (var at in impulses) data[at] = 24_000;
        using var archive = await NewArchive();
        var recording = await archive.ImportSamplesAsync(data, 48_000, Aac);
        Assert.Equal("aac", recording.Technical.Codec);
        Assert.Equal(n, recording.SampleCount);
        var random = new Random(11);
        foreach (var at in impulses)
            for (var k = 0; k < 8; k++)
            {
                // Starts before the impulse at every distance up to three frames (across frame boundaries), lengths to past it.
                var start = Math.Max(0, at - random.Next(0, 3 * 1024));
                var count = Math.Min(n - start, at - start + 1 + random.Next(0, 600));
                var block = (short[,])(await recording.ReadAsync(start, count)).Samples;
                // The largest sample within 600 of the impulse (impulses lie at least 1,400 apart).
                var best = at - start;
                for (var i = Math.Max(0, at - start - 600); i < Math.Min(count, at - start + 600); i++)
                    if (Math.Abs(block[i, 0]) > Math.Abs(block[best, 0])) best = i;
                Assert.True(start + best == at, $"impulse at {at} read from {start}: largest sample at {start + best}");
            }
    }

    [Fact]
    public async Task RandomReadsEqualTheFullDecodeBitForBitOnEveryChannelSubset()
    {
        const int n = 48_000 * 5;
        var data = AudioFixtures.Noise(n, 3, 0.3, 21);
        using var archive = await NewArchive();
        var recording = await archive.ImportSamplesAsync(data, 48_000, Aac);
        Assert.Equal(2, recording.Technical.StreamCount);
        var full = (short[,])(await recording.ReadAsync(0, n)).Samples;
        var random = new Random(4);
        for (var k = 0; k < 40; k++)
        {
            var start = random.Next(0, n - 1);
            var count = random.Next(1, Math.Min(n - start, 20_000) + 1);
            int[] channels = k % 3 == 0 ? [2, 0] : k % 3 == 1 ? [1] : [0, 1, 2];
            var part = (short[,])(await recording.ReadAsync(start, count, channels)).Samples;
            for (var i = 0; i < count; i++)
                for (var c = 0; c < channels.Length; c++)
                    Assert.Equal(full[start + i, channels[c]], part[i, c]);
        }
        var floats = (float[,])(await recording.ReadAsync(1000, 10, [1], asFloat: true)).Samples;
        Assert.Equal(full[1005, 1] / 32768f, floats[5, 0]);
        Assert.True((await recording.VerifyAsync()).IsValid);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(8)]
    [InlineData(12)]
    public async Task EveryChannelIsCodedOnEqualTermsAndNoneIsLowPassed(int channels)
    {
        const int n = 48_000 * 2;
        var data = AudioFixtures.Noise(n, channels, 0.25, channels);
        using var archive = await NewArchive();
        var recording = await archive.ImportSamplesAsync(data, 48_000, Aac);
        var back = (short[,])(await recording.ReadAsync(0, n)).Samples;
        var snr = new double[channels];
        var highBand = new double[channels];
        for (var c = 0; c < channels; c++)
        {
            double signal = 0, error = 0;
            for (var i = 2048; i < n - 2048; i++)
            {
                signal += (double)data[i, c] * data[i, c];
                error += Math.Pow(back[i, c] - data[i, c], 2);
            }
            snr[c] = 10 * Math.Log10(signal / error);
            // Energy kept between 14 and 18 kHz (an LFE channel would keep none; a band-limited one less).
            highBand[c] = 10 * Math.Log10(BandEnergy(back, c, 48_000, 14_000, 18_000) / BandEnergy(data, c, 48_000, 14_000, 18_000));
        }
        output.WriteLine($"{channels} channels: SNR {string.Join(", ", snr.Select(s => s.ToString("F2")))} dB; 14-18 kHz kept {string.Join(", ", highBand.Select(s => s.ToString("F2")))} dB");
        Assert.True(snr.Max() - snr.Min() <= 1.0, $"SNRs differ by {snr.Max() - snr.Min():F2} dB");
        Assert.True(highBand.Min() > -6, "a channel lost its high band");
        Assert.True(highBand.Max() - highBand.Min() <= 1.0, $"high bands differ by {highBand.Max() - highBand.Min():F2} dB");
    }

    public static TheoryData<int, double> RatesAndTones()
    {
        var data = new TheoryData<int, double>();
        foreach (var rate in new[] { 250_000, 256_000, 312_500, 384_000, 500_000 })
            foreach (var fraction in new[] { 0.1, 0.4, 0.8 })
                data.Add(rate, fraction);
        return data;
    }

    [Theory]
    [MemberData(nameof(RatesAndTones))]
    public async Task UltrasonicRatesKeepEveryToneInItsBinByRateReinterpretation(int rate, double fractionOfNyquist)
    {
        const int n = 65_536;
        var frequency = fractionOfNyquist * rate / 2;
        var data = new short[n];
        for (var i = 0; i < n; i++) data[i] = (short)(12_000 * Math.Sin(2 * Math.PI * frequency * i / rate));
        using var archive = await NewArchive();
        var recording = await archive.ImportSamplesAsync(data, rate, Aac);
        Assert.Equal(rate, recording.SampleRate);
        Assert.Equal(AacCodec.CarrierRate, recording.Technical.Extension("aac")!["carrier_rate"]!.GetValue<int>());
        var back = (short[,])(await recording.ReadAsync(0, n)).Samples;
        var spectrum = Spectrum(back, 0, 16_384, 16_384);
        var peak = Array.IndexOf(spectrum, spectrum.Max());
        var expectedBin = (int)Math.Round(frequency / rate * 16_384);
        Assert.InRange(peak, expectedBin - 1, expectedBin + 1);
        double signal = 0, error = 0;
        for (var i = 2048; i < n - 2048; i++)
        {
            signal += (double)data[i] * data[i];
            error += Math.Pow(back[i, 0] - data[i], 2);
        }
        var snr = 10 * Math.Log10(signal / error);
        output.WriteLine($"{rate} Hz, tone at {frequency:F0} Hz: peak bin {peak} (expected {expectedBin}), SNR {snr:F1} dB");
        Assert.True(snr >= 20, $"SNR {snr:F1} dB");
    }

    public static TheoryData<string> BatRecordings() =>
        [GeneratedRecordings.EchoMeter, GeneratedRecordings.Batlogger, "Rhinolophus_refulgens_RHRE92VA_20kHzHP_0.wav", "deermouse-go.wav"];

    /// <summary>The shared bat and rodent recordings as AAC at the default bitrate: the SNR against the source is reported.</summary>
    [Theory]
    [MemberData(nameof(BatRecordings))]
    public async Task FieldRecordingsOfBatsKeepTheirSignal(string name)
    {
        var path = RepoPaths.TestData(name);
        using var archive = await NewArchive();
        var recording = await archive.ImportFileAsync(path, Aac);
        var source = AudioFixtures.FfmpegDecodeFloat(path);
        var back = (float[,])(await recording.ReadAsync(0, recording.SampleCount, asFloat: true)).Samples;
        Assert.Equal(source.Length, back.Length);
        double signal = 0, error = 0;
        for (var i = 0; i < source.Length; i++)
        {
            var s = Math.Clamp(source[i], -1f, 32767f / 32768f);
            signal += (double)s * s;
            error += Math.Pow(back[i / recording.Channels, i % recording.Channels] - s, 2);
        }
        var snr = 10 * Math.Log10(signal / error);
        output.WriteLine($"{name}: {recording.SampleRate} Hz, {recording.Technical.StoredBytes:N0} B stored, SNR {snr:F1} dB");
        // White noise, the worst case for a perceptual coder, keeps 6 dB at the default bitrate (the channel test above).
        Assert.True(snr >= 6, $"SNR {snr:F1} dB");
    }

    [Fact]
    public async Task BadBitratesDamagedFramesAndLostShardsAreClearErrors()
    {
        using var archive = await NewArchive();
        var low = await Assert.ThrowsAsync<UnsupportedSourceException>(() => archive.ImportSamplesAsync(new short[4800, 2], 48_000, new ImportOptions { Codec = "aac", CodecOptions = new([new("Bitrate", 1_000)]) }));
        Assert.Contains("24,000 to 576,000 bit/s", low.Message);
        Assert.Empty(await archive.ListIdsAsync());

        using var dir = new TempDirectory();
        using (var writer = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true))
            await writer.ImportSamplesAsync(AudioFixtures.Noise(48_000 * 3, 1, 0.3, 3), 48_000, Aac);
        var shard = Directory.GetFiles(dir.Combine("a", "1", "aac0", "c"), "*", SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(shard);
        bytes[bytes.Length / 2] ^= 0x21;
        File.WriteAllBytes(shard, bytes);
        using var damaged = await AudioArchive.MountAsync(dir.Combine("a"), "", create: false);
        var recording = await damaged.GetRecordingAsync(1);
        await Assert.ThrowsAsync<CorruptRecordingException>(() => recording.ReadAsync(0, recording.SampleCount));
        var report = await recording.VerifyAsync();
        Assert.False(report.IsValid);
        File.Delete(shard);
        using var emptied = await AudioArchive.MountAsync(dir.Combine("a"), "", create: false);
        await Assert.ThrowsAsync<CorruptRecordingException>(async () => await (await emptied.GetRecordingAsync(1)).ReadAsync(0, 100));
    }

    [Fact]
    public async Task AWholeRecordingExportsToM4aAndAacByCopyingItsFramesAndARangeIsReencoded()
    {
        using var dir = new TempDirectory();
        using var archive = await AudioArchive.MountAsync(dir.Combine("a"), "", create: true);
        var recording = await archive.ImportSamplesAsync(AudioFixtures.Noise(48_000 * 2, 2, 0.2, 8), 48_000, Aac);
        var index = await ZarrAudio.Zarr.ZarrArray.OpenAsync(archive.Store, "1/frames0");
        var pairs = await index.ReadAsync<long>([0, 0], index.Shape);
        var length = (await ZarrAudio.Zarr.ZarrArray.OpenAsync(archive.Store, "1/aac0")).Shape[0];
        var stored = Enumerable.Range(0, pairs.Length / 2).Select(i => (i + 1 < pairs.Length / 2 ? pairs[2 * i + 2] : length) - pairs[2 * i]).ToArray();

        foreach (var name in new[] { "whole.m4a", "whole.aac" })
        {
            var file = dir.Combine(name);
            await ZarrAudio.Export.RecordingExporter.ExportAsync(recording, file, new ZarrAudio.Export.ExportRequest());
            // Every stored frame is in the file as it is; the MP4's edit list ends on the last sample, so the demuxer
            // would leave out the frame past it unless told to ignore the edit list.
            var sizes = ProcessRunner.Run("ffprobe", ["-v", "error", .. name.EndsWith(".m4a") ? new[] { "-ignore_editlist", "1" } : [], "-i", file,
                    "-select_streams", "a:0", "-show_entries", "packet=size", "-of", "csv=p=0"])
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => long.Parse(l.Trim().TrimEnd(','))).ToArray();
            // ADTS packets as ffprobe counts them include the 7-byte header.
            Assert.Equal(stored, sizes.Select(s => name.EndsWith(".aac") ? s - 7 : s).ToArray());
        }
        var range = dir.Combine("range.m4a");
        await ZarrAudio.Export.RecordingExporter.ExportAsync(recording, range, new ZarrAudio.Export.ExportRequest { Start = 1000, Count = 20_000 });
        var rangeSizes = ProcessRunner.Run("ffprobe", ["-v", "error", "-select_streams", "a:0", "-show_entries", "packet=size", "-of", "csv=p=0", range]);
        Assert.NotEqual(stored.Take(5), rangeSizes.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => long.Parse(l.Trim().TrimEnd(','))).Take(5));
    }

    private static double BandEnergy(short[,] samples, int channel, int rate, double low, double high)
    {
        var total = 0.0;
        for (var start = 4096; start + 4096 <= samples.GetLength(0) - 4096; start += 4096)
        {
            var spectrum = Spectrum(samples, channel, 4096, 4096, start);
            for (var bin = (int)(low / rate * 4096); bin <= (int)(high / rate * 4096); bin++) total += spectrum[bin];
        }
        return total;
    }

    /// <summary>Power spectrum (first half) of <paramref name="length"/> samples of one channel (radix-2 FFT, Hann window).</summary>
    private static double[] Spectrum(short[,] samples, int channel, int length, int size, int start = 0)
    {
        var x = new Complex[size];
        for (var i = 0; i < length; i++) x[i] = samples[start + i, channel] * (0.5 - 0.5 * Math.Cos(2 * Math.PI * i / length));
        for (int i = 1, j = 0; i < size; i++)
        {
            var bit = size >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) (x[i], x[j]) = (x[j], x[i]);
        }
        for (var len = 2; len <= size; len <<= 1)
        {
            var w = Complex.FromPolarCoordinates(1, -2 * Math.PI / len);
            for (var i = 0; i < size; i += len)
            {
                var wn = Complex.One;
                for (var k = 0; k < len / 2; k++, wn *= w)
                {
                    var (a, b) = (x[i + k], x[i + k + len / 2] * wn);
                    (x[i + k], x[i + k + len / 2]) = (a + b, a - b);
                }
            }
        }
        return x.Take(size / 2).Select(c => c.Magnitude * c.Magnitude).ToArray();
    }
}
