using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MS2GAN.Search;

/// <summary>Wiring of the search service (the stores and the active model are registered by the shared setup).</summary>
public static class SearchServiceCollectionExtensions
{
    /// <summary>The search logic, and <see cref="SearchOptions"/> from the section "Search", validated on start.</summary>
    public static IServiceCollection AddSearchService(this IServiceCollection services)
    {
        services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SearchOptions>, SearchOptionsValidator>());
        services.AddSingleton<SearchService>();
        return services;
    }
}
