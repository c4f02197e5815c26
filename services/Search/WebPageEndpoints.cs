using Microsoft.Extensions.FileProviders;

namespace MS2GAN.Search;

/// <summary>
/// The web page for people: search, item and status views under <c>/ui/</c> (plain HTML, CSS and JavaScript embedded in
/// this assembly, nothing fetched from elsewhere), and the endpoints they read besides POST /v1/search.
/// </summary>
public static class WebPageEndpoints
{
    /// <summary>Where the page lives.</summary>
    public const string Path = "/ui";

    /// <summary>Serves the page's files under <see cref="Path"/> and redirects <c>/</c> there.</summary>
    internal static WebApplication MapWebPage(this WebApplication app)
    {
        var files = new EmbeddedFileProvider(typeof(WebPageEndpoints).Assembly, "MS2GAN.Search.WebPage");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = Path });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = Path,
            // The files change with the build; a browser asks again rather than keep an old script.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        app.MapGet("/", () => TypedResults.Redirect($"{Path}/")).ExcludeFromDescription();
        return app;
    }
}
