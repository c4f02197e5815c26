namespace MS2GAN.Model.Artifacts;

/// <summary>How a model was trained: on what data, for how long, and which epoch was kept.</summary>
public sealed record TrainingInfo(
    string Dataset,
    string DataFingerprint,
    int FitItems,
    int ValidationItems,
    int TestItems,
    int EpochsRun,
    int BestEpoch,
    double Seconds,
    int Threads);
