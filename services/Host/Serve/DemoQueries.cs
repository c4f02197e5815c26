using Microsoft.Extensions.DependencyInjection;
using MS2GAN.Features.Demo;
using MS2GAN.Search;

namespace MS2GAN.Host.Serve;

/// <summary>A few text->image and image->text queries on the demo data, printed with their results.</summary>
public static class DemoQueries
{
    /// <summary>Runs the example queries through the search service and prints them.</summary>
    public static async Task PrintAsync(IServiceProvider services, string demoDirectory, TextWriter output, CancellationToken cancellation)
    {
        var search = services.GetRequiredService<SearchService>();
        foreach (var text in new[] { "a red circle covered in dots", "a blue square with stripes", "a yellow star drawn as an outline" })
        {
            var response = await search.SearchAsync(new SearchRequest { Query = new SearchQuery(text, null, null, null, null), Target = "image", K = 5 }, cancellation);
            Print(output, $"text -> image: \"{text}\"", response);
        }
        var first = DemoCorpus.Read(demoDirectory).First(r => r.Metadata!["split"] == DemoDataGenerator.TestSplit);
        var byImage = await search.SearchAsync(new SearchRequest { Query = new SearchQuery(null, first.Image, null, null, null), Target = "text", K = 3 }, cancellation);
        Print(output, $"image -> text: media/{first.Id}.png ({first.Labels![0]})", byImage);
    }

    private static void Print(TextWriter output, string title, SearchResponse response)
    {
        output.WriteLine(title);
        foreach (var hit in response.Hits)
        {
            output.WriteLine($"  {hit.Score,7:F4}  {hit.Modality,-5}  {hit.Id,-32}  {string.Join(", ", hit.Labels)}");
        }
        output.WriteLine();
    }
}
