namespace MS2GAN.Storage.Tests.Vectors;

/// <summary>A hit of the brute-force reference, scored in double precision.</summary>
public sealed record ReferenceHit(string ItemId, string Modality, double Score);
