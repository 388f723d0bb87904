using System.Buffers.Binary;
using System.Text;

namespace ZarrAudio.Testing;

/// <summary>
/// Stand-ins for field recordings whose licence forbids redistribution (tests/data/SOURCES.md): bat-detector WAVs
/// with the same rate, format and GUANO fields as the originals, written once per test process.
/// </summary>
public static class GeneratedRecordings
{
    /// <summary>Like an Echo Meter Touch 2 file: 256 kHz, 16-bit mono, 7 s, GUANO with a species id and a position.</summary>
    public const string EchoMeter = "generated-echometer-256k.wav";

    /// <summary>Like a BATLOGGER S2 file: 312.5 kHz (an unusual rate), 16-bit mono, 4.03 s, GUANO with a local timestamp.</summary>
    public const string Batlogger = "generated-batlogger-312k.wav";

    private static readonly TempDirectory Folder = CreateFolder();
    private static readonly Lock Writing = new();

    private static TempDirectory CreateFolder()
    {
        var folder = new TempDirectory("zarraudio-generated");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => folder.Dispose();
        return folder;
    }

    public static bool IsGenerated(string name) => name is EchoMeter or Batlogger;

    /// <summary>The path of a generated recording, written on first use into a folder removed when the process exits.</summary>
    public static string PathOf(string name)
    {
        var path = Folder.Combine(name);
        lock (Writing)
        {
            if (File.Exists(path)) return path;
            var (rate, seconds, sweep, guano) = name switch
            {
                EchoMeter => (256_000, 6.983, (High: 80_000.0, Low: 45_000.0), EchoMeterGuano),
                Batlogger => (312_500, 4.03, (High: 110_000.0, Low: 40_000.0), BatloggerGuano),
                _ => throw new ArgumentException($"No generated recording is named '{name}'.", nameof(name)),
            };
            var temp = path + ".tmp";
            File.WriteAllBytes(temp, Wav(rate, BatCalls(rate, (int)(rate * seconds), sweep.High, sweep.Low, seed: rate), guano));
            File.Move(temp, path);
        }
        return path;
    }

    private const string EchoMeterGuano =
        "GUANO|Version:  1.0\nFirmware Version: App 2.8.14\nLength: 6983.00\nLoc Position: 50.7179417 -1.7611083\n" +
        "Loc Elevation: 51.2\nMake: Wildlife Acoustics\nModel: Echo Meter Touch 2 Standard Android\nSamplerate: 256000\n" +
        "Species Auto ID: PIPPIP\nSpecies Manual ID: PIPPIP\nTimestamp:  2022-08-15 21:34:14+0100\nWA|Echo Meter|Auto ID: PIPPIP\n";

    private const string BatloggerGuano =
        "GUANO|Version: 1.0\nMake: BATLOGGER\nModel: S2\nSerial: 22060166\nFirmware Version: 1.1.0\nTimestamp: 2024-05-31T22:39:11\n" +
        "Length: 4.03\nTemperature Ext: 15.4\nLoc Position: 49.093119 5.047867\nBATLOGGER|Trigger|Frequency: 75.4\n";

    /// <summary>Quiet noise with a 4 ms downward FM sweep every 90 ms (a pipistrelle-like pass), reproducible from the seed.</summary>
    private static short[] BatCalls(int rate, int frames, double high, double low, int seed)
    {
        var random = new Random(seed);
        var samples = new short[frames];
        var call = (int)(0.004 * rate);
        var interval = (int)(0.090 * rate);
        for (var i = 0; i < frames; i++)
        {
            var value = (random.NextDouble() - 0.5) * 60;
            var t = i % interval;
            if (t < call)
            {
                // Linear sweep: the phase is the integral of the instantaneous frequency; a Hann envelope shapes the call.
                var seconds = (double)t / rate;
                var duration = (double)call / rate;
                var phase = 2 * Math.PI * (high * seconds + (low - high) * seconds * seconds / (2 * duration));
                var envelope = 0.5 - 0.5 * Math.Cos(2 * Math.PI * t / call);
                value += 9000 * envelope * Math.Sin(phase);
            }
            samples[i] = (short)Math.Round(value);
        }
        return samples;
    }

    /// <summary>A 16-bit mono PCM WAV with a <c>guan</c> chunk after the data, where the detectors put it.</summary>
    private static byte[] Wav(int rate, short[] samples, string guano)
    {
        var text = Encoding.UTF8.GetBytes(guano);
        var guanoPadded = text.Length + (text.Length & 1);
        var dataBytes = samples.Length * 2;
        var size = 12 + 8 + 16 + 8 + dataBytes + (dataBytes & 1) + 8 + guanoPadded;
        var wav = new byte[size];
        var s = wav.AsSpan();
        Encoding.ASCII.GetBytes("RIFF").CopyTo(s);
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], size - 8);
        Encoding.ASCII.GetBytes("WAVEfmt ").CopyTo(s[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(s[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(s[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(s[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(s[24..], rate);
        BinaryPrimitives.WriteInt32LittleEndian(s[28..], rate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(s[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(s[34..], 16);
        Encoding.ASCII.GetBytes("data").CopyTo(s[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(s[40..], dataBytes);
        for (var i = 0; i < samples.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(s[(44 + 2 * i)..], samples[i]);
        var at = 44 + dataBytes + (dataBytes & 1);
        Encoding.ASCII.GetBytes("guan").CopyTo(s[at..]);
        BinaryPrimitives.WriteInt32LittleEndian(s[(at + 4)..], text.Length);
        text.CopyTo(s[(at + 8)..]);
        return wav;
    }
}
