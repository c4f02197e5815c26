namespace MS2GAN.ServiceDefaults;

/// <summary>Endpoint metadata: the endpoint asks for an API key (always, or only when search is keyed).</summary>
/// <param name="SearchOnly">True for search endpoints, keyed only when <see cref="ApiKeyOptions.RequireForSearch"/> is set.</param>
public sealed record ApiKeyRequirement(bool SearchOnly);
