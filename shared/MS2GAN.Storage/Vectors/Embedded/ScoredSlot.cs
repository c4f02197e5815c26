namespace MS2GAN.Storage.Vectors.Embedded;

/// <summary>A candidate: a slot of an index and its score.</summary>
internal readonly record struct ScoredSlot(double Score, int Slot);
