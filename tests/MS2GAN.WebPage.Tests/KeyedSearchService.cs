using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MS2GAN.Model.Inference;
using MS2GAN.Search;
using MS2GAN.ServiceDefaults;
using MS2GAN.Storage.Items;
using MS2GAN.Storage.Media;
using MS2GAN.Storage.Vectors;

namespace MS2GAN.WebPage.Tests;

/// <summary>
/// A second search service over the demo site's stores and model (as a separate search process sharing them would be),
/// with search behind the API key (ApiKeys:RequireForSearch), on its own loopback port.
/// </summary>
public sealed class KeyedSearchService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KeyedSearchService(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<KeyedSearchService> StartAsync(IServiceProvider site, string apiKey)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration["Serilog:MinimumLevel:Default"] = "Warning";
        builder.Configuration["ApiKeys:Key"] = apiKey;
        builder.Configuration["ApiKeys:RequireForSearch"] = "true";
        builder.AddServiceDefaults("search");
        builder.Services.AddSingleton(site.GetRequiredService<SearchService>());
        builder.Services.AddSingleton(site.GetRequiredService<IItemStore>());
        builder.Services.AddSingleton(site.GetRequiredService<IMediaStore>());
        builder.Services.AddSingleton(site.GetRequiredService<IVectorStore>());
        builder.Services.AddSingleton(site.GetRequiredService<ModelCatalog>());
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapSearchEndpoints();
        return new KeyedSearchService(app, await app.StartOnLoopbackAsync());
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
