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

    public AudioModel(AudioModelOptions options)
    {
        options.Validate();
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
            _channelAxis = dims.Length == 3;
            if (dims.Length is not (2 or 3) || (_channelAxis && dims[1] is not (1 or -1)))
                throw new InvalidModelException($"the model's input '{name}' has shape [{string.Join(", ", dims)}]; an audio model takes [batch, samples] or [batch, 1, samples].");
            var fixedSamples = dims[^1] > 0 ? dims[^1] : (int?)null;
            WindowSamples = options.WindowSeconds is { } seconds ? (int)Reading.RangeRequest.ToSample(seconds, options.SampleRate)
                : fixedSamples ?? throw new InvalidModelException($"the model's input '{name}' takes any number of samples: give the window's length in seconds.");
            if (fixedSamples is { } f && f != WindowSamples)
                throw new InvalidModelException($"the model takes windows of {f} samples ({f / (double)options.SampleRate:0.###} s at {options.SampleRate} Hz), not {WindowSamples}.");
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
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Scores [count, labels] for <paramref name="count"/> windows of <see cref="WindowSamples"/> in <paramref name="windows"/>.</summary>
    public float[] Run(float[] windows, int count)
    {
        var shape = _channelAxis ? new[] { count, 1, WindowSamples } : new[] { count, WindowSamples };
        var tensor = new DenseTensor<float>(windows.AsMemory(0, count * WindowSamples), shape);
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

    public void Dispose() => _session.Dispose();
}
