using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ZarrAudio.Analysis.Models;

/// <summary>
/// An ONNX model of audio, loaded with ONNX Runtime (CPU): one float input of raw samples, [batch, samples] or
/// [batch, 1, samples], one float output [batch, labels]. The shapes and the labels are checked when it is loaded, so
/// a model that does not fit fails before any audio is read.
/// </summary>
public sealed class AudioModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _input, _output;
    private readonly bool _channelAxis;
    private readonly SpectrogramOptions? _spectrogram;
    private readonly int _rate;

    public AudioModel(AudioModelOptions options)
    {
        options.Validate();
        (_spectrogram, _rate) = (options.Spectrogram, options.SampleRate);
        try { _session = new InferenceSession(options.ModelPath, new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount }); }
        catch (OnnxRuntimeException e) { throw new InvalidModelException($"{options.ModelPath} is not a model ONNX Runtime can load: {e.Message}", e); }
        try
        {
            if (_session.InputMetadata.Count != 1 || _session.OutputMetadata.Count < 1)
                throw new InvalidModelException($"the model takes {_session.InputMetadata.Count} inputs; an audio model takes one (raw samples).");
            var (name, input) = _session.InputMetadata.First();
            var (outName, output) = _session.OutputMetadata.First();
            (_input, _output) = (name, outName);
            if (input.ElementType != typeof(float) || output.ElementType != typeof(float))
                throw new InvalidModelException($"the model's input '{name}' or output '{outName}' is not float32.");
            var dims = input.Dimensions;
            if (options.Spectrogram is { } spectrogram)
            {
                WindowSamples = (int)Reading.RangeRequest.ToSample(options.WindowSeconds!.Value, options.SampleRate);
                var probe = SpectrogramComputer.Compute(new float[WindowSamples], options.SampleRate, spectrogram);
                FeatureShape = probe.Shape;
                _channelAxis = dims.Length == 4;
                var (f, t) = (dims[^2], dims[^1]);
                if (dims.Length is not (3 or 4) || (_channelAxis && dims[1] is not (1 or -1)) || (f > 0 && f != FeatureShape[0]) || (t > 0 && t != FeatureShape[1]))
                    throw new InvalidModelException($"the model's input '{name}' has shape [{string.Join(", ", dims)}]; spectrograms of {options.WindowSeconds} s windows are [batch, {FeatureShape[0]}, {FeatureShape[1]}].");
            }
            else
            {
                _channelAxis = dims.Length == 3;
                if (dims.Length is not (2 or 3) || (_channelAxis && dims[1] is not (1 or -1)))
                    throw new InvalidModelException($"the model's input '{name}' has shape [{string.Join(", ", dims)}]; an audio model takes [batch, samples] or [batch, 1, samples].");
                var fixedSamples = dims[^1] > 0 ? dims[^1] : (int?)null;
                WindowSamples = options.WindowSeconds is { } seconds ? (int)Reading.RangeRequest.ToSample(seconds, options.SampleRate)
                    : fixedSamples ?? throw new InvalidModelException($"the model's input '{name}' takes any number of samples: give the window's length in seconds.");
                if (fixedSamples is { } fs && fs != WindowSamples)
                    throw new InvalidModelException($"the model takes windows of {fs} samples ({fs / (double)options.SampleRate:0.###} s at {options.SampleRate} Hz), not {WindowSamples}.");
            }
            var outDims = output.Dimensions;
            if (outDims.Length != 2) throw new InvalidModelException($"the model's output '{outName}' has shape [{string.Join(", ", outDims)}]; a detector gives [batch, labels].");
            Labels = options.Labels ?? Enumerable.Range(0, Math.Max(1, outDims[1])).Select(i => $"class_{i}").ToList();
            if (outDims[1] > 0 && outDims[1] != Labels.Count)
                throw new InvalidModelException($"the labels name {Labels.Count} classes; the model's output '{outName}' has {outDims[1]}.");
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    public int WindowSamples { get; }
    /// <summary>[frequency, time] of each window's spectrogram, for a model of spectrograms; null for one of samples.</summary>
    public int[]? FeatureShape { get; }
    /// <summary>Floats one window takes as the model's input.</summary>
    public int InputLength => FeatureShape is { } f ? f[0] * f[1] : WindowSamples;
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Scores [count, labels] for <paramref name="count"/> windows of <see cref="InputLength"/> floats in <paramref name="windows"/>.</summary>
    public float[] Run(float[] windows, int count)
    {
        int[] shape = FeatureShape is { } f
            ? _channelAxis ? [count, 1, f[0], f[1]] : [count, f[0], f[1]]
            : _channelAxis ? [count, 1, WindowSamples] : [count, WindowSamples];
        var tensor = new DenseTensor<float>(windows.AsMemory(0, count * InputLength), shape);
        try
        {
            using var results = _session.Run([NamedOnnxValue.CreateFromTensor(_input, tensor)], [_output]);
            var scores = results.First().AsTensor<float>();
            if (scores.Dimensions.Length != 2 || scores.Dimensions[0] != count || scores.Dimensions[1] != Labels.Count)
                throw new InvalidModelException($"the model gave scores of shape [{string.Join(", ", scores.Dimensions.ToArray())}] for {count} windows and {Labels.Count} labels.");
            return scores.ToArray();
        }
        catch (OnnxRuntimeException e) { throw new ModelFailedException($"the model failed on a batch of {count} windows: {e.Message}", e); }
    }

    /// <summary>The model's input for one window of samples: the samples, or their spectrogram [frequency, time].</summary>
    public void Features(ReadOnlySpan<float> window, Span<float> into)
    {
        if (_spectrogram is null)
        {
            window.CopyTo(into);
            return;
        }
        SpectrogramComputer.Compute(window, _rate, _spectrogram).Values.CopyTo(into);
    }

    public void Dispose() => _session.Dispose();
}
