using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace MS2GAN.WebPage.Tests;

/// <summary>
/// The web page in headless Chromium over `ms2gan serve` on the demo data: text and image queries, the weighting
/// slider, bad input, the item view with "more like this", and the status view. The search screenshot is saved to
/// artifacts/web/search-results.png.
/// </summary>
public sealed class WebPageTests(DemoSite site, ITestOutputHelper output) : IClassFixture<DemoSite>, IDisposable
{
    // One description per demo class, worded apart from the caption templates' exact sentences.
    private static readonly (string Text, string Label)[] Descriptions =
    [
        ("a red circle covered in dots", "red dotted circle"),
        ("a blue square with stripes", "blue striped square"),
        ("a green triangle with a soft gradient", "green gradient triangle"),
        ("a yellow star drawn as an outline", "yellow outlined star"),
        ("a purple hexagon with a checkerboard pattern", "purple checkered hexagon"),
        ("an orange plus sign in one flat colour", "orange plain cross"),
        ("a turquoise ring open in the centre", "cyan hollow ring"),
        ("a grey spiral curling around itself", "grey coiled spiral"),
        ("a pink heart glowing from the centre", "pink glowing heart"),
        ("a brown diamond covered in a lattice", "brown grid diamond"),
    ];

    private HeadlessChromium? _browser;

    private HeadlessChromium Browser => _browser ??= new HeadlessChromium();

    [ChromiumFact]
    public void Typed_text_queries_show_images_of_the_described_class()
    {
        Browser.Open(site.Address);
        Assert.EndsWith("/ui/", Browser.Driver.Url);
        var precisions = new List<double>();
        foreach (var (text, label) in Descriptions)
        {
            Browser.SearchFor(text);
            var hits = Browser.Hits();
            Assert.Equal(12, hits.Count);
            Assert.All(hits, hit => Assert.Equal("image", hit.Modality));
            precisions.Add(hits.Take(5).Count(hit => hit.Labels.Contains(label)) / 5.0);
            output.WriteLine($"\"{text}\": precision@5 {precisions[^1]:F1}, first {hits[0].Id} {hits[0].Score:F4}");
        }
        output.WriteLine($"mean precision@5 over {precisions.Count} queries: {precisions.Average():F3} (demo site ready in {site.PreparedIn.TotalSeconds:F1} s)");
        // The issue asks for 0.8 on the demo data; this model measured 1.0 on every query.
        Assert.True(precisions.Average() >= 0.8, $"mean precision@5 {precisions.Average():F3}");

        Browser.SearchFor(Descriptions[1].Text);
        Browser.Hits();
        var screenshot = Path.Combine(RepositoryFolder.Artifacts("web"), "search-results.png");
        Browser.Screenshot(screenshot);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is missing or blank");
        output.WriteLine($"screenshot: {screenshot}");
    }

    [ChromiumFact]
    public void An_uploaded_image_shows_texts_of_its_class()
    {
        Browser.Open(site.Address);
        var precisions = new List<double>();
        foreach (var item in site.Items.Where(i => i.Metadata!["split"] == "test").DistinctBy(i => i.Labels![0]))
        {
            Browser.Upload(site.ImagePath(item.Id!));
            var hits = Browser.Hits();
            Assert.Equal("", Browser.Message());
            Assert.All(hits, hit => Assert.Equal("text", hit.Modality));
            // the snippets are the captions of the hits
            Assert.Equal(site.Items.Single(i => i.Id == hits[0].Id).Text, hits[0].Media);
            precisions.Add(hits.Take(5).Count(hit => hit.Labels.Contains(item.Labels![0])) / 5.0);
        }
        output.WriteLine($"image -> text, mean precision@5 over {precisions.Count} uploads: {precisions.Average():F3}");
        Assert.Equal(10, precisions.Count);
        Assert.True(precisions.Average() >= 0.8, $"mean precision@5 {precisions.Average():F3}");
    }

    [ChromiumFact]
    public void The_weight_slider_changes_the_ranking()
    {
        Browser.Open(site.Address);
        Browser.SearchFor(Descriptions[2].Text);
        // the demo model's default weights: equal weights reach its best validation mAP (1.0), and of the best the weighting nearest 0.5/0.5 is kept
        Assert.Equal("specific 0.50 · shared 0.50", Browser.Find("#weight-value").Text);

        Browser.Searching(() => Browser.Find("#weight").SendKeys(Keys.Home));
        var specificOnly = Browser.Hits();
        Assert.Equal("specific 1.00 · shared 0.00", Browser.Find("#weight-value").Text);

        Browser.Searching(() => Browser.Find("#weight").SendKeys(Keys.End));
        var sharedOnly = Browser.Hits();
        Assert.Equal("specific 0.00 · shared 1.00", Browser.Find("#weight-value").Text);
        output.WriteLine($"specific only: {string.Join(", ", specificOnly.Select(h => h.Id))}");
        output.WriteLine($"shared only:   {string.Join(", ", sharedOnly.Select(h => h.Id))}");
        Assert.NotEqual(specificOnly.Select(h => h.Id), sharedOnly.Select(h => h.Id));

        // back to specific only: that ranking again, so the change came from the weights
        Browser.Searching(() => Browser.Find("#weight").SendKeys(Keys.Home));
        Assert.Equal(specificOnly.Select(h => (h.Id, h.Score)), Browser.Hits().Select(h => (h.Id, h.Score)));
    }

