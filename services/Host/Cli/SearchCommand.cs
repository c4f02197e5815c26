using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MS2GAN.Search;

namespace MS2GAN.Host.Cli;

/// <summary>
/// `ms2gan search "TEXT"` or `ms2gan search --image FILE`: a kNN query to a running service, printed as a table (rank,
/// score, modality, id, labels, and the start of the item's text) or, with --json, as the service answered it.
/// </summary>
public static class SearchCommand
{
    private const int SnippetLength = 60;

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var text = new Argument<string?>("TEXT") { Description = "The text to search with", Arity = ArgumentArity.ZeroOrOne };
        var image = new Option<FileInfo?>("--image") { Description = "An image file (PNG, JPEG, WebP) to search with instead of a text" };
        var target = new Option<string>("--target") { Description = "Which items to return: image, text or any", DefaultValueFactory = _ => "any" };
        target.AcceptOnlyFromAmong("image", "text", "any");
        var k = new Option<int>("-k", "--k") { Description = "How many hits (1 to 1000)", DefaultValueFactory = _ => 10 };
        var labels = new Option<string[]>("--labels") { Description = "Only items with any of these labels (comma-separated or repeated)", AllowMultipleArgumentsPerToken = true };
        var specific = new Option<double?>("--specific-weight") { Description = "Weight of specific similarity (default: the model's)" };
        var shared = new Option<double?>("--shared-weight") { Description = "Weight of shared similarity (default: the model's)" };
        var json = new Option<bool>("--json") { Description = "Print the service's answer (JSON) instead of a table" };
        var command = new Command("search", "Search a running service with a text or an image and print the hits")
        {
            text, image, target, k, labels, specific, shared, json,
        };
        var connection = new ServiceConnection("The ms2gan service with the search API (serve, or the search service)", keyRequired: false);
        connection.AddTo(command);
        command.SetAction((parse, cancellation) => CliRunner.RunAsync("search", false, async _ =>
        {
            var query = Query(parse.GetValue(text), parse.GetValue(image));
            var filter = parse.GetValue(labels)?.SelectMany(l => l.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
            var weights = (parse.GetValue(specific), parse.GetValue(shared)) switch
            {
                (null, null) => null,
                (var s, var c) => new SearchWeights(s ?? 0, c ?? 0),
            };
            var request = new SearchRequest
            {
                Query = query,
                Target = parse.GetValue(target)!,
                K = parse.GetValue(k),
                Filter = filter is { Length: > 0 } ? new SearchFilter(filter, null) : null,
                Weights = weights,
            };
            using var client = connection.Connect(parse);
            var body = await client.SearchJsonAsync(request, cancellation);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(body);
                return 0;
            }
            var response = JsonSerializer.Deserialize<SearchResponse>(body, ServiceClient.Json)
                ?? throw new CommandFailedException(CliRunner.Failure, "the service answered the search with an empty body");
            var snippets = new List<string>();
            foreach (var hit in response.Hits)
            {
                snippets.Add(Snippet((await client.GetItemAsync(hit.Id, cancellation))?.Text));
            }
            var what = query.Text is not null ? $"\"{query.Text}\"" : parse.GetValue(image)!.Name;
            Console.Out.Write(Table($"{what} -> {request.Target}, model {response.ModelVersion}: {response.Hits.Count} hits", response.Hits, snippets));
            return 0;
        }));
        return command;
    }

    /// <summary>The hits as a table with a title line; columns as wide as their widest value.</summary>
    public static string Table(string title, IReadOnlyList<SearchHit> hits, IReadOnlyList<string> snippets)
    {
        var rows = new List<string[]> { new[] { "rank", "score", "modality", "id", "labels", "snippet" } };
        rows.AddRange(hits.Select((hit, i) => new[]
        {
            (i + 1).ToString(CultureInfo.InvariantCulture), hit.Score.ToString("F4", CultureInfo.InvariantCulture), hit.Modality, hit.Id,
            hit.Labels.Count == 0 ? "-" : string.Join(",", hit.Labels), snippets[i],
        }));
        var widths = Enumerable.Range(0, 6).Select(column => rows.Max(row => row[column].Length)).ToArray();
        var text = new StringBuilder().AppendLine(title);
        foreach (var row in rows)
        {
            // Rank and score right-aligned, the rest left-aligned; the last column is not padded.
            text.AppendLine(string.Join("  ", row.Select((cell, column) =>
                column < 2 ? cell.PadLeft(widths[column]) : column == row.Length - 1 ? cell : cell.PadRight(widths[column]))));
        }
        return text.ToString();
    }

    private static SearchQuery Query(string? text, FileInfo? image)
    {
        if (image is not null)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                throw new CommandFailedException(CliRunner.BadInput, "give a TEXT or --image FILE, not both");
            }
            if (!image.Exists)
            {
                throw new CommandFailedException(CliRunner.BadInput, $"{image.FullName}: no such file");
            }
            return new SearchQuery(null, Convert.ToBase64String(File.ReadAllBytes(image.FullName)), null, null, null);
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new CommandFailedException(CliRunner.BadInput, "give a TEXT to search with, or --image FILE");
        }
        return new SearchQuery(text, null, null, null, null);
    }

    private static string Snippet(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "-";
        }
        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= SnippetLength ? line : line[..(SnippetLength - 3)] + "...";
    }
}
