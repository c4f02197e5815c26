namespace MS2GAN.Search;

/// <summary>Wiring of the search service (the stores and the active model are registered by the shared setup).</summary>
public static class SearchServiceCollectionExtensions
{
    /// <summary>The search logic.</summary>
    public static IServiceCollection AddSearchService(this IServiceCollection services)
    {
        services.AddSingleton<SearchService>();
        return services;
    }
}