    [ChromiumFact]
    public void The_target_switch_and_the_label_filter_narrow_the_hits()
    {
        Browser.Open(site.Address);
        Browser.SearchFor(Descriptions[0].Text);
        Browser.Searching(() => Browser.Find("#target option[value=any]").Click());
        var both = Browser.Hits();
        Assert.Contains(both, hit => hit.Modality == "image");
        Assert.Contains(both, hit => hit.Modality == "text");

        Browser.Searching(() => Browser.Find("#labels").SendKeys("blue striped square, yellow outlined star" + Keys.Tab));
        var filtered = Browser.Hits();
        Assert.Equal(12, filtered.Count);
        Assert.All(filtered, hit => Assert.Contains(hit.Labels[0], new[] { "blue striped square", "yellow outlined star" }));

        // an uploaded image goes as multipart, with the same filter
        Browser.Searching(() => Browser.Find("#target option[value=image]").Click());
        Browser.Upload(site.ImagePath(site.Items[0].Id!));
        Assert.All(Browser.Hits(), hit => Assert.Equal(("image", true), (hit.Modality, hit.Labels[0] is "blue striped square" or "yellow outlined star")));
    }

    [ChromiumFact]
    public void Bad_input_shows_the_api_message_and_the_page_keeps_working()
    {
        using var folder = new TempFolder();
        Browser.Open(site.Address);

        Browser.SearchFor("");
        Assert.Equal("the query text is empty: type what to look for", Browser.Message());
        Assert.Empty(Browser.Hits());

        Browser.Upload(folder.WriteBytes("notes.txt", "not a picture"u8.ToArray()));
        Assert.StartsWith("the data is not a JPEG, PNG or WebP image", Browser.Message());

        var tooLarge = new byte[DemoSite.MaxImageBytes + 1];
        File.ReadAllBytes(site.ImagePath(site.Items[0].Id!)).CopyTo(tooLarge, 0);
        Browser.Upload(folder.WriteBytes("huge.png", tooLarge));
        Assert.Equal($"the image is {tooLarge.Length:N0} bytes, over the limit of {DemoSite.MaxImageBytes:N0} bytes (Search:MaxImageBytes)", Browser.Message());
        Assert.Empty(Browser.Hits());

        Browser.SearchFor(Descriptions[0].Text);
        Assert.Equal("", Browser.Message());
        Assert.Equal(12, Browser.Hits().Count);
    }

    [ChromiumFact]
    public async Task The_item_view_shows_the_item_and_more_like_this()
    {
        using var http = new HttpClient { BaseAddress = site.Address };
        var status = await http.GetFromJsonAsync<JsonElement>("/v1/search/status");
        var version = status.GetProperty("model").GetProperty("version").GetString()!;
        Browser.Open(site.Address);
        Browser.SearchFor(Descriptions[3].Text);
        var first = Browser.Hits()[0];
        Browser.Find("#results .hit a").Click();
        Browser.Until(() => Browser.Driver.Url.EndsWith($"#item/{first.Id}", StringComparison.Ordinal) && Browser.Find("body").GetDomAttribute("data-item") == first.Id,
            "the item view");

        var item = site.Items.Single(i => i.Id == first.Id);
        var facts = Browser.Find("#item-facts").Text;
        Assert.Contains($"labels\n{item.Labels![0]}", facts);
        Assert.Contains("state\nindexed", facts);
        Assert.Contains($"model version\n{version}", facts);
        Assert.Contains("image\nimage/png", facts);
        Assert.Equal(item.Text, Browser.Find("#item-text").Text);
        Browser.Until(() => (long)((IJavaScriptExecutor)Browser.Driver).ExecuteScript("return document.querySelector('#item-image img').naturalWidth")! > 0, "the item's image");

        Browser.Searching(() => Browser.Find("[data-like=text]").Click());
        var similar = Browser.Hits("#item-results");
        Assert.All(similar, hit => Assert.Equal("text", hit.Modality));
        Assert.DoesNotContain(similar, hit => hit.Id == first.Id);
        Assert.Equal(item.Labels[0], similar[0].Labels[0]);
    }

