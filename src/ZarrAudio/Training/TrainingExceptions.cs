namespace ZarrAudio.Training;

/// <summary>A training read asked for something that cannot be done (a rate of 0, an empty crop, an SNR range reversed…): refused before any work starts.</summary>
public sealed class InvalidTrainingOptionException(string option, string message) : ZarrAudioException($"{option}: {message}")
{
    public string Option { get; } = option;
}
