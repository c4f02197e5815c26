using MS2GAN.Model.Evaluation;

namespace MS2GAN.Model.Artifacts;

/// <summary>Retrieval quality of a model on its validation split and, measured after selection, its test split.</summary>
public sealed record ModelMetrics(RetrievalReport Validation, RetrievalReport? Test);