    [ChromiumFact]
    public void The_status_view_shows_items_model_and_queue_lag()
    {
        Browser.Open(new Uri(site.Address, "/ui/#status"));
        Browser.Until(() => Browser.Counter("statusRefreshes") >= 1 && Browser.Find("#status-process").Text.Length > 0, "the status view");
        Assert.Equal("", Browser.Message());
        var items = Browser.Find("#status-items").Text;
        Assert.Contains($"indexed\n{site.Items.Count}", items);
        Assert.Contains("waiting for the encoder (queue lag)\n0", items);
        Assert.Contains("validation joint", Browser.Find("#status-metrics").Text);
        // equal weights reach the demo model's best validation mAP (1.0), and of the best the weighting nearest 0.5/0.5 is kept
        Assert.Contains("default weights\nspecific 0.5, shared 0.5", Browser.Find("#status-model").Text);
        var process = Browser.Find("#status-process").Text;
        Assert.Contains("readiness\nHealthy", process);
        Assert.Matches(@"queue lag, ingest to encoding\n[0-9.]+ ms \(mean of [0-9]+\)", process);
        Assert.Contains("reindex", Browser.Find("#status-view").Text.ToLowerInvariant());
    }

    [ChromiumFact]
    public void The_status_view_fits_its_cards_at_1280_to_1400_pixels()
    {
        // Widths where the cards sit two to a row and long version and index ids ran past their edges.
        foreach (var width in new[] { 1280, 1340, 1400 })
        {
            Browser.Driver.Manage().Window.Size = new System.Drawing.Size(width, 1000);
            Browser.Open(new Uri(site.Address, $"/ui/?w={width}#status"));
            Browser.Until(() => Browser.Counter("statusRefreshes") >= 1 && Browser.Find("#status-metrics").Text.Length > 0, "the status view");

            var overflowing = (System.Collections.ObjectModel.ReadOnlyCollection<object>)((IJavaScriptExecutor)Browser.Driver).ExecuteScript("""
                const out = [];
                for (const card of document.querySelectorAll("#status-view .panels > section")) {
                  const edge = card.getBoundingClientRect();
                  if (card.scrollWidth > card.clientWidth + 1) out.push(`${card.querySelector("h2").textContent}: scrolls ${card.scrollWidth} > ${card.clientWidth}`);
                  for (const el of card.querySelectorAll("*")) {
                    const box = el.getBoundingClientRect();
                    if (box.width > 0 && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== "inline") {
                      out.push(`${card.querySelector("h2").textContent}: <${el.tagName.toLowerCase()}> "${el.textContent.slice(0, 30)}" is wider (${el.scrollWidth}) than its box (${el.clientWidth})`);
                    }
                    if (box.width > 0 && (box.right > edge.right + 1 || box.left < edge.left - 1)) {
                      out.push(`${card.querySelector("h2").textContent}: <${el.tagName.toLowerCase()}> ${Math.round(box.left)}..${Math.round(box.right)} outside ${Math.round(edge.left)}..${Math.round(edge.right)}`);
                    }
                  }
                }
                return out;
                """)!;
            Assert.True(overflowing.Count == 0, $"at {width} px: {string.Join("; ", overflowing)}");
            if (width == 1280)
            {
                var screenshot = Path.Combine(RepositoryFolder.Artifacts("web"), "status-view.png");
                Browser.Screenshot(screenshot);
                output.WriteLine($"screenshot: {screenshot}");
            }
        }
    }

    [ChromiumFact]
    public async Task With_search_behind_the_key_the_page_asks_for_it_once_and_shows_images_with_it()
    {
        const string Key = "web-page-test-key-0123456789";
        await using var keyed = await KeyedSearchService.StartAsync(site.Services, Key);
        Browser.Open(new Uri(keyed.Address, "/ui/"));
        Browser.Until(() => Browser.Find("#key-panel").Displayed, "the key panel");
        Assert.StartsWith("Unauthorized — missing X-Api-Key header", Browser.Message());

        Browser.Find("#key-panel input").SendKeys(Key + Keys.Enter);
        Browser.Until(() => !Browser.Find("#key-panel").Displayed && Browser.Find("#weight-value").Text.Length > 0, "the page to reload with the key");
        Browser.SearchFor(Descriptions[4].Text);
        var hits = Browser.Hits();
        Assert.Equal("", Browser.Message());
        Assert.All(hits, hit => Assert.Equal("image", hit.Modality));
        // the images came through fetch with the key, shown from blob: URLs (a plain img request carries no header)
        Assert.StartsWith("blob:", Browser.Find("#results .hit img").GetDomProperty("src"));
    }

    public void Dispose() => _browser?.Dispose();
}
