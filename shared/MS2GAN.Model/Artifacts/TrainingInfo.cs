namespace MS2GAN.Model.Artifacts;

/// <summary>How a model was trained: on what data, for how long, and which epoch was kept.</summary>
/// <param name="Dataset">The dataset's name.</param>
/// <param name="DataFingerprint">SHA-256 of the training features and labels.</param>
/// <param name="FitItems">Pairs the selection run trained on.</param>
/// <param name="ValidationItems">Pairs held out from them for choosing the epoch and the weights.</param>
/// <param name="TestItems">Pairs of the test split, scored after training.</param>
/// <param name="EpochsRun">Epochs the selection run ran (early stopping ends it before the cap).</param>
/// <param name="BestEpoch">The epoch with the best validation mAP.</param>
/// <param name="Seconds">Training time, the refit included.</param>
/// <param name="Threads">CPU threads TorchSharp used.</param>
/// <param name="RefitItems">When the exported network is a refit: the pairs it trained on (fit and validation); null otherwise.</param>
/// <param name="RefitEpochs">When the exported network is a refit: its epochs (those the selection chose); null otherwise.</param>
public sealed record TrainingInfo(
    string Dataset,
    string DataFingerprint,
    int FitItems,
    int ValidationItems,
    int TestItems,
    int EpochsRun,
    int BestEpoch,
    double Seconds,
    int Threads,
    int? RefitItems = null,
    int? RefitEpochs = null);
