using System.Runtime.InteropServices;

namespace ZarrAudio.Testing;

/// <summary>Test audio made with sox and decoded by ffmpeg, the reference the archive must match sample for sample.</summary>
public static class AudioFixtures
{
    /// <summary>A WAV of noise plus a tone, made by sox.</summary>
    /// <param name="repeatable">The same noise on every run (sox -R), for seeded tests; otherwise each file differs.</param>
    public static string MakeWav(TempDirectory dir, string name, int rate, int bits, int channels, double seconds, bool repeatable = false)
    {
        var path = dir.Combine(name);
        ProcessRunner.Run("sox", [.. repeatable ? ["-R"] : Array.Empty<string>(), "-n", "-r", rate.ToString(), "-b", bits.ToString(), "-c", channels.ToString(), "-e", bits == 8 ? "unsigned-integer" : "signed-integer", path,
            "synth", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "whitenoise", "vol", "0.5", "synth", "sine", "mix", "1000"]);
        return path;
    }

    /// <summary>
    /// The reference decoder's samples: `flac -d` (native or Ogg FLAC) to raw signed little-endian, widened to int32.
    /// </summary>
    public static int[] FlacDecode(TempDirectory dir, string flac, int bits)
    {
        var raw = dir.Combine(Path.GetFileNameWithoutExtension(flac) + "-reference.raw");
        var ogg = File.ReadAllBytes(flac).AsSpan(0, 4).SequenceEqual("OggS"u8);
        ProcessRunner.Run("flac", ["-s", "-f", "-d", .. ogg ? ["--ogg"] : Array.Empty<string>(), "--force-raw-format", "--endian=little", "--sign=signed", "-o", raw, flac]);
        var bytes = File.ReadAllBytes(raw);
        var width = (bits + 7) / 8;
        var samples = new int[bytes.Length / width];
        for (var i = 0; i < samples.Length; i++)
        {
            var v = 0;
            for (var b = 0; b < width; b++) v |= bytes[i * width + b] << (8 * b);
            samples[i] = width == 4 ? v : v << (32 - 8 * width) >> (32 - 8 * width);
        }
        return samples;
    }

    /// <summary>ffmpeg's decode of a file's first audio stream as interleaved int32 scaled to <paramref name="bits"/>.</summary>
    public static int[] FfmpegDecode(string path, int bits, int audioStream = 0)
    {
        var samples = MemoryMarshal.Cast<byte, int>(FfmpegRaw(path, "s32le", "pcm_s32le", audioStream)).ToArray();
        for (var i = 0; i < samples.Length; i++) samples[i] >>= 32 - bits;
        return samples;
    }

    /// <summary>ffmpeg's decode as interleaved float32.</summary>
    public static float[] FfmpegDecodeFloat(string path) =>
        MemoryMarshal.Cast<byte, float>(FfmpegRaw(path, "f32le", "pcm_f32le", 0)).ToArray();

    private static byte[] FfmpegRaw(string path, string format, string codec, int audioStream)
    {
        var info = new System.Diagnostics.ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-v", "error", "-i", path, "-map", $"0:a:{audioStream}", "-f", format, "-c:a", codec, "-" }) info.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var memory = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(memory);
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException("ffmpeg failed: " + stderr.Result);
        return memory.ToArray();
    }

    /// <summary>Flattens a [frame, channel] block to interleaved int32.</summary>
    public static int[] Flatten(Array samples) => samples switch
    {
        short[,] s => MemoryMarshal.CreateReadOnlySpan(ref s[0, 0], s.Length).ToArray().Select(v => (int)v).ToArray(),
        int[,] i => MemoryMarshal.CreateReadOnlySpan(ref i[0, 0], i.Length).ToArray(),
        _ => throw new ArgumentException("not an integer block"),
    };

    /// <summary>Reproducible white noise at <paramref name="level"/> of full scale, as 16-bit [frame, channel] samples.</summary>
    public static short[,] Noise(int frames, int channels, double level, int seed)
    {
        var random = new Random(seed);
        var data = new short[frames, channels];
        for (var i = 0; i < frames; i++)
            for (var c = 0; c < channels; c++)
                data[i, c] = (short)Math.Round((random.NextDouble() * 2 - 1) * level * 32767);
        return data;
    }
}
