using System.Diagnostics;
using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace MS2GAN.WebPage.Tests;

/// <summary>
/// The Debian chromium, headless, driven through its chromedriver (both given by path, so Selenium never looks for or
/// downloads a browser), with what the tests read from the web page.
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ChromeDriver _driver;

    public HeadlessChromium()
    {
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromiumFactAttribute.Driver)!, Path.GetFileName(ChromiumFactAttribute.Driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumFactAttribute.Browser };
        // --no-sandbox: CI runs the tests as root, where chromium's sandbox refuses to start.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000");
        _driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public IWebDriver Driver => _driver;

    public void Open(Uri address) => _driver.Navigate().GoToUrl(address);

    public IWebElement Find(string css) => _driver.FindElement(By.CssSelector(css));

    /// <summary>Runs <paramref name="act"/> and waits until the page has finished one more search (body data-searches).</summary>
    public void Searching(Action act)
    {
        var before = Counter("searches");
        act();
        Until(() => Counter("searches") > before, "the search to finish");
    }

    public void SearchFor(string text) => Searching(() =>
    {
        var box = Find("#query");
        box.Clear();
        box.SendKeys(text);
        Find("#search-button").Click();
    });

    public void Upload(string path) => Searching(() => Find("#image-input").SendKeys(path));

    /// <summary>The result cards of the grid in <paramref name="css"/>, best first, once their media have loaded.</summary>
    public IReadOnlyList<Hit> Hits(string css = "#results")
    {
        const string Script = """
            return JSON.stringify([...document.querySelectorAll(arguments[0] + ' .hit')].map(card => {
              const img = card.querySelector('img');
              const snippet = card.querySelector('.snippet');
              return {
                id: card.dataset.id, modality: card.dataset.modality, labels: card.dataset.labels.split('|'), score: Number(card.dataset.score),
                media: img ? (img.complete && img.naturalWidth > 0 ? `${img.naturalWidth}x${img.naturalHeight}` : '') : (snippet.textContent === '…' ? '' : snippet.textContent),
              };
            }));
            """;
        IReadOnlyList<Hit> hits = [];
        Until(() =>
        {
            hits = JsonSerializer.Deserialize<List<Hit>>((string)_driver.ExecuteScript(Script, css)!, Json)!;
            return hits.All(h => h.Media.Length > 0);
        }, "the media of every hit to load");
        return hits;
    }

    /// <summary>The message box's text; empty when it is hidden.</summary>
    public string Message() => Find("#message").Displayed ? Find("#message").Text : "";

    public int Counter(string name) =>
        int.TryParse(_driver.ExecuteScript($"return document.body.dataset.{name} || '0';") as string, out var value) ? value : 0;

    public void Until(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > Patience)
            {
                throw new TimeoutException($"waited {Patience.TotalSeconds} s for {what}; the page says: {Find("body").Text}");
            }
            Thread.Sleep(50);
        }
    }

    public void Screenshot(string path) => _driver.GetScreenshot().SaveAsFile(path);

    public void Dispose() => _driver.Quit();
}

/// <summary>One result card: id, modality, labels, score, and its image size or text once loaded.</summary>
public sealed record Hit(string Id, string Modality, string[] Labels, double Score, string Media);
