using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MS2GAN.Pipeline;
using MS2GAN.ServiceDefaults;

namespace MS2GAN.Search;

/// <summary>The search service's registrations, called by its own Program.cs and by the all-in-one host alike.</summary>
public static class SearchServiceExtensions
{
    /// <summary>
    /// Adds the stores and the served model (once per process), the search logic and <see cref="SearchOptions"/> from the
    /// section "Search", validated on start. Search needs no bus.
    /// </summary>
    public static IHostApplicationBuilder AddSearchService(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddMs2GanStorage(builder.Configuration);
        services.AddMs2GanModel(builder.Configuration);
        services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SearchOptions>, SearchOptionsValidator>());
        services.AddSingleton<SearchService>();
        services.AddOpenApiTag("Search", "kNN search across modalities, and the items, media and status the web page shows.");
        return builder;
    }

    /// <summary>
    /// Maps everything the search service answers: <c>POST /v1/search</c>, the item and status endpoints the web page
    /// reads, and the web page itself under <see cref="WebPageEndpoints.Path"/>.
    /// </summary>
    public static WebApplication MapSearchEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapSearchApi();
        app.MapItemEndpoints();
        app.MapStatusEndpoints();
        app.MapWebPage();
        return app;
    }
}
